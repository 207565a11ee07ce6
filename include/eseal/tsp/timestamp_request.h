// TimeStampReq and TimeStampResp (时间戳请求 / 时间戳响应) of RFC 3161 §2.4 / GB/T 20520:
//
//   TimeStampReq ::= SEQUENCE { version INTEGER { v1(1) }, messageImprint MessageImprint,
//                               reqPolicy TSAPolicyId OPTIONAL, nonce INTEGER OPTIONAL,
//                               certReq BOOLEAN DEFAULT FALSE,
//                               extensions [0] IMPLICIT Extensions OPTIONAL }
//   TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo OPTIONAL }
//   PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL,
//                                failInfo PKIFailureInfo OPTIONAL }
//
// Requests come from anyone, so the reader is strict DER and bounded: at most
// kMaxRequestSize bytes, kMaxRequestExtensions extensions, a nonce of at most 32 octets,
// certReq FALSE never written out (DER omits DEFAULT values). ReadTimestampRequest checks
// structure only (so a TSA can answer "version 2" with badRequest rather than
// badDataFormat); ParseTimestampRequest also requires version 1.
// Thread-safety: values and reentrant functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eseal/asn1/oid.h"
#include "eseal/base/bytes.h"
#include "eseal/x509/certificate.h"

namespace eseal::tsp {

inline constexpr size_t kMaxRequestSize = 8192;
inline constexpr size_t kMaxRequestExtensions = 16;
inline constexpr size_t kMaxNonceSize = 32;

struct TimestampRequest {
  int64_t version = 1;
  asn1::Oid hash_algorithm;              // of the messageImprint
  std::optional<Bytes> hash_parameters;  // parameters' DER (05 00) when present
  Bytes hashed_message;
  std::optional<asn1::Oid> policy;       // reqPolicy
  std::optional<Bytes> nonce;            // INTEGER content octets, as sent (echoed verbatim)
  bool cert_req = false;
  std::vector<x509::Extension> extensions;
};

// The messageImprint of `data` under SM3 or SHA-256 (the algorithms eseal's TSA stamps);
// InvalidArgument for any other algorithm.
Result<Bytes> HashForImprint(const asn1::Oid& hash_algorithm, ByteView data);

// Structure only (any version). InvalidArgument naming the field.
Result<TimestampRequest> ReadTimestampRequest(ByteView der);
// Structure and version 1.
Result<TimestampRequest> ParseTimestampRequest(ByteView der);
// Strict DER; ReadTimestampRequest(EncodeTimestampRequest(r)) gives r back.
Bytes EncodeTimestampRequest(const TimestampRequest& request);

// PKIStatus values (RFC 3161 §2.4.2).
enum class PkiStatus : int64_t { kGranted = 0, kGrantedWithMods = 1, kRejection = 2, kWaiting = 3 };

// PKIFailureInfo bit numbers.
enum class FailInfo : int {
  kBadAlg = 0,
  kBadRequest = 2,
  kBadDataFormat = 5,
  kTimeNotAvailable = 14,
  kUnacceptedPolicy = 15,
  kUnacceptedExtension = 16,
  kAddInfoNotAvailable = 17,
  kSystemFailure = 25,
};
// "badAlg", "badRequest", ... (RFC 3161 names).
std::string FailInfoName(FailInfo f);

struct TimestampResponse {
  int64_t status = 0;
  std::vector<std::string> status_text;  // PKIFreeText
  uint32_t fail_info = 0;                // bit n set = FailInfo n
  std::optional<Bytes> token;            // the TimeStampToken DER, as sent
  bool HasFailInfo(FailInfo f) const { return (fail_info >> static_cast<int>(f)) & 1u; }
  bool granted() const { return status == 0 || status == 1; }
};

// Strict DER. The token is not parsed here (ParseTimestampToken / VerifyTimestampToken).
// A "granted" response without a token, or a rejection with one, is refused: RFC 3161
// allows neither.
Result<TimestampResponse> ParseTimestampResponse(ByteView der);
// A rejection response carrying `fail` and a Chinese/English statusString.
Bytes EncodeRejection(FailInfo fail, const std::string& text);
// A granted response around `token_der`.
Bytes EncodeGranted(ByteView token_der);

}  // namespace eseal::tsp
