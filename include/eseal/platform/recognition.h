// Mutual recognition and filing (互认与备案): other systems' trust anchors and CRLs, seals
// made elsewhere filed here, and filing batches sent to the national platform.
// Thread-safety: implementations are safe to use from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/result.h"
#include "eseal/base/bytes.h"
#include "eseal/platform/caller.h"
#include "eseal/platform/model.h"
#include "eseal/platform/repository.h"

namespace eseal::platform {

// The recognition and filing capability (recognition.cc, filing.cc).
class Recognition {
 public:
  virtual ~Recognition() = default;

  // ---- filing of seals made by other systems (备案, E11) ----
  // Approved vendor client (or operator): checks structure, maker signature, maker is a
  // registered trust anchor, holder registered and active, no other active seal of the
  // kind (the existing one is named in the refusal).
  virtual Result<Seal> FileSeal(const Caller& c, ByteView seal_der, std::string_view holder_uscc,
                                std::string_view seal_kind) = 0;
  // ---- mutual recognition (E9, G7) ----
  struct AnchorInput {
    std::string system_name;
    AnchorKind kind = AnchorKind::kCaRoot;
    Bytes cert_der;
    std::string crl_url, status_url;
    Bytes crl_der;  // optional: the system's current CRL, used until it is replaced
    // Optional: the system's intermediate (issuing) CA certificates, DER, each a CA that
    // chains to `cert_der`; its seals then chain maker → issuing CA → registered root.
    std::vector<Bytes> intermediates;
    // What the anchor vouches for; absent: DefaultAnchorRoles(kind). A maker certificate
    // vouches only for itself as a seal maker (or a TSA); a CA root for any roles.
    std::optional<AnchorRoles> roles;
    // For a CA root with the seal-maker role: the policy OIDs its maker certificates carry;
    // absent: eseal's maker policy. Must be absent or empty otherwise.
    std::optional<std::vector<std::string>> maker_policies;
  };
  virtual Result<TrustAnchorRecord> RegisterAnchor(const Caller& c, const AnchorInput& in) = 0;
  // Operator: changes what an anchor vouches for (audited with the roles before and after).
  // `maker_policies` as in AnchorInput; absent keeps the ones on record when the anchor
  // still vouches for seal makers.
  virtual Result<TrustAnchorRecord> SetAnchorRoles(const Caller& c, std::string_view id, AnchorRoles roles,
                                                   std::optional<std::vector<std::string>> maker_policies) = 0;
  // Operator: the other system published a newer CRL (from the anchor or one of its
  // intermediates); it replaces the one on record from the same issuer. Older or equal
  // CRLs are refused (FailedPrecondition), CRLs from elsewhere are InvalidArgument.
  virtual Result<TrustAnchorRecord> UpdateAnchorCrl(const Caller& c, std::string_view id, ByteView crl_der) = 0;
  virtual Result<TrustAnchorRecord> DeactivateAnchor(const Caller& c, std::string_view id) = 0;
  virtual Result<PageOf<TrustAnchorRecord>> ListAnchors(const Caller& c, Page page) = 0;
  // ---- filing with the national platform (G11, G18) ----
  virtual Result<PageOf<FilingRecord>> ListFilings(const Caller& c,
                                                   std::optional<FilingStatus> status,
                                                   Page page) = 0;
  // Operator: bundles every pending record into a batch signed by the platform key.
  virtual Result<FilingBatch> ExportFilings(const Caller& c) = 0;
  virtual Result<FilingBatch> AcknowledgeFilingBatch(const Caller& c, std::string_view batch_id) = 0;
  // Operator: one exported batch (its status and the signed export).
  virtual Result<FilingBatch> GetFilingBatch(const Caller& c, std::string_view batch_id) = 0;
};

}  // namespace eseal::platform
