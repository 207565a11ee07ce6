// PNG to RGB + alpha (image.h).
#include "eseal/pdf/image.h"

#include <zlib.h>

#include <cstdlib>
#include <string>

namespace eseal::pdf {
namespace {

uint32_t Be32(const uint8_t* p) { return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3]; }

Status Unsupported(std::string_view why) {
  return InvalidArgumentError("印章图片不是本系统能放入 PDF 的 PNG 格式（" + std::string(why) +
                              "），请使用 8 位 RGB/RGBA 非隔行 PNG / the seal picture is not a PNG this writer "
                              "takes: " + std::string(why));
}

int Paeth(int a, int b, int c) {
  int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

}  // namespace

Result<RgbImage> DecodePng(ByteView png) {
  static const uint8_t kSig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (png.size() < 8 || !std::equal(kSig, kSig + 8, png.begin())) return Unsupported("no PNG signature");
  int w = 0, h = 0, color = -1;
  Bytes idat;
  for (size_t p = 8; p + 12 <= png.size();) {
    uint32_t len = Be32(&png[p]);
    if (len > png.size() - p - 12) return Unsupported("truncated chunk");
    std::string type(reinterpret_cast<const char*>(&png[p + 4]), 4);
    const uint8_t* data = &png[p + 8];
    if (type == "IHDR" && len >= 13) {
      w = static_cast<int>(Be32(data));
      h = static_cast<int>(Be32(data + 4));
      if (data[8] != 8) return Unsupported("bit depth " + std::to_string(data[8]));
      color = data[9];
      if (data[12] != 0) return Unsupported("interlaced");
    } else if (type == "IDAT") {
      idat.insert(idat.end(), data, data + len);
    } else if (type == "IEND") {
      break;
    }
    p += 12 + len;
  }
  int channels = color == 0 ? 1 : color == 2 ? 3 : color == 4 ? 2 : color == 6 ? 4 : 0;
  if (channels == 0) return Unsupported("colour type " + std::to_string(color));
  if (w <= 0 || h <= 0 || w > 4096 || h > 4096) {
    return ResourceExhaustedError("印章图片尺寸超出范围（最大 4096×4096 像素） / the seal picture is larger than 4096×4096");
  }
  const size_t stride = static_cast<size_t>(w) * channels;
  Bytes raw((stride + 1) * h);
  uLongf out_len = raw.size();
  if (uncompress(raw.data(), &out_len, idat.data(), idat.size()) != Z_OK || out_len != raw.size()) {
    return Unsupported("image data does not inflate to its size");
  }
  // Undo the per-row filters (PNG §9).
  Bytes prev(stride, 0), cur(stride);
  RgbImage img;
  img.width = w;
  img.height = h;
  img.rgb.resize(static_cast<size_t>(w) * h * 3);
  bool has_alpha = channels == 2 || channels == 4;
  if (has_alpha) img.alpha.resize(static_cast<size_t>(w) * h);
  bool any_transparent = false;
  for (int y = 0; y < h; ++y) {
    const uint8_t* row = &raw[(stride + 1) * y];
    uint8_t f = row[0];
    for (size_t i = 0; i < stride; ++i) {
      int a = i >= static_cast<size_t>(channels) ? cur[i - channels] : 0;
      int b = prev[i];
      int c = i >= static_cast<size_t>(channels) ? prev[i - channels] : 0;
      int x = row[1 + i];
      switch (f) {
        case 0: break;
        case 1: x += a; break;
        case 2: x += b; break;
        case 3: x += (a + b) / 2; break;
        case 4: x += Paeth(a, b, c); break;
        default: return Unsupported("row filter " + std::to_string(f));
      }
      cur[i] = static_cast<uint8_t>(x);
    }
    for (int px = 0; px < w; ++px) {
      const uint8_t* s = &cur[static_cast<size_t>(px) * channels];
      uint8_t* d = &img.rgb[(static_cast<size_t>(y) * w + px) * 3];
      if (channels <= 2) {
        d[0] = d[1] = d[2] = s[0];
      } else {
        d[0] = s[0], d[1] = s[1], d[2] = s[2];
      }
      if (has_alpha) {
        uint8_t al = s[channels - 1];
        img.alpha[static_cast<size_t>(y) * w + px] = al;
        any_transparent = any_transparent || al != 255;
      }
    }
    std::swap(prev, cur);
  }
  if (!any_transparent) img.alpha.clear();
  return img;
}

}  // namespace eseal::pdf
