#include "eseal/base/report.h"

#include <gtest/gtest.h>

namespace eseal {
namespace {

TEST(ReportTest, VerdictFollowsWorstCheck) {
  Report r;
  EXPECT_EQ(r.verdict(), Verdict::kPassed);
  r.Pass("a.b.c");
  r.Info("a.info", "fact");
  r.Warn("a.tolerance", "raw r||s accepted");
  EXPECT_EQ(r.verdict(), Verdict::kPassed);
  r.Indeterminate("cert.chain.anchor", "no anchor given");
  EXPECT_EQ(r.verdict(), Verdict::kIndeterminate);
  r.Fail("ofd.reference.digest", "Content.xml changed");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
  EXPECT_EQ(r.FailedIds(), std::vector<std::string>{"ofd.reference.digest"});
  EXPECT_EQ(r.ResultOf("a.b.c"), CheckResult::kPass);
  EXPECT_EQ(r.ResultOf("missing"), CheckResult::kSkipped);
  EXPECT_TRUE(r.Has("cert.chain.anchor", CheckResult::kIndeterminate));
  EXPECT_EQ(VerdictName(r.verdict()), "FAILED");
}

TEST(ReportTest, MergeKeepsOrder) {
  Report a, b;
  a.Pass("x");
  b.Fail("y", "bad");
  a.Merge(b);
  ASSERT_EQ(a.checks().size(), 2u);
  EXPECT_EQ(a.checks()[1].id, "y");
  a.Merge(b, "signer.");
  EXPECT_EQ(a.checks()[2].id, "signer.y");
}

}  // namespace
}  // namespace eseal
