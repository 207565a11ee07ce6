// Mutual recognition (互信互认, E9, G7) and filing of seals made by other systems (备案, E11):
// the operator registers other seal systems' maker certificates and CA roots as trust
// anchors; an approved vendor files a seal it made for a registered enterprise, which the
// platform accepts only from a registered maker and only if the enterprise has no other
// active seal of that kind.
#include "eseal/crypto/sm3.h"
#include "eseal/sealimg/seal_image.h"
#include "eseal/verify/ses_verify.h"
#include "eseal/x509/chain.h"
#include "internal.h"
#include "vendor_keys.h"

namespace eseal::platform {
namespace {

std::string JoinMakerPolicies(const std::vector<std::string>& oids) {
  std::string out;
  for (const std::string& o : oids) out += (out.empty() ? "" : ",") + o;
  return out;
}

}  // namespace

Result<TrustAnchorRecord> PlatformImpl::RegisterAnchor(const Caller& c, const AnchorInput& in) {
  RETURN_IF_ERROR(RequireOperator(c));
  if (in.system_name.empty() || in.system_name.size() > 200) {
    return InvalidArgumentError("system_name is required (at most 200 bytes)");
  }
  auto cert = x509::Certificate::FromDer(in.cert_der);
  if (!cert.ok()) return cert.status().WithContext("anchor certificate");
  RETURN_IF_ERROR(cert->public_key());
  // The platform's own root, issuing CA, maker and TSA are trusted by role already (its root for
  // signers only, its maker pinned); registered again they would merge a seal-maker role
  // into its own root (ValidationPolicy::AddAnchor merges roles of one certificate).
  bool own_tsa = false;
  for (const x509::Certificate& t : TsaCertificates()) own_tsa = own_tsa || *cert == t;
  if (*cert == id_.root || *cert == id_.issuing.cert || *cert == id_.maker.cert || own_tsa) {
    return InvalidArgumentError(
        "这是本平台自己的证书，已按角色受信任，无需登记；请登记其他电子印章系统的根证书或制章人证书。 / "
        "this is one of this platform's own certificates, already trusted by role; register "
        "another seal system's root or maker certificate instead");
  }
  if (in.kind == AnchorKind::kCaRoot && !cert->is_ca()) {
    return InvalidArgumentError("a CA root anchor must be a CA certificate (basicConstraints cA)");
  }
  if (in.kind == AnchorKind::kMakerCertificate && !in.intermediates.empty()) {
    return InvalidArgumentError("a seal-maker certificate anchor has no intermediate certificates");
  }
  AnchorRoles roles = in.roles.value_or(DefaultAnchorRoles(in.kind));
  ASSIGN_OR_RETURN(std::vector<std::string> maker_policies,
                   CheckAnchorRoles(in.kind, roles, in.maker_policies, {}));
  ASSIGN_OR_RETURN(std::vector<x509::Certificate> intermediates,
                   CheckAnchorIntermediates(*cert, in.intermediates, Now()));
  AnchorMaterial material;
  material.intermediates = in.intermediates;
  if (!in.crl_der.empty() && in.kind == AnchorKind::kCaRoot) {
    auto crl = AddAnchorCrl(material, *cert, intermediates, in.crl_der);
    if (!crl.ok()) return crl.status().WithContext("anchor CRL");
  } else if (!in.crl_der.empty()) {
    // A maker-certificate anchor is no CA, so the CRL of the CA that issued it cannot be
    // checked against it here: kept as given; chain validation uses a CRL only where it
    // verifies under the certificate's issuer.
    auto crl = x509::Crl::FromDer(in.crl_der);
    if (!crl.ok()) return crl.status().WithContext("anchor CRL");
    material.crls.push_back(in.crl_der);
  }
  TrustAnchorRecord a;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(std::vector<TrustAnchorRecord> existing, tx.anchors().List(true));
    for (const TrustAnchorRecord& e : existing) {
      if (e.cert_der == in.cert_der) return AlreadyExistsError("this certificate is already registered as '" + e.system_name + "'");
    }
    a = TrustAnchorRecord{NewId("anc"), in.system_name, in.kind, in.cert_der, in.crl_url, in.status_url, true, Now(),
                          roles, maker_policies};
    RETURN_IF_ERROR(tx.anchors().Insert(a));
    RETURN_IF_ERROR(StoreAnchorMaterial(tx, a.id, material));
    return Audit(tx, &c, "anchor.registered", "anchor", a.id,
                 JsonObject({{"system", a.system_name}, {"kind", std::string(Name(a.kind))},
                             {"roles", AnchorRolesName(a.roles)},
                             {"maker_policies", JoinMakerPolicies(a.maker_policies)},
                             {"subject", cert->subject().ToString()},
                             {"certificate_sm3", HexEncode(crypto::Sm3Bytes(a.cert_der))},
                             {"intermediates", std::to_string(material.intermediates.size())},
                             {"crls", std::to_string(material.crls.size())}}));
  }));
  return a;
}

