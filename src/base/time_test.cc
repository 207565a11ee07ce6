#include "eseal/base/time.h"

#include <gtest/gtest.h>

namespace eseal {
namespace {

TEST(TimeTest, CivilRoundTrip) {
  auto t = FromCivil({2026, 11, 23, 9, 30, 35});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(ToUnix(*t), 1795426235);
  CivilTime c = ToCivil(*t);
  EXPECT_EQ(c.year, 2026);
  EXPECT_EQ(c.month, 11);
  EXPECT_EQ(c.second, 35);
  EXPECT_EQ(FormatRfc3339(*t), "2026-11-23T09:30:35Z");
  EXPECT_EQ(FormatGeneralized(*t), "20261123093035Z");
}

TEST(TimeTest, RejectsImpossibleDates) {
  EXPECT_FALSE(FromCivil({2026, 2, 29, 0, 0, 0}).ok());
  EXPECT_TRUE(FromCivil({2024, 2, 29, 0, 0, 0}).ok());
  EXPECT_FALSE(FromCivil({2026, 4, 31, 0, 0, 0}).ok());
  EXPECT_FALSE(FromCivil({2026, 13, 1, 0, 0, 0}).ok());
  EXPECT_FALSE(FromCivil({2026, 1, 1, 24, 0, 0}).ok());
}

TEST(TimeTest, ParsesVendorForms) {
  const int64_t want = 1795426235;
  for (const char* s : {"2026-11-23T09:30:35Z", "2026-11-23T17:30:35+08:00", "2026-11-23 09:30:35",
                        "20261123093035Z", "20261123093035.302Z", "2026-11-23T09:30:35.377Z",
                        "20261123173035+0800"}) {
    auto t = ParseTime(s);
    ASSERT_TRUE(t.ok()) << s << ": " << t.status().ToString();
    EXPECT_EQ(ToUnix(*t), want) << s;
  }
  auto local = ParseTime("2026-11-23 17:30:35", 8 * 3600);
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(ToUnix(*local), want);
  auto day = ParseTime("2026-11-23");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(ToUnix(*day), want - (9 * 3600 + 30 * 60 + 35));
}

TEST(TimeTest, RejectsGarbage) {
  for (const char* s : {"", "yesterday", "2026-11-23T", "2026-11-23T09:30", "2026-11-23T09:30:35Q",
                        "2026-02-30", "20261123093035+99"}) {
    EXPECT_FALSE(ParseTime(s).ok()) << s;
  }
}

}  // namespace
}  // namespace eseal
