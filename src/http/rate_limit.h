// Per-client rate limits: one token bucket per key (a client id) holding at most a minute's
// allowance (Client::rate_limit_per_minute) and refilled continuously at that rate. A
// request takes one token; with none left it is refused with the seconds until one is back.
// When a client's limit changes, the share of its allowance left is kept. Keys are client
// ids or, for unauthenticated requests, "addr:<remote address>" (api.cc). The map of
// buckets is bounded: past kMaxBuckets, buckets that have refilled completely (they hold
// nothing a fresh bucket would not) are dropped, so many addresses cannot grow it forever.
// Thread-safety: Take is safe from any thread.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace eseal::http {

class RateLimiter {
 public:
  // `now` returns monotonic seconds; default: std::chrono::steady_clock.
  explicit RateLimiter(std::function<double()> now = nullptr);

  struct Decision {
    bool allowed = true;
    int retry_after_seconds = 0;  // when refused: whole seconds until a token is back (>= 1)
  };
  // A limit of 0 or less means unlimited.
  Decision Take(const std::string& key, int per_minute);

  static constexpr size_t kMaxBuckets = 100000;
  size_t bucket_count();

 private:
  struct Bucket {
    double tokens = 0;
    double last = 0;
    int per_minute = 0;
  };
  std::function<double()> now_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace eseal::http
