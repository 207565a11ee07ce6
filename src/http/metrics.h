// Metrics of the HTTP server in the Prometheus text exposition format (version 0.0.4):
// requests by method, route pattern and status; a latency histogram per route; requests
// in flight; signatures made; verifications by verdict; error responses by code.
// Thread-safety: every method is safe from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace eseal::http {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 11> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                      0.5,   1,    2.5,   5,    10};

  void RequestStarted() { in_flight_.fetch_add(1); }
  // `error_code` is the error slug of a failed request ("" when it succeeded).
  void RequestFinished(std::string_view method, std::string_view route, int status,
                       double seconds, std::string_view error_code);
  void SignatureMade();
  void Verification(std::string_view verdict);

  int64_t in_flight() const { return in_flight_.load(); }
  uint64_t requests(std::string_view method, std::string_view route, int status) const;

  // The exposition text, one metric family after another.
  std::string Render() const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};  // not cumulative
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::atomic<int64_t> in_flight_{0};
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> latency_;
  std::map<std::string, uint64_t> errors_;
  std::map<std::string, uint64_t> verifications_;
  uint64_t signatures_ = 0;
};

// Escapes a Prometheus label value (backslash, double quote, line feed).
std::string PromLabel(std::string_view v);

}  // namespace eseal::http
