#include "store_test_util.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>

namespace eseal::store::test {

// ---- databases ---------------------------------------------------------------------------

void StoreTest::SetUp() {
  ASSERT_OK_AND_ASSIGN(url_, CreateTestDatabase(GetParam(), &sqlite_path_));
  ASSERT_OK_AND_ASSIGN(store_, OpenStore(url_));
  ASSERT_EQ(store_->backend(), GetParam());
}

void StoreTest::TearDown() {
  store_.reset();
  RemoveTestDatabase(url_, sqlite_path_);
}

Result<std::unique_ptr<Store>> StoreTest::OpenAnother(const StoreOptions& options) {
  return OpenStore(url_, options);
}

void StoreTest::Reopen() {
  store_.reset();
  ASSERT_OK_AND_ASSIGN(store_, OpenStore(url_));
}

std::unique_ptr<Tx> StoreTest::Begin() {
  Result<std::unique_ptr<Tx>> tx = store_->Begin();
  EXPECT_TRUE(tx.ok()) << tx.status().ToString();
  return tx.ok() ? std::move(tx).value() : nullptr;
}

void StoreTest::SeedHolder(const std::string& id) {
  auto tx = Begin();
  ASSERT_NE(tx, nullptr);
  static int n = 100;
  ASSERT_OK(tx->holders().Insert(SampleHolder(id, ++n)));
  ASSERT_OK(tx->Commit());
}

void StoreTest::SeedSeal(const std::string& seal_id, const std::string& holder_id) {
  auto tx = Begin();
  ASSERT_NE(tx, nullptr);
  if (!tx->holders().Get(holder_id).ok()) {
    static int n = 200;
    ASSERT_OK(tx->holders().Insert(SampleHolder(holder_id, ++n)));
  }
  ASSERT_OK(tx->seals().Insert(SampleSeal(seal_id, holder_id)));
  ASSERT_OK(tx->Commit());
}

void StoreTest::SeedAccount(const std::string& id, const std::string& holder_id) {
  auto tx = Begin();
  ASSERT_NE(tx, nullptr);
  ASSERT_OK(tx->accounts().Insert(SampleAccount(id, holder_id)));
  ASSERT_OK(tx->Commit());
}

// ---- sample records ------------------------------------------------------------------------

Time T(int64_t unix_seconds) { return TimeFromUnix(unix_seconds); }

Holder SampleHolder(const std::string& id, int n) {
  Holder h;
  h.id = id;
  h.kind = HolderKind::kDepartment;
  char uscc[32];
  std::snprintf(uscc, sizeof uscc, "11330100MB%08d", n);
  h.uscc = uscc;
  h.name = "杭州市数据资源管理局" + std::to_string(n);
  h.legal_rep = "张三";
  h.status = HolderStatus::kAbnormal;
  h.area_code = "330100";
  h.created_at = T(1700000000);
  h.updated_at = T(1700000100);
  return h;
}

Account SampleAccount(const std::string& id, const std::string& holder_id) {
  Account a;
  a.id = id;
  a.name = "李四";
  a.role = Role::kHolderAdmin;
  a.holder_id = holder_id;
  a.area_code = "330106";
  a.disabled = true;
  a.created_at = T(1700000200);
  return a;
}

Client SampleClient(const std::string& id, const std::string& holder_id) {
  Client c;
  c.id = id;
  c.name = "电子合同平台";
  c.type = ClientType::kEnterprise;
  c.scenario = "合同签署";
  c.contact = "王五 13800000000";
  c.holder_id = holder_id;
  c.status = ClientStatus::kSuspended;
  c.rate_limit_per_minute = 42;
  c.decision_reason = "资料齐全";
  c.created_at = T(1700000300);
  c.updated_at = T(1700000400);
  return c;
}

Seal SampleSeal(const std::string& id, const std::string& holder_id) {
  Seal s;
  s.id = id;
  s.esid = "3301000000" + id;
  s.holder_id = holder_id;
  s.kind = "contract";
  s.copy_no = 2;
  s.name = "杭州某某科技有限公司合同专用章";
  s.origin = SealOrigin::kPlatform;
  s.status = SealStatus::kSuspended;
  s.valid_from = T(1700000000);
  s.valid_to = T(1800000000);
  s.seal_der = {0x30, 0x82, 0x00, 0x01, 0xff};
  s.image_png = {0x89, 'P', 'N', 'G', 0x00, 0x0d};
  s.signer_cert_der = {0x30, 0x03, 0x02, 0x01, 0x00};
  s.cert_serial_hex = "0a1b2c";
  s.protected_key = {0x00, 0x00, 0x01, 0x02};
  s.kek_id = "kek-1";
  s.failed_attempts = 3;
  s.locked = true;
  s.requires_approval = true;
  s.created_at = T(1700000500);
  s.updated_at = T(1700000600);
  return s;
}

Application SampleApplication(const std::string& id, const std::string& holder_id) {
  Application a;
  a.id = id;
  a.holder_id = holder_id;
  a.type = ApplicationType::kChange;
  a.seal_kind = "legal-name";
  a.seal_name = "杭州某某科技有限公司";
  a.reason = "名称变更";
  a.protected_key = {1, 2, 3, 0, 4};
  a.public_key_spki = {0x30, 0x59};
  a.status = ApplicationStatus::kApproved;
  a.next_level = 2;
  ReviewStep r1;
  r1.level = 3;
  r1.area_code = "330106";
  r1.reviewer_id = "rev-county";
  r1.approved = true;
  r1.reason = "同意";
  r1.decided_at = T(1700000700);
  ReviewStep r2;
  r2.level = 2;
  r2.area_code = "330100";
  r2.reviewer_id = "rev-city";
  r2.approved = false;
  r2.reason = "材料不全";
  r2.decided_at = T(1700000800);
  a.reviews = {r1, r2};
  a.submitted_by = "acct-1";
  a.created_at = T(1700000900);
  a.updated_at = T(1700001000);
  return a;
}

UsageRequest SampleUsageRequest(const std::string& id, const std::string& seal_id) {
  UsageRequest r;
  r.id = id;
  r.seal_id = seal_id;
  r.requester_id = "acct-user";
  r.document_hash = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0";
  r.purpose = "签订采购合同";
  r.status = UsageRequestStatus::kApproved;
  r.approver_id = "acct-admin";
  r.decision_reason = "同意用章";
  r.window_start = T(1700001100);
  r.window_end = T(1700001200);
  r.signature_id = "sig-9";
  r.created_at = T(1700001300);
  return r;
}

SignatureRecord SampleSignature(const std::string& id, const std::string& seal_id,
                                const std::string& holder_id) {
  SignatureRecord s;
  s.id = id;
  s.seal_id = seal_id;
  s.holder_id = holder_id;
  s.actor_id = "acct-user";
  s.client_id = "client-1";
  s.document_hash = "aa" + id;
  s.signed_hash = "bb" + id;
  s.document_name = "采购合同.ofd";
  s.format = "ofd";
  s.request_id = "req-1";
  s.signed_at = T(1700001400);
  return s;
}

TrustAnchorRecord SampleAnchor(const std::string& id) {
  TrustAnchorRecord a;
  a.id = id;
  a.system_name = "浙江省电子印章系统";
  a.kind = AnchorKind::kMakerCertificate;
  a.cert_der = {0x30, 0x82, 0x01};
  a.crl_url = "http://ca.example/crl";
  a.status_url = "http://seal.example/status";
  a.active = false;
  a.created_at = T(1700001500);
  a.roles = kAnchorSealMaker;
  return a;
}

ArchiveEntry SampleArchive(const std::string& id, const std::string& holder_id) {
  ArchiveEntry e;
  e.id = id;
  e.holder_id = holder_id;
  e.document_hash = "cc" + id;
  e.document = {'P', 'K', 3, 4, 0, 0};
  e.report_json = R"({"verdict":"PASSED","说明":"通过"})";
  e.evidence = {'{', '}'};
  e.entry_hash = "dd" + id;
  e.platform_signature = {0x30, 0x44, 0x02};
  e.created_at = T(1700001600);
  return e;
}

AuditEntry SampleAudit(int64_t seq, const std::string& prev_hash) {
  AuditEntry e;
  e.seq = seq;
  e.at = T(1700002000 + seq);
  e.actor = "acct-1";
  e.action = "seal.sign";
  e.object_type = "seal";
  e.object_id = "s1";
  e.details_json = R"({"document":"合同.ofd","n":)" + std::to_string(seq) + "}";
  e.prev_hash = prev_hash;
  e.hash = "h" + std::to_string(seq) + "-" + prev_hash.substr(0, 8);
  return e;
}

// ---- Dump ----------------------------------------------------------------------------------

namespace {

class D {
 public:
  D& operator()(const char* k, std::string_view v) {
    out_ += std::string(k) + "=" + std::string(v) + ";";
    return *this;
  }
  D& operator()(const char* k, const std::string& v) { return (*this)(k, std::string_view(v)); }
  D& operator()(const char* k, const char* v) { return (*this)(k, std::string_view(v)); }
  D& operator()(const char* k, int64_t v) { return (*this)(k, std::to_string(v)); }
  D& operator()(const char* k, int v) { return (*this)(k, static_cast<int64_t>(v)); }
  D& operator()(const char* k, bool v) { return (*this)(k, v ? "true" : "false"); }
  D& operator()(const char* k, Time v) { return (*this)(k, ToUnix(v)); }
  D& operator()(const char* k, const std::optional<Time>& v) {
    return v ? (*this)(k, *v) : (*this)(k, "null");
  }
  D& operator()(const char* k, const Bytes& v) { return (*this)(k, "0x" + HexEncode(v)); }
  D& operator()(const char* k, const std::vector<std::string>& v) {
    std::string joined = "[";
    for (const std::string& s : v) joined += (joined.size() > 1 ? "|" : "") + s;
    return (*this)(k, joined + "]");
  }
  std::string str() const { return out_; }

