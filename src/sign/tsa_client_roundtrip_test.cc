// Sign an OFD with a token fetched over HTTP (tsa_client.h) from eseal's own TSA on
// 127.0.0.1, then verify it: the verifier judges the signer at the token's genTime, as it
// does for a local TSA (src/verify/ofd_sign_tsa_test.cc). Built only when the verify module
// is part of the build.
#include <gtest/gtest.h>

#include "eseal/base/clock.h"
#include "eseal/crypto/random.h"
#include "eseal/sign/ofd_signer.h"
#include "eseal/sign/tsa_client.h"
#include "eseal/tsp/authority.h"
#include "eseal/verify/ofd_verifier.h"
#include "test_http_tsa.h"
#include "test_policy.h"
#include "test_token.h"
#include "test_world.h"

namespace eseal::sign {
namespace {

TEST(TsaClientRoundTrip, SignedOverHttpVerifiesAtTheTokensTime) {
  const testing::World w = testing::MakeWorld();
  const Bytes doc = testing::MustRead(testing::Shared("ofdrw/unsigned/helloworld.ofd"));
  const tsp::testing::Pki pki = tsp::testing::MakePki();
  FixedClock clock(w.sign_time + std::chrono::seconds(25));
  tsp::RandomSerialSource serials(crypto::SystemRng());
  auto tsa = tsp::TimestampAuthority::Create(std::make_shared<crypto::Sm2PrivateKey>(pki.tsa_key),
                                             pki.tsa, {}, clock, serials);
  ASSERT_TRUE(tsa.ok()) << tsa.status().ToString();
  testing::HttpTsaServer server(testing::Honest(*tsa));

  TsaClientOptions o;
  o.url = server.url();
  o.clock = &clock;
  o.tsa_anchors.Add(pki.root, "TSA test root");
  auto timestamper = HttpTimestamper(o);
  ASSERT_TRUE(timestamper.ok()) << timestamper.status().ToString();

  for (SignatureType type : {SignatureType::kSeal, SignatureType::kSign}) {
    OfdSignRequest r = testing::Request(w, doc);
    r.type = type;
    if (type == SignatureType::kSign) r.seal = nullptr;
    if (type == SignatureType::kSeal) r.placement.positions = {PagePosition{1, 20, 20}};
    r.timestamper = *timestamper;
    auto signed_doc = SignOfd(r);
    ASSERT_TRUE(signed_doc.ok()) << signed_doc.status().ToString();

    // Key compromise reported after the token: it does not count, because the time is proven.
    auto v = verify::VerifyOfd(signed_doc->document, verify::testing::WorldWithTsa(w, pki, true));
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(v->verdict(), Verdict::kPassed) << verify::OfdVerificationToText(*v, true);
    EXPECT_EQ(verify::testing::TimeSource(*v), "timestamp");
  }
  EXPECT_EQ(server.requests(), 2);
}

TEST(TsaClientRoundTrip, AnUnreachableTsaFailsTheSigning) {
  const testing::World w = testing::MakeWorld();
  const Bytes doc = testing::MustRead(testing::Shared("ofdrw/unsigned/helloworld.ofd"));
  TsaClientOptions o;
  o.url = "http://127.0.0.1:" + std::to_string(testing::UnusedPort()) + "/";
  o.retries = 0;
  auto timestamper = HttpTimestamper(o);
  ASSERT_TRUE(timestamper.ok()) << timestamper.status().ToString();
  OfdSignRequest r = testing::Request(w, doc);
  r.placement.positions = {PagePosition{1, 20, 20}};
  r.timestamper = *timestamper;
  auto s = SignOfd(r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(s.status().message().find("时间戳服务不可达"), std::string::npos)
      << s.status().message();
}

}  // namespace
}  // namespace eseal::sign
