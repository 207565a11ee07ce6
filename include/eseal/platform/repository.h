// Repository interfaces the platform declares and the store module implements (SQLite,
// PostgreSQL). All access goes through a transaction (Tx): writes that belong together —
// a seal and its key, a signature and its audit entry and usage record — commit together
// or not at all (DESIGN.md "Storage").
//
// Conventions for every method:
//  - Get*: NotFound when absent. Insert: AlreadyExists on a unique conflict (name the key
//    in the message). Update: NotFound when the row is absent. Lists are ordered as stated
//    and bounded by `limit` (0 = the implementation's maximum, 1000).
//  - *ForUpdate: like Get, and the row stays locked against other writers until the
//    transaction ends (PostgreSQL SELECT ... FOR NO KEY UPDATE, which foreign-key checks do
//    not wait for; SQLite writers are serialised).
//  - Errors from the database are Unavailable (connection, busy) or Internal; messages
//    never contain row data that could be secret (protected keys, token hashes).
// Thread-safety: a Store is safe to share between threads; a Tx is used by one thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eseal/platform/model.h"

namespace eseal::platform {

struct Page {
  int limit = 100;
  int offset = 0;
};

// One page of a list and how many rows its filter matches in all (counted in SQL with the
// same WHERE as the page), so that a caller can say "21–40 of 1,234" and knows whether there
// is more. It reads like its items (size, [], range-for) for callers that want the page only.
template <typename T>
struct PageOf {
  std::vector<T> items;
  int64_t total = 0;

  size_t size() const { return items.size(); }
  bool empty() const { return items.empty(); }
  auto begin() { return items.begin(); }
  auto end() { return items.end(); }
  auto begin() const { return items.begin(); }
  auto end() const { return items.end(); }
  T& operator[](size_t i) { return items[i]; }
  const T& operator[](size_t i) const { return items[i]; }
  T& front() { return items.front(); }
  const T& front() const { return items.front(); }
  T& back() { return items.back(); }
  const T& back() const { return items.back(); }
};

class BindingRepository;  // binding_records.h

class HolderRepository {
 public:
  virtual ~HolderRepository() = default;
  virtual Status Insert(const Holder& h) = 0;  // unique: id, uscc
  virtual Status Update(const Holder& h) = 0;
  virtual Result<Holder> Get(std::string_view id) = 0;
  virtual Result<Holder> GetByUscc(std::string_view uscc) = 0;
  // Ordered by name. Empty filter values match everything; area_prefix matches the start
  // of area_code.
  struct Filter {
    std::string uscc;  // exact
    std::optional<HolderKind> kind;
    std::optional<HolderStatus> status;
    std::string area_prefix;
    std::string name_contains;
  };
  virtual Result<std::vector<Holder>> List(const Filter& f, Page page) = 0;
  // How many holders List pages through with this filter. So for every Count below.
  virtual Result<int64_t> Count(const Filter& f) = 0;
};

class AreaRepository {
 public:
  virtual ~AreaRepository() = default;
  virtual Status Upsert(const Area& a) = 0;
  virtual Result<Area> Get(std::string_view code) = 0;
  virtual Result<std::vector<Area>> List() = 0;  // ordered by code
  virtual Result<std::vector<Area>> List(Page page) = 0;
  virtual Result<int64_t> Count() = 0;
};

class ImpressionRepository {
 public:
  virtual ~ImpressionRepository() = default;
  virtual Status Insert(const Impression& i) = 0;
  // The newest impression for this holder and seal kind.
  virtual Result<Impression> Latest(std::string_view holder_id, std::string_view seal_kind) = 0;
  virtual Result<std::vector<Impression>> ListForHolder(std::string_view holder_id) = 0;
};

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;
  virtual Status Insert(const Account& a) = 0;
  virtual Status Update(const Account& a) = 0;
  virtual Result<Account> Get(std::string_view id) = 0;
  // Ordered by created_at then id; empty holder_id matches all.
  virtual Result<std::vector<Account>> List(std::string_view holder_id, Page page) = 0;
};