 private:
  std::string out_;
};

}  // namespace

std::string Dump(const Holder& v) {
  return D()("id", v.id)("kind", Name(v.kind))("uscc", v.uscc)("name", v.name)(
             "legal_rep", v.legal_rep)("status", Name(v.status))("area_code", v.area_code)(
             "created_at", v.created_at)("updated_at", v.updated_at)
      .str();
}
std::string Dump(const Area& v) {
  return D()("code", v.code)("name", v.name)("level", static_cast<int>(v.level))("parent_code",
                                                                                 v.parent_code)
      .str();
}
std::string Dump(const Impression& v) {
  return D()("id", v.id)("holder_id", v.holder_id)("seal_kind", v.seal_kind)("png", v.png)(
             "supplied_by", v.supplied_by)("created_at", v.created_at)
      .str();
}
std::string Dump(const Account& v) {
  return D()("id", v.id)("name", v.name)("role", Name(v.role))("holder_id", v.holder_id)(
             "area_code", v.area_code)("disabled", v.disabled)("created_at", v.created_at)
      .str();
}
std::string Dump(const Credential& v) {
  return D()("token_hash", v.token_hash)("account_id", v.account_id)("client_id", v.client_id)(
             "created_at", v.created_at)("revoked_at", v.revoked_at)
      .str();
}
std::string Dump(const Client& v) {
  return D()("id", v.id)("name", v.name)("type", Name(v.type))("scenario", v.scenario)(
             "contact", v.contact)("holder_id", v.holder_id)("status", Name(v.status))(
             "rate", v.rate_limit_per_minute)("reason", v.decision_reason)(
             "created_at", v.created_at)("updated_at", v.updated_at)
      .str();
}
std::string Dump(const VendorAuthorisation& v) {
  std::string seals;
  for (const std::string& s : v.seal_ids) seals += s + ",";
  return D()("id", v.id)("client_id", v.client_id)("holder_id", v.holder_id)("seals", seals)(
             "valid_until", v.valid_until)("withdrawn_at", v.withdrawn_at)(
             "created_by", v.created_by)("created_at", v.created_at)
      .str();
}
std::string Dump(const SealGrant& v) {
  return D()("seal_id", v.seal_id)("account_id", v.account_id)("can_use", v.can_use)("can_approve",
                                                                                     v.can_approve)
      .str();
}
std::string Dump(const Application& v) {
  D d;
  d("id", v.id)("holder_id", v.holder_id)("type", Name(v.type))("seal_kind", v.seal_kind)(
      "seal_id", v.seal_id)("seal_name", v.seal_name)("reason", v.reason)(
      "protected_key", v.protected_key)("spki", v.public_key_spki)("status", Name(v.status))(
      "next_level", v.next_level)("submitted_by", v.submitted_by)(
      "result_seal_id", v.result_seal_id)("created_at", v.created_at)("updated_at", v.updated_at);
  for (const ReviewStep& r : v.reviews) {
    d("review.level", r.level)("review.area", r.area_code)("review.reviewer", r.reviewer_id)(
        "review.approved", r.approved)("review.reason", r.reason)("review.at", r.decided_at);
  }
  return d.str();
}
std::string Dump(const Seal& v) {
  return D()("id", v.id)("esid", v.esid)("holder_id", v.holder_id)("kind", v.kind)(
             "copy_no", v.copy_no)("name", v.name)("origin", Name(v.origin))(
             "status", Name(v.status))("valid_from", v.valid_from)("valid_to", v.valid_to)(
             "seal_der", v.seal_der)("image_png", v.image_png)("cert", v.signer_cert_der)(
             "serial", v.cert_serial_hex)("protected_key", v.protected_key)("kek_id", v.kek_id)(
             "failed", v.failed_attempts)("locked", v.locked)("approval", v.requires_approval)(
             "anchor_id", v.anchor_id)("replaces_id", v.replaces_id)(
             "application_id", v.application_id)("created_at", v.created_at)("updated_at",
                                                                             v.updated_at)
      .str();
}
std::string Dump(const SealEvent& v) {
  return D()("seal_id", v.seal_id)("type", Name(v.type))("at", v.at)("reason", v.reason)("actor",
                                                                                         v.actor)
      .str();
}
std::string Dump(const IssuedCertificate& v) {
  return D()("serial", v.serial_hex)("role", v.role)("subject", v.subject)("der", v.der)(
             "not_after", v.not_after)("revoked_at", v.revoked_at)("reason", v.revocation_reason)
      .str();
}
std::string Dump(const PlatformKey& v) {
  return D()("name", v.name)("cert", v.cert_der)("key", v.protected_key)("kek_id", v.kek_id)(
             "created_at", v.created_at)
      .str();
}
std::string Dump(const SignatureRecord& v) {
  return D()("id", v.id)("seal_id", v.seal_id)("holder_id", v.holder_id)("actor", v.actor_id)(
             "client", v.client_id)("doc", v.document_hash)("signed", v.signed_hash)(
             "name", v.document_name)("format", v.format)("request", v.request_id)("at",
                                                                                   v.signed_at)
      .str();
}
std::string Dump(const UsageRequest& v) {
  return D()("id", v.id)("seal_id", v.seal_id)("requester", v.requester_id)("doc", v.document_hash)(
             "purpose", v.purpose)("status", Name(v.status))("approver", v.approver_id)(
             "reason", v.decision_reason)("start", v.window_start)("end", v.window_end)(
             "signature", v.signature_id)("created_at", v.created_at)
      .str();
}
std::string Dump(const TrustAnchorRecord& v) {
  return D()("id", v.id)("system", v.system_name)("kind", Name(v.kind))("cert", v.cert_der)(
             "crl", v.crl_url)("status_url", v.status_url)("active", v.active)("created_at",
                                                                               v.created_at)(
             "roles", AnchorRolesName(v.roles))("maker_policies", v.maker_policies)
      .str();
}
std::string Dump(const FilingRecord& v) {
  return D()("id", v.id)("seal_id", v.seal_id)("event", Name(v.event))("payload", v.payload_json)(
             "batch", v.batch_id)("status", Name(v.status))("created_at", v.created_at)
      .str();
}
std::string Dump(const FilingBatch& v) {
  return D()("id", v.id)("export", v.signed_export)("status", Name(v.status))(
             "created_at", v.created_at)("ack", v.acknowledged_at)
      .str();
}
std::string Dump(const ArchiveEntry& v) {
  return D()("id", v.id)("holder_id", v.holder_id)("doc_hash", v.document_hash)("doc", v.document)(
             "report", v.report_json)("evidence", v.evidence)("entry_hash", v.entry_hash)(
             "sig", v.platform_signature)("created_at", v.created_at)
      .str();
}
std::string Dump(const AuditEntry& v) {
  return D()("seq", v.seq)("at", v.at)("actor", v.actor)("action", v.action)("type", v.object_type)(
             "object", v.object_id)("details", v.details_json)("prev", v.prev_hash)("hash", v.hash)
      .str();
}
std::string Dump(const AuditCheckpoint& v) {
  return D()("seq", v.seq)("hash", v.hash)("sig", v.signature)("at", v.at).str();
}

}  // namespace eseal::store::test

namespace eseal::store::test {

std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

// The one contract suite, run against both backends.
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreTest, ::testing::Values(std::string("sqlite")), BackendName);
INSTANTIATE_TEST_SUITE_P(PostgreSQL, StoreTest, ::testing::Values(std::string("postgresql")),
                         BackendName);

}  // namespace eseal::store::test