Result<TrustAnchorRecord> PlatformImpl::UpdateAnchorCrl(const Caller& c, std::string_view id, ByteView crl_der) {
  RETURN_IF_ERROR(RequireOperator(c));
  if (crl_der.empty()) return InvalidArgumentError("no CRL was given");
  TrustAnchorRecord a;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(a, tx.anchors().Get(id));
    if (!a.active) return FailedPreconditionError("the anchor is inactive");
    ASSIGN_OR_RETURN(x509::Certificate cert, x509::Certificate::FromDer(a.cert_der));
    ASSIGN_OR_RETURN(AnchorMaterial material, LoadAnchorMaterial(tx, a.id));
    std::vector<x509::Certificate> intermediates;
    for (const Bytes& der : material.intermediates) {
      ASSIGN_OR_RETURN(x509::Certificate ic, x509::Certificate::FromDer(der));
      intermediates.push_back(std::move(ic));
    }
    ASSIGN_OR_RETURN(x509::Crl crl, AddAnchorCrl(material, cert, intermediates, crl_der));
    RETURN_IF_ERROR(StoreAnchorMaterial(tx, a.id, material));
    return Audit(tx, &c, "anchor.crl_updated", "anchor", a.id,
                 JsonObject({{"system", a.system_name},
                             {"issuer", crl.issuer().ToString()},
                             {"this_update", FormatRfc3339(crl.this_update())},
                             {"revoked", std::to_string(crl.entries().size())},
                             {"crl_sm3", HexEncode(crypto::Sm3Bytes(crl_der))}}));
  }));
  return a;
}

Result<TrustAnchorRecord> PlatformImpl::SetAnchorRoles(const Caller& c, std::string_view id, AnchorRoles roles,
                                                       std::optional<std::vector<std::string>> maker_policies) {
  RETURN_IF_ERROR(RequireOperator(c));
  TrustAnchorRecord a;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    // The row is locked before it is read: two operators changing roles at once are
    // serialised, and each audit entry names the roles it really replaced.
    ASSIGN_OR_RETURN(a, tx.anchors().GetForUpdate(id));
    if (!a.active) return FailedPreconditionError("该信任锚已停用，不能修改角色 (the anchor is inactive)");
    ASSIGN_OR_RETURN(std::vector<std::string> policies,
                     CheckAnchorRoles(a.kind, roles, maker_policies, a.maker_policies));
    AnchorRoles before = a.roles;
    std::vector<std::string> policies_before = a.maker_policies;
    a.roles = roles;
    a.maker_policies = std::move(policies);
    RETURN_IF_ERROR(tx.anchors().Update(a));
    return Audit(tx, &c, "anchor.roles_changed", "anchor", a.id,
                 JsonObject({{"system", a.system_name},
                             {"roles_before", AnchorRolesName(before)},
                             {"roles", AnchorRolesName(a.roles)},
                             {"maker_policies_before", JoinMakerPolicies(policies_before)},
                             {"maker_policies", JoinMakerPolicies(a.maker_policies)}}));
  }));
  return a;
}

