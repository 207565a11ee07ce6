// Text on a PDF page with positions (ISO 32000-1 §9): what the page's content stream
// shows, mapped to Unicode through each font's /ToUnicode CMap (the common case; simple
// fonts without one are read as Latin-1), positioned by the text and graphics state, with
// glyph widths from /Widths or a Type 0 font's /W. Used to place a seal on a keyword
// (关键字定位). A page whose text cannot be mapped (a composite font without /ToUnicode) is
// reported as such. Text inside form XObjects is not read.
// Thread-safety: a Document is not shared between threads while in use.
#pragma once

#include <string>
#include <vector>

#include "eseal/base/result.h"
#include "eseal/pdf/document.h"

namespace eseal::pdf {

// One occurrence of a keyword: its box in PDF points on `page` (1-based).
struct TextHit {
  int page = 0;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

struct PageText {
  std::string text;       // UTF-8, in content-stream order
  bool unmapped = false;  // some shown text could not be mapped to Unicode
};

// The text of page `index` (0-based). ResourceExhausted past a work bound.
Result<PageText> ReadPageText(const Document& doc, size_t index);

// Every occurrence of `keyword` on pages first..last (1-based, last 0: the last page).
// Widths of fonts that give none (the standard 14) are estimated at half an em, so a hit's
// box is exact at its start and approximate at its end.
Result<std::vector<TextHit>> FindText(const Document& doc, std::string_view keyword, int first, int last,
                                      bool* some_page_unmapped = nullptr);

}  // namespace eseal::pdf
