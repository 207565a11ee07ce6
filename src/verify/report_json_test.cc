#include "eseal/verify/report_json.h"
#include "eseal/verify/summary.h"

#include <gtest/gtest.h>

namespace eseal::verify {
namespace {

TEST(ReportJsonTest, HasVerdictAndChecks) {
  Report r;
  r.Pass("ses.seal.maker_signature", "ok");
  r.Fail("ses.seal.valid_at_time", "expired").params = {{"time", "2026-01-01T00:00:00Z"}};
  std::string j = ReportToJson(r, -1);
  EXPECT_EQ(j,
            R"({"verdict":"FAILED","summary":{"zh":"验证失败（FAILED）：印章不在有效期内。",)"
            R"("en":"FAILED: the seal was outside its validity period."},)"
            R"("checks":[{"id":"ses.seal.maker_signature","result":"pass",)"
            R"("detail":"ok"},{"id":"ses.seal.valid_at_time","result":"fail","detail":"expired",)"
            R"("params":{"time":"2026-01-01T00:00:00Z"}}]})");
}

TEST(ReportJsonTest, InvalidUtf8IsReplacedNotThrown) {
  Report r;
  r.Info("x", std::string("\xff\xfe", 2));
  std::string j = ReportToJson(r, -1);
  EXPECT_NE(j.find("\"verdict\":\"PASSED\""), std::string::npos);
}

// The summary in Chinese then English, the checks that are not PASS, the verdict;
// --verbose lists every check.
TEST(ReportTextTest, SummaryThenChecksThatAreNotPassThenVerdict) {
  Report r;
  r.Pass("a", "fine");
  r.Info("b", "hidden");
  r.Indeterminate("signer.cert.chain.anchor", "no anchor");
  EXPECT_EQ(ReportToText(r),
            "无法判定（INDETERMINATE）：证书不能追溯到受信任的根证书。\n"
            "INDETERMINATE: a certificate does not chain to a trusted anchor.\n"
            "INDET  signer.cert.chain.anchor  no anchor\nverdict: INDETERMINATE\n");
  std::string all = ReportToText(r, true);
  EXPECT_NE(all.find("PASS   a  fine\nINFO   b  hidden\n"), std::string::npos) << all;
}

TEST(ReportSummaryTest, NamesTheDecidingCheckAndTheTimeBasis) {
  Report r;
  r.Info("time.validation", "judged").params = {{"time", "2026-12-01T00:00:00Z"},
                                                {"source", "verification_time"}};
  r.Indeterminate("signer.cert.revocation", "no CRL");
  r.Fail("ofd.reference.digest", "changed").params = {{"file", "/Doc_0/Document.xml"}};
  Summary s = Summarize(r);
  EXPECT_EQ(s.zh, "验证失败（FAILED）：受保护的文件在签章后被修改（/Doc_0/Document.xml）。"
                  "没有时间戳，按验证时间 2026-12-01T00:00:00Z 判定。");
  EXPECT_EQ(s.en, "FAILED: a protected file was changed after signing (/Doc_0/Document.xml); no "
                  "timestamp: judged at the time of verification, 2026-12-01T00:00:00Z.");
  Report ok;
  ok.Pass("x");
  EXPECT_EQ(Summarize(ok).en.rfind("PASSED: intact", 0), 0u);
  std::string j = ReportToJson(r, -1);
  EXPECT_NE(j.find("\"summary\":{\"zh\":\"验证失败"), std::string::npos) << j;
}

}  // namespace
}  // namespace eseal::verify
