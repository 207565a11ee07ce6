#include "eseal/render/render.h"

#include <cairo.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "image_decode.h"

namespace eseal::render {
namespace {

const std::string kData = ESEAL_SHARED_TESTDATA "/ofdrw/";

ofd::Reader Open(const std::string& rel) {
  auto r = ofd::Reader::OpenFile(kData + rel);
  EXPECT_TRUE(r.ok()) << rel << ": " << r.status().ToString();
  if (!r.ok()) std::abort();
  return std::move(r).value();
}

int Px(double mm, double dpi) { return static_cast<int>(mm / 25.4 * dpi); }

bool IsWhite(uint32_t p) {
  return Bitmap::Red(p) > 245 && Bitmap::Green(p) > 245 && Bitmap::Blue(p) > 245;
}
bool IsDark(uint32_t p) {
  return Bitmap::Red(p) < 128 && Bitmap::Green(p) < 128 && Bitmap::Blue(p) < 128;
}
bool IsRed(uint32_t p) {
  return Bitmap::Red(p) > 200 && Bitmap::Green(p) < 60 && Bitmap::Blue(p) < 60;
}

// Counts pixels in a box given in page millimetres.
int Count(const Bitmap& bm, double dpi, ofd::Box box, bool (*pred)(uint32_t)) {
  int n = 0;
  for (int y = Px(box.y, dpi); y < Px(box.bottom(), dpi) && y < bm.height; ++y) {
    for (int x = Px(box.x, dpi); x < Px(box.right(), dpi) && x < bm.width; ++x)
      n += pred(bm.At(x, y));
  }
  return n;
}

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<Bytes*>(closure)->insert(static_cast<Bytes*>(closure)->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

Bytes SolidPng(double r, double g, double b, int size = 64) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size, size);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, r, g, b);
  cairo_paint(cr);
  cairo_destroy(cr);
  Bytes out;
  cairo_surface_write_to_png_stream(s, &Append, &out);
  cairo_surface_destroy(s);
  return out;
}

TEST(RenderTest, TextIsDrawnWhereItStands) {
  ofd::Reader r = Open("unsigned/helloworld.ofd");
  RenderOptions opt;
  opt.dpi = 150;
  auto bm = RenderPage(r, 0, opt);
  ASSERT_TRUE(bm.ok()) << bm.status().ToString();
  EXPECT_EQ(bm->width, 1241);   // 210 mm at 150 dpi
  EXPECT_EQ(bm->height, 1754);  // 297 mm
  // The text "你好呀，OFD Reader&Writer！" at Boundary 31.7 25.4, baseline 3 mm down, 3 mm font.
  ofd::Box first_char{31.7, 25.4 + 0.4, 3, 2.6};
  EXPECT_GT(Count(*bm, opt.dpi, first_char, IsDark), 20);
  ofd::Box ofd_word{31.7 + 12, 25.4 + 0.8, 4.5, 2.2};
  EXPECT_GT(Count(*bm, opt.dpi, ofd_word, IsDark), 10);
  // Nothing elsewhere: above the text and in the middle of the page.
  EXPECT_EQ(Count(*bm, opt.dpi, {31.7, 15, 40, 9}, IsDark), 0);
  EXPECT_EQ(Count(*bm, opt.dpi, {50, 100, 100, 100}, [](uint32_t p) { return !IsWhite(p); }), 0);
  auto png = EncodePng(*bm);
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(internal::Sniff(*png), internal::ImageKind::kPng);
}

