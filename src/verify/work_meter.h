// WorkMeter: how much one verification has spent, against verify::Budget (policy.h).
// Counted, not timed: SM2 verifications (crypto::Sm2VerifyCount), package XML parses
// (ofd::XmlParseCount) and bytes hashed with SM3 (crypto::Sm3ByteCount) are read as the
// difference of the calling thread's counters since the meter was made; certificate path
// search steps and report checks are added by the code that does them. Once any budget is
// used up, Exhausted() stays true and the verifier ends in INDETERMINATE with the
// document-level check "verify.budget" (AddBudgetCheck), instead of working on.
//
// The counters are thread-local: make the meter on the thread that verifies, and do not
// hand the verification to other threads while it is in use.
// Thread-safety: none; one meter per verification.
#pragma once

#include <cstdint>
#include <string>

#include "eseal/base/report.h"
#include "eseal/verify/policy.h"

namespace eseal::verify::internal {

class WorkMeter {
 public:
  explicit WorkMeter(const Budget& budget);

  void AddPathNodes(uint64_t n) { path_nodes_ += n; }
  void AddChecks(uint64_t n) { checks_ += n; }

  // Work done since the meter was made.
  uint64_t sm2_verifications() const;
  uint64_t xml_parses() const;
  uint64_t bytes_hashed() const;
  uint64_t path_nodes() const { return path_nodes_; }
  uint64_t checks() const { return checks_; }

  // True once any budget is exceeded; the first one found is remembered (ExhaustedBudget).
  bool Exhausted();
  // Which budget ran out: "sm2_verifications", "xml_parses", "bytes_hashed", "path_nodes",
  // "report_checks"; "" while none has.
  const std::string& ExhaustedBudget() const { return exhausted_; }
  // "1 SM2 verifications of 4000, 12 XML parses of 4096, ..." — for logs and reports.
  std::string Description() const;
  // INDETERMINATE "verify.budget" with params budget (which), limit, used and the counts.
  Check& AddBudgetCheck(Report& report) const;

  const Budget& budget() const { return budget_; }

 private:
  Budget budget_;
  uint64_t sm2_start_;
  uint64_t xml_start_;
  uint64_t hashed_start_;
  uint64_t path_nodes_ = 0;
  uint64_t checks_ = 0;
  std::string exhausted_;
};

}  // namespace eseal::verify::internal
