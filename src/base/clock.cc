#include "eseal/base/clock.h"

namespace eseal {
namespace {
class WallClock final : public Clock {
 public:
  Time Now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};
}  // namespace

const Clock& SystemClock() {
  static const WallClock clock;
  return clock;
}

}  // namespace eseal