class CredentialRepository {
 public:
  virtual ~CredentialRepository() = default;
  virtual Status Insert(const Credential& c) = 0;  // unique: token_hash
  virtual Result<Credential> GetByHash(std::string_view token_hash) = 0;
  virtual Status Revoke(std::string_view token_hash, Time at) = 0;
  // Revokes every credential of an account or client (one of the two is non-empty).
  virtual Status RevokeAllFor(std::string_view account_id, std::string_view client_id, Time at) = 0;
  virtual Result<Credential> GetById(std::string_view id) = 0;
  // Every credential of an account or client (one of the two non-empty), newest first.
  virtual Result<std::vector<Credential>> ListFor(std::string_view account_id, std::string_view client_id) = 0;
  // Every stored hash, and replacing one (the one-time move to keyed hashes, credential_hash.h).
  virtual Result<std::vector<std::string>> AllHashes() = 0;
  virtual Status ReplaceHash(std::string_view old_hash, std::string_view new_hash) = 0;
};

class LoginRepository {
 public:
  virtual ~LoginRepository() = default;
  virtual Status Insert(const Login& l) = 0;  // unique: account_id, login
  virtual Status Update(const Login& l) = 0;
  virtual Result<Login> Get(std::string_view account_id) = 0;
  virtual Result<Login> GetByLogin(std::string_view login) = 0;
  virtual Result<Login> GetForUpdate(std::string_view account_id) = 0;
  virtual Result<std::vector<Login>> All() = 0;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual Status Insert(const Session& s) = 0;
  virtual Result<Session> Get(std::string_view id_hash) = 0;
  virtual Status Touch(std::string_view id_hash, Time at) = 0;
  virtual Status Revoke(std::string_view id_hash, Time at) = 0;
  virtual Status RevokeAllFor(std::string_view account_id, Time at) = 0;
  virtual Status RevokeEvery(Time at) = 0;
};

class ClientRepository {
 public:
  virtual ~ClientRepository() = default;
  virtual Status Insert(const Client& c) = 0;
  virtual Status Update(const Client& c) = 0;
  virtual Result<Client> Get(std::string_view id) = 0;
  // Ordered by created_at; nullopt status matches all.
  virtual Result<std::vector<Client>> List(std::optional<ClientStatus> status, Page page) = 0;
  virtual Result<int64_t> Count(std::optional<ClientStatus> status) = 0;
};

class AuthorisationRepository {
 public:
  virtual ~AuthorisationRepository() = default;
  virtual Status Insert(const VendorAuthorisation& a) = 0;
  virtual Status Update(const VendorAuthorisation& a) = 0;
  virtual Result<VendorAuthorisation> Get(std::string_view id) = 0;
  // Ordered by created_at; empty arguments match all.
  virtual Result<std::vector<VendorAuthorisation>> List(std::string_view client_id,
                                                        std::string_view holder_id) = 0;
  virtual Result<std::vector<VendorAuthorisation>> List(std::string_view client_id,
                                                        std::string_view holder_id, Page page) = 0;
  virtual Result<int64_t> Count(std::string_view client_id, std::string_view holder_id) = 0;
};

class SealGrantRepository {
 public:
  virtual ~SealGrantRepository() = default;
  virtual Status Upsert(const SealGrant& g) = 0;
  virtual Status Delete(std::string_view seal_id, std::string_view account_id) = 0;
  virtual Result<SealGrant> Get(std::string_view seal_id, std::string_view account_id) = 0;
  virtual Result<std::vector<SealGrant>> ListForSeal(std::string_view seal_id) = 0;
  // Every grant an account holds (a custodian handover moves them).
  virtual Result<std::vector<SealGrant>> ListForAccount(std::string_view account_id) = 0;
};

