#include "eseal/base/report.h"

namespace eseal {

std::string_view CheckResultName(CheckResult r) {
  switch (r) {
    case CheckResult::kPass: return "pass";
    case CheckResult::kFail: return "fail";
    case CheckResult::kIndeterminate: return "indeterminate";
    case CheckResult::kWarning: return "warning";
    case CheckResult::kInfo: return "info";
    case CheckResult::kSkipped: return "skipped";
  }
  return "unknown";
}

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kPassed: return "PASSED";
    case Verdict::kFailed: return "FAILED";
    case Verdict::kIndeterminate: return "INDETERMINATE";
  }
  return "UNKNOWN";
}

Check& Report::Add(std::string id, CheckResult result, std::string detail) {
  checks_.push_back(Check{std::move(id), result, std::move(detail), {}});
  return checks_.back();
}

void Report::Merge(const Report& other, std::string_view prefix) {
  for (const Check& c : other.checks_) {
    checks_.push_back(c);
    if (!prefix.empty()) checks_.back().id.insert(0, prefix);
  }
}

Verdict Report::verdict() const {
  bool indeterminate = false;
  for (const Check& c : checks_) {
    if (c.result == CheckResult::kFail) return Verdict::kFailed;
    if (c.result == CheckResult::kIndeterminate) indeterminate = true;
  }
  return indeterminate ? Verdict::kIndeterminate : Verdict::kPassed;
}

const Check* Report::Find(std::string_view id) const {
  for (const Check& c : checks_) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

CheckResult Report::ResultOf(std::string_view id) const {
  const Check* c = Find(id);
  return c ? c->result : CheckResult::kSkipped;
}

std::vector<std::string> Report::FailedIds() const {
  std::vector<std::string> out;
  for (const Check& c : checks_) {
    if (c.result == CheckResult::kFail) out.push_back(c.id);
  }
  return out;
}

bool Report::Has(std::string_view id, CheckResult result) const {
  for (const Check& c : checks_) {
    if (c.id == id && c.result == result) return true;
  }
  return false;
}

}  // namespace eseal
