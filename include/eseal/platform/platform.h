// The platform's use cases (印章平台): every operation a person or an integrated system can
// ask for, with its authorisation rule, as one method of Platform. HTTP handlers and CLI
// commands call exactly one of these; no SQL, no crypto and no policy lives above this
// layer. Every state change writes its audit entry (audit.h) in the same transaction.
// Thread-safety: a Platform is safe to use from many threads at once.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eseal/base/clock.h"
#include "eseal/base/clock_sync.h"
#include "eseal/base/report.h"
#include "eseal/base/rng.h"
#include "eseal/crypto/kek.h"
#include "eseal/platform/model.h"
#include "eseal/platform/repository.h"
#include "eseal/sign/ofd_signer.h"
#include "eseal/sign/timestamper.h"

namespace eseal::platform {

// Who is calling, as established from a bearer token.
struct Caller {
  std::string account_id;  // empty for clients
  std::string client_id;   // empty for accounts
  Role role = Role::kHolderUser;
  std::string holder_id;   // holder roles, enterprise clients
  std::string area_code;   // reviewers
  std::optional<ClientType> client_type;  // clients
  int rate_limit_per_minute = 0;          // clients: Client::rate_limit_per_minute (HTTP limits)
  std::string name;
  std::string ActorId() const { return account_id.empty() ? client_id : account_id; }
};

struct PlatformOptions {
  Store* store = nullptr;           // required
  const crypto::Kek* kek = nullptr; // required: protects every key at rest
  const Clock* clock = nullptr;     // default: SystemClock()
  Rng* rng = nullptr;               // default: crypto::SystemRng()
  std::string name = "eseal";       // CA and maker names
  std::string public_base_url;      // for CRL distribution points, e.g. https://seal.example
  int password_attempt_limit = 5;   // wrong passwords in a row before a seal locks
  uint32_t pbkdf2_iterations = 200000;
  int renewal_window_days = 30;     // S4
  int seal_validity_days = 365;     // S4: one year, equal to the certificate
  // Trusted time (docs/trusted-time.md). Every signature the platform makes carries a
  // timestamp token; without one nothing is signed. Empty: the platform's own TSA,
  // in-process. Set: this one instead (a licensed TSA, sign::HttpTimestamper); its root
  // must then be registered as an anchor with the tsa role for the platform to verify it.
  sign::Timestamper timestamper;
  // Whether the host clock is synchronised (default: KernelClockSync). The platform's TSA
  // issues no token while it is not, unless accept_unsynchronised_clock (demos, tests).
  ClockSyncProbe clock_sync;
  bool accept_unsynchronised_clock = false;
  // The audit trail outside the database (docs/storage.md "Audit"): every checkpoint is
  // also appended to this file (empty: none) and, with audit_syslog, sent to syslog.
  // VerifyAudit reads the file back: a checkpoint it holds must be in the database as it
  // was written, and the log may not end before it.
  std::string audit_export_path;
  bool audit_syslog = false;
  // Seconds between checkpoints (eseal serve --checkpoint-interval). When set, VerifyAudit
  // fails if entries older than twice this stand uncovered by any checkpoint (checkpoints
  // stopped, or were removed). 0: not checked.
  int checkpoint_interval_seconds = 0;
};

// What the first start made (DESIGN: "operator credential written to a 0600 file").
struct Bootstrap {
  bool created = false;
  std::string operator_token;  // only when created; shown once
};

class Platform {
 public:
  // Opens the platform over a store; on an empty store creates the identity (built-in CA,
  // seal-maker key and certificate) and the first operator account.
  static Result<std::unique_ptr<Platform>> Open(const PlatformOptions& options, Bootstrap* bootstrap);
  virtual ~Platform() = default;

  // ---- authentication ----
  virtual Result<Caller> Authenticate(std::string_view bearer_token) = 0;

