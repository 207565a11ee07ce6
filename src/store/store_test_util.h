// Shared pieces of the store contract tests: the parameterised fixture (one fresh database
// per test, SQLite file or PostgreSQL database on the fixture server), sample records with
// every field set, and Dump() for comparing records field by field.
// Thread-safety: test code; the fixture is used by its test's thread (and threads it joins).
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "eseal/platform/model.h"
#include "eseal/platform/repository.h"
#include "eseal/store/store.h"
#include "eseal/store/testing.h"

#define ESEAL_STATUS_OF(expr) ::eseal::internal::AsStatus((expr))
#define ASSERT_OK(expr)                                \
  do {                                                 \
    ::eseal::Status eseal_s_ = ESEAL_STATUS_OF(expr);  \
    ASSERT_TRUE(eseal_s_.ok()) << eseal_s_.ToString(); \
  } while (0)
#define EXPECT_OK(expr)                                \
  do {                                                 \
    ::eseal::Status eseal_s_ = ESEAL_STATUS_OF(expr);  \
    EXPECT_TRUE(eseal_s_.ok()) << eseal_s_.ToString(); \
  } while (0)
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  ESEAL_ASSERT_OK_AND_ASSIGN_IMPL(ESEAL_CONCAT(eseal_r_, __LINE__), lhs, rexpr)
#define ESEAL_ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                    \
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();      \
  lhs = std::move(tmp).value()
#define EXPECT_CODE(expr, want)                                                   \
  do {                                                                            \
    ::eseal::Status eseal_s_ = ESEAL_STATUS_OF(expr);                             \
    EXPECT_EQ(eseal_s_.code(), ::eseal::StatusCode::want) << eseal_s_.ToString(); \
  } while (0)

namespace eseal::store::test {

using namespace platform;  // NOLINT(google-build-using-namespace): test brevity

// A fresh, empty, migrated database per test. GetParam() is "sqlite" or "postgresql".
// When the PostgreSQL fixture server is missing, SetUp fails (never skips).
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  bool is_pg() const { return GetParam() == "postgresql"; }
  // Another Store on the same database (as another process would open it).
  Result<std::unique_ptr<Store>> OpenAnother(const StoreOptions& options = {});
  // Closes store_ and opens it again.
  void Reopen();
  std::unique_ptr<Tx> Begin();

  // Seeds holder "h1" (and its area) with everything a seal needs; returns nothing.
  void SeedHolder(const std::string& id = "h1");
  // Seeds holder h1 and seal "s1" of it.
  void SeedSeal(const std::string& seal_id = "s1", const std::string& holder_id = "h1");
  void SeedAccount(const std::string& id, const std::string& holder_id = "h1");

  std::string url_;
  std::string sqlite_path_;
  std::unique_ptr<Store> store_;
};

// Sample records with every field set to a non-default value (Chinese text, non-empty
// blobs, optional times present). `n` varies ids and unique keys.
Time T(int64_t unix_seconds);
Holder SampleHolder(const std::string& id, int n = 1);
Account SampleAccount(const std::string& id, const std::string& holder_id);
Client SampleClient(const std::string& id, const std::string& holder_id);
Seal SampleSeal(const std::string& id, const std::string& holder_id);
Application SampleApplication(const std::string& id, const std::string& holder_id);
UsageRequest SampleUsageRequest(const std::string& id, const std::string& seal_id);
SignatureRecord SampleSignature(const std::string& id, const std::string& seal_id,
                                const std::string& holder_id);
TrustAnchorRecord SampleAnchor(const std::string& id);
ArchiveEntry SampleArchive(const std::string& id, const std::string& holder_id);
AuditEntry SampleAudit(int64_t seq, const std::string& prev_hash);

// Every field of a record as text, for EXPECT_EQ(Dump(a), Dump(b)).
std::string Dump(const Holder& v);
std::string Dump(const Area& v);
std::string Dump(const Impression& v);
std::string Dump(const Account& v);
std::string Dump(const Credential& v);
std::string Dump(const Client& v);
std::string Dump(const VendorAuthorisation& v);
std::string Dump(const SealGrant& v);
std::string Dump(const Application& v);
std::string Dump(const Seal& v);
std::string Dump(const SealEvent& v);
std::string Dump(const IssuedCertificate& v);
std::string Dump(const PlatformKey& v);
std::string Dump(const SignatureRecord& v);
std::string Dump(const UsageRequest& v);
std::string Dump(const TrustAnchorRecord& v);
std::string Dump(const FilingRecord& v);
std::string Dump(const FilingBatch& v);
std::string Dump(const ArchiveEntry& v);
std::string Dump(const AuditEntry& v);
std::string Dump(const AuditCheckpoint& v);

template <typename T>
std::string Dump(const std::vector<T>& list) {
  std::string out = "[";
  for (const T& v : list) out += Dump(v) + "\n";
  return out + "]";
}

// Ids of a list, in order.
template <typename T>
std::vector<std::string> Ids(const std::vector<T>& list) {
  std::vector<std::string> out;
  for (const T& v : list) out.push_back(v.id);
  return out;
}

}  // namespace eseal::store::test
