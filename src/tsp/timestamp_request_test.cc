// TimeStampReq / TimeStampResp encoding and strict reading (RFC 3161 §2.4).
#include "eseal/tsp/timestamp_request.h"

#include <gtest/gtest.h>

#include "eseal/crypto/sm3.h"
#include "eseal/tsp/tst_info.h"

namespace eseal::tsp {
namespace {

TimestampRequest Sample() {
  TimestampRequest q;
  q.hash_algorithm = asn1::oids::Sm3();
  q.hashed_message = crypto::Sm3Bytes(AsBytes(std::string_view("abc")));
  q.policy = asn1::MustOid("1.3.6.1.4.1.32473.2.1");
  q.nonce = Bytes{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  q.cert_req = true;
  return q;
}

TEST(TimestampRequest, RoundTripsEveryField) {
  TimestampRequest q = Sample();
  q.hash_parameters = Bytes{0x05, 0x00};
  q.extensions.push_back(x509::Extension{asn1::MustOid("1.2.3.4"), true, Bytes{0x05, 0x00}});
  Bytes der = EncodeTimestampRequest(q);
  auto back = ParseTimestampRequest(der);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->hash_algorithm, asn1::oids::Sm3());
  EXPECT_EQ(back->hash_parameters, q.hash_parameters);
  EXPECT_EQ(back->hashed_message, q.hashed_message);
  EXPECT_EQ(back->policy, q.policy);
  EXPECT_EQ(back->nonce, q.nonce);
  EXPECT_TRUE(back->cert_req);
  ASSERT_EQ(back->extensions.size(), 1u);
  EXPECT_TRUE(back->extensions[0].critical);
  EXPECT_EQ(EncodeTimestampRequest(*back), der);
}

TEST(TimestampRequest, MinimalRequestHasNoOptionalFields) {
  TimestampRequest q;
  q.hash_algorithm = Sha256();
  q.hashed_message = Bytes(32, 0xAB);
  auto back = ParseTimestampRequest(EncodeTimestampRequest(q));
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->policy || back->nonce || back->cert_req || back->hash_parameters);
}

TEST(TimestampRequest, VersionTwoReadsButDoesNotParse) {
  TimestampRequest q = Sample();
  q.version = 2;
  Bytes der = EncodeTimestampRequest(q);
  ASSERT_TRUE(ReadTimestampRequest(der).ok());
  auto p = ParseTimestampRequest(der);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("version 2"), std::string::npos) << p.status().ToString();
}

TEST(TimestampRequest, RefusesNonDerAndOversizedInput) {
  Bytes der = EncodeTimestampRequest(Sample());
  Bytes trailing = der;
  trailing.push_back(0x00);
  EXPECT_FALSE(ReadTimestampRequest(trailing).ok());
  EXPECT_FALSE(ReadTimestampRequest(ByteView(der).first(der.size() - 1)).ok());
  // certReq FALSE written out: the DEFAULT is never encoded in DER.
  Bytes explicit_false = der;
  ASSERT_EQ(explicit_false[explicit_false.size() - 1], 0xFF);
  explicit_false[explicit_false.size() - 1] = 0x00;
  auto f = ReadTimestampRequest(explicit_false);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("certReq FALSE"), std::string::npos);
  TimestampRequest big = Sample();
  big.nonce = Bytes(33, 0x11);
  EXPECT_FALSE(ReadTimestampRequest(EncodeTimestampRequest(big)).ok());
  TimestampRequest huge = Sample();
  huge.extensions.push_back(x509::Extension{asn1::MustOid("1.2.3.4"), false, Bytes(kMaxRequestSize, 0)});
  auto h = ReadTimestampRequest(EncodeTimestampRequest(huge));
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.status().message().find("larger than"), std::string::npos);
  TimestampRequest many = Sample();
  for (size_t i = 0; i <= kMaxRequestExtensions; ++i) {
    many.extensions.push_back(x509::Extension{asn1::MustOid("1.2.3.4"), false, Bytes{}});
  }
  EXPECT_FALSE(ReadTimestampRequest(EncodeTimestampRequest(many)).ok());
  EXPECT_FALSE(ReadTimestampRequest(AsBytes(std::string_view("not DER at all"))).ok());
}

TEST(TimestampResponse, RejectionCarriesExactlyOneFailInfoBit) {
  for (FailInfo f : {FailInfo::kBadAlg, FailInfo::kBadRequest, FailInfo::kBadDataFormat,
                     FailInfo::kUnacceptedPolicy, FailInfo::kUnacceptedExtension, FailInfo::kSystemFailure}) {
    auto r = ParseTimestampResponse(EncodeRejection(f, "拒绝 / rejected"));
    ASSERT_TRUE(r.ok()) << FailInfoName(f) << ": " << r.status().ToString();
    EXPECT_EQ(r->status, 2);
    EXPECT_EQ(r->fail_info, 1u << static_cast<int>(f)) << FailInfoName(f);
    EXPECT_FALSE(r->token);
    ASSERT_EQ(r->status_text.size(), 1u);
    EXPECT_EQ(r->status_text[0], "拒绝 / rejected");
  }
  // badAlg is bit 0: one octet 0x80 with 7 unused bits (DER named bits drop trailing zeros).
  Bytes bad_alg = EncodeRejection(FailInfo::kBadAlg, "");
  EXPECT_EQ(HexEncode(bad_alg), "3009300702010203020780");
}

TEST(TimestampResponse, GrantedWithoutTokenIsRefused) {
  Bytes granted_empty = {0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00};
  EXPECT_FALSE(ParseTimestampResponse(granted_empty).ok());
}

}  // namespace
}  // namespace eseal::tsp
