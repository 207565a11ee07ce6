// Offline verification of the audit trail (eseal audit verify): the same check as
// GET /api/v1/audit/verify (AuditTrail::VerifyAudit), run by whoever holds the database and
// the KEK, without a running server or an operator token.
// Thread-safety: one call at a time per store.
#pragma once

#include "eseal/base/result.h"
#include "eseal/platform/audit_trail.h"
#include "eseal/platform/options.h"

namespace eseal::platform {

// Opens the existing platform in `o.store` for verification only: it makes no identity
// (a database without one is FailedPrecondition), creates no export file and no MAC marker,
// makes no checkpoint and no CRL. The one write is the chaining of entries still waiting
// to be chained (what the next start would do). `o.audit_export_path` and
// `o.checkpoint_interval_seconds` are checked as the server checks them.
Result<AuditTrail::AuditVerification> VerifyAuditOffline(const PlatformOptions& o);

}  // namespace eseal::platform
