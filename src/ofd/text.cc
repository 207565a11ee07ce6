// Text extraction with positions (文字定位, GB/T 33190-2016 §11.3) and keyword search.
#include "eseal/ofd/text.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

namespace eseal::ofd {
namespace {

constexpr double kAscent = 0.88;          // of the font size, above the baseline
constexpr double kFallbackSize = 3.5278;  // 10 pt, for a TextObject without a usable Size

bool IsSpaceCp(std::string_view cp) {
  return cp == " " || cp == "\t" || cp == "\n" || cp == "\r" || cp == "\xE3\x80\x80" /* U+3000 */ ||
         cp == "\xC2\xA0" /* U+00A0 */;
}

// Narrow characters (ASCII and half-width forms) advance half an em when DeltaX is absent.
bool IsNarrow(std::string_view cp) {
  if (cp.size() == 1) return true;
  if (cp.size() == 3) {
    // U+FF61..U+FFDC half-width forms: EF BD A1 .. EF BF 9C
    auto b0 = static_cast<uint8_t>(cp[0]), b1 = static_cast<uint8_t>(cp[1]);
    if (b0 == 0xEF && (b1 == 0xBD || b1 == 0xBE || b1 == 0xBF)) {
      return !(b1 == 0xBD && static_cast<uint8_t>(cp[2]) < 0xA1);
    }
  }
  return false;
}

void WalkObject(const PageObject& o, bool in_template, std::vector<TextRun>* out, int depth) {
  if (depth > 256) return;
  if (o.type == ObjectType::kBlock) {
    for (const PageObject& c : o.children) WalkObject(c, in_template, out, depth + 1);
    return;
  }
  if (o.type != ObjectType::kText) return;
  const Matrix m = o.ctm.value_or(Matrix{}).Then(Matrix::Translate(o.boundary.x, o.boundary.y));
  const double size = EffectiveFontSize(o);
  for (const std::vector<GlyphPlacement>& code : LayoutTextObject(o)) {
    if (code.empty()) continue;
    TextRun run;
    run.object_id = o.id;
    run.in_template = in_template;
    for (const GlyphPlacement& g : code) {
      Box local{g.origin.x, g.origin.y - kAscent * size, g.width, size};
      run.char_boxes.push_back(Transform(m, local));
      run.text += g.text;
    }
    run.font_size = size * std::sqrt(m.c * m.c + m.d * m.d);
    run.box = BoundingBox(run.char_boxes);
    out->push_back(std::move(run));
  }
}

struct Glyph {
  std::string cp;  // "" marks a break that nothing matches
  Box box;
  size_t run = 0;
};

void Search(const std::vector<Glyph>& seq, const std::vector<std::string>& kw, bool need_two_runs,
            std::set<std::tuple<long, long, long, long>>* seen, std::vector<TextMatch>* out) {
  if (kw.empty() || seq.size() < kw.size()) return;
  for (size_t i = 0; i + kw.size() <= seq.size(); ++i) {
    bool ok = true;
    for (size_t k = 0; k < kw.size(); ++k) {
      if (seq[i + k].cp != kw[k]) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (need_two_runs && seq[i].run == seq[i + kw.size() - 1].run) continue;
    TextMatch m;
    for (size_t k = 0; k < kw.size(); ++k) {
      m.char_boxes.push_back(seq[i + k].box);
      m.text += seq[i + k].cp;
    }
    m.box = BoundingBox(m.char_boxes);
    const Box& a = m.char_boxes.front();
    const Box& b = m.char_boxes.back();
    auto key = std::make_tuple(std::lround(a.x * 100), std::lround(a.y * 100),
                               std::lround(b.x * 100), std::lround(b.y * 100));
    if (seen->insert(key).second) out->push_back(std::move(m));
  }
}

bool IsHorizontal(const TextRun& r) {
  if (r.char_boxes.size() < 2) return true;
  const Box& a = r.char_boxes.front();
  const Box& b = r.char_boxes.back();
  return std::fabs(b.bottom() - a.bottom()) < 0.5 * std::max(r.font_size, 0.1) && b.x >= a.x;
}

}  // namespace

double EffectiveFontSize(const PageObject& o) { return o.size > 0 ? o.size : kFallbackSize; }

std::vector<std::vector<GlyphPlacement>> LayoutTextObject(const PageObject& o) {
  std::vector<std::vector<GlyphPlacement>> out;
  const double size = EffectiveFontSize(o);
  double cur_x = 0, cur_y = 0;
  for (const TextCode& tc : o.text_codes) {
    // Absent X/Y: the previous TextCode's value (GB/T 33190-2016 §11.3).
    if (tc.x) cur_x = *tc.x;
    if (tc.y) cur_y = *tc.y;
    std::vector<std::string> cps = SplitCodePoints(tc.text);
    std::vector<GlyphPlacement> code;
    code.reserve(cps.size());
    double x = cur_x, y = cur_y;
    for (size_t i = 0; i < cps.size(); ++i) {
      double natural = (IsNarrow(cps[i]) ? 0.5 : 1.0) * size * o.h_scale;
      // Missing offsets repeat the last one given; with no DeltaX at all, characters
      // advance by their natural width (or not at all in vertical text).
      double dx = i < tc.delta_x.size() ? tc.delta_x[i]
                  : !tc.delta_x.empty() ? tc.delta_x.back()
                  : tc.delta_y.empty()  ? natural
                                        : 0.0;
      double dy =
          i < tc.delta_y.size() ? tc.delta_y[i] : (tc.delta_y.empty() ? 0.0 : tc.delta_y.back());
      double width = (i + 1 < cps.size() && dx > 0) ? std::min(dx, size) : natural;
      code.push_back({std::move(cps[i]), {x, y}, width});
      x += dx;
      y += dy;
    }
    out.push_back(std::move(code));
  }
  return out;
}

std::vector<std::string> SplitCodePoints(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<uint8_t>(s[i]);
    size_t len = b < 0x80           ? 1
                 : (b >> 5) == 0x6  ? 2
                 : (b >> 4) == 0xE  ? 3
                 : (b >> 3) == 0x1E ? 4
                                    : 0;
    bool ok = len != 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) {
      if ((static_cast<uint8_t>(s[i + k]) & 0xC0) != 0x80) ok = false;
    }
    if (!ok) {
      out.emplace_back("\xEF\xBF\xBD");
      ++i;
      continue;
    }
    out.emplace_back(s.substr(i, len));
    i += len;
  }
  return out;
}