  // ---- registry (market-regulator data, E14/E25) ----
  // A registry record by USCC; an absent (nullopt) field is "not given".
  struct HolderInput {
    std::optional<HolderKind> kind;  // new holders: enterprise when not given
    std::string uscc;
    std::optional<std::string> name, legal_rep;  // required for a new holder
    std::optional<std::string> area_code;        // "" given clears it (enterprises only)
    std::optional<HolderStatus> status;          // new holders: active when not given
  };
  // Operator or regulator-feed client: creates or updates by USCC (GB 32100 check digit).
  // A new USCC needs name and legal_rep. A USCC on record changes only the fields given,
  // never erases one that was not given, cannot change kind, and is audited as
  // "holder.updated" with {"before":{...},"after":{...}} of the changed fields; giving
  // the values on record changes nothing and writes nothing.
  virtual Result<Holder> UpsertHolder(const Caller& c, const HolderInput& in) = 0;
  virtual Result<Holder> GetHolder(const Caller& c, std::string_view id) = 0;
  virtual Result<std::vector<Holder>> ListHolders(const Caller& c, const HolderRepository::Filter& f,
                                                  Page page) = 0;
  // Operator or security-feed client: a physical seal impression (PNG) for a holder and kind.
  virtual Result<Impression> AttachImpression(const Caller& c, std::string_view holder_id,
                                              std::string_view seal_kind, ByteView png) = 0;

  // ---- accounts ----
  struct AccountInput {
    std::string name;
    Role role = Role::kHolderUser;
    std::string holder_id;
    std::string area_code;
  };
  struct NewCredential {
    Account account;
    std::string token;  // shown once
  };
  // Operator: any account; holder admin: holder users of its own holder.
  virtual Result<NewCredential> CreateAccount(const Caller& c, const AccountInput& in) = 0;
  // Holder admin: lets one of its users use (and/or approve use of) one of its seals.
  virtual Status GrantSeal(const Caller& c, const SealGrant& grant) = 0;

  // ---- enterprise seal lifecycle (S1-S6, L1, L4-L6) ----
  struct ApplyInput {
    ApplicationType type = ApplicationType::kNewSeal;
    std::string holder_id;   // operator applying on behalf; else the caller's holder
    std::string seal_kind;   // new seals
    std::string seal_id;     // renew / change / revoke / password change
    std::string seal_name;   // optional text of a new seal (default: the holder's name)
    std::string reason;
    SecretBytes password;    // new seals: the protection password (保护口令)
  };
  // Holder admin (or operator). Checks the holder is registered and active, no duplicate
  // active seal of the kind (business seals get the next copy number), renewal window.
  virtual Result<Application> Apply(const Caller& c, ApplyInput in) = 0;
  // Operator: approve or reject with a reason. Approval of a new seal, renewal or change
  // makes the seal at once; approval of a revocation revokes. With auto-approve on, Apply
  // does this itself.
  virtual Result<Application> Review(const Caller& c, std::string_view application_id, bool approve,
                                     std::string_view reason) = 0;
  virtual Result<Application> GetApplication(const Caller& c, std::string_view id) = 0;
  virtual Result<std::vector<Application>> ListApplications(const Caller& c,
                                                            const ApplicationRepository::Filter& f,
                                                            Page page) = 0;
  virtual Status SetAutoApprove(const Caller& c, bool on) = 0;

  virtual Result<Seal> GetSeal(const Caller& c, std::string_view id_or_esid) = 0;
  virtual Result<std::vector<Seal>> ListSeals(const Caller& c, const SealRepository::Filter& f,
                                              Page page) = 0;
  // Operator (or the holder admin, for its own seal): suspend / resume / revoke with a
  // reason. Revocation revokes the certificate and republishes the CRL.
  virtual Result<Seal> Suspend(const Caller& c, std::string_view seal_id, std::string_view reason) = 0;
  virtual Result<Seal> Resume(const Caller& c, std::string_view seal_id, std::string_view reason) = 0;
  virtual Result<Seal> Revoke(const Caller& c, std::string_view seal_id, std::string_view reason) = 0;
  // Operator: unlock a seal locked by wrong passwords.
  virtual Result<Seal> Unlock(const Caller& c, std::string_view seal_id) = 0;
  // Holder admin, after an approved password-change application: old and new password.
  virtual Status ChangePassword(const Caller& c, std::string_view application_id,
                                const SecretBytes& old_password, const SecretBytes& new_password) = 0;
  // Marks seals whose validity ended as expired (also done lazily on every read).
  virtual Result<int> ExpireSeals() = 0;

