// The platform's domain records (印章平台): holders of seals (enterprises and government
// departments), accounts and clients, applications and their reviews, seals and their
// life events, signatures (the usage register), trust anchors, filings, approvals,
// archives and the audit log. Plain values; the repositories (repository.h) store them and
// the use cases (platform.h) decide what may happen to them.
// Times are eseal::Time (UTC seconds). Ids are opaque strings made by the platform.
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/time.h"

namespace eseal::platform {

// ---- holders ------------------------------------------------------------------------

enum class HolderKind { kEnterprise, kDepartment };
// Registry operating status (经营状态). Only kActive may apply for or use seals (E25).
enum class HolderStatus { kActive, kAbnormal, kRevoked, kDeregistered };

struct Holder {
  std::string id;
  HolderKind kind = HolderKind::kEnterprise;
  std::string uscc;       // 统一社会信用代码 (GB 32100), check digit validated
  std::string name;       // legal name (法定名称)
  std::string legal_rep;  // legal representative (法定代表人) or head of department
  HolderStatus status = HolderStatus::kActive;
  std::string area_code;  // GB/T 2260 code; required for departments
  Time created_at{};
  Time updated_at{};
};

// An administrative area (行政区划) with its level; departments and reviewers live in one.
enum class AreaLevel { kRegion = 1, kCity = 2, kCounty = 3 };
struct Area {
  std::string code;         // 6 digits, GB/T 2260
  std::string name;
  AreaLevel level = AreaLevel::kRegion;
  std::string parent_code;  // empty for the region
};

// A physical seal impression (实物印章印模) supplied by the public-security feed (E8, G12).
struct Impression {
  std::string id;
  std::string holder_id;
  std::string seal_kind;  // sealimg kind name: "legal-name", "contract", ...
  Bytes png;
  std::string supplied_by;  // account or client id
  Time created_at{};
};

// ---- accounts and clients -----------------------------------------------------------

enum class Role {
  kOperator,     // platform operator (大数据发展局 / 建设方): registry, reviews, clients, anchors
  kHolderAdmin,  // a holder's administrator: applies for seals, grants use, approves use
  kHolderUser,   // a holder's staff member: signs with seals granted to them
  kReviewer,     // government-service reviewer of one area level (逐级审核, G13)
  kClient,       // an integrated outside system (E10): see Client
};

struct Account {
  std::string id;
  std::string name;
  Role role = Role::kHolderUser;
  std::string holder_id;  // holder roles
  std::string area_code;  // reviewers: the office's area
  bool disabled = false;
  Time created_at{};
};

// Bearer credentials: only a hash is stored (SM3 of the token).
struct Credential {
  std::string token_hash;  // hex
  std::string account_id;  // or
  std::string client_id;
  Time created_at{};
  std::optional<Time> revoked_at;
  std::string id;     // public handle "tok_..." (listing, revoking, rotating); empty on old rows
  std::string label;  // what the token is for, as its owner named it
  std::string scopes = "read sign write";  // space-separated; see docs/security.md
  std::optional<Time> expires_at;          // none: an old token made before expiry existed
};

// A person's sign-in (登录): login name, PBKDF2-HMAC-SM3 password hash, failures and
// lockout, and the TOTP secret (RFC 6238) sealed under the KEK. Made with the account;
// the person sets the password (and receives the TOTP secret) with the one-time
// enrolment code the account's creator handed over.
struct Login {
  std::string account_id;
  std::string login;
  std::string password_hash;  // "pbkdf2-sm3$<iterations>$<salt b64>$<hash b64>", or "" before enrolment
  int failures = 0;
  std::optional<Time> locked_until;
  Bytes totp_sealed;           // SM4-GCM under PRF_KEK("eseal/totp/v1"); empty: no second factor
  int64_t totp_last_step = 0;  // the newest time step used (a code is accepted once)
  std::string enrolment_hash;  // SM3 of the one-time enrolment code; "" once used
  std::optional<Time> enrolment_expires;
  Time updated_at{};
};

// A browser session (会话): only hashes of its id and CSRF token are stored.
struct Session {
  std::string id_hash;
  std::string account_id;
  std::string csrf_hash;
  Time created_at{};
  Time last_seen_at{};
  Time expires_at{};  // absolute end
  std::optional<Time> revoked_at;
};

// An integrated outside system (接入系统, E10–E13).
enum class ClientType { kAgency, kEnterprise, kVendor, kRegulatorFeed, kSecurityFeed };
enum class ClientStatus { kPending, kApproved, kRejected, kSuspended };
struct Client {
  std::string id;
  std::string name;
  ClientType type = ClientType::kVendor;
  std::string scenario;  // what it uses the platform for
  std::string contact;
  std::string holder_id;  // enterprise clients: the enterprise it belongs to
  ClientStatus status = ClientStatus::kPending;
  int rate_limit_per_minute = 600;
  std::string decision_reason;
  Time created_at{};
  Time updated_at{};
};

// An enterprise's authorisation of a vendor client to sign with some of its seals.
struct VendorAuthorisation {
  std::string id;
  std::string client_id;
  std::string holder_id;
  std::vector<std::string> seal_ids;  // empty: none
  Time valid_until{};
  std::optional<Time> withdrawn_at;
  std::string created_by;
  Time created_at{};
};

// Per-seal permission of a holder user (授权用章).
struct SealGrant {
  std::string seal_id;
  std::string account_id;
  bool can_use = true;
  bool can_approve = false;
};

// ---- applications -------------------------------------------------------------------

enum class ApplicationType {
  kNewSeal,         // 申请
  kRenew,           // 续期 (S4: only in the 30 days before expiry)
  kChange,          // 变更 (L5: a new seal; the old one invalid from then)
  kRevoke,          // 注销 (L6)
  kPasswordChange,  // 修改保护口令 (E20: needs an approved application)
};
enum class ApplicationStatus { kPending, kApproved, kRejected, kCompleted, kCancelled };

struct ReviewStep {
  int level = 0;           // AreaLevel for departments; 0 for the operator's single review
  std::string area_code;   // which office reviewed
  std::string reviewer_id;
  bool approved = false;
  std::string reason;
  Time decided_at{};
};

struct Application {
  std::string id;
  std::string holder_id;
  ApplicationType type = ApplicationType::kNewSeal;
  std::string seal_kind;   // new seals
  std::string seal_id;     // renew / change / revoke / password change: the seal concerned
  std::string seal_name;   // the text on the seal (defaults to the holder's name)
  std::string reason;      // why (revocation reason, change reason)
  // New seals: the key pair is made at application time and protected at once with the
  // applicant's protection password, so the password is never kept (DESIGN.md).
  Bytes protected_key;
  Bytes public_key_spki;
  ApplicationStatus status = ApplicationStatus::kPending;
  int next_level = 0;      // departments: the level whose office reviews next
  std::vector<ReviewStep> reviews;
  std::string submitted_by;
  std::string result_seal_id;  // the seal made or changed
  Time created_at{};
  Time updated_at{};
};

// ---- seals --------------------------------------------------------------------------

enum class SealStatus {
  kActive,
  kSuspended,   // 停用 (temporarily)
  kRevoked,     // 注销 / 失控: never signs again
  kSuperseded,  // replaced by a changed or renewed seal
  kExpired,
};
enum class SealOrigin { kPlatform, kFiled };  // made here, or filed by another system (E11)

struct Seal {
  std::string id;
  std::string esid;        // the SES_Seal esID, unique
  std::string holder_id;
  std::string kind;        // sealimg kind name
  int copy_no = 1;         // business seals may have numbered copies
  std::string name;        // text of the seal
  SealOrigin origin = SealOrigin::kPlatform;
  SealStatus status = SealStatus::kActive;
  Time valid_from{};
  Time valid_to{};
  Bytes seal_der;          // the SES_Seal
  Bytes image_png;
  Bytes signer_cert_der;
  std::string cert_serial_hex;
  Bytes protected_key;     // only for platform seals: SM4-GCM under password + KEK
  std::string kek_id;
  int failed_attempts = 0;  // consecutive wrong protection passwords
  bool locked = false;       // locked after 5 in a row until the operator unlocks it
  bool requires_approval = false;  // use needs an approved request (用章审批, E19)
  std::string anchor_id;     // filed seals: the registered maker they come from
  std::string replaces_id;   // renewal / change: the seal this one replaced
  std::string application_id;
  Time created_at{};
  Time updated_at{};
};

// A life event of a seal; its status at any time is the replay of these (E22: documents
// signed while the seal was valid stay verifiable).
enum class SealEventType { kMade, kSuspended, kResumed, kRevoked, kSuperseded, kFiled };
struct SealEvent {
  std::string seal_id;
  SealEventType type = SealEventType::kMade;
  Time at{};
  std::string reason;
  std::string actor;
};

// A public notice (公示) of a government seal's change, suspension, resumption or revocation:
// what the public sees, copied when the event happens (names as they were then).
struct SealNotice {
  std::string esid, seal_name, holder_name, kind;
  SealEventType event = SealEventType::kRevoked;
  std::string reason;
  Time at{};
  std::string seal_id;
};

// ---- the platform's own CA and identity ----------------------------------------------

// A certificate the platform issued (its CA index), for revocation and the CRL.
struct IssuedCertificate {
  std::string serial_hex;
  std::string role;        // "signer", "seal-maker", "issuing-ca", "root-ca"
  std::string subject;
  Bytes der;
  Time not_after{};
  std::optional<Time> revoked_at;
  int revocation_reason = 0;  // RFC 5280 CRLReason
};

// Named key material and certificates of the platform (root CA, issuing CA, seal maker,
// audit signer), keys protected by the KEK.
struct PlatformKey {
  std::string name;        // "root-ca", "issuing-ca", "seal-maker"
  Bytes cert_der;
  Bytes protected_key;
  std::string kek_id;
  Time created_at{};
};

// ---- use ----------------------------------------------------------------------------

// The usage register (用章登记, E19/G16): one row per signature made through the platform.
struct SignatureRecord {
  std::string id;
  std::string seal_id;
  std::string holder_id;
  std::string actor_id;     // account that signed
  std::string client_id;    // client the call came through, if any
  std::string document_hash;  // SM3 hex of the document as received
  // SM3 hex of the signature value the platform made (the SES_Signature DER in
  // SignedValue.dat): verification finds the record — and the platform's own time of
  // signing — from the document alone.
  std::string signed_hash;
  std::string document_name;
  std::string format;         // "ofd", "ses"
  std::string request_id;     // the approved usage request it consumed, if any
  Time signed_at{};
  // The timestamp token (时间戳) in the signature: its serial (hex) and genTime. Empty for
  // signatures made before the platform stamped them.
  std::string tsa_serial;
  std::optional<Time> tsa_gen_time;
};

// The evidence record kept for one signature (verify/evidence_record.h holds the format).
struct EvidenceRow {
  std::string signature_hash;  // SM3 hex of the signature value
  std::string signature_id;    // the usage register's record
  Bytes der;
  Time created_at{};
  Time renew_after{};
  std::optional<Time> renewed_at;
};

// One token the platform's own TSA issued (the TSA's log, docs/trusted-time.md).
struct TimestampTokenRecord {
  std::string serial_hex;
  std::string imprint_algorithm;  // dotted OID
  std::string imprint_hex;
  Time gen_time{};
  std::string purpose;    // "signature", "api", "audit_checkpoint", "evidence"
  std::string requester;  // account or client id, "addr:<ip>" for the public route, "system"
  Time created_at{};
};

// A request to use a seal that requires approval (用章审批).
enum class UsageRequestStatus { kPending, kApproved, kRejected, kUsed, kExpired };
struct UsageRequest {
  std::string id;
  std::string seal_id;
  std::string requester_id;
  std::string document_hash;  // SM3 hex of the document to be signed
  std::string purpose;
  UsageRequestStatus status = UsageRequestStatus::kPending;
  std::string approver_id;
  std::string decision_reason;
  Time window_start{};
  Time window_end{};
  std::string signature_id;  // once used
  Time created_at{};
};

// ---- mutual recognition and filing ----------------------------------------------------

// Another seal system's trust anchor registered by the operator (互信互认, E9/G7).
enum class AnchorKind { kMakerCertificate, kCaRoot };
// What an anchor vouches for (DESIGN.md "Anchors have roles"): a set of bits, the same bits
// as verify::Role (kept here so that the records need nothing above base; verification.cc
// checks they agree). Names in JSON and the database: "seal_maker", "signer", "tsa".
using AnchorRoles = unsigned;
inline constexpr AnchorRoles kAnchorSealMaker = 1u << 0;  // 制章人: makes seals (signs SES_Seal)
inline constexpr AnchorRoles kAnchorSigner = 1u << 1;     // 签章人: signs documents with a seal
inline constexpr AnchorRoles kAnchorTsa = 1u << 2;        // 时间戳: signs timestamp tokens
inline constexpr AnchorRoles kAllAnchorRoles = kAnchorSealMaker | kAnchorSigner | kAnchorTsa;
// eseal's seal-maker certificate policy, 1.3.6.1.4.1.32473.1.1 (x509::SealMakerPolicy()).
inline constexpr std::string_view kEsealMakerPolicy = "1.3.6.1.4.1.32473.1.1";

struct TrustAnchorRecord {
  std::string id;
  std::string system_name;  // the other seal system
  AnchorKind kind = AnchorKind::kCaRoot;
  Bytes cert_der;
  std::string crl_url;
  std::string status_url;
  bool active = true;
  Time created_at{};
  // Set by the operator; registration defaults them by kind (DefaultAnchorRoles).
  AnchorRoles roles = 0;
  // For a kCaRoot anchor with kAnchorSealMaker: the policy OIDs (dotted) one of which a
  // maker certificate under it must carry (certificatePolicies or extendedKeyUsage).
  // Empty otherwise: a registered maker certificate vouches for itself.
  std::vector<std::string> maker_policies;
};

// The roles an anchor of `kind` gets when the operator names none, and the roles a
// registration before anchors had roles was given (migration 0002): a CA root vouches for
// signers and, through leaves carrying eseal's maker policy, for seal makers; a maker
// certificate for itself as a seal maker.
AnchorRoles DefaultAnchorRoles(AnchorKind kind);
std::vector<std::string> DefaultMakerPolicies(AnchorKind kind);
// "seal_maker,signer" (in bit order; "" for none).
std::string AnchorRolesName(AnchorRoles roles);
// Comma-separated names ("maker" is read as "seal_maker"); spaces around names are
// ignored; an unknown name is InvalidArgument. "" is the empty set.
Result<AnchorRoles> ParseAnchorRoles(std::string_view s);

// A filing record for the national platform (备案, G11/G18).
enum class FilingEvent { kMade, kChanged, kRevoked };
enum class FilingStatus { kPending, kExported, kAcknowledged };
struct FilingRecord {
  std::string id;
  std::string seal_id;
  FilingEvent event = FilingEvent::kMade;
  std::string payload_json;  // seal code, unit codes, holder, kind, validity, fingerprints
  std::string batch_id;
  FilingStatus status = FilingStatus::kPending;
  Time created_at{};
};

struct FilingBatch {
  std::string id;
  Bytes signed_export;  // the export the national platform takes, signed by the platform
  FilingStatus status = FilingStatus::kExported;
  Time created_at{};
  std::optional<Time> acknowledged_at;
};

// An archived signed government document with its evidence (归档, G20). Fixed once written.
struct ArchiveEntry {
  std::string id;
  std::string holder_id;
  std::string document_hash;
  Bytes document;
  std::string report_json;
  Bytes evidence;       // certificates, CRLs, seal status at signing time (JSON)
  std::string entry_hash;  // SM3 over the fields above
  Bytes platform_signature;
  Time created_at{};
};

// ---- audit --------------------------------------------------------------------------

// One entry of the append-only audit log, chained: hash = SM3(prev_hash || canonical
// entry). Kept after a seal dies (L8).
struct AuditEntry {
  int64_t seq = 0;
  Time at{};
  std::string actor;        // account or client id, or "system"
  std::string action;       // "seal.made", "seal.sign", "seal.password_wrong", ...
  std::string object_type;  // "seal", "application", "client", ...
  std::string object_id;
  std::string details_json; // no secrets, ever
  std::string prev_hash;    // hex
  std::string hash;         // hex
};

// The chain head signed by the platform key, so truncation and rewriting are caught.
struct AuditCheckpoint {
  int64_t seq = 0;
  std::string hash;
  Bytes signature;
  Time at{};
  // Format 2 (trusted time): the signed message also names the previous checkpoint
  // (prev_checkpoint: SM3 hex of its signature, "" for the first), and `token` is a
  // timestamp token over SM3(signature). Format 1 rows (older) have neither.
  int format = 1;
  std::string prev_checkpoint;
  std::optional<Bytes> token;
};

// Names used in JSON and in the database.
std::string_view Name(HolderKind v);
std::string_view Name(HolderStatus v);
std::string_view Name(Role v);
std::string_view Name(ClientType v);
std::string_view Name(ClientStatus v);
std::string_view Name(ApplicationType v);
std::string_view Name(ApplicationStatus v);
std::string_view Name(SealStatus v);
std::string_view Name(SealOrigin v);
std::string_view Name(SealEventType v);
std::string_view Name(UsageRequestStatus v);
std::string_view Name(AnchorKind v);
std::string_view Name(FilingEvent v);
std::string_view Name(FilingStatus v);
std::string_view Name(AreaLevel v);

Result<HolderKind> ParseHolderKind(std::string_view s);
Result<HolderStatus> ParseHolderStatus(std::string_view s);
Result<Role> ParseRole(std::string_view s);
Result<ClientType> ParseClientType(std::string_view s);
Result<ClientStatus> ParseClientStatus(std::string_view s);
Result<ApplicationType> ParseApplicationType(std::string_view s);
Result<ApplicationStatus> ParseApplicationStatus(std::string_view s);
Result<SealStatus> ParseSealStatus(std::string_view s);
Result<SealOrigin> ParseSealOrigin(std::string_view s);
Result<SealEventType> ParseSealEventType(std::string_view s);
Result<UsageRequestStatus> ParseUsageRequestStatus(std::string_view s);
Result<AnchorKind> ParseAnchorKind(std::string_view s);
Result<FilingEvent> ParseFilingEvent(std::string_view s);
Result<FilingStatus> ParseFilingStatus(std::string_view s);

}  // namespace eseal::platform
