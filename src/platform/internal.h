// The platform implementation, split by area into files of its own (identity.cc, auth.cc,
// audit.cc, registry.cc, lifecycle.cc, signing.cc, verification.cc, ...). Private.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "credential_hash.h"
#include "eseal/crypto/sm2.h"
#include "eseal/platform/binding_records.h"
#include "eseal/tsp/authority.h"
#include "eseal/platform/platform.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/verify/ses_verify.h"
#include "eseal/verify/policy.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/crl.h"
#include "session_keys.h"

namespace eseal::platform {

// Names of the platform's own keys (PlatformKeyRepository).
inline constexpr std::string_view kRootCaKey = "root-ca";
inline constexpr std::string_view kIssuingCaKey = "issuing-ca";
inline constexpr std::string_view kSealMakerKey = "seal-maker";
inline constexpr std::string_view kPlatformSignerKey = "platform-signer";  // audit, filings, archives
inline constexpr std::string_view kTsaKey = "tsa";  // the platform's timestamp authority

// A certificate and its private key, decrypted with the KEK at start.
struct KeyedCert {
  x509::Certificate cert;
  crypto::Sm2PrivateKey key;
};

struct Identity {
  x509::Certificate root;
  KeyedCert issuing;
  KeyedCert maker;
  KeyedCert signer;
  KeyedCert tsa;  // the TSA at start (PlatformImpl::Tsa() has the one in use)
  std::vector<x509::Certificate> tsa_history;  // every TSA certificate so far, oldest first
  std::optional<CredentialHasher> credentials;  // keyed hashes of credential secrets
};

class PlatformImpl final : public Platform {
 public:
  PlatformImpl(const PlatformOptions& o, Identity id);

  // Bootstrap: load the identity, or create it (and the first operator) on an empty store.
  static Result<Identity> LoadOrCreateIdentity(const PlatformOptions& o, Bootstrap* bootstrap);

