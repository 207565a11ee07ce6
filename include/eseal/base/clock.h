// Clock: where "now" comes from. Injected everywhere a decision depends on time (seal
// validity, expiry, audit timestamps) so tests can fix the signing time and jump a year.
// Thread-safety: SystemClock is safe from any thread; FixedClock is safe for concurrent
// Now() calls, and Set/Advance are atomic.
#pragma once

#include <atomic>

#include "eseal/base/time.h"

namespace eseal {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time Now() const = 0;
};

// The machine's wall clock.
const Clock& SystemClock();

// A clock that says what the test told it.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Time t) : unix_(ToUnix(t)) {}
  Time Now() const override { return TimeFromUnix(unix_.load()); }
  void Set(Time t) { unix_.store(ToUnix(t)); }
  void Advance(std::chrono::seconds d) { unix_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> unix_;
};

}  // namespace eseal
