// PDF signatures end to end, and the attacks on them, each built by code that does not
// share the path under test: SES and CMS signatures verify (visible, invisible, riding,
// two in sequence, certification); a flipped byte in a signed revision, page content
// changed in a later hand-written revision, an annotation after a no-changes
// certification, an unknown /Contents format, a wrapped ByteRange and a PDF with no
// signature each get the exact verdict and the check that explains it.
#include "eseal/verify/pdf_verifier.h"

#include <gtest/gtest.h>

#include <map>

#include "eseal/pdf/document.h"
#include "eseal/pdf/signature_writer.h"
#include "eseal/sign/pdf_signer.h"
#include "test_pdfs.h"
#include "test_policy.h"

namespace eseal::verify {
namespace {

using sign::testing::MakeWorld;
using sign::testing::World;

PdfVerifyOptions Options(const World& w) {
  PdfVerifyOptions o;
  o.policy = testing::WorldPolicy(w);
  return o;
}

// `doc` must outlive the request (it is a view).
sign::PdfSignRequest Request(const World& w, const Bytes& doc) {
  sign::PdfSignRequest r;
  r.document = doc;
  r.seal = &w.seal;
  r.signer_cert_der = w.signer.der();
  r.signer = &w.signer_key;
  r.time = w.sign_time;
  return r;
}

Bytes MustSign(const sign::PdfSignRequest& r) {
  auto s = sign::SignPdf(r);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? s->document : Bytes{};
}

PdfVerification MustVerify(const Bytes& pdf, const PdfVerifyOptions& o) {
  auto v = VerifyPdf(pdf, o);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *std::move(v) : PdfVerification{};
}

std::string Failed(const Report& r) {
  std::string out;
  for (const std::string& id : r.FailedIds()) out += id + " ";
  for (const Check& c : r.checks()) {
    if (c.result == CheckResult::kFail || c.result == CheckResult::kIndeterminate) out += "\n  " + c.id + ": " + c.detail;
  }
  return out;
}

// A hand-written incremental update: the objects, a classic xref section, a trailer with
// /Prev — written here, not by the writer under test.
Bytes AppendRevision(const Bytes& in, const std::map<int, std::string>& objs) {
  std::string s(in.begin(), in.end());
  size_t sx = s.rfind("startxref");
  uint64_t prev = std::stoull(s.substr(sx + 9));
  std::map<int, size_t> at;
  for (const auto& [n, body] : objs) {
    at[n] = s.size();
    s += std::to_string(n) + " 0 obj\n" + body + "\nendobj\n";
  }
  size_t xref = s.size();
  s += "xref\n";
  for (const auto& [n, off] : at) {
    char e[40];
    std::snprintf(e, sizeof e, "%d 1\n%010zu 00000 n\r\n", n, off);
    s += e;
  }
  // /Size: one more than the highest object number in the file.
  int highest = 0;
  for (size_t p = s.find(" 0 obj"); p != std::string::npos; p = s.find(" 0 obj", p + 1)) {
    size_t b = p;
    while (b > 0 && std::isdigit(static_cast<unsigned char>(s[b - 1]))) --b;
    if (b < p) highest = std::max(highest, std::stoi(s.substr(b, p - b)));
  }
  s += "trailer\n<< /Size " + std::to_string(highest + 1) + " /Root 1 0 R /Prev " + std::to_string(prev) + " >>\nstartxref\n" + std::to_string(xref) +
       "\n%%EOF\n";
  return Bytes(s.begin(), s.end());
}

TEST(PdfRoundTrip, SesAndCmsVisibleInvisibleAndRidingVerify) {
  World w = MakeWorld();
  Bytes doc = pdf::testing::ClassicPdf(3);
  struct Case {
    const char* name;
    sign::PdfSignatureFormat format;
    sign::Placement placement;
    const char* expected_format;
  };
  sign::Placement at_xy;
  at_xy.positions = {{2, 120, 200}};
  sign::Placement riding;
  riding.riding = sign::RidingPlacement{sign::Edge::kRight, 1, 0, -1};
  sign::Placement keyword;
  keyword.keyword = sign::KeywordPlacement{"Party A", 0, 2, 3};
  std::vector<Case> cases = {{"ses-visible", sign::PdfSignatureFormat::kSes, at_xy, "ses"},
                             {"ses-invisible", sign::PdfSignatureFormat::kSes, {}, "ses"},
                             {"ses-riding", sign::PdfSignatureFormat::kSes, riding, "ses"},
                             {"ses-keyword", sign::PdfSignatureFormat::kSes, keyword, "ses"},
                             {"cms-visible", sign::PdfSignatureFormat::kCms, at_xy, "cms"}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    sign::PdfSignRequest r = Request(w, doc);
    r.format = c.format;
    r.placement = c.placement;
    Bytes signed_pdf = MustSign(r);
    PdfVerification v = MustVerify(signed_pdf, Options(w));
    ASSERT_EQ(v.signatures.size(), 1u);
    EXPECT_EQ(v.verdict(), Verdict::kPassed) << Failed(v.signatures[0].report) << Failed(v.document);
    EXPECT_EQ(v.signatures[0].format, c.expected_format);
    EXPECT_EQ(v.signatures[0].revision, 2u);
    EXPECT_EQ(v.signatures[0].report.ResultOf("pdf.byte_range.contents"), CheckResult::kPass);
  }
}

TEST(PdfRoundTrip, AKeywordPlacesTheSealOnEveryHitOrTheNth) {
  World w = MakeWorld();
  const Bytes doc = pdf::testing::ClassicPdf(3);
  sign::PdfSignRequest r = Request(w, doc);
  r.placement.keyword = sign::KeywordPlacement{"Party A", 0, 1, 0};
  auto all = sign::SignPdf(r);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->appearances, 3);
  r.placement.keyword = sign::KeywordPlacement{"Party A", 2, 1, 0};
  auto second = sign::SignPdf(r);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  auto d = pdf::Document::Open(second->document);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->signatures().at(0).widget_pages, std::vector<int>{2});
  r.placement.keyword = sign::KeywordPlacement{"甲方（盖章）", 0, 1, 0};
  auto missing = sign::SignPdf(r);
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("没有找到关键字"), std::string::npos) << missing.status().message();
}

