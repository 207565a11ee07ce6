// Timestamp token verification: tokens written by test_token.cc (independent of src/tsp);
// each test asserts the exact check id and verdict.
#include "eseal/tsp/timestamp_token.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "eseal/base/file.h"
#include "eseal/x509/ca.h"
#include "test_token.h"

namespace eseal::tsp {
namespace {

using testing::MakePki;
using testing::MakeToken;
using testing::Pki;
using testing::TokenSpec;

const Bytes kStamped = ToBytes("the SM2 signature value being stamped");

class TimestampTokenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new Pki(MakePki()); }
  static void TearDownTestSuite() { delete pki_; }

  TokenSpec Spec() const {
    TokenSpec s;
    s.stamped = kStamped;
    return s;
  }
  TimestampVerifyOptions Options() const {
    TimestampVerifyOptions o;
    o.tsa_anchors.Add(pki_->root, "test TSA root");
    o.crls = {pki_->crl};
    return o;
  }
  TimestampVerification Verify(const TokenSpec& s, const Pki& pki) const {
    return VerifyTimestampToken(MakeToken(s, pki.tsa, pki.tsa_key), kStamped, Options());
  }
  TimestampVerification Verify(const TokenSpec& s) const { return Verify(s, *pki_); }

  static std::string Dump(const Report& r) {
    std::string out;
    for (const Check& c : r.checks()) {
      out += c.id + " " + std::string(CheckResultName(c.result)) + " " + c.detail + "\n";
    }
    return out;
  }

  static Pki* pki_;
};
Pki* TimestampTokenTest::pki_ = nullptr;

const Time kGen = FromCivil(CivilTime{2026, 6, 1, 12, 0, 0}).value();

TEST_F(TimestampTokenTest, GoodSm3TokenPassesWithGenTime) {
  TimestampVerification v = Verify(Spec());
  EXPECT_EQ(v.report.verdict(), Verdict::kPassed) << Dump(v.report);
  ASSERT_TRUE(v.gen_time.has_value());
  EXPECT_EQ(*v.gen_time, kGen);
  EXPECT_EQ(v.claimed_gen_time, kGen);
  EXPECT_EQ(v.report.ResultOf("tsp.signer.signature"), CheckResult::kPass);
  EXPECT_EQ(v.report.ResultOf("tsp.signer.signing_certificate"), CheckResult::kPass);
  EXPECT_EQ(v.report.ResultOf("tsp.tsa.eku"), CheckResult::kPass);
  EXPECT_EQ(v.report.ResultOf("tsa.cert.chain.anchor"), CheckResult::kPass);
  EXPECT_EQ(v.report.ResultOf("tsp.imprint"), CheckResult::kPass);
  EXPECT_EQ(v.sm2_verifications, 1u);
}

TEST_F(TimestampTokenTest, BothOuterOidsAccepted) {
  for (const char* oid : {"1.2.840.113549.1.7.2", "1.2.156.10197.6.1.4.2.2"}) {
    TokenSpec s = Spec();
    s.outer_oid = oid;
    TimestampVerification v = Verify(s);
    EXPECT_EQ(v.report.verdict(), Verdict::kPassed) << oid << "\n" << Dump(v.report);
    EXPECT_EQ(v.report.Find("tsp.content_type")->params[0].second, oid);
    auto parsed = ParseTimestampToken(MakeToken(s, pki_->tsa, pki_->tsa_key));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->content_info_type.ToString(), oid);
    EXPECT_EQ(parsed->info.gen_time, kGen);
    EXPECT_EQ(parsed->info.gen_time_text, "20260601120000.5Z");
  }
}

TEST_F(TimestampTokenTest, OtherOuterOidFails) {
  TokenSpec s = Spec();
  s.outer_oid = "1.2.840.113549.1.7.1";
  TimestampVerification v = Verify(s);
  EXPECT_EQ(v.report.ResultOf("tsp.content_type"), CheckResult::kFail);
  EXPECT_EQ(v.report.verdict(), Verdict::kFailed);
  EXPECT_FALSE(v.gen_time);
  EXPECT_FALSE(ParseTimestampToken(MakeToken(s, pki_->tsa, pki_->tsa_key)).ok());
}

