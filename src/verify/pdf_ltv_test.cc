// Long-term evidence in a PDF (PAdES B-LT / B-LTA shapes): a signed PDF extended with a DSS
// and a document timestamp (sign/pdf_extend.h) keeps its signature PASSED, the DSS's CRLs
// decide revocation a policy without CRLs could not, and the document timestamp verifies
// as a timestamp. The attacks: a byte flipped inside the timestamped range fails the
// document timestamp (and only it, when the byte lies after the signature's range); a
// revision that adds a DSS and also changes page content is still a change after signing.
// Document timestamps made by hand (the tsp tests' independent token writer, SHA-256
// imprint, a /Type /Sig dictionary) are recognised by what /Contents holds.
#include <gtest/gtest.h>

#include <map>

#include "eseal/base/clock.h"
#include "eseal/crypto/random.h"
#include "eseal/crypto/sm3.h"
#include "eseal/pdf/document.h"
#include "eseal/pdf/signature_writer.h"
#include "eseal/sign/pdf_extend.h"
#include "eseal/sign/pdf_signer.h"
#include "eseal/tsp/authority.h"
#include "eseal/verify/pdf_verifier.h"
#include "eseal/x509/ca.h"
#include "test_pdfs.h"
#include "test_policy.h"
#include "test_token.h"

namespace eseal::verify {
namespace {

using sign::testing::MakeWorld;
using sign::testing::World;

std::string Failed(const Report& r) {
  std::string out;
  for (const Check& c : r.checks()) {
    if (c.result == CheckResult::kFail || c.result == CheckResult::kIndeterminate)
      out += "\n  " + c.id + ": " + c.detail;
  }
  return out;
}

std::string Param(const Check* c, const std::string& key) {
  if (c == nullptr) return "<no check>";
  for (const auto& [k, v] : c->params) {
    if (k == key) return v;
  }
  return "<none>";
}

// A hand-written incremental update (classic xref section), not the writers under test.
Bytes AppendRevision(const Bytes& in, const std::map<int, std::string>& objs, int size) {
  std::string s(in.begin(), in.end());
  const uint64_t prev = std::stoull(s.substr(s.rfind("startxref") + 9));
  std::map<int, size_t> at;
  for (const auto& [n, body] : objs) {
    at[n] = s.size();
    s += std::to_string(n) + " 0 obj\n" + body + "\nendobj\n";
  }
  const size_t xref = s.size();
  s += "xref\n";
  for (const auto& [n, off] : at) {
    char e[40];
    std::snprintf(e, sizeof e, "%d 1\n%010zu 00000 n\r\n", n, off);
    s += e;
  }
  s += "trailer\n<< /Size " + std::to_string(size) + " /Root 1 0 R /Prev " + std::to_string(prev) +
       " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return Bytes(s.begin(), s.end());
}

// The world of the signature, a TSA whose clock reads ten minutes after the signing, and
// current CRLs of both roots.
struct Fixture {
  World w = MakeWorld();
  tsp::testing::Pki tsa_pki = tsp::testing::MakePki();
  FixedClock clock{w.sign_time + std::chrono::minutes(10)};
  tsp::RandomSerialSource serials{crypto::SystemRng()};
  tsp::TimestampAuthority tsa =
      tsp::TimestampAuthority::Create(std::make_shared<crypto::Sm2PrivateKey>(tsa_pki.tsa_key),
                                      tsa_pki.tsa, {}, clock, serials)
          .value();
  x509::Crl root_crl = testing::EmptyCrl(w.root, w.root_key);
  x509::Crl tsa_crl =
      x509::MakeCrl(
          tsa_pki.root, tsa_pki.root_key,
          {*ParseTime("2026-11-01T00:00:00Z"), *ParseTime("2026-12-30T00:00:00Z"), {0x04}, {}})
          .value();
  Bytes doc = pdf::testing::ClassicPdf(2);

