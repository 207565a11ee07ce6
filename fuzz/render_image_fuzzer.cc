// Fuzzes the image decoders of the page renderer (src/render/image_decode.cc): PNG through
// cairo and libpng, JPEG through libjpeg (baseline, progressive, CMYK/YCCK), as they arrive
// inside an OFD package (ImageObject resources) or as seal pictures drawn as overlays.
// A decoded image must respect the pixel limit the caller gave, and is painted once onto a
// small surface so that cairo reads every pixel it produced.
//
// The limit is 1 Mpx here (the renderer's default is 40 Mpx) so that each input stays fast;
// the code paths are the same.
#include <cairo.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "image_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace eseal::render::internal;
  constexpr uint64_t kMaxPixels = uint64_t{1} << 20;
  eseal::ByteView in(data, size);
  const ImageKind kind = Sniff(in);
  auto surface = DecodeImage(in, kMaxPixels);
  if (!surface.ok()) {
    // Refusals are the input's fault (or its size), never an internal error.
    const auto code = surface.status().code();
    if (code != eseal::StatusCode::kInvalidArgument &&
        code != eseal::StatusCode::kResourceExhausted) {
      std::abort();
    }
    return 0;
  }
  if (kind == ImageKind::kOther) std::abort();  // only PNG and JPEG may decode
  cairo_surface_t* s = surface->get();
  const int w = cairo_image_surface_get_width(s);
  const int h = cairo_image_surface_get_height(s);
  if (w <= 0 || h <= 0 || static_cast<uint64_t>(w) * static_cast<uint64_t>(h) > kMaxPixels) {
    std::abort();
  }
  cairo_surface_t* target = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 16, 16);
  cairo_t* cr = cairo_create(target);
  cairo_scale(cr, 16.0 / w, 16.0 / h);
  cairo_set_source_surface(cr, s, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
  cairo_paint(cr);
  cairo_destroy(cr);
  cairo_surface_destroy(target);
  return 0;
}
