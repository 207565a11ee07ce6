// Layout of a seal's text: where every character goes, before anything is drawn.
//
// Round and oval seals put the name on an arc that follows the inner edge of the border,
// each character upright relative to the centre (its "up" along the outward normal), read
// left to right clockwise. Characters are spaced evenly along the arc through their inner
// edges, so neighbours never touch where the arc is tightest. Short names are spread to
// at least arc_min_deg, long ones compressed to arc_max_deg: first the gaps shrink, then
// the characters are condensed, then made smaller; past name_min_height_mm the name does
// not fit. The seal code runs along the bottom arc, upright for a reader (tops towards the
// centre). Function and centre lines are horizontal.
//
// Every arrangement is then checked: the ink box of every character must lie inside the
// border, and lines must keep clear of each other and of the star. If not, the name arc is
// narrowed and the horizontal lines made smaller, step by step, cheapest change first.
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "internal.h"

namespace eseal::sealimg::internal {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kDeg = kPi / 180;
constexpr char32_t kGuo = 0x56FD;

// Arc-spacing constants, as fractions of the name height (see docs/seal-images.md).
constexpr double kNameGap = 0.25;         // natural gap between name characters (inner edge)
constexpr double kNameMinGap = 0.15;      // tightest gap for long names
constexpr double kNameMaxGap = 1.0;       // widest gap for short names, times the width
constexpr double kShortNameGrowth = 1.3;  // how much taller short names may get
constexpr double kLineClearance = 1.0;    // mm between different lines and the star
constexpr double kBorderClearance = 0.2;  // mm between any ink and the border (at least)

using Quad = std::array<Point, 4>;

struct Item {
  Quad q;  // ink box, for overlaps
  int group;
  const Placed* placed = nullptr;  // outline points, for the border check
};

enum Group { kName, kCode, kFunction, kCenter, kStar };

struct LineFont {
  const std::map<char32_t, Glyph>* glyphs;
  const Glyph* ref;
  bool digits = false;  // measured by '0': each glyph is centred on its ink and squeezed to
                        // the slot width, like the fixed-width digits of the rules
};

// The glyph of c; an empty one if it was not loaded (RenderPng loads every character it
// lays out, so this only keeps a bug from turning into an exception).
const Glyph& GlyphOf(const std::map<char32_t, Glyph>& glyphs, char32_t c) {
  static const Glyph kNone;
  auto it = glyphs.find(c);
  return it == glyphs.end() ? kNone : it->second;
}

LineFont FontFor(std::u32string_view text, const GlyphSet& gs) {
  const bool latin = UsesLatinFont(text, gs);
  const auto* map = latin ? &gs.latin : &gs.main;
  const bool ascii = std::all_of(text.begin(), text.end(), [](char32_t c) { return c < 0x80; });
  const Glyph* ref = nullptr;
  if (ascii) {
    if (auto it = map->find(U'0'); it != map->end()) ref = &it->second;
  }
  if (ref != nullptr) return {map, ref, true};
  return {map, &GlyphOf(gs.main, kGuo), false};
}

// The transform that draws glyph g centred in a slot whose reference glyph measures
// w x h mm, centred at c and turned by rot (clockwise).
// With `cell` (square seals) the glyph is also kept within cell_w x cell_h, centred on its
// own ink, so wide or tall characters fill their cell without leaving it.
Affine SlotTransform(const Glyph& g, const LineFont& font, Point c, double rot, double w, double h,
                     double cell_w = 0, double cell_h = 0) {
  const Glyph& ref = *font.ref;
  double sx = w / std::max(ref.x1 - ref.x0, 1e-6);
  double sy = h / std::max(ref.y1 - ref.y0, 1e-6);
  double ax = g.advance / 2;
  double ay = (ref.y0 + ref.y1) / 2;
  if (font.digits && !g.empty) {
    ax = (g.x0 + g.x1) / 2;
    sx = std::min(sx, w / std::max(g.x1 - g.x0, 1e-6));
  }
  if (cell_w > 0 && !g.empty) {
    ax = (g.x0 + g.x1) / 2;
    ay = (g.y0 + g.y1) / 2;
    sx = std::min(sx, cell_w / std::max(g.x1 - g.x0, 1e-6));
    sy = std::min(sy, cell_h / std::max(g.y1 - g.y0, 1e-6));
  }
  const double cs = std::cos(rot);
  const double sn = std::sin(rot);
  Affine m;
  m.xx = cs * sx;
  m.xy = -sn * sy;
  m.yx = sn * sx;
  m.yy = cs * sy;
  m.x0 = c.x - cs * sx * ax + sn * sy * ay;
  m.y0 = c.y - sn * sx * ax - cs * sy * ay;
  return m;
}

// How wide a character's slot is, as a fraction of a full slot. Chinese characters and, in
// digit lines, digits and capitals take full slots (the rules ask for fixed-width digits);
// Latin letters and punctuation in Chinese lines take their advance, and in digit lines
// lower case and punctuation take their ink width, so "ACME Co" and "(1)" are not spread.
double SlotFactor(char32_t c, const LineFont& font) {
  const Glyph& g = GlyphOf(*font.glyphs, c);
  const Glyph& ref = *font.ref;
  if (font.digits) {
    const bool fixed = (c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z');
    if (fixed) return 1.0;
    if (g.empty) return 0.5;
    return std::clamp((g.x1 - g.x0) / std::max(ref.x1 - ref.x0, 1e-6), 0.3, 1.0);
  }
  if (c >= 0x2E80) return 1.0;  // CJK and full-width forms
  return std::clamp(g.advance / std::max(ref.advance, 1e-6), 0.3, 1.0);
}

double SlotUnits(std::u32string_view text, const LineFont& font) {
  double units = 0;
  for (char32_t c : text) units += SlotFactor(c, font);
  return units;
}

Quad InkQuad(const Placed& p) {
  const Glyph& g = *p.glyph;
  return {p.m.Apply({g.x0, g.y0}), p.m.Apply({g.x1, g.y0}), p.m.Apply({g.x1, g.y1}),
          p.m.Apply({g.x0, g.y1})};
}

// Separating-axis test for convex quads, counting them apart only when some axis shows a
// gap of at least `clearance`.
bool Collide(const Quad& a, const Quad& b, double clearance) {
  for (const Quad* q : {&a, &b}) {
    for (int i = 0; i < 4; ++i) {
      const Point& p0 = (*q)[i];
      const Point& p1 = (*q)[(i + 1) % 4];
      double nx = p1.y - p0.y;
      double ny = p0.x - p1.x;
      const double len = std::hypot(nx, ny);
      if (len < 1e-9) continue;
      nx /= len;
      ny /= len;
      double amin = 1e300, amax = -1e300, bmin = 1e300, bmax = -1e300;
      for (const Point& p : a) {
        const double d = p.x * nx + p.y * ny;
        amin = std::min(amin, d);
        amax = std::max(amax, d);
      }
      for (const Point& p : b) {
        const double d = p.x * nx + p.y * ny;
        bmin = std::min(bmin, d);
        bmax = std::max(bmax, d);
      }
      if (bmin - amax >= clearance || amin - bmax >= clearance) return false;
    }
  }
  return true;
}

// An ellipse x = a sin t, y = -b cos t (t clockwise from the top) with an arc-length table.
class Track {
 public:
  Track(double a, double b) : a_(a), b_(b), s_(kSteps + 1) {
    s_[0] = 0;
    Point prev = At(0);
    for (int i = 1; i <= kSteps; ++i) {
      const Point p = At(kPi * i / kSteps);
      s_[i] = s_[i - 1] + std::hypot(p.x - prev.x, p.y - prev.y);
      prev = p;
    }
  }
  Point At(double t) const { return {a_ * std::sin(t), -b_ * std::cos(t)}; }
  // Rotation that turns "up" into the outward normal at t.
  double Normal(double t) const { return std::atan2(std::sin(t) / a_, std::cos(t) / b_); }
  // The parameter whose point lies at polar angle phi (clockwise from the top).
  double TForPolar(double phi) const { return std::atan2(b_ * std::sin(phi), a_ * std::cos(phi)); }
  double Half() const { return s_.back(); }
  // Arc length from the top to t, t in [0, pi].
  double S(double t) const {
    const double x = std::clamp(t, 0.0, kPi) / kPi * kSteps;
    const int i = std::min(static_cast<int>(x), kSteps - 1);
    return s_[i] + (s_[i + 1] - s_[i]) * (x - i);
  }
  // Inverse of S for s in [0, Half()].
  double T(double s) const {
    s = std::clamp(s, 0.0, Half());
    const auto it = std::upper_bound(s_.begin(), s_.end(), s);
    const int i = std::clamp(static_cast<int>(it - s_.begin()) - 1, 0, kSteps - 1);
    const double span = s_[i + 1] - s_[i];
    const double f = span > 0 ? (s - s_[i]) / span : 0;
    return kPi * (i + f) / kSteps;
  }

 private:
  static constexpr int kSteps = 2048;
  double a_, b_;
  std::vector<double> s_;
};

// The inner edge of the border: semi-axes of the ellipse (a circle on round seals).
struct Inner {
  double a, b;
};

// One text line along an arc. top: centred on the top, read clockwise, characters upright
// outwards; otherwise centred on the bottom, read anticlockwise, tops towards the centre.
// w/g are the character width and gap measured along the characters' inner edge.
std::vector<Placed> PlaceArc(std::u32string_view text, const LineFont& font, const Inner& in,
                             double gap, double h, double w, double g, bool top) {
  const Track centre(in.a - gap - h / 2, in.b - gap - h / 2);
  const Track edge(in.a - gap - h, in.b - gap - h);
  const double n = static_cast<double>(text.size());
  const double len = SlotUnits(text, font) * w + (n - 1) * g;
  std::vector<Placed> out;
  double start = -len / 2;
  for (size_t i = 0; i < text.size(); ++i) {
    // Signed arc length from the middle of the line, positive towards the reading end.
    const double slot = SlotFactor(text[i], font) * w;
    const double sigma = start + slot / 2;
    start += slot + g;
    double t = edge.T(std::fabs(sigma));
    if (top) {
      if (sigma < 0) t = -t;
    } else {
      t = sigma >= 0 ? kPi - t : t - kPi;
    }
    const double rot = centre.Normal(t) + (top ? 0 : kPi);
    const Glyph& glyph = GlyphOf(*font.glyphs, text[i]);
    out.push_back({&glyph, SlotTransform(glyph, font, centre.At(t), rot, w, h)});
  }
  return out;
}

// Arc length (along the characters' inner edge) that spans a polar angle, centred on top.
double EdgeLengthFor(const Inner& in, double gap, double h, double angle) {
  const Track centre(in.a - gap - h / 2, in.b - gap - h / 2);
  const Track edge(in.a - gap - h, in.b - gap - h);
  const double half = std::min(angle / 2, kPi);
  return 2 * edge.S(std::fabs(centre.TForPolar(half)));
}

// The name on the upper arc within [e_min, e_max] degrees of arc; nullopt when it does not
// fit even at the smallest allowed size.
std::optional<std::vector<Placed>> FitNameArc(std::u32string_view name, const LineFont& font,
                                              const Inner& in, const Style& st, double e_min,
                                              double e_max) {
  const double n = static_cast<double>(name.size());
  const double units = SlotUnits(name, font);  // n for an all-Chinese name
  // Short names that would not reach the arc minimum even with square characters get
  // taller characters (up to kShortNameGrowth), as engravers cut them.
  double h_start = st.name_height_mm;
  if (std::min(in.a, in.b) - st.name_gap_mm - h_start >= 1.0) {
    const double h = h_start;
    const double natural = units * h * std::max(st.name_aspect, 1.0) + (n - 1) * h * kNameGap;
    const double lmin = EdgeLengthFor(in, st.name_gap_mm, h, e_min * kDeg);
    if (natural < lmin) h_start = h * std::min(kShortNameGrowth, lmin / natural);
    h_start = std::min(h_start, std::min(in.a, in.b) * 0.4);
    h_start = std::max(h_start, st.name_height_mm);
  }
  for (double h = h_start; h >= st.name_min_height_mm - 1e-9; h -= 0.1) {
    if (std::min(in.a, in.b) - st.name_gap_mm - h < 1.0) continue;
    const double lmax = EdgeLengthFor(in, st.name_gap_mm, h, e_max * kDeg);
    const double lmin = EdgeLengthFor(in, st.name_gap_mm, h, e_min * kDeg);
    double w = h * st.name_aspect;
    double g = h * kNameGap;
    const double gmin = h * kNameMinGap;
    if (units * w + (n - 1) * g <= lmax) {
      if (units * w + (n - 1) * g < lmin) {
        // Short names: square characters first, then wider gaps, up to the arc minimum.
        w = std::min(h * std::max(st.name_aspect, 1.0), (lmin - (n - 1) * g) / units);
        if (n > 1 && units * w + (n - 1) * g < lmin) {
          g = std::min((lmin - units * w) / (n - 1), w * kNameMaxGap);
        }
      }
    } else if (units * w + (n - 1) * gmin <= lmax) {
      g = (lmax - units * w) / (n - 1);
    } else {
      g = gmin;
      w = (lmax - (n - 1) * gmin) / units;
      if (w < h * st.name_min_aspect) continue;
    }
    return PlaceArc(name, font, in, st.name_gap_mm, h, w, g, /*top=*/true);
  }
  return std::nullopt;
}

std::vector<Placed> PlaceLine(std::u32string_view text, const LineFont& font, const TextSize& ts,
                              double top, double scale) {
  const double h = ts.height_mm * scale;
  const double w = ts.width_mm * scale;
  const double pitch = ts.pitch_mm * scale;
  // Full slots are w wide and pitch apart; see SlotFactor for the narrower ones.
  std::vector<double> slot(text.size(), w);
  for (size_t i = 0; i < text.size(); ++i) slot[i] = w * SlotFactor(text[i], font);
  double total = 0;
  for (double v : slot) total += v;
  total += (pitch - w) * (static_cast<double>(text.size()) - 1);
  std::vector<Placed> out;
  double x = -total / 2;
  for (size_t i = 0; i < text.size(); ++i) {
    const Point c{x + slot[i] / 2, top + h / 2};
    x += slot[i] + (pitch - w);
    const Glyph& glyph = GlyphOf(*font.glyphs, text[i]);
    out.push_back({&glyph, SlotTransform(glyph, font, c, 0, w, h)});
  }
  return out;
}

bool Inside(const Point& p, const Style& st, double margin) {
  const double a = st.width_mm / 2 - st.border_mm - margin;
  const double b = st.height_mm / 2 - st.border_mm - margin;
  if (a <= 0 || b <= 0) return false;
  if (st.shape == Shape::kSquare) return std::fabs(p.x) <= a && std::fabs(p.y) <= b;
  return (p.x / a) * (p.x / a) + (p.y / b) * (p.y / b) <= 1.0;
}

// Empty when every item is inside the border and clear of the others, else what is wrong.
std::string Check(const std::vector<Item>& items, const Style& st) {
  const double margin = std::min(kBorderClearance, st.name_gap_mm / 2);
  // Every outline point, with curves sampled (their control points may lie well outside).
  for (const Item& it : items) {
    if (it.placed == nullptr) continue;
    Point cur;
    for (const PathOp& op : it.placed->glyph->path) {
      if (op.kind == PathOp::kClose) continue;
      if (op.kind == PathOp::kCubic) {
        for (int k = 1; k < 8; ++k) {
          const double t = k / 8.0;
          const double u = 1 - t;
          const Point q{u * u * u * cur.x + 3 * u * u * t * op.p[0].x + 3 * u * t * t * op.p[1].x +
                            t * t * t * op.p[2].x,
                        u * u * u * cur.y + 3 * u * u * t * op.p[0].y + 3 * u * t * t * op.p[1].y +
                            t * t * t * op.p[2].y};
          if (!Inside(it.placed->m.Apply(q), st, margin)) return "text reaches the border";
        }
      }
      cur = op.kind == PathOp::kCubic ? op.p[2] : op.p[0];
      if (!Inside(it.placed->m.Apply(cur), st, margin)) return "text reaches the border";
    }
  }
  for (size_t i = 0; i < items.size(); ++i) {
    for (size_t j = i + 1; j < items.size(); ++j) {
      const bool same = items[i].group == items[j].group;
      if (Collide(items[i].q, items[j].q, same ? 0.0 : kLineClearance)) {
        return same ? "characters overlap" : "text lines overlap";
      }
    }
  }
  return "";
}

void AddItems(const std::vector<Placed>& placed, int group, std::vector<Item>* items) {
  for (const Placed& p : placed) {
    if (!p.glyph->empty) items->push_back({InkQuad(p), group, &p});
  }
}

Result<SealLayout> LayoutSquare(const SealLines& lines, const Style& st, const GlyphSet& gs) {
  const std::u32string& text = lines.name;
  const int n = static_cast<int>(text.size());
  const double iw = st.width_mm - 2 * st.border_mm - 2 * st.name_gap_mm;
  const double ih = st.height_mm - 2 * st.border_mm - 2 * st.name_gap_mm;
  // Columns right to left, as even as possible, earlier columns taking the extra character.
  const int cols = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n)) - 1e-9));
  const double gx = iw * 0.04;
  const double cw = (iw - (cols - 1) * gx) / cols;
  const LineFont font = FontFor(text, gs);
  SealLayout out;
  int k = 0;
  for (int col = 0; col < cols; ++col) {
    const int rows = n / cols + (col < n % cols ? 1 : 0);
    const double gy = ih * 0.04;
    const double rh = (ih - (rows - 1) * gy) / rows;
    if (cw < 2.5 || rh < 2.5) {
      return InvalidArgumentError(
          "the name has " + std::to_string(n) + " characters, too many for a " +
          std::to_string(static_cast<int>(st.width_mm)) + " mm square seal");
    }
    const double x = iw / 2 - cw / 2 - col * (cw + gx);
    for (int r = 0; r < rows; ++r, ++k) {
      const double y = -ih / 2 + rh / 2 + r * (rh + gy);
      const Glyph& glyph = GlyphOf(*font.glyphs, text[k]);
      // The reference glyph (国) fills 94% of the cell; no glyph leaves the cell.
      out.glyphs.push_back(
          {&glyph, SlotTransform(glyph, font, {x, y}, 0, cw * 0.94, rh * 0.94, cw, rh)});
    }
  }
  std::vector<Item> items;
  AddItems(out.glyphs, kName, &items);
  if (std::string why = Check(items, st); !why.empty()) {
    return InvalidArgumentError("the name does not fit on the square seal: " + why);
  }
  return out;
}

}  // namespace

