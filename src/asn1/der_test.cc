#include "eseal/asn1/der.h"

#include <gtest/gtest.h>

namespace eseal::asn1 {
namespace {

Bytes H(std::string_view hex) { return *HexDecode(hex); }

TEST(DerReaderTest, ReadsNestedSequence) {
  // SEQUENCE { INTEGER 5, OCTET STRING 'ab', BOOLEAN TRUE }
  Bytes der = H("300a020105040261620101ff");
  Reader top(der);
  auto seq = top.ReadSequence();
  ASSERT_TRUE(seq.ok());
  EXPECT_TRUE(top.ExpectEnd("top").ok());
  EXPECT_EQ(*seq->ReadInt64(), 5);
  EXPECT_EQ(ToString(*seq->ReadOctetString()), "ab");
  EXPECT_TRUE(*seq->ReadBoolean());
  EXPECT_TRUE(seq->ExpectEnd("seq").ok());
}

TEST(DerReaderTest, RejectsNonDerForms) {
  struct Case {
    const char* hex;
    const char* why;
  } cases[] = {
      {"3080020105 0000", "indefinite length"},
      {"04810161", "non-minimal length (long form for 1)"},
      {"0482000161", "non-minimal length (leading zero)"},
      {"040561", "length exceeds data"},
      {"0101 01", "BOOLEAN not 00/FF"},
      {"02020001", "non-minimal INTEGER"},
      {"0202ff80", "non-minimal negative INTEGER"},
      {"0200", "empty INTEGER"},
      {"0000", "end-of-contents"},
      {"1f1e00", "high tag form for a low number"},
      {"0385ffffffff", "length too large"},
  };
  for (const Case& c : cases) {
    std::string hex;
    for (const char* p = c.hex; *p; ++p) {
      if (*p != ' ') hex += *p;
    }
    Bytes der = H(hex);
    Reader r(der);
    auto e = r.ReadElement();
    bool failed = !e.ok();
    if (!failed) {
      Reader r2(der);
      if (e->tag == kBoolean) failed = !r2.ReadBoolean().ok();
      if (e->tag == kInteger) failed = !r2.ReadInt64().ok();
    }
    EXPECT_TRUE(failed) << c.why;
  }
}

TEST(DerReaderTest, TrailingDataIsAnError) {
  Bytes der = H("0500" "00");
  auto e = ParseSingle(der);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("trailing"), std::string::npos);
}

TEST(DerReaderTest, WrongTagNamesBoth) {
  Bytes der = H("0500");
  Reader r(der);
  auto s = r.ReadOctetString();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("expected OCTET STRING, found NULL"), std::string::npos);
  // A failed typed read consumes nothing.
  EXPECT_TRUE(r.ReadNull().ok());
}

TEST(DerReaderTest, DepthIsBounded) {
  // 40 nested SEQUENCEs.
  Bytes der;
  for (int i = 0; i < 40; ++i) der = EncodeTlv(kSequence, der);
  Reader r(der);
  Status st;
  for (int i = 0; i < 40; ++i) {
    auto inner = r.ReadSequence();
    if (!inner.ok()) {
      st = inner.status();
      break;
    }
    r = *inner;
  }
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("nesting"), std::string::npos);
}

TEST(DerReaderTest, BitStrings) {
  Bytes ok = H("030300ab00");
  Reader r(ok);
  auto b = r.ReadBitStringBytes();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(HexEncode(*b), "ab00");
  Bytes unused = H("030204f0");
  Reader r2(unused);
  auto b2 = r2.ReadBitString();
  ASSERT_TRUE(b2.ok());
  EXPECT_EQ(b2->unused_bits, 4);
  Bytes dirty = H("030204f1");  // unused bits not zero
  Reader r3(dirty);
  EXPECT_FALSE(r3.ReadBitString().ok());
  Bytes over = H("030208ff");
  Reader r4(over);
  EXPECT_FALSE(r4.ReadBitString().ok());
}

TEST(DerReaderTest, Strings) {
  Writer w;
  w.AddString(kUtf8String, "电子印章");
  w.AddString(kIa5String, "ES");
  w.AddString(kPrintableString, "OFD R&W");
  Bytes der = std::move(w).Finish();
  Reader r(der);
  EXPECT_EQ(*r.ReadString(kUtf8String), "电子印章");
  EXPECT_EQ(*r.ReadString(kIa5String), "ES");
  EXPECT_EQ(*r.ReadAnyString(), "OFD R&W");
  Bytes bad_ia5 = H("1601c3");
  Reader r2(bad_ia5);
  EXPECT_FALSE(r2.ReadString(kIa5String).ok());
  Bytes bad_utf8 = H("0c02c0af");  // overlong '/'
  Reader r3(bad_utf8);
  EXPECT_FALSE(r3.ReadString(kUtf8String).ok());
  Bytes bmp2 = H("1e044e2d6587");
  Reader r4(bmp2);
  EXPECT_EQ(*r4.ReadAnyString(), "中文");
}