TEST(RenderTest, OverlaysAtTheirBoundaryWithClip) {
  ofd::Reader r = Open("unsigned/helloworld.ofd");
  RenderOptions opt;
  opt.dpi = 100;
  opt.overlays.push_back({SolidPng(1, 0, 0), {100, 150, 40, 40}, std::nullopt});
  // A riding seal's slice: only the left 8 mm of the 40 mm stamp.
  opt.overlays.push_back({SolidPng(0, 0, 1), {20, 200, 40, 40}, ofd::Box{0, 0, 8, 40}});
  auto bm = RenderPage(r, 0, opt);
  ASSERT_TRUE(bm.ok()) << bm.status().ToString();
  EXPECT_TRUE(IsRed(bm->At(Px(120, 100), Px(170, 100))));
  EXPECT_TRUE(IsRed(bm->At(Px(101, 100), Px(151, 100))));
  EXPECT_TRUE(IsWhite(bm->At(Px(98, 100), Px(170, 100))));
  EXPECT_TRUE(IsWhite(bm->At(Px(142, 100), Px(170, 100))));
  EXPECT_TRUE(IsWhite(bm->At(Px(120, 100), Px(192, 100))));
  uint32_t blue = bm->At(Px(24, 100), Px(220, 100));
  EXPECT_GT(Bitmap::Blue(blue), 200);
  EXPECT_LT(Bitmap::Red(blue), 60);
  EXPECT_TRUE(IsWhite(bm->At(Px(40, 100), Px(220, 100))));  // clipped away
  // A riding-seal slice entirely from one 40 mm picture: each page shows its own part.
  opt.overlays = {{SolidPng(1, 0, 0), {202, 40, 40, 40}, ofd::Box{0, 0, 8, 40}}};
  bm = RenderPage(r, 0, opt);
  ASSERT_TRUE(bm.ok());
  EXPECT_TRUE(IsRed(bm->At(Px(206, 100), Px(60, 100))));
  EXPECT_TRUE(IsWhite(bm->At(Px(199, 100), Px(60, 100))));
}

TEST(RenderTest, PathsAndColours) {
  ofd::Reader r = Open("signed/generated-with-ofdrw/v4-seal-riding.ofd");
  RenderOptions opt;
  opt.dpi = 72;
  auto bm = RenderPage(r, 0, opt);
  ASSERT_TRUE(bm.ok()) << bm.status().ToString();
  // PathObject 3: Boundary 70 5.353 70x30, filled red; PathObject 4 strokes its outline.
  EXPECT_TRUE(IsRed(bm->At(Px(105, 72), Px(20, 72))));
  EXPECT_TRUE(IsWhite(bm->At(Px(105, 72), Px(40.8, 72))));  // the gap between two boxes
  EXPECT_TRUE(IsWhite(bm->At(Px(30, 72), Px(20, 72))));
  EXPECT_TRUE(IsDark(bm->At(Px(69.9, 72), Px(20, 72))) || IsDark(bm->At(Px(69.5, 72), Px(20, 72))));
}

TEST(RenderTest, InvoiceWithTemplateImageAndText) {
  ofd::Reader r = Open("unsigned/invoice-unsigned.ofd");
  RenderOptions opt;
  opt.dpi = 150;
  auto bm = RenderPage(r, 0, opt);
  ASSERT_TRUE(bm.ok()) << bm.status().ToString();
  EXPECT_EQ(bm->height, Px(140, 150) + 1);
  // The QR code image (ImageObject 6921, Boundary 6.5 6 20 20): black and white modules.
  ofd::Box qr{7, 6.5, 19, 19};
  EXPECT_GT(Count(*bm, opt.dpi, qr, IsDark), 500);
  EXPECT_GT(Count(*bm, opt.dpi, qr, IsWhite), 500);
  // Template text in dark red (DrawParam 4 -> FillColor 128 0 0): the title.
  auto brownish = [](uint32_t p) {
    return Bitmap::Red(p) > 90 && Bitmap::Green(p) < 80 && Bitmap::Blue(p) < 80;
  };
  EXPECT_GT(Count(*bm, opt.dpi, {57, 9, 80, 6}, brownish), 100);
  // The buyer's name on the page itself, in black.
  EXPECT_GT(Count(*bm, opt.dpi, {20, 34, 35, 4}, IsDark), 50);
  // Without templates the title disappears.
  opt.draw_templates = false;
  auto bare = RenderPage(r, 0, opt);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(Count(*bare, opt.dpi, {57, 9, 80, 6}, brownish), 0);
}

