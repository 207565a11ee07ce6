// Trust and time pieces shared by the SES and Type="Sign" verifiers (src/verify): the
// role-aware certificate check and the decision which time a signature is judged at.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "eseal/base/report.h"
#include "eseal/tsp/timestamp_token.h"
#include "eseal/verify/policy.h"
#include "eseal/verify/ses_verify.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/chain.h"

namespace eseal::verify::internal {

x509::ChainOptions ChainOptionsFor(const ValidationPolicy& policy, const TimeDecision& t);

// cert.public_key(), through policy.proof_cache when there is one (a key parsed once per
// process, not once per verification).
Result<crypto::Sm2PublicKey> PublicKeyOf(const x509::Certificate& cert,
                                         const ValidationPolicy& policy);

// Validates `leaf` for `role` at `t`: its chain through the anchors of that role (report
// merged under `prefix`, e.g. "maker.") and the role checks (<prefix>role, role.eku,
// role.policies). `pool` adds untrusted certificates (a SignedData's own).
void CheckCertificateFor(Role role, const x509::Certificate& leaf,
                         const std::vector<x509::Certificate>& pool,
                         const ValidationPolicy& policy, const TimeDecision& t, Report& r,
                         std::string_view prefix);

// The options a timestamp token is verified with under `policy`: the TSA anchors, the
// untrusted certificates and CRLs, revocation and tolerances, the certificate budget.
tsp::TimestampVerifyOptions TimestampOptionsFor(const ValidationPolicy& policy);

// Which time a signature is judged at (DESIGN.md "Time is proven or it is now"): a
// timestamp token over `stamped` that verifies, else the platform's register, else now
// (or policy.time.at). Adds tsp.* / tsa.cert.*, time.claim and time.validation.
TimeDecision DecideTime(Time claimed, const std::optional<Bytes>& token, ByteView stamped,
                        const std::optional<RegisteredTime>& registered,
                        const ValidationPolicy& policy, Report& r);

// Seal-status answers (seal_status_check.cc). CheckSealStatus adds the status.* checks of
// one answer for `seal` at `t`; CheckSealStatusAnswers looks the seal's answer up in
// policy.seal_status_answers and adds nothing when the policy holds none.
void CheckSealStatus(ByteView der, const ses::Seal& seal, const TimeDecision& t,
                     const ValidationPolicy& policy, std::optional<ByteView> expected_nonce,
                     Report& r);
void CheckSealStatusAnswers(const ses::Seal& seal, const TimeDecision& t,
                            const ValidationPolicy& policy, Report& r);

}  // namespace eseal::verify::internal
