// The SQL implementations of the platform's repositories (repository.h), one class per
// interface, written once for both backends (internal to the store module). Each runs its
// statements through the SqlTx it belongs to. Implementations: repos_registry.cc (holders,
// areas, impressions, accounts, credentials, clients, authorisations, grants),
// repos_seals.cc (applications, seals, seal events, certificates, platform keys),
// repos_use.cc (signatures, usage requests, anchors, filings, archives, settings),
// repos_audit.cc (the audit log).
// Thread-safety: used by the one thread that owns the transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/platform/repository.h"

namespace eseal::store::internal {

class SqlTx;

using platform::Page;

class SqlHolderRepository final : public platform::HolderRepository {
 public:
  explicit SqlHolderRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::Holder& h) override;
  Status Update(const platform::Holder& h) override;
  Result<platform::Holder> Get(std::string_view id) override;
  Result<platform::Holder> GetByUscc(std::string_view uscc) override;
  Result<std::vector<platform::Holder>> List(const Filter& f, Page page) override;
  Result<int64_t> Count(const Filter& f) override;

 private:
  SqlTx& tx_;
};

class SqlAreaRepository final : public platform::AreaRepository {
 public:
  explicit SqlAreaRepository(SqlTx& tx) : tx_(tx) {}
  Status Upsert(const platform::Area& a) override;
  Result<platform::Area> Get(std::string_view code) override;
  Result<std::vector<platform::Area>> List() override;
  Result<std::vector<platform::Area>> List(Page page) override;
  Result<int64_t> Count() override;

 private:
  SqlTx& tx_;
};

class SqlImpressionRepository final : public platform::ImpressionRepository {
 public:
  explicit SqlImpressionRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::Impression& i) override;
  Result<platform::Impression> Latest(std::string_view holder_id,
                                      std::string_view seal_kind) override;
  Result<std::vector<platform::Impression>> ListForHolder(std::string_view holder_id) override;

 private:
  SqlTx& tx_;
};

class SqlAccountRepository final : public platform::AccountRepository {
 public:
  explicit SqlAccountRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::Account& a) override;
  Status Update(const platform::Account& a) override;
  Result<platform::Account> Get(std::string_view id) override;
  Result<std::vector<platform::Account>> List(std::string_view holder_id, Page page) override;

 private:
  SqlTx& tx_;
};

class SqlCredentialRepository final : public platform::CredentialRepository {
 public:
  explicit SqlCredentialRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::Credential& c) override;
  Result<platform::Credential> GetByHash(std::string_view token_hash) override;
  Status Revoke(std::string_view token_hash, Time at) override;
  Status RevokeAllFor(std::string_view account_id, std::string_view client_id, Time at) override;
  Result<platform::Credential> GetById(std::string_view id) override;
  Result<std::vector<platform::Credential>> ListFor(std::string_view account_id,
                                                    std::string_view client_id) override;
  Result<std::vector<std::string>> AllHashes() override;
  Status ReplaceHash(std::string_view old_hash, std::string_view new_hash) override;

 private:
  SqlTx& tx_;
};

class SqlLoginRepository final : public platform::LoginRepository {
 public:
  explicit SqlLoginRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::Login& l) override;
  Status Update(const platform::Login& l) override;
  Result<platform::Login> Get(std::string_view account_id) override;
  Result<platform::Login> GetByLogin(std::string_view login) override;
  Result<platform::Login> GetForUpdate(std::string_view account_id) override;
  Result<std::vector<platform::Login>> All() override;

 private:
  SqlTx& tx_;
};

class SqlSessionRepository final : public platform::SessionRepository {
 public:
  explicit SqlSessionRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::Session& s) override;
  Result<platform::Session> Get(std::string_view id_hash) override;
  Status Touch(std::string_view id_hash, Time at) override;
  Status Revoke(std::string_view id_hash, Time at) override;
  Status RevokeAllFor(std::string_view account_id, Time at) override;
  Status RevokeEvery(Time at) override;

 private:
  SqlTx& tx_;
};

class SqlClientRepository final : public platform::ClientRepository {
 public:
  explicit SqlClientRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::Client& c) override;
  Status Update(const platform::Client& c) override;
  Result<platform::Client> Get(std::string_view id) override;
  Result<std::vector<platform::Client>> List(std::optional<platform::ClientStatus> status,
                                             Page page) override;
  Result<int64_t> Count(std::optional<platform::ClientStatus> status) override;

 private:
  SqlTx& tx_;
};

class SqlAuthorisationRepository final : public platform::AuthorisationRepository {
 public:
  explicit SqlAuthorisationRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::VendorAuthorisation& a) override;
  Status Update(const platform::VendorAuthorisation& a) override;
  Result<platform::VendorAuthorisation> Get(std::string_view id) override;
  Result<std::vector<platform::VendorAuthorisation>> List(std::string_view client_id,
                                                          std::string_view holder_id) override;
  Result<std::vector<platform::VendorAuthorisation>> List(std::string_view client_id,
                                                          std::string_view holder_id,
                                                          Page page) override;
  Result<int64_t> Count(std::string_view client_id, std::string_view holder_id) override;

 private:
  Status WriteSeals(const platform::VendorAuthorisation& a);
  Status LoadSeals(std::vector<platform::VendorAuthorisation>& list);
  SqlTx& tx_;
};