  // ---- Platform ----
  Result<Caller> Authenticate(std::string_view bearer_token) override;
  Result<Holder> UpsertHolder(const Caller& c, const HolderInput& in) override;
  Result<Holder> GetHolder(const Caller& c, std::string_view id) override;
  Result<PageOf<Holder>> ListHolders(const Caller& c, const HolderRepository::Filter& f,
                                     Page page) override;
  Result<Impression> AttachImpression(const Caller& c, std::string_view holder_id,
                                      std::string_view seal_kind, ByteView png) override;
  Result<NewCredential> CreateAccount(const Caller& c, const AccountInput& in) override;
  Status GrantSeal(const Caller& c, const SealGrant& grant) override;
  Result<Enrolment> Enrol(const EnrolInput& in) override;
  Result<NewSession> SignIn(const SignInInput& in) override;
  Status SignOut(std::string_view session_token) override;
  Result<Caller> AuthenticateSession(std::string_view session_token, std::string_view csrf_token,
                                     bool state_changing) override;
  Status ChangeOwnPassword(const Caller& c, const SecretBytes& old_password,
                           const SecretBytes& new_password) override;
  Result<std::vector<Account>> ListAccounts(const Caller& c, std::string_view holder_id, Page page) override;
  Result<Account> SetAccountDisabled(const Caller& c, std::string_view account_id, bool disabled,
                                     std::string_view reason) override;
  Result<Account> HandOver(const Caller& c, std::string_view from_account, std::string_view to_account,
                           std::string_view reason) override;
  Result<std::string> ResetEnrolment(const Caller& c, std::string_view account_id) override;
  Result<NewToken> CreateToken(const Caller& c, const TokenInput& in) override;
  Result<std::vector<Credential>> ListTokens(const Caller& c, std::string_view account_id) override;
  Result<Credential> RevokeToken(const Caller& c, std::string_view token_id) override;
  Result<NewToken> RotateToken(const Caller& c, std::string_view token_id) override;
  Result<Application> Apply(const Caller& c, ApplyInput in) override;
  Result<Application> Review(const Caller& c, std::string_view application_id, bool approve,
                             std::string_view reason) override;
  Result<Application> GetApplication(const Caller& c, std::string_view id) override;
  Result<PageOf<Application>> ListApplications(const Caller& c,
                                               const ApplicationRepository::Filter& f,
                                               Page page) override;
  Status SetAutoApprove(const Caller& c, bool on) override;
  Result<Application> SetApplicationPassword(const Caller& c, std::string_view application_id,
                                             SecretBytes password) override;
  // A new-seal application whose key waits for the holder's password (lifecycle.cc).
  static bool AwaitsPassword(const Application& app);
  Result<Bytes> NewProtectedKey(const SecretBytes& password, Bytes* spki);
  Result<Seal> GetSeal(const Caller& c, std::string_view id_or_esid) override;
  Result<PageOf<Seal>> ListSeals(const Caller& c, const SealRepository::Filter& f,
                                 Page page) override;
  Result<Seal> Suspend(const Caller& c, std::string_view seal_id, std::string_view reason) override;
  Result<Seal> Resume(const Caller& c, std::string_view seal_id, std::string_view reason) override;
  Result<Seal> Revoke(const Caller& c, std::string_view seal_id, std::string_view reason) override;
  Result<Seal> Unlock(const Caller& c, std::string_view seal_id) override;
  Status ChangePassword(const Caller& c, std::string_view application_id,
                        const SecretBytes& old_password, const SecretBytes& new_password) override;
  Result<int> ExpireSeals() override;
  Result<SignOutcome> SignDocument(const Caller& c, SignInput in) override;
  Result<SessionInfo> OpenSigningSession(const Caller& c, OpenSessionInput in) override;
  Result<SessionInfo> GetSigningSession(const Caller& c, std::string_view seal, std::string_view session) override;
  Status CloseSigningSession(const Caller& c, std::string_view seal, std::string_view session) override;
  Result<int> ExpireSigningSessions() override;
  Result<PageOf<SignatureRecord>> ListSignatures(const Caller& c,
                                                 const SignatureRepository::Filter& f,
                                                 Page page) override;
  Result<VerifyOutcome> VerifyOfd(ByteView document) override;
  Result<VerifyOutcome> VerifyPdf(ByteView document) override;
  Result<VerifyOutcome> VerifyDetached(ByteView signature, ByteView data) override;
  Result<SealStatusAt> SealStatusAtTime(std::string_view esid, std::optional<Time> at) override;
  Result<Bytes> CurrentCrl() override;
  Result<Bytes> RootCrl() override;
  Result<std::string> TrustBundlePem() override;
  Result<AuditVerification> VerifyAudit(const Caller& c) override;
  Result<PageOf<AuditEntry>> ListAudit(const Caller& c, int64_t after_seq, int limit) override;
  Result<std::vector<AuditEntry>> ListSealAudit(const Caller& c, std::string_view seal, Page page) override;
  Status CheckpointAudit() override;
  // Expires at most `batch` seals whose validity ended, in one transaction (lifecycle.cc).
  Result<int> ExpireSealsBatch(int batch, int* listed);
  // Derives the key that chains audit entries from the KEK (audit.cc).
  Status LoadAuditKey();
  // Marks where MAC-chained entries begin (audit.cc), once, at open (after LoadAuditKey).
  Status StartAuditMac();
  // The audit trail outside the database (audit_export.cc): appends a checkpoint to the
  // export file and syslog; checks the database's checkpoints against the file.
  Status ExportCheckpoint(const AuditCheckpoint& cp);
  // Creates the export file (a header line) if it does not exist yet, at open.
  Status StartAuditExport();
  void CheckAuditExport(const std::vector<AuditCheckpoint>& in_db, AuditVerification& v);

