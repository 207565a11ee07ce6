// Verifying a signed seal-status answer (印章状态应答, eseal/ses/seal_status_response.h) as
// status evidence for one seal at one signing time. docs/seal-status.md has the format and
// the reasoning; docs/verification.md the other check ids.
//
// Checks, all in one report (never stopping at the first failure):
//   status.response.parse       the bytes are a SealStatusResponse (FAIL: nothing else runs)
//   status.response.info        INFO  status, producedAt, thisUpdate, nextUpdate, esID
//   status.response.signature   SM2-with-SM3 by the seal's maker key over tbsResponseData
//   status.response.responder   responderID is the maker certificate's subject, and the
//                               first of certs, when present, is byte-identical to the
//                               seal's makerCert: only the maker that signed the seal may
//                               answer for it
//   status.response.responder.cert.*, status.response.responder.role(.eku/.policies)
//                               the maker certificate's chain to a seal-maker anchor and its
//                               maker role (as maker.* in VerifySeal), judged at producedAt
//   status.response.seal        esID and sealHash (SM3 of the SESeal DER) name this seal
//   status.response.nonce       the nonce equals the one asked for (SKIPPED when none was)
//   status.response.freshness   the answer can speak about the time asked: not dated in the
//                               future, nextUpdate not before thisUpdate; for a proven
//                               signing time thisUpdate is not before it; for an unproven one
//                               the answer is current at the validation time
//   status.seal_at_signing      the verdict on the seal at the signing time:
//       in force, answer from at or after the (proven) signing time     PASS
//       in force, answer from before the proven signing time            INDETERMINATE
//       in force, unproven time, answer current now                     PASS
//       revoked/expired/suspended/holder inactive since R, proven T < R PASS (signed while
//                                                                        in force stays valid)
//       revoked/expired since R <= proven T                              FAIL
//       suspended/holder inactive since R <= proven T <= thisUpdate      FAIL
//       suspended/holder inactive since R <= T, answer older than T      INDETERMINATE
//       any of those four with an unproven time (a claimed time is the
//       signer's word)                                                   INDETERMINATE
//       unknown                                                          INDETERMINATE
//   status.response.absent      INFO (VerifySeal/VerifySesSignature only): answers were given
//                               in the policy but none names this seal
// Thread-safety: reentrant.
#pragma once

#include <optional>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/report.h"
#include "eseal/ses/seal.h"
#include "eseal/verify/policy.h"

namespace eseal::verify {

// Verifies `der` as the status of `seal` at `signing_time`. `signing_time_proven` says a
// timestamp or the platform's register proves that time; when false the time is only a
// claim and the answer is judged at the validation time (policy.time). `expected_nonce` is
// the nonce of the request this answer replies to (a live query); nullopt for a stored
// answer. The maker certificate is the seal's own (seal.maker_cert), never one from the
// answer.
Report VerifySealStatusResponse(ByteView der, const ses::Seal& seal, Time signing_time,
                                bool signing_time_proven, const ValidationPolicy& policy,
                                std::optional<ByteView> expected_nonce = std::nullopt);

// The answer among `answers` that speaks about `seal`: of those whose esID and sealHash
// both match, the one with the latest thisUpdate; failing that, the first whose esID
// matches (so that an answer about another seal under this code is reported, and fails);
// nullopt when none parses and names this esID.
std::optional<ByteView> FindSealStatusAnswer(const std::vector<Bytes>& answers,
                                             const ses::Seal& seal);

}  // namespace eseal::verify
