// adjtimex(2) read-only: modes = 0 changes nothing. The return value is the clock state
// (TIME_OK, TIME_INS, ..., TIME_ERROR); TIME_ERROR or STA_UNSYNC means no time source has
// disciplined the clock recently, whatever the daemon's configuration says.
#include "eseal/base/clock_sync.h"

#include <sys/timex.h>

#include <cerrno>
#include <cstring>

namespace eseal {

ClockSync KernelClockSync() {
  struct timex tx {};
  tx.modes = 0;
  int state = ::adjtimex(&tx);
  if (state == -1) {
    return ClockSync{false, std::string("the kernel's clock state could not be read: ") + std::strerror(errno)};
  }
  if (state == TIME_ERROR || (tx.status & STA_UNSYNC) != 0) {
    return ClockSync{false, "unsynchronised (the kernel reports no NTP/PTP discipline: STA_UNSYNC)"};
  }
  // maxerror is in microseconds.
  return ClockSync{true, "synchronised (max error " + std::to_string(tx.maxerror / 1000) + " ms)"};
}

}  // namespace eseal
