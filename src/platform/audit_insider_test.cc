// An insider with the database but not the KEK: rewriting and re-chaining audit entries,
// removing the MAC marker, deleting the newest rows together with their checkpoint rows,
// or stopping checkpoints — each caught by VerifyAudit and named. The attacker's edits are
// plain SQL; its re-chaining uses a key of its own (it has no other).
#include <unistd.h>

#include <filesystem>

#include "eseal/crypto/random.h"
#include "eseal/crypto/sm3.h"
#include "platform_fixture.h"

namespace eseal::platform::testing {
namespace {

class AuditInsiderTest : public PlatformTest {
 protected:
  std::string ExportPath() {
    return (std::filesystem::temp_directory_path() /
            ("eseal-audit-export-" + std::to_string(::getpid()) + "-" + GetParam() + ".log"))
        .string();
  }
  // Rows after `seq`, oldest first: seq, prev_hash, hash.
  std::vector<std::vector<std::string>> Rows(int64_t after) {
    auto rows = store::QuerySqlForTest(url_, "SELECT seq, prev_hash, hash, at, actor, action, object_type, object_id, "
                                             "details_json FROM audit_log WHERE seq > " + std::to_string(after) +
                                             " ORDER BY seq");
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<std::vector<std::string>>{};
  }
  Platform::AuditVerification Verify() {
    auto v = P().VerifyAudit(op_);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : Platform::AuditVerification{};
  }
};

// The attacker edits entry `victim` and re-chains it and every later entry with a MAC of its
// own key (the same construction; the KEK-derived key is what it lacks), moving the head.
void RechainWithout(const std::string& url, std::vector<std::vector<std::string>> rows, size_t victim_index) {
  Bytes wrong_key(32, 0x5A);
  std::string prev = rows.front()[1];
  for (size_t i = 0; i < rows.size(); ++i) {
    auto& r = rows[i];
    if (i == victim_index) r[8] = R"({"edited":"by an insider"})";
    std::string canonical = "eseal-audit-v2\n";
    for (const std::string& f : {r[0], r[3], r[4], r[5], r[6], r[7], r[8], prev}) {
      canonical += std::to_string(f.size()) + ":" + f + "\n";
    }
    crypto::Sm3Digest mac = crypto::HmacSm3(wrong_key, AsBytes(canonical));
    std::string hash = "m2:" + HexEncode(ByteView(mac.data(), mac.size()));
    ASSERT_TRUE(store::ExecuteSqlForTest(url, "UPDATE audit_log SET details_json = '" + r[8] + "', prev_hash = '" + prev +
                                                  "', hash = '" + hash + "' WHERE seq = " + r[0])
                    .ok());
    prev = hash;
  }
  ASSERT_TRUE(store::ExecuteSqlForTest(url, "UPDATE audit_head SET hash = '" + prev + "' WHERE id = 1").ok());
}

TEST_P(AuditInsiderTest, EntriesAreChainedByAMacUnderTheKek) {
  Holder h = MakeHolder(1, "审计密钥测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  MakeSeal(admin, "contract");
  Platform::AuditVerification ok = Verify();
  ASSERT_TRUE(ok.ok) << ok.problem;
  EXPECT_EQ(ok.mac_entries, ok.entries);  // a platform made by this version MACs every entry
  auto rows = Rows(0);
  ASSERT_GT(rows.size(), 5u);
  EXPECT_EQ(rows[0][2].rfind("m2:", 0), 0u);

  RechainWithout(url_, rows, 3);
  Platform::AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  ASSERT_TRUE(v.first_broken_seq.has_value());
  EXPECT_EQ(*v.first_broken_seq, std::stoll(rows[0][0]));  // the first re-chained entry
  EXPECT_NE(v.problem.find("MAC under the KEK"), std::string::npos) << v.problem;
  // What the operator reads first: plain Chinese, the entry, and what to do next.
  EXPECT_EQ(v.problem.rfind("审计日志校验未通过：自第 " + rows[0][0] + " 条起", 0), 0u) << v.problem;
  EXPECT_NE(v.problem.find("保留现场"), std::string::npos);
}

TEST_P(AuditInsiderTest, TheMacMarkerCannotBeRemovedOrMoved) {
  MakeHolder(1, "标记测试有限公司");
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE settings SET value = '999:00' WHERE name = 'audit_mac_from'").ok());
  Platform::AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("was altered"), std::string::npos) << v.problem;
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "DELETE FROM settings WHERE name = 'audit_mac_from'").ok());
  v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("is missing"), std::string::npos) << v.problem;
}