TEST(PdfRoundTrip, TwoSignaturesInSequenceAndACertificationBothStayValid) {
  World w = MakeWorld();
  const Bytes doc = pdf::testing::ClassicPdf(2);
  sign::PdfSignRequest first = Request(w, doc);
  first.certify = 2;  // form filling and signatures allowed after it
  first.placement.positions = {{1, 20, 20}};
  Bytes once = MustSign(first);
  sign::PdfSignRequest second = Request(w, once);
  second.format = sign::PdfSignatureFormat::kCms;
  second.placement.positions = {{2, 20, 20}};
  Bytes twice = MustSign(second);
  PdfVerification v = MustVerify(twice, Options(w));
  ASSERT_EQ(v.signatures.size(), 2u);
  EXPECT_EQ(v.verdict(), Verdict::kPassed) << Failed(v.signatures[0].report) << Failed(v.signatures[1].report);
  const Check* c = v.signatures[0].report.Find("pdf.changes_after_signing");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->result, CheckResult::kPass);
  EXPECT_NE(c->detail.find("signature"), std::string::npos) << c->detail;
}

TEST(PdfAttack, AFlippedByteInASignedRevisionFailsTheDataHash) {
  World w = MakeWorld();
  const Bytes doc = pdf::testing::ClassicPdf(1);
  Bytes signed_pdf = MustSign(Request(w, doc));
  // A byte of the page's text (inside the first revision, covered by the ByteRange).
  std::string s(signed_pdf.begin(), signed_pdf.end());
  size_t at = s.find("Page 1");
  ASSERT_NE(at, std::string::npos);
  signed_pdf[at + 5] = '7';
  PdfVerification v = MustVerify(signed_pdf, Options(w));
  ASSERT_EQ(v.signatures.size(), 1u);
  EXPECT_EQ(v.verdict(), Verdict::kFailed);
  EXPECT_EQ(v.signatures[0].report.ResultOf("ses.signature.data_hash"), CheckResult::kFail);

  sign::PdfSignRequest cms = Request(w, doc);
  cms.format = sign::PdfSignatureFormat::kCms;
  Bytes c = MustSign(cms);
  c[std::string(c.begin(), c.end()).find("Page 1") + 5] = '7';
  PdfVerification vc = MustVerify(c, Options(w));
  EXPECT_EQ(vc.verdict(), Verdict::kFailed);
  EXPECT_EQ(vc.signatures[0].report.ResultOf("sign.data_hash"), CheckResult::kFail);
}

TEST(PdfAttack, PageContentChangedInALaterRevisionIsAChangeAfterSigning) {
  World w = MakeWorld();
  const Bytes doc = pdf::testing::ClassicPdf(2);
  Bytes signed_pdf = MustSign(Request(w, doc));
  std::string text = "BT /F1 24 Tf 72 720 Td (Page 2 pay 1,000,000 to Mallory) Tj ET";
  Bytes changed = AppendRevision(signed_pdf, {{7, "<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text +
                                                      "\nendstream"}});
  PdfVerification v = MustVerify(changed, Options(w));
  ASSERT_EQ(v.signatures.size(), 1u);
  EXPECT_EQ(v.verdict(), Verdict::kFailed);
  const Report& r = v.signatures[0].report;
  EXPECT_EQ(r.ResultOf("ses.signature.data_hash"), CheckResult::kPass) << "what it signed is intact";
  const Check* c = r.Find("pdf.changes_after_signing");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->result, CheckResult::kFail);
  EXPECT_NE(c->detail.find("revision 3"), std::string::npos) << c->detail;
  EXPECT_NE(c->detail.find("7 0"), std::string::npos) << c->detail;
}

