// Tests of seal images: every kind renders at its physical size, the picture has the
// pattern of the physical seal (red ring, star or blank centre, nothing outside the ring,
// text clear of the border), rendering is deterministic, and bad input is refused.
#include "eseal/sealimg/seal_image.h"

#include <cairo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "eseal/sealimg/png_info.h"

namespace eseal::sealimg {
namespace {

constexpr double kPi = 3.14159265358979323846;

struct Pixel {
  uint8_t a, r, g, b;  // premultiplied, as cairo keeps them
};

// A decoded PNG, read back with cairo.
class Image {
 public:
  explicit Image(const Bytes& png) {
    Reader reader{png.data(), png.size(), 0};
    cairo_surface_t* s = cairo_image_surface_create_from_png_stream(Read, &reader);
    ok_ = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
    if (ok_) {
      w_ = cairo_image_surface_get_width(s);
      h_ = cairo_image_surface_get_height(s);
      const int stride = cairo_image_surface_get_stride(s);
      const uint8_t* data = cairo_image_surface_get_data(s);
      px_.resize(static_cast<size_t>(w_) * h_);
      for (int y = 0; y < h_; ++y) {
        std::memcpy(&px_[static_cast<size_t>(y) * w_], data + static_cast<size_t>(y) * stride,
                    static_cast<size_t>(w_) * 4);
      }
    }
    cairo_surface_destroy(s);
  }
  bool ok() const { return ok_; }
  int width() const { return w_; }
  int height() const { return h_; }
  Pixel At(int x, int y) const {
    const uint32_t v = px_[static_cast<size_t>(y) * w_ + x];
    return {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
            static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
  }
  bool Red(int x, int y) const {
    const Pixel p = At(x, y);
    return p.a >= 200 && p.r >= 180 && p.g <= 40 && p.b <= 60;
  }
  bool Clear(int x, int y) const { return At(x, y).a == 0; }
  double TransparentFraction() const {
    size_t n = 0;
    for (uint32_t v : px_) n += (v >> 24) == 0 ? 1 : 0;
    return static_cast<double>(n) / static_cast<double>(px_.size());
  }

 private:
  struct Reader {
    const uint8_t* data;
    size_t size;
    size_t pos;
  };
  static cairo_status_t Read(void* closure, unsigned char* out, unsigned int len) {
    auto* r = static_cast<Reader*>(closure);
    if (len > r->size - r->pos) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(out, r->data + r->pos, len);
    r->pos += len;
    return CAIRO_STATUS_SUCCESS;
  }
  bool ok_ = false;
  int w_ = 0, h_ = 0;
  std::vector<uint32_t> px_;
};

struct Sample {
  Kind kind;
  SealText text;
};

std::vector<Sample> Samples() {
  return {
      {Kind::kLegalName, {"北京华夏数字科技有限公司", "1101080012345", "", ""}},
      {Kind::kContract, {"上海浦江国际贸易有限公司", "", "", ""}},
      {Kind::kFinance, {"广西南宁智联信息技术有限公司", "", "", ""}},
      {Kind::kInvoice, {"广州市天河区明珠电子商务有限公司", "", "", "91440101MA59ABCD1X"}},
      {Kind::kBusiness, {"深圳前海云链供应链管理有限公司", "", "人事专用章", ""}},
      {Kind::kLegalRep, {"张三", "", "", ""}},
      {Kind::kGovService, {"南宁市行政审批局", "4501000012345", "", ""}},
  };
}

Bytes MustRender(Kind kind, const SealText& text, const Style& style, int dpi) {
  auto png = RenderPng(kind, text, style, dpi);
  EXPECT_TRUE(png.ok()) << KindName(kind) << ": " << png.status().ToString();
  return png.ok() ? *png : Bytes{};
}

// Pixel of a point given in millimetres from the seal centre.
std::pair<int, int> ToPx(const Image& img, const Style& s, double x_mm, double y_mm) {
  const double k = std::min(img.width() / s.width_mm, img.height() / s.height_mm);
  return {static_cast<int>(std::floor(img.width() / 2.0 + x_mm * k)),
          static_cast<int>(std::floor(img.height() / 2.0 + y_mm * k))};
}

TEST(SealImageTest, EveryKindRendersAtItsPhysicalSize) {
  for (const Sample& s : Samples()) {
    const Style style = DefaultStyle(s.kind);
    for (int dpi : {150, 300}) {
      const Bytes png = MustRender(s.kind, s.text, style, dpi);
      const Image img(png);
      ASSERT_TRUE(img.ok()) << KindName(s.kind);
      EXPECT_EQ(img.width(), MmToPixels(style.width_mm, dpi)) << KindName(s.kind);
      EXPECT_EQ(img.height(), MmToPixels(style.height_mm, dpi)) << KindName(s.kind);
      auto info = ProbePng(png);
      ASSERT_TRUE(info.ok()) << info.status().ToString();
      EXPECT_EQ(info->dpi_x, dpi);
      EXPECT_EQ(info->dpi_y, dpi);
      EXPECT_TRUE(info->has_alpha);
    }
  }
  EXPECT_EQ(MmToPixels(42, 300), 496);
  EXPECT_EQ(MmToPixels(40, 150), 236);
}

struct Variant {
  std::string file;
  Kind kind;
  SealText text;
  Style style;
};

// Less usual seals: other shapes, short and long names, optional lines.
std::vector<Variant> Variants() {
  std::vector<Variant> v;
  v.push_back({"finance-square",
               Kind::kFinance,
               {"南宁智联科技有限公司", "", "", ""},
               *DefaultStyle(Kind::kFinance, Shape::kSquare)});
  v.push_back({"contract-oval",
               Kind::kContract,
               {"广西东盟跨境电商有限公司", "", "", ""},
               *DefaultStyle(Kind::kContract, Shape::kOval)});
  v.push_back({"legal-name-short",
               Kind::kLegalName,
               {"北京大学", "", "", ""},
               DefaultStyle(Kind::kLegalName)});
  v.push_back({"legal-name-subtitle",
               Kind::kLegalName,
               {"广西壮族自治区大数据发展局", "", "办公室", ""},
               DefaultStyle(Kind::kLegalName)});
  v.push_back({"legal-name-long",
               Kind::kLegalName,
               {"中国石油天然气股份有限公司广西南宁销售分公司", "4501000098765", "", ""},
               DefaultStyle(Kind::kLegalName)});
  v.push_back(
      {"legal-rep-3", Kind::kLegalRep, {"李小明", "", "", ""}, DefaultStyle(Kind::kLegalRep)});
  v.push_back(
      {"legal-rep-4", Kind::kLegalRep, {"欧阳明华", "", "", ""}, DefaultStyle(Kind::kLegalRep)});
  v.push_back(
      {"legal-rep-5", Kind::kLegalRep, {"买买提明江", "", "", ""}, DefaultStyle(Kind::kLegalRep)});
  Style star = DefaultStyle(Kind::kContract);
  star.star = true;
  v.push_back({"contract-star",
               Kind::kContract,
               {"上海浦江国际贸易有限公司", "3101150054321", "", ""},
               star});
  v.push_back({"invoice-serial",
               Kind::kInvoice,
               {"南宁市明珠电子商务有限公司", "(1)", "", "91450100MA5KABCD2Y"},
               DefaultStyle(Kind::kInvoice)});
  v.push_back({"legal-name-mixed",
               Kind::kLegalName,
               {"广西ABC科技（南宁）有限公司", "", "", ""},
               DefaultStyle(Kind::kLegalName)});
  v.push_back({"contract-latin",
               Kind::kContract,
               {"ACME Trading Co", "", "", ""},
               DefaultStyle(Kind::kContract)});
  return v;
}

// Points on the middle of the border line, at many angles.
std::vector<std::pair<double, double>> BorderPoints(const Style& s) {
  std::vector<std::pair<double, double>> pts;
  const double b = s.border_mm;
  if (s.shape == Shape::kSquare) {
    const double hx = s.width_mm / 2 - b / 2;
    const double hy = s.height_mm / 2 - b / 2;
    for (int i = -4; i <= 4; ++i) {
      const double f = i / 5.0;
      pts.push_back({f * hx, -hy});
      pts.push_back({f * hx, hy});
      pts.push_back({-hx, f * hy});
      pts.push_back({hx, f * hy});
    }
    return pts;
  }
  for (int deg = 0; deg < 360; deg += 15) {
    const double t = deg * kPi / 180;
    pts.push_back({(s.width_mm - b) / 2 * std::sin(t), -(s.height_mm - b) / 2 * std::cos(t)});
  }
  return pts;
}

TEST(SealImageTest, BorderIsRedAllAround) {
  for (const Sample& s : Samples()) {
    const Style style = DefaultStyle(s.kind);
    const Image img(MustRender(s.kind, s.text, style, 300));
    ASSERT_TRUE(img.ok());
    for (const auto& [x, y] : BorderPoints(style)) {
      const auto [px, py] = ToPx(img, style, x, y);
      EXPECT_TRUE(img.Red(px, py)) << KindName(s.kind) << " at " << x << "," << y << " mm";
    }
  }
}

TEST(SealImageTest, MostlyTransparentAndNothingOutsideTheBorder) {
  for (const Sample& s : Samples()) {
    const Style style = DefaultStyle(s.kind);
    const Image img(MustRender(s.kind, s.text, style, 300));
    ASSERT_TRUE(img.ok());
    EXPECT_GT(img.TransparentFraction(), 0.5) << KindName(s.kind);
    EXPECT_LT(img.TransparentFraction(), 0.95) << KindName(s.kind);
    if (style.shape == Shape::kSquare) continue;  // the square fills its whole image
    // Round and oval: every pixel whose centre is more than a pixel outside the outer edge
    // is fully transparent (the image corners, above all).
    const double k = std::min(img.width() / style.width_mm, img.height() / style.height_mm);
    const double a = style.width_mm / 2 * k + 1;
    const double b = style.height_mm / 2 * k + 1;
    int outside = 0, red_outside = 0;
    for (int y = 0; y < img.height(); ++y) {
      for (int x = 0; x < img.width(); ++x) {
        const double dx = x + 0.5 - img.width() / 2.0;
        const double dy = y + 0.5 - img.height() / 2.0;
        if ((dx / a) * (dx / a) + (dy / b) * (dy / b) <= 1) continue;
        ++outside;
        if (!img.Clear(x, y)) ++red_outside;
      }
    }
    EXPECT_GT(outside, 1000) << KindName(s.kind);
    EXPECT_EQ(red_outside, 0) << KindName(s.kind);
  }
}

// A thin band just inside the border stays empty: no character touches the border line.
TEST(SealImageTest, TextKeepsClearOfTheBorder) {
  for (const Sample& s : Samples()) {
    const Style style = DefaultStyle(s.kind);
    const int dpi = 600;
    const Image img(MustRender(s.kind, s.text, style, dpi));
    ASSERT_TRUE(img.ok());
    const double k = std::min(img.width() / style.width_mm, img.height() / style.height_mm);
    const double px = 1.0 / k;  // one pixel in mm
    const double band_out = style.border_mm + 1.5 * px;
    const double band_in = style.border_mm + 0.15;
    int checked = 0;
    for (int step = 0; step < 720; ++step) {
      const double t = step * kPi / 360;
      for (double d = band_out; d <= band_in; d += px / 2) {
        double x, y;
        if (style.shape == Shape::kSquare) {
          // Walk the band along the four sides.
          const double hx = style.width_mm / 2 - d;
          const double hy = style.height_mm / 2 - d;
          const double f = (step % 180) / 90.0 - 1;  // -1..1
          switch (step / 180) {
            case 0:
              x = f * hx, y = -hy;
              break;
            case 1:
              x = hx, y = f * hy;
              break;
            case 2:
              x = f * hx, y = hy;
              break;
            default:
              x = -hx, y = f * hy;
              break;
          }
        } else {
          x = (style.width_mm / 2 - d) * std::sin(t);
          y = -(style.height_mm / 2 - d) * std::cos(t);
        }
        const auto [ix, iy] = ToPx(img, style, x, y);
        ++checked;
        EXPECT_LT(img.At(ix, iy).a, 128) << KindName(s.kind) << " at " << x << "," << y;
      }
    }
    EXPECT_GT(checked, 700);
  }
}

TEST(SealImageTest, StarSealsHaveARedCentreSpecialSealsABlankOne) {
  for (const Sample& s : Samples()) {
    if (s.kind == Kind::kLegalRep) continue;
    const Style style = DefaultStyle(s.kind);
    const Image img(MustRender(s.kind, s.text, style, 300));
    ASSERT_TRUE(img.ok());
    if (style.star) {
      // The star's centre and a point up its top arm are red; the gap between two arms
      // (inside the star's circle but outside the star) is not.
      EXPECT_TRUE(img.Red(ToPx(img, style, 0, 0).first, ToPx(img, style, 0, 0).second))
          << KindName(s.kind);
      const auto [ax, ay] = ToPx(img, style, 0, -style.star_mm / 2 * 0.8);
      EXPECT_TRUE(img.Red(ax, ay)) << KindName(s.kind);
      const auto [gx, gy] = ToPx(img, style, 0, style.star_mm / 2 * 0.75);
      EXPECT_TRUE(img.Clear(gx, gy)) << KindName(s.kind);
    } else {
      // Special seals (专用章): the middle is blank. The invoice seal's middle holds the
      // taxpayer ID, so only the seals with a blank centre are checked over a disc.
      if (s.kind == Kind::kInvoice) continue;
      for (double x = -3; x <= 3; x += 0.25) {
        for (double y = -3; y <= 3; y += 0.25) {
          if (x * x + y * y > 9) continue;
          const auto [px, py] = ToPx(img, style, x, y);
          EXPECT_TRUE(img.Clear(px, py)) << KindName(s.kind) << " at " << x << "," << y;
        }
      }
    }
  }
}

TEST(SealImageTest, InvoiceSealHasTheTaxpayerIdAcrossTheCentre) {
  const Sample s = Samples()[3];
  ASSERT_EQ(s.kind, Kind::kInvoice);
  const Style style = DefaultStyle(Kind::kInvoice);
  const Image img(MustRender(s.kind, s.text, style, 300));
  // Along the centre line from -12 to 12 mm there is red ink in most millimetres.
  int with_ink = 0;
  for (double x = -12; x < 12; x += 1) {
    bool red = false;
    for (double dx = 0; dx < 1 && !red; dx += 0.05) {
      for (double y = -1.5; y <= 1.5 && !red; y += 0.1) {
        const auto [px, py] = ToPx(img, style, x + dx, y);
        red = img.Red(px, py);
      }
    }
    with_ink += red ? 1 : 0;
  }
  EXPECT_GE(with_ink, 20);
}

TEST(SealImageTest, LegalRepFillsAllFourCells) {
  const Style style = DefaultStyle(Kind::kLegalRep);
  const Image img(MustRender(Kind::kLegalRep, {"张三", "", "", ""}, style, 300));
  ASSERT_TRUE(img.ok());
  for (int qx : {-1, 1}) {
    for (int qy : {-1, 1}) {
      int red = 0;
      for (double x = 1; x < 8; x += 0.2) {
        for (double y = 1; y < 8; y += 0.2) {
          const auto [px, py] = ToPx(img, style, qx * x, qy * y);
          red += img.Red(px, py) ? 1 : 0;
        }
      }
      EXPECT_GT(red, 100) << "quadrant " << qx << "," << qy;
    }
  }
}

TEST(SealImageTest, RenderingIsDeterministic) {
  for (const Sample& s : Samples()) {
    const Bytes a = MustRender(s.kind, s.text, DefaultStyle(s.kind), 200);
    const Bytes b = MustRender(s.kind, s.text, DefaultStyle(s.kind), 200);
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a, b) << KindName(s.kind);
  }
  SealText other = Samples()[0].text;
  other.name = "北京华夏数字科技股份公司";
  EXPECT_NE(MustRender(Kind::kLegalName, other, DefaultStyle(Kind::kLegalName), 200),
            MustRender(Kind::kLegalName, Samples()[0].text, DefaultStyle(Kind::kLegalName), 200));
}

TEST(SealImageTest, OtherShapesAndOptionalLinesRender) {
  for (const Variant& v : Variants()) {
    const Bytes png = MustRender(v.kind, v.text, v.style, 150);
    const Image img(png);
    ASSERT_TRUE(img.ok()) << v.file;
    EXPECT_EQ(img.width(), MmToPixels(v.style.width_mm, 150)) << v.file;
    EXPECT_EQ(img.height(), MmToPixels(v.style.height_mm, 150)) << v.file;
  }
}

TEST(SealImageTest, UnusualNamesRender) {
  for (const char* name : {"国", "ACME Trading Co", "广西ABC科技（南宁）有限公司", "中国"}) {
    for (Kind kind : {Kind::kLegalName, Kind::kContract}) {
      const Image img(MustRender(kind, {name, "", "", ""}, DefaultStyle(kind), 150));
      EXPECT_TRUE(img.ok()) << name;
    }
  }
}

TEST(SealImageTest, ColorComesFromTheStyle) {
  Style style = DefaultStyle(Kind::kContract);
  style.color_rgb = 0x0000FF;
  const Image img(
      MustRender(Kind::kContract, {"上海浦江国际贸易有限公司", "", "", ""}, style, 150));
  const auto [x, y] = ToPx(img, style, 0, -(style.height_mm - style.border_mm) / 2);
  const Pixel p = img.At(x, y);
  EXPECT_GT(p.a, 200);
  EXPECT_EQ(p.r, 0);
  EXPECT_GT(p.b, 200);
}

TEST(SealImageTest, ParseKindNamesEveryKind) {
  for (const Sample& s : Samples()) {
    auto k = ParseKind(KindName(s.kind));
    ASSERT_TRUE(k.ok());
    EXPECT_EQ(*k, s.kind);
  }
  EXPECT_EQ(ParseKind("official").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseKind("").status().code(), StatusCode::kInvalidArgument);
}

TEST(SealImageTest, DefaultStylesFollowThePatterns) {
  EXPECT_EQ(DefaultStyle(Kind::kLegalName).shape, Shape::kRound);
  EXPECT_DOUBLE_EQ(DefaultStyle(Kind::kLegalName).width_mm, 42);
  EXPECT_TRUE(DefaultStyle(Kind::kLegalName).star);
  EXPECT_FALSE(DefaultStyle(Kind::kContract).star);
  EXPECT_DOUBLE_EQ(DefaultStyle(Kind::kContract).width_mm, 40);
  EXPECT_EQ(DefaultStyle(Kind::kInvoice).shape, Shape::kOval);
  EXPECT_DOUBLE_EQ(DefaultStyle(Kind::kInvoice).width_mm, 40);
  EXPECT_DOUBLE_EQ(DefaultStyle(Kind::kInvoice).height_mm, 30);
  EXPECT_EQ(DefaultStyle(Kind::kLegalRep).shape, Shape::kSquare);
  EXPECT_TRUE(DefaultStyle(Kind::kGovService).star);
  auto square = DefaultStyle(Kind::kFinance, Shape::kSquare);
  ASSERT_TRUE(square.ok());
  EXPECT_EQ(square->shape, Shape::kSquare);
  EXPECT_EQ(DefaultStyle(Kind::kLegalRep, Shape::kRound).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(DefaultStyle(Kind::kInvoice, Shape::kRound).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(DefaultStyle(Kind::kLegalName, Shape::kSquare).status().code(),
            StatusCode::kInvalidArgument);
}

void ExpectInvalid(Kind kind, const SealText& text, const Style& style, int dpi,
                   std::string_view needle) {
  auto r = RenderPng(kind, text, style, dpi);
  ASSERT_FALSE(r.ok()) << needle;
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().ToString();
  EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().ToString();
}

TEST(SealImageTest, BadInputIsRefusedWithAClearMessage) {
  const Style legal = DefaultStyle(Kind::kLegalName);
  const SealText ok{"北京华夏数字科技有限公司", "", "", ""};
  ExpectInvalid(Kind::kLegalName, {"", "", "", ""}, legal, 300, "empty");
  ExpectInvalid(Kind::kLegalName, {"北京\xE5\x8D", "", "", ""}, legal, 300, "UTF-8");
  ExpectInvalid(Kind::kLegalName, {"\xC0\xAF", "", "", ""}, legal, 300, "UTF-8");
  ExpectInvalid(Kind::kLegalName, {"北京\xED\xA0\x80", "", "", ""}, legal, 300, "UTF-8");
  ExpectInvalid(Kind::kLegalName, {"北京\n公司", "", "", ""}, legal, 300, "control");
  ExpectInvalid(Kind::kLegalName, {" 北京公司", "", "", ""}, legal, 300, "spaces");
  ExpectInvalid(Kind::kLegalName, ok, legal, 71, "dpi");
  ExpectInvalid(Kind::kLegalName, ok, legal, 1201, "dpi");
  // Long names are condensed, then refused.
  std::string long_name;
  for (int i = 0; i < 38; ++i) long_name += "国";
  ExpectInvalid(Kind::kLegalName, {long_name, "", "", ""}, legal, 300, "too long");
  std::string too_many;
  for (int i = 0; i < 41; ++i) too_many += "国";
  ExpectInvalid(Kind::kLegalName, {too_many, "", "", ""}, legal, 300, "at most 40");
  ExpectInvalid(Kind::kLegalName, {"北京华夏公司", "12 34", "", ""}, legal, 300, "ASCII");
  ExpectInvalid(Kind::kLegalName, {"北京华夏公司", "", "", "91440101MA59ABCD1X"}, legal, 300,
                "only invoice");
  // A character the font does not have (an emoji).
  ExpectInvalid(Kind::kLegalName, {"北京\xF0\x9F\x98\x80公司", "", "", ""}, legal, 300, "glyph");

  const Style invoice = DefaultStyle(Kind::kInvoice);
  ExpectInvalid(Kind::kInvoice, {"广州明珠电子商务有限公司", "", "", ""}, invoice, 300,
                "taxpayer ID");
  ExpectInvalid(Kind::kInvoice, {"广州明珠电子商务有限公司", "", "", "91440101ma59abcd1x"}, invoice,
                300, "upper-case");
  ExpectInvalid(Kind::kInvoice, {"广州明珠电子商务有限公司", "", "", "9144"}, invoice, 300,
                "15 to 20");

  const Style rep = DefaultStyle(Kind::kLegalRep);
  ExpectInvalid(Kind::kLegalRep, {"张", "", "", ""}, rep, 300, "at least 2");
  ExpectInvalid(Kind::kLegalRep, {"张三", "", "私章", ""}, rep, 300, "function");
  ExpectInvalid(Kind::kLegalRep,
                {"张三丰张三丰张三丰张三丰张三丰张三丰张三丰张三丰张三", "", "", ""}, rep, 300,
                "too many");

  // Styles: wrong shape for the kind, nonsense sizes, too many pixels.
  Style round_rep = rep;
  round_rep.shape = Shape::kRound;
  ExpectInvalid(Kind::kLegalRep, {"张三", "", "", ""}, round_rep, 300, "cannot be round");
  Style nan = legal;
  nan.border_mm = std::nan("");
  ExpectInvalid(Kind::kLegalName, ok, nan, 300, "finite");
  Style egg = legal;
  egg.height_mm = 30;
  ExpectInvalid(Kind::kLegalName, ok, egg, 300, "round seal");
  Style huge = legal;
  huge.width_mm = huge.height_mm = 90;
  ExpectInvalid(Kind::kLegalName, ok, huge, 300, "10-80 mm");
  Style tiny_text = legal;
  tiny_text.function_text.pitch_mm = 0.1;
  ExpectInvalid(Kind::kLegalName, ok, tiny_text, 300, "pitch");
}

TEST(SealImageTest, FontWithoutChineseIsAClearError) {
  Style style = DefaultStyle(Kind::kLegalName);
  style.font_file = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  if (!std::filesystem::exists(style.font_file)) GTEST_SKIP() << "no DejaVu font here";
  auto r = RenderPng(Kind::kLegalName, {"北京华夏数字科技有限公司", "", "", ""}, style, 300);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("CJK"), std::string::npos);
  style.font_file = "/nonexistent/font.ttc";
  r = RenderPng(Kind::kLegalName, {"北京华夏数字科技有限公司", "", "", ""}, style, 300);
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
}

TEST(SealImageTest, SamplesAreWrittenWhenAsked) {
  const char* dir = std::getenv("ESEAL_SEALIMG_SAMPLES");
  if (dir == nullptr) GTEST_SKIP() << "set ESEAL_SEALIMG_SAMPLES=<dir> to write sample PNGs";
  const char* dpi_env = std::getenv("ESEAL_SEALIMG_SAMPLES_DPI");
  const int dpi = dpi_env != nullptr ? std::atoi(dpi_env) : 150;
  std::filesystem::create_directories(dir);
  for (const Sample& s : Samples()) {
    const Bytes png = MustRender(s.kind, s.text, DefaultStyle(s.kind), dpi);
    std::ofstream(std::string(dir) + "/" + std::string(KindName(s.kind)) + ".png", std::ios::binary)
        .write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
  }
  if (std::getenv("ESEAL_SEALIMG_SAMPLES_ALL") == nullptr) return;
  for (const Variant& v : Variants()) {
    SCOPED_TRACE(v.file);
    const Bytes png = MustRender(v.kind, v.text, v.style, dpi);
    std::ofstream(std::string(dir) + "/" + v.file + ".png", std::ios::binary)
        .write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
  }
}

}  // namespace
}  // namespace eseal::sealimg
