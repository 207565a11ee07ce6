// Seal placement (盖章位置): fixed positions, keyword positions (关键字盖章) and riding
// seals (骑缝章) turned into StampAnnot boxes.
#include <cmath>
#include <cstdio>

#include "eseal/ofd/text.h"
#include "internal.h"

namespace eseal::sign::internal {
namespace {

bool Finite(double v) { return std::isfinite(v) && std::fabs(v) < 1e5; }

Result<std::pair<size_t, size_t>> PageRange(const ofd::Reader& reader, int first, int last,
                                            std::string_view what) {
  const size_t n = reader.page_count();
  if (n == 0) return InvalidArgumentError("the document has no pages");
  size_t a = first <= 0 ? 1 : static_cast<size_t>(first);
  size_t b = last <= 0 ? n : static_cast<size_t>(last);
  if (a > n || b > n || a > b) {
    return InvalidArgumentError(std::string(what) + ": pages " + std::to_string(a) + "-" +
                                std::to_string(b) + " are not within the document's " +
                                std::to_string(n) + " pages");
  }
  return std::make_pair(a - 1, b - 1);
}

Result<std::vector<Appearance>> Riding(const ofd::Reader& reader, const RidingPlacement& r,
                                       double w, double h) {
  ASSIGN_OR_RETURN(auto range, PageRange(reader, r.first_page, r.last_page, "riding seal"));
  const size_t n = range.second - range.first + 1;
  if (n < 2) return InvalidArgumentError("a riding seal (骑缝章) needs at least two pages");
  if (n > 1000) return InvalidArgumentError("a riding seal over more than 1000 pages is refused");
  std::vector<Appearance> out;
  const bool horizontal = r.edge == Edge::kLeft || r.edge == Edge::kRight;
  const double slice = (horizontal ? w : h) / static_cast<double>(n);
  for (size_t k = 0; k < n; ++k) {
    ASSIGN_OR_RETURN(ofd::PageInfo info, reader.GetPageInfo(range.first + k));
    const ofd::Box& pb = info.physical_box;
    Appearance a;
    a.page_index = range.first + k;
    const double kk = static_cast<double>(k);
    const double back = static_cast<double>(n - 1 - k);
    if (horizontal) {
      double centre = r.offset_mm < 0 ? pb.y + pb.h / 2 : pb.y + r.offset_mm;
      a.boundary.y = centre - h / 2;
      if (r.edge == Edge::kRight) {
        // Page k shows slice k of the seal, from the left, against its right edge.
        a.boundary.x = pb.x + pb.w - (kk + 1) * slice;
        a.clip = ofd::Box{kk * slice, 0, slice, h};
      } else {
        a.boundary.x = pb.x - back * slice;
        a.clip = ofd::Box{back * slice, 0, slice, h};
      }
    } else {
      double centre = r.offset_mm < 0 ? pb.x + pb.w / 2 : pb.x + r.offset_mm;
      a.boundary.x = centre - w / 2;
      if (r.edge == Edge::kBottom) {
        a.boundary.y = pb.y + pb.h - (kk + 1) * slice;
        a.clip = ofd::Box{0, kk * slice, w, slice};
      } else {
        a.boundary.y = pb.y - back * slice;
        a.clip = ofd::Box{0, back * slice, w, slice};
      }
    }
    a.boundary.w = w;
    a.boundary.h = h;
    out.push_back(a);
  }
  return out;
}

Result<std::vector<Appearance>> Keyword(const ofd::Reader& reader, const KeywordPlacement& k,
                                        double w, double h) {
  if (k.keyword.empty()) return InvalidArgumentError("the keyword is empty");
  if (k.occurrence < 0) return InvalidArgumentError("the keyword occurrence must be 0 (all) or >= 1");
  ASSIGN_OR_RETURN(auto range, PageRange(reader, k.first_page, k.last_page, "keyword"));
  std::vector<Appearance> out;
  int seen = 0;
  for (size_t p = range.first; p <= range.second; ++p) {
    ASSIGN_OR_RETURN(std::vector<ofd::TextMatch> matches, ofd::FindText(reader, p, k.keyword));
    for (const ofd::TextMatch& m : matches) {
      ++seen;
      if (k.occurrence != 0 && seen != k.occurrence) continue;
      Appearance a;
      a.page_index = p;
      a.boundary = ofd::Box{m.box.x + m.box.w / 2 - w / 2, m.box.y + m.box.h / 2 - h / 2, w, h};
      out.push_back(a);
      if (k.occurrence != 0) return out;
      if (out.size() > 1000) return InvalidArgumentError("the keyword occurs more than 1000 times");
    }
  }
  if (out.empty()) {
    if (seen > 0) {
      return InvalidArgumentError("the keyword \"" + k.keyword + "\" occurs only " +
                                  std::to_string(seen) + " time(s); occurrence " +
                                  std::to_string(k.occurrence) + " does not exist");
    }
    return InvalidArgumentError("the keyword \"" + k.keyword + "\" was not found on pages " +
                                std::to_string(range.first + 1) + "-" +
                                std::to_string(range.second + 1));
  }
  return out;
}

}  // namespace

Result<std::vector<Appearance>> ComputeAppearances(const ofd::Reader& reader,
                                                   const Placement& placement, double w,
                                                   double h) {
  int modes = (placement.positions.empty() ? 0 : 1) + (placement.keyword ? 1 : 0) +
              (placement.riding ? 1 : 0);
  if (modes > 1) {
    return InvalidArgumentError("choose one placement: positions, a keyword or a riding seal");
  }
  if (!(w > 0 && h > 0 && Finite(w) && Finite(h))) {
    return InvalidArgumentError("the stamp size must be positive");
  }
  if (modes == 0) return std::vector<Appearance>{};
  if (placement.keyword) return Keyword(reader, *placement.keyword, w, h);
  if (placement.riding) return Riding(reader, *placement.riding, w, h);
  std::vector<Appearance> out;
  for (const PagePosition& p : placement.positions) {
    if (p.page < 1 || static_cast<size_t>(p.page) > reader.page_count()) {
      return InvalidArgumentError("page " + std::to_string(p.page) + " is out of range (the document has " +
                                  std::to_string(reader.page_count()) + " pages)");
    }
    if (!Finite(p.x_mm) || !Finite(p.y_mm)) {
      return InvalidArgumentError("the stamp position is not a usable number");
    }
    out.push_back(Appearance{static_cast<size_t>(p.page - 1), ofd::Box{p.x_mm, p.y_mm, w, h}, std::nullopt});
  }
  if (out.size() > 1000) return InvalidArgumentError("more than 1000 appearances");
  return out;
}

std::string FormatSignId(uint64_t n, const std::string& style) {
  std::string prefix;
  size_t i = 0;
  while (i < style.size() && !(style[i] >= '0' && style[i] <= '9')) prefix += style[i++];
  std::string digits = style.substr(i);
  std::string num = std::to_string(n);
  // Keep a zero-padded width ("s001", "001").
  if (digits.size() > 1 && digits[0] == '0' && num.size() < digits.size()) {
    num.insert(0, digits.size() - num.size(), '0');
  }
  bool prefix_ok = !prefix.empty() && prefix.size() <= 8;
  for (char c : prefix) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) prefix_ok = false;
  }
  return (prefix_ok ? prefix : "") + num;
}

std::string FormatSignatureDateTime(Time t) {
  CivilTime c = ToCivil(t + std::chrono::hours(8));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

}  // namespace eseal::sign::internal
