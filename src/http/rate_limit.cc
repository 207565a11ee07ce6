#include "rate_limit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>

namespace eseal::http {

RateLimiter::RateLimiter(std::function<double()> now) : now_(std::move(now)) {
  if (!now_) {
    now_ = [] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
          .count();
    };
  }
}

RateLimiter::Decision RateLimiter::Take(const std::string& key, int per_minute) {
  if (per_minute <= 0) return {};
  double now = now_();
  double capacity = per_minute;
  double rate = per_minute / 60.0;  // tokens per second
  std::lock_guard<std::mutex> lock(mu_);
  if (buckets_.size() >= kMaxBuckets && buckets_.find(key) == buckets_.end()) {
    for (auto i = buckets_.begin(); i != buckets_.end();) {
      const Bucket& o = i->second;
      bool full = o.tokens + std::max(0.0, now - o.last) * (o.per_minute / 60.0) >= o.per_minute;
      i = full ? buckets_.erase(i) : std::next(i);
    }
  }
  auto [it, inserted] = buckets_.try_emplace(key);
  Bucket& b = it->second;
  if (inserted) {
    b.tokens = capacity;
    b.last = now;
    b.per_minute = per_minute;
  } else {
    if (b.per_minute != per_minute) {
      // The operator changed the limit: the same share of a minute's allowance is left.
      b.tokens = b.tokens / b.per_minute * per_minute;
      b.per_minute = per_minute;
    }
    double elapsed = std::max(0.0, now - b.last);
    b.tokens = std::min(capacity, b.tokens + elapsed * rate);
    b.last = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  Decision d;
  d.allowed = false;
  d.retry_after_seconds = std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate)));
  return d;
}

size_t RateLimiter::bucket_count() {
  std::lock_guard<std::mutex> lock(mu_);
  return buckets_.size();
}

}  // namespace eseal::http
