#include "eseal/verify/report_json.h"

#include <nlohmann/json.hpp>

#include "eseal/verify/summary.h"
#include "internal.h"

namespace eseal::verify {

namespace internal {

nlohmann::ordered_json ChecksJson(const Report& report) {
  nlohmann::ordered_json checks = nlohmann::ordered_json::array();
  for (const Check& c : report.checks()) {
    nlohmann::ordered_json cj;
    cj["id"] = c.id;
    cj["result"] = std::string(CheckResultName(c.result));
    cj["detail"] = c.detail;
    if (!c.params.empty()) {
      nlohmann::ordered_json p = nlohmann::ordered_json::object();
      for (const auto& [k, v] : c.params) p[k] = v;
      cj["params"] = std::move(p);
    }
    checks.push_back(std::move(cj));
  }
  return checks;
}

}  // namespace internal

std::string ReportToJson(const Report& report, int indent) {
  nlohmann::ordered_json j;
  j["verdict"] = std::string(VerdictName(report.verdict()));
  Summary s = Summarize(report);
  j["summary"] = {{"zh", s.zh}, {"en", s.en}};
  j["checks"] = internal::ChecksJson(report);
  // Invalid UTF-8 from hostile input is replaced rather than thrown about.
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ChecksToText(const Report& report, bool verbose) {
  std::string out;
  for (const Check& c : report.checks()) {
    if (!verbose && (c.result == CheckResult::kPass || c.result == CheckResult::kInfo ||
                     c.result == CheckResult::kSkipped)) {
      continue;
    }
    std::string tag;
    switch (c.result) {
      case CheckResult::kPass: tag = "PASS "; break;
      case CheckResult::kFail: tag = "FAIL "; break;
      case CheckResult::kIndeterminate: tag = "INDET"; break;
      case CheckResult::kWarning: tag = "WARN "; break;
      case CheckResult::kInfo: tag = "INFO "; break;
      case CheckResult::kSkipped: tag = "SKIP "; break;
    }
    out += tag + "  " + c.id;
    if (!c.detail.empty()) out += "  " + c.detail;
    out += "\n";
  }
  return out;
}

std::string ReportToText(const Report& report, bool verbose) {
  Summary s = Summarize(report);
  return s.zh + "\n" + s.en + "\n" + ChecksToText(report, verbose) + "verdict: " +
         std::string(VerdictName(report.verdict())) + "\n";
}

}  // namespace eseal::verify
