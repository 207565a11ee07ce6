// Whether the host clock is synchronised (时钟同步): a timestamp authority's genTime is only as
// good as its clock, so eseal's TSA refuses to issue tokens while the kernel says the clock
// is not disciplined by NTP or PTP (docs/trusted-time.md "The clock").
// Thread-safety: reentrant.
#pragma once

#include <functional>
#include <string>

namespace eseal {

struct ClockSync {
  bool synchronised = false;
  // What the kernel said, for /healthz and logs: "synchronised (max error 12 ms)",
  // "unsynchronised (the kernel's STA_UNSYNC flag is set)", or why it could not be read.
  std::string detail;
};

// Reads the kernel's NTP state with adjtimex(2) in read-only mode (modes = 0): synchronised
// when the call does not return TIME_ERROR and STA_UNSYNC is clear. Needs no privilege.
ClockSync KernelClockSync();

// How a caller learns the clock's state; tests inject their own.
using ClockSyncProbe = std::function<ClockSync()>;

}  // namespace eseal
