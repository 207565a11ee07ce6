// Seal images (印章图像): style profiles, input checks, and drawing with cairo.
#include "eseal/sealimg/seal_image.h"

#include <cairo.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "internal.h"

namespace eseal::sealimg {
namespace {

using internal::DecodeUtf8;
using internal::EncodeUtf8;

constexpr double kPi = 3.14159265358979323846;
constexpr size_t kMaxNameChars = 40;

bool IsSpace(char32_t c) { return c == U' ' || c == 0x3000 || c == 0xA0; }
bool IsControl(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0xFEFF ||
         (c >= 0x200B && c <= 0x200F);
}

// A text field: valid UTF-8, no control characters, no surrounding spaces, bounded length.
Result<std::u32string> CheckText(std::string_view utf8, std::string_view what, size_t max_chars) {
  ASSIGN_OR_RETURN(std::u32string text, DecodeUtf8(utf8, what));
  for (char32_t c : text) {
    if (IsControl(c)) {
      return InvalidArgumentError(std::string(what) + " contains a control character");
    }
  }
  if (!text.empty() && (IsSpace(text.front()) || IsSpace(text.back()))) {
    return InvalidArgumentError(std::string(what) + " has leading or trailing spaces");
  }
  if (text.size() > max_chars) {
    return InvalidArgumentError(std::string(what) + " has " + std::to_string(text.size()) +
                                " characters; at most " + std::to_string(max_chars) +
                                " fit on a seal");
  }
  return text;
}

bool ShapeAllowed(Kind kind, Shape shape) {
  switch (kind) {
    case Kind::kLegalName:
      return shape == Shape::kRound || shape == Shape::kOval;
    case Kind::kContract:
    case Kind::kFinance:
    case Kind::kBusiness:
      return true;
    case Kind::kInvoice:
      return shape == Shape::kOval;
    case Kind::kLegalRep:
      return shape == Shape::kSquare;
    case Kind::kGovService:
      return shape == Shape::kRound;
  }
  return false;
}

std::u32string DefaultFunctionText(Kind kind) {
  switch (kind) {
    case Kind::kContract:
      return U"合同专用章";
    case Kind::kFinance:
      return U"财务专用章";
    case Kind::kInvoice:
      return U"发票专用章";
    case Kind::kBusiness:
      return U"业务专用章";
    case Kind::kGovService:
      return U"政务服务专用章";
    case Kind::kLegalName:
    case Kind::kLegalRep:
      return U"";
  }
  return U"";
}

bool Finite(double v) { return std::isfinite(v); }

Status CheckSize(const TextSize& t, std::string_view what) {
  if (!Finite(t.height_mm) || !Finite(t.width_mm) || !Finite(t.pitch_mm) || t.height_mm < 0.5 ||
      t.height_mm > 20 || t.width_mm < 0.3 || t.width_mm > 20 || t.pitch_mm < t.width_mm ||
      t.pitch_mm > 30) {
    return InvalidArgumentError(std::string("style: ") + std::string(what) +
                                " sizes must be 0.5-20 mm high, 0.3-20 mm wide, with a pitch "
                                "no smaller than the width");
  }
  return Status::Ok();
}

Status CheckStyle(Kind kind, const Style& s) {
  if (!ShapeAllowed(kind, s.shape)) {
    return InvalidArgumentError("a " + std::string(KindName(kind)) + " seal cannot be " +
                                std::string(ShapeName(s.shape)));
  }
  const double all[] = {s.width_mm,       s.height_mm,          s.border_mm,   s.star_mm,
                        s.name_height_mm, s.name_min_height_mm, s.name_aspect, s.name_min_aspect,
                        s.name_gap_mm,    s.arc_min_deg,        s.arc_max_deg, s.function_top_mm,
                        s.code_top_mm};
  for (double v : all) {
    if (!Finite(v)) return InvalidArgumentError("style: sizes must be finite numbers");
  }
  if (s.width_mm < 10 || s.width_mm > 80 || s.height_mm < 10 || s.height_mm > 80) {
    return InvalidArgumentError("style: the seal must be 10-80 mm wide and high");
  }
  if (s.shape == Shape::kRound && std::fabs(s.width_mm - s.height_mm) > 1e-9) {
    return InvalidArgumentError("style: a round seal needs width_mm equal to height_mm");
  }
  const double small = std::min(s.width_mm, s.height_mm);
  if (s.border_mm < 0.2 || s.border_mm > small / 8) {
    return InvalidArgumentError("style: the border must be between 0.2 mm and 1/8 of the seal");
  }
  if (s.star && (s.star_mm < 2 || s.star_mm > small * 0.6)) {
    return InvalidArgumentError("style: the star must be 2 mm to 0.6 times the seal size");
  }
  if (s.name_height_mm < 1 || s.name_height_mm > small / 3 || s.name_min_height_mm < 1 ||
      s.name_min_height_mm > s.name_height_mm) {
    return InvalidArgumentError(
        "style: name heights must be at least 1 mm, with the minimum no larger than the "
        "preferred height and the preferred height at most 1/3 of the seal");
  }
  if (s.name_aspect < 0.2 || s.name_aspect > 2 || s.name_min_aspect < 0.2 ||
      s.name_min_aspect > s.name_aspect) {
    return InvalidArgumentError("style: name aspects must be 0.2-2, minimum no larger");
  }
  if (s.name_gap_mm < 0 || s.name_gap_mm > 5) {
    return InvalidArgumentError("style: name_gap_mm must be 0-5 mm");
  }
  if (s.arc_min_deg < 30 || s.arc_max_deg > 330 || s.arc_min_deg > s.arc_max_deg) {
    return InvalidArgumentError("style: the name arc must be within 30-330 degrees, min <= max");
  }
  if (std::fabs(s.function_top_mm) > small / 2 || std::fabs(s.code_top_mm) > small / 2) {
    return InvalidArgumentError("style: line positions must lie inside the seal");
  }
  if (s.color_rgb > 0xFFFFFF) return InvalidArgumentError("style: color must be 0xRRGGBB");
  if (s.font_index < 0) return InvalidArgumentError("style: font_index must not be negative");
  RETURN_IF_ERROR(CheckSize(s.function_text, "function text"));
  RETURN_IF_ERROR(CheckSize(s.center_text, "centre text"));
  RETURN_IF_ERROR(CheckSize(s.code, "code"));
  return Status::Ok();
}

// Kind defaults applied and every field checked.
Result<internal::SealLines> BuildLinesImpl(Kind kind, const SealText& text, const Style& style) {
  internal::SealLines lines;
  ASSIGN_OR_RETURN(std::u32string name, CheckText(text.name, "the seal name", kMaxNameChars));
  if (name.empty()) return InvalidArgumentError("the seal name is empty");
  ASSIGN_OR_RETURN(std::u32string code, CheckText(text.code, "the seal code", 24));
  for (char32_t c : code) {
    if (c <= 0x20 || c >= 0x7F) {
      return InvalidArgumentError(
          "the seal code may contain only ASCII letters, digits and punctuation");
    }
  }
  ASSIGN_OR_RETURN(std::u32string function, CheckText(text.function_text, "the function text", 16));
  ASSIGN_OR_RETURN(std::u32string center, CheckText(text.center_text, "the centre text", 20));

  if (kind == Kind::kInvoice) {
    if (center.empty()) {
      return InvalidArgumentError(
          "an invoice seal needs the taxpayer ID (纳税人识别号) as its centre text");
    }
    if (center.size() < 15) {
      return InvalidArgumentError("the taxpayer ID must have 15 to 20 characters");
    }
    for (char32_t c : center) {
      if (!((c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z'))) {
        return InvalidArgumentError(
            "the taxpayer ID may contain only digits and upper-case letters");
      }
    }
  } else if (!center.empty()) {
    return InvalidArgumentError("only invoice seals have a centre text (the taxpayer ID)");
  }

  if (kind == Kind::kLegalRep) {
    if (!function.empty()) {
      return InvalidArgumentError("a legal representative's seal has no function text");
    }
    if (!code.empty()) {
      return InvalidArgumentError("a legal representative's seal has no seal code");
    }
    for (char32_t c : name) {
      if (IsSpace(c)) {
        return InvalidArgumentError("a legal representative's name must not contain spaces");
      }
    }
    // Fill the grid: 张三 -> 张三之印, 李小明 -> 李小明印; even lengths stay as they are.
    if (name.size() < 2) {
      return InvalidArgumentError("a legal representative's name needs at least 2 characters");
    }
    if (name.size() == 2) {
      name += U"之印";
    } else if (name.size() % 2 == 1) {
      name += U"印";
    }
    lines.name = name;
    return lines;
  }

  if (function.empty()) function = DefaultFunctionText(kind);
  if (style.shape == Shape::kSquare) {
    // Square special seals read in columns like a name seal: name, then the function.
    if (!code.empty()) return InvalidArgumentError("square seals have no seal code");
    for (char32_t c : name + function) {
      if (IsSpace(c)) return InvalidArgumentError("the text of a square seal has spaces");
    }
    lines.name = name + function;
    return lines;
  }
  lines.name = name;
  lines.code = code;
  lines.function = function;
  lines.center = center;
  return lines;
}

std::string Describe(char32_t c) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(c));
  return "'" + EncodeUtf8(c) + "' (" + hex + ")";
}

// Loads the glyphs of one line into the Latin set when the Latin font has all of them and
// the line is ASCII, else into the main set.
Status LoadLine(std::u32string_view text, std::string_view what, const internal::Font& main,
                const internal::Font* latin, internal::GlyphSet* gs) {
  bool use_latin = latin != nullptr && !text.empty();
  for (char32_t c : text) {
    if (c >= 0x80 || (use_latin && !latin->Has(c))) use_latin = false;
  }
  const internal::Font& font = use_latin ? *latin : main;
  auto& map = use_latin ? gs->latin : gs->main;
  for (char32_t c : text) {
    if (map.count(c) > 0) continue;
    auto glyph = font.Load(c);
    if (!glyph.ok()) {
      if (glyph.status().code() == StatusCode::kNotFound) {
        return InvalidArgumentError("the seal font has no glyph for " + Describe(c) + " in " +
                                    std::string(what));
      }
      return glyph.status();
    }
    map.emplace(c, std::move(*glyph));
  }
  return Status::Ok();
}

// The glyph set every line needs; the Latin set holds '0' plus the ASCII-only lines.
Result<internal::GlyphSet> LoadGlyphs(const internal::SealLines& lines, const Style& style) {
  ASSIGN_OR_RETURN(internal::FontLocation main_loc, internal::FindCjkFont(style));
  ASSIGN_OR_RETURN(auto main, internal::Font::Open(main_loc.path, main_loc.index));
  std::unique_ptr<internal::Font> latin;
  if (auto loc = internal::FindLatinFont(style); loc.ok()) {
    if (auto f = internal::Font::Open(loc->path, loc->index); f.ok()) latin = std::move(*f);
  }
  internal::GlyphSet gs;
  RETURN_IF_ERROR(LoadLine(U"\u56FD", "the seal font", *main, nullptr, &gs));
  if (main->Has(U'0')) RETURN_IF_ERROR(LoadLine(U"0", "the seal font", *main, nullptr, &gs));
  if (latin != nullptr) RETURN_IF_ERROR(LoadLine(U"0", "the Latin font", *latin, latin.get(), &gs));
  RETURN_IF_ERROR(LoadLine(lines.name, "the name", *main, latin.get(), &gs));
  RETURN_IF_ERROR(LoadLine(lines.code, "the seal code", *main, latin.get(), &gs));
  RETURN_IF_ERROR(LoadLine(lines.function, "the function text", *main, latin.get(), &gs));
  RETURN_IF_ERROR(LoadLine(lines.center, "the centre text", *main, latin.get(), &gs));
  return gs;
}

void AddGlyphPath(cairo_t* cr, const internal::Placed& p) {
  for (const internal::PathOp& op : p.glyph->path) {
    switch (op.kind) {
      case internal::PathOp::kMove: {
        const internal::Point a = p.m.Apply(op.p[0]);
        cairo_move_to(cr, a.x, a.y);
        break;
      }
      case internal::PathOp::kLine: {
        const internal::Point a = p.m.Apply(op.p[0]);
        cairo_line_to(cr, a.x, a.y);
        break;
      }
      case internal::PathOp::kCubic: {
        const internal::Point a = p.m.Apply(op.p[0]);
        const internal::Point b = p.m.Apply(op.p[1]);
        const internal::Point c = p.m.Apply(op.p[2]);
        cairo_curve_to(cr, a.x, a.y, b.x, b.y, c.x, c.y);
        break;
      }
      case internal::PathOp::kClose:
        cairo_close_path(cr);
        break;
    }
  }
}

void DrawStar(cairo_t* cr, double r) {
  // A regular five-pointed star, one point up; inner radius r sin18/sin54 (0.382 r).
  const double inner = r * std::sin(18 * kPi / 180) / std::sin(54 * kPi / 180);
  for (int i = 0; i < 10; ++i) {
    const double a = i * kPi / 5;  // clockwise from the top
    const double rr = (i % 2 == 0) ? r : inner;
    const double x = rr * std::sin(a);
    const double y = -rr * std::cos(a);
    if (i == 0) {
      cairo_move_to(cr, x, y);
    } else {
      cairo_line_to(cr, x, y);
    }
  }
  cairo_close_path(cr);
  cairo_fill(cr);
}

void DrawBorder(cairo_t* cr, const Style& s) {
  const double b = s.border_mm;
  cairo_set_line_width(cr, b);
  if (s.shape == Shape::kSquare) {
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cairo_rectangle(cr, -s.width_mm / 2 + b / 2, -s.height_mm / 2 + b / 2, s.width_mm - b,
                    s.height_mm - b);
  } else {
    cairo_save(cr);
    cairo_scale(cr, (s.width_mm - b) / 2, (s.height_mm - b) / 2);
    cairo_arc(cr, 0, 0, 1, 0, 2 * kPi);
    cairo_restore(cr);
  }
  cairo_stroke(cr);
}

cairo_status_t AppendBytes(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<Bytes*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

void PutBe32(uint32_t v, Bytes* out) {
  out->push_back(static_cast<uint8_t>(v >> 24));
  out->push_back(static_cast<uint8_t>(v >> 16));
  out->push_back(static_cast<uint8_t>(v >> 8));
  out->push_back(static_cast<uint8_t>(v));
}

// Inserts a pHYs chunk (pixels per metre) after IHDR so viewers and the signing code know
// the physical size.
Result<Bytes> AddPhys(Bytes png, int dpi) {
  constexpr size_t kAfterIhdr = 8 + 8 + 13 + 4;
  if (png.size() < kAfterIhdr ||
      std::string_view(reinterpret_cast<const char*>(&png[12]), 4) != "IHDR") {
    return InternalError("cairo wrote an unexpected PNG");
  }
  const auto ppm = static_cast<uint32_t>(std::lround(dpi / 0.0254));
  Bytes chunk;
  PutBe32(9, &chunk);
  for (char c : std::string_view("pHYs")) chunk.push_back(static_cast<uint8_t>(c));
  PutBe32(ppm, &chunk);
  PutBe32(ppm, &chunk);
  chunk.push_back(1);  // unit: metre
  const uint32_t crc = internal::Crc32(ByteView(chunk).subspan(4));
  PutBe32(crc, &chunk);
  png.insert(png.begin() + kAfterIhdr, chunk.begin(), chunk.end());
  return png;
}

Result<Bytes> Draw(const internal::SealLayout& layout, const Style& s, int dpi) {
  const int w = MmToPixels(s.width_mm, dpi);
  const int h = MmToPixels(s.height_mm, dpi);
  if (w > kMaxImageSidePx || h > kMaxImageSidePx) {
    return InvalidArgumentError("the image would be " + std::to_string(w) + "x" +
                                std::to_string(h) + " pixels, over the limit of " +
                                std::to_string(kMaxImageSidePx) + "; use a lower dpi");
  }
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    return InternalError("cannot create a cairo image surface");
  }
  cairo_t* cr = cairo_create(surface);
  // Uniform scale that keeps the whole seal inside the rounded pixel size.
  const double k = std::min(w / s.width_mm, h / s.height_mm);
  cairo_translate(cr, w / 2.0, h / 2.0);
  cairo_scale(cr, k, k);
  cairo_set_source_rgb(cr, ((s.color_rgb >> 16) & 0xFF) / 255.0,
                       ((s.color_rgb >> 8) & 0xFF) / 255.0, (s.color_rgb & 0xFF) / 255.0);
  DrawBorder(cr, s);
  if (layout.star) DrawStar(cr, layout.star_radius);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
  for (const internal::Placed& p : layout.glyphs) {
    AddGlyphPath(cr, p);
    cairo_fill(cr);
  }
  const cairo_status_t draw_status = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_flush(surface);
  Bytes png;
  const cairo_status_t st = cairo_surface_write_to_png_stream(surface, AppendBytes, &png);
  cairo_surface_destroy(surface);
  if (draw_status != CAIRO_STATUS_SUCCESS || st != CAIRO_STATUS_SUCCESS) {
    return InternalError(
        std::string("cairo failed: ") +
        cairo_status_to_string(draw_status != CAIRO_STATUS_SUCCESS ? draw_status : st));
  }
  return AddPhys(std::move(png), dpi);
}

}  // namespace

namespace internal {
Result<SealLines> BuildLines(Kind kind, const SealText& text, const Style& style) {
  return BuildLinesImpl(kind, text, style);
}
}  // namespace internal

Result<Kind> ParseKind(std::string_view name) {
  for (Kind k : {Kind::kLegalName, Kind::kContract, Kind::kFinance, Kind::kInvoice, Kind::kBusiness,
                 Kind::kLegalRep, Kind::kGovService}) {
    if (KindName(k) == name) return k;
  }
  return InvalidArgumentError(
      "unknown seal kind \"" + std::string(name.substr(0, 40)) +
      "\"; expected legal-name, contract, finance, invoice, business, legal-rep or gov-service");
}

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kLegalName:
      return "legal-name";
    case Kind::kContract:
      return "contract";
    case Kind::kFinance:
      return "finance";
    case Kind::kInvoice:
      return "invoice";
    case Kind::kBusiness:
      return "business";
    case Kind::kLegalRep:
      return "legal-rep";
    case Kind::kGovService:
      return "gov-service";
  }
  return "unknown";
}

