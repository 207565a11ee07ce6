// Seal images (印章图像): the picture of an electronic seal, drawn to the pattern of the
// physical seal (实物印章) it stands for, as a red-on-transparent PNG of the physical size.
//
// Patterns (docs/seal-images.md has the defaults and where they come from):
//   legal-name seal (企业法定名称章, 公章)   round, name on the upper arc, star in the centre
//   contract / finance / business seals    round, name on the upper arc, function text
//   (合同/财务/业务专用章)                    (合同专用章 ...) across the lower half, centre blank
//   invoice seal (发票专用章)               oval 40x30 mm, name on the upper arc, taxpayer ID
//                                          across the centre, 发票专用章 below
//   legal-representative seal (法定代表人章) square, name in columns right to left, + (之)印
//   government-service seal (政务服务电子印章) round, department on the arc, star, 政务服务专用章
//
// Rendering is deterministic: the same kind, text, style, dpi and font file give the same
// bytes. Text never overflows the border: characters are condensed and arcs compressed
// within the limits of the style, and when that is not enough the call fails.
//
// Thread-safety: all functions are reentrant and may be called from any thread; Style and
// SealText are plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"

namespace eseal::sealimg {

enum class Shape { kRound, kOval, kSquare };

enum class Kind {
  kLegalName,   // 企业法定名称章 (公章)
  kContract,    // 合同专用章
  kFinance,     // 财务专用章
  kInvoice,     // 发票专用章
  kBusiness,    // 业务专用章 or another named business seal
  kLegalRep,    // 法定代表人章
  kGovService,  // 政务服务电子印章 (from the physical 政务服务专用章)
};

// "legal-name", "contract", "finance", "invoice", "business", "legal-rep", "gov-service".
Result<Kind> ParseKind(std::string_view name);
std::string_view KindName(Kind kind);
std::string_view ShapeName(Shape shape);  // "round", "oval", "square"

// Sizes of a horizontal or arc text line's characters. Heights and widths are ink sizes:
// the reference character (国 for Chinese text, 0 for digits and letters) is drawn exactly
// height_mm x width_mm; pitch_mm is the distance between character centres.
struct TextSize {
  double height_mm = 0;
  double width_mm = 0;
  double pitch_mm = 0;
};

// A style profile: every size of the pattern, in millimetres of the physical seal.
struct Style {
  Shape shape = Shape::kRound;
  double width_mm = 42;   // diameter of a round seal; long axis of an oval; side of a square
  double height_mm = 42;  // equal to width_mm for round seals; short axis of an oval
  double border_mm = 1.2;
  uint32_t color_rgb = 0xE60012;  // seal red (印泥红), 0xRRGGBB

  bool star = true;     // five-pointed star (五角星) in the centre
  double star_mm = 14;  // diameter of the circle through the star's points

  // The name along the upper arc (or, on square seals, in columns).
  double name_height_mm = 6.0;      // preferred ink height of a name character
  double name_min_height_mm = 4.0;  // long names shrink down to this, then fail
  double name_aspect = 0.85;        // preferred width / height of a name character
  double name_min_aspect = 0.5;     // long names are condensed down to this first
  double name_gap_mm = 0.6;         // clearance between the text and the border
  double arc_min_deg = 180;         // short names are spread over at least this angle ...
  double arc_max_deg = 270;         // ... and long names compressed into at most this one

  // The function line (合同专用章, 发票专用章, ...) across the lower half.
  TextSize function_text{4.6, 3.6, 4.2};
  double function_top_mm = 5.0;  // from the seal centre down to the top of the line

  // The centre line of an invoice seal (the taxpayer ID, 纳税人识别号), centred.
  TextSize center_text{3.7, 1.3, 26.0 / 18};

  // The seal code (防伪码 / serial): along the bottom arc, or when code_on_arc is false a
  // horizontal line whose top is code_top_mm below the centre.
  TextSize code{2.2, 1.3, 1.75};
  bool code_on_arc = true;
  double code_top_mm = 10;

  // The font: a fontconfig pattern, or a font file (with face index) that overrides it.
  // Chinese text needs a CJK font; a bold serif (宋体-like) one looks most like a seal.
  std::string font_family = "Noto Serif CJK SC:bold";
  std::string font_file;
  int font_index = 0;
  // Digits and Latin letters (codes, taxpayer IDs) use this sans font when it has them
  // (the invoice-seal rules ask for Arial); otherwise the main font.
  std::string latin_font_family = "Noto Sans CJK SC:bold";
};

// The default profile of a kind in its usual shape, or in another allowed shape (a square
// finance seal, an oval business seal). Shapes a kind cannot take are InvalidArgument:
// legal-name and gov-service seals are round, invoice seals oval, legal-rep seals square.
Style DefaultStyle(Kind kind);
Result<Style> DefaultStyle(Kind kind, Shape shape);

// The words on a seal. All text is UTF-8.
struct SealText {
  std::string name;           // enterprise, department or (legal-rep) person name
  std::string code;           // optional seal code: 13-digit 防伪码, or an invoice serial "(1)"
  std::string function_text;  // horizontal line; empty means the kind's default
                              // (合同专用章, 财务专用章, 发票专用章, 业务专用章, 政务服务专用章;
                              // none for legal-name seals, where it is optional)
  std::string center_text;  // invoice seals only: the taxpayer ID (USCC, 18 characters)
};

inline constexpr int kMinDpi = 72;
inline constexpr int kMaxDpi = 1200;
inline constexpr int kMaxImageSidePx = 4096;

// Pixels for a physical length at a resolution, rounded to nearest (42 mm at 300 dpi = 496).
int MmToPixels(double mm, int dpi);

// The seal as PNG bytes: 8-bit RGBA, transparent background, the image exactly
// MmToPixels(width_mm) x MmToPixels(height_mm), with a pHYs chunk giving the resolution so
// the physical size survives. InvalidArgument for bad text (empty name, not UTF-8, a
// character the font lacks, too long to fit), a bad style or dpi outside 72..1200;
// FailedPrecondition when no CJK font is installed.
Result<Bytes> RenderPng(Kind kind, const SealText& text, const Style& style, int dpi = 300);
inline Result<Bytes> RenderPng(Kind kind, const SealText& text, int dpi = 300) {
  return RenderPng(kind, text, DefaultStyle(kind), dpi);
}

}  // namespace eseal::sealimg
