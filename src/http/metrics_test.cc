#include "metrics.h"

#include <gtest/gtest.h>

#include <sstream>

#include "rate_limit.h"

namespace eseal::http {
namespace {

// Every line is a comment (# HELP / # TYPE) or "name{labels} value" with a number value.
void ExpectExpositionFormat(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    ASSERT_FALSE(line.empty());
    if (line[0] == '#') {
      EXPECT_TRUE(line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) << line;
      continue;
    }
    auto space = line.rfind(' ');
    ASSERT_NE(space, std::string::npos) << line;
    std::string value = line.substr(space + 1);
    char* end = nullptr;
    std::strtod(value.c_str(), &end);
    EXPECT_EQ(*end, '\0') << line;
    std::string name = line.substr(0, line.find_first_of("{ "));
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string::npos) << line;
  }
  EXPECT_EQ(text.back(), '\n');
}

TEST(MetricsTest, RendersCountersHistogramAndGauges) {
  Metrics m;
  m.RequestStarted();
  m.RequestFinished("GET", "/api/v1/seals/{id}", 200, 0.003, "");
  m.RequestStarted();
  m.RequestFinished("GET", "/api/v1/seals/{id}", 404, 0.2, "not_found");
  m.RequestStarted();
  m.RequestFinished("POST", "/api/v1/seals/{id}/sign", 200, 20, "");
  m.RequestStarted();  // still in flight
  m.SignatureMade();
  m.Verification("PASSED");
  m.Verification("FAILED");
  m.Verification("PASSED");
  std::string t = m.Render();
  ExpectExpositionFormat(t);
  EXPECT_NE(t.find("# TYPE eseal_http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(t.find("eseal_http_requests_total{method=\"GET\",route=\"/api/v1/seals/{id}\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(t.find("# TYPE eseal_http_request_duration_seconds histogram\n"), std::string::npos);
  // Cumulative buckets: 0.003 is in every bucket from 0.005, 0.2 from 0.25.
  EXPECT_NE(t.find("eseal_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/seals/{id}\",le=\"0.005\"} 1\n"),
            std::string::npos);
  EXPECT_NE(t.find("eseal_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/seals/{id}\",le=\"0.25\"} 2\n"),
            std::string::npos);
  // 20 s is beyond every finite bucket.
  EXPECT_NE(t.find("eseal_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/seals/{id}/sign\",le=\"10\"} 0\n"),
            std::string::npos);
  EXPECT_NE(t.find("eseal_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/seals/{id}/sign\",le=\"+Inf\"} 1\n"),
            std::string::npos);
  EXPECT_NE(t.find("eseal_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/seals/{id}\"} 2\n"),
            std::string::npos);
  EXPECT_NE(t.find("eseal_http_requests_in_flight 1\n"), std::string::npos);
  EXPECT_NE(t.find("eseal_http_errors_total{code=\"not_found\"} 1\n"), std::string::npos);
  EXPECT_NE(t.find("eseal_signatures_total 1\n"), std::string::npos);
  EXPECT_NE(t.find("eseal_verifications_total{verdict=\"PASSED\"} 2\n"), std::string::npos);
  EXPECT_EQ(m.requests("GET", "/api/v1/seals/{id}", 200), 1u);
}

TEST(MetricsTest, EscapesLabelValues) {
  EXPECT_EQ(PromLabel("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  Metrics m;
  m.RequestStarted();
  m.RequestFinished("GET", "we\"ird", 200, 0, "");
  ExpectExpositionFormat(m.Render());
}

TEST(RateLimiterTest, BucketHoldsAMinuteAndRefills) {
  double now = 100;
  RateLimiter r([&] { return now; });
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(r.Take("c", 3).allowed) << i;
  RateLimiter::Decision d = r.Take("c", 3);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 20);  // 3 a minute: one token every 20 s
  EXPECT_TRUE(r.Take("other", 3).allowed);  // buckets are per key
  now += 10;
  d = r.Take("c", 3);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 10);
  now += 10.5;
  EXPECT_TRUE(r.Take("c", 3).allowed);
  EXPECT_FALSE(r.Take("c", 3).allowed);
  // Unlimited.
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(r.Take("u", 0).allowed);
}

TEST(RateLimiterTest, ANewLimitTakesEffect) {
  double now = 0;
  RateLimiter r([&] { return now; });
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(r.Take("c", 60).allowed);
  EXPECT_FALSE(r.Take("c", 60).allowed);
  now += 1;
  EXPECT_TRUE(r.Take("c", 6000).allowed);  // raised: refills at 100/s
  now += 1;
  int allowed = 0;
  while (r.Take("c", 6000).allowed) ++allowed;
  EXPECT_GE(allowed, 99);
}

}  // namespace
}  // namespace eseal::http