class ApplicationRepository {
 public:
  virtual ~ApplicationRepository() = default;
  virtual Status Insert(const Application& a) = 0;  // reviews stored with it
  virtual Status Update(const Application& a) = 0;  // replaces reviews
  virtual Result<Application> Get(std::string_view id) = 0;
  virtual Result<Application> GetForUpdate(std::string_view id) = 0;
  struct Filter {
    std::string holder_id;
    std::optional<ApplicationStatus> status;
    std::optional<ApplicationType> type;
    // Of holders of this kind only (a reviewer's queue: departments).
    std::optional<HolderKind> holder_kind;
    // Of holders whose area_code starts with this (a reviewer's area: "45" for the region
    // 450000, "4501" for the city 450100, the whole code for a county).
    std::string holder_area_prefix;
  };
  // Ordered by created_at then id. Every filter is applied in the query, before paging.
  virtual Result<std::vector<Application>> List(const Filter& f, Page page) = 0;
  virtual Result<int64_t> Count(const Filter& f) = 0;
};

class SealRepository {
 public:
  virtual ~SealRepository() = default;
  virtual Status Insert(const Seal& s) = 0;  // unique: id, esid
  virtual Status Update(const Seal& s) = 0;
  virtual Result<Seal> Get(std::string_view id) = 0;
  virtual Result<Seal> GetForUpdate(std::string_view id) = 0;
  virtual Result<Seal> GetByEsid(std::string_view esid) = 0;
  struct Filter {
    std::string holder_id;
    std::string kind;
    std::optional<SealStatus> status;
    std::optional<SealOrigin> origin;
    std::optional<Time> valid_to_before;  // validity ended before this time
  };
  // Ordered by created_at then id.
  virtual Result<std::vector<Seal>> List(const Filter& f, Page page) = 0;
  virtual Result<int64_t> Count(const Filter& f) = 0;
};

class SealEventRepository {
 public:
  virtual ~SealEventRepository() = default;
  virtual Status Append(const SealEvent& e) = 0;
  // Ordered by time, then insertion order.
  virtual Result<std::vector<SealEvent>> ListForSeal(std::string_view seal_id) = 0;
  // Public notices (公示) of government seals' events, written in the transaction of the
  // event itself (rows are never changed), so that the public list is one indexed read.
  virtual Status AppendNotice(const SealNotice& n) = 0;
  // Newest first (time, then insertion order).
  virtual Result<std::vector<SealNotice>> ListNotices(Page page) = 0;
  virtual Result<int64_t> CountNotices() = 0;
};

class CertificateRepository {
 public:
  virtual ~CertificateRepository() = default;
  virtual Status Insert(const IssuedCertificate& c) = 0;  // unique: serial_hex
  virtual Status Update(const IssuedCertificate& c) = 0;
  virtual Result<IssuedCertificate> Get(std::string_view serial_hex) = 0;
  // Revoked certificates, ordered by revocation time.
  virtual Result<std::vector<IssuedCertificate>> ListRevoked() = 0;
};

class PlatformKeyRepository {
 public:
  virtual ~PlatformKeyRepository() = default;
  virtual Status Insert(const PlatformKey& k) = 0;  // unique: name
  virtual Result<PlatformKey> Get(std::string_view name) = 0;
};

class SignatureRepository {
 public:
  virtual ~SignatureRepository() = default;
  virtual Status Insert(const SignatureRecord& r) = 0;
  virtual Result<SignatureRecord> Get(std::string_view id) = 0;
  struct Filter {
    std::string seal_id;
    std::string holder_id;
    std::string signed_hash;
  };
  // Newest first.
  virtual Result<std::vector<SignatureRecord>> List(const Filter& f, Page page) = 0;
  virtual Result<int64_t> Count(const Filter& f) = 0;
};

