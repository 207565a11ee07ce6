// Golden verification of real seals and signatures (../shared/testdata/ofdrw, EXPECTED.tsv):
// maker signatures of UserV1/V4/V5 and of the vendor seals verify, HebeiGede's does not;
// every SES value's signature verifies against its own data.
#include "eseal/ses/verify.h"

#include <gtest/gtest.h>

#include "eseal/base/file.h"
#include "eseal/crypto/sm3.h"

namespace eseal::ses {
namespace {

const std::string kData = std::string(ESEAL_SHARED_TESTDATA) + "/ofdrw/";

Bytes Load(const std::string& rel) {
  auto b = ReadFile(kData + rel);
  EXPECT_TRUE(b.ok()) << rel;
  return b.ok() ? *b : Bytes{};
}

std::string Dump(const Report& r) {
  std::string s;
  for (const Check& c : r.checks()) {
    s += "  " + c.id + " = " + std::string(CheckResultName(c.result)) + "  " + c.detail + "\n";
  }
  return s;
}

TrustPolicy OfdrwRoot() {
  TrustPolicy p;
  auto root = x509::Certificate::FromPem(ToString(Load("keys/root_cert.pem")));
  EXPECT_TRUE(root.ok());
  p.anchors.Add(*root, "ofdrw test root");
  p.tolerate_ca_without_key_cert_sign = true;
  return p;
}

Time At(const char* s) { return *ParseTime(s); }

TEST(SealVerifyGoldenTest, OfdrwTestSealsVerifyWhileValid) {
  for (const char* f : {"seals/UserV1.esl", "seals/UserV4.esl"}) {
    auto seal = ParseSeal(Load(f));
    ASSERT_TRUE(seal.ok()) << f;
    Report r = VerifySeal(*seal, At("2021-06-01T00:00:00Z"), OfdrwRoot());
    EXPECT_EQ(r.verdict(), Verdict::kPassed) << f << "\n" << Dump(r);
    EXPECT_EQ(r.ResultOf("ses.seal.maker_signature"), CheckResult::kPass) << f;
    EXPECT_EQ(r.ResultOf("maker.cert.chain.anchor"), CheckResult::kPass) << f;
    EXPECT_TRUE(r.Has("maker.cert.ca.key_usage.tolerated", CheckResult::kWarning)) << f;
  }
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
  EXPECT_EQ(r.FailedIds(), std::vector<std::string>{"ses.seal.valid_at_time"}) << Dump(r);
}

TEST(SealVerifyGoldenTest, NoAnchorIsIndeterminate) {
  auto seal = ParseSeal(Load("seals/UserV4.esl"));
  ASSERT_TRUE(seal.ok());
  Report r = VerifySeal(*seal, At("2021-06-01T00:00:00Z"), TrustPolicy{});
  EXPECT_EQ(r.verdict(), Verdict::kIndeterminate) << Dump(r);
  EXPECT_TRUE(r.Has("maker.cert.chain.anchor", CheckResult::kIndeterminate));
}

TEST(SealVerifyGoldenTest, HebeiGedeMakerSignatureFailsWithoutCrashing) {
  auto seal = ParseSeal(Load("seals/SESealData.DER"));
  ASSERT_TRUE(seal.ok());
  Report r = VerifySeal(*seal, At("2021-01-01T00:00:00Z"), TrustPolicy{});
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
  Report r = VerifySignature(*sig, crypto::Sm3Bytes(xml), TrustPolicy{});
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

TEST(SignatureVerifyGoldenTest, OfdrwSignatureAfterExpiryFailsOnTimeChecksOnly) {
  auto sig = ParseSignature(Load("extracted/ofdrw-v4/SignedValue.dat"));
  ASSERT_TRUE(sig.ok());
  Report r = VerifySignature(*sig, crypto::Sm3Bytes(Load("extracted/ofdrw-v4/Signature.xml")),
                             OfdrwRoot());
  std::vector<std::string> failed = r.FailedIds();
  std::sort(failed.begin(), failed.end());
  EXPECT_EQ(failed, (std::vector<std::string>{"ses.seal.valid_at_signing_time",
                                              "ses.signature.signer_cert.valid_at_signing_time",
                                              "signer.cert.validity"}))
      << Dump(r);
}

TEST(SignatureVerifyGoldenTest, VendorSignatureWithItsOwnCertsAsAnchorsPasses) {
  // The vendor roots are not in the test data; registering the vendor's maker and signer
  // certificates themselves as anchors (as mutual recognition allows) makes it PASSED.
  auto sig = ParseSignature(Load("extracted/gomain-v4-invoice/SignedValue.dat"));
  ASSERT_TRUE(sig.ok());
  Bytes hash = crypto::Sm3Bytes(Load("extracted/gomain-v4-invoice/Signature.xml"));
  Report none = VerifySignature(*sig, hash, TrustPolicy{});
  EXPECT_EQ(none.verdict(), Verdict::kIndeterminate) << Dump(none);
  TrustPolicy p;
  p.anchors.Add(*x509::Certificate::FromDer(sig->cert), "GOMAIN signer");
  p.anchors.Add(*x509::Certificate::FromDer(sig->tbs.seal.maker_cert), "GOMAIN maker");
  Report r = VerifySignature(*sig, hash, p);
  EXPECT_EQ(r.verdict(), Verdict::kPassed) << Dump(r);
}

}  // namespace
}  // namespace eseal::ses
