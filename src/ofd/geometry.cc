// ST_Box, ST_Array and CTM (GB/T 33190-2016 §5.2, §8.2).
#include "eseal/ofd/geometry.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace eseal::ofd {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ','; }

}  // namespace

Box Union(const Box& a, const Box& b) {
  double x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  double x1 = std::max(a.right(), b.right()), y1 = std::max(a.bottom(), b.bottom());
  return {x0, y0, x1 - x0, y1 - y0};
}

Box BoundingBox(const std::vector<Box>& boxes) {
  if (boxes.empty()) return {};
  Box u = boxes.front();
  for (const Box& b : boxes) u = Union(u, b);
  return u;
}

Matrix Matrix::Then(const Matrix& n) const {
  // Row-vector convention: [x y 1] * this * next.
  return {a * n.a + b * n.c, a * n.b + b * n.d,       c * n.a + d * n.c,
          c * n.b + d * n.d, e * n.a + f * n.c + n.e, e * n.b + f * n.d + n.f};
}

Box Transform(const Matrix& m, const Box& box) {
  Point p[4] = {m.Apply({box.x, box.y}), m.Apply({box.right(), box.y}),
                m.Apply({box.x, box.bottom()}), m.Apply({box.right(), box.bottom()})};
  double x0 = p[0].x, x1 = p[0].x, y0 = p[0].y, y1 = p[0].y;
  for (const Point& q : p) {
    x0 = std::min(x0, q.x);
    x1 = std::max(x1, q.x);
    y0 = std::min(y0, q.y);
    y1 = std::max(y1, q.y);
  }
  return {x0, y0, x1 - x0, y1 - y0};
}

Result<std::vector<double>> ParseNumbers(std::string_view text, size_t max_count) {
  std::vector<double> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i >= text.size()) break;
    size_t j = i;
    while (j < text.size() && !IsSpace(text[j])) ++j;
    std::string_view tok = text.substr(i, j - i);
    if (!tok.empty() && tok.front() == '+') tok.remove_prefix(1);
    double v = 0;
    auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
    if (tok.empty() || ec != std::errc() || p != tok.data() + tok.size() || !std::isfinite(v)) {
      return InvalidArgumentError("\"" + std::string(text.substr(i, std::min<size_t>(j - i, 40))) +
                                  "\" is not a number");
    }
    if (out.size() >= max_count) return InvalidArgumentError("too many numbers in a list");
    out.push_back(v);
    i = j;
  }
  return out;
}

Result<Box> ParseBox(std::string_view text) {
  ASSIGN_OR_RETURN(std::vector<double> v, ParseNumbers(text, 8));
  if (v.size() != 4) {
    return InvalidArgumentError("a box needs 4 numbers \"x y w h\", got " +
                                std::to_string(v.size()));
  }
  if (v[2] < 0 || v[3] < 0) return InvalidArgumentError("a box has a negative width or height");
  return Box{v[0], v[1], v[2], v[3]};
}

Result<Matrix> ParseMatrix(std::string_view text) {
  ASSIGN_OR_RETURN(std::vector<double> v, ParseNumbers(text, 8));
  if (v.size() != 6) {
    return InvalidArgumentError("a CTM needs 6 numbers \"a b c d e f\", got " +
                                std::to_string(v.size()));
  }
  return Matrix{v[0], v[1], v[2], v[3], v[4], v[5]};
}

std::string FormatNumber(double v) {
  if (!std::isfinite(v)) return "0";
  if (v == 0) return "0";
  if (std::fabs(v) < 9.0e15 && v == std::trunc(v)) {
    return std::to_string(static_cast<long long>(v));
  }
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (ec != std::errc()) return "0";
  return std::string(buf, p);
}

std::string FormatBox(const Box& b) {
  return FormatNumber(b.x) + " " + FormatNumber(b.y) + " " + FormatNumber(b.w) + " " +
         FormatNumber(b.h);
}

}  // namespace eseal::ofd
