#include "eseal/asn1/oid.h"

#include <gtest/gtest.h>

namespace eseal::asn1 {
namespace {

TEST(OidTest, RoundTripsNationalAlgorithmOids) {
  auto oid = Oid::FromString("1.2.156.10197.1.501");
  ASSERT_TRUE(oid.ok());
  // 1.2 → 0x2a; 156 → 81 1c; 10197 → cf 55; 1; 501 → 83 75
  EXPECT_EQ(HexEncode(oid->der()), "2a811ccf55018375");
  EXPECT_EQ(oid->ToString(), "1.2.156.10197.1.501");
  EXPECT_EQ(oids::Sm3().ToString(), "1.2.156.10197.1.401");
  EXPECT_EQ(oids::Gbt35275SignedData().ToString(), "1.2.156.10197.6.1.4.2.2");
}

TEST(OidTest, LargeFirstArcs) {
  auto oid = Oid::FromString("2.999.3");
  ASSERT_TRUE(oid.ok());
  EXPECT_EQ(HexEncode(oid->der()), "883703");
  EXPECT_EQ(oid->ToString(), "2.999.3");
}

TEST(OidTest, RejectsMalformed) {
  for (const char* s : {"", "1", "3.1", "1.40", "1..2", "1.2.", "01.2", "1.2.x"}) {
    EXPECT_FALSE(Oid::FromString(s).ok()) << s;
  }
  EXPECT_FALSE(Oid::FromDer(Bytes{}).ok());
  EXPECT_FALSE(Oid::FromDer(Bytes{0x2a, 0x80, 0x01}).ok());  // non-minimal arc
  EXPECT_FALSE(Oid::FromDer(Bytes{0x2a, 0x81}).ok());        // truncated
}

}  // namespace
}  // namespace eseal::asn1
