// Fuzzes the timestamp token (时间戳令牌) reader and verifier: ParseTimestampToken and
// VerifyTimestampToken with no anchors must stay bounded on any input, never prove a time
// from a token that fails, and agree with each other on what parses.
#include <cstddef>
#include <cstdint>

#include "eseal/tsp/timestamp_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  eseal::ByteView in(data, size);
  auto token = eseal::tsp::ParseTimestampToken(in, 4);
  if (token.ok() && token->signed_data.certificates.size() > 4) __builtin_trap();
  eseal::tsp::TimestampVerifyOptions o;
  o.max_certificates = 4;
  auto v = eseal::tsp::VerifyTimestampToken(in, eseal::ByteView(data, size < 16 ? size : 16), o);
  // With no TSA anchors nothing can be proven.
  if (v.gen_time.has_value()) __builtin_trap();
  if (v.report.verdict() == eseal::Verdict::kPassed) __builtin_trap();
  if (token.ok() && !v.claimed_gen_time.has_value()) __builtin_trap();
  return 0;
}