class UsageRequestRepository {
 public:
  virtual ~UsageRequestRepository() = default;
  virtual Status Insert(const UsageRequest& r) = 0;
  virtual Status Update(const UsageRequest& r) = 0;
  virtual Result<UsageRequest> Get(std::string_view id) = 0;
  virtual Result<UsageRequest> GetForUpdate(std::string_view id) = 0;
  // Empty values match all.
  struct Filter {
    std::string seal_id;
    std::string holder_id;  // requests for the seals of this holder
    std::optional<UsageRequestStatus> status;
  };
  // Ordered by created_at then id. Every filter is applied in the query, before paging.
  virtual Result<std::vector<UsageRequest>> List(const Filter& f, Page page) = 0;
  virtual Result<int64_t> Count(const Filter& f) = 0;
};

class TrustAnchorRepository {
 public:
  virtual ~TrustAnchorRepository() = default;
  virtual Status Insert(const TrustAnchorRecord& a) = 0;
  virtual Status Update(const TrustAnchorRecord& a) = 0;
  virtual Result<TrustAnchorRecord> Get(std::string_view id) = 0;
  // Get, locking the row until the transaction ends (a change of roles or status reads it
  // under the lock it writes under).
  virtual Result<TrustAnchorRecord> GetForUpdate(std::string_view id) = 0;
  virtual Result<std::vector<TrustAnchorRecord>> List(bool active_only) = 0;  // by created_at
  virtual Result<std::vector<TrustAnchorRecord>> List(bool active_only, Page page) = 0;
  virtual Result<int64_t> Count(bool active_only) = 0;
};

class FilingRepository {
 public:
  virtual ~FilingRepository() = default;
  virtual Status InsertRecord(const FilingRecord& r) = 0;
  virtual Status UpdateRecord(const FilingRecord& r) = 0;
  // Ordered by created_at then id; empty batch_id with nullopt status matches all.
  virtual Result<std::vector<FilingRecord>> ListRecords(std::optional<FilingStatus> status,
                                                        std::string_view batch_id, Page page) = 0;
  virtual Result<int64_t> CountRecords(std::optional<FilingStatus> status, std::string_view batch_id) = 0;
  virtual Status InsertBatch(const FilingBatch& b) = 0;
  virtual Status UpdateBatch(const FilingBatch& b) = 0;
  virtual Result<FilingBatch> GetBatch(std::string_view id) = 0;
  virtual Result<std::vector<FilingBatch>> ListBatches(Page page) = 0;  // newest first
};

class ArchiveRepository {
 public:
  virtual ~ArchiveRepository() = default;
  virtual Status Insert(const ArchiveEntry& e) = 0;  // there is no Update: entries are fixed
  virtual Result<ArchiveEntry> Get(std::string_view id) = 0;
  // Ordered by created_at then id; empty holder_id matches all.
  virtual Result<std::vector<ArchiveEntry>> List(std::string_view holder_id, Page page) = 0;
  virtual Result<int64_t> Count(std::string_view holder_id) = 0;
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  // The last entry (seq 0 and empty hashes when the log is empty), locked so that no other
  // transaction can append until this one ends: the chain stays linear under concurrency.
  virtual Result<AuditEntry> LockHead() = 0;
  virtual Status Insert(const AuditEntry& e) = 0;  // unique: seq
  // Entries with seq > after_seq, ascending.
  virtual Result<std::vector<AuditEntry>> List(int64_t after_seq, int limit) = 0;
  // Entries in the log: the head's seq, since every append moves the head by exactly one
  // from 0 (a count that stays O(1) at provincial scale; verification checks the chain).
  virtual Result<int64_t> Count() = 0;
  // Entries about one object, ascending seq.
  virtual Result<std::vector<AuditEntry>> ListFor(std::string_view object_type,
                                                  std::string_view object_id, Page page) = 0;
  virtual Status InsertCheckpoint(const AuditCheckpoint& c) = 0;
  virtual Result<std::vector<AuditCheckpoint>> ListCheckpoints() = 0;  // ascending seq
};