class SqlSealGrantRepository final : public platform::SealGrantRepository {
 public:
  explicit SqlSealGrantRepository(SqlTx& tx) : tx_(tx) {}
  Status Upsert(const platform::SealGrant& g) override;
  Status Delete(std::string_view seal_id, std::string_view account_id) override;
  Result<platform::SealGrant> Get(std::string_view seal_id, std::string_view account_id) override;
  Result<std::vector<platform::SealGrant>> ListForSeal(std::string_view seal_id) override;
  Result<std::vector<platform::SealGrant>> ListForAccount(std::string_view account_id) override;

 private:
  SqlTx& tx_;
};

class SqlApplicationRepository final : public platform::ApplicationRepository {
 public:
  explicit SqlApplicationRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::Application& a) override;
  Status Update(const platform::Application& a) override;
  Result<platform::Application> Get(std::string_view id) override;
  Result<platform::Application> GetForUpdate(std::string_view id) override;
  Result<std::vector<platform::Application>> List(const Filter& f, Page page) override;
  Result<int64_t> Count(const Filter& f) override;

 private:
  Result<platform::Application> GetImpl(std::string_view id, bool lock);
  Status WriteReviews(const platform::Application& a);
  Status LoadReviews(std::vector<platform::Application>& list);
  SqlTx& tx_;
};

class SqlSealRepository final : public platform::SealRepository {
 public:
  explicit SqlSealRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::Seal& s) override;
  Status Update(const platform::Seal& s) override;
  Result<platform::Seal> Get(std::string_view id) override;
  Result<platform::Seal> GetForUpdate(std::string_view id) override;
  Result<platform::Seal> GetByEsid(std::string_view esid) override;
  Result<std::vector<platform::Seal>> List(const Filter& f, Page page) override;
  Result<int64_t> Count(const Filter& f) override;

 private:
  SqlTx& tx_;
};

class SqlSealEventRepository final : public platform::SealEventRepository {
 public:
  explicit SqlSealEventRepository(SqlTx& tx) : tx_(tx) {}
  Status Append(const platform::SealEvent& e) override;
  Result<std::vector<platform::SealEvent>> ListForSeal(std::string_view seal_id) override;
  Status AppendNotice(const platform::SealNotice& n) override;
  Result<std::vector<platform::SealNotice>> ListNotices(Page page) override;
  Result<int64_t> CountNotices() override;

 private:
  SqlTx& tx_;
};

class SqlCertificateRepository final : public platform::CertificateRepository {
 public:
  explicit SqlCertificateRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::IssuedCertificate& c) override;
  Status Update(const platform::IssuedCertificate& c) override;
  Result<platform::IssuedCertificate> Get(std::string_view serial_hex) override;
  Result<std::vector<platform::IssuedCertificate>> ListRevoked() override;

 private:
  SqlTx& tx_;
};

class SqlPlatformKeyRepository final : public platform::PlatformKeyRepository {
 public:
  explicit SqlPlatformKeyRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::PlatformKey& k) override;
  Result<platform::PlatformKey> Get(std::string_view name) override;

 private:
  SqlTx& tx_;
};

class SqlSignatureRepository final : public platform::SignatureRepository {
 public:
  explicit SqlSignatureRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::SignatureRecord& r) override;
  Result<platform::SignatureRecord> Get(std::string_view id) override;
  Result<std::vector<platform::SignatureRecord>> List(const Filter& f, Page page) override;
  Result<int64_t> Count(const Filter& f) override;

 private:
  SqlTx& tx_;
};

class SqlUsageRequestRepository final : public platform::UsageRequestRepository {
 public:
  explicit SqlUsageRequestRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::UsageRequest& r) override;
  Status Update(const platform::UsageRequest& r) override;
  Result<platform::UsageRequest> Get(std::string_view id) override;
  Result<platform::UsageRequest> GetForUpdate(std::string_view id) override;
  Result<std::vector<platform::UsageRequest>> List(const Filter& f, Page page) override;
  Result<int64_t> Count(const Filter& f) override;

 private:
  Result<platform::UsageRequest> GetImpl(std::string_view id, bool lock);
  SqlTx& tx_;
};

class SqlTrustAnchorRepository final : public platform::TrustAnchorRepository {
 public:
  explicit SqlTrustAnchorRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::TrustAnchorRecord& a) override;
  Status Update(const platform::TrustAnchorRecord& a) override;
  Result<platform::TrustAnchorRecord> Get(std::string_view id) override;
  Result<platform::TrustAnchorRecord> GetForUpdate(std::string_view id) override;
  Result<std::vector<platform::TrustAnchorRecord>> List(bool active_only) override;
  Result<std::vector<platform::TrustAnchorRecord>> List(bool active_only, Page page) override;
  Result<int64_t> Count(bool active_only) override;

 private:
  SqlTx& tx_;
};