TEST(DerTimeTest, GeneralizedAndUtc) {
  auto t = ParseTime("2026-11-23T09:30:35Z");
  ASSERT_TRUE(t.ok());
  Writer w;
  w.AddGeneralizedTime(*t);
  w.AddUtcTime(*t);
  w.AddX509Time(*t);
  w.AddX509Time(*ParseTime("2051-01-01T00:00:00Z"));
  Bytes der = std::move(w).Finish();
  EXPECT_EQ(ToString(ByteView(der).subspan(2, 15)), "20261123093035Z");
  Reader r(der);
  EXPECT_EQ(*r.ReadGeneralizedTime(), *t);
  EXPECT_EQ(*r.ReadUtcTime(), *t);
  EXPECT_TRUE(r.PeekIs(kUtcTime));
  EXPECT_EQ(*r.ReadTime(), *t);
  EXPECT_TRUE(r.PeekIs(kGeneralizedTime));
  EXPECT_TRUE(r.ReadTime().ok());
}

TEST(DerTimeTest, RejectsNonCanonicalTimes) {
  for (const char* s : {"202611230930Z", "20261123093035", "20261123093035.300Z",
                        "20261123093035.Z", "20261123093035+0800", "20261323093035Z"}) {
    Bytes der = EncodeTlv(kGeneralizedTime, AsBytes(s));
    Reader r(der);
    EXPECT_FALSE(r.ReadGeneralizedTime().ok()) << s;
  }
  Bytes frac = EncodeTlv(kGeneralizedTime, AsBytes("20261123093035.3Z"));
  Reader r(frac);
  EXPECT_TRUE(r.ReadGeneralizedTime().ok());
  for (const char* s : {"2611230930Z", "261123093035", "261123093035+0800"}) {
    Bytes der = EncodeTlv(kUtcTime, AsBytes(s));
    Reader r2(der);
    EXPECT_FALSE(r2.ReadUtcTime().ok()) << s;
  }
}

TEST(DerWriterTest, IntegersAreMinimal) {
  const std::pair<int64_t, const char*> cases[] = {
      {0, "020100"},       {127, "02017f"},      {128, "02020080"},  {256, "02020100"},
      {-1, "0201ff"},      {-128, "020180"},     {-129, "0202ff7f"},
      {INT64_MAX, "02087fffffffffffffff"}, {INT64_MIN, "02088000000000000000"}};
  for (const auto& [v, hex] : cases) {
    Writer w;
    w.AddInt64(v);
    EXPECT_EQ(HexEncode(w.bytes()), hex) << v;
    Reader r(w.bytes());
    EXPECT_EQ(*r.ReadInt64(), v);
  }
  Writer w;
  w.AddUnsignedInteger(H("0000ff01"));
  EXPECT_EQ(HexEncode(w.bytes()), "020300ff01");
  Reader r(w.bytes());
  EXPECT_EQ(HexEncode(*r.ReadUnsignedIntegerBytes()), "ff01");
}

TEST(DerWriterTest, LongLengthsAndHighTags) {
  Bytes big(300, 0x41);
  Writer w;
  w.AddOctetString(big);
  EXPECT_EQ(HexEncode(ByteView(w.bytes()).subspan(0, 4)), "0482012c");
  Writer t;
  t.AddElement(ContextTag(40, false), AsBytes("x"));
  EXPECT_EQ(HexEncode(t.bytes()), "9f280178");
  Reader r(t.bytes());
  auto e = r.ReadElement();
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->tag, ContextTag(40, false));
}

TEST(DerWriterTest, SetOfIsSorted) {
  Writer a, b;
  a.AddInt64(2);
  b.AddInt64(1);
  Writer w;
  w.AddSetOf({a.bytes(), b.bytes()});
  EXPECT_EQ(HexEncode(w.bytes()), "3106020101020102");
}

TEST(DerWriterTest, ReencodingWhatWeReadIsIdentical) {
  Writer w;
  w.AddSequence([](Writer& s) {
    s.AddOid(oids::Sm2WithSm3());
    s.AddConstructed(ContextTag(0, true), [](Writer& e) { e.AddBitString(AsBytes("sig")); });
    s.AddNull();
  });
  Bytes der = std::move(w).Finish();
  Reader r(der);
  auto seq = r.ReadSequence();
  ASSERT_TRUE(seq.ok());
  Writer again;
  again.AddSequence([&](Writer& s) {
    s.AddOid(*seq->ReadOid());
    auto tagged = seq->ReadOptionalConstructed(ContextTag(0, true));
    ASSERT_TRUE(tagged.ok() && tagged->has_value());
    ByteView sig = *(*tagged)->ReadBitStringBytes();
    s.AddConstructed(ContextTag(0, true), [&](Writer& e) { e.AddBitString(sig); });
    ASSERT_TRUE(seq->ReadNull().ok());
    s.AddNull();
  });
  EXPECT_EQ(again.bytes(), der);
}

}  // namespace
}  // namespace eseal::asn1
