// Verification of seals (GB/T 38540 §6.3, 电子印章验证) and signatures (§7.3, 电子签章验证)
// under a ValidationPolicy (policy.h), as reports: every check with a stable id, never
// stopping at the first failure. docs/verification.md explains each id and the time rule.
//
// Seal checks (VerifySeal, and inside VerifySesSignature):
//   ses.seal.info                      INFO  version, vid, esID, name, type, validity
//   ses.seal.header                    header ID is "ES" and its version fits the structure
//   ses.seal.encoding                  re-encoding gives the same bytes (WARNING if not)
//   ses.seal.algorithm                 signature algorithm is SM2-with-SM3
//   ses.seal.maker_cert                the maker certificate parses and has an SM2 key
//   ses.seal.maker_signature           the maker's signature over the seal info verifies
//   ses.seal.maker_signature.raw_rs    WARNING tolerance: raw 64-byte r||s accepted
//   ses.seal.maker_cert.valid_at_creation  the maker certificate covered createDate (a
//                                      claim); tolerance maker_cert_after_seal_creation
//   maker.cert.*                       the maker certificate's chain to a seal-maker anchor
//   maker.role                         the maker certificate may make seals: a registered
//                                      maker certificate, or a leaf of a maker CA carrying
//                                      a registered maker policy; never a signer-policy one
//   maker.role.eku / maker.role.policies   critical extendedKeyUsage / certificatePolicies
//                                      permit making seals
//   ses.seal.signer_certs              the certList is present and parses
//   ses.seal.validity_period           validStart is before validEnd
//   ses.seal.valid_at_time             the validation time lies within validStart..validEnd
//                                      (INDETERMINATE when the seal expired since and the
//                                      time is not proven)
//   ses.seal.ext_data.critical         INDETERMINATE: an extDatas entry marked critical
//   ses.seal.timestamp                 v5 timeStamp present (INFO: not a signing time)
//   status.*                           the seal's signed status answer, when the policy
//                                      holds answers (seal_status_check.h)
// Signature checks (VerifySesSignature) add:
//   ses.signature.info                 INFO  version, claimed signing time, propertyInfo
//   ses.signature.version / .encoding / .algorithm / .signer_cert / .value (.raw_rs)
//   ses.signature.data_hash            dataHash equals SM3 of the original (SKIPPED if none)
//   ses.signature.signer_in_seal       the signer certificate is in the seal's certList
//   ses.signature.time_format          v1: how timeInfo was written
//   ses.signature.signer_cert.valid_at_signing_time   the certificate covered the claim
//   ses.seal.valid_at_signing_time     the seal's period covered the claim
//   tsp.* tsa.cert.*                   the signature's timestamp token, when present
//   time.claim                         the claimed time is not later than the timestamp
//   time.validation                    INFO: the time everything is judged at, and why
//   signer.cert.*                      the signer certificate's chain to a signer anchor
//   signer.role / .eku / .policies     the signer certificate may sign documents
// Thread-safety: reentrant.
#pragma once

#include <optional>
#include <string>

#include "eseal/base/report.h"
#include "eseal/crypto/sm2.h"
#include "eseal/ses/seal.h"
#include "eseal/ses/signature.h"
#include "eseal/verify/policy.h"

namespace eseal::verify {

// A signing time someone other than the signer vouches for (the platform's usage register).
struct RegisteredTime {
  Time time{};
  std::string source;  // "usage_register"
};

// How the time a signature is judged at was established.
struct TimeDecision {
  Time at{};
  bool proven = false;
  std::string source;  // "timestamp", "usage_register", "archive_entry", "verification_time", "at"
  // The signature's own system recorded it (usage register) as made while its seal was in
  // force, before anything it records later: a revocation in the same second as `at` came
  // after it (x509 ChainOptions::same_second_revocation_is_later). Also set when a
  // timestamp decides the time and the register has the signature too.
  bool ordered_by_record = false;
};

// Verifies a seal as it stands at time `at` (the question "is this seal good at T").
Report VerifySeal(const ses::Seal& seal, Time at, const ValidationPolicy& policy);

// Verifies an SES_Signature. `data_hash` is SM3 of the original the caller holds (for OFD,
// of the signature's Signature.xml); nullopt skips that check. `registered` is a signing
// time the platform's usage register proves. `decision`, when given, receives the time used.
Report VerifySesSignature(const ses::Signature& sig, const std::optional<Bytes>& data_hash,
                          const ValidationPolicy& policy,
                          const std::optional<RegisteredTime>& registered = std::nullopt,
                          TimeDecision* decision = nullptr);

}  // namespace eseal::verify
