// Rendering of verification reports for people and programs: one JSON shape shared by the
// CLI (`--json`) and the HTTP API, and a plain text form for terminals.
//   {"verdict": "PASSED|FAILED|INDETERMINATE", "summary": {"zh": "...", "en": "..."},
//    "checks": [{"id": "...", "result": "pass|fail|...", "detail": "...", "params": {...}}]}
// Thread-safety: reentrant.
#pragma once

#include <string>

#include "eseal/base/report.h"

namespace eseal::verify {

std::string ReportToJson(const Report& report, int indent = 2);
// The summary (Chinese, then English: summary.h), one line per check ("FAIL   ses.seal.
// maker_signature  the seal maker's ..."), then the verdict. Without `verbose` only the
// checks that are not PASS (failures, indeterminate ones, warnings) are listed.
std::string ReportToText(const Report& report, bool verbose = false);
// Just the check lines of ReportToText.
std::string ChecksToText(const Report& report, bool verbose);

}  // namespace eseal::verify