TEST(RenderTest, JpegImages) {
  ofd::Reader r = Open("signed/ofdrw-repo-vendor/testImageOverridePage.ofd");
  auto jpg = r.package().Read("/Doc_0/Res/image_2_5.jpg");
  ASSERT_TRUE(jpg.ok());
  auto surface = internal::DecodeImage(*jpg, 40'000'000);
  ASSERT_TRUE(surface.ok()) << surface.status().ToString();
  EXPECT_GT(cairo_image_surface_get_width(surface->get()), 100);
  EXPECT_EQ(internal::DecodeImage(*jpg, 1000).status().code(), StatusCode::kResourceExhausted);
  Bytes truncated(jpg->begin(), jpg->begin() + 100);
  EXPECT_FALSE(internal::DecodeImage(truncated, 40'000'000).ok());

  RenderOptions opt;
  opt.dpi = 30;
  auto bm = RenderPage(r, 0, opt);
  ASSERT_TRUE(bm.ok()) << bm.status().ToString();
  // The page is a scanned photo (the template's rotated JPEG): many colours, mostly not white
  // and not the grey of a placeholder.
  std::set<uint32_t> colours;
  int painted = 0;
  for (uint32_t p : bm->pixels) {
    colours.insert(p);
    painted += !IsWhite(p);
  }
  EXPECT_GT(colours.size(), 500u);
  EXPECT_GT(painted, static_cast<int>(bm->pixels.size() / 2));
}

// A progressive JPEG (SOF2) of one 8x8 grey block, written by hand: a quantisation table of
// ones, one DC Huffman code ("0" = difference 0), then `scans` DC scans of one block each
// and EOI. Repeating a scan is legal enough for libjpeg (it refines nothing), which is what
// makes empty scans a way to buy decoder work with ten bytes each.
Bytes ProgressiveJpeg(int scans) {
  Bytes j = {0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x00};
  j.insert(j.end(), 64, 0x01);
  const Bytes frame = {0xFF, 0xC2, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00};
  j.insert(j.end(), frame.begin(), frame.end());
  // DHT: class 0 table 0, one code of length 1 (then 15 zero counts), symbol 0.
  const Bytes dht = {0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01};
  j.insert(j.end(), dht.begin(), dht.end());
  j.insert(j.end(), 15, 0x00);
  j.push_back(0x00);
  const Bytes scan = {0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x7F};
  for (int i = 0; i < scans; ++i) j.insert(j.end(), scan.begin(), scan.end());
  j.push_back(0xFF);
  j.push_back(0xD9);
  return j;
}