std::string_view ShapeName(Shape shape) {
  switch (shape) {
    case Shape::kRound:
      return "round";
    case Shape::kOval:
      return "oval";
    case Shape::kSquare:
      return "square";
  }
  return "unknown";
}

int MmToPixels(double mm, int dpi) { return static_cast<int>(std::lround(mm * dpi / 25.4)); }

Style DefaultStyle(Kind kind) {
  Style s;  // the member defaults are the 42 mm legal-name seal
  switch (kind) {
    case Kind::kLegalName:
      s.function_text = {4.2, 3.4, 3.9};
      s.function_top_mm = 7.0;
      break;
    case Kind::kGovService:
      s.border_mm = 1.0;
      s.function_text = {4.0, 3.0, 3.5};
      s.function_top_mm = 7.0;
      break;
    case Kind::kContract:
    case Kind::kFinance:
    case Kind::kBusiness:
      s.width_mm = s.height_mm = 40;
      s.border_mm = 1.0;
      s.star = false;
      s.name_height_mm = 5.4;
      s.name_aspect = 0.8;
      s.arc_max_deg = 250;
      s.function_text = {4.6, 3.6, 4.2};
      s.function_top_mm = 6.0;
      break;
    case Kind::kInvoice:
      s.shape = Shape::kOval;
      s.width_mm = 40;
      s.height_mm = 30;
      s.border_mm = 1.0;
      s.star = false;
      s.name_height_mm = 4.2;
      s.name_min_height_mm = 3.0;
      s.name_aspect = 0.8;
      s.name_gap_mm = 0.5;
      s.arc_min_deg = 210;
      s.arc_max_deg = 260;
      s.function_text = {4.6, 3.0, 3.5};
      s.function_top_mm = 4.2;
      s.center_text = {3.7, 1.3, 26.0 / 18};
      s.code = {2.2, 1.7, 2.0};
      s.code_on_arc = false;
      s.code_top_mm = 10;
      break;
    case Kind::kLegalRep:
      s.shape = Shape::kSquare;
      s.width_mm = s.height_mm = 20;
      s.border_mm = 1.0;
      s.star = false;
      s.name_gap_mm = 0.8;
      break;
  }
  return s;
}