  // ---- signing (E22, X1) ----
  struct SignInput {
    std::string seal;         // id or esID
    SecretBytes password;
    Bytes document;           // OFD
    std::string document_name;
    sign::Placement placement;
    sign::ProtectMode mode = sign::ProtectMode::kContinue;
    std::string usage_request_id;  // when the seal requires approval
  };
  struct SignOutcome {
    Bytes document;
    SignatureRecord record;
  };
  // Refused (with distinct codes) when: the caller may not use the seal (PermissionDenied),
  // the holder is not active or the seal not active now (FailedPrecondition), the seal is
  // locked (FailedPrecondition), the password is wrong (Unauthenticated; counted, the fifth
  // in a row locks). The usage record and audit entry commit before the document is returned.
  virtual Result<SignOutcome> SignOfd(const Caller& c, SignInput in) = 0;
  virtual Result<std::vector<SignatureRecord>> ListSignatures(const Caller& c,
                                                              const SignatureRepository::Filter& f,
                                                              Page page) = 0;

  // ---- verification (public) ----
  struct VerifyOutcome {
    std::string json;   // the report (verify/ofd_verifier.h shape)
    Verdict verdict = Verdict::kIndeterminate;
  };
  // An OFD: every signature, with this platform's anchors and CRL, and for seals it knows,
  // their status at the signing time.
  virtual Result<VerifyOutcome> VerifyOfd(ByteView document) = 0;
  // A detached SES_Signature over data.
  virtual Result<VerifyOutcome> VerifyDetached(ByteView signature, ByteView data) = 0;
  struct SealStatusAt {
    std::string esid;
    Time at{};
    SealStatus status = SealStatus::kActive;  // status at `at`
    bool valid = false;                        // could sign at `at`
    std::string reason;
    Time valid_from{}, valid_to{};
  };
  // The public seal-status service: the status of a seal at a time (now by default).
  virtual Result<SealStatusAt> SealStatusAtTime(std::string_view esid, std::optional<Time> at) = 0;
  // The current CRL of the issuing CA (DER).
  virtual Result<Bytes> CurrentCrl() = 0;
  // The root's CRL (DER): it covers the issuing CA, so a verifier that starts from the trust
  // bundle needs it as well to decide revocation along the whole chain.
  virtual Result<Bytes> RootCrl() = 0;
  // Root and issuing CA and seal-maker certificates (PEM), for other verifiers.
  virtual Result<std::string> TrustBundlePem() = 0;

  // ---- trusted time (时间戳) ----
  // The public TSA (POST /api/v1/tsa): a DER TimeStampResp for any bytes. Every token
  // issued is logged (serial, imprint, genTime) with an audit entry in one transaction;
  // a token whose log entry could not be written is not handed out (systemFailure). While
  // the clock is unsynchronised and that is not accepted: rejection, timeNotAvailable.
  // `requester`: "addr:<ip>" or the caller's id.
  virtual Result<Bytes> Timestamp(ByteView request_der, std::string_view requester) = 0;
  struct TimeStatus {
    bool clock_synchronised = false;
    bool unsynchronised_accepted = false;
    std::string clock_detail;  // what the kernel said
    bool external_tsa = false;  // signatures are stamped by a TSA elsewhere
    bool issuing = false;       // the platform's own TSA issues tokens now
    int64_t tokens_issued = 0;  // by this process
  };
  virtual TimeStatus TimeState() = 0;
  // The seal's status now as a signed answer (docs/seal-status.md): DER SealStatusResponse
  // signed by the seal's maker, `nonce` echoed. A deregistered or abnormal holder's seals
  // are answered holderInactive, never in force. NotFound for an unknown esID;
  // FailedPrecondition for a seal another system made (only its maker can answer).
  virtual Result<Bytes> SignedSealStatus(std::string_view esid, std::optional<Bytes> nonce) = 0;
  // The evidence record (verify/evidence_record.h) kept for the signature whose value has
  // SM3 `signature_sm3` (hex); NotFound when the platform made no such signature.
  virtual Result<Bytes> Evidence(std::string_view signature_sm3) = 0;
  // Adds an archive timestamp to evidence records whose newest one is due for renewal
  // (its TSA certificate ends within 180 days); called by the server daily. Returns how
  // many were renewed.
  virtual Result<int> RenewEvidence() = 0;

