// TSTInfo parsing: strict DER, fractional genTime, optional fields, refusals. Inputs are
// written here byte by byte or with asn1::Writer.
#include "eseal/tsp/tst_info.h"

#include <gtest/gtest.h>

#include "eseal/asn1/der.h"

namespace eseal::tsp {
namespace {

using asn1::Writer;

struct Fields {
  int64_t version = 1;
  std::string gen = "20260601120000Z";
  bool ordering_false = false;
  bool nonce = false;
  bool trailing = false;
  Bytes serial = {0x05};
};

Bytes Make(const Fields& f) {
  Writer w;
  w.AddSequence([&](Writer& t) {
    t.AddInt64(f.version);
    t.AddOid(asn1::MustOid("1.2.156.112233.1.1"));
    t.AddSequence([&](Writer& mi) {
      mi.AddSequence([&](Writer& a) {
        a.AddOid(asn1::oids::Sm3());
        a.AddNull();
      });
      mi.AddOctetString(Bytes(32, 0x11));
    });
    t.AddElement(asn1::kInteger, f.serial);
    t.AddElement(asn1::kGeneralizedTime, AsBytes(f.gen));
    if (f.ordering_false) t.AddBoolean(false);
    if (f.nonce) t.AddInt64(42);
    if (f.trailing) t.AddNull();
  });
  return std::move(w).Finish();
}

TEST(TstInfoTest, ParsesMinimalAndFractionalTimes) {
  auto info = ParseTstInfo(Make({}));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->version, 1);
  EXPECT_EQ(info->hash_algorithm, asn1::oids::Sm3());
  EXPECT_TRUE(info->hash_parameters.has_value());
  EXPECT_EQ(info->hashed_message, Bytes(32, 0x11));
  EXPECT_EQ(FormatRfc3339(info->gen_time), "2026-06-01T12:00:00Z");
  EXPECT_FALSE(info->nonce);
  EXPECT_TRUE(info->tolerances.empty());

  Fields f;
  f.gen = "20260601120000.123Z";
  f.nonce = true;
  info = ParseTstInfo(Make(f));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(FormatRfc3339(info->gen_time), "2026-06-01T12:00:00Z");
  EXPECT_EQ(info->gen_time_text, "20260601120000.123Z");
  EXPECT_EQ(info->nonce, Bytes{42});
}

TEST(TstInfoTest, RefusesWhatIsNotStrict) {
  for (const char* gen : {"20260601120000.120Z", "20260601120000", "260601120000Z", "20260601120000+0800"}) {
    Fields f;
    f.gen = gen;
    EXPECT_FALSE(ParseTstInfo(Make(f)).ok()) << gen;
  }
  Fields f;
  f.version = 2;
  EXPECT_FALSE(ParseTstInfo(Make(f)).ok());
  f = {};
  f.trailing = true;
  EXPECT_FALSE(ParseTstInfo(Make(f)).ok());
  f = {};
  f.serial = {0x00, 0x05};  // non-minimal INTEGER
  EXPECT_FALSE(ParseTstInfo(Make(f)).ok());
  f = {};
  f.serial = Bytes(22, 0x11);  // longer than 160 bits
  EXPECT_FALSE(ParseTstInfo(Make(f)).ok());
  Bytes good = Make({});
  good.push_back(0x00);
  EXPECT_FALSE(ParseTstInfo(good).ok());
}

TEST(TstInfoTest, OrderingFalseIsANamedTolerance) {
  Fields f;
  f.ordering_false = true;
  auto info = ParseTstInfo(Make(f));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->tolerances, std::vector<std::string>{"ordering_explicit_false"});
}

}  // namespace
}  // namespace eseal::tsp
