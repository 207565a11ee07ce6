// RFC 6238 Appendix B and RFC 4226 Appendix D vectors, and RFC 4648 §10 base32 vectors.
#include "eseal/crypto/totp.h"

#include <gtest/gtest.h>

namespace eseal::crypto {
namespace {

const Bytes kSecret = ToBytes(std::string_view("12345678901234567890"));

TEST(TotpTest, Rfc4226HotpVectors) {
  const char* want[] = {"755224", "287082", "359152", "969429", "338314",
                        "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t i = 0; i < 10; ++i) {
    auto code = HotpCode(kSecret, i);
    ASSERT_TRUE(code.ok());
    EXPECT_EQ(*code, want[i]) << "counter " << i;
  }
}

TEST(TotpTest, Rfc6238Sha1Vectors) {
  struct V {
    int64_t t;
    const char* code;
  } vs[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
            {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const V& v : vs) {
    auto code = HotpCode(kSecret, static_cast<uint64_t>(TotpStep(v.t)), 8);
    ASSERT_TRUE(code.ok());
    EXPECT_EQ(*code, v.code) << "t=" << v.t;
  }
}

TEST(TotpTest, MatchFindsTheStepWithinTheWindowOnly) {
  int64_t step = TotpStep(1234567890);
  std::string now = *HotpCode(kSecret, static_cast<uint64_t>(step));
  std::string before = *HotpCode(kSecret, static_cast<uint64_t>(step - 1));
  std::string old = *HotpCode(kSecret, static_cast<uint64_t>(step - 3));
  EXPECT_EQ(TotpMatch(kSecret, now, step), step);
  EXPECT_EQ(TotpMatch(kSecret, before, step), step - 1);
  EXPECT_EQ(TotpMatch(kSecret, old, step), std::nullopt);
  EXPECT_EQ(TotpMatch(kSecret, now.substr(0, 5), step), std::nullopt);
  EXPECT_EQ(TotpMatch(ToBytes(std::string_view("another secret 12345")), now, step), std::nullopt);
}

TEST(TotpTest, Base32Rfc4648Vectors) {
  EXPECT_EQ(Base32Encode(ToBytes(std::string_view("foobar"))), "MZXW6YTBOI");
  EXPECT_EQ(Base32Encode(ToBytes(std::string_view("f"))), "MY");
  EXPECT_EQ(Base32Encode(ToBytes(std::string_view("fooba"))), "MZXW6YTB");
  auto back = Base32Decode("mzxw 6ytb oi==");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(ToString(*back), "foobar");
  EXPECT_FALSE(Base32Decode("MZ1W").has_value());
  EXPECT_EQ(Base32Decode(Base32Encode(kSecret)), kSecret);
}

}  // namespace
}  // namespace eseal::crypto