  // ---- audit (L8) ----
  struct AuditVerification {
    bool ok = false;
    int64_t entries = 0;
    int64_t checkpoints = 0;
    int64_t timestamped_checkpoints = 0;  // with a verified timestamp token
    int64_t mac_entries = 0;              // chained by a MAC under the KEK (format 2)
    int64_t exported_checkpoints = 0;     // found in the export file and matching
    std::optional<int64_t> first_broken_seq;
    std::string problem;
  };
  // Operator: recompute the chain and the checkpoint signatures.
  virtual Result<AuditVerification> VerifyAudit(const Caller& c) = 0;
  virtual Result<std::vector<AuditEntry>> ListAudit(const Caller& c, int64_t after_seq, int limit) = 0;
  // Signs the current head (called periodically by the server and after bursts): each
  // checkpoint also signs the previous one's hash and carries a timestamp token over its
  // signature (when the TSA is issuing), so none can be removed or re-dated unseen.
  virtual Status CheckpointAudit() = 0;

  // ---- government-service seals (G11-G19) ----
  // Operator: the administrative hierarchy (region → city → county, GB/T 2260 codes).
  virtual Result<Area> UpsertArea(const Caller& c, const Area& area) = 0;
  virtual Result<std::vector<Area>> ListAreas(const Caller& c) = 0;
  // Department seals use Apply/Review too: a department's application is reviewed by the
  // reviewer of its own level's office first, then each level up to the region, whose
  // approval makes the seal (G13). A reviewer sees and decides only applications in its
  // area at its level. The image comes from the supplied impression (G12).

  // ---- filing with the national platform (G11, G18) ----
  virtual Result<std::vector<FilingRecord>> ListFilings(const Caller& c,
                                                        std::optional<FilingStatus> status,
                                                        Page page) = 0;
  // Operator: bundles every pending record into a batch signed by the platform key.
  virtual Result<FilingBatch> ExportFilings(const Caller& c) = 0;
  virtual Result<FilingBatch> AcknowledgeFilingBatch(const Caller& c, std::string_view batch_id) = 0;
  // Operator: one exported batch (its status and the signed export).
  virtual Result<FilingBatch> GetFilingBatch(const Caller& c, std::string_view batch_id) = 0;

  // ---- public notice (公示) of government seal changes and revocations ----
  struct Notice {
    std::string esid, seal_name, holder_name, kind;
    SealEventType event = SealEventType::kRevoked;
    std::string reason;
    Time at{};
  };
  virtual Result<std::vector<Notice>> PublicNotices(int limit) = 0;

  // ---- integration clients (E10, E12, E13) ----
  struct ClientApplication {
    std::string name, scenario, contact, holder_id;
    ClientType type = ClientType::kVendor;
  };
  // Public: an outside system applies for access.
  virtual Result<Client> ApplyForAccess(const ClientApplication& in) = 0;
  struct ClientDecision {
    Client client;
    std::string token;  // on approval: the client's credential, shown once
  };
  // Operator: approve (issues a credential), reject, suspend (refused at once), resume.
  virtual Result<ClientDecision> ReviewClient(const Caller& c, std::string_view client_id,
                                              bool approve, std::string_view reason) = 0;
  virtual Result<Client> SuspendClient(const Caller& c, std::string_view client_id,
                                       std::string_view reason) = 0;
  virtual Result<Client> ResumeClient(const Caller& c, std::string_view client_id) = 0;
  virtual Result<Client> SetClientRateLimit(const Caller& c, std::string_view client_id,
                                            int per_minute) = 0;
  virtual Result<std::vector<Client>> ListClients(const Caller& c,
                                                  std::optional<ClientStatus> status, Page page) = 0;
  // Holder admin: authorise a vendor client to sign with some of its seals until a time;
  // withdraw stops signing at once.
  virtual Result<VendorAuthorisation> Authorise(const Caller& c, std::string_view client_id,
                                                const std::vector<std::string>& seal_ids,
                                                Time valid_until) = 0;
  virtual Result<VendorAuthorisation> WithdrawAuthorisation(const Caller& c,
                                                            std::string_view authorisation_id) = 0;
  virtual Result<std::vector<VendorAuthorisation>> ListAuthorisations(const Caller& c) = 0;

