// Rendering of verification reports for people and programs: one JSON shape shared by the
// CLI (`--json`) and the HTTP API, and a plain text form for terminals.
//   {"verdict": "PASSED|FAILED|INDETERMINATE",
//    "checks": [{"id": "...", "result": "pass|fail|...", "detail": "...", "params": {...}}]}
// Thread-safety: reentrant.
#pragma once

#include <string>

#include "eseal/base/report.h"

namespace eseal::verify {

std::string ReportToJson(const Report& report, int indent = 2);
// One line per check ("FAIL  ses.seal.maker_signature  the seal maker's ..."), then the
// verdict. Info and skipped checks are shown only when `verbose`.
std::string ReportToText(const Report& report, bool verbose = false);

}  // namespace eseal::verify
