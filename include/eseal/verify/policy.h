// The validation policy (验证策略): everything a verdict depends on besides the document,
// made explicit (DESIGN.md "Verification policy", docs/verification.md). The CLI, the
// platform's /api/v1/verify and archive re-verification each build one and hand it to the
// same verifier code, so the same inputs give the same verdict everywhere.
//
//  - Anchors have roles. A seal maker (制章人) certificate is trusted only through a
//    kSealMaker anchor, a signer (签章人) certificate only through a kSigner anchor, a
//    timestamp authority only through a kTsa anchor. A kSealMaker anchor is either the
//    registered maker certificate itself, or a CA whose maker leaves must carry one of
//    `maker_policies` (certificatePolicies or extendedKeyUsage).
//  - Time is proven or it is now: a verified timestamp token, or the platform's usage
//    register for its own seals; otherwise `now` (or `at`, when the caller asks what the
//    verdict would have been then).
//  - Revocation fails closed: no CRL for a certificate → INDETERMINATE, unless the caller
//    turned revocation off, which the report names.
//  - Seal status: signed answers from a seal's maker (seal_status_answers) count as
//    evidence of the seal's status at the signing time (docs/seal-status.md).
//  - Budgets bound the work one verification may do; running out ends in INDETERMINATE
//    ("verify.budget"), never in a stalled thread.
// Thread-safety: a value; share read-only across threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eseal/asn1/oid.h"
#include "eseal/base/time.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/chain.h"
#include "eseal/x509/crl.h"
#include "eseal/x509/proof_cache.h"

namespace eseal::verify {

enum class Role : unsigned {
  kSealMaker = 1u << 0,  // makes seals (signs SES_Seal)
  kSigner = 1u << 1,     // signs documents with a seal (SES_Signature, Type="Sign")
  kTsa = 1u << 2,        // signs timestamp tokens
};
using RoleSet = unsigned;
constexpr RoleSet RolesOf(Role r) { return static_cast<RoleSet>(r); }
constexpr bool HasRole(RoleSet set, Role r) { return (set & RolesOf(r)) != 0; }
// "seal_maker", "signer", "tsa".
std::string_view RoleName(Role r);
// Comma-separated role names, e.g. "seal_maker,signer" (the platform stores the same
// names and bits: platform::ParseAnchorRoles reads them back).
std::string RoleSetName(RoleSet set);

struct Anchor {
  x509::Certificate certificate;
  std::string label;  // how the operator named it
  RoleSet roles = 0;
  // For a kSealMaker anchor that is a CA: a maker leaf under it must carry one of these in
  // certificatePolicies or extendedKeyUsage. Empty on a CA anchor: no leaf under it may
  // make seals (only a registered maker certificate itself can).
  std::vector<asn1::Oid> maker_policies;
};

struct TimeRule {
  // The time of verification. Required: the caller's clock (never read inside verify).
  Time now{};
  // `--at`: validate as if the verification happened at this time ("what would the verdict
  // have been then"); the report says so.
  std::optional<Time> at;
  // How much later than a timestamp's genTime the signer's claimed signing time may be
  // (clocks differ); beyond it the claim contradicts the proof.
  std::chrono::seconds timestamp_tolerance{300};

  Time ValidationNow() const { return at.value_or(now); }
};

struct Tolerances {
  // The ofdrw test root: an issuing certificate whose keyUsage lacks keyCertSign.
  bool ca_without_key_cert_sign = false;
};

// Work one verification may do. Counted, not timed.
struct Budget {
  uint64_t max_sm2_verifications = 4000;
  uint64_t max_path_nodes = 4096;         // path search steps; each chain gets at most 256
  uint64_t max_bytes_hashed = uint64_t{1} << 30;
  uint64_t max_xml_parses = 4096;         // package files parsed as XML
  uint64_t max_report_checks = 50000;     // checks in all reports of one verification
  size_t max_signatures = 256;            // distinct signatures per package
  size_t max_doc_bodies = 16;             // DocBody elements in OFD.xml
  size_t max_signed_data_certificates = 32;
};

struct ValidationPolicy {
  std::vector<Anchor> anchors;
  std::vector<x509::Certificate> intermediates;  // untrusted, for path building
  std::vector<x509::Crl> crls;
  bool check_revocation = true;  // false only by explicit choice (--no-revocation)
  TimeRule time;
  Tolerances tolerances;
  Budget budget;
  // Certificates to try for Type="Sign" values that carry none (a bare SM2 signature).
  std::vector<x509::Certificate> sign_certs;
  // Signed seal-status answers (DER SealStatusResponse, docs/seal-status.md), status
  // evidence like `crls`: each seal verified is looked up by esID and sealHash, and its
  // answer's checks (status.*, seal_status_check.h) join that seal's report.
  std::vector<Bytes> seal_status_answers;
  // Where signatures already proved (on certificates and CRLs) and parsed public keys are
  // kept across verifications (x509/proof_cache.h; docs/verification.md "Reusing what was
  // proved"). By default the process-wide cache, which holds only facts true under every
  // policy, so every caller in the process shares it; nullptr proves everything afresh.
  // Verdicts and reports are the same either way.
  std::shared_ptr<x509::ProofCache> proof_cache = x509::ProofCache::Process();

  // The anchors serving `role`, as a TrustStore for path building.
  x509::TrustStore AnchorsFor(Role role) const;
  // Adds (or merges roles into) an anchor.
  void AddAnchor(x509::Certificate cert, std::string label, RoleSet roles,
                 std::vector<asn1::Oid> maker_policies = {});
};

}  // namespace eseal::verify
