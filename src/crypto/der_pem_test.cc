// The module's private DER reader/writer and PEM armour.
#include <gtest/gtest.h>

#include "internal.h"
#include "test_util.h"

namespace eseal::crypto::internal {
namespace {

using testing::Hex;

TEST(DerReaderTest, ReadsShortAndLongLengths) {
  Bytes big(300, 0xAB);
  Bytes enc = Tlv(0x04, big);
  EXPECT_EQ(HexEncode(ByteView(enc).first(4)), "0482012c");
  DerReader r(enc);
  ByteView c;
  ASSERT_TRUE(r.Read(0x04, &c));
  EXPECT_EQ(c.size(), 300u);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(HexEncode(Tlv(0x04, Bytes(127, 0))).substr(0, 4), "047f");
  EXPECT_EQ(HexEncode(Tlv(0x04, Bytes(128, 0))).substr(0, 6), "048180");
}

TEST(DerReaderTest, RejectsBerAndTruncation) {
  const char* bad[] = {
      "0480",            // indefinite length
      "04810100",        // long form for a length below 128
      "0482000100",      // leading zero length byte
      "0402aa",          // content shorter than the length
      "04",              // no length
      "0485ffffffffff",  // more than 4 length bytes
  };
  for (const char* h : bad) {
    Bytes b = Hex(h);
    DerReader r(b);
    ByteView c;
    EXPECT_FALSE(r.Read(0x04, &c)) << h;
  }
  Bytes ok = Hex("0401aa");
  DerReader r(ok);
  ByteView c;
  EXPECT_FALSE(r.Read(0x05, &c));  // wrong tag consumes nothing
  EXPECT_TRUE(r.Read(0x04, &c));
}

TEST(DerReaderTest, SmallIntegers) {
  struct Case {
    const char* hex;
    bool ok;
    uint32_t value;
  } cases[] = {{"020100", true, 0},
               {"020101", true, 1},
               {"02020080", true, 128},
               {"0201ff", false, 0},
               {"02020001", false, 0},
               {"0200", false, 0},
               {"02047fffffff", true, 0x7FFFFFFF},
               {"02050080000000", false, 0}};
  for (const auto& c : cases) {
    Bytes b = Hex(c.hex);
    DerReader r(b);
    uint32_t v = 99;
    EXPECT_EQ(r.ReadSmallUint(&v), c.ok) << c.hex;
    if (c.ok) {
      EXPECT_EQ(v, c.value) << c.hex;
    }
  }
}

TEST(PemTest, EncodesIn64ColumnLinesAndDecodesBack) {
  Bytes data(100);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i);
  SecretBytes pem = EncodePem("TEST", data);
  std::string text(AsChars(pem.view()));
  EXPECT_EQ(text.rfind("-----BEGIN TEST-----\n", 0), 0u);
  size_t first_nl = text.find('\n');
  size_t second_nl = text.find('\n', first_nl + 1);
  EXPECT_EQ(second_nl - first_nl - 1, 64u);
  EXPECT_NE(text.find("-----END TEST-----\n"), std::string::npos);
  auto back = DecodePem(text, {"TEST"});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->label, "TEST");
  EXPECT_TRUE(ConstantTimeEquals(back->der.view(), data));
  EXPECT_TRUE(HasPemLabel(text, "TEST"));
  EXPECT_FALSE(HasPemLabel(text, "TES"));
}

TEST(PemTest, PicksTheWantedBlockAmongOthers) {
  std::string text = std::string(AsChars(EncodePem("OTHER", Bytes{1, 2, 3}).view())) +
                     std::string(AsChars(EncodePem("WANTED", Bytes{4, 5}).view()));
  auto b = DecodePem(text, {"WANTED", "ALSO"});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->der.size(), 2u);
  auto none = DecodePem(text, {"MISSING"});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("OTHER"), std::string::npos);
}

TEST(PemTest, RejectsBrokenBlocks) {
  EXPECT_FALSE(DecodePem("-----BEGIN X-----\nAQID\n", {"X"}).ok());                   // no END
  EXPECT_FALSE(DecodePem("-----BEGIN X-----\nA*ID\n-----END X-----\n", {"X"}).ok());  // bad base64
  EXPECT_FALSE(DecodePem("-----BEGIN X-----\n\n-----END X-----\n", {"X"}).ok());      // empty
  EXPECT_FALSE(DecodePem("-----BEGIN X-----\nAQID\n-----END Y-----\n", {"X"}).ok());
  EXPECT_FALSE(DecodePem("-----BEGIN X", {"X"}).ok());
  EXPECT_FALSE(DecodePem("", {"X"}).ok());
  EXPECT_TRUE(DecodePem("-----BEGIN X-----\nComment: fine\n\nAQID\n-----END X-----\n", {"X"}).ok());
}

}  // namespace
}  // namespace eseal::crypto::internal