Result<TrustAnchorRecord> PlatformImpl::DeactivateAnchor(const Caller& c, std::string_view id) {
  RETURN_IF_ERROR(RequireOperator(c));
  TrustAnchorRecord a;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(a, tx.anchors().GetForUpdate(id));
    if (!a.active) return FailedPreconditionError("the anchor is already inactive");
    a.active = false;
    RETURN_IF_ERROR(tx.anchors().Update(a));
    return Audit(tx, &c, "anchor.deactivated", "anchor", a.id, JsonObject({{"system", a.system_name}}));
  }));
  return a;
}

Result<PageOf<TrustAnchorRecord>> PlatformImpl::ListAnchors(const Caller&, Page page) {
  PageOf<TrustAnchorRecord> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out.items, tx.anchors().List(false, page));
    ASSIGN_OR_RETURN(out.total, tx.anchors().Count(false));
    return Status::Ok();
  }));
  return out;
}

Result<Seal> PlatformImpl::FileSeal(const Caller& c, ByteView seal_der, std::string_view holder_uscc,
                                    std::string_view seal_kind) {
  bool vendor = c.role == Role::kClient && c.client_type == ClientType::kVendor;
  if (!vendor && !IsOperator(c)) return PermissionDeniedError("only approved vendor systems (or the operator) file seals");
  auto kind = sealimg::ParseKind(seal_kind);
  if (!kind.ok()) return kind.status();
  auto parsed = ses::ParseSeal(seal_der);
  if (!parsed.ok()) return parsed.status();
  const ses::Seal& ses_seal = *parsed;
  Time now = Now();

  // Its maker must be a registered seal system: chain the maker certificate to the
  // registered anchors only (not to this platform's own CA: seals made here are not filed).
  x509::TrustStore registered;
  verify::ValidationPolicy policy;
  policy.time.now = now;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(std::vector<TrustAnchorRecord> anchors, tx.anchors().List(true));
    for (const TrustAnchorRecord& a : anchors) {
      // Only an anchor the operator trusts for seal makers vouches for a filed seal's maker.
      if ((a.roles & kAnchorSealMaker) == 0) continue;
      auto cert = x509::Certificate::FromDer(a.cert_der);
      if (!cert.ok()) continue;
      registered.Add(*cert, a.id);
      std::vector<asn1::Oid> policies;
      for (const std::string& text : a.maker_policies) {
        if (auto oid = asn1::Oid::FromString(text); oid.ok()) policies.push_back(*oid);
      }
      policy.AddAnchor(*cert, a.id, verify::RolesOf(verify::Role::kSealMaker), std::move(policies));
      ASSIGN_OR_RETURN(AnchorMaterial m, LoadAnchorMaterial(tx, a.id));
      for (const Bytes& der : m.intermediates) {
        auto ic = x509::Certificate::FromDer(der);
        if (ic.ok()) policy.intermediates.push_back(*std::move(ic));
      }
      for (const Bytes& der : m.crls) {
        auto crl = x509::Crl::FromDer(der);
        if (crl.ok()) policy.crls.push_back(*std::move(crl));
      }
    }
    return Status::Ok();
  }));
  Report r = verify::VerifySeal(ses_seal, now, policy);
  if (r.ResultOf("ses.seal.maker_signature") != CheckResult::kPass) {
    return FailedPreconditionError("the seal's maker signature does not verify; it cannot be filed");
  }
  if (r.ResultOf("maker.cert.chain.anchor") != CheckResult::kPass) {
    return FailedPreconditionError("the seal's maker is not a seal system registered with this platform; "
                                   "the operator must register it first (E9, E11)");
  }
  if (r.verdict() == Verdict::kFailed) {
    std::string failed;
    for (const std::string& id : r.FailedIds()) failed += (failed.empty() ? "" : ", ") + id;
    return FailedPreconditionError("the seal does not verify (" + failed + ")");
  }
  std::string anchor_id;
  {
    auto maker = x509::Certificate::FromDer(ses_seal.maker_cert);
    x509::ChainOptions o;
    o.check_revocation = false;
    x509::ChainResult chain =
        x509::ValidateChain(*maker, policy.intermediates, registered, {}, ses_seal.info.property.create_date, o);
    if (chain.anchor) anchor_id = chain.anchor->label;
  }

  Seal seal;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    auto holder = tx.holders().GetByUscc(holder_uscc);
    if (!holder.ok()) {
      return holder.status().code() == StatusCode::kNotFound
                 ? FailedPreconditionError("enterprise " + std::string(holder_uscc) + " is not registered")
                 : holder.status();
    }
    if (holder->status != HolderStatus::kActive) {
      return FailedPreconditionError("enterprise '" + holder->name + "' is " + std::string(Name(holder->status)));
    }
    // The vendor files only its registered makers' seals, and only under the kind the seal
    // itself states, with the registry's name: no squatting the one-seal-per-kind rule.
    RETURN_IF_ERROR(CheckVendorMayFile(tx, c, anchor_id));
    RETURN_IF_ERROR(CheckFiledKind(ses_seal, seal_kind, *holder));
    auto dup = tx.seals().GetByEsid(ses_seal.info.esid);
    if (dup.ok()) return AlreadyExistsError("seal " + ses_seal.info.esid + " is already on record");
    SealRepository::Filter f;
    f.holder_id = holder->id;
    f.kind = std::string(seal_kind);
    ASSIGN_OR_RETURN(std::vector<Seal> same, tx.seals().List(f, Page{1000, 0}));
    for (const Seal& s : same) {
      bool live = (s.status == SealStatus::kActive || s.status == SealStatus::kSuspended) && now <= s.valid_to;
      if (live && seal_kind != "business") {
        return AlreadyExistsError("enterprise '" + holder->name + "' already has an active " + std::string(seal_kind) +
                                  " seal: " + s.esid + " (" + std::string(Name(s.origin)) +
                                  "); no duplicate seals (E11)");
      }
    }
    const ses::PropertyInfo& p = ses_seal.info.property;
    seal.id = NewId("seal");
    seal.esid = ses_seal.info.esid;
    seal.holder_id = holder->id;
    seal.kind = std::string(seal_kind);
    seal.name = p.name;
    seal.origin = SealOrigin::kFiled;
    seal.status = SealStatus::kActive;
    seal.valid_from = p.valid_start;
    seal.valid_to = p.valid_end;
    seal.seal_der = ses_seal.der;
    if (ses_seal.info.picture.type == "PNG" || ses_seal.info.picture.type == "png") {
      seal.image_png = ses_seal.info.picture.data;
    }
    if (!p.certs.empty()) {
      seal.signer_cert_der = p.certs.front();
      auto cert = x509::Certificate::FromDer(p.certs.front());
      if (cert.ok()) seal.cert_serial_hex = cert->SerialHex();
    }
    seal.anchor_id = anchor_id;
    seal.created_at = seal.updated_at = now;
    RETURN_IF_ERROR(tx.seals().Insert(seal));
    RETURN_IF_ERROR(tx.seal_events().Append(SealEvent{seal.id, SealEventType::kFiled, std::min(now, seal.valid_from),
                                                      "filed by " + c.ActorId(), c.ActorId()}));
    RETURN_IF_ERROR(AddFiling(tx, seal, FilingEvent::kMade));
    return Audit(tx, &c, "seal.filed", "seal", seal.id,
                 JsonObject({{"esid", seal.esid}, {"holder", holder->id}, {"kind", seal.kind}, {"anchor", anchor_id},
                             {"seal_sm3", HexEncode(crypto::Sm3Bytes(seal.seal_der))}}));
  }));
  return seal;
}

}  // namespace eseal::platform
