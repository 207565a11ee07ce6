// Verification with what the platform knows (验章): its own CA and CRLs and the other seal
// systems the operator registered (E9, G7) as trust anchors; for seals it made, the usage
// register (the platform's own record of when it signed) and the seal's status at that
// time (E22: documents signed while the seal was valid stay valid after revocation or
// expiry; one signed after revocation fails).
#include <algorithm>
#include <cstdlib>

#include "eseal/crypto/sm3.h"
#include "eseal/verify/ses_verify.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/pdf/sniff.h"
#include "eseal/verify/pdf_verifier.h"
#include "eseal/verify/policy.h"
#include "eseal/verify/report_json.h"
#include "eseal/x509/chain.h"
#include "internal.h"

namespace eseal::platform {
namespace {

// Claimed and recorded signing times may differ by the time it takes to sign and commit.
constexpr std::chrono::seconds kClockSlack{300};

}  // namespace

static_assert(kAnchorSealMaker == verify::RolesOf(verify::Role::kSealMaker) &&
                  kAnchorSigner == verify::RolesOf(verify::Role::kSigner) &&
                  kAnchorTsa == verify::RolesOf(verify::Role::kTsa),
              "the stored anchor roles are verify::Role bits");

Result<verify::ValidationPolicy> PlatformImpl::ValidationPolicyNow(Time now) {
  verify::ValidationPolicy p;
  p.time.now = now;
  // The platform's own identity. Its root vouches for signers only; its seal maker is
  // pinned as a certificate, so no certificate the issuing CA signs (a signer-policy seal
  // certificate above all) can ever act as a maker, and the maker certificate itself —
  // under a signer-only root, with the maker policy — is no signer.
  p.AddAnchor(id_.root, o_.name + " (this platform)", verify::RolesOf(verify::Role::kSigner), {});
  p.AddAnchor(id_.maker.cert, o_.name + " seal maker (this platform)",
                  verify::RolesOf(verify::Role::kSealMaker), {});
  // Its TSA is pinned as a certificate too: the issuing CA's other leaves never vouch for time.
  const std::vector<x509::Certificate> tsas = TsaCertificates();
  for (const x509::Certificate& t : tsas) {
    p.AddAnchor(t, o_.name + " timestamp authority (this platform)", verify::RolesOf(verify::Role::kTsa), {});
  }
  p.intermediates.push_back(id_.issuing.cert);
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(std::vector<Bytes> crls, Crls(tx));
    for (const Bytes& der : crls) {
      ASSIGN_OR_RETURN(x509::Crl crl, x509::Crl::FromDer(der));
      p.crls.push_back(std::move(crl));
    }
    ASSIGN_OR_RETURN(std::vector<TrustAnchorRecord> anchors, tx.anchors().List(true));
    for (const TrustAnchorRecord& a : anchors) {
      if (a.roles == 0) continue;
      auto cert = x509::Certificate::FromDer(a.cert_der);
      if (!cert.ok()) continue;
      // A row naming the platform's own certificates (refused at registration; an older or
      // edited row) never widens their roles.
      bool own_tsa = false;
      for (const x509::Certificate& t : tsas) own_tsa = own_tsa || *cert == t;
      if (*cert == id_.root || *cert == id_.issuing.cert || *cert == id_.maker.cert || own_tsa) continue;
      std::vector<asn1::Oid> policies;
      for (const std::string& text : a.maker_policies) {
        auto oid = asn1::Oid::FromString(text);
        if (oid.ok()) policies.push_back(*std::move(oid));
      }
      p.AddAnchor(*std::move(cert), a.system_name, a.roles, std::move(policies));
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

// What the platform's records say of one SES signature (ofd_verifier.h RecordFacts): the
// seal on record, the usage register (whose time is proven: the platform wrote it when it
// signed), the seal's status then, or which registered system made a seal from elsewhere.
// `recognise` is the validation policy with revocation off (MakerView), made once per
// verification: it only says which registered system made a seal from elsewhere.
// Which registered system made a seal is a question of roles and chains at the seal's
// creation; revocation is the signature's own report's business.
static verify::ValidationPolicy MakerView(const verify::ValidationPolicy& policy) {
  verify::ValidationPolicy v = policy;
  v.check_revocation = false;
  return v;
}

static verify::RecordFacts RecordFactsFor(PlatformImpl& p, const verify::ValidationPolicy& recognise,
                                          const ses::Signature& sig) {
  verify::RecordFacts facts;
  std::vector<Check>& out = facts.checks;
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
      // Recognised only when the maker may make seals for the anchor it reaches (its role,
      // verify/cert_role.cc), not merely chains to a registered root: an ordinary
      // subscriber of a registered CA is no seal system. Judged as of the seal's creation;
      // revocation belongs to the signature's own report.
      Report made = verify::VerifySeal(seal, seal.info.property.create_date, recognise);
      const Check* role = made.Find("maker.role");
      const Check* anchor = made.Find("maker.cert.chain.anchor");
      std::string system;
      if (anchor != nullptr) {
        for (const auto& [k, v] : anchor->params) {
          if (k == "label") system = v;
        }
      }
      if (role != nullptr && role->result == CheckResult::kPass && anchor != nullptr &&
          anchor->result == CheckResult::kPass) {
        add("platform.seal.recognised", CheckResult::kPass,
            "recognised: the seal was made by '" + system + "', a registered seal system")
            .params = {{"system", system}};
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
        (s.origin == SealOrigin::kPlatform ? "seal " + esid + " was made by this platform"
                                           : "seal " + esid + " is filed with this platform") +
            " (esID, name and holder as on record)")
        .params = {{"esid", esid}, {"name", s.name}, {"holder", s.holder_id}};
    // The signer certificate must belong to the seal's holder: the one the platform issued
    // with the seal, or one naming the holder's USCC (统一社会信用代码) in its subject.
    {
      const Bytes& signer_der = ses::SignerCertificate(sig);
      ASSIGN_OR_RETURN(Holder holder, tx.holders().Get(s.holder_id));
      auto signer = x509::Certificate::FromDer(signer_der);
      std::string uscc = signer.ok() ? signer->subject().Get(asn1::oids::SerialNumberAttr()) : "";
      // A certificate naming a USCC names its company: another company's is refused even
      // when it was registered with the seal.
      if (!uscc.empty() && uscc != holder.uscc) {
        add("platform.signer.holder", CheckResult::kFail,
            "the signer certificate names USCC " + uscc + ", not the seal holder's (" + holder.name + ", " +
                holder.uscc + ")")
            .params = {{"holder_uscc", holder.uscc}, {"certificate_uscc", uscc}};
      } else if (!uscc.empty()) {
        add("platform.signer.holder", CheckResult::kPass,
            "the signer certificate names the holder's USCC " + holder.uscc);
      } else if (!s.signer_cert_der.empty() && signer_der == s.signer_cert_der) {
        add("platform.signer.holder", CheckResult::kPass,
            "the signer certificate is the one registered with seal " + esid);
      } else if (s.origin != SealOrigin::kPlatform) {
        // A filed seal's certList was registered with it (ses.signature.signer_in_seal
        // checks the certificate is listed there).
        add("platform.signer.holder", CheckResult::kPass,
            "the signer certificate is one the filed seal " + esid + " lists");
      } else {
        add("platform.signer.holder", CheckResult::kFail,
            "the signer certificate names no USCC and is not the one registered with seal " + esid);
      }
    }
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
        facts.registered = verify::RegisteredTime{r.signed_at, "usage_register"};
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
    ASSIGN_OR_RETURN(Platform::SealStatusAt at, p.StatusAt(tx, s, when, facts.registered.has_value()));
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
  return facts;
}

Result<verify::OfdVerification> PlatformImpl::VerifyOfdWith(ByteView document,
                                                             const verify::ValidationPolicy& policy,
                                                             const RecordHook& extra) {
  verify::OfdVerifyOptions opts;
  opts.policy = policy;
  const verify::ValidationPolicy recognise = MakerView(policy);
  opts.on_record = [this, &recognise, &extra](const ses::Signature& s) {
    verify::RecordFacts f = RecordFactsFor(*this, recognise, s);
    if (extra) extra(s, f);
    return f;
  };
  return verify::VerifyOfd(document, opts);
}

Result<Platform::VerifyOutcome> PlatformImpl::VerifyOfd(ByteView document) {
  ASSIGN_OR_RETURN(verify::ValidationPolicy policy, ValidationPolicyNow(Now()));
  ASSIGN_OR_RETURN(verify::OfdVerification v, VerifyOfdWith(document, policy, {}));
  return VerifyOutcome{verify::OfdVerificationToJson(v), v.verdict()};
}

Result<Platform::VerifyOutcome> PlatformImpl::VerifyDocumentWith(ByteView document,
                                                                 const verify::ValidationPolicy& policy,
                                                                 const RecordHook& extra) {
  if (!pdf::LooksLikePdf(document)) {
    ASSIGN_OR_RETURN(verify::OfdVerification v, VerifyOfdWith(document, policy, extra));
    return VerifyOutcome{verify::OfdVerificationToJson(v), v.verdict()};
  }
  verify::PdfVerifyOptions opts;
  opts.policy = policy;
  const verify::ValidationPolicy recognise = MakerView(policy);
  opts.on_record = [this, &recognise, &extra](const ses::Signature& s) {
    verify::RecordFacts f = RecordFactsFor(*this, recognise, s);
    if (extra) extra(s, f);
    return f;
  };
  ASSIGN_OR_RETURN(verify::PdfVerification v, verify::VerifyPdf(document, opts));
  return VerifyOutcome{verify::PdfVerificationToJson(v), v.verdict()};
}

Result<Platform::VerifyOutcome> PlatformImpl::VerifyPdf(ByteView document) {
  if (!pdf::LooksLikePdf(document)) {
    return InvalidArgumentError("这不是 PDF 文件（文件头不是 %PDF-），请检查上传的文件 / not a PDF file (no %PDF- header)");
  }
  ASSIGN_OR_RETURN(verify::ValidationPolicy policy, ValidationPolicyNow(Now()));
  return VerifyDocumentWith(document, policy, {});
}

Result<Platform::VerifyOutcome> PlatformImpl::VerifyDetached(ByteView signature, ByteView data) {
  auto sig = ses::ParseSignature(signature);
  if (!sig.ok()) return sig.status();
  ASSIGN_OR_RETURN(verify::ValidationPolicy policy, ValidationPolicyNow(Now()));
  verify::RecordFacts facts = RecordFactsFor(*this, MakerView(policy), *sig);
  Report r = verify::VerifySesSignature(*sig, crypto::Sm3Bytes(data), policy, facts.registered);
  for (Check& c : facts.checks) r.Add(c.id, c.result, c.detail).params = c.params;
  return VerifyOutcome{verify::ReportToJson(r), r.verdict()};
}

}  // namespace eseal::platform
