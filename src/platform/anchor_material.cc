// What the platform keeps beside a registered trust anchor (互信互认, E9/G7): the other seal
// system's intermediate CA certificates, so that its maker and signer certificates chain
// through its issuing CA to the registered root, and its current CRLs (证书撤销列表), one
// per issuing authority. They live in settings rows keyed by the anchor id so that they
// change in the same transaction as the audit entry recording the change; the values are
// DER certificates or CRLs in hex, one per line. CheckAnchorRoles decides which roles
// (制章人 seal maker, 签章人 signer, 时间戳 TSA) and maker policies an anchor may have.
#include <algorithm>

#include "eseal/asn1/oid.h"
#include "eseal/crypto/sm3.h"
#include "eseal/x509/chain.h"
#include "internal.h"

namespace eseal::platform {
namespace {

std::string ChainKey(std::string_view anchor_id) { return "anchor_chain:" + std::string(anchor_id); }
std::string CrlKey(std::string_view anchor_id) { return "anchor_crl:" + std::string(anchor_id); }

Result<std::vector<Bytes>> ReadList(Tx& tx, const std::string& key) {
  std::vector<Bytes> out;
  ASSIGN_OR_RETURN(std::optional<std::string> value, tx.settings().Get(key));
  if (!value) return out;
  size_t start = 0;
  while (start < value->size()) {
    size_t end = value->find('\n', start);
    if (end == std::string::npos) end = value->size();
    if (end > start) {
      ASSIGN_OR_RETURN(Bytes der, HexDecode(std::string_view(*value).substr(start, end - start)));
      out.push_back(std::move(der));
    }
    start = end + 1;
  }
  return out;
}

Status WriteList(Tx& tx, const std::string& key, const std::vector<Bytes>& items) {
  std::string value;
  for (const Bytes& b : items) value += (value.empty() ? "" : "\n") + HexEncode(b);
  return tx.settings().Put(key, value);
}

}  // namespace

Result<AnchorMaterial> LoadAnchorMaterial(Tx& tx, std::string_view anchor_id) {
  AnchorMaterial m;
  ASSIGN_OR_RETURN(m.intermediates, ReadList(tx, ChainKey(anchor_id)));
  ASSIGN_OR_RETURN(m.crls, ReadList(tx, CrlKey(anchor_id)));
  return m;
}

Status StoreAnchorMaterial(Tx& tx, std::string_view anchor_id, const AnchorMaterial& m) {
  RETURN_IF_ERROR(WriteList(tx, ChainKey(anchor_id), m.intermediates));
  return WriteList(tx, CrlKey(anchor_id), m.crls);
}

Result<std::vector<x509::Certificate>> CheckAnchorIntermediates(const x509::Certificate& anchor,
                                                                const std::vector<Bytes>& ders, Time now) {
  std::vector<x509::Certificate> certs;
  for (size_t i = 0; i < ders.size(); ++i) {
    auto c = x509::Certificate::FromDer(ders[i]);
    if (!c.ok()) return c.status().WithContext("intermediate certificate " + std::to_string(i + 1));
    if (!c->is_ca()) {
      return InvalidArgumentError("intermediate certificate " + std::to_string(i + 1) + " (" +
                                  c->subject().ToString() + ") is not a CA certificate");
    }
    certs.push_back(*std::move(c));
  }
  x509::TrustStore store;
  store.Add(anchor, "anchor");
  x509::ChainOptions o;
  o.check_revocation = false;
  o.leaf_purpose = x509::LeafPurpose::kAny;
  for (const x509::Certificate& c : certs) {
    x509::ChainResult r = x509::ValidateChain(c, certs, store, {}, now, o);
    if (!r.anchor || r.report.verdict() == Verdict::kFailed) {
      return InvalidArgumentError("intermediate certificate " + c.subject().ToString() +
                                  " does not chain to the anchor certificate " + anchor.subject().ToString());
    }
  }
  return certs;
}

Result<std::vector<std::string>> CheckAnchorRoles(AnchorKind kind, AnchorRoles roles,
                                                  const std::optional<std::vector<std::string>>& maker_policies,
                                                  const std::vector<std::string>& current_policies) {
  if (roles == 0 || (roles & ~kAllAnchorRoles) != 0) {
    return InvalidArgumentError("请为信任锚选择至少一个角色：制章人、签章人或时间戳 "
                                "(choose at least one role: seal maker, signer or TSA)");
  }
  if (kind == AnchorKind::kMakerCertificate && roles != kAnchorSealMaker) {
    return InvalidArgumentError("制章者证书只能作为制章人信任锚；签章人、时间戳须登记其 CA 根证书 "
                                "(a maker certificate anchor vouches only for itself as a seal maker; "
                                "register a CA root for signers or timestamp authorities)");
  }
  bool ca_maker = kind == AnchorKind::kCaRoot && (roles & kAnchorSealMaker) != 0;
  if (!ca_maker) {
    if (maker_policies && !maker_policies->empty()) {
      return InvalidArgumentError("只有担任制章人角色的 CA 根证书才登记制章人证书策略 "
                                  "(maker policies apply only to a CA root with the seal-maker role)");
    }
    return std::vector<std::string>{};
  }
  if (!maker_policies) {
    if (!current_policies.empty()) return current_policies;
    return DefaultMakerPolicies(kind);
  }
  if (maker_policies->empty() || maker_policies->size() > 16) {
    return InvalidArgumentError("担任制章人的 CA 须登记 1 至 16 个制章人证书策略 OID，其签发的制章人证书须带有其中之一 "
                                "(a seal-maker CA needs 1 to 16 maker policy OIDs its maker certificates carry)");
  }
  std::vector<std::string> out;
  for (const std::string& text : *maker_policies) {
    auto oid = asn1::Oid::FromString(text);
    if (!oid.ok()) {
      return InvalidArgumentError("制章人证书策略须为点分 OID，如 " + std::string(kEsealMakerPolicy) +
                                  " (a maker policy must be a dotted OID)");
    }
    std::string canonical = oid->ToString();
    if (std::find(out.begin(), out.end(), canonical) == out.end()) out.push_back(std::move(canonical));
  }
  return out;
}

Result<x509::Crl> AddAnchorCrl(AnchorMaterial& m, const x509::Certificate& anchor,
                    const std::vector<x509::Certificate>& intermediates, ByteView crl_der) {
  auto crl = x509::Crl::FromDer(crl_der);
  if (!crl.ok()) return crl.status().WithContext("CRL");
  bool signed_by_system = crl->issuer() == anchor.subject() && crl->IsSignedBy(anchor);
  for (const x509::Certificate& c : intermediates) {
    signed_by_system = signed_by_system || (crl->issuer() == c.subject() && crl->IsSignedBy(c));
  }
  if (!signed_by_system) {
    return InvalidArgumentError("the CRL of '" + crl->issuer().ToString() +
                                "' is not signed by the anchor or one of its intermediate certificates");
  }
  // One CRL per issuer: a newer one replaces the one on record; an older or equal one is
  // refused so that a replayed CRL cannot hide a later revocation.
  for (Bytes& held : m.crls) {
    auto old = x509::Crl::FromDer(held);
    if (!old.ok() || !(old->issuer() == crl->issuer())) continue;
    if (crl->this_update() <= old->this_update()) {
      return FailedPreconditionError("the CRL of '" + crl->issuer().ToString() + "' (thisUpdate " +
                                     FormatRfc3339(crl->this_update()) +
                                     ") is not newer than the one on record (" + FormatRfc3339(old->this_update()) +
                                     ")");
    }
    held.assign(crl_der.begin(), crl_der.end());
    return *std::move(crl);
  }
  m.crls.emplace_back(crl_der.begin(), crl_der.end());
  return *std::move(crl);
}

}  // namespace eseal::platform
