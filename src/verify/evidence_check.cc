// Using an evidence record (验证证据记录) for offline re-verification: its archive
// timestamps are checked first — each one over the record and every earlier one, each made
// while the TSA certificate of the one before it was still valid, the newest one's still
// valid now — and only then is its material (certificates, CRLs current at signing, the
// signed seal-status answer) added to the validation policy. Revocation and expiry since
// signing then cannot hurt: the signature is judged at its proven time with the CRLs of
// that time.
#include <algorithm>

#include "eseal/tsp/timestamp_token.h"
#include "eseal/verify/evidence_record.h"
#include "eseal/x509/crl.h"

namespace eseal::verify {

Report ApplyEvidence(const EvidenceRecord& e, ValidationPolicy& policy) {
  Report r;
  r.Pass("evidence.record", "evidence record for the signature whose SM3 is " + HexEncode(e.signature_hash) +
                                ", made " + FormatRfc3339(e.signed_at));

  std::vector<x509::Certificate> certs;
  std::vector<x509::Crl> crls;
  auto take = [&](const std::vector<Bytes>& cert_der, const std::vector<Bytes>& crl_der) {
    for (const Bytes& d : cert_der) {
      auto c = x509::Certificate::FromDer(d);
      if (c.ok()) certs.push_back(*std::move(c));
    }
    for (const Bytes& d : crl_der) {
      auto c = x509::Crl::FromDer(d);
      if (c.ok()) crls.push_back(*std::move(c));
    }
  };
  take(e.certificates, e.crls);
  for (const ArchiveTimestamp& a : e.archive_timestamps) take(a.certificates, a.crls);

  tsp::TimestampVerifyOptions o;
  o.tsa_anchors = policy.AnchorsFor(Role::kTsa);
  o.intermediates = policy.intermediates;
  o.intermediates.insert(o.intermediates.end(), certs.begin(), certs.end());
  o.crls = policy.crls;
  o.crls.insert(o.crls.end(), crls.begin(), crls.end());
  o.check_revocation = policy.check_revocation;
  o.tolerate_ca_without_key_cert_sign = policy.tolerances.ca_without_key_cert_sign;

  // The TSA certificates may come from the record or from the caller's intermediates.
  std::vector<x509::Certificate> pool = certs;
  pool.insert(pool.end(), policy.intermediates.begin(), policy.intermediates.end());
  // The token the first archive timestamp extends: the signature's own.
  std::optional<x509::Certificate> previous_tsa;
  if (e.signature_timestamp) {
    auto t = tsp::ParseTimestampToken(*e.signature_timestamp);
    if (t.ok()) previous_tsa = tsp::TokenSignerCertificate(*t, pool);
  }
  bool newest_known = true;  // the newest archive timestamp verified and its TSA is known
  std::optional<Time> previous_gen;
  bool failed = false;
  for (size_t i = 0; i < e.archive_timestamps.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    tsp::TimestampVerification tv = tsp::VerifyTimestampToken(e.archive_timestamps[i].token, ArchiveData(e, i), o);
    if (!tv.gen_time) {
      Verdict v = tv.report.verdict();
      std::string why = "archive timestamp " + n + " does not verify over the record (" +
                        std::string(v == Verdict::kFailed ? "failed" : "undecided") + ")";
      if (v == Verdict::kFailed) {
        r.Fail("evidence.archive_timestamp", why);
        failed = true;
      } else {
        r.Indeterminate("evidence.archive_timestamp", why);
      }
      r.Merge(tv.report, "evidence.archive.");
      previous_tsa.reset();
      newest_known = false;
      continue;
    }
    if (previous_gen && *tv.gen_time < *previous_gen) {
      r.Fail("evidence.archive_timestamp", "archive timestamp " + n + " is dated before the one it renews");
      failed = true;
      continue;
    }
    r.Pass("evidence.archive_timestamp", "archive timestamp " + n + " proves the record existed at " +
                                             FormatRfc3339(*tv.gen_time))
        .params = {{"index", n}, {"gen_time", FormatRfc3339(*tv.gen_time)}};
    // Renewed in time: the token it extends was still backed by a valid TSA certificate.
    if (previous_tsa && previous_tsa->not_after() < *tv.gen_time) {
      r.Indeterminate("evidence.renewal", "archive timestamp " + n + " (" + FormatRfc3339(*tv.gen_time) +
                                              ") came after the certificate of the TSA before it expired (" +
                                              FormatRfc3339(previous_tsa->not_after()) + "): a gap in the chain");
    }
    auto t = tsp::ParseTimestampToken(e.archive_timestamps[i].token);
    previous_tsa = t.ok() ? tsp::TokenSignerCertificate(*t, pool) : std::nullopt;
    newest_known = previous_tsa.has_value();
    previous_gen = tv.gen_time;
  }
  const Time now = policy.time.ValidationNow();
  if (e.archive_timestamps.empty()) {
    r.Warn("evidence.renewal", "the record has no archive timestamp: its CRLs and answers are taken as they are");
  } else if (!newest_known || !previous_tsa) {
    r.Indeterminate("evidence.renewal", "the newest archive timestamp did not verify or its TSA certificate is "
                                        "unknown: whether the record was renewed in time cannot be said");
  } else if (previous_tsa->not_after() < now) {
    r.Indeterminate("evidence.renewal", "the newest archive timestamp's TSA certificate expired on " +
                                            FormatRfc3339(previous_tsa->not_after()) +
                                            ": the record should have been renewed before then (eseal evidence renew)");
  } else {
    r.Pass("evidence.renewal", "the newest archive timestamp's TSA certificate is valid until " +
                                   FormatRfc3339(previous_tsa->not_after()));
  }
  if (failed) return r;
  policy.intermediates.insert(policy.intermediates.end(), certs.begin(), certs.end());
  policy.crls.insert(policy.crls.end(), crls.begin(), crls.end());
  if (e.seal_status) policy.seal_status_answers.push_back(*e.seal_status);
  return r;
}

}  // namespace eseal::verify
