// Verification with what the platform knows (验章): its own CA and CRLs and the other seal
// systems the operator registered (E9, G7) as trust anchors; for seals it made, the usage
// register (the platform's own record of when it signed) and the seal's status at that
// time (E22: documents signed while the seal was valid stay valid after revocation or
// expiry; one signed after revocation fails).
#include <cstdlib>

#include "eseal/crypto/sm3.h"
#include "eseal/ses/verify.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/verify/report_json.h"
#include "eseal/x509/chain.h"
#include "internal.h"

namespace eseal::platform {
namespace {

// Claimed and recorded signing times may differ by the time it takes to sign and commit.
constexpr std::chrono::seconds kClockSlack{300};

}  // namespace

Result<ses::TrustPolicy> PlatformImpl::TrustPolicyNow() {
  ses::TrustPolicy p;
  p.anchors.Add(id_.root, o_.name + " (this platform)");
  p.intermediates.push_back(id_.issuing.cert);
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(std::vector<Bytes> crls, Crls(tx));
    for (const Bytes& der : crls) {
      ASSIGN_OR_RETURN(x509::Crl crl, x509::Crl::FromDer(der));
      p.crls.push_back(std::move(crl));
    }
    ASSIGN_OR_RETURN(std::vector<TrustAnchorRecord> anchors, tx.anchors().List(true));
    for (const TrustAnchorRecord& a : anchors) {
      auto cert = x509::Certificate::FromDer(a.cert_der);
      if (!cert.ok()) continue;
      p.anchors.Add(*cert, a.system_name);
      ASSIGN_OR_RETURN(AnchorMaterial m, LoadAnchorMaterial(tx, a.id));
      for (const Bytes& der : m.intermediates) {
        auto ic = x509::Certificate::FromDer(der);
        if (ic.ok()) p.intermediates.push_back(*std::move(ic));
      }
      for (const Bytes& der : m.crls) {
        auto crl = x509::Crl::FromDer(der);
        if (crl.ok()) p.crls.push_back(*std::move(crl));
      }
    }
    return Status::Ok();
  }));
  return p;
}

