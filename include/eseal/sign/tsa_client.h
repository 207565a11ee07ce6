// An RFC 3161 time-stamping authority client (时间戳服务客户端): a Timestamper
// (timestamper.h) that asks a TSA over HTTP — a licensed TSA (GB/T 20520) a deployment
// is pointed at instead of eseal's own — for a token over SM3(signature value).
//
// Each call POSTs a DER TimeStampReq (RFC 3161 §3.4: Content-Type
// application/timestamp-query) with the SM3 imprint, a fresh 64-bit random nonce and
// certReq TRUE, and accepts the reply only when all of these hold (checked before the
// token is returned; a token that fails one is never returned):
//   - HTTP 200 with Content-Type application/timestamp-reply, at most max_response_bytes;
//   - a strict-DER TimeStampResp with status granted or grantedWithMods and a token;
//   - the TSTInfo's messageImprint is SM3 and equals SM3(signature value), its nonce is
//     ours (a replayed reply to an earlier request fails here), and its policy is the
//     requested one when `policy` is set;
//   - tsp::VerifyTimestampToken's checks pass: structure, signed attributes, the
//     ESSCertID(v2) binding, the TSA's SM2 signature with the certificate in the token,
//     its critical timeStamping extendedKeyUsage, and — when `tsa_anchors` is not empty —
//     the TSA's chain to one of them at genTime. Without anchors only the chain checks
//     (tsa.cert.*) may be INDETERMINATE; any FAIL still refuses the token;
//   - genTime is within max_clock_skew of `clock`.
// Connection failures, timeouts and HTTP 5xx are retried (`retries` more times, with a
// doubling backoff); a rejection, a 4xx, or a reply that fails a check is not: the TSA
// answered, and asking again would get the same answer or hide an attack.
// Errors (Chinese first, English beside, naming the URL and what to do): Unavailable
// (unreachable, timed out, 5xx after the retries), FailedPrecondition (the TSA refused
// the request: its statusString and failInfo are quoted; another 4xx/3xx answer),
// DataLoss (a reply that is not a valid token for this request), InvalidArgument (bad
// options, from HttpTimestamper itself).
// https:// is supported (cpp-httplib here is built with OpenSSL): the server certificate
// is checked against `tls_ca_file`, or the system's CA store when that is empty. The
// token's own signature, not TLS, is what makes the time trustworthy.
// Thread-safety: the returned Timestamper may be called from several threads at once
// (each call opens its own connection) when `clock` and `rng` are thread-safe, as
// SystemClock() and crypto::SystemRng() are; both must outlive it.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "eseal/asn1/oid.h"
#include "eseal/base/clock.h"
#include "eseal/base/rng.h"
#include "eseal/sign/timestamper.h"
#include "eseal/x509/chain.h"
#include "eseal/x509/crl.h"

namespace eseal::sign {

inline constexpr size_t kDefaultMaxTsaResponse = size_t{64} << 10;

struct TsaClientOptions {
  // http://host[:port][/path] or https://... (no user:password@, no #fragment).
  std::string url;
  std::chrono::milliseconds connect_timeout{5000};
  // Per read; the whole exchange must also end within connect_timeout + read_timeout, so
  // a reply trickled in byte by byte cannot hold the signing forever.
  std::chrono::milliseconds read_timeout{10000};
  int retries = 2;                         // extra attempts after the first (0..10)
  std::chrono::milliseconds backoff{250};  // before the first retry; doubles after
  // The TSA roots the reply's chain must reach (role TSA only). Empty: the chain is not
  // judged at signing time (the verifier judges it later with its own policy).
  x509::TrustStore tsa_anchors;
  std::vector<x509::Certificate> intermediates;  // beside those in the token
  std::vector<x509::Crl> crls;
  // Off by default: a licensed TSA's CRL is rarely at hand when signing, and the
  // verifier checks the TSA's revocation with its own policy. On: needs `crls`.
  bool check_revocation = false;
  bool tolerate_ca_without_key_cert_sign = false;
  std::optional<asn1::Oid> policy;  // reqPolicy to ask for (and require in the token)
  const Clock* clock = nullptr;     // for the genTime check; nullptr: SystemClock()
  std::chrono::seconds max_clock_skew{300};
  Rng* rng = nullptr;  // for nonces; nullptr: crypto::SystemRng()
  size_t max_response_bytes = kDefaultMaxTsaResponse;
  std::string tls_ca_file;  // https only: CA bundle (PEM) for the server certificate
};

// Validates the options (InvalidArgument, bilingual) and returns the Timestamper; nothing
// is sent until it is called.
Result<Timestamper> HttpTimestamper(TsaClientOptions o);

}  // namespace eseal::sign
