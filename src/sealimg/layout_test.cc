// Tests of the seal layout geometry: characters on the arc stand upright relative to the
// centre, are evenly spaced, read clockwise and sit symmetrically about the top; the code
// reads left to right along the bottom; square seals read in columns from the right.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "internal.h"

namespace eseal::sealimg::internal {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr char32_t kGuo = 0x56FD;

// The main font's glyphs for the given lines (no separate Latin font).
GlyphSet LoadGlyphs(const SealLines& lines, const Style& style) {
  GlyphSet gs;
  auto loc = FindCjkFont(style);
  EXPECT_TRUE(loc.ok()) << loc.status().ToString();
  if (!loc.ok()) return gs;
  auto font = Font::Open(loc->path, loc->index);
  EXPECT_TRUE(font.ok());
  if (!font.ok()) return gs;
  std::u32string all = lines.name + lines.code + lines.function + lines.center + U"0";
  all.push_back(kGuo);
  for (char32_t c : all) {
    if (gs.main.count(c) > 0) continue;
    auto g = (*font)->Load(c);
    EXPECT_TRUE(g.ok());
    if (g.ok()) gs.main.emplace(c, *g);
  }
  return gs;
}

// Centre of a placed glyph's slot and the direction its "up" points, as angles clockwise
// from the top.
struct Pose {
  Point centre;
  double position_angle;
  double up_angle;
};

Pose PoseOf(const Placed& p, const Glyph& ref) {
  const Point c = p.m.Apply({p.glyph->advance / 2, (ref.y0 + ref.y1) / 2});
  const double ux = -p.m.xy;  // image of (0, -1)
  const double uy = -p.m.yy;
  return {c, std::atan2(c.x, -c.y), std::atan2(ux, -uy)};
}

double AngleDiff(double a, double b) {
  double d = std::fmod(a - b, 2 * kPi);
  if (d > kPi) d -= 2 * kPi;
  if (d < -kPi) d += 2 * kPi;
  return d;
}

TEST(LayoutTest, NameCharactersAreUprightEvenAndClockwise) {
  for (const std::u32string& name :
       {std::u32string(U"北京大学"), std::u32string(U"北京华夏数字科技有限公司"),
        std::u32string(U"中国石油天然气股份有限公司广西南宁销售分公司")}) {
    const Style style = DefaultStyle(Kind::kLegalName);
    SealLines lines;
    lines.name = name;
    const GlyphSet gs = LoadGlyphs(lines, style);
    auto layout = LayoutSeal(lines, style, gs);
    ASSERT_TRUE(layout.ok()) << layout.status().ToString();
    ASSERT_EQ(layout->glyphs.size(), name.size());
    EXPECT_TRUE(layout->star);
    const Glyph& ref = gs.main.at(kGuo);
    std::vector<double> angles;
    for (const Placed& p : layout->glyphs) {
      const Pose pose = PoseOf(p, ref);
      // Upright relative to the centre: "up" points straight away from the centre.
      EXPECT_NEAR(AngleDiff(pose.up_angle, pose.position_angle), 0, 1e-6);
      angles.push_back(pose.position_angle);
    }
    // Clockwise, evenly spaced, symmetric about the top, within the arc limit.
    const double step = AngleDiff(angles[1], angles[0]);
    EXPECT_GT(step, 0);
    for (size_t i = 1; i < angles.size(); ++i) {
      EXPECT_NEAR(AngleDiff(angles[i], angles[i - 1]), step, 1e-3) << i;
    }
    EXPECT_NEAR(angles.front() + angles.back(), 0, 1e-3);
    EXPECT_LE(angles.back() - angles.front(), style.arc_max_deg * kPi / 180);
    // The centres lie on one circle.
    const double r0 = std::hypot(PoseOf(layout->glyphs[0], ref).centre.x,
                                 PoseOf(layout->glyphs[0], ref).centre.y);
    for (const Placed& p : layout->glyphs) {
      const Pose pose = PoseOf(p, ref);
      EXPECT_NEAR(std::hypot(pose.centre.x, pose.centre.y), r0, 1e-3);
    }
  }
}

TEST(LayoutTest, ShortNamesSpreadLongNamesCompress) {
  const Style style = DefaultStyle(Kind::kLegalName);
  auto extent = [&](const std::u32string& name) {
    SealLines lines;
    lines.name = name;
    const GlyphSet gs = LoadGlyphs(lines, style);
    auto layout = LayoutSeal(lines, style, gs);
    EXPECT_TRUE(layout.ok());
    if (!layout.ok()) return 0.0;
    const Glyph& ref = gs.main.at(kGuo);
    return (PoseOf(layout->glyphs.back(), ref).position_angle -
            PoseOf(layout->glyphs.front(), ref).position_angle) *
           180 / kPi;
  };
  const double short_extent = extent(U"北京大学");
  const double long_extent = extent(U"中国石油天然气股份有限公司广西南宁销售分公司");
  EXPECT_GT(short_extent, 120);  // centres of the end characters of a >= 180 degree arc
  EXPECT_GT(long_extent, short_extent);
  EXPECT_LE(long_extent, style.arc_max_deg);
}

TEST(LayoutTest, CodeReadsLeftToRightAlongTheBottom) {
  const Style style = DefaultStyle(Kind::kLegalName);
  SealLines lines;
  lines.name = U"北京华夏数字科技有限公司";
  lines.code = U"1101080012345";
  const GlyphSet gs = LoadGlyphs(lines, style);
  auto layout = LayoutSeal(lines, style, gs);
  ASSERT_TRUE(layout.ok()) << layout.status().ToString();
  ASSERT_EQ(layout->glyphs.size(), lines.name.size() + lines.code.size());
  const Glyph& ref = gs.main.at(kGuo);
  double last_x = -1e9;
  for (size_t i = lines.name.size(); i < layout->glyphs.size(); ++i) {
    const Placed& p = layout->glyphs[i];
    const Point c = p.m.Apply({(p.glyph->x0 + p.glyph->x1) / 2, (ref.y0 + ref.y1) / 2});
    EXPECT_GT(c.y, 10) << "below the centre";
    EXPECT_GT(c.x, last_x) << "left to right";
    last_x = c.x;
    // Tops towards the centre: the image of "up" points against the position vector.
    EXPECT_LT(-p.m.xy * c.x + -p.m.yy * c.y, 0);
  }
}

TEST(LayoutTest, LegalRepNamesFillTheGridRightToLeft) {
  const Style style = DefaultStyle(Kind::kLegalRep);
  struct Case {
    std::string name;
    std::u32string lines;
  };
  for (const Case& c : {Case{"张三", U"张三之印"}, Case{"李小明", U"李小明印"},
                        Case{"欧阳明华", U"欧阳明华"}, Case{"买买提明江", U"买买提明江印"}}) {
    auto lines = BuildLines(Kind::kLegalRep, {c.name, "", "", ""}, style);
    ASSERT_TRUE(lines.ok()) << lines.status().ToString();
    EXPECT_EQ(lines->name, c.lines) << c.name;
  }
  auto lines = BuildLines(Kind::kLegalRep, {"张三", "", "", ""}, style);
  ASSERT_TRUE(lines.ok());
  const GlyphSet gs = LoadGlyphs(*lines, style);
  auto layout = LayoutSeal(*lines, style, gs);
  ASSERT_TRUE(layout.ok()) << layout.status().ToString();
  ASSERT_EQ(layout->glyphs.size(), 4u);
  auto centre = [](const Placed& p) {
    return p.m.Apply({(p.glyph->x0 + p.glyph->x1) / 2, (p.glyph->y0 + p.glyph->y1) / 2});
  };
  // 张 top right, 三 bottom right, 之 top left, 印 bottom left.
  const Point zhang = centre(layout->glyphs[0]);
  const Point san = centre(layout->glyphs[1]);
  const Point zhi = centre(layout->glyphs[2]);
  const Point yin = centre(layout->glyphs[3]);
  EXPECT_GT(zhang.x, 0);
  EXPECT_LT(zhang.y, 0);
  EXPECT_GT(san.x, 0);
  EXPECT_GT(san.y, 0);
  EXPECT_LT(zhi.x, 0);
  EXPECT_LT(zhi.y, 0);
  EXPECT_LT(yin.x, 0);
  EXPECT_GT(yin.y, 0);
}

TEST(LayoutTest, KindDefaultsFillTheFunctionLine) {
  struct Case {
    Kind kind;
    std::u32string function;
  };
  for (const Case& c : {Case{Kind::kContract, U"合同专用章"}, Case{Kind::kFinance, U"财务专用章"},
                        Case{Kind::kInvoice, U"发票专用章"}, Case{Kind::kBusiness, U"业务专用章"},
                        Case{Kind::kGovService, U"政务服务专用章"}, Case{Kind::kLegalName, U""}}) {
    SealText text{"某某有限公司", "", "", ""};
    if (c.kind == Kind::kInvoice) text.center_text = "91440101MA59ABCD1X";
    auto lines = BuildLines(c.kind, text, DefaultStyle(c.kind));
    ASSERT_TRUE(lines.ok()) << lines.status().ToString();
    EXPECT_EQ(lines->function, c.function);
  }
  SealText text{"某某有限公司", "", "人事专用章", ""};
  auto lines = BuildLines(Kind::kBusiness, text, DefaultStyle(Kind::kBusiness));
  ASSERT_TRUE(lines.ok());
  EXPECT_EQ(lines->function, U"人事专用章");
  // A square finance seal reads name then function in columns.
  auto square = DefaultStyle(Kind::kFinance, Shape::kSquare);
  ASSERT_TRUE(square.ok());
  lines = BuildLines(Kind::kFinance, {"某某有限公司", "", "", ""}, *square);
  ASSERT_TRUE(lines.ok());
  EXPECT_EQ(lines->name, U"某某有限公司财务专用章");
  EXPECT_TRUE(lines->function.empty());
}

TEST(LayoutTest, Utf8DecodingIsStrict) {
  auto ok = DecodeUtf8("a\xC3\xA9\xE5\x9B\xBD\xF0\x9F\x98\x80", "t");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, (std::u32string{U'a', 0xE9, 0x56FD, 0x1F600}));
  for (const char* bad : {"\x80", "\xC0\x80", "\xE0\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                          "\xE5\x9B", "\xFF", "\xC3\x28"}) {
    EXPECT_FALSE(DecodeUtf8(bad, "t").ok()) << bad;
  }
  for (char32_t c : {char32_t{0x41}, char32_t{0xE9}, char32_t{0x56FD}, char32_t{0x1F600}}) {
    auto back = DecodeUtf8(EncodeUtf8(c), "t");
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, std::u32string(1, c));
  }
}

}  // namespace
}  // namespace eseal::sealimg::internal