class SqlFilingRepository final : public platform::FilingRepository {
 public:
  explicit SqlFilingRepository(SqlTx& tx) : tx_(tx) {}
  Status InsertRecord(const platform::FilingRecord& r) override;
  Status UpdateRecord(const platform::FilingRecord& r) override;
  Result<std::vector<platform::FilingRecord>> ListRecords(
      std::optional<platform::FilingStatus> status, std::string_view batch_id, Page page) override;
  Result<int64_t> CountRecords(std::optional<platform::FilingStatus> status,
                               std::string_view batch_id) override;
  Status InsertBatch(const platform::FilingBatch& b) override;
  Status UpdateBatch(const platform::FilingBatch& b) override;
  Result<platform::FilingBatch> GetBatch(std::string_view id) override;
  Result<std::vector<platform::FilingBatch>> ListBatches(Page page) override;

 private:
  SqlTx& tx_;
};

class SqlArchiveRepository final : public platform::ArchiveRepository {
 public:
  explicit SqlArchiveRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::ArchiveEntry& e) override;
  Result<platform::ArchiveEntry> Get(std::string_view id) override;
  Result<std::vector<platform::ArchiveEntry>> List(std::string_view holder_id, Page page) override;
  Result<int64_t> Count(std::string_view holder_id) override;

 private:
  SqlTx& tx_;
};

class SqlAuditRepository final : public platform::AuditRepository {
 public:
  explicit SqlAuditRepository(SqlTx& tx) : tx_(tx) {}
  Result<platform::AuditEntry> LockHead() override;
  Status Insert(const platform::AuditEntry& e) override;
  Result<std::vector<platform::AuditEntry>> List(int64_t after_seq, int limit) override;
  Result<int64_t> Count() override;
  Result<std::vector<platform::AuditEntry>> ListFor(std::string_view object_type,
                                                    std::string_view object_id, Page page) override;
  Status InsertCheckpoint(const platform::AuditCheckpoint& c) override;
  Result<std::vector<platform::AuditCheckpoint>> ListCheckpoints() override;

 private:
  SqlTx& tx_;
};

class SqlSettingRepository final : public platform::SettingRepository {
 public:
  explicit SqlSettingRepository(SqlTx& tx) : tx_(tx) {}
  Result<std::optional<std::string>> Get(std::string_view key) override;
  Status Put(std::string_view key, std::string_view value) override;
  Result<std::string> GetForUpdate(std::string_view key, std::string_view initial) override;

 private:
  SqlTx& tx_;
};

class SqlTimestampTokenRepository final : public platform::TimestampTokenRepository {
 public:
  explicit SqlTimestampTokenRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::TimestampTokenRecord& r) override;
  Result<platform::TimestampTokenRecord> Get(std::string_view serial_hex) override;
  Result<int64_t> Count() override;

 private:
  SqlTx& tx_;
};

class SqlEvidenceRepository final : public platform::EvidenceRepository {
 public:
  explicit SqlEvidenceRepository(SqlTx& tx) : tx_(tx) {}
  Status Insert(const platform::EvidenceRow& r) override;
  Result<platform::EvidenceRow> Get(std::string_view signature_hash) override;
  Status Update(const platform::EvidenceRow& r) override;
  Result<std::vector<platform::EvidenceRow>> ListDue(Time t, int limit) override;

 private:
  SqlTx& tx_;
};

// One of each, owned by a SqlTx.
struct Repositories {
  explicit Repositories(SqlTx& tx)
      : holders(tx),
        areas(tx),
        impressions(tx),
        accounts(tx),
        credentials(tx),
        logins(tx),
        sessions(tx),
        clients(tx),
        authorisations(tx),
        grants(tx),
        applications(tx),
        seals(tx),
        seal_events(tx),
        certificates(tx),
        platform_keys(tx),
        signatures(tx),
        usage_requests(tx),
        anchors(tx),
        filings(tx),
        archives(tx),
        audit(tx),
        settings(tx),
        timestamp_tokens(tx),
        evidence(tx) {}
  SqlHolderRepository holders;
  SqlAreaRepository areas;
  SqlImpressionRepository impressions;
  SqlAccountRepository accounts;
  SqlCredentialRepository credentials;
  SqlLoginRepository logins;
  SqlSessionRepository sessions;
  SqlClientRepository clients;
  SqlAuthorisationRepository authorisations;
  SqlSealGrantRepository grants;
  SqlApplicationRepository applications;
  SqlSealRepository seals;
  SqlSealEventRepository seal_events;
  SqlCertificateRepository certificates;
  SqlPlatformKeyRepository platform_keys;
  SqlSignatureRepository signatures;
  SqlUsageRequestRepository usage_requests;
  SqlTrustAnchorRepository anchors;
  SqlFilingRepository filings;
  SqlArchiveRepository archives;
  SqlAuditRepository audit;
  SqlSettingRepository settings;
  SqlTimestampTokenRepository timestamp_tokens;
  SqlEvidenceRepository evidence;
};

}  // namespace eseal::store::internal