  // The relying party's policy: the world's root (signer, maker) and the TSA root; CRLs
  // only when asked (otherwise they must come from the document).
  PdfVerifyOptions Options(bool with_crls) const {
    PdfVerifyOptions o;
    o.policy = testing::WorldPolicy(w);
    o.policy.AddAnchor(tsa_pki.root, "TSA root", RolesOf(Role::kTsa));
    o.policy.crls.clear();
    if (with_crls) o.policy.crls = {root_crl, tsa_crl};
    return o;
  }

  Bytes Signed() const {
    sign::PdfSignRequest r;
    r.document = doc;
    r.seal = &w.seal;
    r.signer_cert_der = w.signer.der();
    r.signer = &w.signer_key;
    r.time = w.sign_time;
    r.placement.positions = {{1, 20, 20}};
    auto s = sign::SignPdf(r);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? s->document : Bytes{};
  }

  sign::PdfExtendRequest ExtendRequest(const Bytes& in) const {
    sign::PdfExtendRequest r;
    r.document = in;
    r.certificates = {w.root.der(), tsa_pki.root.der()};
    r.crls = {root_crl.der(), tsa_crl.der()};
    r.timestamper = sign::LocalTimestamper(tsa);
    return r;
  }

  Bytes Extended(const Bytes& in) const {
    auto e = sign::ExtendPdf(ExtendRequest(in));
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? e->document : Bytes{};
  }
};

PdfVerification MustVerify(const Bytes& pdf, const PdfVerifyOptions& o) {
  auto v = VerifyPdf(pdf, o);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *std::move(v) : PdfVerification{};
}

TEST(PdfLongTerm, ExtendedSignatureStaysValidAndTheDocumentTimestampVerifies) {
  Fixture f;
  const Bytes signed_pdf = f.Signed();
  auto extended = sign::ExtendPdf(f.ExtendRequest(signed_pdf));
  ASSERT_TRUE(extended.ok()) << extended.status().ToString();
  const Bytes& out = extended->document;
  EXPECT_TRUE(std::equal(signed_pdf.begin(), signed_pdf.end(), out.begin()))
      << "an earlier byte changed";
  EXPECT_EQ(extended->field_name, "eseal-ts-1");
  // Signer, maker (from the seal in the signature), the world's root, the TSA root.
  EXPECT_EQ(extended->certs_added, 4u);
  EXPECT_EQ(extended->crls_added, 2u);

  PdfVerification v = MustVerify(out, f.Options(true));
  ASSERT_EQ(v.signatures.size(), 2u);
  EXPECT_EQ(v.verdict(), Verdict::kPassed)
      << Failed(v.document) << Failed(v.signatures[0].report) << Failed(v.signatures[1].report);
  const PdfSignatureVerification& sig = v.signatures[0];
  EXPECT_EQ(sig.format, "ses");
  EXPECT_EQ(sig.revision, 2u);
  EXPECT_EQ(sig.report.verdict(), Verdict::kPassed);
  const Check* changes = sig.report.Find("pdf.changes_after_signing");
  ASSERT_NE(changes, nullptr);
  EXPECT_EQ(changes->result, CheckResult::kPass);
  EXPECT_NE(changes->detail.find("revision 3: dss"), std::string::npos) << changes->detail;
  EXPECT_NE(changes->detail.find("revision 4: doc_timestamp"), std::string::npos)
      << changes->detail;

  const PdfSignatureVerification& ts = v.signatures[1];
  EXPECT_EQ(ts.field, "eseal-ts-1");
  EXPECT_EQ(ts.format, "doc_timestamp");
  EXPECT_EQ(ts.revision, 4u);
  EXPECT_EQ(ts.report.verdict(), Verdict::kPassed) << Failed(ts.report);
  EXPECT_EQ(ts.report.ResultOf("pdf.doc_timestamp.tsp.imprint"), CheckResult::kPass);
  EXPECT_EQ(ts.report.ResultOf("pdf.doc_timestamp.tsp.signer.signature"), CheckResult::kPass);
  EXPECT_EQ(ts.report.ResultOf("pdf.changes_after_signing"), CheckResult::kPass);
  EXPECT_EQ(Param(ts.report.Find("pdf.doc_timestamp.time"), "gen_time"), "2026-11-23T09:40:35Z");
  EXPECT_EQ(ts.report.Find("sign.value"), nullptr) << "not judged as a CMS signature";
  EXPECT_EQ(Param(ts.report.Find("pdf.field"), "type"), "DocTimeStamp");
  EXPECT_EQ(Param(ts.report.Find("pdf.field"), "sub_filter"), "ETSI.RFC3161");

  // The DSS as the document report names it: five certificates (the TSA's own came in
  // with nothing: the DSS precedes its token), two CRLs.
  const Check* dss = v.document.Find("pdf.dss");
  ASSERT_NE(dss, nullptr);
  EXPECT_EQ(dss->result, CheckResult::kInfo);
  EXPECT_EQ(Param(dss, "certs"), "4");
  EXPECT_EQ(Param(dss, "crls"), "2");
  EXPECT_EQ(v.document.Find("pdf.dss.unreadable"), nullptr);
}

TEST(PdfLongTerm, TheDssCrlsDecideRevocationThePolicyCouldNot) {
  Fixture f;
  const Bytes signed_pdf = f.Signed();
  // No CRL in the policy, none in the document: revocation cannot be decided.
  PdfVerification before = MustVerify(signed_pdf, f.Options(false));
  ASSERT_EQ(before.signatures.size(), 1u);
  EXPECT_EQ(before.verdict(), Verdict::kIndeterminate) << Failed(before.signatures[0].report);
  EXPECT_EQ(before.signatures[0].report.ResultOf("signer.cert.revocation"),
            CheckResult::kIndeterminate)
      << Failed(before.signatures[0].report);
  EXPECT_EQ(before.document.Find("pdf.dss"), nullptr);

  PdfVerification after = MustVerify(f.Extended(signed_pdf), f.Options(false));
  ASSERT_EQ(after.signatures.size(), 2u);
  EXPECT_EQ(after.verdict(), Verdict::kPassed)
      << Failed(after.signatures[0].report) << Failed(after.signatures[1].report);
  EXPECT_EQ(after.signatures[0].report.ResultOf("signer.cert.revocation"), CheckResult::kPass);
  EXPECT_EQ(after.signatures[1].report.ResultOf("pdf.doc_timestamp.tsa.cert.revocation"),
            CheckResult::kPass)
      << Failed(after.signatures[1].report);
  EXPECT_EQ(Param(after.document.Find("pdf.dss"), "crls"), "2");
}

TEST(PdfLongTermAttack, AByteFlippedInsideTheTimestampedRangeFailsTheDocumentTimestamp) {
  Fixture f;
  const Bytes signed_pdf = f.Signed();
  // An unrelated certificate in the DSS: after the signature's range, inside the timestamp's.
  const tsp::testing::Pki other = tsp::testing::MakePki("critical", "Unrelated Root");
  sign::PdfExtendRequest r = f.ExtendRequest(signed_pdf);
  r.certificates.push_back(other.root.der());
  auto extended = sign::ExtendPdf(r);
  ASSERT_TRUE(extended.ok()) << extended.status().ToString();
  Bytes out = extended->document;
  const Bytes& der = other.root.der();
  auto at = std::search(out.begin() + static_cast<long>(signed_pdf.size()), out.end(), der.begin(),
                        der.end());
  ASSERT_NE(at, out.end());
  at[static_cast<long>(der.size()) - 1] ^= 0x01;  // the last byte of its signature
  PdfVerification v = MustVerify(out, f.Options(true));
  ASSERT_EQ(v.signatures.size(), 2u);
  EXPECT_EQ(v.verdict(), Verdict::kFailed);
  EXPECT_EQ(v.signatures[0].report.verdict(), Verdict::kPassed)
      << "its own bytes are intact" << Failed(v.signatures[0].report);
  const Report& ts = v.signatures[1].report;
  EXPECT_EQ(ts.verdict(), Verdict::kFailed);
  EXPECT_EQ(ts.ResultOf("pdf.doc_timestamp.tsp.imprint"), CheckResult::kFail) << Failed(ts);
  EXPECT_EQ(ts.ResultOf("pdf.doc_timestamp.tsp.signer.signature"), CheckResult::kPass)
      << "the token itself is sound";
  EXPECT_EQ(ts.Find("pdf.doc_timestamp.time"), nullptr) << "nothing is proven";

  // A byte of the page text (inside both ranges) fails both.
  Bytes text = extended->document;
  text[std::string(text.begin(), text.end()).find("Page 1") + 5] = '7';
  PdfVerification vt = MustVerify(text, f.Options(true));
  ASSERT_EQ(vt.signatures.size(), 2u);
  EXPECT_EQ(vt.signatures[0].report.ResultOf("ses.signature.data_hash"), CheckResult::kFail);
  EXPECT_EQ(vt.signatures[1].report.ResultOf("pdf.doc_timestamp.tsp.imprint"), CheckResult::kFail);
}

TEST(PdfLongTermAttack, ADssRevisionThatAlsoChangesPageContentIsAChangeAfterSigning) {
  Fixture f;
  const Bytes signed_pdf = f.Signed();
  // The catalog as the signature left it, plus a /DSS; and page 1's content replaced.
  std::string s(signed_pdf.begin(), signed_pdf.end());
  size_t cat = s.rfind("\n1 0 obj\n");
  ASSERT_NE(cat, std::string::npos);
  cat += 9;
  std::string catalog = s.substr(cat, s.find("\nendobj", cat) - cat);
  ASSERT_EQ(catalog.rfind(">>"), catalog.size() - 2) << catalog;
  catalog.insert(catalog.size() - 2, " /DSS << /Certs [] /CRLs [] >> ");
  const std::string text = "BT /F1 24 Tf 72 720 Td (Page 1 pay 1,000,000 to Mallory) Tj ET";
  const int size = std::stoi(s.substr(s.rfind("/Size ") + 6));
  Bytes changed = AppendRevision(
      signed_pdf,
      {{1, catalog},
       {5, "<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text + "\nendstream"}},
      size);
  PdfVerification v = MustVerify(changed, f.Options(true));
  ASSERT_EQ(v.signatures.size(), 1u);
  EXPECT_EQ(v.verdict(), Verdict::kFailed);
  const Report& r = v.signatures[0].report;
  EXPECT_EQ(r.ResultOf("ses.signature.data_hash"), CheckResult::kPass)
      << "what it signed is intact";
  const Check* c = r.Find("pdf.changes_after_signing");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->result, CheckResult::kFail);
  EXPECT_EQ(Param(c, "revision"), "3");
  EXPECT_EQ(Param(c, "objects"), "5 0") << c->detail;
  EXPECT_EQ(Param(v.document.Find("pdf.dss"), "certs"), "0");

  // The same change slipped in after a proper extension fails the signature and the
  // document timestamp alike.
  const Bytes extended = f.Extended(signed_pdf);
  std::string e(extended.begin(), extended.end());
  Bytes late = AppendRevision(
      extended,
      {{5, "<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text + "\nendstream"}},
      std::stoi(e.substr(e.rfind("/Size ") + 6)));
  PdfVerification vl = MustVerify(late, f.Options(true));
  ASSERT_EQ(vl.signatures.size(), 2u);
  EXPECT_EQ(vl.signatures[0].report.ResultOf("pdf.changes_after_signing"), CheckResult::kFail);
  EXPECT_EQ(vl.signatures[1].report.ResultOf("pdf.changes_after_signing"), CheckResult::kFail);
  EXPECT_EQ(vl.signatures[1].report.ResultOf("pdf.doc_timestamp.tsp.imprint"), CheckResult::kPass);
}

TEST(PdfLongTerm, ExtendingAgainRenewsTheProof) {
  Fixture f;
  const Bytes once = f.Extended(f.Signed());
  auto again = sign::ExtendPdf(f.ExtendRequest(once));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->field_name, "eseal-ts-2");
  EXPECT_EQ(again->certs_added, 1u) << "only the first token's TSA certificate is new";
  EXPECT_EQ(again->crls_added, 0u);
  PdfVerification v = MustVerify(again->document, f.Options(true));
  ASSERT_EQ(v.signatures.size(), 3u);
  EXPECT_EQ(v.verdict(), Verdict::kPassed)
      << Failed(v.signatures[0].report) << Failed(v.signatures[1].report)
      << Failed(v.signatures[2].report);
  EXPECT_EQ(v.signatures[2].format, "doc_timestamp");
  const Check* c = v.signatures[1].report.Find("pdf.changes_after_signing");
  ASSERT_NE(c, nullptr);
  EXPECT_NE(c->detail.find("doc_timestamp"), std::string::npos) << c->detail;
  EXPECT_EQ(Param(v.document.Find("pdf.dss"), "certs"), "5");
}

// A document timestamp made by hand: the tsp tests' token writer, over the ByteRange bytes
// that PrepareSignature reports.
Bytes HandMadeTimestamp(const Fixture& f, const Bytes& in, const std::string& type,
                        const std::string& sub_filter, const std::string& imprint_oid,
                        bool tamper = false) {
  auto doc = pdf::Document::Open(in);
  EXPECT_TRUE(doc.ok());
  pdf::SignatureSpec spec;
  spec.field_name = "ts";
  spec.type = type;
  spec.sub_filter = sub_filter;
  spec.contents_capacity = 8192;
  auto p = pdf::PrepareSignature(*doc, spec);
  EXPECT_TRUE(p.ok());
  tsp::testing::TokenSpec t;
  t.stamped = p->SignedBytes();
  t.imprint_oid = imprint_oid;
  t.gen_time = "20261123094000Z";
  t.tamper_tst_info = tamper;
  EXPECT_TRUE(p->SetContents(tsp::testing::MakeToken(t, f.tsa_pki.tsa, f.tsa_pki.tsa_key)).ok());
  return p->file();
}

TEST(PdfLongTerm, ADocumentTimestampIsKnownByWhatItHolds) {
  Fixture f;
  const Bytes signed_pdf = f.Signed();
  struct Case {
    const char* name;
    std::string type, sub_filter, imprint;
  };
  for (const Case& c : {Case{"sm3", "DocTimeStamp", "ETSI.RFC3161", "1.2.156.10197.1.401"},
                        Case{"sha256", "DocTimeStamp", "ETSI.RFC3161", "2.16.840.1.101.3.4.2.1"},
                        Case{"type-sig", "Sig", "adbe.pkcs7.detached", "1.2.156.10197.1.401"}}) {
    SCOPED_TRACE(c.name);
    PdfVerification v = MustVerify(
        HandMadeTimestamp(f, signed_pdf, c.type, c.sub_filter, c.imprint), f.Options(true));
    ASSERT_EQ(v.signatures.size(), 2u);
    EXPECT_EQ(v.signatures[1].format, "doc_timestamp");
    EXPECT_EQ(v.verdict(), Verdict::kPassed)
        << Failed(v.signatures[1].report) << Failed(v.signatures[0].report);
    EXPECT_EQ(Param(v.signatures[1].report.Find("pdf.doc_timestamp.time"), "gen_time"),
              "2026-11-23T09:40:00Z");
  }
  // A TSTInfo changed after the TSA signed it.
  PdfVerification t = MustVerify(
      HandMadeTimestamp(f, signed_pdf, "DocTimeStamp", "ETSI.RFC3161", "1.2.156.10197.1.401", true),
      f.Options(true));
  ASSERT_EQ(t.signatures.size(), 2u);
  EXPECT_EQ(t.signatures[1].report.ResultOf("pdf.doc_timestamp.tsp.signer.message_digest"),
            CheckResult::kFail);
  EXPECT_EQ(t.verdict(), Verdict::kFailed);

  // A TSA nobody trusts: undecided, not passed.
  PdfVerifyOptions no_tsa = f.Options(true);
  no_tsa.policy.anchors.erase(no_tsa.policy.anchors.end() - 1);
  PdfVerification u = MustVerify(f.Extended(signed_pdf), no_tsa);
  ASSERT_EQ(u.signatures.size(), 2u);
  EXPECT_EQ(u.signatures[1].report.verdict(), Verdict::kIndeterminate)
      << Failed(u.signatures[1].report);
  EXPECT_EQ(u.signatures[1].report.ResultOf("pdf.doc_timestamp.tsp.imprint"), CheckResult::kPass);

  // /Type /DocTimeStamp with something else inside: a failed timestamp, not a CMS signature.
  auto doc = pdf::Document::Open(signed_pdf);
  ASSERT_TRUE(doc.ok());
  pdf::SignatureSpec spec;
  spec.field_name = "junk";
  spec.type = "DocTimeStamp";
  spec.sub_filter = "ETSI.RFC3161";
  auto p = pdf::PrepareSignature(*doc, spec);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p->SetContents(Bytes{0x02, 0x01, 0x05}).ok());
  PdfVerification j = MustVerify(p->file(), f.Options(true));
  ASSERT_EQ(j.signatures.size(), 2u);
  EXPECT_EQ(j.signatures[1].format, "doc_timestamp");
  EXPECT_EQ(j.signatures[1].report.ResultOf("pdf.doc_timestamp.tsp.token.structure"),
            CheckResult::kFail);
}

TEST(PdfLongTerm, ExtendRefusesWhatItCannotDo) {
  Fixture f;
  const Bytes signed_pdf = f.Signed();
  sign::PdfExtendRequest bad = f.ExtendRequest(signed_pdf);
  bad.certificates.push_back(Bytes{0x30, 0x03, 0x02, 0x01, 0x01});
  EXPECT_EQ(sign::ExtendPdf(bad).status().code(), StatusCode::kInvalidArgument);
  bad = f.ExtendRequest(signed_pdf);
  bad.crls.push_back(f.w.root.der());  // a certificate is not a CRL
  EXPECT_EQ(sign::ExtendPdf(bad).status().code(), StatusCode::kInvalidArgument);

  // Nothing new and no TSA: nothing to do.
  sign::PdfExtendRequest dss_only = f.ExtendRequest(signed_pdf);
  dss_only.timestamper = nullptr;
  auto lt = sign::ExtendPdf(dss_only);
  ASSERT_TRUE(lt.ok()) << lt.status().ToString();
  EXPECT_TRUE(lt->field_name.empty());
  dss_only.document = lt->document;
  EXPECT_EQ(sign::ExtendPdf(dss_only).status().code(), StatusCode::kFailedPrecondition);

  // A TSA answering with a token over other bytes: nothing is written.
  sign::PdfExtendRequest wrong = f.ExtendRequest(signed_pdf);
  wrong.timestamper = [&f](ByteView) -> Result<Bytes> {
    return f.tsa.Stamp(crypto::Sm3Bytes(AsBytes("something else")), asn1::oids::Sm3());
  };
  EXPECT_EQ(sign::ExtendPdf(wrong).status().code(), StatusCode::kDataLoss);

  // A certification that allows no changes allows no document timestamp either.
  sign::PdfSignRequest r;
  r.document = f.doc;
  r.seal = &f.w.seal;
  r.signer_cert_der = f.w.signer.der();
  r.signer = &f.w.signer_key;
  r.time = f.w.sign_time;
  r.certify = 1;
  auto certified = sign::SignPdf(r);
  ASSERT_TRUE(certified.ok());
  EXPECT_EQ(sign::ExtendPdf(f.ExtendRequest(certified->document)).status().code(),
            StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace eseal::verify
