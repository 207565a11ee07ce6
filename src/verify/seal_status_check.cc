// Seal-status answers (印章状态应答) as status evidence (seal_status_check.h). The answer is
// the seal maker's (制章者) signed word, so it is believed only when the seal's own maker
// certificate verifies it and still passes the maker checks; and it says something about a
// signature only for the time it can speak about: a status known at thisUpdate, or a
// suspension, revocation or expiry that began at a stated time. When unsure: INDETERMINATE.
#include "eseal/verify/seal_status_check.h"

#include "eseal/asn1/oid.h"
#include "eseal/ses/seal_status_response.h"
#include "eseal/x509/certificate.h"
#include "trust_internal.h"

namespace eseal::verify {
namespace {

using ses::SealStatus;
using ses::SealStatusData;
using ses::SealStatusName;

std::string F(Time t) { return FormatRfc3339(t); }

// Revocation and expiry never end; a suspension or a holder's inactivity may be lifted.
bool Final(SealStatus s) { return s == SealStatus::kRevoked || s == SealStatus::kExpired; }

std::string_view Word(SealStatus s) {
  switch (s) {
    case SealStatus::kSuspended: return "suspended";
    case SealStatus::kRevoked: return "revoked";
    case SealStatus::kExpired: return "expired";
    case SealStatus::kHolderInactive: return "made unusable by its holder's deregistration";
    default: return SealStatusName(s);
  }
}

// True when the maker's signature verifies; adds status.response.signature.
bool CheckSignature(const ses::SealStatusResponse& a,
                    const Result<x509::Certificate>& maker, Report& r) {
  if (!maker.ok()) {
    r.Fail("status.response.signature",
           "the seal's maker certificate is unusable: " + maker.status().message());
    return false;
  }
  auto key = maker->public_key();
  if (!key.ok()) {
    r.Fail("status.response.signature",
           "the seal's maker certificate has no usable SM2 key: " + key.status().message());
    return false;
  }
  if (a.signature_algorithm != asn1::oids::Sm2WithSm3()) {
    r.Fail("status.response.signature",
           "unsupported signature algorithm " + a.signature_algorithm.ToString());
    return false;
  }
  if (!key->Verify(a.tbs_der, a.signature)) {
    r.Fail("status.response.signature",
           "the answer's signature does not verify with the seal maker's key: it was not "
           "signed by the maker of this seal");
    return false;
  }
  r.Pass("status.response.signature", "signed by the seal maker's key");
  return true;
}

// True when the answer names the seal's maker; adds status.response.responder and the
// maker chain and role checks (status.response.responder.*).
bool CheckResponder(const ses::SealStatusResponse& a, const Result<x509::Certificate>& maker,
                    const ValidationPolicy& policy, Report& r) {
  if (!maker.ok()) {
    r.Fail("status.response.responder", "the seal's maker certificate is unusable");
    return false;
  }
  std::string problem;
  auto named = x509::Name::FromDer(a.data.responder_id);
  if (a.data.responder_id != maker->subject().der()) {
    problem = "the answer names '" + (named.ok() ? named->ToString() : std::string("?")) +
              "' as responder, not the seal's maker '" + maker->subject().ToString() + "'";
  } else if (!a.certs.empty() && a.certs.front() != maker->der()) {
    problem = "the certificate in the answer is not the seal's maker certificate";
  }
  Check& c = problem.empty()
                 ? r.Pass("status.response.responder",
                          "answered by the seal's own maker " + maker->subject().ToString())
                 : r.Fail("status.response.responder",
                          problem + "; only the maker that signed the seal answers for it");
  c.params = {{"maker", maker->subject().ToString()}, {"serial", maker->SerialHex()}};
  // The rest of certs may help build the maker's path; they are untrusted.
  std::vector<x509::Certificate> pool;
  for (size_t i = 1; i < a.certs.size(); ++i) {
    if (auto cert = x509::Certificate::FromDer(a.certs[i]); cert.ok()) pool.push_back(*cert);
  }
  // producedAt is the maker's own word, so not a proven time.
  internal::CheckCertificateFor(Role::kSealMaker, *maker, pool, policy,
                                TimeDecision{a.data.produced_at, false, "status_response"}, r,
                                "status.response.responder.");
  return problem.empty();
}

bool CheckSeal(const SealStatusData& d, const ses::Seal& seal, Report& r) {
  const Bytes hash = ses::SealHash(seal);
  const bool esid_ok = d.esid == seal.info.esid;
  const bool hash_ok = d.seal_hash == hash;
  std::string detail =
      esid_ok && hash_ok ? "the answer is about this seal (" + seal.info.esid + ")"
      : !esid_ok ? "the answer is about seal '" + d.esid + "', not '" + seal.info.esid + "'"
                 : "the answer is about another seal with the code '" + d.esid +
                       "' (its sealHash differs from SM3 of this seal)";
  Check& c = esid_ok && hash_ok ? r.Pass("status.response.seal", detail)
                                : r.Fail("status.response.seal", detail);
  c.params = {{"esid", d.esid},
              {"expected_esid", seal.info.esid},
              {"seal_hash", HexEncode(d.seal_hash)},
              {"expected_seal_hash", HexEncode(hash)}};
  return esid_ok && hash_ok;
}

void CheckNonce(const SealStatusData& d, std::optional<ByteView> expected, Report& r) {
  if (!expected) {
    r.Skip("status.response.nonce", "no nonce was asked for (a stored answer)");
  } else if (!d.nonce) {
    r.Fail("status.response.nonce",
           "a nonce was asked for and the answer carries none: it may be a replayed answer");
  } else if (!ConstantTimeEquals(*d.nonce, *expected)) {
    r.Fail("status.response.nonce",
           "the answer's nonce is not the one asked for: it answers another request (a replay)")
        .params = {{"nonce", HexEncode(*d.nonce)}, {"expected", HexEncode(*expected)}};
  } else {
    r.Pass("status.response.nonce", "the answer echoes the nonce asked for");
  }
}

void CheckFreshness(const SealStatusData& d, const TimeDecision& t,
                    const ValidationPolicy& policy, Report& r) {
  const Time now = policy.time.ValidationNow();
  const Time limit = now + policy.time.timestamp_tolerance;
  Check* c;
  if (d.next_update < d.this_update || (d.since && *d.since > d.this_update)) {
    c = &r.Indeterminate("status.response.freshness",
                         "the answer contradicts itself (nextUpdate before thisUpdate, or a "
                         "status that begins after the answer's own time)");
  } else if (d.this_update > limit || d.produced_at > limit) {
    c = &r.Indeterminate("status.response.freshness",
                         "the answer is dated after the validation time " + F(now));
  } else if (t.proven) {
    if (d.this_update >= t.at) {
      c = &r.Pass("status.response.freshness", "the answer (thisUpdate " + F(d.this_update) +
                                                   ") is not older than the signing time");
    } else if (Final(d.status)) {
      c = &r.Pass("status.response.freshness",
                  "the answer is older than the signing time, but what it states is final");
    } else {
      c = &r.Indeterminate("status.response.freshness",
                           "the answer (thisUpdate " + F(d.this_update) +
                               ") was produced before the signing time " + F(t.at) +
                               " and cannot tell the seal's status then");
    }
  } else if (now < d.this_update || now > d.next_update) {
    c = &r.Indeterminate("status.response.freshness",
                         "the answer is not current at " + F(now) + " (valid " +
                             F(d.this_update) + " to " + F(d.next_update) +
                             "); a newer answer is needed");
  } else {
    c = &r.Pass("status.response.freshness", "the answer is current at " + F(now));
  }
  c->params = {{"this_update", F(d.this_update)}, {"next_update", F(d.next_update)},
               {"produced_at", F(d.produced_at)}, {"validation_time", F(now)},
               {"signing_time", F(t.at)}, {"proven", t.proven ? "true" : "false"}};
}

void CheckAtSigning(const SealStatusData& d, const TimeDecision& t,
                    const ValidationPolicy& policy, Report& r) {
  const std::string id = "status.seal_at_signing";
  const Time now = policy.time.ValidationNow();
  const std::string when = F(t.at);
  Check* c;
  if (d.status == SealStatus::kUnknown) {
    c = &r.Indeterminate(id, "the seal maker does not know this seal");
  } else if (d.status == SealStatus::kInForce) {
    if (t.proven && d.this_update >= t.at) {
      c = &r.Pass(id, "the seal was in force on " + F(d.this_update) +
                          ", not before the signing time " + when);
    } else if (t.proven) {
      c = &r.Indeterminate(id, "the answer says the seal was in force on " + F(d.this_update) +
                                   ", before the signing time " + when +
                                   "; it proves nothing about the seal at that time");
    } else if (d.this_update <= now + policy.time.timestamp_tolerance && now <= d.next_update) {
      c = &r.Pass(id, "the seal is in force according to an answer current at " + F(now));
    } else {
      c = &r.Indeterminate(id, "the answer that the seal is in force is not current at " + F(now));
    }
  } else {
    const Time since = *d.since;
    const std::string what = "the seal was " + std::string(Word(d.status)) + " on " + F(since);
    // The usage register is written in the signing transaction, before a change of
    // status recorded later in the same second.
    const bool before = t.at < since || (t.at == since && t.ordered_by_record);
    if (!t.proven) {
      c = &r.Indeterminate(id, what + "; nothing but the signer's claim says the signature is "
                                      "older than that");
    } else if (before) {
      c = &r.Pass(id, what + ", after the proven signing time " + when +
                          ": a signature made while the seal was in force stays valid");
    } else if (Final(d.status) || d.this_update >= t.at) {
      c = &r.Fail(id, what + ", at or before the proven signing time " + when);
    } else {
      c = &r.Indeterminate(id, what + ", as of " + F(d.this_update) +
                                   " (before the signing time " + when +
                                   "); it may have been lifted by then");
    }
    c->params.emplace_back("since", F(since));
    if (d.reason) c->params.emplace_back("reason", *d.reason);
  }
  c->params.emplace_back("status", std::string(SealStatusName(d.status)));
  c->params.emplace_back("signing_time", when);
  c->params.emplace_back("proven", t.proven ? "true" : "false");
  c->params.emplace_back("this_update", F(d.this_update));
}

}  // namespace

namespace internal {

void CheckSealStatus(ByteView der, const ses::Seal& seal, const TimeDecision& t,
                     const ValidationPolicy& policy, std::optional<ByteView> expected_nonce,
                     Report& r) {
  auto answer = ses::ParseSealStatusResponse(der);
  if (!answer.ok()) {
    r.Fail("status.response.parse",
           "the seal-status answer is unreadable: " + answer.status().message());
    r.Skip("status.seal_at_signing", "no readable seal-status answer");
    return;
  }
  r.Pass("status.response.parse");
  const SealStatusData& d = answer->data;
  r.Info("status.response.info", "seal-status answer: '" + d.esid + "' " +
                                     std::string(SealStatusName(d.status)) + " as of " +
                                     F(d.this_update))
      .params = {{"esid", d.esid},
                 {"status", std::string(SealStatusName(d.status))},
                 {"produced_at", F(d.produced_at)},
                 {"this_update", F(d.this_update)},
                 {"next_update", F(d.next_update)}};
  auto maker = x509::Certificate::FromDer(seal.maker_cert);
  const bool signed_ok = CheckSignature(*answer, maker, r);
  const bool responder_ok = CheckResponder(*answer, maker, policy, r);
  const bool seal_ok = CheckSeal(d, seal, r);
  CheckNonce(d, expected_nonce, r);
  CheckFreshness(d, t, policy, r);
  if (signed_ok && responder_ok && seal_ok) {
    CheckAtSigning(d, t, policy, r);
  } else {
    r.Skip("status.seal_at_signing",
           "the answer is not the seal maker's word about this seal");
  }
}

void CheckSealStatusAnswers(const ses::Seal& seal, const TimeDecision& t,
                            const ValidationPolicy& policy, Report& r) {
  if (policy.seal_status_answers.empty()) return;
  std::optional<ByteView> answer = FindSealStatusAnswer(policy.seal_status_answers, seal);
  if (!answer) {
    r.Info("status.response.absent",
           "none of the seal-status answers given is about this seal (" + seal.info.esid + ")");
    return;
  }
  CheckSealStatus(*answer, seal, t, policy, std::nullopt, r);
}

}  // namespace internal

Report VerifySealStatusResponse(ByteView der, const ses::Seal& seal, Time signing_time,
                                bool signing_time_proven, const ValidationPolicy& policy,
                                std::optional<ByteView> expected_nonce) {
  Report r;
  TimeDecision t{signing_time, signing_time_proven,
                 signing_time_proven ? "caller" : "verification_time"};
  if (!signing_time_proven) t.at = policy.time.ValidationNow();
  internal::CheckSealStatus(der, seal, t, policy, expected_nonce, r);
  return r;
}

std::optional<ByteView> FindSealStatusAnswer(const std::vector<Bytes>& answers,
                                             const ses::Seal& seal) {
  const Bytes hash = ses::SealHash(seal);
  std::optional<ByteView> best, by_code;
  Time best_update{};
  for (const Bytes& der : answers) {
    auto a = ses::ParseSealStatusResponse(der);
    if (!a.ok() || a->data.esid != seal.info.esid) continue;
    if (a->data.seal_hash != hash) {
      if (!by_code) by_code = ByteView(der);
      continue;
    }
    if (!best || a->data.this_update > best_update) {
      best = ByteView(der);
      best_update = a->data.this_update;
    }
  }
  return best ? best : by_code;
}

}  // namespace eseal::verify
