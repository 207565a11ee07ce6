// Golden verification of real seals and signatures (../shared/testdata/ofdrw, EXPECTED.tsv):
// maker signatures of UserV1/V4/V5 and of the vendor seals verify, HebeiGede's does not;
// every SES value's signature verifies against its own data. ofdrw's test PKI is trusted as
// its roles say: the root for signers, the SealBuilder certificate as the registered maker.
#include "eseal/verify/ses_verify.h"

#include <gtest/gtest.h>

#include "eseal/base/file.h"
#include "eseal/crypto/sm3.h"

namespace eseal::verify {

using ses::ParseSeal;
using ses::ParseSignature;
namespace {

const std::string kData = std::string(ESEAL_SHARED_TESTDATA) + "/ofdrw/";

Bytes Load(const std::string& rel) {
  auto b = ReadFile(kData + rel);
  EXPECT_TRUE(b.ok()) << rel;
  return b.ok() ? *b : Bytes{};
}

std::string Param(const Check* c, const std::string& key) {
  if (c == nullptr) return "<no check>";
  for (const auto& [k, v] : c->params) {
    if (k == key) return v;
  }
  return "<no param>";
}

std::string Dump(const Report& r) {
  std::string s;
  for (const Check& c : r.checks()) {
    s += "  " + c.id + " = " + std::string(CheckResultName(c.result)) + "  " + c.detail + "\n";
  }
  return s;
}

Time At(const char* s) { return *ParseTime(s); }

// ofdrw publishes no CRL, so revocation is off, by name. "Now" is fixed.
ValidationPolicy OfdrwRoot() {
  ValidationPolicy p;
  auto root = x509::Certificate::FromPem(ToString(Load("keys/root_cert.pem")));
  auto maker = x509::Certificate::FromPem(ToString(Load("keys/sealer_cert.pem")));
  EXPECT_TRUE(root.ok() && maker.ok());
  p.AddAnchor(*root, "ofdrw test root", RolesOf(Role::kSigner));
  p.AddAnchor(*maker, "ofdrw SealBuilder", RolesOf(Role::kSealMaker));
  p.tolerances.ca_without_key_cert_sign = true;
  p.check_revocation = false;
  p.time.now = At("2026-12-01T00:00:00Z");
  return p;
}

TEST(SealVerifyGoldenTest, OfdrwTestSealsVerifyWhileValid) {
  for (const char* f : {"seals/UserV1.esl", "seals/UserV4.esl"}) {
    auto seal = ParseSeal(Load(f));
    ASSERT_TRUE(seal.ok()) << f;
    Report r = VerifySeal(*seal, At("2021-06-01T00:00:00Z"), OfdrwRoot());
    EXPECT_EQ(r.verdict(), Verdict::kPassed) << f << "\n" << Dump(r);
    EXPECT_EQ(r.ResultOf("ses.seal.maker_signature"), CheckResult::kPass) << f;
    EXPECT_EQ(r.ResultOf("maker.cert.chain.anchor"), CheckResult::kPass) << f;
    EXPECT_EQ(r.ResultOf("maker.role"), CheckResult::kPass) << f;
  }
}

// The root vouches for signers only: the same maker certificate through it is no maker.
TEST(SealVerifyGoldenTest, MakerThroughASignerOnlyAnchorIsNotTrusted) {
  auto seal = ParseSeal(Load("seals/UserV4.esl"));
  ASSERT_TRUE(seal.ok());
  ValidationPolicy p = OfdrwRoot();
  p.anchors.pop_back();  // the registered maker certificate
  Report r = VerifySeal(*seal, At("2021-06-01T00:00:00Z"), p);
  EXPECT_EQ(r.verdict(), Verdict::kIndeterminate) << Dump(r);
  EXPECT_EQ(r.ResultOf("maker.role"), CheckResult::kIndeterminate) << Dump(r);
  EXPECT_EQ(r.ResultOf("maker.cert.chain.anchor"), CheckResult::kIndeterminate);
}

// ofdrw made its v5 test seal in 2026 with the 2020-2022 maker certificate: the maker
// signature verifies, but the certificate had expired when the seal was made.
TEST(SealVerifyGoldenTest, OfdrwV5SealWasMadeWithAnExpiredMakerCertificate) {
  auto seal = ParseSeal(Load("seals/UserV5.esl"));
  ASSERT_TRUE(seal.ok());
  Report r = VerifySeal(*seal, At("2027-01-01T00:00:00Z"), OfdrwRoot());
  EXPECT_EQ(r.ResultOf("ses.seal.maker_signature"), CheckResult::kPass);
  std::vector<std::string> f = r.FailedIds();
  std::sort(f.begin(), f.end());
  EXPECT_EQ(f, (std::vector<std::string>{"maker.cert.validity",
                                         "ses.seal.maker_cert.valid_at_creation"}))
      << Dump(r);
}

TEST(SealVerifyGoldenTest, ExpiredSealFailsByNameOnly) {
  auto seal = ParseSeal(Load("seals/UserV4.esl"));
  ASSERT_TRUE(seal.ok());
  Report r = VerifySeal(*seal, At("2026-11-23T00:00:00Z"), OfdrwRoot());
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
  std::vector<std::string> f = r.FailedIds();
  std::sort(f.begin(), f.end());
  EXPECT_EQ(f, (std::vector<std::string>{"maker.cert.validity", "ses.seal.valid_at_time"}))
      << Dump(r);
}

// HebeiGede's seal marks one of its vendor extDatas critical: eseal cannot process it.
TEST(SealVerifyGoldenTest, CriticalExtDataIsIndeterminate) {
  auto seal = ParseSeal(Load("seals/SESealData.DER"));
  ASSERT_TRUE(seal.ok());
  Report r = VerifySeal(*seal, At("2021-01-01T00:00:00Z"), ValidationPolicy{});
  EXPECT_TRUE(r.Has("ses.seal.ext_data.critical", CheckResult::kIndeterminate)) << Dump(r);
}

TEST(SealVerifyGoldenTest, NoAnchorIsIndeterminate) {
  auto seal = ParseSeal(Load("seals/UserV4.esl"));
  ASSERT_TRUE(seal.ok());
  Report r = VerifySeal(*seal, At("2021-06-01T00:00:00Z"), ValidationPolicy{});
  EXPECT_EQ(r.verdict(), Verdict::kIndeterminate) << Dump(r);
  EXPECT_TRUE(r.Has("maker.cert.chain.anchor", CheckResult::kIndeterminate));
}

TEST(SealVerifyGoldenTest, HebeiGedeMakerSignatureFailsWithoutCrashing) {
  auto seal = ParseSeal(Load("seals/SESealData.DER"));
  ASSERT_TRUE(seal.ok());
  Report r = VerifySeal(*seal, At("2021-01-01T00:00:00Z"), ValidationPolicy{});
  EXPECT_EQ(r.ResultOf("ses.seal.maker_signature"), CheckResult::kFail) << Dump(r);
  EXPECT_EQ(r.ResultOf("ses.seal.encoding"), CheckResult::kPass);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

struct SesCase {
  const char* dir;
  const char* value;
  bool data_matches;  // dataHash == SM3(Signature.xml beside it)
  bool raw_rs;
};

class SignatureVerifyGoldenTest : public ::testing::TestWithParam<SesCase> {};

TEST_P(SignatureVerifyGoldenTest, SignatureAndMakerSignatureVerify) {
  const SesCase& c = GetParam();
  auto sig = ParseSignature(Load(std::string(c.dir) + c.value));
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  Bytes xml = Load(std::string(c.dir) + "Signature.xml");
  Report r = VerifySesSignature(*sig, crypto::Sm3Bytes(xml), ValidationPolicy{});
  SCOPED_TRACE(Dump(r));
  EXPECT_EQ(r.ResultOf("ses.signature.value"), CheckResult::kPass);
  EXPECT_EQ(r.ResultOf("ses.seal.maker_signature"), CheckResult::kPass);
  EXPECT_EQ(r.ResultOf("ses.signature.data_hash"),
            c.data_matches ? CheckResult::kPass : CheckResult::kFail);
  EXPECT_EQ(r.Has("ses.signature.value.raw_rs", CheckResult::kWarning), c.raw_rs);
  EXPECT_EQ(r.ResultOf("ses.signature.encoding"), CheckResult::kPass);
  EXPECT_EQ(r.ResultOf("ses.seal.encoding"), CheckResult::kPass);
  EXPECT_EQ(r.ResultOf("ses.signature.signer_in_seal"), CheckResult::kPass);
}

INSTANTIATE_TEST_SUITE_P(
    Values, SignatureVerifyGoldenTest,
    ::testing::Values(SesCase{"extracted/gomain-v4-invoice/", "SignedValue.dat", true, false},
                      SesCase{"extracted/antchain-v4/", "SignedValue.dat", true, false},
                      SesCase{"extracted/dianju-v4/", "SignValue.dat", true, false},
                      SesCase{"extracted/oesplugin-v4-raw-rs/", "SignedValue.dat", true, true},
                      SesCase{"extracted/ofdrw-v1/", "SignedValue.dat", true, false},
                      SesCase{"extracted/ofdrw-v4/", "SignedValue.dat", true, false},
                      SesCase{"extracted/ofdrw-v5/", "SignedValue.dat", true, false},
                      SesCase{"ses-values/", "SignedValueV4.dat", false, false},
                      SesCase{"ses-values/", "SignedValueV5.dat", false, false}));

// Signed in 2026 with keys that expired in 2022: the signer's own claim puts the signature
// outside the seal and certificate periods (FAILED on the claim checks); judged now, the
// expiries themselves are not proven to precede the signature (INDETERMINATE).
TEST(SignatureVerifyGoldenTest, OfdrwSignatureAfterExpiryFailsOnTimeChecksOnly) {
  auto sig = ParseSignature(Load("extracted/ofdrw-v4/SignedValue.dat"));
  ASSERT_TRUE(sig.ok());
  Report r = VerifySesSignature(*sig, crypto::Sm3Bytes(Load("extracted/ofdrw-v4/Signature.xml")),
                                OfdrwRoot());
  std::vector<std::string> failed = r.FailedIds();
  std::sort(failed.begin(), failed.end());
  EXPECT_EQ(failed, (std::vector<std::string>{"ses.seal.valid_at_signing_time",
                                              "ses.signature.signer_cert.valid_at_signing_time"}))
      << Dump(r);
  EXPECT_EQ(r.ResultOf("signer.cert.validity"), CheckResult::kIndeterminate);
  EXPECT_EQ(Param(r.Find("time.validation"), "source"), "verification_time");
}

TEST(SignatureVerifyGoldenTest, VendorSignatureWithItsOwnCertsAsAnchorsPasses) {
  // The vendor roots are not in the test data; registering the vendor's maker and signer
  // certificates themselves as anchors (as mutual recognition allows) makes it PASSED.
  auto sig = ParseSignature(Load("extracted/gomain-v4-invoice/SignedValue.dat"));
  ASSERT_TRUE(sig.ok());
  Bytes hash = crypto::Sm3Bytes(Load("extracted/gomain-v4-invoice/Signature.xml"));
  ValidationPolicy p;
  p.time.now = At("2026-12-01T00:00:00Z");
  Report none = VerifySesSignature(*sig, hash, p);
  EXPECT_EQ(none.verdict(), Verdict::kIndeterminate) << Dump(none);
  p.AddAnchor(*x509::Certificate::FromDer(sig->cert), "GOMAIN signer", RolesOf(Role::kSigner));
  p.AddAnchor(*x509::Certificate::FromDer(sig->tbs.seal.maker_cert), "GOMAIN maker",
              RolesOf(Role::kSealMaker));
  // Registered leaves end their chains at once (no CRL applies to an anchor). Asked as of
  // the signing time: PASSED, and the report says which time was used.
  p.time.at = sig->tbs.time;
  Report then = VerifySesSignature(*sig, hash, p);
  EXPECT_EQ(then.verdict(), Verdict::kPassed) << Dump(then);
  EXPECT_EQ(Param(then.Find("time.validation"), "source"), "at");
  // Asked now: the vendor's certificates have expired since, and nothing proves the
  // signature is older.
  p.time.at.reset();
  Report now = VerifySesSignature(*sig, hash, p);
  EXPECT_EQ(now.verdict(), Verdict::kIndeterminate) << Dump(now);
  bool expired_since = false;
  for (const Check& c : now.checks()) {
    expired_since |= (c.id.ends_with("cert.validity") || c.id == "ses.seal.valid_at_time") &&
                     c.result == CheckResult::kIndeterminate;
  }
  EXPECT_TRUE(expired_since) << Dump(now);
}

}  // namespace
}  // namespace eseal::verify
