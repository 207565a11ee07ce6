// Offline verification of the audit trail (include/eseal/platform/audit_offline.h): the
// platform's own VerifyAudit, over a platform opened for reading only. Whoever runs it
// holds the database and the KEK, so it acts as the operator (the same power).
#include "eseal/platform/audit_offline.h"

#include "eseal/crypto/random.h"
#include "internal.h"

namespace eseal::platform {

Result<AuditTrail::AuditVerification> VerifyAuditOffline(const PlatformOptions& options) {
  PlatformOptions o = options;
  if (!o.store || !o.kek) return InvalidArgumentError("the audit check needs a store and a key-encryption key");
  if (!o.clock) o.clock = &SystemClock();
  if (!o.rng) o.rng = &crypto::SystemRng();
  // A database with no platform in it has no trail to check; never make one here.
  {
    ASSIGN_OR_RETURN(std::unique_ptr<Tx> tx, o.store->BeginRead());
    auto root = tx->platform_keys().Get(kRootCaKey);
    if (!root.ok() && root.status().code() == StatusCode::kNotFound) {
      return FailedPreconditionError("该数据库中没有电子印章平台，无审计日志可校验。 / this database holds no platform "
                                     "(no root CA key): there is no audit trail to check");
    }
    if (!root.ok()) return root.status();
  }
  ASSIGN_OR_RETURN(Identity id, PlatformImpl::LoadOrCreateIdentity(o, nullptr));
  auto p = std::make_unique<PlatformImpl>(o, std::move(id));
  RETURN_IF_ERROR(p->LoadAuditKey());
  Caller verifier;
  verifier.account_id = "offline-audit-verify";
  verifier.role = Role::kOperator;
  verifier.name = "eseal audit verify";
  return p->VerifyAudit(verifier);
}

}  // namespace eseal::platform