TEST_F(TimestampTokenTest, OtherEContentTypeFails) {
  TokenSpec s = Spec();
  s.econtent_oid = "1.2.840.113549.1.7.1";
  TimestampVerification v = Verify(s);
  EXPECT_EQ(v.report.ResultOf("tsp.econtent_type"), CheckResult::kFail);
  EXPECT_EQ(v.report.ResultOf("tsp.signer.content_type_attr"), CheckResult::kFail);
  EXPECT_EQ(v.report.verdict(), Verdict::kFailed);
}

TEST_F(TimestampTokenTest, WrongImprintFails) {
  TokenSpec s = Spec();
  s.stamped = ToBytes("some other signature value");
  TimestampVerification v = Verify(s);
  EXPECT_EQ(v.report.ResultOf("tsp.imprint"), CheckResult::kFail);
  EXPECT_EQ(v.report.FailedIds(), std::vector<std::string>{"tsp.imprint"}) << Dump(v.report);
  EXPECT_EQ(v.report.verdict(), Verdict::kFailed);
  EXPECT_FALSE(v.gen_time);
  EXPECT_EQ(v.claimed_gen_time, kGen);
}

TEST_F(TimestampTokenTest, Sha256ImprintAcceptedAndReported) {
  TokenSpec s = Spec();
  s.imprint_oid = "2.16.840.1.101.3.4.2.1";
  TimestampVerification v = Verify(s);
  EXPECT_EQ(v.report.verdict(), Verdict::kPassed) << Dump(v.report);
  EXPECT_EQ(v.report.Find("tsp.imprint.algorithm")->params[0].second, "SHA-256");
}

TEST_F(TimestampTokenTest, UnknownImprintAlgorithmFails) {
  TokenSpec s = Spec();
  s.imprint_oid = "1.2.840.113549.2.5";  // MD5
  s.imprint_override = Bytes(16, 0xAB);
  TimestampVerification v = Verify(s);
  EXPECT_EQ(v.report.ResultOf("tsp.imprint.algorithm"), CheckResult::kFail);
  EXPECT_EQ(v.report.ResultOf("tsp.imprint"), CheckResult::kFail);
}

TEST_F(TimestampTokenTest, TsaWithoutCriticalTimeStampingEkuFails) {
  for (const char* eku : {"noncritical", "none", "extra"}) {
    Pki pki = MakePki(eku);
    TimestampVerifyOptions o;
    o.tsa_anchors.Add(pki.root);
    o.crls = {pki.crl};
    TokenSpec s = Spec();
    TimestampVerification v = VerifyTimestampToken(MakeToken(s, pki.tsa, pki.tsa_key), kStamped, o);
    EXPECT_EQ(v.report.ResultOf("tsp.tsa.eku"), CheckResult::kFail) << eku;
    EXPECT_EQ(v.report.FailedIds(), std::vector<std::string>{"tsp.tsa.eku"}) << eku << "\n" << Dump(v.report);
    EXPECT_FALSE(v.gen_time);
  }
}

TEST_F(TimestampTokenTest, UntrustedTsaRootIsIndeterminate) {
  Pki other = MakePki("critical", "Some Other Root");
  TimestampVerification v =
      VerifyTimestampToken(MakeToken(Spec(), other.tsa, other.tsa_key), kStamped, Options());
  EXPECT_EQ(v.report.ResultOf("tsa.cert.chain.anchor"), CheckResult::kIndeterminate) << Dump(v.report);
  EXPECT_EQ(v.report.verdict(), Verdict::kIndeterminate);
  EXPECT_EQ(v.report.ResultOf("tsp.signer.signature"), CheckResult::kPass);
  EXPECT_FALSE(v.gen_time);
}

