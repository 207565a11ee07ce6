// Verification of PDF signatures (pdf_verifier.h).
#include "eseal/verify/pdf_verifier.h"

#include <nlohmann/json.hpp>

#include "eseal/crypto/sm3.h"
#include "eseal/pdf/changes.h"
#include "eseal/pdf/document.h"
#include "eseal/verify/ses_verify.h"
#include "eseal/tsp/timestamp_token.h"
#include "eseal/tsp/tst_info.h"
#include "eseal/verify/summary.h"
#include "eseal/x509/crl.h"
#include "eseal/x509/signed_data.h"
#include "internal.h"
#include "trust_internal.h"

namespace eseal::verify {
namespace {

bool IsHex(uint8_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::optional<Time> ParsePdfDate(const std::string& m) {
  // D:YYYYMMDDHHmmSS[Z|+HH'mm'|-HH'mm']
  std::string s = m.rfind("D:", 0) == 0 ? m.substr(2) : m;
  if (s.size() < 14) return std::nullopt;
  CivilTime c;
  if (std::sscanf(s.c_str(), "%4d%2d%2d%2d%2d%2d", &c.year, &c.month, &c.day, &c.hour, &c.minute, &c.second) != 6) {
    return std::nullopt;
  }
  auto local = FromCivil(c);
  if (!local.ok()) return std::nullopt;
  int offset = 0;
  if (s.size() >= 17 && (s[14] == '+' || s[14] == '-')) {
    int hh = 0, mm = 0;
    std::sscanf(s.c_str() + 15, "%2d'%2d", &hh, &mm);
    offset = (hh * 60 + mm) * 60 * (s[14] == '-' ? -1 : 1);
  }
  return *local - std::chrono::seconds(offset);
}

// The ByteRange rules. Returns the end of the covered bytes when they hold.
std::optional<uint64_t> CheckByteRange(const pdf::Document& doc, const pdf::SignatureField& f, size_t* revision,
                                       Report& r) {
  ByteView file = doc.bytes();
  const std::vector<int64_t>& br = f.byte_range;
  if (br.size() != 4 || br[0] != 0 || br[1] <= 0 || br[2] <= br[1] || br[3] < 0 ||
      static_cast<uint64_t>(br[2]) + static_cast<uint64_t>(br[3]) > file.size()) {
    r.Fail("pdf.byte_range", "the ByteRange is not [0 a b c] with 0 < a < b and b + c inside the file: it does not "
                             "describe one gap in one file");
    return std::nullopt;
  }
  r.Pass("pdf.byte_range", "[0 " + std::to_string(br[1]) + " " + std::to_string(br[2]) + " " + std::to_string(br[3]) +
                               "]");
  // The gap is exactly this dictionary's /Contents hex string.
  const size_t a = static_cast<size_t>(br[1]), b = static_cast<size_t>(br[2]);
  bool gap_ok = file[a] == '<' && file[b - 1] == '>' && (b - a - 2) % 2 == 0;
  for (size_t i = a + 1; gap_ok && i < b - 1; ++i) gap_ok = IsHex(file[i]);
  if (gap_ok) {
    auto hex = HexDecode(std::string_view(reinterpret_cast<const char*>(&file[a + 1]), b - a - 2));
    gap_ok = hex.ok() && *hex == f.contents;
  }
  if (!gap_ok) {
    r.Fail("pdf.byte_range.contents", "the bytes the ByteRange leaves out are not this signature's /Contents string "
                                      "(signature wrapping: the signed bytes and the signature were moved apart)");
    return std::nullopt;
  }
  r.Pass("pdf.byte_range.contents", "the gap is exactly the /Contents string");
  const uint64_t end = static_cast<uint64_t>(br[2] + br[3]);
  const std::vector<pdf::Revision>& revs = doc.revisions();
  for (size_t i = 0; i < revs.size(); ++i) {
    if (end == revs[i].end || end == revs[i].eof_end) {
      *revision = i + 1;
      r.Pass("pdf.byte_range.revision", "the signature covers revision " + std::to_string(i + 1) + " of " +
                                            std::to_string(revs.size()) + " to its end")
          .params = {{"revision", std::to_string(i + 1)}, {"revisions", std::to_string(revs.size())}};
      return end;
    }
  }
  r.Fail("pdf.byte_range.revision", "the signature ends at byte " + std::to_string(end) +
                                        ", where no revision of the file ends (bytes of its own revision are unsigned)");
  return std::nullopt;
}

void CheckChanges(const pdf::Document& doc, uint64_t end, size_t revision,
                  std::optional<int> docmdp, Report& r) {
  if (revision == doc.revisions().size()) {
    r.Info("pdf.coverage", "the signature covers the whole file").params = {{"whole_file", "true"}};
    r.Pass("pdf.changes_after_signing", "nothing was added after this signature");
    return;
  }
  auto changes = pdf::ChangesAfter(doc, end);
  if (!changes.ok()) {
    r.Indeterminate("pdf.changes_after_signing", "the revisions after this signature cannot be compared: " +
                                                     changes.status().message());
    return;
  }
  r.Info("pdf.coverage", "the signature covers revision " + std::to_string(revision) + "; " +
                             std::to_string(changes->size()) + " revision(s) were added after it")
      .params = {{"whole_file", "false"}, {"later_revisions", std::to_string(changes->size())}};
  bool changed = false;  // something beyond what signatures may add
  std::vector<std::string> seen;
  for (const pdf::RevisionChanges& c : *changes) {
    const std::string rev = std::to_string(c.revision + 1);
    for (pdf::ChangeKind k : c.kinds) seen.push_back("revision " + rev + ": " + pdf::ChangeKindName(k));
    if (c.Has(pdf::ChangeKind::kOther)) {
      std::string objs;
      for (const std::string& o : c.other_objects) objs += (objs.empty() ? "" : ", ") + o;
      r.Fail("pdf.changes_after_signing", "revision " + rev + " changed the document after this signature: " +
                                              c.detail + " (objects " + objs + ")")
          .params = {{"revision", rev}, {"objects", objs}};
      changed = true;
    }
    const bool annots = c.Has(pdf::ChangeKind::kAnnotations), fill = c.Has(pdf::ChangeKind::kFormFill);
    if (docmdp && ((*docmdp < 3 && annots) || (*docmdp < 2 && fill) ||
                   (*docmdp == 1 && (c.Has(pdf::ChangeKind::kSignature) || c.Has(pdf::ChangeKind::kDocTimestamp))))) {
      r.Fail("pdf.docmdp", "revision " + rev + " makes changes the certification (DocMDP P=" + std::to_string(*docmdp) +
                               ") does not allow")
          .params = {{"revision", rev}, {"p", std::to_string(*docmdp)}};
    } else if (!docmdp && (annots || fill)) {
      r.Warn("pdf.changes_after_signing.annotations",
             "revision " + rev + " added annotations or form values after this signature (they are not part of what "
                                 "it signed; the signed page content is unchanged)")
          .params = {{"revision", rev}};
    }
  }
  if (!changed) {
    std::string list;
    for (const std::string& s : seen) list += (list.empty() ? "" : "; ") + s;
    r.Pass("pdf.changes_after_signing", "the later revisions only add: " + list);
  }
}

// The DSS's certificates and CRLs (PAdES B-LT) join the policy's untrusted material for
// every signature: they help build paths and judge revocation after the CAs' services are
// gone; the anchors stay the policy's own, so nothing in the file can vouch for itself.
void UseDss(const pdf::Dss& dss, ValidationPolicy& policy, Report& r) {
  if (!dss.present) return;
  size_t certs = 0, crls = 0, unreadable = 0;
  for (const Bytes& der : dss.certs) {
    auto c = x509::Certificate::FromDer(der);
    if (!c.ok()) {
      ++unreadable;
      continue;
    }
    policy.intermediates.push_back(*std::move(c));
    ++certs;
  }
  for (const Bytes& der : dss.crls) {
    auto c = x509::Crl::FromDer(der);
    if (!c.ok()) {
      ++unreadable;
      continue;
    }
    policy.crls.push_back(*std::move(c));
    ++crls;
  }
  std::string detail = "the document security store (DSS) gave " + std::to_string(certs) + " certificate(s) and " +
                       std::to_string(crls) + " CRL(s) to every signature's validation (untrusted material: the "
                       "anchors stay the policy's)";
  if (!dss.ocsps.empty()) detail += "; " + std::to_string(dss.ocsps.size()) + " OCSP answer(s) are not used";
  r.Info("pdf.dss", detail).params = {{"certs", std::to_string(certs)},
                                      {"crls", std::to_string(crls)},
                                      {"ocsps", std::to_string(dss.ocsps.size())},
                                      {"unreadable", std::to_string(unreadable + dss.problems.size())}};
  if (unreadable + dss.problems.size() > 0) {
    std::string what;
    for (const std::string& p : dss.problems) what += (what.empty() ? "" : "; ") + p;
    if (unreadable > 0) {
      what += (what.empty() ? "" : "; ") + std::to_string(unreadable) + " entr" + (unreadable == 1 ? "y" : "ies") +
              " that do not parse as a certificate or CRL";
    }
    r.Warn("pdf.dss.unreadable", "entries of the DSS were left out: " + what);
  }
}

// Whether a value is an RFC 3161 TimeStampToken: a SignedData whose encapsulated content
// is a TSTInfo (id-ct-TSTInfo), whatever the dictionary's /Type and /SubFilter say.
bool IsTimestampToken(ByteView value, const ValidationPolicy& policy) {
  if (!x509::LooksLikeSignedData(value)) return false;
  auto sd = x509::ParseSignedData(value, policy.budget.max_signed_data_certificates);
  return sd.ok() && sd->content_type == tsp::IdCtTstInfo();
}

// A document timestamp (文档时间戳, /Type /DocTimeStamp, /SubFilter /ETSI.RFC3161): the token's
// imprint must be the hash of the ByteRange bytes, its signature and TSA chain must hold
// under the policy, as for a signature timestamp. Checks "pdf.doc_timestamp.*": the token's
// own tsp.* and tsa.cert.* under that prefix, and pdf.doc_timestamp.time.
void VerifyDocTimestamp(ByteView value, const std::optional<Bytes>& signed_bytes, size_t revision,
                        const ValidationPolicy& policy, Report& r) {
  if (!signed_bytes) {
    r.Fail("pdf.doc_timestamp.tsp.imprint", "the ByteRange does not hold, so the timestamp covers nothing known");
    return;
  }
  tsp::TimestampVerification tv =
      tsp::VerifyTimestampToken(value, *signed_bytes, internal::TimestampOptionsFor(policy));
  r.Merge(tv.report, "pdf.doc_timestamp.");
  if (tv.gen_time) {
    r.Info("pdf.doc_timestamp.time", "the document up to revision " + std::to_string(revision) +
                                         " existed as it is at " + FormatRfc3339(*tv.gen_time) +
                                         " (proven by the timestamp)")
        .params = {{"gen_time", FormatRfc3339(*tv.gen_time)}, {"revision", std::to_string(revision)}};
  }
}

}  // namespace

Verdict PdfVerification::verdict() const {
  bool indeterminate = document.verdict() == Verdict::kIndeterminate;
  if (document.verdict() == Verdict::kFailed) return Verdict::kFailed;
  for (const PdfSignatureVerification& s : signatures) {
    Verdict v = s.report.verdict();
    if (v == Verdict::kFailed) return Verdict::kFailed;
    indeterminate = indeterminate || v == Verdict::kIndeterminate;
  }
  return indeterminate ? Verdict::kIndeterminate : Verdict::kPassed;
}

Result<PdfVerification> VerifyPdf(ByteView document, const PdfVerifyOptions& options) {
  ASSIGN_OR_RETURN(pdf::Document doc, pdf::Document::Open(document, options.limits));
  PdfVerification v;
  v.document.Info("pdf.read", std::to_string(doc.page_count()) + " page(s)")
      .params = {{"pages", std::to_string(doc.page_count())}};
  for (const std::string& w : doc.warnings()) v.document.Warn("pdf.read.warning", "the PDF parser noticed: " + w);
  v.document.Info("pdf.revisions", std::to_string(doc.revisions().size()) + " revision(s)")
      .params = {{"revisions", std::to_string(doc.revisions().size())}};
  ValidationPolicy policy = options.policy;
  UseDss(doc.dss(), policy, v.document);
  // A certification signature's DocMDP binds every later revision.
  std::optional<int> docmdp;
  for (const pdf::SignatureField& f : doc.signatures()) {
    if (f.docmdp) docmdp = docmdp ? std::min(*docmdp, *f.docmdp) : *f.docmdp;
  }
  for (const pdf::SignatureField& f : doc.signatures()) {
    PdfSignatureVerification s;
    s.field = f.name;
    Report& r = s.report;
    r.Info("pdf.field", "signature field \"" + f.name + "\"" +
                            (f.widget_pages.empty() ? ", invisible" : ", on page " + std::to_string(f.widget_pages[0])))
        .params = {{"field", f.name}, {"sub_filter", f.sub_filter}, {"type", f.type}};
    std::optional<uint64_t> end = CheckByteRange(doc, f, &s.revision, r);
    // The value without its zero padding; the format by what it is.
    ByteView value = pdf::ContentsValue(f);
    const size_t n = value.size();
    Bytes signed_bytes;
    if (end) {
      ByteView file = doc.bytes();
      signed_bytes.assign(file.begin(), file.begin() + f.byte_range[1]);
      signed_bytes.insert(signed_bytes.end(), file.begin() + f.byte_range[2], file.begin() + static_cast<long>(*end));
    }
    const Bytes digest = crypto::Sm3Bytes(signed_bytes);
    if (f.type == "DocTimeStamp" || (n > 0 && IsTimestampToken(value, policy))) {
      s.format = "doc_timestamp";
      r.Info("pdf.format", "RFC 3161 document timestamp (/Type " + f.type + ", SubFilter " + f.sub_filter + ")")
          .params = {{"format", "doc_timestamp"}};
      VerifyDocTimestamp(value, end ? std::optional<Bytes>(signed_bytes) : std::nullopt, s.revision, policy, r);
    } else if (n > 0 && x509::LooksLikeSignedData(value)) {
      s.format = "cms";
      r.Info("pdf.format", "GB/T 35275 / PKCS#7 SignedData (SubFilter " + f.sub_filter + ")")
          .params = {{"format", "cms"}};
      if (!end) {
        r.Skip("sign.data_hash", "the ByteRange does not hold, so there is nothing to compare");
      } else {
        auto claimed = [&](Report& rep) -> std::optional<Time> {
          std::optional<Time> t = ParsePdfDate(f.signing_time);
          if (t) {
            rep.Info("sign.time", "signing time " + FormatRfc3339(*t) + " from /M: the signer's claim")
                .params = {{"signing_time", FormatRfc3339(*t)}, {"source", "M"}};
          } else {
            rep.Info("sign.time", "no readable /M signing time").params = {{"source", "none"}};
          }
          return t;
        };
        internal::VerifySignedDataValue(value, digest, "the ByteRange bytes", claimed, policy, r);
      }
    } else if (auto parsed = n > 0 ? ses::ParseSignature(value) : Result<ses::Signature>(InvalidArgumentError("empty"));
               parsed.ok()) {
      s.format = "ses";
      r.Info("pdf.format", std::string("GB/T 38540 SES_Signature ") + std::string(ses::VersionName(parsed->version)))
          .params = {{"format", "ses"}};
      RecordFacts facts;
      if (options.on_record) facts = options.on_record(*parsed);
      for (const Check& c : facts.checks) r.Add(c.id, c.result, c.detail).params = c.params;
      r.Merge(VerifySesSignature(*parsed, end ? std::optional<Bytes>(digest) : std::nullopt, policy,
                                 facts.registered));
      if (!end) r.Fail("ses.signature.data_hash", "the ByteRange does not hold, so the dataHash covers nothing known");
      s.ses = *std::move(parsed);
    } else {
      s.format = "unknown";
      r.Fail("pdf.format", "/Contents holds neither a SignedData nor an SES_Signature (SubFilter " + f.sub_filter +
                               "): an unknown signature format cannot be verified")
          .params = {{"format", "unknown"}};
    }
    if (end) CheckChanges(doc, *end, s.revision, docmdp, r);
    v.signatures.push_back(std::move(s));
  }
  // Does any signature cover the document as it is now? The newest revision must be
  // covered, or only add what the signatures' checks already judged.
  if (v.signatures.empty()) {
    v.document.Fail("pdf.signatures.present", "此文档没有任何签名覆盖（可能是签章文件的转换件或打印件） / no signature "
                                              "covers this document (it may be a converted or printed copy of a "
                                              "signed one)");
  } else {
    v.document.Pass("pdf.signatures.present", std::to_string(v.signatures.size()) + " signature(s)");
  }
  return v;
}

std::string PdfVerificationToJson(const PdfVerification& v, int indent) {
  nlohmann::ordered_json j;
  j["verdict"] = std::string(VerdictName(v.verdict()));
  j["checks"] = internal::ChecksJson(v.document);
  nlohmann::ordered_json sigs = nlohmann::ordered_json::array();
  for (const PdfSignatureVerification& s : v.signatures) {
    nlohmann::ordered_json sj;
    sj["field"] = s.field;
    sj["format"] = s.format;
    sj["revision"] = s.revision;
    sj["verdict"] = std::string(VerdictName(s.report.verdict()));
    Summary ss = Summarize(s.report);
    sj["summary"] = {{"zh", ss.zh}, {"en", ss.en}};
    sj["checks"] = internal::ChecksJson(s.report);
    sigs.push_back(std::move(sj));
  }
  j["signatures"] = std::move(sigs);
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace eseal::verify
