// Private pieces of the seal-image module: UTF-8 decoding, glyph outlines from FreeType,
// font lookup, and the layout of a seal's text (pure geometry, no drawing).
// Coordinates: millimetres, origin at the seal centre, x to the right, y downwards (as in
// cairo); angles in radians, clockwise from the top.
// Thread-safety: functions are reentrant; Font objects are used by one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/sealimg/seal_image.h"

namespace eseal::sealimg::internal {

// CRC-32 as PNG chunks use it (ISO 3309).
uint32_t Crc32(ByteView data);

// Strict UTF-8 (no overlong forms, surrogates or values above U+10FFFF). `what` names the
// field in the error message.
Result<std::u32string> DecodeUtf8(std::string_view text, std::string_view what);
std::string EncodeUtf8(char32_t c);

struct Point {
  double x = 0;
  double y = 0;
};

// x' = xx*x + xy*y + x0, y' = yx*x + yy*y + y0 (cairo_matrix_t's layout).
struct Affine {
  double xx = 1, yx = 0, xy = 0, yy = 1, x0 = 0, y0 = 0;
  Point Apply(Point p) const { return {xx * p.x + xy * p.y + x0, yx * p.x + yy * p.y + y0}; }
};

struct PathOp {
  enum Kind { kMove, kLine, kCubic, kClose } kind;
  std::array<Point, 3> p;
};

// One glyph in em units (1 em = the font size), y downwards, origin at the pen position on
// the baseline.
struct Glyph {
  std::vector<PathOp> path;
  double advance = 0;
  bool empty = true;                      // no ink (a space)
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // ink box; y0 is the top
};

// A font face opened for one rendering. Owns its FreeType library and face.
class Font {
 public:
  static Result<std::unique_ptr<Font>> Open(const std::string& path, int index);
  ~Font();
  Font(const Font&) = delete;
  Font& operator=(const Font&) = delete;

  bool Has(char32_t c) const;
  // The outline of `c`; NotFound when the font has no glyph for it.
  Result<Glyph> Load(char32_t c) const;
  const std::string& path() const { return path_; }

 private:
  Font() = default;
  struct Impl;
  Impl* impl_ = nullptr;
  std::string path_;
};

struct FontLocation {
  std::string path;
  int index = 0;
};

// The main (CJK) font of a style: its font_file if set (which must have CJK glyphs), else
// the fontconfig match of font_family if it has CJK glyphs, else the first CJK font of a
// fixed list of Debian paths. FailedPrecondition when there is none.
Result<FontLocation> FindCjkFont(const Style& style);
// The font for digits and Latin letters; NotFound when the pattern matches nothing useful
// (the caller then uses the main font).
Result<FontLocation> FindLatinFont(const Style& style);

// Glyphs of the code points a seal needs, from the main font and (for ASCII-only lines)
// the Latin font.
struct GlyphSet {
  std::map<char32_t, Glyph> main;
  std::map<char32_t, Glyph> latin;  // empty when there is no separate Latin font
};

// One glyph placed on the seal: `m` maps the glyph's em coordinates to seal millimetres.
struct Placed {
  const Glyph* glyph = nullptr;
  Affine m;
};

// The drawing a seal needs besides its glyphs.
struct SealLayout {
  std::vector<Placed> glyphs;
  bool star = false;
  double star_radius = 0;  // circumscribed radius, centred at the origin
};

// The texts of a seal after kind defaults were applied and UTF-8 decoded.
struct SealLines {
  std::u32string name;  // arc text, or every character of a square seal in order
  std::u32string code;
  std::u32string function;  // horizontal line (round and oval seals)
  std::u32string center;    // centre line (invoice)
};

// The lines of a seal from its text: fields checked, kind defaults applied (the function
// text), a legal representative's name completed with 之印 or 印, a square special seal's
// name and function text joined. InvalidArgument for text that cannot go on the seal.
Result<SealLines> BuildLines(Kind kind, const SealText& text, const Style& style);

// Places every character, shrinking and condensing within the style's limits until all
// ink lies inside the border and no two lines touch. InvalidArgument when impossible.
Result<SealLayout> LayoutSeal(const SealLines& lines, const Style& style, const GlyphSet& glyphs);

// True when a line of this text is drawn with the Latin font.
bool UsesLatinFont(std::u32string_view text, const GlyphSet& glyphs);

}  // namespace eseal::sealimg::internal
