// OfdVerification as JSON (CLI --json, HTTP API) and as text.
#include <nlohmann/json.hpp>

#include "eseal/verify/ofd_verifier.h"
#include "eseal/verify/report_json.h"
#include "eseal/verify/summary.h"
#include "internal.h"

namespace eseal::verify {

std::string OfdVerificationToJson(const OfdVerification& v, int indent) {
  nlohmann::ordered_json j;
  j["verdict"] = std::string(VerdictName(v.verdict()));
  Summary summary = Summarize(v);
  j["summary"] = {{"zh", summary.zh}, {"en", summary.en}};
  j["checks"] = internal::ChecksJson(v.document);
  nlohmann::ordered_json sigs = nlohmann::ordered_json::array();
  for (const SignatureVerification& s : v.signatures) {
    nlohmann::ordered_json sj;
    sj["id"] = s.id;
    sj["type"] = s.type;
    sj["path"] = s.signature_path;
    if (s.doc_index > 0) sj["document"] = s.doc_index;
    sj["verdict"] = std::string(VerdictName(s.report.verdict()));
    Summary ss = Summarize(s.report);
    sj["summary"] = {{"zh", ss.zh}, {"en", ss.en}};
    sj["checks"] = internal::ChecksJson(s.report);
    sigs.push_back(std::move(sj));
  }
  j["signatures"] = std::move(sigs);
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string OfdVerificationToText(const OfdVerification& v, bool verbose) {
  Summary summary = Summarize(v);
  std::string out = summary.zh + "\n" + summary.en + "\n" + "document:\n";
  auto indent = [](const std::string& text) {
    std::string o;
    size_t start = 0;
    while (start < text.size()) {
      size_t nl = text.find('\n', start);
      if (nl == std::string::npos) nl = text.size();
      o += "  " + text.substr(start, nl - start) + "\n";
      start = nl + 1;
    }
    return o;
  };
  out += indent(ChecksToText(v.document, verbose));
  for (const SignatureVerification& s : v.signatures) {
    out += "signature " + s.id + " (Type " + s.type + ", " + s.signature_path + "): " +
           std::string(VerdictName(s.report.verdict())) + "\n";
    out += indent(ChecksToText(s.report, verbose));
  }
  out += "overall verdict: " + std::string(VerdictName(v.verdict())) + "\n";
  return out;
}

}  // namespace eseal::verify
