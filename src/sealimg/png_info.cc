// Checks of PNG seal impressions (印模) from outside: the chunk structure is walked by hand
// (so nothing is allocated for a file whose header already fails), then libpng decodes the
// image data row by row into one row buffer to prove it is complete.
#include "eseal/sealimg/png_info.h"

#include <png.h>

#include <array>
#include <cmath>
#include <csetjmp>
#include <cstring>
#include <memory>
#include <string>

#include "internal.h"

namespace eseal::sealimg {
namespace internal {

uint32_t Crc32(ByteView data) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (uint8_t b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

}  // namespace internal

namespace {

constexpr uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

uint32_t Be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

Status Bad(const std::string& why) { return InvalidArgumentError("invalid PNG: " + why); }

struct MemoryReader {
  const uint8_t* data;
  size_t size;
  size_t pos;
};

void ReadFromMemory(png_structp png, png_bytep out, size_t n) {
  auto* r = static_cast<MemoryReader*>(png_get_io_ptr(png));
  if (n > r->size - r->pos) png_error(png, "the file is truncated");
  std::memcpy(out, r->data + r->pos, n);
  r->pos += n;
}

struct ErrorText {
  char text[200];
};

void OnError(png_structp png, png_const_charp msg) {
  auto* err = static_cast<ErrorText*>(png_get_error_ptr(png));
  std::snprintf(err->text, sizeof err->text, "%s", msg != nullptr ? msg : "libpng error");
  png_longjmp(png, 1);
}

void OnWarning(png_structp, png_const_charp) {}

// Decodes every row (all interlace passes) into `row`, which holds one full row. Only C
// objects live in this frame, so libpng's longjmp on error skips no destructor.
bool DecodeAllRows(ByteView png, uint8_t* row, ErrorText* err) {
  png_structp p = png_create_read_struct(PNG_LIBPNG_VER_STRING, err, OnError, OnWarning);
  if (p == nullptr) {
    std::snprintf(err->text, sizeof err->text, "out of memory");
    return false;
  }
  png_infop info = png_create_info_struct(p);
  MemoryReader reader{png.data(), png.size(), 0};
  if (setjmp(png_jmpbuf(p))) {
    png_destroy_read_struct(&p, &info, nullptr);
    return false;
  }
  if (info == nullptr) png_error(p, "out of memory");
  png_set_read_fn(p, &reader, ReadFromMemory);
  png_set_user_limits(p, kMaxImpressionSidePx, kMaxImpressionSidePx);
  png_set_chunk_malloc_max(p, kMaxPngBytes);
  png_read_info(p, info);
  const int passes = png_set_interlace_handling(p);
  png_read_update_info(p, info);
  const png_uint_32 height = png_get_image_height(p, info);
  for (int pass = 0; pass < passes; ++pass) {
    for (png_uint_32 y = 0; y < height; ++y) png_read_row(p, row, nullptr);
  }
  png_read_end(p, nullptr);
  png_destroy_read_struct(&p, &info, nullptr);
  return true;
}

bool ValidDepth(int color_type, int depth) {
  switch (color_type) {
    case 0:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
      return depth == 8 || depth == 16;
    default:
      return false;
  }
}

int Channels(int color_type) {
  switch (color_type) {
    case 2:
      return 3;
    case 4:
      return 2;
    case 6:
      return 4;
    default:
      return 1;
  }
}

}  // namespace

Result<ImageInfo> ProbePng(ByteView png) {
  if (png.size() > kMaxPngBytes) {
    return InvalidArgumentError("the PNG is " + std::to_string(png.size()) +
                                " bytes; the limit is " + std::to_string(kMaxPngBytes));
  }
  if (png.size() < 8 || std::memcmp(png.data(), kSignature, 8) != 0) {
    return Bad("the PNG signature is missing");
  }
  ImageInfo info;
  int color_type = 0;
  int depth = 0;
  bool seen_plte = false;
  bool seen_idat = false;
  bool idat_ended = false;
  bool seen_iend = false;
  size_t pos = 8;
  int chunk_index = 0;
  while (pos < png.size()) {
    if (seen_iend) return Bad("there is data after the IEND chunk");
    if (png.size() - pos < 12) return Bad("the last chunk is truncated");
    const uint32_t len = Be32(&png[pos]);
    if (len > 0x7FFFFFFFu || len > png.size() - pos - 12) return Bad("a chunk is truncated");
    const std::string type(reinterpret_cast<const char*>(&png[pos + 4]), 4);
    for (char c : type) {
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return Bad("a chunk type is bad");
    }
    const uint8_t* data = &png[pos + 8];
    if (internal::Crc32(png.subspan(pos + 4, len + 4)) != Be32(data + len)) {
      return Bad("the CRC of the " + type + " chunk is wrong");
    }
    if (chunk_index == 0 && type != "IHDR") return Bad("the first chunk is not IHDR");
    if (type == "IHDR") {
      if (chunk_index != 0 || len != 13) return Bad("the IHDR chunk is malformed");
      const uint32_t w = Be32(data);
      const uint32_t h = Be32(data + 4);
      depth = data[8];
      color_type = data[9];
      if (w == 0 || h == 0) return Bad("the image has no pixels");
      if (w > kMaxImpressionSidePx || h > kMaxImpressionSidePx) {
        return InvalidArgumentError("the PNG is " + std::to_string(w) + "x" + std::to_string(h) +
                                    " pixels; at most " + std::to_string(kMaxImpressionSidePx) +
                                    " per side are accepted");
      }
      if (!ValidDepth(color_type, depth)) return Bad("the colour type or bit depth is invalid");
      if (data[10] != 0 || data[11] != 0 || data[12] > 1) {
        return Bad("the compression, filter or interlace method is invalid");
      }
      info.width_px = static_cast<int>(w);
      info.height_px = static_cast<int>(h);
      info.has_alpha = color_type == 4 || color_type == 6;
    } else if (type == "PLTE") {
      if (seen_idat || seen_plte || len == 0 || len % 3 != 0 || len > 768) {
        return Bad("the PLTE chunk is malformed or misplaced");
      }
      seen_plte = true;
    } else if (type == "IDAT") {
      if (idat_ended) return Bad("the IDAT chunks are not consecutive");
      seen_idat = true;
    } else if (type == "IEND") {
      if (len != 0) return Bad("the IEND chunk is malformed");
      seen_iend = true;
    } else if (type == "tRNS") {
      info.has_alpha = true;
    } else if (type == "pHYs") {
      if (len != 9) return Bad("the pHYs chunk is malformed");
      if (data[8] == 1) {  // pixels per metre
        info.dpi_x = static_cast<int>(std::lround(Be32(data) * 0.0254));
        info.dpi_y = static_cast<int>(std::lround(Be32(data + 4) * 0.0254));
      }
    } else if (type[0] >= 'A' && type[0] <= 'Z') {
      return Bad("unknown critical chunk " + type);
    }
    if (seen_idat && type != "IDAT") idat_ended = true;
    pos += 12 + len;
    ++chunk_index;
  }
  if (!seen_iend) return Bad("the IEND chunk is missing");
  if (!seen_idat) return Bad("there is no image data (IDAT)");
  if (color_type == 3 && !seen_plte) return Bad("a palette image has no PLTE chunk");

  const size_t row_bytes =
      (static_cast<size_t>(info.width_px) * Channels(color_type) * depth + 7) / 8;
  auto row = std::make_unique<uint8_t[]>(row_bytes + 16);
  ErrorText err{};
  if (!DecodeAllRows(png, row.get(), &err)) {
    return Bad(std::string("the image data does not decode (") + err.text + ")");
  }
  return info;
}

}  // namespace eseal::sealimg
