// `eseal audit verify`: the offline check of the audit trail against the checkpoints
// written outside the database (docs/storage.md "Audit"), with the platform's own
// VerifyAudit (platform/audit_offline.h), so the server and the command never disagree.
// Thread-safety: RunAudit is called once per process.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace eseal::apps {

// `args` are the arguments after "audit". Exit code: 0 the trail verifies, 1 it does not
// (the problem is printed, Chinese first), 2 bad usage, 5 it could not be checked (no
// database, no KEK, no platform in the database).
int RunAudit(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace eseal::apps
