// Trusted time (可信时间): the platform's timestamp authority and the state of the clock.
// Thread-safety: implementations are safe to use from many threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "eseal/base/result.h"
#include "eseal/base/bytes.h"

namespace eseal::platform {

// The trusted-time capability (trusted_time.cc, evidence.cc).
class TrustedTime {
 public:
  virtual ~TrustedTime() = default;

  // ---- trusted time (时间戳) ----
  // The public TSA (POST /api/v1/tsa): a DER TimeStampResp for any bytes. Every token
  // issued is logged (serial, imprint, genTime) with an audit entry in one transaction;
  // a token whose log entry could not be written is not handed out (systemFailure). While
  // the clock is unsynchronised and that is not accepted: rejection, timeNotAvailable.
  // `requester`: "addr:<ip>" or the caller's id.
  virtual Result<Bytes> Timestamp(ByteView request_der, std::string_view requester) = 0;
  struct TimeStatus {
    bool clock_synchronised = false;
    bool unsynchronised_accepted = false;
    std::string clock_detail;  // what the kernel said
    bool external_tsa = false;  // signatures are stamped by a TSA elsewhere
    bool issuing = false;       // the platform's own TSA issues tokens now
    int64_t tokens_issued = 0;  // by this process
  };
  virtual TimeStatus TimeState() = 0;
  // The seal's status now as a signed answer (docs/seal-status.md): DER SealStatusResponse
  // signed by the seal's maker, `nonce` echoed. A deregistered or abnormal holder's seals
  // are answered holderInactive, never in force. NotFound for an unknown esID;
  // FailedPrecondition for a seal another system made (only its maker can answer).
  virtual Result<Bytes> SignedSealStatus(std::string_view esid, std::optional<Bytes> nonce) = 0;
  // The evidence record (verify/evidence_record.h) kept for the signature whose value has
  // SM3 `signature_sm3` (hex); NotFound when the platform made no such signature.
  virtual Result<Bytes> Evidence(std::string_view signature_sm3) = 0;
  // Adds an archive timestamp to evidence records whose newest one is due for renewal
  // (its TSA certificate ends within 180 days); called by the server daily. Returns how
  // many were renewed.
  virtual Result<int> RenewEvidence() = 0;
};

}  // namespace eseal::platform
