// Private pieces of the TSA client (tsa_client.h) shared by its two files: the HTTP
// exchange (tsa_client.cc) and the checks a reply must pass before its token is used
// (tsa_reply.cc).
#pragma once

#include <chrono>
#include <string>

#include "eseal/sign/tsa_client.h"
#include "eseal/tsp/timestamp_request.h"

namespace eseal::sign::internal {

struct TsaUrl {
  bool https = false;
  std::string host;  // without the [ ] of an IPv6 literal
  int port = 0;
  std::string path;  // "/..." with any query
  std::string text;  // as configured, for messages
};

// What a Timestamper from HttpTimestamper owns.
struct TsaClientState {
  TsaClientOptions options;
  TsaUrl url;
};

// The token of `reply` (the HTTP body of a 200 application/timestamp-reply) when it
// answers `request` for `value` and passes every check of tsa_client.h; otherwise
// FailedPrecondition (the TSA refused) or DataLoss (the reply cannot be used), bilingual.
Result<Bytes> CheckTsaReply(const TsaClientState& s, ByteView reply, ByteView value,
                            const tsp::TimestampRequest& request);

// "10 s", "0.3 s".
std::string FormatSeconds(std::chrono::milliseconds d);
// Text from the TSA made safe to quote: control characters replaced, at most 200 bytes
// (cut at a UTF-8 character boundary).
std::string Printable(const std::string& s);

}  // namespace eseal::sign::internal