TEST_P(AuditInsiderTest, DeletingTheNewestRowsAndTheirCheckpointIsCaughtByTheExport) {
  const std::string path = ExportPath();
  std::filesystem::remove(path);
  options_hook_ = [path](PlatformOptions& o) { o.audit_export_path = path; };
  Open();
  ASSERT_TRUE(std::filesystem::exists(path));  // made at open, before any checkpoint
  Holder h = MakeHolder(1, "外部留存测试有限公司");
  ASSERT_TRUE(P().CheckpointAudit().ok());
  int64_t kept = std::stoll(Rows(0).back()[0]);
  Caller admin = Account(Role::kHolderAdmin, h.id);
  MakeSeal(admin, "contract");
  ASSERT_TRUE(P().CheckpointAudit().ok());
  Platform::AuditVerification before = Verify();
  ASSERT_TRUE(before.ok) << before.problem;
  EXPECT_EQ(before.exported_checkpoints, 2);

  // The careful insider: the newest entries, their checkpoint, and the head, all consistent.
  auto keep_rows = store::QuerySqlForTest(url_, "SELECT hash FROM audit_log WHERE seq = " + std::to_string(kept));
  ASSERT_TRUE(keep_rows.ok() && !keep_rows->empty());
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "DELETE FROM audit_log WHERE seq > " + std::to_string(kept)).ok());
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "DELETE FROM audit_checkpoints WHERE seq > " + std::to_string(kept)).ok());
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE audit_head SET seq = " + std::to_string(kept) + ", hash = '" +
                                                 (*keep_rows)[0][0] + "' WHERE id = 1")
                  .ok());
  Platform::AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  ASSERT_TRUE(v.first_broken_seq.has_value());
  EXPECT_GT(*v.first_broken_seq, kept);
  EXPECT_NE(v.problem.find("written outside the database is missing"), std::string::npos) << v.problem;
  // Removing the file as well is no way out: it was made at start, so its absence is seen.
  std::filesystem::remove(path);
  v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("cannot be read"), std::string::npos) << v.problem;
}

// The same insider removes the file too and restarts the server, which makes a new, empty
// file: the chain records every file made, so the second one is seen for what it is.
TEST_P(AuditInsiderTest, AnExportFileRemovedAndMadeAgainByARestartIsCaught) {
  const std::string path = ExportPath();
  std::filesystem::remove(path);
  options_hook_ = [path](PlatformOptions& o) { o.audit_export_path = path; };
  Open();
  Holder h = MakeHolder(1, "重建留存文件测试有限公司");
  ASSERT_TRUE(P().CheckpointAudit().ok());
  int64_t kept = std::stoll(Rows(0).back()[0]);
  MakeSeal(Account(Role::kHolderAdmin, h.id), "contract");
  ASSERT_TRUE(P().CheckpointAudit().ok());
  Open();  // a restart with the file in place records nothing more
  ASSERT_TRUE(Verify().ok);

  auto keep_rows = store::QuerySqlForTest(url_, "SELECT hash FROM audit_log WHERE seq = " + std::to_string(kept));
  ASSERT_TRUE(keep_rows.ok() && !keep_rows->empty());
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "DELETE FROM audit_log WHERE seq > " + std::to_string(kept)).ok());
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "DELETE FROM audit_checkpoints WHERE seq > " + std::to_string(kept)).ok());
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE audit_head SET seq = " + std::to_string(kept) + ", hash = '" +
                                                 (*keep_rows)[0][0] + "' WHERE id = 1")
                  .ok());
  std::filesystem::remove(path);
  Open();  // the restart makes the file again
  ASSERT_TRUE(std::filesystem::exists(path));
  Platform::AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  ASSERT_TRUE(v.first_broken_seq.has_value());
  EXPECT_GT(*v.first_broken_seq, kept);
  EXPECT_NE(v.problem.find("was made again"), std::string::npos) << v.problem;
  std::filesystem::remove(path);
}

TEST_P(AuditInsiderTest, StoppedOrRemovedCheckpointsAreCaughtByTheInterval) {
  options_hook_ = [](PlatformOptions& o) { o.checkpoint_interval_seconds = 300; };
  Open();
  MakeHolder(1, "检查点间隔测试有限公司");
  ASSERT_TRUE(Verify().ok);  // recent entries: no checkpoint due yet
  clock_.Advance(std::chrono::hours(1));
  Platform::AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.problem.find("covered by no signed checkpoint"), std::string::npos) << v.problem;
  ASSERT_TRUE(P().CheckpointAudit().ok());
  EXPECT_TRUE(Verify().ok);
}

ESEAL_PLATFORM_BACKENDS(AuditInsiderTest);

}  // namespace
}  // namespace eseal::platform::testing