Result<Style> DefaultStyle(Kind kind, Shape shape) {
  Style s = DefaultStyle(kind);
  if (s.shape == shape) return s;
  if (!ShapeAllowed(kind, shape)) {
    return InvalidArgumentError("a " + std::string(KindName(kind)) + " seal cannot be " +
                                std::string(ShapeName(shape)));
  }
  s.shape = shape;
  if (shape == Shape::kSquare) {
    // Square special seals (e.g. 财务专用章): 22 mm, text in columns.
    s.width_mm = s.height_mm = 22;
    s.border_mm = 1.0;
    s.star = false;
    s.name_gap_mm = 0.6;
  } else if (shape == Shape::kOval) {
    // Oval enterprise seals (e.g. foreign-invested enterprises): 45 x 30 mm.
    s.width_mm = 45;
    s.height_mm = 30;
    s.border_mm = 1.0;
    s.star = false;
    s.name_height_mm = 4.6;
    s.name_min_height_mm = 3.0;
    s.name_gap_mm = 0.5;
    s.arc_min_deg = 200;
    s.arc_max_deg = 250;
    s.function_text = {4.2, 3.0, 3.5};
    s.function_top_mm = 3.0;
  } else {
    s.width_mm = s.height_mm = 40;
  }
  return s;
}

Result<Bytes> RenderPng(Kind kind, const SealText& text, const Style& style, int dpi) {
  if (dpi < kMinDpi || dpi > kMaxDpi) {
    return InvalidArgumentError("dpi must be between " + std::to_string(kMinDpi) + " and " +
                                std::to_string(kMaxDpi) + ", got " + std::to_string(dpi));
  }
  RETURN_IF_ERROR(CheckStyle(kind, style));
  ASSIGN_OR_RETURN(internal::SealLines lines, internal::BuildLines(kind, text, style));
  ASSIGN_OR_RETURN(internal::GlyphSet glyphs, LoadGlyphs(lines, style));
  ASSIGN_OR_RETURN(internal::SealLayout layout, internal::LayoutSeal(lines, style, glyphs));
  return Draw(layout, style, dpi);
}

}  // namespace eseal::sealimg
