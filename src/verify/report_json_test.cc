#include "eseal/verify/report_json.h"

#include <gtest/gtest.h>

namespace eseal::verify {
namespace {

TEST(ReportJsonTest, HasVerdictAndChecks) {
  Report r;
  r.Pass("ses.seal.maker_signature", "ok");
  r.Fail("ses.seal.valid_at_time", "expired").params = {{"time", "2026-01-01T00:00:00Z"}};
  std::string j = ReportToJson(r, -1);
  EXPECT_EQ(j,
            R"({"verdict":"FAILED","checks":[{"id":"ses.seal.maker_signature","result":"pass",)"
            R"("detail":"ok"},{"id":"ses.seal.valid_at_time","result":"fail","detail":"expired",)"
            R"("params":{"time":"2026-01-01T00:00:00Z"}}]})");
}

TEST(ReportJsonTest, InvalidUtf8IsReplacedNotThrown) {
  Report r;
  r.Info("x", std::string("\xff\xfe", 2));
  std::string j = ReportToJson(r, -1);
  EXPECT_NE(j.find("\"verdict\":\"PASSED\""), std::string::npos);
}

TEST(ReportTextTest, OneLinePerCheckThenVerdict) {
  Report r;
  r.Pass("a", "fine");
  r.Info("b", "hidden");
  r.Indeterminate("c", "no anchor");
  EXPECT_EQ(ReportToText(r), "PASS   a  fine\nINDET  c  no anchor\nverdict: INDETERMINATE\n");
}

}  // namespace
}  // namespace eseal::verify
