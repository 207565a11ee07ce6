// The evidence record (验证证据记录) of one signature: everything a relying party needs to
// verify it offline decades later, when every certificate has expired and the CRLs that
// covered them are long gone — kept by the platform at signing time and renewed with
// archive timestamps in the spirit of RFC 4998 (docs/trusted-time.md "Evidence records").
//
// eseal's own DER (no standard fits a signature-keyed bundle of SM2 validation data):
//
//   EvidenceRecord ::= SEQUENCE {
//     version            INTEGER (1),
//     signatureHash      OCTET STRING,             -- SM3 of the signature value (OFD
//                                                  -- SignedValue.dat: the SES_Signature or
//                                                  -- SignedData DER)
//     signedAt           GeneralizedTime,          -- the signing platform's register time
//     certificates       SEQUENCE OF Certificate,  -- maker, signer and TSA chains
//     crls               SEQUENCE OF CertificateList,  -- current at signing
//     sealStatus         [0] EXPLICIT OCTET STRING OPTIONAL,  -- SealStatusResponse DER
//     signatureTimeStamp [1] EXPLICIT OCTET STRING OPTIONAL,  -- the signature's token
//     archiveTimeStamps  [2] EXPLICIT SEQUENCE OF ArchiveTimeStamp OPTIONAL }
//   ArchiveTimeStamp ::= SEQUENCE {
//     timeStamp          OCTET STRING,             -- TimeStampToken DER, imprint SM3 of
//                                                  -- ArchiveData(i) below
//     crls               SEQUENCE OF CertificateList,  -- current at this renewal
//     certificates       SEQUENCE OF Certificate }     -- new TSA chains, if any
//
// ArchiveData(i) = DER(the record without archiveTimeStamps) ‖ DER(ArchiveTimeStamp 0) ‖
// ... ‖ DER(ArchiveTimeStamp i-1): each archive timestamp covers the record and every
// earlier one, so the newest proves everything before it existed at its genTime.
// Parsing is strict DER and bounded (kMaxEvidenceBytes, at most 64 of each list).
// Thread-safety: values and reentrant functions.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/report.h"
#include "eseal/base/time.h"
#include "eseal/verify/policy.h"

namespace eseal::verify {

inline constexpr size_t kMaxEvidenceBytes = size_t{4} << 20;
inline constexpr size_t kMaxEvidenceItems = 64;

struct ArchiveTimestamp {
  Bytes token;
  std::vector<Bytes> crls;
  std::vector<Bytes> certificates;
};

struct EvidenceRecord {
  int64_t version = 1;
  Bytes signature_hash;  // 32 bytes
  Time signed_at{};
  std::vector<Bytes> certificates;
  std::vector<Bytes> crls;
  std::optional<Bytes> seal_status;
  std::optional<Bytes> signature_timestamp;
  std::vector<ArchiveTimestamp> archive_timestamps;
};

Bytes EncodeEvidenceRecord(const EvidenceRecord& e);
// InvalidArgument naming the field; ResourceExhausted over the bounds.
Result<EvidenceRecord> ParseEvidenceRecord(ByteView der);
// What archive timestamp `i` covers (above).
Bytes ArchiveData(const EvidenceRecord& e, size_t i);

// Appends an archive timestamp over ArchiveData(n) from `stamper` (a token over SM3 of its
// argument, as sign::Timestamper), with the CRLs and certificates current now.
Status RenewEvidence(EvidenceRecord& e, const std::function<Result<Bytes>(ByteView)>& stamper,
                     std::vector<Bytes> crls_now, std::vector<Bytes> certificates_now);

// Checks the record under `policy` and, when it is usable, adds its material to `policy`
// (certificates as intermediates, CRLs, the seal-status answer) for verifying the
// signature it names. Checks:
//   evidence.record             parsed, version 1, a signature hash of 32 bytes
//   evidence.archive_timestamp  each archive timestamp verifies over its ArchiveData at its
//                               genTime (TSA anchors of the policy), genTimes increase
//   evidence.renewal            each archive timestamp came before the previous token's TSA
//                               certificate expired; the newest one's TSA certificate is
//                               valid at the validation time — else INDETERMINATE: renew
// Returns the report; `policy` is changed only when no check FAILED.
Report ApplyEvidence(const EvidenceRecord& e, ValidationPolicy& policy);

}  // namespace eseal::verify
