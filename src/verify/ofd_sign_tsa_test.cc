// Signing with a timestamper (sign/timestamper.h) and verifying what was signed: eseal's
// own TSA (tsp::TimestampAuthority) stamps the signature value of Type="Seal" (SES v4
// timeStamp) and Type="Sign" (the CMS signature-timestamp attribute); the verifier judges
// the signer at the token's genTime, so a key compromise after it does not count, and the
// same document signed without a token fails on it. A failing timestamper writes nothing.
#include <gtest/gtest.h>

#include "eseal/base/clock.h"
#include "eseal/crypto/random.h"
#include "eseal/crypto/sm3.h"
#include "eseal/ses/signature.h"
#include "eseal/sign/ofd_signer.h"
#include "eseal/sign/timestamper.h"
#include "eseal/tsp/authority.h"
#include "eseal/tsp/timestamp_token.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/x509/signed_data.h"
#include "test_policy.h"
#include "test_token.h"
#include "test_world.h"

namespace eseal::verify {
namespace {

using sign::testing::MakeWorld;
using sign::testing::MustRead;
using sign::testing::Request;
using sign::testing::Shared;
using sign::testing::World;

// The TSA's clock reads 25 s after the world's signing time (2026-11-23T09:31:00Z).
struct Tsa {
  tsp::testing::Pki pki = tsp::testing::MakePki();
  FixedClock clock;
  tsp::RandomSerialSource serials{crypto::SystemRng()};
  tsp::TimestampAuthority authority;

  explicit Tsa(Time now)
      : clock(now),
        authority(tsp::TimestampAuthority::Create(
                      std::make_shared<crypto::Sm2PrivateKey>(pki.tsa_key), pki.tsa, {}, clock, serials)
                      .value()) {}
};

struct Fixture {
  World w = MakeWorld();
  Bytes unsigned_doc = MustRead(Shared("ofdrw/unsigned/helloworld.ofd"));
  Tsa tsa{w.sign_time + std::chrono::seconds(25)};

  sign::OfdSignRequest Req(sign::SignatureType type, bool stamped) const {
    sign::OfdSignRequest r = Request(w, unsigned_doc);
    r.type = type;
    if (type == sign::SignatureType::kSign) r.seal = nullptr;
    if (type == sign::SignatureType::kSeal) r.placement.positions = {sign::PagePosition{1, 20, 20}};
    if (stamped) r.timestamper = sign::LocalTimestamper(tsa.authority);
    return r;
  }

  Bytes Sign(sign::SignatureType type, bool stamped) const {
    auto s = sign::SignOfd(Req(type, stamped));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? s->document : Bytes{};
  }

  OfdVerifyOptions Options(bool compromised) const {
    return testing::WorldWithTsa(w, tsa.pki, compromised);
  }
};

const Fixture& F() {
  static const Fixture* f = new Fixture;
  return *f;
}

class Stamped : public ::testing::TestWithParam<sign::SignatureType> {};

TEST_P(Stamped, VerifiesAtTheTokensTime) {
  const Bytes doc = F().Sign(GetParam(), true);
  auto v = VerifyOfd(doc, F().Options(false));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->verdict(), Verdict::kPassed) << OfdVerificationToText(*v, true);
  EXPECT_EQ(testing::TimeSource(*v), "timestamp");
}

TEST_P(Stamped, KeyCompromiseAfterTheTokenDoesNotCount) {
  const Bytes doc = F().Sign(GetParam(), true);
  auto v = VerifyOfd(doc, F().Options(true));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->verdict(), Verdict::kPassed) << OfdVerificationToText(*v, true);
  EXPECT_EQ(testing::TimeSource(*v), "timestamp");
  EXPECT_EQ(v->signatures.at(0).report.ResultOf("signer.cert.revocation"), CheckResult::kPass);
}

TEST_P(Stamped, WithoutATimestamperTheCompromiseCounts) {
  const Bytes doc = F().Sign(GetParam(), false);
  auto v = VerifyOfd(doc, F().Options(true));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->verdict(), Verdict::kFailed) << OfdVerificationToText(*v, true);
  EXPECT_EQ(v->signatures.at(0).report.FailedIds(), std::vector<std::string>{"signer.cert.revocation"});
  EXPECT_EQ(testing::TimeSource(*v), "verification_time");
}

TEST_P(Stamped, FailingTimestamperFailsTheSigning) {
  sign::OfdSignRequest r = F().Req(GetParam(), false);
  r.timestamper = [](ByteView) -> Result<Bytes> { return UnavailableError("TSA unreachable"); };
  auto s = sign::SignOfd(r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(s.status().message().find("时间戳"), std::string::npos) << s.status().message();
  EXPECT_NE(s.status().message().find("TSA unreachable"), std::string::npos);
}

TEST_P(Stamped, ATokenOverOtherBytesIsRefused) {
  sign::OfdSignRequest r = F().Req(GetParam(), false);
  const tsp::TimestampAuthority& tsa = F().tsa.authority;
  r.timestamper = [&tsa](ByteView) { return tsa.Stamp(crypto::Sm3Bytes(Bytes{1, 2, 3}), asn1::oids::Sm3()); };
  auto s = sign::SignOfd(r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kDataLoss) << s.status().ToString();
}

INSTANTIATE_TEST_SUITE_P(Types, Stamped,
                         ::testing::Values(sign::SignatureType::kSeal, sign::SignatureType::kSign),
                         [](const auto& p) {
                           return p.param == sign::SignatureType::kSeal ? "Seal" : "Sign";
                         });

TEST(OfdSignTsa, TheTokenIsOverTheSignatureValue) {
  auto seal = sign::SignOfd(F().Req(sign::SignatureType::kSeal, true));
  ASSERT_TRUE(seal.ok()) << seal.status().ToString();
  auto ses_sig = ses::ParseSignature(seal->signed_value);
  ASSERT_TRUE(ses_sig.ok()) << ses_sig.status().ToString();
  ASSERT_TRUE(ses_sig->timestamp.has_value());
  auto token = tsp::ParseTimestampToken(*ses_sig->timestamp);
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(token->info.hashed_message, crypto::Sm3Bytes(ses_sig->signature));
  EXPECT_EQ(token->info.gen_time, F().w.sign_time + std::chrono::seconds(25));

  auto cms = sign::SignOfd(F().Req(sign::SignatureType::kSign, true));
  ASSERT_TRUE(cms.ok()) << cms.status().ToString();
  auto sd = x509::ParseSignedData(cms->signed_value);
  ASSERT_TRUE(sd.ok()) << sd.status().ToString();
  ASSERT_TRUE(sd->signer_infos.at(0).unauthenticated_attributes_der.has_value());
}

TEST(OfdSignTsa, AV1SealCannotCarryAToken) {
  World w1 = MakeWorld(ses::Version::kV1);
  sign::OfdSignRequest r = Request(w1, F().unsigned_doc);
  r.placement.positions = {sign::PagePosition{1, 20, 20}};
  r.timestamper = sign::LocalTimestamper(F().tsa.authority);
  auto s = sign::SignOfd(r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition) << s.status().ToString();
}

}  // namespace
}  // namespace eseal::verify
