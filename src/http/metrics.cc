#include "metrics.h"

#include <cstdio>

namespace eseal::http {

std::string PromLabel(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Metrics::RequestFinished(std::string_view method, std::string_view route, int status,
                              double seconds, std::string_view error_code) {
  in_flight_.fetch_sub(1);
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{std::string(method), std::string(route), status}];
  Histogram& h = latency_[{std::string(method), std::string(route)}];
  size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  if (i < kBuckets.size()) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
  if (!error_code.empty()) ++errors_[std::string(error_code)];
}

void Metrics::SignatureMade() {
  std::lock_guard<std::mutex> lock(mu_);
  ++signatures_;
}

void Metrics::Verification(std::string_view verdict) {
  std::lock_guard<std::mutex> lock(mu_);
  ++verifications_[std::string(verdict)];
}

uint64_t Metrics::requests(std::string_view method, std::string_view route, int status) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = requests_.find({std::string(method), std::string(route), status});
  return it == requests_.end() ? 0 : it->second;
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  out += "# HELP eseal_http_requests_total HTTP requests by method, route pattern and status.\n";
  out += "# TYPE eseal_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out += "eseal_http_requests_total{method=\"" + PromLabel(method) + "\",route=\"" +
           PromLabel(route) + "\",status=\"" + std::to_string(status) + "\"} " +
           std::to_string(n) + "\n";
  }
  out += "# HELP eseal_http_request_duration_seconds Time from the request head to the reply.\n";
  out += "# TYPE eseal_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    std::string labels =
        "method=\"" + PromLabel(key.first) + "\",route=\"" + PromLabel(key.second) + "\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out += "eseal_http_request_duration_seconds_bucket{" + labels + ",le=\"" + Num(kBuckets[i]) +
             "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "eseal_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    out += "eseal_http_request_duration_seconds_sum{" + labels + "} " + Num(h.sum) + "\n";
    out += "eseal_http_request_duration_seconds_count{" + labels + "} " + std::to_string(h.count) +
           "\n";
  }
  out += "# HELP eseal_http_requests_in_flight Requests being handled now.\n";
  out += "# TYPE eseal_http_requests_in_flight gauge\n";
  out += "eseal_http_requests_in_flight " + std::to_string(in_flight_.load()) + "\n";
  out += "# HELP eseal_http_errors_total Error responses by error code.\n";
  out += "# TYPE eseal_http_errors_total counter\n";
  for (const auto& [code, n] : errors_) {
    out += "eseal_http_errors_total{code=\"" + PromLabel(code) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP eseal_signatures_total Documents signed through the API.\n";
  out += "# TYPE eseal_signatures_total counter\n";
  out += "eseal_signatures_total " + std::to_string(signatures_) + "\n";
  out += "# HELP eseal_verifications_total Verifications through the API by verdict.\n";
  out += "# TYPE eseal_verifications_total counter\n";
  for (const auto& [verdict, n] : verifications_) {
    out += "eseal_verifications_total{verdict=\"" + PromLabel(verdict) + "\"} " +
           std::to_string(n) + "\n";
  }
  return out;
}

}  // namespace eseal::http
