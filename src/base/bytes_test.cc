#include "eseal/base/bytes.h"

#include <gtest/gtest.h>

namespace eseal {
namespace {

// Well-formed UTF-8 is what Unicode's Table 3-7 allows; the shape of lead and continuation
// bytes alone also lets through overlong forms, surrogates and code points above U+10FFFF.
TEST(Utf8Test, AcceptsOnlyWellFormedSequences) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII"));
  EXPECT_TRUE(IsValidUtf8("印章 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \xEE\x80\x80"));
  EXPECT_EQ(Utf8SequenceLength("\xE5\x8D\xB0", 0), 3u);
  EXPECT_EQ(Utf8SequenceLength("a\xF0\x9F\x98\x80", 1), 4u);
  const char* bad[] = {
      "\x80",              // a continuation byte alone
      "\xC0\xAF",          // overlong '/'
      "\xC1\xBF",          // overlong
      "\xE0\x80\xAF",      // overlong 3-byte form
      "\xED\xA0\x80",      // U+D800, a surrogate
      "\xED\xBF\xBF",      // U+DFFF
      "\xF0\x80\x80\xAF",  // overlong 4-byte form
      "\xF4\x90\x80\x80",  // U+110000
      "\xF5\x80\x80\x80",  // no such lead byte
      "\xFF\xBF\xBF",      // no such lead byte (was taken for a 3-byte lead by JsonEscape)
      "\xE5\x8D",          // truncated
  };
  for (const char* b : bad) {
    EXPECT_FALSE(IsValidUtf8(b)) << HexEncode(AsBytes(b));
    EXPECT_EQ(Utf8SequenceLength(b, 0), 0u) << HexEncode(AsBytes(b));
  }
  EXPECT_EQ(Utf8SequenceLength("abc", 3), 0u);  // past the end
}

TEST(HexTest, RoundTrip) {
  Bytes b = {0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(HexEncode(b), "0001abff");
  EXPECT_EQ(HexEncode(b, true), "0001ABFF");
  auto d = HexDecode("0001ABff");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, b);
}

TEST(HexTest, RejectsOddLengthAndBadChars) {
  EXPECT_EQ(HexDecode("abc").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(HexDecode("zz").status().code(), StatusCode::kInvalidArgument);
}

// RFC 4648 §10 test vectors.
TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<std::string, std::string> v[] = {
      {"", ""},          {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, enc] : v) {
    EXPECT_EQ(Base64Encode(AsBytes(plain)), enc);
    auto d = Base64Decode(enc);
    ASSERT_TRUE(d.ok()) << enc;
    EXPECT_EQ(ToString(*d), plain);
  }
}

TEST(Base64Test, SkipsWhitespaceRejectsGarbage) {
  auto d = Base64Decode(" Zm9v\nYmFy\r\n");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(ToString(*d), "foobar");
  EXPECT_FALSE(Base64Decode("Zm9").ok());        // not a multiple of 4
  EXPECT_FALSE(Base64Decode("Zm9v!").ok());      // outside alphabet
  EXPECT_FALSE(Base64Decode("Zg==Zg==").ok());   // data after padding
  EXPECT_FALSE(Base64Decode("Zh==").ok());       // non-zero trailing bits
}

TEST(Base64Test, UrlSafeHasNoPadding) {
  Bytes b = {0xfb, 0xff};
  EXPECT_EQ(Base64UrlEncode(b), "-_8");
}

TEST(ConstantTimeTest, Equality) {
  Bytes a = {1, 2, 3};
  Bytes b = {1, 2, 3};
  Bytes c = {1, 2, 4};
  Bytes d = {1, 2};
  EXPECT_TRUE(ConstantTimeEquals(a, b));
  EXPECT_FALSE(ConstantTimeEquals(a, c));
  EXPECT_FALSE(ConstantTimeEquals(a, d));
}

TEST(SecretBytesTest, MoveLeavesSourceEmptyAndCloneCopies) {
  SecretBytes s(std::string_view("hunter2"));
  SecretBytes t = std::move(s);
  EXPECT_TRUE(s.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(AsChars(t.view()), "hunter2");
  SecretBytes u = t.Clone();
  EXPECT_EQ(AsChars(u.view()), "hunter2");
  u.resize(3);
  EXPECT_EQ(AsChars(u.view()), "hun");
  u.resize(5000);
  EXPECT_EQ(u.size(), 5000u);
  EXPECT_EQ(u.data()[0], 'h');
}

}  // namespace
}  // namespace eseal