TEST_F(TimestampTokenTest, NoRevocationDataIsIndeterminate) {
  TimestampVerifyOptions o = Options();
  o.crls.clear();
  TimestampVerification v = VerifyTimestampToken(MakeToken(Spec(), pki_->tsa, pki_->tsa_key), kStamped, o);
  EXPECT_EQ(v.report.ResultOf("tsa.cert.revocation"), CheckResult::kIndeterminate) << Dump(v.report);
  EXPECT_EQ(v.report.verdict(), Verdict::kIndeterminate);
  EXPECT_FALSE(v.gen_time);
}

// A TSA key revoked for keyCompromise a month after the token's genTime: the thief could
// have written that genTime, so the token proves nothing (RFC 3161 §4) — FAILED. Revoked
// for another reason after genTime, the token stands.
TEST_F(TimestampTokenTest, TsaKeyCompromisedAfterGenTimeVoidsTheToken) {
  auto with_revocation = [&](x509::RevocationReason why) {
    x509::CrlRequest req{kGen + std::chrono::hours(24 * 31), kGen + std::chrono::hours(24 * 60), {0x11},
                         {{pki_->tsa.serial(), kGen + std::chrono::hours(24 * 30), why, std::nullopt}}};
    TimestampVerifyOptions o = Options();
    o.crls = {x509::MakeCrl(pki_->root, pki_->root_key, req).value()};
    return VerifyTimestampToken(MakeToken(Spec(), pki_->tsa, pki_->tsa_key), kStamped, o);
  };
  TimestampVerification compromised = with_revocation(x509::RevocationReason::kKeyCompromise);
  EXPECT_EQ(compromised.report.FailedIds(), std::vector<std::string>{"tsa.cert.revocation"})
      << Dump(compromised.report);
  EXPECT_FALSE(compromised.gen_time);
  TimestampVerification superseded = with_revocation(x509::RevocationReason::kSuperseded);
  EXPECT_EQ(superseded.report.verdict(), Verdict::kPassed) << Dump(superseded.report);
  EXPECT_TRUE(superseded.gen_time);
}

TEST_F(TimestampTokenTest, TamperedTstInfoFailsMessageDigest) {
  TokenSpec s = Spec();
  s.tamper_tst_info = true;
  TimestampVerification v = Verify(s);
  EXPECT_EQ(v.report.ResultOf("tsp.signer.message_digest"), CheckResult::kFail);
  EXPECT_EQ(v.report.FailedIds(), std::vector<std::string>{"tsp.signer.message_digest"}) << Dump(v.report);
  EXPECT_FALSE(v.gen_time);
}

TEST_F(TimestampTokenTest, WrongEssCertIdFails) {
  TokenSpec s = Spec();
  s.ess = TokenSpec::Ess::kV2WrongCert;
  TimestampVerification v = Verify(s);
  EXPECT_EQ(v.report.FailedIds(), std::vector<std::string>{"tsp.signer.signing_certificate"}) << Dump(v.report);
}

TEST_F(TimestampTokenTest, MissingEssCertIdFails) {
  TokenSpec s = Spec();
  s.ess = TokenSpec::Ess::kNone;
  TimestampVerification v = Verify(s);
  EXPECT_EQ(v.report.FailedIds(), std::vector<std::string>{"tsp.signer.signing_certificate"}) << Dump(v.report);
}

TEST_F(TimestampTokenTest, EssCertIdFormsAccepted) {
  for (auto ess : {TokenSpec::Ess::kV1Sha1, TokenSpec::Ess::kV2Sm3, TokenSpec::Ess::kV2Sha256}) {
    for (bool issuer_serial : {true, false}) {
      TokenSpec s = Spec();
      s.ess = ess;
      s.ess_issuer_serial = issuer_serial;
      TimestampVerification v = Verify(s);
      EXPECT_EQ(v.report.ResultOf("tsp.signer.signing_certificate"), CheckResult::kPass) << Dump(v.report);
      EXPECT_EQ(v.report.verdict(), Verdict::kPassed);
    }
  }
}

