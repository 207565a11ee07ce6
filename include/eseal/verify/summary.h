// The few sentences a report opens with (验证结论摘要): why the verdict is what it is, in
// Chinese first and English for integrators, without internal check ids. The full check
// list follows the summary in every output (text, JSON, HTTP).
// Thread-safety: reentrant.
#pragma once

#include <string>

#include "eseal/base/report.h"
#include "eseal/verify/ofd_verifier.h"

namespace eseal::verify {

struct Summary {
  std::string zh;
  std::string en;
};

// The verdict of one report and the reason that decides it (the first failed check, else
// the first indeterminate one), with the time basis when the report names one.
Summary Summarize(const Report& report);
// The same for a whole OFD: the document, then the first signature that is not PASSED.
Summary Summarize(const OfdVerification& v);

}  // namespace eseal::verify
