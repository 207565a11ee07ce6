// Which time a signature is judged at (签章时间的认定). The signer's own claim (timeInfo,
// SignatureDateTime, signingTime) proves nothing: a key thief writes whatever time suits
// him. So, in order: a timestamp token (时间戳) over the signature value that verifies
// through a TSA anchor — its genTime; the platform's usage register for its own seals;
// otherwise the time of verification (or the caller's --at), which is not a proven time:
// revocation and expiry after it cannot be placed after the signature (x509/chain.h).
#include "eseal/tsp/timestamp_token.h"
#include "trust_internal.h"

namespace eseal::verify::internal {

tsp::TimestampVerifyOptions TimestampOptionsFor(const ValidationPolicy& policy) {
  tsp::TimestampVerifyOptions o;
  o.tsa_anchors = policy.AnchorsFor(Role::kTsa);
  o.intermediates = policy.intermediates;
  o.crls = policy.crls;
  o.check_revocation = policy.check_revocation;
  o.tolerate_ca_without_key_cert_sign = policy.tolerances.ca_without_key_cert_sign;
  o.max_certificates = policy.budget.max_signed_data_certificates;
  o.proof_cache = policy.proof_cache;
  return o;
}

TimeDecision DecideTime(Time claimed, const std::optional<Bytes>& token, ByteView stamped,
                        const std::optional<RegisteredTime>& registered,
                        const ValidationPolicy& policy, Report& r) {
  TimeDecision d;
  if (token) {
    tsp::TimestampVerification tv = tsp::VerifyTimestampToken(*token, stamped, TimestampOptionsFor(policy));
    r.Merge(tv.report);
    if (tv.gen_time) {
      const Time limit = *tv.gen_time + policy.time.timestamp_tolerance;
      Check& c = claimed <= limit
                     ? r.Pass("time.claim", "the claimed signing time " + FormatRfc3339(claimed) +
                                                " is not later than the timestamp " +
                                                FormatRfc3339(*tv.gen_time))
                     : r.Fail("time.claim", "the claimed signing time " + FormatRfc3339(claimed) +
                                                " is later than the timestamp " +
                                                FormatRfc3339(*tv.gen_time) +
                                                " allows: the claim contradicts the proof");
      c.params = {{"claimed", FormatRfc3339(claimed)},
                  {"gen_time", FormatRfc3339(*tv.gen_time)},
                  {"tolerance_seconds", std::to_string(policy.time.timestamp_tolerance.count())}};
      d = TimeDecision{*tv.gen_time, true, "timestamp"};
    }
  }
  if (d.source.empty() && registered) {
    d = TimeDecision{registered->time, true, registered->source};
  }
  // The register's entry was committed while the seal was in force, after the token was
  // made and before any later revocation: it orders the two within one second.
  if (registered && registered->source == "usage_register" && d.at >= registered->time) d.ordered_by_record = true;
  if (d.source.empty()) {
    d = TimeDecision{policy.time.ValidationNow(), false,
                     policy.time.at ? "at" : "verification_time"};
  }
  std::string why;
  if (d.source == "timestamp") {
    why = "the timestamp's genTime (proven)";
  } else if (d.source == "usage_register") {
    why = "the platform's usage register (proven)";
  } else if (d.source == "at") {
    why = "the time asked for with --at (not proven: the verdict as it would have been then)";
  } else {
    why = "the time of verification: nothing proves when the signature was made, so "
          "revocation or expiry since then counts against it";
  }
  r.Info("time.validation", "judged at " + FormatRfc3339(d.at) + ", " + why)
      .params = {{"time", FormatRfc3339(d.at)},
                 {"source", d.source},
                 {"proven", d.proven ? "true" : "false"},
                 {"claimed", FormatRfc3339(claimed)}};
  if (!policy.check_revocation) {
    r.Warn("policy.revocation", "revocation checking was turned off by the caller "
                                "(--no-revocation): a revoked certificate would not be noticed");
  }
  return d;
}

}  // namespace eseal::verify::internal
