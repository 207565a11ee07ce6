// Report: a verdict is a report, not an error (DESIGN.md). Verification of a seal, a
// signature or a document records every check it made under a stable id
// ("ses.seal.maker_signature", "ofd.reference.digest", ...), never stopping at the first
// failure, and derives an overall verdict from them.
// Thread-safety: a value type; not safe for concurrent mutation.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eseal {

enum class CheckResult {
  kPass,           // the property holds
  kFail,           // the property does not hold: the verdict is FAILED
  kIndeterminate,  // could not be decided (no trust anchor, no revocation data, ...)
  kWarning,        // holds, with a remark (e.g. a named tolerance was applied)
  kInfo,           // a fact worth reporting (signing time, signer name, tolerance used)
  kSkipped,        // not applicable or not reachable because an earlier step failed
};

enum class Verdict { kPassed, kFailed, kIndeterminate };

std::string_view CheckResultName(CheckResult r);  // "pass", "fail", ...
std::string_view VerdictName(Verdict v);          // "PASSED", "FAILED", "INDETERMINATE"

struct Check {
  std::string id;      // stable, dotted: "<area>.<object>.<property>"
  CheckResult result;  //
  std::string detail;  // one human sentence
  std::vector<std::pair<std::string, std::string>> params;  // machine-readable facts
};

class Report {
 public:
  Check& Add(std::string id, CheckResult result, std::string detail = {});
  Check& Pass(std::string id, std::string detail = {}) {
    return Add(std::move(id), CheckResult::kPass, std::move(detail));
  }
  Check& Fail(std::string id, std::string detail) {
    return Add(std::move(id), CheckResult::kFail, std::move(detail));
  }
  Check& Indeterminate(std::string id, std::string detail) {
    return Add(std::move(id), CheckResult::kIndeterminate, std::move(detail));
  }
  Check& Warn(std::string id, std::string detail) {
    return Add(std::move(id), CheckResult::kWarning, std::move(detail));
  }
  Check& Info(std::string id, std::string detail) {
    return Add(std::move(id), CheckResult::kInfo, std::move(detail));
  }
  Check& Skip(std::string id, std::string detail) {
    return Add(std::move(id), CheckResult::kSkipped, std::move(detail));
  }

  // Appends all checks of `other`, with `prefix` put in front of each id (e.g. "signer."
  // turns "cert.chain.anchor" into "signer.cert.chain.anchor").
  void Merge(const Report& other, std::string_view prefix = {});

  // FAILED if any check failed; else INDETERMINATE if any is indeterminate; else PASSED.
  Verdict verdict() const;

  const std::vector<Check>& checks() const { return checks_; }
  // The first check with this id, or nullptr.
  const Check* Find(std::string_view id) const;
  // Result of the first check with this id; kSkipped when absent.
  CheckResult ResultOf(std::string_view id) const;
  // Ids of all failed checks, in order.
  std::vector<std::string> FailedIds() const;
  // True if some check with this id has this result.
  bool Has(std::string_view id, CheckResult result) const;

 private:
  std::vector<Check> checks_;
};

}  // namespace eseal
