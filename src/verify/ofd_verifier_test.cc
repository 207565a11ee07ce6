// Golden tests: every OFD of shared/testdata/ofdrw/signed judged as EXPECTED.tsv says.
//
// How EXPECTED.tsv's words map onto our verdicts (the issue, and docs/ofd-signing.md):
//  - VALID: ofdrw's checks (reference digests, dataHash, Seal.esl match, SM2 values) pass,
//    so ours must too. What is left are the checks ofdrw does not make:
//      * ofdrw's test certificates and seals expired (2022) before most generated
//        documents were signed (2026): those FAIL exactly on the validity checks
//        (signer certificate at the signing time, seal period, maker at creation);
//      * documents signed inside their certificates' validity are INDETERMINATE with no
//        anchor, and PASSED once their root is an anchor: ofdrw's ROOT (with the named
//        test-root tolerance) for ofdrw's own files; for vendors, whose roots we do not
//        have, their maker and signer certificates registered as anchors.
//  - VALID_WITH_CERT: the bare SM2 value verifies with the certificate the row names, and
//    the report names that certificate; with another certificate it FAILS on sign.value.
//  - INVALID: FAILED on the check the note names (FileIntegrity -> ofd.reference.digest
//    of that file), and n.ofd for its stated reason (digests and dataHash do not match).
#include "eseal/verify/ofd_verifier.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "eseal/base/file.h"
#include "eseal/ofd/package.h"
#include "eseal/ofd/reader.h"
#include "eseal/ses/signature.h"
#include "eseal/verify/report_json.h"
#include "eseal/x509/signed_data.h"
#include "test_world.h"

