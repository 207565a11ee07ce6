// Text extraction with positions (文字定位, GB/T 33190-2016 §11.3): every TextCode of a page
// (its templates included) as a run of characters with one box per character in page
// millimetres, and keyword search over them. Used to place a seal by keyword (关键字盖章).
//
// Character boxes are estimates: eseal does not read embedded font metrics. A character's
// box starts at its origin, extends to the next character's origin (or one font size for
// the last character, half of it for an ASCII one), and vertically from 0.88 font size above
// the baseline to 0.12 below; the CTM and Boundary then map it to the page.
// Thread-safety: pure functions over a Reader.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/result.h"
#include "eseal/ofd/geometry.h"
#include "eseal/ofd/page.h"
#include "eseal/ofd/reader.h"
#include "eseal/ofd/resources.h"

namespace eseal::ofd {

struct TextRun {
  uint64_t object_id = 0;       // the TextObject's ID
  bool in_template = false;     // drawn from a template page
  std::string text;             // UTF-8
  std::vector<Box> char_boxes;  // one per code point of `text`, page millimetres
  double font_size = 0;         // mm, after the CTM's vertical scale
  Box box;                      // union of char_boxes
};

struct TextMatch {
  Box box;  // union of the matched characters' boxes
  std::vector<Box> char_boxes;
  std::string text;  // the matched page text
};

// Where each character of a TextObject goes, in the object's own space (before CTM and
// Boundary): one vector per TextCode, one placement per code point. Used by ExtractText and
// by the renderer, so that what is drawn and what is searched agree.
struct GlyphPlacement {
  std::string text;  // one code point, UTF-8
  Point origin;      // baseline origin
  double width = 0;  // estimated advance box width
};
std::vector<std::vector<GlyphPlacement>> LayoutTextObject(const PageObject& text_object);

// The font size used for a TextObject (its Size, or 10 pt when it has none).
double EffectiveFontSize(const PageObject& text_object);

// The text runs of one Content.xml's objects (nested page blocks included), layers in
// drawing order, boxes in page coordinates.
std::vector<TextRun> ExtractText(const Page& page, bool in_template = false);

// The runs of page `page_index`: background templates, the page, foreground templates.
Result<std::vector<TextRun>> ExtractPageText(const Reader& reader, size_t page_index);

// Where `keyword` occurs. Whitespace is ignored on both sides. A match may span several
// runs when they sit on one line (same baseline, left to right, with gaps smaller than two
// font sizes), e.g. a label written one character per TextObject.
std::vector<TextMatch> FindText(const std::vector<TextRun>& runs, std::string_view keyword);
Result<std::vector<TextMatch>> FindText(const Reader& reader, size_t page_index,
                                        std::string_view keyword);

// Decodes UTF-8 leniently: each code point as its own string; an invalid byte becomes
// U+FFFD.
std::vector<std::string> SplitCodePoints(std::string_view utf8);

}  // namespace eseal::ofd
