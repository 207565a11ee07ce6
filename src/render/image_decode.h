// Internal: decoding PNG and JPEG images into cairo surfaces, with the image size checked
// from the file header before any pixel buffer is allocated.
#pragma once

#include <cairo.h>

#include <memory>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"

namespace eseal::render::internal {

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;

enum class ImageKind { kPng, kJpeg, kOther };
ImageKind Sniff(ByteView data);

// InvalidArgument for data that is not a decodable PNG or JPEG; ResourceExhausted if the
// header announces more than `max_pixels` pixels.
Result<Surface> DecodeImage(ByteView data, uint64_t max_pixels);

}  // namespace eseal::render::internal