// The TSA's log of issued tokens. Rows are never changed.
class TimestampTokenRepository {
 public:
  virtual ~TimestampTokenRepository() = default;
  virtual Status Insert(const TimestampTokenRecord& r) = 0;  // unique: serial_hex
  virtual Result<TimestampTokenRecord> Get(std::string_view serial_hex) = 0;
  virtual Result<int64_t> Count() = 0;
};

class EvidenceRepository {
 public:
  virtual ~EvidenceRepository() = default;
  virtual Status Insert(const EvidenceRow& r) = 0;  // unique: signature_hash
  virtual Result<EvidenceRow> Get(std::string_view signature_hash) = 0;
  virtual Status Update(const EvidenceRow& r) = 0;  // der, renew_after, renewed_at
  // Rows whose renew_after is at or before `t`, oldest first.
  virtual Result<std::vector<EvidenceRow>> ListDue(Time t, int limit) = 0;
};

// Small named values: settings ("auto_approve"), counters ("crl_number").
class SettingRepository {
 public:
  virtual ~SettingRepository() = default;
  virtual Result<std::optional<std::string>> Get(std::string_view key) = 0;
  virtual Status Put(std::string_view key, std::string_view value) = 0;
  // For a counter read, changed and written back in one transaction ("crl_number"): locks
  // the row until the transaction ends, creating it with `initial` first if absent, and
  // returns the newest committed value (PostgreSQL re-reads a row it had to wait for).
  virtual Result<std::string> GetForUpdate(std::string_view key, std::string_view initial) = 0;
};

// One database transaction. Destroying it without Commit rolls back.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual HolderRepository& holders() = 0;
  virtual AreaRepository& areas() = 0;
  virtual ImpressionRepository& impressions() = 0;
  virtual AccountRepository& accounts() = 0;
  virtual CredentialRepository& credentials() = 0;
  virtual LoginRepository& logins() = 0;
  virtual SessionRepository& sessions() = 0;
  virtual ClientRepository& clients() = 0;
  virtual AuthorisationRepository& authorisations() = 0;
  virtual BindingRepository& bindings() = 0;  // binding_records.h
  virtual SealGrantRepository& grants() = 0;
  virtual ApplicationRepository& applications() = 0;
  virtual SealRepository& seals() = 0;
  virtual SealEventRepository& seal_events() = 0;
  virtual CertificateRepository& certificates() = 0;
  virtual PlatformKeyRepository& platform_keys() = 0;
  virtual SignatureRepository& signatures() = 0;
  virtual UsageRequestRepository& usage_requests() = 0;
  virtual TrustAnchorRepository& anchors() = 0;
  virtual FilingRepository& filings() = 0;
  virtual ArchiveRepository& archives() = 0;
  virtual AuditRepository& audit() = 0;
  virtual SettingRepository& settings() = 0;
  virtual TimestampTokenRepository& timestamp_tokens() = 0;
  virtual EvidenceRepository& evidence() = 0;
  virtual Status Commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // "sqlite" or "postgresql".
  virtual std::string_view backend() const = 0;
  // A read-write transaction. SQLite: BEGIN IMMEDIATE; PostgreSQL: READ COMMITTED with the
  // row locks the *ForUpdate/LockHead methods take.
  virtual Result<std::unique_ptr<Tx>> Begin() = 0;
  // A read-only transaction that sees one consistent snapshot and does not wait for
  // writers: SQLite BEGIN on a read connection (WAL readers run beside the one writer);
  // PostgreSQL REPEATABLE READ READ ONLY. Writes and *ForUpdate/LockHead through it fail
  // (FailedPrecondition). The default is a read-write transaction.
  virtual Result<std::unique_ptr<Tx>> BeginRead() { return Begin(); }
  // Schema version after migrations.
  virtual Result<int> SchemaVersion() = 0;
};

}  // namespace eseal::platform
