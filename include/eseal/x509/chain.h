// Certificate path validation (证书链验证) for SM2 certificates, answering for a given
// time: the caller passes the leaf, a pool of untrusted intermediates, the trust anchors,
// CRLs and the validation time (for seals: the signing time — DESIGN.md "Trust model"),
// and gets an eseal::Report with one check per property and certificate. It never stops
// at the first failure.
//
// Check ids (stable; params "depth" (0 = leaf), "subject", "serial" say which certificate):
//   cert.path.build               INDETERMINATE: an issuer is missing from pool and anchors
//   cert.signature                each link: certificate at depth d signed by depth d+1
//   cert.validity                 each certificate, at the validation time; when the time is
//                                 not proven (ChainOptions::time_proven false: validating
//                                 now) an expiry is INDETERMINATE, nothing proves the
//                                 signature is older than it
//   cert.critical_extension       INDETERMINATE: a critical extension eseal does not process
//   cert.tolerance                INFO: a parsing tolerance was applied (param "tolerance")
//   cert.ca.basic_constraints     each issuing certificate: basicConstraints cA TRUE
//   cert.ca.key_usage             each issuing certificate: keyCertSign when keyUsage present
//   cert.ca.key_usage.tolerated   WARNING in place of the FAIL above, only with
//                                 ChainOptions::tolerate_ca_without_key_cert_sign
//   cert.ca.path_length           each issuing certificate's pathLenConstraint
//   cert.leaf.key_usage           digitalSignature or nonRepudiation (signing purposes)
//   cert.chain.anchor             PASS: ends at a given anchor (param "anchor");
//                                 INDETERMINATE with param reason = "no_anchors" (none
//                                 given) or "no_match" (none matched)
//   cert.revocation               each non-anchor certificate: PASS not revoked at T per a
//                                 CRL from its issuer; FAIL revoked at or before T (the
//                                 earlier of revocationDate and invalidityDate) when T is a
//                                 proven time; when it is not (validating now) such a
//                                 revocation is INDETERMINATE, and FAIL only for
//                                 keyCompromise; INDETERMINATE no usable CRL or a CRL that
//                                 expired before T; SKIPPED when off (the report says so)
// Anchors are trusted as given: a self-signed root, an intermediate, or the leaf's own
// issuer; their signatures are not checked, but their validity, CA constraints and key
// usage are (so the ofdrw test root needs the tolerance). A leaf that is itself an anchor
// (a registered seal-maker certificate) ends the chain at once.
// Signatures on certificates and CRLs are asked of ChainOptions::proof_cache when one is
// given (proof_cache.h): it answers only whether given bytes verify under a given key, so
// the path, the checks and the report are those of a validation without it.
// Thread-safety: TrustStore is a value; ValidateChain is reentrant.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/base/report.h"
#include "eseal/base/time.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/crl.h"
#include "eseal/x509/proof_cache.h"

namespace eseal::x509 {

struct TrustAnchor {
  Certificate certificate;
  std::string label;  // how the operator named it ("built-in root", "Province X CA")
};

class TrustStore {
 public:
  void Add(Certificate anchor, std::string label = {});
  const std::vector<TrustAnchor>& anchors() const { return anchors_; }
  bool empty() const { return anchors_.empty(); }

 private:
  std::vector<TrustAnchor> anchors_;
};

enum class LeafPurpose {
  kSigning,  // digitalSignature or nonRepudiation (seal maker, signer)
  kAny,      // no leaf key usage requirement
};

struct ChainOptions {
  bool check_revocation = true;
  // Whether `at` is a proven time (a verified timestamp, the platform's usage register) or
  // merely the time of verification. See cert.validity and cert.revocation above.
  bool time_proven = true;
  // `at` is a record of the signature's own system that orders it before anything that
  // system did later in the same second (the platform's usage register): a revocation
  // dated the same second as `at` (times are whole seconds) then came after it. Without
  // it a same-second revocation counts as before, the conservative reading.
  bool same_second_revocation_is_later = false;
  // `at` is claimed by what the leaf signed (a timestamp's own genTime): a key revoked for
  // keyCompromise, whenever, FAILS, since the thief could have written any earlier time
  // (RFC 3161 §4).
  bool key_compromise_voids_claimed_time = false;
  // Path search steps allowed (each candidate issuer tried is one step).
  int max_search_steps = 256;
  // Named tolerance "ca_without_key_cert_sign": an issuing certificate (CA:TRUE) whose
  // keyUsage lacks keyCertSign, as the ofdrw test root. Reported as the WARNING
  // cert.ca.key_usage.tolerated instead of a FAIL of cert.ca.key_usage.
  bool tolerate_ca_without_key_cert_sign = false;
  LeafPurpose leaf_purpose = LeafPurpose::kSigning;
  // Longest path considered (leaf and anchor included).
  int max_path_certificates = 8;
  // Where proved signatures are kept and looked up (not owned; nullptr: none).
  ProofCache* proof_cache = nullptr;
};

struct ChainResult {
  Report report;
  // The path found, leaf first; the last element is the anchor when one was reached.
  std::vector<Certificate> path;
  std::optional<TrustAnchor> anchor;
};

// Builds the best path from `leaf` to an anchor (preferring anchors, signatures that
// verify, and certificates valid at `at`) and validates it at time `at`.
ChainResult ValidateChain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                          const TrustStore& anchors, const std::vector<Crl>& crls, Time at,
                          const ChainOptions& options = {});

}  // namespace eseal::x509
