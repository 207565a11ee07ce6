// The validation policy's helpers: role names and the role-filtered anchor stores.
#include "eseal/verify/policy.h"

#include <algorithm>

namespace eseal::verify {

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kSealMaker: return "seal_maker";
    case Role::kSigner: return "signer";
    case Role::kTsa: return "tsa";
  }
  return "unknown";
}

std::string RoleSetName(RoleSet set) {
  std::string out;
  for (Role r : {Role::kSealMaker, Role::kSigner, Role::kTsa}) {
    if (!HasRole(set, r)) continue;
    if (!out.empty()) out += ",";
    out += RoleName(r);
  }
  return out;
}

x509::TrustStore ValidationPolicy::AnchorsFor(Role role) const {
  x509::TrustStore store;
  for (const Anchor& a : anchors) {
    if (HasRole(a.roles, role)) store.Add(a.certificate, a.label);
  }
  return store;
}

void ValidationPolicy::AddAnchor(x509::Certificate cert, std::string label, RoleSet roles,
                                 std::vector<asn1::Oid> maker_policies) {
  for (Anchor& a : anchors) {
    if (a.certificate == cert) {
      a.roles |= roles;
      for (asn1::Oid& p : maker_policies) {
        if (std::find(a.maker_policies.begin(), a.maker_policies.end(), p) == a.maker_policies.end()) {
          a.maker_policies.push_back(std::move(p));
        }
      }
      return;
    }
  }
  anchors.push_back(Anchor{std::move(cert), std::move(label), roles, std::move(maker_policies)});
}

}  // namespace eseal::verify
