// Tests of ProbePng, the check of PNG seal impressions from outside: good files pass with
// their size and resolution; truncated, corrupted, oversized or padded files are refused.
#include "eseal/sealimg/png_info.h"

#include <cairo.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "eseal/sealimg/seal_image.h"
#include "internal.h"

namespace eseal::sealimg {
namespace {

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int len) {
  auto* out = static_cast<Bytes*>(closure);
  out->insert(out->end(), data, data + len);
  return CAIRO_STATUS_SUCCESS;
}

// A PNG written by cairo (no pHYs chunk).
Bytes CairoPng(int w, int h, cairo_format_t format) {
  cairo_surface_t* s = cairo_image_surface_create(format, w, h);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 0.9, 0, 0.07);
  cairo_rectangle(cr, 1, 1, w / 2.0, h / 2.0);
  cairo_fill(cr);
  cairo_destroy(cr);
  Bytes png;
  cairo_surface_write_to_png_stream(s, Append, &png);
  cairo_surface_destroy(s);
  return png;
}

uint32_t Be32(const Bytes& b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) |
         uint32_t{b[at + 3]};
}

void PutBe32(Bytes& b, size_t at, uint32_t v) {
  b[at] = static_cast<uint8_t>(v >> 24);
  b[at + 1] = static_cast<uint8_t>(v >> 16);
  b[at + 2] = static_cast<uint8_t>(v >> 8);
  b[at + 3] = static_cast<uint8_t>(v);
}

// Offset of the first chunk of a type, or 0.
size_t FindChunk(const Bytes& png, const std::string& type) {
  for (size_t pos = 8; pos + 12 <= png.size();) {
    const uint32_t len = Be32(png, pos);
    if (std::string(png.begin() + pos + 4, png.begin() + pos + 8) == type) return pos;
    pos += 12 + len;
  }
  return 0;
}

void FixCrc(Bytes& png, size_t chunk) {
  const uint32_t len = Be32(png, chunk);
  PutBe32(png, chunk + 8 + len, internal::Crc32(ByteView(png).subspan(chunk + 4, len + 4)));
}

TEST(ProbePngTest, AcceptsRenderedSealsWithTheirResolution) {
  auto png = RenderPng(Kind::kLegalRep, {"张三", "", "", ""}, 150);
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  auto info = ProbePng(*png);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->width_px, MmToPixels(20, 150));
  EXPECT_EQ(info->height_px, MmToPixels(20, 150));
  EXPECT_EQ(info->dpi_x, 150);
  EXPECT_TRUE(info->has_alpha);
}

TEST(ProbePngTest, AcceptsPlainPngsWithoutResolution) {
  auto info = ProbePng(CairoPng(64, 48, CAIRO_FORMAT_RGB24));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->width_px, 64);
  EXPECT_EQ(info->height_px, 48);
  EXPECT_FALSE(info->has_alpha);
  EXPECT_EQ(info->dpi_x, 0);
  info = ProbePng(CairoPng(4096, 2, CAIRO_FORMAT_ARGB32));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_TRUE(info->has_alpha);
}

void ExpectBad(const Bytes& png, const std::string& needle) {
  auto info = ProbePng(png);
  ASSERT_FALSE(info.ok()) << needle;
  EXPECT_EQ(info.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(info.status().message().find(needle), std::string::npos) << info.status().ToString();
}

TEST(ProbePngTest, RefusesBrokenFiles) {
  const Bytes good = CairoPng(40, 30, CAIRO_FORMAT_ARGB32);
  ExpectBad({}, "signature");
  ExpectBad(ToBytes("GIF89a not a png at all"), "signature");
  ExpectBad(Bytes(good.begin(), good.begin() + good.size() / 2), "truncated");
  ExpectBad(Bytes(good.begin(), good.end() - 12), "IEND");

  Bytes trailing = good;
  trailing.push_back(0);
  ExpectBad(trailing, "after the IEND");

  Bytes crc = good;
  crc[FindChunk(crc, "IDAT") + 10] ^= 0x01;
  ExpectBad(crc, "CRC");

  // Image data that fails to decompress, with a correct chunk CRC.
  Bytes zlib = good;
  const size_t idat = FindChunk(zlib, "IDAT");
  ASSERT_NE(idat, 0u);
  for (size_t i = idat + 10; i < idat + 8 + Be32(zlib, idat) - 4; i += 7) zlib[i] ^= 0x5A;
  FixCrc(zlib, idat);
  ExpectBad(zlib, "does not decode");

  // Dimensions past the bound are refused from the header alone.
  Bytes wide = good;
  PutBe32(wide, 16, 5000);
  FixCrc(wide, 8);
  ExpectBad(wide, "at most 4096");
  Bytes zero = good;
  PutBe32(zero, 20, 0);
  FixCrc(zero, 8);
  ExpectBad(zero, "no pixels");
  Bytes depth = good;
  depth[24] = 3;  // bit depth 3 does not exist
  FixCrc(depth, 8);
  ExpectBad(depth, "bit depth");
  Bytes interlace = good;
  interlace[28] = 2;
  FixCrc(interlace, 8);
  ExpectBad(interlace, "interlace");
  Bytes oversized(kMaxPngBytes + 1, 0);
  ExpectBad(oversized, "limit");
}

// The fuzz seeds are the small valid PNG variants (palette, 16-bit grey, interlaced, RGB,
// RGBA with pHYs); the one called truncated is not.
TEST(ProbePngTest, FuzzSeedsAreWhatTheySayTheyAre) {
  const std::filesystem::path dir =
      std::filesystem::path(ESEAL_SOURCE_DIR) / "fuzz/corpus/png_probe";
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    const Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const bool expect_ok = e.path().filename().string().find("truncated") == std::string::npos;
    auto info = ProbePng(data);
    EXPECT_EQ(info.ok(), expect_ok) << e.path() << ": " << info.status().ToString();
    ++n;
  }
  EXPECT_GE(n, 5);
}

}  // namespace
}  // namespace eseal::sealimg
