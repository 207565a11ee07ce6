// AbbreviatedData (图形对象的简略描述, GB/T 33190-2016 §9.2, table 36).
#include "eseal/ofd/path_data.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace eseal::ofd {
namespace {

bool IsSep(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ','; }
bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

int OperandCount(char op) {
  switch (op) {
    case 'S':
    case 'M':
    case 'L':
      return 2;
    case 'Q':
      return 4;
    case 'B':
      return 6;
    case 'A':
      return 7;
    case 'C':
    case 'Z':
      return 0;
    default:
      return -1;
  }
}

}  // namespace

Result<std::vector<PathOp>> ParseAbbreviatedData(std::string_view s, size_t max_ops) {
  std::vector<PathOp> ops;
  char op = 0;
  double args[7];
  int have = 0;
  size_t i = 0;
  auto emit = [&]() -> Status {
    if (ops.size() >= max_ops) {
      return ResourceExhaustedError("path data has more than " + std::to_string(max_ops) +
                                    " operations");
    }
    PathOp p;
    switch (op) {
      case 'S':
      case 'M':
        p.kind = PathOp::kMove;
        p.p[0] = {args[0], args[1]};
        break;
      case 'L':
        p.kind = PathOp::kLine;
        p.p[0] = {args[0], args[1]};
        break;
      case 'Q':
        p.kind = PathOp::kQuad;
        p.p[0] = {args[0], args[1]};
        p.p[1] = {args[2], args[3]};
        break;
      case 'B':
        p.kind = PathOp::kCubic;
        p.p[0] = {args[0], args[1]};
        p.p[1] = {args[2], args[3]};
        p.p[2] = {args[4], args[5]};
        break;
      case 'A':
        p.kind = PathOp::kArc;
        p.p[0] = {std::fabs(args[0]), std::fabs(args[1])};
        p.rotation_deg = args[2];
        p.large_arc = args[3] != 0;
        p.sweep = args[4] != 0;
        p.p[1] = {args[5], args[6]};
        break;
      default:
        p.kind = PathOp::kClose;
        break;
    }
    ops.push_back(p);
    have = 0;
    return Status::Ok();
  };
  while (i < s.size()) {
    char c = s[i];
    if (IsSep(c)) {
      ++i;
      continue;
    }
    if (IsAlpha(c) && c != 'e' && c != 'E') {
      if (op != 0 && have != 0) {
        return InvalidArgumentError(std::string("path operator ") + op + " is missing operands");
      }
      char up = static_cast<char>(c >= 'a' ? c - 'a' + 'A' : c);
      if (OperandCount(up) < 0)
        return InvalidArgumentError(std::string("unknown path operator ") + c);
      op = up;
      ++i;
      if (OperandCount(op) == 0) RETURN_IF_ERROR(emit());
      continue;
    }
    // A number.
    size_t j = i;
    if (s[j] == '+') ++j;
    double v = 0;
    auto [p, ec] = std::from_chars(s.data() + j, s.data() + s.size(), v);
    if (ec != std::errc() || !std::isfinite(v)) {
      return InvalidArgumentError("path data has a malformed number near offset " +
                                  std::to_string(i));
    }
    if (op == 0 || OperandCount(op) == 0) {
      return InvalidArgumentError("path data has a number without an operator");
    }
    args[have++] = v;
    i = static_cast<size_t>(p - s.data());
    if (have == OperandCount(op)) RETURN_IF_ERROR(emit());
  }
  if (have != 0)
    return InvalidArgumentError(std::string("path operator ") + op + " is missing operands");
  return ops;
}

Box PathBounds(const std::vector<PathOp>& ops) {
  bool any = false;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  auto add = [&](Point p) {
    if (!any) {
      x0 = x1 = p.x;
      y0 = y1 = p.y;
      any = true;
      return;
    }
    x0 = std::min(x0, p.x);
    x1 = std::max(x1, p.x);
    y0 = std::min(y0, p.y);
    y1 = std::max(y1, p.y);
  };
  for (const PathOp& op : ops) {
    switch (op.kind) {
      case PathOp::kMove:
      case PathOp::kLine:
        add(op.p[0]);
        break;
      case PathOp::kQuad:
        add(op.p[0]);
        add(op.p[1]);
        break;
      case PathOp::kCubic:
        add(op.p[0]);
        add(op.p[1]);
        add(op.p[2]);
        break;
      case PathOp::kArc: {
        double r = std::max(op.p[0].x, op.p[0].y);
        add({op.p[1].x - 2 * r, op.p[1].y - 2 * r});
        add({op.p[1].x + 2 * r, op.p[1].y + 2 * r});
        break;
      }
      case PathOp::kClose:
        break;
    }
  }
  return {x0, y0, x1 - x0, y1 - y0};
}

}  // namespace eseal::ofd