TEST(PdfAttack, AnAnnotationAfterANoChangesCertificationFailsDocMdp) {
  World w = MakeWorld();
  const Bytes doc = pdf::testing::ClassicPdf(2);
  sign::PdfSignRequest r = Request(w, doc);
  r.certify = 1;
  Bytes certified = MustSign(r);
  Bytes annotated = AppendRevision(
      certified, {{6, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 3 0 R >> "
                      ">> /Contents 7 0 R /Annots [150 0 R] >>"},
                  {150, "<< /Type /Annot /Subtype /Text /Rect [100 100 120 120] /Contents (looks fine) >>"}});
  PdfVerification v = MustVerify(annotated, Options(w));
  ASSERT_EQ(v.signatures.size(), 1u);
  EXPECT_EQ(v.verdict(), Verdict::kFailed);
  EXPECT_EQ(v.signatures[0].report.ResultOf("pdf.docmdp"), CheckResult::kFail) << Failed(v.signatures[0].report);
  EXPECT_EQ(v.signatures[0].report.ResultOf("pdf.changes_after_signing"), CheckResult::kPass);

  // Without a certification the same annotation is a warning, not a failure.
  Bytes approval = MustSign(Request(w, doc));
  Bytes noted = AppendRevision(
      approval, {{6, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 3 0 R >> "
                     ">> /Contents 7 0 R /Annots [150 0 R] >>"},
                 {150, "<< /Type /Annot /Subtype /Text /Rect [100 100 120 120] /Contents (looks fine) >>"}});
  PdfVerification vn = MustVerify(noted, Options(w));
  EXPECT_EQ(vn.verdict(), Verdict::kPassed) << Failed(vn.signatures[0].report);
  EXPECT_EQ(vn.signatures[0].report.ResultOf("pdf.changes_after_signing.annotations"), CheckResult::kWarning);
}

TEST(PdfAttack, AnUnknownFormatIsReportedNotSkipped) {
  auto doc = pdf::Document::Open(pdf::testing::ClassicPdf(1));
  ASSERT_TRUE(doc.ok());
  pdf::SignatureSpec spec;
  spec.field_name = "Odd";
  spec.sub_filter = "adbe.pkcs7.detached";
  auto p = pdf::PrepareSignature(*doc, spec);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p->SetContents(Bytes{0x02, 0x01, 0x05}).ok());  // a DER INTEGER
  World w = MakeWorld();
  PdfVerification v = MustVerify(p->file(), Options(w));
  ASSERT_EQ(v.signatures.size(), 1u);
  EXPECT_EQ(v.verdict(), Verdict::kFailed);
  EXPECT_EQ(v.signatures[0].format, "unknown");
  EXPECT_EQ(v.signatures[0].report.ResultOf("pdf.format"), CheckResult::kFail);
}

TEST(PdfAttack, AByteRangeThatDoesNotLeaveOutExactlyTheContentsFails) {
  World w = MakeWorld();
  const Bytes doc = pdf::testing::ClassicPdf(1);
  Bytes signed_pdf = MustSign(Request(w, doc));
  std::string s(signed_pdf.begin(), signed_pdf.end());
  // Shift the gap by one byte (same width of digits): the gap no longer is the string.
  size_t br = s.find("/ByteRange [0 ");
  ASSERT_NE(br, std::string::npos);
  size_t num = br + 14;
  size_t sp = s.find(' ', num);
  long a = std::stol(s.substr(num, sp - num));
  std::string shifted = std::to_string(a - 1);
  ASSERT_EQ(shifted.size(), sp - num) << "the shifted offset must keep the ByteRange's width";
  s.replace(num, sp - num, shifted);
  PdfVerification v = MustVerify(Bytes(s.begin(), s.end()), Options(w));
  ASSERT_EQ(v.signatures.size(), 1u);
  EXPECT_EQ(v.verdict(), Verdict::kFailed);
  EXPECT_EQ(v.signatures[0].report.ResultOf("pdf.byte_range.contents"), CheckResult::kFail);
  // Stopping short of the revision's end leaves bytes of its own revision unsigned.
  std::string t(signed_pdf.begin(), signed_pdf.end());
  size_t close = t.find(']', br);
  size_t last_sp = t.rfind(' ', close - 1);
  while (t[close - 1] == ' ') --close;
  last_sp = t.rfind(' ', close - 1);
  long c = std::stol(t.substr(last_sp + 1, close - last_sp - 1));
  std::string shorter = std::to_string(c - 10);
  t.replace(last_sp + 1, close - last_sp - 1, shorter + std::string(std::to_string(c).size() - shorter.size(), ' '));
  PdfVerification v2 = MustVerify(Bytes(t.begin(), t.end()), Options(w));
  EXPECT_EQ(v2.verdict(), Verdict::kFailed);
  EXPECT_EQ(v2.signatures[0].report.ResultOf("pdf.byte_range.revision"), CheckResult::kFail);
}

TEST(PdfAttack, ACopyWithoutASignatureSaysNoSignatureCoversIt) {
  World w = MakeWorld();
  PdfVerification v = MustVerify(pdf::testing::ClassicPdf(1), Options(w));
  EXPECT_EQ(v.verdict(), Verdict::kFailed);
  EXPECT_EQ(v.document.ResultOf("pdf.signatures.present"), CheckResult::kFail);
  EXPECT_NE(v.document.Find("pdf.signatures.present")->detail.find("没有任何签名"), std::string::npos);
}

}  // namespace
}  // namespace eseal::verify
