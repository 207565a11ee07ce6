// Roles of certificates (证书用途): a seal maker (制章人) certificate must come through a
// seal-maker anchor, a signer (签章人) certificate through a signer anchor. eseal's own role
// policies (x509/ca.h) separate the two for certificates of one CA; a maker CA registered
// by an operator names the policies its maker leaves carry. Critical extendedKeyUsage and
// certificatePolicies are enforced here (RFC 5280 §4.2.1.4, §4.2.1.12): chain validation
// treats them as processed because this file processes them.
#include <algorithm>

#include "eseal/x509/ca.h"
#include "trust_internal.h"

namespace eseal::verify::internal {
namespace {

const asn1::Oid& AnyExtendedKeyUsage() {
  static const asn1::Oid oid = asn1::MustOid("2.5.29.37.0");
  return oid;
}
const asn1::Oid& AnyPolicy() {
  static const asn1::Oid oid = asn1::MustOid("2.5.29.32.0");
  return oid;
}
// Purposes under which a document signature is an intended use of a key.
const std::vector<asn1::Oid>& SignerPurposes() {
  static const std::vector<asn1::Oid> oids = {
      AnyExtendedKeyUsage(),
      asn1::MustOid("1.3.6.1.5.5.7.3.4"),        // emailProtection (S/MIME, UKeys)
      asn1::MustOid("1.3.6.1.5.5.7.3.2"),        // clientAuth (UKeys carry it with signing)
      asn1::MustOid("1.3.6.1.5.5.7.3.36"),       // id-kp-documentSigning (RFC 9336)
      asn1::MustOid("1.3.6.1.4.1.311.10.3.12"),  // Microsoft document signing
  };
  return oids;
}

bool Contains(const std::vector<asn1::Oid>& set, const asn1::Oid& oid) {
  return std::find(set.begin(), set.end(), oid) != set.end();
}

bool Intersects(const std::vector<asn1::Oid>& a, const std::vector<asn1::Oid>& b) {
  return std::any_of(a.begin(), a.end(), [&](const asn1::Oid& o) { return Contains(b, o); });
}

const Anchor* FindAnchor(const ValidationPolicy& policy, const x509::Certificate& cert) {
  for (const Anchor& a : policy.anchors) {
    if (a.certificate == cert) return &a;
  }
  return nullptr;
}

std::string Who(const x509::Certificate& c) {
  std::string cn = c.subject().CommonName();
  return "'" + (cn.empty() ? c.subject().ToString() : cn) + "'";
}

bool Critical(const x509::Certificate& c, const asn1::Oid& ext) {
  const x509::Extension* e = c.FindExtension(ext);
  return e != nullptr && e->critical;
}

// An anchor serving another role that the path would have reached: the caller is told the
// certificate comes from a trusted source that does not vouch for this role.
const Anchor* OtherRoleAnchor(const ValidationPolicy& policy, const x509::ChainResult& chain,
                              Role role) {
  if (chain.path.empty()) return nullptr;
  const x509::Certificate& top = chain.path.back();
  for (const Anchor& a : policy.anchors) {
    if (HasRole(a.roles, role)) continue;
    if (a.certificate == top || a.certificate.subject() == top.issuer()) return &a;
  }
  return nullptr;
}

void MakerRole(const x509::Certificate& leaf, const x509::ChainResult& chain,
               const ValidationPolicy& policy, Report& r, const std::string& p) {
  const std::vector<asn1::Oid>& eku = leaf.ext_key_usage().value_or(std::vector<asn1::Oid>{});
  std::vector<std::pair<std::string, std::string>> params = {{"subject", leaf.subject().ToString()}};
  if (Contains(leaf.policies(), x509::SignerPolicy())) {
    r.Fail(p + "role", Who(leaf) + " is a signer certificate (eseal signer policy " +
                           x509::SignerPolicy().ToString() + "); a signer can never make seals")
        .params = params;
    return;
  }
  if (!chain.anchor) {
    if (const Anchor* other = OtherRoleAnchor(policy, chain, Role::kSealMaker)) {
      params.emplace_back("anchor", other->label);
      params.emplace_back("anchor_roles", RoleSetName(other->roles));
      r.Indeterminate(p + "role", Who(leaf) + " comes from '" + other->label +
                                      "', which is trusted as " + RoleSetName(other->roles) +
                                      ", not as a seal maker")
          .params = params;
    }
    return;  // cert.chain.anchor already says no seal-maker anchor was reached
  }
  const Anchor* anchor = FindAnchor(policy, chain.anchor->certificate);
  if (anchor == nullptr) return;
  params.emplace_back("anchor", anchor->label);
  if (anchor->certificate == leaf) {
    r.Pass(p + "role", Who(leaf) + " is a registered seal-maker certificate").params = params;
  } else if (Intersects(leaf.policies(), anchor->maker_policies) ||
             Intersects(eku, anchor->maker_policies)) {
    r.Pass(p + "role", Who(leaf) + " carries a seal-maker policy registered with '" +
                           anchor->label + "'")
        .params = params;
  } else {
    r.Fail(p + "role", Who(leaf) + " chains to the seal-maker anchor '" + anchor->label +
                           "' but carries none of the maker policies registered with it: it "
                           "was not issued to make seals")
        .params = params;
  }
  if (Critical(leaf, asn1::oids::ExtKeyUsage())) {
    bool ok = Contains(eku, AnyExtendedKeyUsage()) || Intersects(eku, anchor->maker_policies) ||
              anchor->certificate == leaf;
    if (ok) {
      r.Pass(p + "role.eku", "the critical extendedKeyUsage permits making seals");
    } else {
      r.Fail(p + "role.eku", "the critical extendedKeyUsage of " + Who(leaf) +
                                 " does not include seal making");
    }
  }
  if (Critical(leaf, asn1::oids::CertificatePolicies())) {
    bool ok = Contains(leaf.policies(), AnyPolicy()) ||
              Intersects(leaf.policies(), anchor->maker_policies) || anchor->certificate == leaf;
    if (ok) {
      r.Pass(p + "role.policies", "the critical certificatePolicies permit making seals");
    } else {
      r.Fail(p + "role.policies", "the critical certificatePolicies of " + Who(leaf) +
                                      " name no seal-maker policy");
    }
  }
}

void SignerRole(const x509::Certificate& leaf, const x509::ChainResult& chain,
                const ValidationPolicy& policy, Report& r, const std::string& p) {
  std::vector<std::pair<std::string, std::string>> params = {{"subject", leaf.subject().ToString()}};
  if (Contains(leaf.policies(), x509::SealMakerPolicy())) {
    r.Fail(p + "role", Who(leaf) + " is a seal-maker certificate (eseal maker policy " +
                           x509::SealMakerPolicy().ToString() +
                           "); a seal maker can never sign documents")
        .params = params;
    return;
  }
  if (!chain.anchor) {
    if (const Anchor* other = OtherRoleAnchor(policy, chain, Role::kSigner)) {
      params.emplace_back("anchor", other->label);
      params.emplace_back("anchor_roles", RoleSetName(other->roles));
      r.Indeterminate(p + "role", Who(leaf) + " comes from '" + other->label +
                                      "', which is trusted as " + RoleSetName(other->roles) +
                                      ", not for signers")
          .params = params;
    }
    return;
  }
  params.emplace_back("anchor", chain.anchor->label);
  r.Pass(p + "role", Who(leaf) + " chains to the signer anchor '" + chain.anchor->label + "'")
      .params = params;
  if (Critical(leaf, asn1::oids::ExtKeyUsage())) {
    const std::vector<asn1::Oid>& eku = leaf.ext_key_usage().value_or(std::vector<asn1::Oid>{});
    if (Intersects(eku, SignerPurposes())) {
      r.Pass(p + "role.eku", "the critical extendedKeyUsage permits signing documents");
    } else {
      r.Fail(p + "role.eku", "the critical extendedKeyUsage of " + Who(leaf) +
                                 " does not permit signing documents");
    }
  }
  if (Critical(leaf, asn1::oids::CertificatePolicies())) {
    // Any policy serves a signer except eseal's maker policy (refused above).
    if (!leaf.policies().empty()) {
      r.Pass(p + "role.policies", "the critical certificatePolicies were processed");
    } else {
      r.Fail(p + "role.policies", "the critical certificatePolicies extension is empty");
    }
  }
}

}  // namespace

x509::ChainOptions ChainOptionsFor(const ValidationPolicy& policy, const TimeDecision& t) {
  x509::ChainOptions o;
  o.check_revocation = policy.check_revocation;
  o.time_proven = t.proven;
  // The usage register is written in the signing transaction, before any revocation the
  // platform records later in the same second.
  o.same_second_revocation_is_later = t.ordered_by_record;
  o.tolerate_ca_without_key_cert_sign = policy.tolerances.ca_without_key_cert_sign;
  o.leaf_purpose = x509::LeafPurpose::kSigning;
  // Each chain's search is bounded here; the SM2 budget bounds all chains together
  // (WorkMeter, checked between signatures).
  o.max_search_steps = static_cast<int>(std::min<uint64_t>(256, policy.budget.max_path_nodes));
  o.proof_cache = policy.proof_cache.get();
  return o;
}

Result<crypto::Sm2PublicKey> PublicKeyOf(const x509::Certificate& cert,
                                         const ValidationPolicy& policy) {
  if (policy.proof_cache) {
    Result<crypto::Sm2PublicKey> key = policy.proof_cache->PublicKey(cert.spki_der());
    if (key.ok()) return key;
  }
  return cert.public_key();  // errors in the words the report has always used
}

void CheckCertificateFor(Role role, const x509::Certificate& leaf,
                         const std::vector<x509::Certificate>& pool,
                         const ValidationPolicy& policy, const TimeDecision& t, Report& r,
                         std::string_view prefix) {
  std::vector<x509::Certificate> intermediates = policy.intermediates;
  intermediates.insert(intermediates.end(), pool.begin(), pool.end());
  x509::ChainResult chain = x509::ValidateChain(leaf, intermediates, policy.AnchorsFor(role),
                                                policy.crls, t.at, ChainOptionsFor(policy, t));
  r.Merge(chain.report, prefix);
  const std::string p(prefix);
  if (role == Role::kSealMaker) {
    MakerRole(leaf, chain, policy, r, p);
  } else if (role == Role::kSigner) {
    SignerRole(leaf, chain, policy, r, p);
  }
}

}  // namespace eseal::verify::internal