bool UsesLatinFont(std::u32string_view text, const GlyphSet& gs) {
  if (gs.latin.empty()) return false;
  return std::all_of(text.begin(), text.end(),
                     [&](char32_t c) { return c < 0x80 && gs.latin.count(c) > 0; });
}

Result<SealLayout> LayoutSeal(const SealLines& lines, const Style& st, const GlyphSet& gs) {
  if (st.shape == Shape::kSquare) return LayoutSquare(lines, st, gs);

  const Inner in{st.width_mm / 2 - st.border_mm, st.height_mm / 2 - st.border_mm};
  const LineFont name_font = FontFor(lines.name, gs);

  // The code along the bottom arc does not depend on the other lines: condense it until it
  // takes at most 150 degrees.
  std::vector<Placed> code;
  if (!lines.code.empty()) {
    const LineFont font = FontFor(lines.code, gs);
    if (st.code_on_arc) {
      const double h = st.code.height_mm;
      for (double f = 1.0; f >= 0.6 - 1e-9 && code.empty(); f -= 0.05) {
        const double w = st.code.width_mm * f;
        const double g = std::max(0.0, (st.code.pitch_mm - st.code.width_mm) * f);
        const double n = static_cast<double>(lines.code.size());
        if (SlotUnits(lines.code, font) * w + (n - 1) * g <=
            EdgeLengthFor(in, st.name_gap_mm, h, 150 * kDeg)) {
          code = PlaceArc(lines.code, font, in, st.name_gap_mm, h, w, g, /*top=*/false);
        }
      }
      if (code.empty()) {
        return InvalidArgumentError("the seal code has " + std::to_string(lines.code.size()) +
                                    " characters, too long for the bottom arc");
      }
    } else {
      code = PlaceLine(lines.code, font, st.code, st.code_top_mm, 1.0);
    }
  }

  // Candidate (arc narrowing, line shrinking) steps, cheapest first.
  std::vector<std::tuple<int, int, int>> steps;  // cost, arc step, line step
  for (int e = 0; e <= 24; ++e) {
    for (int f = 0; f <= 5; ++f) steps.emplace_back(e + 2 * f, f, e);
  }
  std::sort(steps.begin(), steps.end());

  std::vector<std::optional<std::vector<Placed>>> arcs(25);
  std::vector<bool> tried(25, false);
  bool name_fits = false;
  std::string why;
  for (const auto& [cost, f, e] : steps) {
    const double e_max = st.arc_max_deg - 5.0 * e;
    if (e_max < 90) continue;
    if (!tried[e]) {
      tried[e] = true;
      arcs[e] = FitNameArc(lines.name, name_font, in, st, std::min(st.arc_min_deg, e_max), e_max);
    }
    if (!arcs[e]) continue;
    name_fits = true;
    const double scale = 1.0 - 0.06 * f;
    const std::vector<Placed>& name = *arcs[e];
    std::vector<Placed> function;
    if (!lines.function.empty()) {
      // Below the star when there is one, whatever the profile says.
      double top = st.function_top_mm;
      if (st.star) {
        top = std::max(top, st.star_mm / 2 * std::cos(36 * kDeg) + kLineClearance + 0.3);
      }
      function =
          PlaceLine(lines.function, FontFor(lines.function, gs), st.function_text, top, scale);
    }
    std::vector<Placed> center;
    if (!lines.center.empty()) {
      const double h = st.center_text.height_mm * scale;
      center = PlaceLine(lines.center, FontFor(lines.center, gs), st.center_text, -h / 2, scale);
    }
    std::vector<Item> items;
    AddItems(name, kName, &items);
    AddItems(code, kCode, &items);
    AddItems(function, kFunction, &items);
    AddItems(center, kCenter, &items);
    if (st.star) {
      // The star's bounding box: points at radius R, the lowest two at R cos 36 below.
      const double r = st.star_mm / 2;
      const double x = r * std::sin(72 * kDeg);
      const double yb = r * std::cos(36 * kDeg);
      items.push_back({Quad{Point{-x, -r}, Point{x, -r}, Point{x, yb}, Point{-x, yb}}, kStar});
    }
    why = Check(items, st);
    if (why.empty()) {
      SealLayout out;
      out.star = st.star;
      out.star_radius = st.star_mm / 2;
      for (const std::vector<Placed>* part :
           std::initializer_list<const std::vector<Placed>*>{&name, &function, &center, &code}) {
        out.glyphs.insert(out.glyphs.end(), part->begin(), part->end());
      }
      return out;
    }
  }
  if (!name_fits) {
    return InvalidArgumentError(
        "the name has " + std::to_string(lines.name.size()) + " characters, too long to fit on a " +
        std::to_string(static_cast<int>(std::lround(st.width_mm))) +
        " mm seal even with condensed characters; use the registered short form (规范化简称)");
  }
  return InvalidArgumentError("the seal's texts do not fit together (" + why +
                              "); shorten the name or the function text");
}

}  // namespace eseal::sealimg::internal
