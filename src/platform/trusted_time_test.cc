// Trusted time in the platform: every signature carries a token from the platform's TSA
// and the usage register keeps its serial and genTime; the public TSA logs and audits
// every token; an unsynchronised clock stops tokens and so signing; audit checkpoints are
// chained and timestamped, and an insider who removes, re-dates or strips one is caught.
#include <nlohmann/json.hpp>

#include "eseal/crypto/sm3.h"
#include "eseal/tsp/timestamp_request.h"
#include "eseal/tsp/timestamp_token.h"
#include "internal.h"
#include "platform_fixture.h"

namespace eseal::platform::testing {
namespace {

using TrustedTimeTest = PlatformTest;

// The params of check `id` in the first signature of a verification report.
std::map<std::string, std::string> CheckParams(const std::string& json, const std::string& id) {
  std::map<std::string, std::string> out;
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.contains("signatures") || j["signatures"].empty()) return out;
  for (const auto& c : j["signatures"][0]["checks"]) {
    if (c["id"] != id || !c.contains("params")) continue;
    for (auto it = c["params"].begin(); it != c["params"].end(); ++it) {
      if (it.value().is_string()) out[it.key()] = it.value().get<std::string>();
    }
  }
  return out;
}

PlatformImpl& Impl(Platform& p) { return static_cast<PlatformImpl&>(p); }

Result<TimestampTokenRecord> TokenLog(Platform& p, const std::string& serial) {
  std::optional<TimestampTokenRecord> r;
  RETURN_IF_ERROR(Impl(p).InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(r, tx.timestamp_tokens().Get(serial));
    return Status::Ok();
  }));
  return *r;
}

std::vector<AuditEntry> AuditOf(Platform& p, const Caller& op, std::string_view action) {
  std::vector<AuditEntry> out;
  auto all = p.ListAudit(op, 0, 1000);
  if (!all.ok()) return out;
  for (const AuditEntry& e : *all) {
    if (e.action == action) out.push_back(e);
  }
  return out;
}

TEST_P(TrustedTimeTest, EverySignatureCarriesATokenAndTheRegisterKeepsIt) {
  Holder h = MakeHolder(1, "时间戳测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  auto out = Sign(admin, seal, "correct horse");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // The register: the token's serial and genTime.
  ASSERT_FALSE(out->record.tsa_serial.empty());
  ASSERT_TRUE(out->record.tsa_gen_time.has_value());
  EXPECT_EQ(*out->record.tsa_gen_time, clock_.Now());
  auto listed = P().ListSignatures(admin, {}, Page{});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].tsa_serial, out->record.tsa_serial);
  EXPECT_EQ((*listed)[0].tsa_gen_time, out->record.tsa_gen_time);
  // The TSA's log has it, for a signature, and the audit entry names it.
  auto logged = TokenLog(P(), out->record.tsa_serial);
  ASSERT_TRUE(logged.ok()) << logged.status().ToString();
  EXPECT_EQ(logged->purpose, "signature");
  EXPECT_EQ(logged->gen_time, clock_.Now());
  EXPECT_EQ(logged->imprint_algorithm, "1.2.156.10197.1.401");
  auto signed_entries = AuditOf(P(), op_, "seal.signed");
  ASSERT_EQ(signed_entries.size(), 1u);
  EXPECT_NE(signed_entries[0].details_json.find(out->record.tsa_serial), std::string::npos);

  // The verifier judges the signature at the token's genTime, not at the register's time.
  auto v = P().VerifyOfd(out->document);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->verdict, Verdict::kPassed) << v->json;
  auto time = CheckParams(v->json, "time.validation");
  EXPECT_EQ(time["source"], "timestamp") << v->json;
  EXPECT_EQ(time["proven"], "true");

  // Three years on (seal and signer certificate long expired, the seal revoked), still PASSED
  // from the token (the TSA's certificate lives five years).
  ASSERT_TRUE(P().Revoke(admin, seal.id, "企业注销").ok());
  clock_.Advance(std::chrono::days(3 * 365));
  auto later = P().VerifyOfd(out->document);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->verdict, Verdict::kPassed) << later->json;
  EXPECT_EQ(CheckParams(later->json, "time.validation")["source"], "timestamp");
}

