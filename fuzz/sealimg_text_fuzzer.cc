// Fuzzes the seal-image text path: the words engraved on a seal (印章图像) arrive from
// outside (an application's seal name, a holder's name, an invoice seal's taxpayer ID) and
// are decoded as strict UTF-8, laid out along arcs, in lines or columns, and drawn with the
// system CJK font. Whatever the text, RenderPng must answer with an image of the style's
// physical size or with InvalidArgument / FailedPrecondition, never crash or loop.
//
// Input: byte 0 picks the kind (and, for kinds that allow it, another shape); the rest is
// split at '\n' into name, code, function text and centre text. The image is drawn at the
// lowest resolution (72 dpi) to keep each input fast; the layout is resolution-free.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "eseal/sealimg/png_info.h"
#include "eseal/sealimg/seal_image.h"
#include "internal.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace eseal::sealimg;
  if (size == 0 || size > 4096) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  // Strict UTF-8: what decodes encodes back to the same bytes.
  if (auto cps = internal::DecodeUtf8(text, "text"); cps.ok()) {
    std::string again;
    for (char32_t c : *cps) again += internal::EncodeUtf8(c);
    Check(again == text);
  } else {
    Check(cps.status().code() == eseal::StatusCode::kInvalidArgument);
  }

  constexpr Kind kKinds[] = {Kind::kLegalName, Kind::kContract, Kind::kFinance, Kind::kInvoice,
                             Kind::kBusiness,  Kind::kLegalRep, Kind::kGovService};
  const Kind kind = kKinds[data[0] % 7];
  Style style = DefaultStyle(kind);
  if (data[0] & 0x80) {
    // Another shape where the kind allows one (a square finance seal, an oval business seal).
    auto other = DefaultStyle(kind, (data[0] & 0x40) ? Shape::kSquare : Shape::kOval);
    if (other.ok()) style = *other;
  }
  SealText words;
  std::string* fields[] = {&words.name, &words.code, &words.function_text, &words.center_text};
  size_t pos = 0;
  for (std::string* f : fields) {
    if (pos > text.size()) break;
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    *f = std::string(text.substr(pos, nl - pos));
    pos = nl + 1;
  }

  constexpr int kDpi = kMinDpi;
  auto png = RenderPng(kind, words, style, kDpi);
  if (!png.ok()) {
    const auto code = png.status().code();
    Check(code == eseal::StatusCode::kInvalidArgument ||
          code == eseal::StatusCode::kFailedPrecondition);
    return 0;
  }
  auto info = ProbePng(*png);
  Check(info.ok());
  Check(info->width_px == MmToPixels(style.width_mm, kDpi));
  Check(info->height_px == MmToPixels(style.height_mm, kDpi));
  return 0;
}
