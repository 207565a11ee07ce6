#include "image_decode.h"

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <jpeglib.h>

namespace eseal::render::internal {
namespace {

uint32_t Be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

struct PngReader {
  ByteView data;
  size_t pos = 0;
};

cairo_status_t ReadPng(void* closure, unsigned char* out, unsigned int length) {
  auto* r = static_cast<PngReader*>(closure);
  if (r->data.size() - r->pos < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(out, r->data.data() + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

Result<Surface> DecodePng(ByteView data, uint64_t max_pixels) {
  // IHDR is the first chunk: signature (8), length (4), "IHDR" (4), width, height.
  if (data.size() < 24 || std::memcmp(data.data() + 12, "IHDR", 4) != 0) {
    return InvalidArgumentError("PNG image without an IHDR header");
  }
  uint64_t w = Be32(data.data() + 16), h = Be32(data.data() + 20);
  if (w == 0 || h == 0 || w > 32767 || h > 32767 || w * h > max_pixels) {
    return ResourceExhaustedError("PNG image of " + std::to_string(w) + "x" + std::to_string(h) +
                                  " pixels is larger than the limit");
  }
  PngReader reader{data, 0};
  Surface s(cairo_image_surface_create_from_png_stream(&ReadPng, &reader));
  if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS) {
    return InvalidArgumentError(std::string("PNG image cannot be decoded: ") +
                                cairo_status_to_string(cairo_surface_status(s.get())));
  }
  return s;
}

struct JpegError {
  jpeg_error_mgr mgr;
  jmp_buf jump;
  // Why the decoder jumped back; volatile because it is written after setjmp (an automatic
  // object changed between setjmp and longjmp is otherwise indeterminate after the jump).
  volatile int too_many_scans = 0;
};

void JpegErrorExit(j_common_ptr cinfo) {
  auto* e = reinterpret_cast<JpegError*>(cinfo->err);
  std::longjmp(e->jump, 1);
}
void JpegSilence(j_common_ptr, int) {}
void JpegNoOutput(j_common_ptr) {}

// Every scan of a progressive (or multi-scan) JPEG is a pass over the whole image's
// coefficients, and an empty scan costs ten bytes of file: a 60 KB file of 6,000 empty
// scans on a 40 Mpx grey frame (the default pixel limit) kept libjpeg-turbo 2.1.5 busy for
// 26 s of CPU, and the time grows with the file's size. Real encoders write a few dozen scans
// at most (libjpeg's progressive script has 10), so more than this many is refused.
// libjpeg calls the progress monitor while it absorbs the input, once per row of MCUs;
// input_scan_number counts the scans seen so far.
constexpr int kMaxJpegScans = 256;

void JpegScanLimit(j_common_ptr cinfo) {
  if (!cinfo->is_decompressor) return;
  auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
  if (d->input_scan_number > kMaxJpegScans) {
    auto* e = reinterpret_cast<JpegError*>(cinfo->err);
    e->too_many_scans = 1;
    std::longjmp(e->jump, 1);
  }
}

// Plain C-style decoding: between setjmp and longjmp only libjpeg's frames run, and this
// frame holds nothing with a destructor that could be skipped. Returns 0 on success,
// 1 on a libjpeg error, 2 if the image is too large, 3 if it has too many scans.
int DecodeJpegRaw(const uint8_t* data, size_t size, uint64_t max_pixels, std::vector<uint8_t>* rgb,
                  unsigned* width, unsigned* height) {
  jpeg_decompress_struct cinfo;
  JpegError err;
  jpeg_progress_mgr progress{};
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = &JpegErrorExit;
  err.mgr.emit_message = &JpegSilence;
  err.mgr.output_message = &JpegNoOutput;
  if (setjmp(err.jump) != 0) {
    jpeg_destroy_decompress(&cinfo);
    return err.too_many_scans ? 3 : 1;
  }
  jpeg_create_decompress(&cinfo);
  progress.progress_monitor = &JpegScanLimit;
  cinfo.progress = &progress;
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  if (cinfo.image_width == 0 || cinfo.image_height == 0 || cinfo.image_width > 32767 ||
      cinfo.image_height > 32767 || uint64_t{cinfo.image_width} * cinfo.image_height > max_pixels) {
    jpeg_destroy_decompress(&cinfo);
    return 2;
  }
  const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  jpeg_start_decompress(&cinfo);
  const unsigned w = cinfo.output_width, h = cinfo.output_height;
  const unsigned comps = static_cast<unsigned>(cinfo.output_components);
  rgb->assign(static_cast<size_t>(w) * h * 3, 0);
  std::vector<uint8_t>& out = *rgb;
  // One scanline buffer from libjpeg's pool (freed with the decompressor).
  JSAMPARRAY line =
      (*cinfo.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&cinfo), JPOOL_IMAGE, w * comps, 1);
  while (cinfo.output_scanline < h) {
    unsigned y = cinfo.output_scanline;
    jpeg_read_scanlines(&cinfo, line, 1);
    for (unsigned x = 0; x < w; ++x) {
      uint8_t* o = &out[(static_cast<size_t>(y) * w + x) * 3];
      const JSAMPLE* i = &line[0][x * comps];
      if (comps == 4) {
        // Adobe CMYK JPEGs are stored inverted: the values are already 255 - ink.
        o[0] = static_cast<uint8_t>(i[0] * i[3] / 255);
        o[1] = static_cast<uint8_t>(i[1] * i[3] / 255);
        o[2] = static_cast<uint8_t>(i[2] * i[3] / 255);
      } else if (comps == 3) {
        o[0] = i[0];
        o[1] = i[1];
        o[2] = i[2];
      } else {
        o[0] = o[1] = o[2] = i[0];
      }
    }
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  *width = w;
  *height = h;
  return 0;
}

Result<Surface> DecodeJpeg(ByteView data, uint64_t max_pixels) {
  std::vector<uint8_t> rgb;
  unsigned w = 0, h = 0;
  int rc = DecodeJpegRaw(data.data(), data.size(), max_pixels, &rgb, &w, &h);
  if (rc == 2) return ResourceExhaustedError("JPEG image is larger than the pixel limit");
  if (rc == 3) {
    return ResourceExhaustedError("JPEG image has more than " + std::to_string(kMaxJpegScans) +
                                  " scans");
  }
  if (rc != 0 || w == 0 || h == 0) return InvalidArgumentError("JPEG image cannot be decoded");
  Surface s(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(w), static_cast<int>(h)));
  if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS) {
    return ResourceExhaustedError("cannot allocate a surface for a JPEG image");
  }
  cairo_surface_flush(s.get());
  unsigned char* px = cairo_image_surface_get_data(s.get());
  const int stride = cairo_image_surface_get_stride(s.get());
  for (unsigned y = 0; y < h; ++y) {
    auto* row = reinterpret_cast<uint32_t*>(px + static_cast<size_t>(y) * stride);
    for (unsigned x = 0; x < w; ++x) {
      const uint8_t* i = &rgb[(static_cast<size_t>(y) * w + x) * 3];
      row[x] = 0xFF000000u | (uint32_t{i[0]} << 16) | (uint32_t{i[1]} << 8) | i[2];
    }
  }
  cairo_surface_mark_dirty(s.get());
  return s;
}

}  // namespace

ImageKind Sniff(ByteView d) {
  if (d.size() >= 8 && std::memcmp(d.data(), "\x89PNG\r\n\x1a\n", 8) == 0) return ImageKind::kPng;
  if (d.size() >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return ImageKind::kJpeg;
  return ImageKind::kOther;
}

Result<Surface> DecodeImage(ByteView data, uint64_t max_pixels) {
  switch (Sniff(data)) {
    case ImageKind::kPng:
      return DecodePng(data, max_pixels);
    case ImageKind::kJpeg:
      return DecodeJpeg(data, max_pixels);
    default:
      return InvalidArgumentError("image is neither PNG nor JPEG");
  }
}

}  // namespace eseal::render::internal
