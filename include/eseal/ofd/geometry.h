// Geometry of OFD: ST_Box (矩形区域, "x y w h" in millimetres), ST_Pos, and the CTM
// (变换矩阵, "a b c d e f") of GB/T 33190-2016 §5.2 and §8.2, with the number formatting
// eseal writes into XML. Thread-safety: values and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/result.h"

namespace eseal::ofd {

struct Point {
  double x = 0;
  double y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

// A box in millimetres; y grows downwards (page coordinates).
struct Box {
  double x = 0;
  double y = 0;
  double w = 0;
  double h = 0;
  double right() const { return x + w; }
  double bottom() const { return y + h; }
  bool Contains(Point p) const { return p.x >= x && p.x <= right() && p.y >= y && p.y <= bottom(); }
  friend bool operator==(const Box&, const Box&) = default;
};

// The smallest box holding both.
Box Union(const Box& a, const Box& b);
// The smallest box holding all of `boxes`; {0,0,0,0} for none.
Box BoundingBox(const std::vector<Box>& boxes);

// An affine map x' = a*x + c*y + e, y' = b*x + d*y + f (the OFD/PDF convention).
struct Matrix {
  double a = 1, b = 0, c = 0, d = 1, e = 0, f = 0;
  Point Apply(Point p) const { return {a * p.x + c * p.y + e, b * p.x + d * p.y + f}; }
  // The map that applies `this` first, then `next`.
  Matrix Then(const Matrix& next) const;
  static Matrix Translate(double tx, double ty) { return {1, 0, 0, 1, tx, ty}; }
  friend bool operator==(const Matrix&, const Matrix&) = default;
};

// The axis-aligned bounding box of `box` mapped through `m`.
Box Transform(const Matrix& m, const Box& box);

// Parses a whitespace-separated list of numbers (ST_Array). At most `max_count` numbers;
// rejects anything that is not a finite decimal number.
Result<std::vector<double>> ParseNumbers(std::string_view text, size_t max_count = 1 << 20);
// "x y w h"; width and height must not be negative.
Result<Box> ParseBox(std::string_view text);
// "a b c d e f".
Result<Matrix> ParseMatrix(std::string_view text);

// Formats a number as ofdrw writes it: integers without a fraction ("40"), other values in
// the shortest form that reads back to the same double ("69.99999999999999"); "-0" is "0".
std::string FormatNumber(double v);
// "x y w h" with FormatNumber.
std::string FormatBox(const Box& b);

}  // namespace eseal::ofd
