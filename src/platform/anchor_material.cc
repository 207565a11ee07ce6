// What the platform keeps beside a registered trust anchor (互信互认, E9/G7): the other seal
// system's intermediate CA certificates, so that its maker and signer certificates chain
// through its issuing CA to the registered root, and its current CRLs (证书撤销列表), one
// per issuing authority. They live in settings rows keyed by the anchor id so that they
// change in the same transaction as the audit entry recording the change; the values are
// DER certificates or CRLs in hex, one per line.
#include <algorithm>

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