TEST(RenderTest, JpegWithTooManyScansIsRefused) {
  // A few scans decode (the image is mid grey: all coefficients are zero).
  auto ok = internal::DecodeImage(ProgressiveJpeg(10), 40'000'000);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(cairo_image_surface_get_width(ok->get()), 8);
  // Hundreds of scans are refused before they are all decoded, whatever the frame size
  // (fuzz/corpus/render_image/crash-jpeg-many-scans.bin is the same on a 1 Mpx frame).
  auto many = internal::DecodeImage(ProgressiveJpeg(300), 40'000'000);
  EXPECT_EQ(many.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(many.status().message().find("scans"), std::string::npos);
  EXPECT_TRUE(internal::DecodeImage(ProgressiveJpeg(256), 40'000'000).ok());
}

TEST(RenderTest, FeaturesFile) {
  auto r = ofd::Reader::OpenFile(ESEAL_TESTDATA "/ofd/features.ofd");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  RenderOptions opt;
  opt.dpi = 100;
  auto bm = RenderPage(*r, 0, opt);
  ASSERT_TRUE(bm.ok()) << bm.status().ToString();
  auto px = [&](double x, double y) { return bm->At(Px(x, 100), Px(y, 100)); };
  auto is = [](uint32_t p, int red, int green, int blue) {
    return std::abs(Bitmap::Red(p) - red) < 30 && std::abs(Bitmap::Green(p) - green) < 30 &&
           std::abs(Bitmap::Blue(p) - blue) < 30;
  };
  // Two arcs make a disc: blue at the centre and on the rim, not in the box's corner.
  EXPECT_TRUE(is(px(40, 40), 0, 0, 255));
  EXPECT_TRUE(is(px(40, 21), 0, 0, 255));
  EXPECT_TRUE(is(px(58.5, 40), 0, 0, 255));
  EXPECT_TRUE(IsWhite(px(21.5, 21.5)));
  // The background layer (yellow) is under the disc although it comes later in the file.
  EXPECT_TRUE(is(px(15, 40), 255, 255, 0));
  EXPECT_TRUE(is(px(40, 45), 0, 0, 255));
  // DrawParam chain: magenta fill from 4, green 1.5 mm stroke from 3 (Relative).
  EXPECT_TRUE(is(px(90, 30), 255, 0, 255));
  EXPECT_TRUE(is(px(82, 30), 0, 128, 0));
  // The PNG image through its MultiMedia resource and CTM.
  EXPECT_TRUE(is(px(125, 25), 0, 200, 0));
  EXPECT_TRUE(IsWhite(px(132, 25)));
  // Red vertical text in its column; the foreground template's text.
  EXPECT_GT(Count(*bm, 100, {150, 60, 8, 40}, IsRed), 50);
  EXPECT_GT(Count(*bm, 100, {20, 120, 36, 7}, IsDark), 50);
}

TEST(RenderTest, BoundsAndBadInput) {
  ofd::Reader r = Open("unsigned/helloworld.ofd");
  RenderOptions opt;
  opt.dpi = 5000;
  EXPECT_EQ(RenderPage(r, 0, opt).status().code(), StatusCode::kInvalidArgument);
  opt.dpi = 1;
  EXPECT_EQ(RenderPage(r, 0, opt).status().code(), StatusCode::kInvalidArgument);
  opt.dpi = 1200;  // A4 at 1200 dpi is 139 M pixels
  EXPECT_EQ(RenderPage(r, 0, opt).status().code(), StatusCode::kResourceExhausted);
  opt.dpi = 96;
  EXPECT_EQ(RenderPage(r, 3, opt).status().code(), StatusCode::kInvalidArgument);
  opt.overlays.push_back({ToBytes("not a png"), {0, 0, 10, 10}, std::nullopt});
  EXPECT_EQ(RenderPage(r, 0, opt).status().code(), StatusCode::kInvalidArgument);
  // A PNG header announcing 30000 x 30000 pixels is refused before decoding.
  Bytes bomb = SolidPng(1, 0, 0, 4);
  bomb[16] = 0;
  bomb[17] = 0;
  bomb[18] = 0x75;
  bomb[19] = 0x30;
  bomb[20] = 0;
  bomb[21] = 0;
  bomb[22] = 0x75;
  bomb[23] = 0x30;
  opt.overlays = {{bomb, {0, 0, 10, 10}, std::nullopt}};
  EXPECT_EQ(RenderPage(r, 0, opt).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(PixelSize(210, 297, RenderOptions{})->first, 794);
}

TEST(RenderTest, EveryRealPageRenders) {
  RenderOptions opt;
  opt.dpi = 20;
  int pages = 0;
  for (const auto& de : std::filesystem::recursive_directory_iterator(kData)) {
    if (!de.is_regular_file() || de.path().extension() != ".ofd") continue;
    auto r = ofd::Reader::OpenFile(de.path().string());
    ASSERT_TRUE(r.ok()) << de.path();
    for (size_t i = 0; i < r->page_count() && i < 3; ++i) {
      auto png = RenderPagePng(*r, i, opt);
      ASSERT_TRUE(png.ok()) << de.path() << " page " << i << ": " << png.status().ToString();
      ++pages;
    }
  }
  EXPECT_GE(pages, 50);
}

}  // namespace
}  // namespace eseal::render
