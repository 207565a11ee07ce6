#include "eseal/base/time.h"

#include <cstdio>

namespace eseal {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

CivilTime ToCivil(Time t) {
  sys_days d = std::chrono::floor<days>(t);
  year_month_day ymd(d);
  int64_t secs = (t - d).count();
  CivilTime c;
  c.year = static_cast<int>(ymd.year());
  c.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  c.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  c.hour = static_cast<int>(secs / 3600);
  c.minute = static_cast<int>(secs / 60 % 60);
  c.second = static_cast<int>(secs % 60);
  return c;
}

Result<Time> FromCivil(const CivilTime& c) {
  if (c.year < 1 || c.year > 9999) return InvalidArgumentError("year out of range");
  year_month_day ymd{std::chrono::year(c.year), std::chrono::month(static_cast<unsigned>(c.month)),
                     std::chrono::day(static_cast<unsigned>(c.day))};
  if (c.month < 1 || c.month > 12 || c.day < 1 || !ymd.ok()) {
    return InvalidArgumentError("not a calendar date");
  }
  if (c.hour < 0 || c.hour > 23 || c.minute < 0 || c.minute > 59 || c.second < 0 ||
      c.second > 59) {
    return InvalidArgumentError("not a time of day");
  }
  return Time(sys_days(ymd).time_since_epoch() +
              std::chrono::seconds(c.hour * 3600 + c.minute * 60 + c.second));
}

std::string FormatRfc3339(Time t) {
  CivilTime c = ToCivil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

std::string FormatGeneralized(Time t) {
  CivilTime c = ToCivil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02dZ", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

Result<Time> ParseTime(std::string_view s, int local_offset_seconds) {
  CivilTime c;
  size_t pos = 0;
  auto bad = [&] { return InvalidArgumentError("unrecognised time '" + std::string(s.substr(0, 40)) +
                                               "' (use e.g. 2026-11-23T09:30:35Z)"); };
  if (s.size() >= 8 && s[4] != '-') {
    // Compact form: YYYYMMDDHHMMSS[.fff](Z|+hhmm)
    if (!Digits(s, 0, 4, &c.year) || !Digits(s, 4, 2, &c.month) || !Digits(s, 6, 2, &c.day)) {
      return bad();
    }
    pos = 8;
    if (pos < s.size()) {
      if (!Digits(s, 8, 2, &c.hour) || !Digits(s, 10, 2, &c.minute) ||
          !Digits(s, 12, 2, &c.second)) {
        return bad();
      }
      pos = 14;
    }
  } else {
    if (!Digits(s, 0, 4, &c.year) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &c.month) ||
        s[7] != '-' || !Digits(s, 8, 2, &c.day)) {
      return bad();
    }
    pos = 10;
    if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
      if (!Digits(s, pos + 1, 2, &c.hour) || s.size() < pos + 9 || s[pos + 3] != ':' ||
          !Digits(s, pos + 4, 2, &c.minute) || s[pos + 6] != ':' ||
          !Digits(s, pos + 7, 2, &c.second)) {
        return bad();
      }
      pos += 9;
    }
  }
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return bad();
  }
  int offset = local_offset_seconds;
  if (pos < s.size()) {
    char z = s[pos];
    if ((z == 'Z' || z == 'z') && pos + 1 == s.size()) {
      offset = 0;
    } else if (z == '+' || z == '-') {
      int hh = 0, mm = 0;
      size_t p = pos + 1;
      if (!Digits(s, p, 2, &hh)) return bad();
      p += 2;
      if (p < s.size() && s[p] == ':') ++p;
      if (!Digits(s, p, 2, &mm) || p + 2 != s.size() || hh > 23 || mm > 59) return bad();
      offset = (hh * 3600 + mm * 60) * (z == '-' ? -1 : 1);
    } else {
      return bad();
    }
  }
  ASSIGN_OR_RETURN(Time t, FromCivil(c));
  return t - std::chrono::seconds(offset);
}

}  // namespace eseal