std::vector<TextRun> ExtractText(const Page& page, bool in_template) {
  std::vector<TextRun> out;
  for (const Layer* layer : LayersInDrawOrder(page)) {
    for (const PageObject& o : layer->objects) WalkObject(o, in_template, &out, 0);
  }
  return out;
}

Result<std::vector<TextRun>> ExtractPageText(const Reader& reader, size_t page_index) {
  ASSIGN_OR_RETURN(Page page, reader.LoadPage(page_index));
  std::vector<TextRun> out;
  auto add_templates = [&](bool foreground) {
    for (const TemplateUse& use : page.templates) {
      if (IsForeground(use.z_order) != foreground) continue;
      auto t = reader.LoadTemplate(use.template_id);
      if (!t.ok()) continue;  // a missing template hides nothing of the page itself
      std::vector<TextRun> runs = ExtractText(*t, true);
      out.insert(out.end(), std::make_move_iterator(runs.begin()),
                 std::make_move_iterator(runs.end()));
    }
  };
  add_templates(false);
  std::vector<TextRun> own = ExtractText(page, false);
  out.insert(out.end(), std::make_move_iterator(own.begin()), std::make_move_iterator(own.end()));
  add_templates(true);
  return out;
}

std::vector<TextMatch> FindText(const std::vector<TextRun>& runs, std::string_view keyword) {
  std::vector<std::string> kw;
  for (std::string& cp : SplitCodePoints(keyword)) {
    if (!IsSpaceCp(cp)) kw.push_back(std::move(cp));
  }
  std::vector<TextMatch> out;
  if (kw.empty()) return out;
  std::set<std::tuple<long, long, long, long>> seen;

  // Within each run.
  for (size_t r = 0; r < runs.size(); ++r) {
    std::vector<Glyph> seq;
    std::vector<std::string> cps = SplitCodePoints(runs[r].text);
    for (size_t i = 0; i < cps.size() && i < runs[r].char_boxes.size(); ++i) {
      if (!IsSpaceCp(cps[i])) seq.push_back({cps[i], runs[r].char_boxes[i], r});
    }
    Search(seq, kw, false, &seen, &out);
  }

  // Across runs on one line.
  std::vector<size_t> order;
  for (size_t r = 0; r < runs.size(); ++r) {
    if (!runs[r].char_boxes.empty() && IsHorizontal(runs[r])) order.push_back(r);
  }
  auto base = [&](size_t r) { return runs[r].char_boxes.front().bottom(); };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return base(a) < base(b); });
  size_t i = 0;
  while (i < order.size()) {
    std::vector<size_t> line = {order[i]};
    size_t j = i + 1;
    while (j < order.size()) {
      double tol = 0.35 * std::min(runs[order[i]].font_size, runs[order[j]].font_size);
      if (std::fabs(base(order[j]) - base(order[i])) > tol) break;
      line.push_back(order[j]);
      ++j;
    }
    i = j;
    if (line.size() < 2) continue;
    std::stable_sort(line.begin(), line.end(),
                     [&](size_t a, size_t b) { return runs[a].box.x < runs[b].box.x; });
    std::vector<Glyph> seq;
    for (size_t k = 0; k < line.size(); ++k) {
      const TextRun& r = runs[line[k]];
      if (k > 0) {
        const TextRun& prev = runs[line[k - 1]];
        double em = std::max(r.font_size, prev.font_size);
        double gap = r.box.x - prev.box.right();
        if (gap > 2 * em || gap < -0.5 * em) seq.push_back({"", {}, line[k]});
      }
      std::vector<std::string> cps = SplitCodePoints(r.text);
      for (size_t c = 0; c < cps.size() && c < r.char_boxes.size(); ++c) {
        if (!IsSpaceCp(cps[c])) seq.push_back({cps[c], r.char_boxes[c], line[k]});
      }
    }
    Search(seq, kw, true, &seen, &out);
  }
  std::stable_sort(out.begin(), out.end(), [](const TextMatch& a, const TextMatch& b) {
    if (std::fabs(a.box.y - b.box.y) > 0.5) return a.box.y < b.box.y;
    return a.box.x < b.box.x;
  });
  return out;
}

Result<std::vector<TextMatch>> FindText(const Reader& reader, size_t page_index,
                                        std::string_view keyword) {
  ASSIGN_OR_RETURN(std::vector<TextRun> runs, ExtractPageText(reader, page_index));
  return FindText(runs, keyword);
}

}  // namespace eseal::ofd