  Result<Area> UpsertArea(const Caller& c, const Area& area) override;
  Result<PageOf<Area>> ListAreas(const Caller& c, Page page) override;
  Result<PageOf<FilingRecord>> ListFilings(const Caller& c, std::optional<FilingStatus> status,
                                           Page page) override;
  Result<FilingBatch> ExportFilings(const Caller& c) override;
  Result<FilingBatch> AcknowledgeFilingBatch(const Caller& c, std::string_view batch_id) override;
  Result<FilingBatch> GetFilingBatch(const Caller& c, std::string_view batch_id) override;
  Result<PageOf<Notice>> PublicNotices(Page page) override;
  // Appends a seal event and, for a department's seal and an event the public is told of,
  // its public notice in the same transaction (filing.cc).
  Status AppendSealEvent(Tx& tx, const Seal& seal, const SealEvent& e);
  Result<Client> ApplyForAccess(const ClientApplication& in) override;
  Result<ClientDecision> ReviewClient(const Caller& c, std::string_view client_id, bool approve,
                                      std::string_view reason) override;
  Result<Client> SuspendClient(const Caller& c, std::string_view client_id,
                               std::string_view reason) override;
  Result<Client> ResumeClient(const Caller& c, std::string_view client_id) override;
  Result<Client> SetClientRateLimit(const Caller& c, std::string_view client_id, int per_minute) override;
  Result<PageOf<Client>> ListClients(const Caller& c, std::optional<ClientStatus> status,
                                     Page page) override;
  Result<VendorAuthorisation> Authorise(const Caller& c, std::string_view client_id,
                                        const std::vector<std::string>& seal_ids,
                                        Time valid_until, const SecretBytes& password) override;
  Result<VendorAuthorisation> WithdrawAuthorisation(const Caller& c,
                                                    std::string_view authorisation_id) override;
  Result<std::vector<ClientBinding>> ListBindingRequests(const Caller& c, std::optional<BindingStatus> status,
                                                         Page page) override;
  Result<ClientBinding> DecideBinding(const Caller& c, std::string_view client_id, bool confirm,
                                      std::string_view reason) override;
  Result<VendorMaker> RegisterVendorMaker(const Caller& c, std::string_view client_id,
                                          std::string_view anchor_id) override;
  Result<std::vector<VendorMaker>> ListVendorMakers(const Caller& c, std::string_view client_id) override;
  Result<int> DestroyExpiredAuthorisationKeys() override;
  Result<PageOf<VendorAuthorisation>> ListAuthorisations(const Caller& c, Page page) override;
  Result<Seal> FileSeal(const Caller& c, ByteView seal_der, std::string_view holder_uscc,
                        std::string_view seal_kind) override;
  Result<TrustAnchorRecord> RegisterAnchor(const Caller& c, const AnchorInput& in) override;
  Result<TrustAnchorRecord> SetAnchorRoles(const Caller& c, std::string_view id, AnchorRoles roles,
                                           std::optional<std::vector<std::string>> maker_policies) override;
  Result<TrustAnchorRecord> DeactivateAnchor(const Caller& c, std::string_view id) override;
  Result<TrustAnchorRecord> UpdateAnchorCrl(const Caller& c, std::string_view id, ByteView crl_der) override;
  Result<PageOf<TrustAnchorRecord>> ListAnchors(const Caller& c, Page page) override;
  Result<Seal> SetRequiresApproval(const Caller& c, std::string_view seal_id, bool on) override;
  Result<UsageRequest> RequestUse(const Caller& c, const UseRequestInput& in) override;
  Result<UsageRequest> DecideUse(const Caller& c, std::string_view request_id, bool approve,
                                 std::string_view reason, Time window_end) override;
  Result<PageOf<UsageRequest>> ListUsageRequests(const Caller& c, std::string_view seal_id,
                                                 Page page) override;
  Result<ArchiveEntry> Archive(const Caller& c, ByteView document, std::string_view name) override;
  Result<ArchiveEntry> GetArchive(const Caller& c, std::string_view id) override;
  Result<PageOf<ArchiveEntry>> ListArchives(const Caller& c, Page page) override;
  Result<Report> VerifyArchive(const Caller& c, std::string_view id) override;
  Result<Bytes> Timestamp(ByteView request_der, std::string_view requester) override;
  TimeStatus TimeState() override;
  Result<Bytes> SignedSealStatus(std::string_view esid, std::optional<Bytes> nonce) override;
  Result<Bytes> Evidence(std::string_view signature_sm3) override;
  Result<int> RenewEvidence() override;

