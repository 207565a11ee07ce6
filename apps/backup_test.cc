// `eseal backup` while the store is being written: each copy opens, passes integrity_check,
// holds whole transactions only (every holder's audit entry is there, the chain links to
// its head), opens as a store of the same schema; an existing file is never replaced; a
// PostgreSQL store is refused with the way to back it up; a damaged copy fails --check.
#include "backup.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <sstream>
#include <thread>

#include "eseal/store/store.h"
#include "eseal/store/testing.h"

namespace eseal::apps {
namespace {

namespace fs = std::filesystem;
using platform::AuditEntry;
using platform::Holder;

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("eseal-backup-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    url_ = "sqlite:" + (dir_ / "eseal.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // One transaction: a holder and the audit entry that records it, chained to the head.
  static Status WriteOne(platform::Store& st, int n) {
    ASSIGN_OR_RETURN(auto tx, st.Begin());
    Holder h;
    h.id = "hol_" + std::to_string(n);
    h.name = "广西示例科技有限公司" + std::to_string(n);
    h.legal_rep = "韦志强";
    h.area_code = "450103";
    RETURN_IF_ERROR(tx->holders().Insert(h));
    ASSIGN_OR_RETURN(AuditEntry head, tx->audit().LockHead());
    AuditEntry e;
    e.seq = head.seq + 1;
    e.actor = "system";
    e.action = "holder.created";
    e.object_type = "holder";
    e.object_id = h.id;
    e.details_json = "{}";
    e.prev_hash = head.hash;
    e.hash = "h" + std::to_string(e.seq);
    RETURN_IF_ERROR(tx->audit().Insert(e));
    return tx->Commit();
  }

  int Backup(const std::vector<std::string>& args, std::string* out_text = nullptr) {
    std::ostringstream out, err;
    int code = RunBackup(args, out, err);
    if (out_text) *out_text = out.str() + err.str();
    return code;
  }

  fs::path dir_;
  std::string url_;
};

TEST_F(BackupTest, CopiesWhileWritesGoOnAndTheCopiesVerify) {
  auto store = store::OpenStore(url_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int n = 1; !stop.load(); ++n) {
      Status st = WriteOne(**store, n);
      if (!st.ok()) {
        ADD_FAILURE() << st.ToString();
        return;
      }
      written.store(n);
    }
  });
  auto wait_for = [&](int n) {
    for (int i = 0; i < 2000 && written.load() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  };
  std::vector<std::string> copies;
  for (int k = 0; k < 3; ++k) {
    wait_for(50 * (k + 1));
    std::string to = (dir_ / ("copy" + std::to_string(k) + ".db")).string();
    std::string text;
    EXPECT_EQ(Backup({"--db", url_, "--to", to}, &text), 0) << text;
    EXPECT_NE(text.find("integrity_check ok"), std::string::npos) << text;
    copies.push_back(to);
  }
  stop.store(true);
  writer.join();
  int total = written.load();
  ASSERT_GT(total, 150);

  for (const std::string& c : copies) {
    auto r = CheckSqliteBackup(c);
    ASSERT_TRUE(r.ok()) << c << ": " << r.status().ToString();
    // Whole transactions only: as many holders as audit entries, the head at the last.
    EXPECT_EQ(r->rows["holders"], r->rows["audit_log"]);
    EXPECT_EQ(r->audit_head, r->rows["audit_log"]);
    EXPECT_GE(r->rows["holders"], 50);
    EXPECT_LE(r->rows["holders"], total);
    // A single file (no -wal beside it), private, and a store of the same schema.
    EXPECT_FALSE(fs::exists(c + "-wal"));
    EXPECT_EQ(fs::status(c).permissions() & fs::perms::group_all, fs::perms::none);
    auto copy = store::OpenStore("sqlite:" + c);
    ASSERT_TRUE(copy.ok()) << copy.status().ToString();
    EXPECT_EQ(*(*copy)->SchemaVersion(), *(*store)->SchemaVersion());
    auto tx = (*copy)->BeginRead();
    ASSERT_TRUE(tx.ok());
    auto entries = (*tx)->audit().List(0, 1000);
    ASSERT_TRUE(entries.ok());
    for (size_t i = 1; i < entries->size(); ++i) EXPECT_EQ((*entries)[i].prev_hash, (*entries)[i - 1].hash);
  }
  EXPECT_LE(CheckSqliteBackup(copies[0])->rows["holders"], CheckSqliteBackup(copies[2])->rows["holders"]);
  EXPECT_EQ(Backup({"--check", copies[1]}), 0);
}

TEST_F(BackupTest, NeverOverwritesAndRefusesPostgres) {
  {
    auto store = store::OpenStore(url_);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(WriteOne(**store, 1).ok());
  }
  std::string to = (dir_ / "copy.db").string();
  ASSERT_EQ(Backup({"--data", dir_.string(), "--to", to}), 0);
  auto size = fs::file_size(to);
  auto mtime = fs::last_write_time(to);
  std::string text;
  EXPECT_EQ(Backup({"--data", dir_.string(), "--to", to}, &text), 4);
  EXPECT_NE(text.find("already exists"), std::string::npos) << text;
  EXPECT_EQ(fs::file_size(to), size);
  EXPECT_EQ(fs::last_write_time(to), mtime);
  // No temporary file is left behind.
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir_)) files += e.path().filename().string().find(".tmp-") != std::string::npos;
  EXPECT_EQ(files, 0);

  EXPECT_EQ(Backup({"--db", "postgresql://eseal@127.0.0.1:1/eseal", "--to", (dir_ / "pg.db").string()}, &text), 4);
  EXPECT_NE(text.find("pg_dump"), std::string::npos) << text;
  EXPECT_EQ(Backup({"--to", to, "--check", to}), 2);
}

TEST_F(BackupTest, CheckFindsADamagedCopy) {
  {
    auto store = store::OpenStore(url_);
    ASSERT_TRUE(store.ok());
    for (int n = 1; n <= 5; ++n) ASSERT_TRUE(WriteOne(**store, n).ok());
  }
  std::string to = (dir_ / "copy.db").string();
  ASSERT_EQ(Backup({"--db", url_, "--to", to}), 0);
  ASSERT_TRUE(store::ExecuteSqlForTest("sqlite:" + to, "DELETE FROM audit_log WHERE seq = 3").ok());
  std::string text;
  EXPECT_EQ(Backup({"--check", to}, &text), 5);
  EXPECT_NE(text.find("audit"), std::string::npos) << text;
}

}  // namespace
}  // namespace eseal::apps