TEST_P(TrustedTimeTest, AnUnsynchronisedClockStopsTokensAndSigning) {
  Holder h = MakeHolder(1, "时钟测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  options_hook_ = [](PlatformOptions& o) {
    o.accept_unsynchronised_clock = false;
    o.clock_sync = [] { return ClockSync{false, "unsynchronised (test)"}; };
  };
  Open();
  Platform::TimeStatus st = P().TimeState();
  EXPECT_FALSE(st.clock_synchronised);
  EXPECT_FALSE(st.issuing);
  EXPECT_FALSE(st.external_tsa);

  auto out = Sign(admin, seal, "correct horse");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(out.status().message().find("服务器时钟未与标准时间同步"), std::string::npos) << out.status().message();
  auto reg = P().ListSignatures(admin, {}, Page{});
  ASSERT_TRUE(reg.ok());
  EXPECT_TRUE(reg->empty());  // nothing signed, nothing recorded

  tsp::TimestampRequest req;
  req.hash_algorithm = asn1::oids::Sm3();
  req.hashed_message = crypto::Sm3Bytes(AsBytes("contract"));
  req.cert_req = true;
  auto reply = P().Timestamp(tsp::EncodeTimestampRequest(req), "addr:192.0.2.1");
  ASSERT_TRUE(reply.ok());
  auto parsed = tsp::ParseTimestampResponse(*reply);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->status, 2);
  EXPECT_TRUE(parsed->HasFailInfo(tsp::FailInfo::kTimeNotAvailable));
  EXPECT_FALSE(parsed->token.has_value());

  // The same clock, accepted explicitly: tokens again, and /healthz-style state says so.
  options_hook_ = [](PlatformOptions& o) {
    o.accept_unsynchronised_clock = true;
    o.clock_sync = [] { return ClockSync{false, "unsynchronised (test)"}; };
  };
  Open();
  st = P().TimeState();
  EXPECT_FALSE(st.clock_synchronised);
  EXPECT_TRUE(st.unsynchronised_accepted);
  EXPECT_TRUE(st.issuing);
  ASSERT_TRUE(Sign(admin, seal, "correct horse").ok());
}

TEST_P(TrustedTimeTest, ThePublicTsaLogsAndAuditsEveryTokenAndRejectsBadRequests) {
  tsp::TimestampRequest req;
  req.hash_algorithm = asn1::oids::Sm3();
  req.hashed_message = crypto::Sm3Bytes(AsBytes("a contract"));
  req.nonce = Bytes{0x12, 0x34, 0x56, 0x78};
  req.cert_req = true;
  auto reply = P().Timestamp(tsp::EncodeTimestampRequest(req), "addr:192.0.2.7");
  ASSERT_TRUE(reply.ok());
  auto parsed = tsp::ParseTimestampResponse(*reply);
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE(parsed->granted());
  ASSERT_TRUE(parsed->token.has_value());

  // The token verifies under the platform's TSA certificate (the one in the trust bundle).
  tsp::TimestampVerifyOptions o;
  o.tsa_anchors.Add(Impl(P()).Tsa()->keyed.cert, "platform TSA");
  o.check_revocation = false;
  o.expected_imprint = req.hashed_message;
  tsp::TimestampVerification tv = tsp::VerifyTimestampToken(*parsed->token, {}, o);
  EXPECT_EQ(tv.report.verdict(), Verdict::kPassed);
  auto bundle = P().TrustBundlePem();
  ASSERT_TRUE(bundle.ok());
  EXPECT_NE(bundle->find(Impl(P()).Tsa()->keyed.cert.ToPem()), std::string::npos);

  auto token = tsp::ParseTimestampToken(*parsed->token);
  ASSERT_TRUE(token.ok());
  std::string serial = HexEncode(token->info.serial);
  auto logged = TokenLog(P(), serial);
  ASSERT_TRUE(logged.ok()) << logged.status().ToString();
  EXPECT_EQ(logged->purpose, "api");
  EXPECT_EQ(logged->requester, "addr:192.0.2.7");
  EXPECT_EQ(logged->imprint_hex, HexEncode(req.hashed_message));
  auto issued = AuditOf(P(), op_, "tsa.token_issued");
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_EQ(issued[0].object_id, serial);
  EXPECT_NE(issued[0].details_json.find("addr:192.0.2.7"), std::string::npos);

  // Garbage, truncated and wrong-version requests: rejections, nothing logged or audited.
  Bytes good = tsp::EncodeTimestampRequest(req);
  Bytes truncated(good.begin(), good.end() - 3);
  Bytes v2 = good;
  for (size_t i = 0; i + 2 < v2.size(); ++i) {
    if (v2[i] == 0x02 && v2[i + 1] == 0x01 && v2[i + 2] == 0x01) {  // version INTEGER 1
      v2[i + 2] = 0x02;
      break;
    }
  }
  const std::pair<Bytes, tsp::FailInfo> bad[] = {{ToBytes("not DER at all"), tsp::FailInfo::kBadDataFormat},
                                                 {truncated, tsp::FailInfo::kBadDataFormat},
                                                 {v2, tsp::FailInfo::kBadRequest},
                                                 {Bytes(9000, 0x30), tsp::FailInfo::kBadDataFormat}};
  for (const auto& [body, fail] : bad) {
    auto r = P().Timestamp(body, "addr:192.0.2.8");
    ASSERT_TRUE(r.ok());
    auto p = tsp::ParseTimestampResponse(*r);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->status, 2);
    EXPECT_TRUE(p->HasFailInfo(fail)) << tsp::FailInfoName(fail);
    EXPECT_FALSE(p->token.has_value());
  }
  EXPECT_EQ(AuditOf(P(), op_, "tsa.token_issued").size(), 1u);
  int64_t rows = 0;
  ASSERT_TRUE(Impl(P()).InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(rows, tx.timestamp_tokens().Count());
    return Status::Ok();
  }).ok());
  EXPECT_EQ(rows, 1);
}