  // ---- signing (signing.cc, signing_session.cc) ----
  struct SignChecks {
    Seal seal;
    Holder holder;
    std::optional<UsageRequest> request;
    std::optional<AuthorisationKey> copy;  // a client without a password signs with this
  };
  // Every precondition of signing with `seal` (id or esID) by `c` at `now`, in one read,
  // before any key is unwrapped: the caller may use the seal, the holder and the seal are
  // active and in validity, its key is held here. `doc_hash` set: the document's approved
  // use request when the seal requires approval. `want_copy`: a client without a password
  // needs its authorisation's key copy (FailedPrecondition when it has none).
  Result<SignChecks> CheckSigning(const Caller& c, std::string_view seal, Time now, const std::string* doc_hash,
                                  std::string_view usage_request_id, bool want_copy);
  // The open signing sessions of this process (session_keys.h).
  SessionKeys& session_keys() { return session_keys_; }
  // Audits the end of a session already removed from the registry (seal.session_closed);
  // `c` null: the system (expiry). Errors are logged, not returned: the key is gone anyway.
  void AuditSessionEnd(const SessionEntry& e, const Caller* c, std::string_view reason);
  // A signature in session `session` of `c` was refused for a reason that outlasts the
  // document (the seal's state, the caller's right to it): the session ends (audited).
  void EndSessionAfterRefusal(const Caller& c, std::string_view seal, std::string_view session, const Status& why);

  // ---- shared internals ----
  Time Now() const { return clock_->Now(); }
  Rng& rng() const { return *rng_; }
  // Runs `body` in one transaction and commits when it returns OK.
  Status InTx(const std::function<Status(Tx&)>& body);
  // Runs `body` in a read-only snapshot (does not queue behind writers).
  Status InReadTx(const std::function<Status(Tx&)>& body);
  // Records one audit entry of `tx` (details_json must hold no secrets). Inside InTx it is
  // held back and appended, chained, as the transaction's last statements (AppendAudit):
  // the audit-head lock is then held only from there to COMMIT, never across rendering,
  // certificate issuance or key unwrapping (docs/storage.md "Audit").
  Status Audit(Tx& tx, const Caller* c, std::string_view action, std::string_view object_type,
               std::string_view object_id, std::string details_json = "{}");
  // Chains `entries` onto the head under its lock (LockHead) and inserts them.
  Status AppendAudit(Tx& tx, std::vector<AuditEntry>& entries);
  // While alive, Audit() on this thread holds entries back in `*into` (InTx).
  class DeferAudit {
   public:
    explicit DeferAudit(std::vector<AuditEntry>* into);
    ~DeferAudit();
    DeferAudit(const DeferAudit&) = delete;
    DeferAudit& operator=(const DeferAudit&) = delete;

   private:
    std::vector<AuditEntry>* outer_;
  };
  std::string NewId(std::string_view prefix);
  // "esk_<base64url 32 random bytes>" and its stored (keyed) hash.
  Result<std::string> NewToken();
  std::string TokenHash(std::string_view token) const { return id_.credentials->Secret(token); }
  const CredentialHasher& hasher() const { return *id_.credentials; }
  // An API token row for an account or a client: a public id, label, scopes and expiry.
  Credential NewTokenRow(std::string_view account_id, std::string_view client_id, std::string_view token,
                         std::string label, std::string scopes, int valid_days);
  // The login row and one-time enrolment code of a new account (NewLoginRow, sign_in.cc).
  Result<Login> NewLogin(const Account& a, std::string login, std::string* enrolment_code);
  // A vendor's newest token carries its authorisation key copies' unlock key (tokens.cc).
  Status FollowUnlockKey(Tx& tx, const Caller& c, std::string_view token);