// The platform's checks for one SES signature; see ofd_verifier.h platform_checks.
static std::vector<Check> PlatformChecksFor(PlatformImpl& p, const ses::TrustPolicy& policy,
                                            const ses::Signature& sig) {
  std::vector<Check> out;
  auto add = [&](std::string id, CheckResult r, std::string detail) -> Check& {
    out.push_back(Check{std::move(id), r, std::move(detail), {}});
    return out.back();
  };
  const ses::Seal& seal = sig.tbs.seal;
  const std::string& esid = seal.info.esid;
  Status st = p.InReadTx([&](Tx& tx) -> Status {
    auto rec = tx.seals().GetByEsid(esid);
    if (!rec.ok() && rec.status().code() != StatusCode::kNotFound) return rec.status();
    bool made_here = seal.maker_cert == p.identity().maker.cert.der();
    if (!rec.ok()) {
      if (made_here) {
        add("platform.seal.on_record", CheckResult::kFail,
            "the seal names this platform as its maker, but the platform has no seal " + esid);
        return Status::Ok();
      }
      // Not ours: which registered seal system made it, if any?
      auto maker = x509::Certificate::FromDer(seal.maker_cert);
      if (!maker.ok()) {
        add("platform.seal.recognised", CheckResult::kIndeterminate, "the seal maker certificate is unreadable");
        return Status::Ok();
      }
      x509::ChainOptions o;
      o.check_revocation = false;
      x509::ChainResult chain = x509::ValidateChain(*maker, policy.intermediates, policy.anchors, {},
                                                    seal.info.property.create_date, o);
      if (chain.anchor && chain.report.verdict() != Verdict::kFailed) {
        add("platform.seal.recognised", CheckResult::kPass,
            "recognised: the seal was made by '" + chain.anchor->label + "', a registered seal system")
            .params = {{"system", chain.anchor->label}};
      } else {
        add("platform.seal.recognised", CheckResult::kIndeterminate,
            "not recognised: the seal maker '" + maker->subject().ToString() +
                "' is not a seal system registered with this platform");
      }
      return Status::Ok();
    }
    const Seal& s = *rec;
    if (s.seal_der != seal.der) {
      add("platform.seal.on_record", CheckResult::kFail, "the seal differs from seal " + esid + " on record");
      return Status::Ok();
    }
    add("platform.seal.on_record", CheckResult::kPass,
        s.origin == SealOrigin::kPlatform ? "seal " + esid + " was made by this platform"
                                          : "seal " + esid + " is filed with this platform");
    Time when = sig.tbs.time;
    if (s.origin == SealOrigin::kPlatform) {
      SignatureRepository::Filter f;
      f.signed_hash = HexEncode(crypto::Sm3Bytes(sig.der));
      ASSIGN_OR_RETURN(std::vector<SignatureRecord> recs, tx.signatures().List(f, Page{1, 0}));
      if (recs.empty()) {
        add("platform.signature.registered", CheckResult::kFail,
            "the platform holds this seal's key and has no record of making this signature");
      } else {
        const SignatureRecord& r = recs.front();
        when = r.signed_at;
        add("platform.signature.registered", CheckResult::kPass,
            "signature " + r.id + " in the usage register, made " + FormatRfc3339(r.signed_at))
            .params = {{"signature", r.id}, {"signed_at", FormatRfc3339(r.signed_at)}};
        auto diff = sig.tbs.time > r.signed_at ? sig.tbs.time - r.signed_at : r.signed_at - sig.tbs.time;
        if (diff > kClockSlack) {
          add("platform.signature.time", CheckResult::kFail,
              "the claimed signing time " + FormatRfc3339(sig.tbs.time) + " differs from the register's " +
                  FormatRfc3339(r.signed_at));
        }
      }
    } else if (auto anchor = tx.anchors().Get(s.anchor_id); anchor.ok()) {
      add("platform.seal.recognised", CheckResult::kPass,
          "recognised: filed from '" + anchor->system_name + "', a registered seal system")
          .params = {{"system", anchor->system_name}};
    }
    ASSIGN_OR_RETURN(Platform::SealStatusAt at, p.StatusAt(tx, s, when));
    Check& c = at.valid ? add("platform.seal.status_at_signing_time", CheckResult::kPass,
                              "seal " + esid + " was in force when it signed (" + FormatRfc3339(when) + ")")
                        : add("platform.seal.status_at_signing_time", CheckResult::kFail,
                              "seal " + esid + " was " + std::string(Name(at.status)) + " when it signed (" +
                                  FormatRfc3339(when) + "): " + at.reason);
    c.params = {{"status", std::string(Name(at.status))}, {"time", FormatRfc3339(when)}};
    return Status::Ok();
  });
  if (!st.ok()) {
    add("platform.lookup", CheckResult::kIndeterminate, "the platform's records could not be read: " + st.message());
  }
  return out;
}

Result<Platform::VerifyOutcome> PlatformImpl::VerifyOfd(ByteView document) {
  ASSIGN_OR_RETURN(ses::TrustPolicy policy, TrustPolicyNow());
  verify::OfdVerifyOptions opts;
  opts.trust = policy;
  opts.platform_checks = [this, &policy](const ses::Signature& s) { return PlatformChecksFor(*this, policy, s); };
  ASSIGN_OR_RETURN(verify::OfdVerification v, verify::VerifyOfd(document, opts));
  return VerifyOutcome{verify::OfdVerificationToJson(v), v.verdict()};
}

Result<Platform::VerifyOutcome> PlatformImpl::VerifyDetached(ByteView signature, ByteView data) {
  auto sig = ses::ParseSignature(signature);
  if (!sig.ok()) return sig.status();
  ASSIGN_OR_RETURN(ses::TrustPolicy policy, TrustPolicyNow());
  Report r = ses::VerifySignature(*sig, crypto::Sm3Bytes(data), policy);
  for (Check& c : PlatformChecksFor(*this, policy, *sig)) r.Add(c.id, c.result, c.detail).params = c.params;
  return VerifyOutcome{verify::ReportToJson(r), r.verdict()};
}

}  // namespace eseal::platform
