// The audit trail (审计日志): listing, verification and checkpoints.
// Thread-safety: implementations are safe to use from many threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eseal/base/result.h"
#include "eseal/platform/caller.h"
#include "eseal/platform/model.h"
#include "eseal/platform/repository.h"

namespace eseal::platform {

// The audit capability (audit.cc, audit_export.cc).
class AuditTrail {
 public:
  virtual ~AuditTrail() = default;

  // ---- audit (L8) ----
  struct AuditVerification {
    bool ok = false;
    int64_t entries = 0;
    int64_t checkpoints = 0;
    int64_t timestamped_checkpoints = 0;  // with a verified timestamp token
    int64_t mac_entries = 0;              // chained by a MAC under the KEK (format 2)
    int64_t exported_checkpoints = 0;     // found in the export file and matching
    std::optional<int64_t> first_broken_seq;
    std::string problem;
  };
  // Operator: recompute the chain and the checkpoint signatures.
  virtual Result<AuditVerification> VerifyAudit(const Caller& c) = 0;
  // Entries after `after_seq`, ascending; the total is the number of entries in the log.
  virtual Result<PageOf<AuditEntry>> ListAudit(const Caller& c, int64_t after_seq, int limit) = 0;
  // The trail of one seal (id or esID), ascending seq: entries whose object is that seal.
  // Its holder's administrator, the holder's users granted the seal, and operators; anyone
  // else is refused as for the seal itself (PermissionDenied), an unknown seal is NotFound.
  virtual Result<std::vector<AuditEntry>> ListSealAudit(const Caller& c, std::string_view seal, Page page) = 0;
  // Signs the current head (called periodically by the server and after bursts): each
  // checkpoint also signs the previous one's hash and carries a timestamp token over its
  // signature (when the TSA is issuing), so none can be removed or re-dated unseen.
  virtual Status CheckpointAudit() = 0;
};

}  // namespace eseal::platform