  // The seal's status at time t, replaying its events (E22).
  // `registered`: t is a usage-register entry's time. The platform signs only with a seal
  // in force, in the transaction that writes the entry, so a suspension, revocation or
  // supersession recorded in the same second (times are whole seconds) came after it.
  Result<SealStatusAt> StatusAt(Tx& tx, const Seal& seal, Time t, bool registered = false);
  // Makes the seal an approved application asks for (new / renew / change), in `tx`.
  Result<Seal> MakeSealFor(Tx& tx, const Caller& c, Application& app);
  // Revokes a seal and its certificate in `tx`.
  Status RevokeInTx(Tx& tx, const Caller& c, Seal& seal, SealEventType why_event, std::string_view reason,
                    int crl_reason);
  Status AddFiling(Tx& tx, const Seal& seal, FilingEvent event);
  // Rebuilds the issuing CA's CRL from the certificate index (after a revocation, hold or
  // release) and stores it, so it commits or rolls back with the change that caused it.
  Status RefreshCrl(Tx& tx);
  // The root's and the issuing CA's current CRLs (DER), in that order.
  Result<std::vector<Bytes>> Crls(Tx& tx);
  // Verifies an OFD under `policy` with the platform's records (RecordFactsFor in
  // verification.cc); `extra` may add to what the records say (archive re-verification).
  using RecordHook = std::function<void(const ses::Signature&, verify::RecordFacts&)>;
  Result<verify::OfdVerification> VerifyOfdWith(ByteView document, const verify::ValidationPolicy& policy,
                                                const RecordHook& extra);
  // An OFD or a PDF (told apart by the bytes), as its report and verdict.
  Result<VerifyOutcome> VerifyDocumentWith(ByteView document, const verify::ValidationPolicy& policy,
                                           const RecordHook& extra);
  // The validation policy of this platform at `now` (verification.cc): its own root as a
  // signer anchor and its maker certificate as a seal-maker anchor, its issuing CA as an
  // intermediate, its CRLs, and every active registered anchor with its roles, maker
  // policies, intermediates and CRLs.
  Result<verify::ValidationPolicy> ValidationPolicyNow(Time now);

  const PlatformOptions& options() const { return o_; }
  const Identity& identity() const { return id_; }

  // ---- trusted time (trusted_time.cc) ----
  // A token that stamped something, as the usage register and the TSA log keep it.
  struct IssuedToken {
    Bytes der;
    std::string serial_hex;
    Time gen_time{};
    std::string imprint_algorithm;  // dotted OID
    std::string imprint_hex;
    bool own = false;  // issued by the platform's own TSA (logged in timestamp_tokens)
  };
  // The timestamper signatures use: the configured one, or the own TSA behind the clock
  // check. Each token it returns is also kept in `*last` (for the usage register).
  sign::Timestamper SignatureTimestamper(std::optional<IssuedToken>* last);
  // A token from the platform's own TSA over SM3(data); Unavailable while the clock is
  // unsynchronised (and that is not accepted).
  Result<IssuedToken> OwnStamp(ByteView data);
  // Logs a token of the own TSA in `tx` (no audit entry: the caller writes the one that
  // names it).
  Status LogToken(Tx& tx, const IssuedToken& t, std::string_view purpose, std::string_view requester);
  // Whether the own TSA may issue now, and why not.
  Status TsaMayIssue() const;
  // The platform's own TSA in use: its key and certificate and the authority over them.
  // Swapped whole by RotateTsaIfDue; a caller keeps the one it got for one operation.
  struct TsaState {
    KeyedCert keyed;
    std::unique_ptr<tsp::RandomSerialSource> serials;
    std::unique_ptr<tsp::TimestampAuthority> authority;  // null when it could not start
  };
  std::shared_ptr<const TsaState> Tsa() const;
  // Every certificate the platform's TSA has had, oldest first (the current one last).
  std::vector<x509::Certificate> TsaCertificates() const;
  // A year before the TSA certificate ends, a new TSA key and certificate (identity.cc).
  Status RotateTsaIfDue();

  // ---- seal-status answers and evidence (evidence.cc) ----
  // The signed answer for a seal made here, as of now, in `tx`.
  Result<Bytes> StatusAnswer(Tx& tx, const Seal& seal, std::optional<Bytes> nonce);
  // The evidence record of a signature just made (in its signing transaction).
  Result<EvidenceRow> MakeEvidence(Tx& tx, const Seal& seal, const SignatureRecord& record,
                                   const IssuedToken& token);