TEST_F(TimestampTokenTest, RawRsSignatureIsANamedTolerance) {
  TokenSpec s = Spec();
  s.raw_rs = true;
  TimestampVerification v = Verify(s);
  EXPECT_EQ(v.report.ResultOf("tsp.signer.signature"), CheckResult::kPass);
  EXPECT_EQ(v.report.ResultOf("tsp.signer.signature.raw_rs"), CheckResult::kWarning);
  EXPECT_EQ(v.report.verdict(), Verdict::kPassed) << Dump(v.report);
  EXPECT_TRUE(v.gen_time);
}

TEST_F(TimestampTokenTest, SignatureByAnotherKeyFails) {
  Pki other = MakePki();
  TimestampVerification v = VerifyTimestampToken(MakeToken(Spec(), pki_->tsa, other.tsa_key), kStamped, Options());
  EXPECT_EQ(v.report.FailedIds(), std::vector<std::string>{"tsp.signer.signature"}) << Dump(v.report);
}

TEST_F(TimestampTokenTest, SignerAlgorithmsChecked) {
  TokenSpec s = Spec();
  s.signature_oid = "1.2.840.10045.4.3.2";  // ecdsa-with-SHA256
  EXPECT_EQ(Verify(s).report.ResultOf("tsp.signer.signature_algorithm"), CheckResult::kFail);
  s = Spec();
  s.signature_oid = "1.2.156.10197.1.301.1";
  s.signer_digest_oid = "2.16.840.1.101.3.4.2.1";
  TimestampVerification v = Verify(s);
  EXPECT_EQ(v.report.verdict(), Verdict::kPassed) << Dump(v.report);
  EXPECT_EQ(v.report.Find("tsp.signer.digest_algorithm")->params[0].second, "SHA-256");
}

TEST_F(TimestampTokenTest, TwoSignerInfosFail) {
  TokenSpec s = Spec();
  s.signer_infos = 2;
  EXPECT_EQ(Verify(s).report.ResultOf("tsp.signer_info.count"), CheckResult::kFail);
}

TEST_F(TimestampTokenTest, UnknownCriticalExtensionIsIndeterminate) {
  TokenSpec s = Spec();
  s.critical_extension = true;
  TimestampVerification v = Verify(s);
  EXPECT_EQ(v.report.ResultOf("tsp.tst_info.critical_extension"), CheckResult::kIndeterminate);
  EXPECT_EQ(v.report.verdict(), Verdict::kIndeterminate) << Dump(v.report);
  EXPECT_FALSE(v.gen_time);
}

TEST_F(TimestampTokenTest, CertificateMissingIsIndeterminateUnlessGiven) {
  TokenSpec s = Spec();
  s.include_cert = false;
  Bytes token = MakeToken(s, pki_->tsa, pki_->tsa_key);
  TimestampVerification v = VerifyTimestampToken(token, kStamped, Options());
  EXPECT_EQ(v.report.ResultOf("tsp.signer.cert"), CheckResult::kIndeterminate);
  EXPECT_EQ(v.report.verdict(), Verdict::kIndeterminate);
  TimestampVerifyOptions o = Options();
  o.intermediates = {pki_->tsa};
  EXPECT_EQ(VerifyTimestampToken(token, kStamped, o).report.verdict(), Verdict::kPassed);
}