class CheckpointTest : public PlatformTest {
 protected:
  // Two chained, timestamped checkpoints with entries between them.
  void TwoCheckpoints() {
    Holder h = MakeHolder(1, "检查点测试有限公司");
    Caller admin = Account(Role::kHolderAdmin, h.id);
    MakeSeal(admin, "contract");
    ASSERT_TRUE(P().CheckpointAudit().ok());
    clock_.Advance(std::chrono::minutes(5));
    MakeHolder(2, "第二家测试有限公司");
    ASSERT_TRUE(P().CheckpointAudit().ok());
    auto v = P().VerifyAudit(op_);
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(v->ok) << v->problem;
    ASSERT_EQ(v->checkpoints, 2);
    ASSERT_EQ(v->timestamped_checkpoints, 2);
    auto rows = store::QuerySqlForTest(url_, "SELECT seq FROM audit_checkpoints ORDER BY seq");
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 2u);
    first_ = (*rows)[0][0];
    second_ = (*rows)[1][0];
  }
  Platform::AuditVerification Verify() {
    auto v = P().VerifyAudit(op_);
    EXPECT_TRUE(v.ok());
    return v.ok() ? *v : Platform::AuditVerification{};
  }
  std::string first_, second_;
};

TEST_P(CheckpointTest, RemovingACheckpointBreaksTheChain) {
  TwoCheckpoints();
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "DELETE FROM audit_checkpoints WHERE seq = " + first_).ok());
  auto v = Verify();
  EXPECT_FALSE(v.ok);
  ASSERT_TRUE(v.first_broken_seq.has_value());
  EXPECT_EQ(std::to_string(*v.first_broken_seq), second_);
  EXPECT_NE(v.problem.find("does not chain"), std::string::npos) << v.problem;
}

TEST_P(CheckpointTest, ReDatingACheckpointIsCaughtByItsTimestamp) {
  TwoCheckpoints();
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE audit_checkpoints SET at = at - 86400 WHERE seq = " + second_).ok());
  auto v = Verify();
  EXPECT_FALSE(v.ok);
  ASSERT_TRUE(v.first_broken_seq.has_value());
  EXPECT_EQ(std::to_string(*v.first_broken_seq), second_);
  EXPECT_NE(v.problem.find("re-dated"), std::string::npos) << v.problem;
}

TEST_P(CheckpointTest, StrippingTheTokenIsCaught) {
  TwoCheckpoints();
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE audit_checkpoints SET token = NULL WHERE seq = " + second_).ok());
  auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("its timestamp was removed"), std::string::npos) << v.problem;
}

TEST_P(CheckpointTest, SwappingInAnotherCheckpointsTokenIsCaught) {
  TwoCheckpoints();
  // The first checkpoint's genuine token on the second: it covers other bytes.
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE audit_checkpoints SET token = (SELECT token FROM audit_checkpoints "
                                             "WHERE seq = " + first_ + ") WHERE seq = " + second_).ok());
  auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("does not verify"), std::string::npos) << v.problem;
}

TEST_P(CheckpointTest, ACheckpointWhileTheTsaCannotIssueSaysSoInWhatItSigns) {
  MakeHolder(1, "无时间戳检查点有限公司");
  options_hook_ = [](PlatformOptions& o) {
    o.accept_unsynchronised_clock = false;
    o.clock_sync = [] { return ClockSync{false, "unsynchronised (test)"}; };
  };
  Open();
  ASSERT_TRUE(P().CheckpointAudit().ok());
  auto v = Verify();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.checkpoints, 1);
  EXPECT_EQ(v.timestamped_checkpoints, 0);
}

ESEAL_PLATFORM_BACKENDS(TrustedTimeTest);
ESEAL_PLATFORM_BACKENDS(CheckpointTest);

}  // namespace
}  // namespace eseal::platform::testing