namespace eseal::verify {
namespace {

using sign::testing::MustRead;
using sign::testing::Shared;

std::string Ofdrw(const std::string& rel) { return Shared("ofdrw/" + rel); }

x509::Certificate CertPem(const std::string& rel) {
  auto text = ReadTextFile(Ofdrw(rel));
  EXPECT_TRUE(text.ok());
  return x509::Certificate::FromPem(text.value_or("")).value();
}

// Failed checks as "id" or "id:file".
std::set<std::string> Failed(const Report& r) {
  std::set<std::string> out;
  for (const Check& c : r.checks()) {
    if (c.result != CheckResult::kFail) continue;
    std::string id = c.id;
    for (const auto& [k, v] : c.params) {
      if (k == "file") id += ":" + v;
    }
    out.insert(id);
  }
  return out;
}

std::string Dump(const OfdVerification& v) { return OfdVerificationToText(v, false); }

// The tests' "now": after every golden was signed.
const Time kNow = *ParseTime("2026-12-01T00:00:00Z");

// Options with no anchors, judged at kNow.
OfdVerifyOptions Now() {
  OfdVerifyOptions o;
  o.policy.time.now = kNow;
  return o;
}

// The vendor's own certificates (seal maker and signer of every signature), each registered
// for its role, when we do not have the vendor's root. Registered leaves end their chains
// at once, so no CRL applies.
ValidationPolicy SelfAnchors(ByteView doc) {
  ValidationPolicy t;
  t.time.now = kNow;
  auto pkg = ofd::Package::Open(Bytes(doc.begin(), doc.end()));
  if (!pkg.ok()) return t;
  for (const std::string& p : pkg->FilePaths()) {
    if (!p.ends_with("Value.dat")) continue;
    Bytes value = pkg->Read(p).value();
    std::vector<std::pair<Bytes, Role>> certs;
    if (auto s = ses::ParseSignature(value); s.ok()) {
      certs = {{s->tbs.seal.maker_cert, Role::kSealMaker}, {ses::SignerCertificate(*s), Role::kSigner}};
    } else if (auto sd = x509::ParseSignedData(value); sd.ok()) {
      for (const Bytes& c : sd->certificates) certs.emplace_back(c, Role::kSigner);
    }
    for (const auto& [der, role] : certs) {
      auto c = x509::Certificate::FromDer(der);
      if (c.ok()) t.AddAnchor(*c, "vendor certificate", RolesOf(role));
    }
  }
  return t;
}

// ofdrw's PKI by role: its root for signers, the SealBuilder certificate as the registered
// maker. ofdrw publishes no CRL: revocation off, by name.
ValidationPolicy OfdrwRoot() {
  ValidationPolicy t;
  t.AddAnchor(CertPem("keys/root_cert.pem"), "ofdrw test root", RolesOf(Role::kSigner));
  t.AddAnchor(CertPem("keys/sealer_cert.pem"), "ofdrw SealBuilder", RolesOf(Role::kSealMaker));
  t.tolerances.ca_without_key_cert_sign = true;
  t.check_revocation = false;
  t.time.now = kNow;
  return t;
}

// The first signature's claimed signing time, as its report gives it.
std::optional<Time> Claimed(const OfdVerification& v) {
  for (const SignatureVerification& s : v.signatures) {
    if (const Check* c = s.report.Find("time.validation")) {
      for (const auto& [k, val] : c->params) {
        if (k == "claimed") return ParseTime(val).value();
      }
    }
  }
  return std::nullopt;
}

enum class Anchors { kOfdrwRoot, kVendorSelf };

struct Golden {
  std::string file;             // under signed/
  std::string ofdrw_verdict;    // EXPECTED.tsv
  Anchors anchors;
  Verdict without_anchor;       // verdict with no trust anchor given
  Verdict with_anchor;          // verdict with the anchors given
  // Per signature (in Signatures.xml order): the failed checks with the anchors given.
  std::vector<std::set<std::string>> failed;
};

// Signed after the keys expired: the signer's own claim admits it (FAILED); the expiries
// themselves, judged at an unproven time, are INDETERMINATE.
const std::set<std::string> kExpiredSes = {"ses.signature.signer_cert.valid_at_signing_time",
                                           "ses.seal.valid_at_signing_time"};
const std::set<std::string> kExpiredSign = {"sign.signer_cert.valid_at_signing_time"};

std::set<std::string> Plus(std::set<std::string> a, const std::set<std::string>& b) {
  a.insert(b.begin(), b.end());
  return a;
}

std::vector<Golden> Goldens() {
  const Verdict P = Verdict::kPassed, F = Verdict::kFailed, I = Verdict::kIndeterminate;
  const Anchors R = Anchors::kOfdrwRoot, V = Anchors::kVendorSelf;
  const std::string g = "generated-with-ofdrw/", o = "ofdrw-repo-ofdrw-signed/",
                    v = "ofdrw-repo-vendor/";
  const std::set<std::string> none;
  return {
      // ofdrw's own signers on its expired test keys, 2026-11-23.
      {g + "v4-seal-continue.ofd", "VALID", R, F, F, {kExpiredSes}},
      {g + "v4-seal-whole.ofd", "VALID", R, F, F, {kExpiredSes}},
      {g + "v4-seal-twice.ofd", "VALID", R, F, F, {kExpiredSes, kExpiredSes}},
      {g + "v4-seal-riding.ofd", "VALID", R, F, F, {kExpiredSes}},
      {g + "v1-seal.ofd", "VALID", R, F, F, {kExpiredSes}},
      // UserV5.esl was made in 2026 by the maker certificate that expired in 2022; its
      // period (2026-2028) covers the signing time.
      {g + "v5-seal.ofd", "VALID", R, F, F,
       {{"ses.signature.signer_cert.valid_at_signing_time",
         "ses.seal.maker_cert.valid_at_creation"}}},
      {g + "sign-gbt35275.ofd", "VALID", R, F, F, {kExpiredSign}},
      {g + "sign-gbt35275-pkcs9.ofd", "VALID", R, F, F, {kExpiredSign}},
      {g + "tampered-v4-content.ofd", "INVALID", R, F, F,
       {Plus(kExpiredSes, {"ofd.reference.digest:/Doc_0/Pages/Page_0/Content.xml"})}},
      {g + "tampered-v4-signature-xml.ofd", "INVALID", R, F, F,
       {Plus(kExpiredSes, {"ses.signature.data_hash"})}},
      {g + "tampered-v4-signedvalue.ofd", "INVALID", R, F, F,
       {Plus(kExpiredSes, {"ses.signature.value"})}},
      {g + "tampered-v4-seal-esl.ofd", "INVALID", R, F, F,
       {Plus(kExpiredSes, {"ofd.reference.digest:/Doc_0/Signs/Sign_0/Seal.esl",
                           "ofd.seal.matches_signed_value:/Doc_0/Signs/Sign_0/Seal.esl"})}},
      // From ofdrw's repository, signed while the test keys were valid (except SESV4SignDoc).
      {o + "allprotected.ofd", "VALID", R, I, P, {none}},
      {o + "V4RideRight.ofd", "VALID", R, I, P, {none}},
      {o + "SESV4SignDoc.ofd", "VALID", R, F, F, {kExpiredSes}},
      {o + "h.ofd", "INVALID", R, F, F,
       {{"ofd.reference.digest:/Doc_0/Signs/Signatures.xml"}, none}},
      // Vendors: signed inside their validity; no roots of theirs, so their own certificates.
      {v + "v4signed.ofd", "VALID", V, I, P, {none}},
      {v + "signedFile.ofd", "VALID", V, I, P, {none}},
      {v + "1.ofd", "VALID", V, I, P, {none}},
      // GOMAIN leaves its template pages out: what the reader shows is not all covered
      // (docs/verification.md "Coverage").
      {v + "draw_param_ref.ofd", "VALID", V, I, I, {none}},
      {v + "999.ofd", "VALID", V, I, P, {none}},
      {v + "不规范资源路径.ofd", "VALID", V, I, P, {none}},
      {v + "SignScaleError.ofd", "VALID", V, I, P, {none}},
      // The first signature leaves Annots/Annotations.xml out (only the second protects
      // it): INDETERMINATE, since coverage follows what the reader renders.
      {v + "testPathClip.ofd", "VALID", V, I, I, {none, none}},
      {v + "testImageOverridePage.ofd", "VALID", V, I, I, {none, none}},
      {v + "testImageNotFound.ofd", "VALID", V, I, I, {none, none}},
      {v + "zsbk.ofd", "INVALID", V, F, F,
       {{"ofd.reference.digest:/Doc_0/Pages/Page_0/Content.xml",
         "ofd.reference.digest:/Doc_0/Pages/Page_1/Content.xml"},
        {"ofd.reference.digest:/Doc_0/Pages/Page_0/Content.xml",
         "ofd.reference.digest:/Doc_0/Pages/Page_1/Content.xml"}}},
      {v + "发票示例.ofd", "INVALID", V, F, F, {{"ofd.reference.digest:/Doc_0/Document.xml"}}},
      // Files changed after signing; the resource files the changed Document.xml names
      // are uncovered (INDETERMINATE), and the font only they name also smuggled.
      {v + "keyword.ofd", "INVALID", V, F, F,
       {{"ofd.reference.digest:/OFD.xml", "ofd.reference.digest:/Doc_0/Document.xml",
         "ofd.reference.digest:/Doc_0/Pages/Page_0/Content.xml",
         "ofd.reference.smuggled:/Doc_0/Res/Font7.ttf"},
        {"ofd.reference.digest:/OFD.xml", "ofd.reference.digest:/Doc_0/Document.xml",
         "ofd.reference.digest:/Doc_0/Pages/Page_0/Content.xml",
         "ofd.reference.smuggled:/Doc_0/Res/Font7.ttf"}}},
  };
}

OfdVerification MustVerify(ByteView doc, const OfdVerifyOptions& o) {
  auto v = VerifyOfd(doc, o);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *std::move(v) : OfdVerification{};
}

TEST(OfdGolden, EveryOfdRowOfExpectedTsvIsCovered) {
  std::ifstream tsv(Ofdrw("EXPECTED.tsv"));
  ASSERT_TRUE(tsv.good());
  std::string line;
  std::getline(tsv, line);  // header
  std::map<std::string, std::string> rows;
  while (std::getline(tsv, line)) {
    std::istringstream fields(line);
    std::string path, kind, verdict;
    std::getline(fields, path, '\t');
    std::getline(fields, kind, '\t');
    std::getline(fields, verdict, '\t');
    if (kind == "ofd") rows[path] = verdict;
  }
  std::set<std::string> covered;
  for (const Golden& g : Goldens()) {
    std::string key = "signed/" + g.file;
    ASSERT_TRUE(rows.count(key)) << key << " is not in EXPECTED.tsv";
    EXPECT_EQ(rows[key], g.ofdrw_verdict) << key;
    covered.insert(key);
  }
  covered.insert("signed/ofdrw-repo-ofdrw-signed/DigitalSign.ofd");  // tests below
  covered.insert("signed/generated-with-ofdrw/sign-raw-sm2.ofd");
  covered.insert("signed/ofdrw-repo-vendor/n.ofd");
  for (const auto& [path, verdict] : rows) EXPECT_TRUE(covered.count(path)) << path << " untested";
  // And every OFD on disk is a row.
  size_t on_disk = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(Ofdrw("signed"))) {
    if (e.path().extension() == ".ofd") ++on_disk;
  }
  EXPECT_EQ(on_disk, rows.size());
}

TEST(OfdGolden, VerdictsAndFailedChecks) {
  for (const Golden& g : Goldens()) {
    SCOPED_TRACE(g.file);
    Bytes doc = MustRead(Ofdrw("signed/" + g.file));
    OfdVerification bare = MustVerify(doc, Now());
    EXPECT_EQ(bare.verdict(), g.without_anchor) << Dump(bare);
    OfdVerifyOptions o;
    o.policy = g.anchors == Anchors::kOfdrwRoot ? OfdrwRoot() : SelfAnchors(doc);
    // Judged now: every certificate here has expired since, and no timestamp proves the
    // signatures older, so nothing is PASSED.
    OfdVerification now = MustVerify(doc, o);
    EXPECT_NE(now.verdict(), Verdict::kPassed) << Dump(now);
    if (g.with_anchor == Verdict::kPassed) {
      EXPECT_EQ(now.verdict(), Verdict::kIndeterminate) << Dump(now);
    }
    // Asked as of the claimed signing time (--at): the verdict then.
    o.policy.time.at = Claimed(now);
    ASSERT_TRUE(o.policy.time.at.has_value()) << Dump(now);
    OfdVerification v = MustVerify(doc, o);
    EXPECT_EQ(v.verdict(), g.with_anchor) << Dump(v);
    EXPECT_EQ(v.document.verdict(), Verdict::kPassed) << Dump(v);
    ASSERT_EQ(v.signatures.size(), g.failed.size()) << Dump(v);
    for (size_t i = 0; i < g.failed.size(); ++i) {
      EXPECT_EQ(Failed(v.signatures[i].report), g.failed[i]) << "signature " << i << "\n" << Dump(v);
    }
    // ofdrw's checks hold on every VALID row: digests, dataHash, seal match, SM2 values.
    if (g.ofdrw_verdict == "VALID") {
      for (const SignatureVerification& s : v.signatures) {
        for (const Check& c : s.report.checks()) {
          if (c.id == "ofd.reference.digest" || c.id == "ses.signature.data_hash" ||
              c.id == "ses.signature.value" || c.id == "ofd.seal.matches_signed_value" ||
              c.id == "sign.value" || c.id == "sign.data_hash" || c.id == "ses.seal.maker_signature") {
            EXPECT_EQ(c.result, CheckResult::kPass) << c.id << " " << c.detail;
          }
        }
        EXPECT_TRUE(s.report.Find("ses.signature.value") || s.report.Find("sign.value")) << s.id;
      }
    }
  }
}

// VALID_WITH_CERT: a bare SM2 value names no signer; the verifier is given certificates.
TEST(OfdGolden, BareSm2ValuesNeedTheCertificateTheRowNames) {
  const x509::Certificate user = CertPem("keys/user_cert.pem");
  const x509::Certificate other = CertPem("keys/sign_cert.pem");
  for (const char* f : {"ofdrw-repo-ofdrw-signed/DigitalSign.ofd", "generated-with-ofdrw/sign-raw-sm2.ofd"}) {
    SCOPED_TRACE(f);
    Bytes doc = MustRead(Ofdrw(std::string("signed/") + f));
    OfdVerification none = MustVerify(doc, Now());
    EXPECT_EQ(none.verdict(), Verdict::kIndeterminate) << Dump(none);
    EXPECT_EQ(none.signatures.at(0).report.ResultOf("sign.signer_cert"), CheckResult::kIndeterminate);

    OfdVerifyOptions wrong = Now();
    wrong.policy.sign_certs = {other};
    OfdVerification w = MustVerify(doc, wrong);
    EXPECT_EQ(Failed(w.signatures.at(0).report), std::set<std::string>{"sign.value"}) << Dump(w);

    OfdVerifyOptions right;
    right.policy = OfdrwRoot();
    right.policy.sign_certs = {other, user};
    OfdVerification r = MustVerify(doc, right);
    const Report& rep = r.signatures.at(0).report;
    ASSERT_EQ(rep.ResultOf("sign.value"), CheckResult::kPass) << Dump(r);
    bool named = false;
    for (const auto& [k, val] : rep.Find("sign.value")->params) named |= k == "serial" && val == "01719D2DAB60";
    EXPECT_TRUE(named) << "the report names the certificate whose key signed";
    // DigitalSign.ofd was signed in 2020, inside the USER certificate's validity: PASSED
    // with ofdrw's root; sign-raw-sm2.ofd in 2026, after it expired.
    if (std::string(f).find("DigitalSign") != std::string::npos) {
      EXPECT_EQ(r.verdict(), Verdict::kIndeterminate) << Dump(r);  // expired since
      right.policy.time.at = Claimed(r);
      OfdVerification then = MustVerify(doc, right);
      EXPECT_EQ(then.verdict(), Verdict::kPassed) << Dump(then);
    } else {
      EXPECT_EQ(Failed(rep), kExpiredSign) << Dump(r);
    }
  }
}

// n.ofd (iOFD, v1): neither the CheckValues nor dataHash match SM3 of the stored files.
TEST(OfdGolden, IofdFailsForItsStatedReason) {
  Bytes doc = MustRead(Ofdrw("signed/ofdrw-repo-vendor/n.ofd"));
  OfdVerification v = MustVerify(doc, Now());
  ASSERT_EQ(v.signatures.size(), 1u);
  const Report& r = v.signatures[0].report;
  EXPECT_EQ(v.verdict(), Verdict::kFailed);
  EXPECT_EQ(r.ResultOf("ses.signature.data_hash"), CheckResult::kFail);
  EXPECT_TRUE(r.Has("ofd.reference.digest", CheckResult::kFail));
  // Its variations are accepted as named tolerances, not failures.
  EXPECT_EQ(r.ResultOf("ofd.reference.check_method"), CheckResult::kWarning);
  EXPECT_EQ(r.ResultOf("ofd.tolerance.provider_child_elements"), CheckResult::kWarning);
  EXPECT_EQ(r.ResultOf("ses.seal.maker_signature"), CheckResult::kPass);  // v1 maker rule
}

// The named tolerances the issue lists, each on the vendor file that needs it.
TEST(OfdGolden, NamedTolerancesAreReported) {
  struct T {
    std::string file, check, tolerance;
  };
  for (const T& t : std::vector<T>{
           {"ofdrw-repo-vendor/不规范资源路径.ofd", "ofd.tolerance.signed_value_name", "signed_value_name"},
           {"ofdrw-repo-vendor/999.ofd", "ofd.tolerance.relative_base_loc", "relative_base_loc"},
           {"ofdrw-repo-vendor/v4signed.ofd", "ofd.tolerance.picture_type_ofd", "picture_type_ofd"},
           {"ofdrw-repo-vendor/SignScaleError.ofd", "ofd.tolerance.picture_type_ofd", "picture_type_ofd"},
           {"ofdrw-repo-vendor/keyword.ofd", "ses.signature.value.raw_rs", ""},
           {"ofdrw-repo-vendor/n.ofd", "ofd.tolerance.provider_child_elements", "provider_child_elements"},
           {"ofdrw-repo-vendor/999.ofd", "ofd.reference.unprotected", "ofd_xml_unprotected"},
           {"ofdrw-repo-vendor/signedFile.ofd", "ses.seal.maker_cert.valid_at_creation",
            "maker_cert_after_seal_creation"},
       }) {
    SCOPED_TRACE(t.file);
    OfdVerification v = MustVerify(MustRead(Ofdrw("signed/" + t.file)), Now());
    const Check* c = v.signatures.at(0).report.Find(t.check);
    ASSERT_NE(c, nullptr) << Dump(v);
    EXPECT_EQ(c->result, CheckResult::kWarning);
    if (!t.tolerance.empty()) {
      bool found = false;
      for (const auto& [k, val] : c->params) found |= k == "tolerance" && val == t.tolerance;
      EXPECT_TRUE(found) << c->detail;
    }
  }
  // keyword.ofd's Type="Sign" value: raw r||s inside SignedData.
  OfdVerification kw = MustVerify(MustRead(Ofdrw("signed/ofdrw-repo-vendor/keyword.ofd")), Now());
  EXPECT_EQ(kw.signatures.at(1).report.ResultOf("sign.value"), CheckResult::kPass);
  EXPECT_EQ(kw.signatures.at(1).report.ResultOf("sign.value.raw_rs"), CheckResult::kWarning);
  // CheckMethod as the name "SM3" (ofdrw) and as the OID (vendors) both pass.
  OfdVerification a = MustVerify(MustRead(Ofdrw("signed/generated-with-ofdrw/v4-seal-continue.ofd")), Now());
  OfdVerification b = MustVerify(MustRead(Ofdrw("signed/ofdrw-repo-vendor/v4signed.ofd")), Now());
  EXPECT_EQ(a.signatures[0].report.ResultOf("ofd.reference.check_method"), CheckResult::kPass);
  EXPECT_EQ(b.signatures[0].report.ResultOf("ofd.reference.check_method"), CheckResult::kPass);
  // Template pages GOMAIN leaves unprotected are shown but not covered: INDETERMINATE, and
  // no tolerance makes them PASSED.
  OfdVerification d = MustVerify(MustRead(Ofdrw("signed/ofdrw-repo-vendor/draw_param_ref.ofd")), Now());
  EXPECT_TRUE(d.signatures[0].report.Has("ofd.coverage.uncovered", CheckResult::kIndeterminate));
  EXPECT_FALSE(d.signatures[0].report.Has("ofd.reference.unprotected", CheckResult::kWarning));
}

TEST(OfdGolden, JsonAndTextShapes) {
  OfdVerification v = MustVerify(MustRead(Ofdrw("signed/ofdrw-repo-ofdrw-signed/h.ofd")), Now());
  std::string j = OfdVerificationToJson(v, -1);
  EXPECT_EQ(j.rfind("{\"verdict\":\"FAILED\",\"summary\":{\"zh\":\"验证失败（FAILED）：第 1 个签章（ID s001），受保护的文件在签章后被修改", 0), 0u) << j.substr(0, 300);
  EXPECT_NE(j.find("\"checks\":["), std::string::npos);
  EXPECT_NE(j.find("\"signatures\":[{\"id\":\"s001\",\"type\":\"Seal\",\"path\":\"/Doc_0/Signs/Sign_0/Signature.xml\",\"verdict\":\"FAILED\""), std::string::npos);
  EXPECT_NE(j.find("{\"id\":\"s007\""), std::string::npos);
  std::string t = OfdVerificationToText(v);
  EXPECT_NE(t.find("signature s001 (Type Seal, /Doc_0/Signs/Sign_0/Signature.xml):"), std::string::npos) << t;
  EXPECT_NE(t.find("FAIL   ofd.reference.digest"), std::string::npos) << t;
  EXPECT_NE(t.find("overall verdict: FAILED"), std::string::npos);
}

TEST(OfdGolden, NotAnOfdIsAnErrorAndUnsignedIsAFailure) {
  EXPECT_FALSE(VerifyOfd(ToBytes("not a zip"), Now()).ok());
  OfdVerification u = MustVerify(MustRead(Ofdrw("unsigned/helloworld.ofd")), Now());
  EXPECT_EQ(u.verdict(), Verdict::kFailed);
  EXPECT_EQ(u.document.ResultOf("ofd.signatures.present"), CheckResult::kFail);
  EXPECT_TRUE(u.signatures.empty());
}

}  // namespace
}  // namespace eseal::verify
