// PathData: the AbbreviatedData of a path object (图形对象的简略描述, GB/T 33190-2016 §9.2,
// table 36): S/M (move), L (line), Q (quadratic), B (cubic Bézier), A (elliptical arc, as in
// SVG), C (close). "Z" is accepted as a synonym of C because some producers write it.
// Thread-safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "eseal/base/result.h"
#include "eseal/ofd/geometry.h"

namespace eseal::ofd {

struct PathOp {
  enum Kind { kMove, kLine, kQuad, kCubic, kArc, kClose };
  Kind kind = kMove;
  // kMove/kLine: p[0]. kQuad: p[0] control, p[1] end. kCubic: p[0], p[1] controls, p[2] end.
  // kArc: p[0] = (rx, ry), p[1] = end; plus the fields below.
  Point p[3];
  double rotation_deg = 0;
  bool large_arc = false;
  bool sweep = false;
};

// Parses AbbreviatedData. InvalidArgument for an unknown operator or missing operands;
// ResourceExhausted for more than `max_ops` operations.
Result<std::vector<PathOp>> ParseAbbreviatedData(std::string_view data, size_t max_ops = 1 << 20);

// The bounding box of the path's points (control points included; arcs by their end
// points and radii), in the path's own coordinates.
Box PathBounds(const std::vector<PathOp>& ops);

}  // namespace eseal::ofd
