// Page rendering: rasterises one OFD page (GB/T 33190-2016) to a bitmap or PNG with cairo,
// "enough of a renderer" to show a page's text, paths and images and, on top, the seal
// appearances where they stand. It is for previews and verification reports, not for print:
// text is drawn with a CJK system font (Noto CJK) at the TextCode positions, not with the
// document's embedded fonts; shadings, patterns and composite objects are skipped; images
// other than PNG and JPEG are drawn as grey placeholder boxes.
//
// Bounded: the DPI must lie in [kMinDpi, kMaxDpi], the bitmap may not exceed
// RenderOptions::max_pixels, each decoded image is checked against max_image_pixels from its
// header before it is decoded, and all reads go through the package's Limits.
//
// Thread-safety: functions are reentrant; distinct calls may run on distinct threads.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/ofd/geometry.h"
#include "eseal/ofd/reader.h"

namespace eseal::render {

inline constexpr double kMinDpi = 10;
inline constexpr double kMaxDpi = 1200;

// A picture drawn on top of the page: a seal appearance (印章图像) from the seal, placed at a
// StampAnnot's Boundary. `clip`, when set, is a box relative to the boundary's origin
// (the StampAnnot@Clip of a riding seal, 骑缝章): only that part is drawn.
struct Overlay {
  Bytes png;
  ofd::Box boundary;  // page millimetres
  std::optional<ofd::Box> clip;
};

struct RenderOptions {
  double dpi = 96;
  std::vector<Overlay> overlays;
  bool draw_templates = true;
  uint64_t max_pixels = 40'000'000;        // of the page bitmap (A4 at 600 dpi is 35 M)
  uint64_t max_image_pixels = 40'000'000;  // of one decoded image
};

// A rendered page: premultiplied ARGB32 pixels (cairo's format), row by row.
struct Bitmap {
  int width = 0;
  int height = 0;
  std::vector<uint32_t> pixels;  // width * height
  uint32_t At(int x, int y) const { return pixels[static_cast<size_t>(y) * width + x]; }
  // 0..255 channels of the pixel (un-premultiplied as rendered on white: the page is opaque).
  static uint8_t Red(uint32_t p) { return static_cast<uint8_t>(p >> 16); }
  static uint8_t Green(uint32_t p) { return static_cast<uint8_t>(p >> 8); }
  static uint8_t Blue(uint32_t p) { return static_cast<uint8_t>(p); }
};

// The pixel size of a page of `width_mm` x `height_mm` at `dpi`, or the error RenderPage
// would give (InvalidArgument for a DPI out of range, ResourceExhausted over max_pixels).
Result<std::pair<int, int>> PixelSize(double width_mm, double height_mm,
                                      const RenderOptions& options);

// Renders page `page_index` (0-based) of the reader's document.
Result<Bitmap> RenderPage(const ofd::Reader& reader, size_t page_index,
                          const RenderOptions& options = {});

// PNG encoding of a bitmap.
Result<Bytes> EncodePng(const Bitmap& bitmap);

// RenderPage followed by EncodePng.
Result<Bytes> RenderPagePng(const ofd::Reader& reader, size_t page_index,
                            const RenderOptions& options = {});

}  // namespace eseal::render