  // ---- filing of seals made by other systems (备案, E11) ----
  // Approved vendor client (or operator): checks structure, maker signature, maker is a
  // registered trust anchor, holder registered and active, no other active seal of the
  // kind (the existing one is named in the refusal).
  virtual Result<Seal> FileSeal(const Caller& c, ByteView seal_der, std::string_view holder_uscc,
                                std::string_view seal_kind) = 0;

  // ---- mutual recognition (E9, G7) ----
  struct AnchorInput {
    std::string system_name;
    AnchorKind kind = AnchorKind::kCaRoot;
    Bytes cert_der;
    std::string crl_url, status_url;
    Bytes crl_der;  // optional: the system's current CRL, used until it is replaced
    // Optional: the system's intermediate (issuing) CA certificates, DER, each a CA that
    // chains to `cert_der`; its seals then chain maker → issuing CA → registered root.
    std::vector<Bytes> intermediates;
    // What the anchor vouches for; absent: DefaultAnchorRoles(kind). A maker certificate
    // vouches only for itself as a seal maker (or a TSA); a CA root for any roles.
    std::optional<AnchorRoles> roles;
    // For a CA root with the seal-maker role: the policy OIDs its maker certificates carry;
    // absent: eseal's maker policy. Must be absent or empty otherwise.
    std::optional<std::vector<std::string>> maker_policies;
  };
  virtual Result<TrustAnchorRecord> RegisterAnchor(const Caller& c, const AnchorInput& in) = 0;
  // Operator: changes what an anchor vouches for (audited with the roles before and after).
  // `maker_policies` as in AnchorInput; absent keeps the ones on record when the anchor
  // still vouches for seal makers.
  virtual Result<TrustAnchorRecord> SetAnchorRoles(const Caller& c, std::string_view id, AnchorRoles roles,
                                                   std::optional<std::vector<std::string>> maker_policies) = 0;
  // Operator: the other system published a newer CRL (from the anchor or one of its
  // intermediates); it replaces the one on record from the same issuer. Older or equal
  // CRLs are refused (FailedPrecondition), CRLs from elsewhere are InvalidArgument.
  virtual Result<TrustAnchorRecord> UpdateAnchorCrl(const Caller& c, std::string_view id, ByteView crl_der) = 0;
  virtual Result<TrustAnchorRecord> DeactivateAnchor(const Caller& c, std::string_view id) = 0;
  virtual Result<std::vector<TrustAnchorRecord>> ListAnchors(const Caller& c) = 0;

  // ---- use approval and register (E19, G16) ----
  virtual Result<Seal> SetRequiresApproval(const Caller& c, std::string_view seal_id, bool on) = 0;
  struct UseRequestInput {
    std::string seal_id;
    std::string document_hash;  // SM3 hex of the document to be signed
    std::string purpose;
  };
  virtual Result<UsageRequest> RequestUse(const Caller& c, const UseRequestInput& in) = 0;
  // An approver of the seal (holder admin or a user granted can_approve): approve with a
  // window, or reject. An approved request signs once, within its window, that document.
  virtual Result<UsageRequest> DecideUse(const Caller& c, std::string_view request_id, bool approve,
                                         std::string_view reason, Time window_end) = 0;
  virtual Result<std::vector<UsageRequest>> ListUsageRequests(const Caller& c,
                                                              std::string_view seal_id,
                                                              Page page) = 0;

  // ---- archiving (归档, G20) ----
  // A signed government document with its verification report and the evidence to
  // re-verify it later (certificates, CRL, seal status at signing time), fixed once written.
  virtual Result<ArchiveEntry> Archive(const Caller& c, ByteView document, std::string_view name) = 0;
  virtual Result<ArchiveEntry> GetArchive(const Caller& c, std::string_view id) = 0;
  virtual Result<std::vector<ArchiveEntry>> ListArchives(const Caller& c, Page page) = 0;
  // Recomputes the entry hash and checks the platform signature: is it still as written?
  virtual Result<Report> VerifyArchive(const Caller& c, std::string_view id) = 0;
};

// GB 32100-2015 check of a unified social credit code (统一社会信用代码): 18 characters
// from the code set, with the check digit.
Status ValidateUscc(std::string_view uscc);
// The check character (the 18th) of a code's first 17 characters; InvalidArgument for a
// wrong length or a character outside the code set.
Result<char> UsccCheckCharacter(std::string_view first17);

}  // namespace eseal::platform