 private:
  std::shared_ptr<const TsaState> MakeTsaState(KeyedCert keyed);
  // The key that chains audit entries (format 2): PRF_KEK("eseal/audit/v2"), so
  // re-chaining an edited log needs the KEK or the HSM.
  SecretBytes audit_key_;
  mutable std::mutex tsa_mu_;
  std::shared_ptr<const TsaState> tsa_;         // guarded by tsa_mu_
  std::vector<x509::Certificate> tsa_history_;  // guarded by tsa_mu_
  std::atomic<int64_t> tokens_issued_{0};

  SessionKeys session_keys_;
  PlatformOptions o_;
  Store* store_;
  const crypto::Kek* kek_;
  const Clock* clock_;
  Rng* rng_;
  Identity id_;
};

// ---- authorisation helpers (access.cc) ----
bool IsOperator(const Caller& c);
Status RequireOperator(const Caller& c);
// The operator, or an account/client of this holder.
Status RequireHolderAccess(const Caller& c, std::string_view holder_id);
// The operator, or the holder's admin.
Status RequireHolderAdmin(const Caller& c, std::string_view holder_id);

// May `c` sign with `seal` now? The holder's administrator; its users with a grant; its
// own enterprise client; a vendor client with a live authorisation. Never the operator,
// never another holder.
Status CheckMayUseSeal(Tx& tx, const Caller& c, const Seal& seal, Time now);

// GB/T 2260 codes carry their hierarchy: "450000" a region (province), "450100" a city,
// "450102" a county. The level of a code, and its ancestor at a level.
AreaLevel AreaLevelOf(std::string_view code);
std::string AncestorAt(std::string_view code, AreaLevel level);
// True if `outer` is `inner` or one of its ancestors.
bool AreaContains(std::string_view outer, std::string_view inner);

// ---- what is kept beside a registered trust anchor (anchor_material.cc) ----
struct AnchorMaterial {
  std::vector<Bytes> intermediates;  // the other system's intermediate CA certificates (DER)
  std::vector<Bytes> crls;           // its current CRLs (DER), one per issuer
};
Result<AnchorMaterial> LoadAnchorMaterial(Tx& tx, std::string_view anchor_id);
Status StoreAnchorMaterial(Tx& tx, std::string_view anchor_id, const AnchorMaterial& m);
// Parses the intermediates and checks that each is a CA certificate chaining to `anchor`
// (InvalidArgument otherwise).
Result<std::vector<x509::Certificate>> CheckAnchorIntermediates(const x509::Certificate& anchor,
                                                                const std::vector<Bytes>& ders, Time now);
// Checks an anchor's roles and maker policies against its kind and certificate and returns
// the maker policies to record (InvalidArgument, in Chinese and English, otherwise).
Result<std::vector<std::string>> CheckAnchorRoles(AnchorKind kind, AnchorRoles roles,
                                                  const std::optional<std::vector<std::string>>& maker_policies,
                                                  const std::vector<std::string>& current_policies);
// Adds or replaces the CRL of its issuer in `m`: it must be signed by the anchor or one of
// `intermediates` (InvalidArgument) and newer than the one on record (FailedPrecondition).
// Returns the parsed CRL.
Result<x509::Crl> AddAnchorCrl(AnchorMaterial& m, const x509::Certificate& anchor,
                    const std::vector<x509::Certificate>& intermediates, ByteView crl_der);

// A person's sign-in row with a fresh one-time enrolment code (valid `valid` from `now`),
// stored keyed; `login` empty: the account id. The first operator's is made this way too.
Result<Login> NewLoginRow(const CredentialHasher& h, Rng& rng, const Account& a, std::string login,
                          std::chrono::hours valid, Time now, std::string* enrolment_code);
// Once per database: rows from before keyed credential hashes (plain SM3) are keyed under
// the KEK, and sessions from then end. Recorded in the setting "credential_hashing".
Status RekeyCredentials(Tx& tx, const CredentialHasher& h, Time now);
inline constexpr std::string_view kCredentialHashing = "hmac-sm3-kek-v1";

// A short human text: present, at most `max` bytes, no control characters.
Status CheckText(std::string_view value, std::string_view what, size_t max);

// JSON object text from key/value pairs (values escaped); for audit details.
std::string JsonObject(std::initializer_list<std::pair<std::string_view, std::string>> fields);

}  // namespace eseal::platform