TEST_F(TimestampTokenTest, HundredThousandCertificatesAreBounded) {
  TokenSpec s = Spec();
  s.filler_certificates = 100'000;
  Bytes token = MakeToken(s, pki_->tsa, pki_->tsa_key);
  ASSERT_GT(token.size(), 200'000u);
  TimestampVerification v = VerifyTimestampToken(token, kStamped, Options());
  EXPECT_EQ(v.report.ResultOf("tsp.certificates.too_many"), CheckResult::kIndeterminate);
  EXPECT_EQ(v.report.verdict(), Verdict::kIndeterminate) << Dump(v.report);
  EXPECT_FALSE(v.gen_time);
  EXPECT_EQ(v.sm2_verifications, 0u);  // counted, not timed
  EXPECT_EQ(v.report.Find("tsa.cert.signature"), nullptr);
  auto parsed = ParseTimestampToken(token);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->certificates_truncated);
  EXPECT_EQ(parsed->signed_data.certificates.size(), kDefaultMaxCertificates);
  // Exactly at the limit is fine.
  s.filler_certificates = kDefaultMaxCertificates - 1;
  EXPECT_EQ(VerifyTimestampToken(MakeToken(s, pki_->tsa, pki_->tsa_key), kStamped, Options())
                .report.ResultOf("tsp.certificates.too_many"),
            CheckResult::kSkipped);
}

TEST_F(TimestampTokenTest, GarbageErrorsCleanly) {
  const std::vector<Bytes> inputs = {{}, {0x30}, {0x30, 0x00}, {0x30, 0x80, 0x00, 0x00},
                                     ToBytes("not DER at all"), Bytes(1000, 0x30)};
  for (const Bytes& in : inputs) {
    TimestampVerification v = VerifyTimestampToken(in, kStamped, Options());
    EXPECT_EQ(v.report.ResultOf("tsp.token.structure"), CheckResult::kFail);
    EXPECT_EQ(v.report.verdict(), Verdict::kFailed);
    EXPECT_FALSE(v.gen_time);
    EXPECT_FALSE(v.claimed_gen_time);
    EXPECT_FALSE(ParseTimestampToken(in).ok());
  }
  // Every truncation and every one-byte flip of a good token: never PASSED with another time.
  Bytes good = MakeToken(Spec(), pki_->tsa, pki_->tsa_key);
  for (size_t n = 0; n < good.size(); n += 7) {
    Bytes cut(good.begin(), good.begin() + n);
    EXPECT_EQ(VerifyTimestampToken(cut, kStamped, Options()).report.verdict(), Verdict::kFailed);
  }
  for (size_t i = 0; i < good.size(); i += 5) {
    Bytes flipped = good;
    flipped[i] ^= 0x01;
    TimestampVerification v = VerifyTimestampToken(flipped, kStamped, Options());
    if (v.gen_time) {
      EXPECT_EQ(*v.gen_time, kGen) << "flip at " << i;
    }
  }
}

}  // namespace
}  // namespace eseal::tsp

namespace eseal::tsp {
namespace {

// Seeds for fuzz/corpus/tsp_token: ESEAL_WRITE_TSP_SEEDS=<dir> eseal_tsp_test
// --gtest_filter='*WritesFuzzSeeds*' writes a few tokens made by test_token.cc.
TEST(TspFuzzSeeds, WritesFuzzSeedsWhenAsked) {
  const char* dir = std::getenv("ESEAL_WRITE_TSP_SEEDS");
  if (dir == nullptr) GTEST_SKIP() << "ESEAL_WRITE_TSP_SEEDS not set";
  Pki pki = MakePki();
  auto write = [&](const std::string& name, const TokenSpec& s) {
    Bytes der = MakeToken(s, pki.tsa, pki.tsa_key);
    ASSERT_TRUE(WriteFileAtomic(std::string(dir) + "/" + name, der).ok());
  };
  TokenSpec s;
  s.stamped = kStamped;
  write("good-pkcs7-sm3.der", s);
  TokenSpec g = s;
  g.outer_oid = "1.2.156.10197.6.1.4.2.2";
  g.ess = TokenSpec::Ess::kV1Sha1;
  g.raw_rs = true;
  write("gbt35275-essv1-raw-rs.der", g);
  TokenSpec e = s;
  e.critical_extension = true;
  e.ordering_false = true;
  e.tsa_name = false;
  write("critical-extension-ordering-false.der", e);
  TokenSpec m = s;
  m.filler_certificates = 6;
  m.signer_infos = 2;
  write("many-certs-two-signers.der", m);
}

}  // namespace
}  // namespace eseal::tsp
