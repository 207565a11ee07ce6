// The seal appearances of an OFD page as render overlays, for `eseal ofd render`.
// Seal pictures are drawn as they are when PNG; a picture of type "ofd" (an OFD package
// holding vector seal art, as GOMAIN and AntChain write) is rendered with our own renderer
// and its white background made transparent; GIF, JPEG, BMP and other pictures, and
// Type="Sign" appearances that have no picture, are drawn as a clearly marked placeholder:
// the stamp box outlined with a cross through it (red for seals, blue for signatures).
#include <algorithm>

#include "eseal/ofd/reader.h"
#include "eseal/render/render.h"
#include "eseal/verify/ofd_appearances.h"
#include "internal.h"

namespace eseal::cli {
namespace {

bool IsPng(ByteView b) {
  return b.size() > 8 && b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
}
bool IsZip(ByteView b) { return b.size() > 4 && b[0] == 'P' && b[1] == 'K'; }

Result<Bytes> Placeholder(uint32_t argb) {
  render::Bitmap bm;
  bm.width = bm.height = 200;
  bm.pixels.assign(200 * 200, 0);  // transparent
  for (int y = 0; y < 200; ++y) {
    for (int x = 0; x < 200; ++x) {
      bool border = x < 6 || y < 6 || x >= 194 || y >= 194;
      bool cross = std::abs(x - y) < 3 || std::abs(x + y - 199) < 3;
      if (border || cross) bm.pixels[static_cast<size_t>(y) * 200 + x] = argb;
    }
  }
  return render::EncodePng(bm);
}

// An "ofd" seal picture: the first page of the inner package, white made transparent.
Result<Bytes> RenderOfdPicture(ByteView data, double width_mm) {
  ofd::Limits limits;
  limits.max_package_size = 16u << 20;
  limits.max_total_uncompressed = 32u << 20;
  limits.max_entry_size = 16u << 20;
  limits.max_xml_size = 4u << 20;
  limits.max_pages = 4;
  ASSIGN_OR_RETURN(ofd::Reader inner, ofd::Reader::OpenBytes(Bytes(data.begin(), data.end()), limits));
  if (inner.page_count() == 0) return InvalidArgumentError("the seal picture package has no page");
  render::RenderOptions ro;
  ro.dpi = std::clamp(400.0 / std::max(width_mm, 1.0) * 25.4, 20.0, 600.0);
  ro.max_pixels = 4'000'000;
  ASSIGN_OR_RETURN(render::Bitmap bm, render::RenderPage(inner, 0, ro));
  for (uint32_t& p : bm.pixels) {
    if (render::Bitmap::Red(p) > 235 && render::Bitmap::Green(p) > 235 && render::Bitmap::Blue(p) > 235) {
      p = 0;
    }
  }
  return render::EncodePng(bm);
}

}  // namespace

Result<std::vector<render::Overlay>> SealOverlays(const ofd::Reader& reader, size_t page_index) {
  ASSIGN_OR_RETURN(std::vector<verify::SealAppearance> apps, verify::CollectAppearances(reader));
  std::vector<render::Overlay> out;
  for (const verify::SealAppearance& a : apps) {
    if (a.page_index != page_index) continue;
    render::Overlay ov;
    ov.boundary = a.boundary;
    ov.clip = a.clip;
    if (IsPng(a.picture)) {
      ov.png = a.picture;
    } else if (IsZip(a.picture)) {
      auto png = RenderOfdPicture(a.picture, a.boundary.w);
      if (png.ok()) {
        ov.png = *std::move(png);
      } else {
        ASSIGN_OR_RETURN(ov.png, Placeholder(0xFFDC1E1Eu));
      }
    } else {
      ASSIGN_OR_RETURN(ov.png, Placeholder(a.type == "Seal" ? 0xFFDC1E1Eu : 0xFF1E50DCu));
    }
    out.push_back(std::move(ov));
  }
  return out;
}

}  // namespace eseal::cli
