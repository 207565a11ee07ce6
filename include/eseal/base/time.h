// Time: whole seconds since the Unix epoch, UTC. Seal validity, signing times and
// certificate periods all have one-second resolution in their encodings, so eseal keeps
// one second as its unit everywhere. Thread-safety: values and pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "eseal/base/result.h"

namespace eseal {

using Time = std::chrono::sys_seconds;

struct CivilTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
};

inline Time TimeFromUnix(int64_t seconds) { return Time(std::chrono::seconds(seconds)); }
inline int64_t ToUnix(Time t) { return t.time_since_epoch().count(); }

CivilTime ToCivil(Time t);
// Rejects impossible dates and times (month 13, 31 April, 24:00, leap seconds).
Result<Time> FromCivil(const CivilTime& c);

// "2026-11-23T09:30:35Z"
std::string FormatRfc3339(Time t);
// "20261123093035Z", the canonical DER GeneralizedTime form.
std::string FormatGeneralized(Time t);

// Parses the forms people and vendors write:
//   2026-11-23T09:30:35Z, 2026-11-23T09:30:35+08:00, 2026-11-23T09:30:35.123Z,
//   2026-11-23 09:30:35 (no zone: taken as UTC unless `local_offset_seconds` says otherwise),
//   2026-11-23 (midnight), 20261123093035Z, 20261123093035.302Z.
// Fractions of a second are dropped.
Result<Time> ParseTime(std::string_view text, int local_offset_seconds = 0);

inline constexpr std::chrono::seconds kDay{86400};

}  // namespace eseal
