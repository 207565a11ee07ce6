// SealStatusResponse: eseal's signed seal-status answer (印章状态应答), "OCSP for seals".
// Modelled on RFC 6960 BasicOCSPResponse; the ASN.1 module, the OID
// (1.3.6.1.4.1.32473.3.1) and what each status means are in docs/seal-status.md.
//
// The answer is signed by the seal maker (制章者) key — the authority that signed the seal
// itself, as an OCSP responder may be the CA — so a relying party that trusts the seal's
// maker needs no new trust to believe the answer. It names one seal by its esID
// (电子印章标识) and by SM3 of the whole SESeal DER, so an answer about one seal cannot be
// replayed for another seal that reuses the code.
//
// Parsing is strict DER (no trailing data, canonical GeneralizedTime without fractions,
// exact tags, version 1 only) and bounded (kMaxSealStatusResponseSize). Verification
// (who signed, is the answer about this seal, what it says about the signing time) is in
// eseal/verify/seal_status_check.h.
// Thread-safety: plain values and reentrant functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/asn1/oid.h"
#include "eseal/base/bytes.h"
#include "eseal/base/time.h"
#include "eseal/crypto/sm2.h"
#include "eseal/ses/seal.h"

namespace eseal::ses {

// Bounds of the format: an answer is small (one seal, one maker certificate).
inline constexpr size_t kMaxSealStatusResponseSize = size_t{64} << 10;
inline constexpr size_t kMaxSealStatusCerts = 4;
inline constexpr size_t kMaxSealStatusEsidLength = 256;
inline constexpr size_t kMaxSealStatusReasonLength = 1024;  // bytes of UTF-8
inline constexpr size_t kMaxSealStatusNonceLength = 128;

// 1.3.6.1.4.1.32473.3.1, id-eseal-sealStatusResponse: names the format (a content type
// or file label for the DER). The structure itself carries no OID.
const asn1::Oid& SealStatusResponseOid();

// certStatus, with its CHOICE tag numbers.
enum class SealStatus {
  kInForce = 0,         // [0] 有效: usable; not suspended, revoked or expired at thisUpdate
  kSuspended = 1,       // [1] 挂起 / 冻结 since `since` (may be lifted later)
  kRevoked = 2,         // [2] 撤销 / 注销 since `since` (final)
  kExpired = 3,         // [3] 过期 since `since` (final)
  kUnknown = 4,         // [4] the maker knows no seal with this esID and hash
  kHolderInactive = 5,  // [5] the holder (用章单位) was deregistered or is abnormal since
                        //     `since`; its seals are not in force (may be lifted later)
};
// "in_force", "suspended", "revoked", "expired", "unknown", "holder_inactive".
std::string_view SealStatusName(SealStatus s);
// True for the statuses that carry a StatusInfo (since, reason).
bool SealStatusHasSince(SealStatus s);

// SealStatusData (tbsResponseData): what the maker signs.
struct SealStatusData {
  int64_t version = 1;
  Bytes responder_id;      // DER Name: the maker certificate's subject
  Time produced_at{};      // when the maker signed this answer
  std::string esid;        // the seal's esID, IA5String
  Bytes seal_hash;         // SM3 of the SESeal DER (32 bytes): SealHash(seal)
  SealStatus status = SealStatus::kUnknown;
  std::optional<Time> since;          // present exactly when SealStatusHasSince(status)
  std::optional<std::string> reason;  // UTF-8 text, with `since` only
  Time this_update{};      // the time the status is known to be correct
  Time next_update{};      // newer status will be available by then
  std::optional<Bytes> nonce;  // echoed from the request, 1..kMaxSealStatusNonceLength bytes
};

// SealStatusResponse.
struct SealStatusResponse {
  SealStatusData data;
  asn1::Oid signature_algorithm;  // SM2-with-SM3 (1.2.156.10197.1.501), parameters absent
  Bytes signature;                // DER SM2 SEQUENCE{r, s} over tbs_der, default SM2 ID
  std::vector<Bytes> certs;       // [0]: the maker certificate first (DER), when present

  // As parsed (or as signed): the whole response and its tbsResponseData element.
  Bytes der;
  Bytes tbs_der;
};

// SM3 of the seal's DER as parsed (seal.der), or of EncodeSeal(seal) for a seal built in
// memory: what sealHash must equal.
Bytes SealHash(const Seal& seal);

// Strict, bounded parse. InvalidArgument (naming the field) on malformed input, on an
// unsupported version, on trailing data; ResourceExhausted when `der` is larger than
// kMaxSealStatusResponseSize. Says nothing about the signature: see the verifier.
Result<SealStatusResponse> ParseSealStatusResponse(ByteView der);

// DER of tbsResponseData from the fields. InvalidArgument when the fields cannot make a
// valid answer (see ValidateSealStatusData).
Result<Bytes> EncodeSealStatusData(const SealStatusData& data);
// DER of the whole response from its fields (not from `der`).
Result<Bytes> EncodeSealStatusResponse(const SealStatusResponse& response);
// The format's rules, which the parser, the encoder and the signer enforce alike (so
// whatever parses re-encodes): version 1; a responderID that parses as a Name; an esID of
// 1..256 printable ASCII characters; a 32-byte sealHash; `since` present exactly for the
// statuses that have one; a reason only with `since`, valid UTF-8 of at most 1024 bytes;
// four-digit years; a nonce of 1..128 bytes when present. Consistency of the times
// (thisUpdate <= nextUpdate, since <= thisUpdate) is the signer's duty and the verifier's
// check (status.response.freshness), not a parse error.
Status ValidateSealStatusData(const SealStatusData& data);

// What the platform states about one seal; the signer fills in the rest.
struct SealStatusStatement {
  const Seal* seal = nullptr;  // the seal the answer is about (esID and sealHash from it)
  SealStatus status = SealStatus::kUnknown;
  std::optional<Time> since;
  std::optional<std::string> reason;
  Time produced_at{};
  Time this_update{};
  Time next_update{};
  std::optional<Bytes> nonce;
  bool include_certificate = true;  // put the maker certificate in certs [0]
};

// Builds and signs an answer with the seal maker's key: responderID is the subject of
// `maker_cert_der`, esID and sealHash come from the seal, the signature is SM2 with the
// default ID over DER(tbsResponseData). FailedPrecondition when the key does not belong to
// the certificate or the certificate is not the seal's maker certificate (an answer from
// anyone else is worthless to a verifier); InvalidArgument on invalid fields; the signer's
// own error when it cannot sign. Times must be consistent: since <= thisUpdate <=
// nextUpdate.
Result<SealStatusResponse> SignSealStatusResponse(const SealStatusStatement& statement,
                                                  ByteView maker_cert_der,
                                                  const crypto::Sm2Signer& maker);

// The same from explicit data (an esID and hash without the seal in hand): data's
// responder_id is overwritten with the certificate's subject. Refuses a key that does not
// belong to the certificate.
Result<SealStatusResponse> SignSealStatusData(SealStatusData data, ByteView maker_cert_der,
                                              const crypto::Sm2Signer& maker,
                                              bool include_certificate = true);

}  // namespace eseal::ses
