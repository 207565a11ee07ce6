// A Platform for the HTTP layer's unit tests: tokens map to callers, every use case records
// its name and the arguments the tests look at, and returns a plain record (or the error a
// test sets with FailNext). The real platform is exercised by api_platform_test.cc.
// Thread-safety: guarded by a mutex (the server tests call it from worker threads).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "eseal/platform/platform.h"

namespace eseal::http::testing {

using namespace eseal::platform;

class FakePlatform final : public Platform {
 public:
  // Tokens of the callers tests use.
  static constexpr const char* kOperatorToken = "esk_operator_token";
  static constexpr const char* kAdminToken = "esk_holder_admin_token";
  static constexpr const char* kClientToken = "esk_client_token";
  static constexpr const char* kSuspendedToken = "esk_suspended_client";

  FakePlatform() {
    Caller op;
    op.account_id = "acc_op";
    op.role = Role::kOperator;
    op.name = "operator";
    tokens_[kOperatorToken] = op;
    Caller admin;
    admin.account_id = "acc_admin";
    admin.role = Role::kHolderAdmin;
    admin.holder_id = "hol_1";
    admin.name = "admin";
    tokens_[kAdminToken] = admin;
    Caller client;
    client.client_id = "cli_1";
    client.role = Role::kClient;
    client.client_type = ClientType::kVendor;
    client.rate_limit_per_minute = 3;
    client.name = "vendor";
    tokens_[kClientToken] = client;
    Caller reader = admin;
    reader.scopes = "read";
    tokens_[kReadOnlyToken] = reader;
  }

  // The names of the use cases called, in order.
  std::vector<std::string> calls() const {
    std::lock_guard<std::mutex> l(mu_);
    return calls_;
  }
  void ClearCalls() {
    std::lock_guard<std::mutex> l(mu_);
    calls_.clear();
  }
  // The next use case (not Authenticate) fails with `s`.
  void FailNext(Status s) {
    std::lock_guard<std::mutex> l(mu_);
    fail_next_ = std::move(s);
  }
  void SetTestClientRateLimit(int per_minute) {
    std::lock_guard<std::mutex> l(mu_);
    tokens_[kClientToken].rate_limit_per_minute = per_minute;
  }

  // What the last calls received.
  std::vector<HolderInput> holders_in;
  std::string last_password;  // from Apply / SignDocument / ChangePassword (tests only)
  SignInput last_sign;
  Bytes last_document;
  std::vector<Bytes> last_intermediates;  // RegisterAnchor
  std::optional<AnchorRoles> last_roles;   // RegisterAnchor, SetAnchorRoles
  std::optional<std::vector<std::string>> last_maker_policies;
  std::string last_id;
  std::string last_reason;
  HolderRepository::Filter last_holder_filter;
  Page last_page;
  std::optional<Time> last_at;

  Result<Caller> Authenticate(std::string_view token) override {
    std::lock_guard<std::mutex> l(mu_);
    calls_.push_back("Authenticate");
    if (token == kSuspendedToken) return PermissionDeniedError("this client is suspended by the platform operator");
    auto it = tokens_.find(std::string(token));
    if (it == tokens_.end()) return UnauthenticatedError("invalid token");
    return it->second;
  }

  Result<Holder> UpsertHolder(const Caller&, const HolderInput& in) override {
    RETURN_IF_ERROR(Enter("UpsertHolder"));
    std::lock_guard<std::mutex> l(mu_);
    holders_in.push_back(in);
    Holder h;
    h.id = "hol_" + std::to_string(holders_in.size());
    h.kind = in.kind.value_or(HolderKind::kEnterprise);
    h.uscc = in.uscc;
    h.name = in.name.value_or("");
    h.legal_rep = in.legal_rep.value_or("");
    h.status = in.status.value_or(HolderStatus::kActive);
    h.area_code = in.area_code.value_or("");
    h.created_at = h.updated_at = TimeFromUnix(1795000000);
    return h;
  }
  Result<Holder> GetHolder(const Caller&, std::string_view id) override {
    RETURN_IF_ERROR(Enter("GetHolder"));
    if (id != "hol_1") return NotFoundError("no holder " + std::string(id));
    Holder h;
    h.id = "hol_1";
    h.uscc = "91450100000000001X";
    h.name = "广西测试有限公司";
    return h;
  }
  Result<PageOf<Holder>> ListHolders(const Caller&, const HolderRepository::Filter& f, Page page) override {
    RETURN_IF_ERROR(Enter("ListHolders"));
    last_holder_filter = f;
    last_page = page;
    return PageOf<Holder>{std::vector<Holder>(2), 2};
  }
  Result<Impression> AttachImpression(const Caller&, std::string_view holder_id, std::string_view kind,
                                      ByteView png) override {
    RETURN_IF_ERROR(Enter("AttachImpression"));
    Impression i;
    i.id = "imp_1";
    i.holder_id = std::string(holder_id);
    i.seal_kind = std::string(kind);
    i.png = Bytes(png.begin(), png.end());
    return i;
  }
  Result<NewCredential> CreateAccount(const Caller&, const AccountInput& in) override {
    RETURN_IF_ERROR(Enter("CreateAccount"));
    NewCredential c;
    c.account.id = "acc_new";
    c.account.name = in.name;
    c.account.role = in.role;
    c.token = "esk_new";
    return c;
  }
  Status GrantSeal(const Caller&, const SealGrant&) override { return Enter("GrantSeal"); }
  // Sign-in over the fake: login "alice" with password "correct horse battery" opens the
  // session kSessionToken (CSRF kCsrfToken) of the admin; kReadOnlyToken has scope "read".
  static constexpr const char* kSessionToken = "ess_fake_session";
  static constexpr const char* kCsrfToken = "fake_csrf";
  static constexpr const char* kReadOnlyToken = "esk_read_only";
  Result<Enrolment> Enrol(const EnrolInput&) override {
    RETURN_IF_ERROR(Enter("Enrol"));
    return Enrolment{true, "JBSWY3DPEHPK3PXP", "otpauth://totp/eseal:alice?secret=JBSWY3DPEHPK3PXP"};
  }
  Result<NewSession> SignIn(const SignInInput& in) override {
    RETURN_IF_ERROR(Enter("SignIn"));
    if (in.login != "alice" || ToString(in.password.view()) != "correct horse battery") {
      return UnauthenticatedError("sign-in failed");
    }
    NewSession s;
    s.token = kSessionToken;
    s.csrf_token = kCsrfToken;
    s.account.id = "acc_admin";
    s.idle_seconds = 900;
    return s;
  }
  Status SignOut(std::string_view) override { return Enter("SignOut"); }
  Result<Caller> AuthenticateSession(std::string_view token, std::string_view csrf, bool state_changing) override {
    std::lock_guard<std::mutex> l(mu_);
    calls_.push_back("AuthenticateSession");
    if (token != kSessionToken) return UnauthenticatedError("the session has ended");
    if (state_changing && csrf != kCsrfToken) return PermissionDeniedError("no CSRF token");
    Caller c = tokens_[kAdminToken];
    c.via_session = true;
    return c;
  }
  Status ChangeOwnPassword(const Caller&, const SecretBytes&, const SecretBytes&) override {
    return Enter("ChangeOwnPassword");
  }
  Result<std::vector<Account>> ListAccounts(const Caller&, std::string_view, Page) override {
    RETURN_IF_ERROR(Enter("ListAccounts"));
    return std::vector<Account>{};
  }
  Result<Account> SetAccountDisabled(const Caller&, std::string_view id, bool disabled, std::string_view) override {
    RETURN_IF_ERROR(Enter(disabled ? "DisableAccount" : "EnableAccount"));
    Account a;
    a.id = std::string(id);
    a.disabled = disabled;
    return a;
  }
  Result<Account> HandOver(const Caller&, std::string_view, std::string_view to, std::string_view) override {
    RETURN_IF_ERROR(Enter("HandOver"));
    Account a;
    a.id = std::string(to);
    return a;
  }
  Result<std::string> ResetEnrolment(const Caller&, std::string_view) override {
    RETURN_IF_ERROR(Enter("ResetEnrolment"));
    return std::string("FAKEENROLMENTCODE");
  }
  Result<NewToken> CreateToken(const Caller&, const TokenInput& in) override {
    RETURN_IF_ERROR(Enter("CreateToken"));
    NewToken t;
    t.credential.id = "tok_1";
    t.credential.label = in.label;
    t.credential.scopes = in.scopes;
    t.token = "esk_new";
    return t;
  }
  Result<std::vector<Credential>> ListTokens(const Caller&, std::string_view) override {
    RETURN_IF_ERROR(Enter("ListTokens"));
    return std::vector<Credential>{};
  }
  Result<Credential> RevokeToken(const Caller&, std::string_view id) override {
    RETURN_IF_ERROR(Enter("RevokeToken"));
    Credential c;
    c.id = std::string(id);
    return c;
  }
  Result<NewToken> RotateToken(const Caller&, std::string_view id) override {
    RETURN_IF_ERROR(Enter("RotateToken"));
    NewToken t;
    t.credential.id = std::string(id) + "_next";
    t.token = "esk_rotated";
    return t;
  }
  Result<Application> SetApplicationPassword(const Caller&, std::string_view id, SecretBytes) override {
    RETURN_IF_ERROR(Enter("SetApplicationPassword"));
    Application a;
    a.id = std::string(id);
    return a;
  }
  Result<Application> Apply(const Caller&, ApplyInput in) override {
    RETURN_IF_ERROR(Enter("Apply"));
    last_password = ToString(in.password.view());
    Application a;
    a.id = "app_1";
    a.type = in.type;
    a.seal_kind = in.seal_kind;
    return a;
  }
  Result<Application> Review(const Caller&, std::string_view id, bool approve, std::string_view reason) override {
    RETURN_IF_ERROR(Enter(approve ? "Review(approve)" : "Review(reject)"));
    last_id = std::string(id);
    last_reason = std::string(reason);
    Application a;
    a.id = std::string(id);
    a.status = approve ? ApplicationStatus::kCompleted : ApplicationStatus::kRejected;
    return a;
  }
  Result<Application> GetApplication(const Caller&, std::string_view id) override {
    RETURN_IF_ERROR(Enter("GetApplication"));
    Application a;
    a.id = std::string(id);
    a.seal_id = "sea_1";
    return a;
  }
  Result<PageOf<Application>> ListApplications(const Caller&, const ApplicationRepository::Filter&,
                                               Page page) override {
    RETURN_IF_ERROR(Enter("ListApplications"));
    last_page = page;
    return PageOf<Application>{};
  }
  Status SetAutoApprove(const Caller&, bool) override { return Enter("SetAutoApprove"); }
  Result<Seal> GetSeal(const Caller&, std::string_view id) override {
    RETURN_IF_ERROR(Enter("GetSeal"));
    return MakeSeal(id);
  }
  Result<PageOf<Seal>> ListSeals(const Caller&, const SealRepository::Filter&, Page page) override {
    RETURN_IF_ERROR(Enter("ListSeals"));
    last_page = page;
    return PageOf<Seal>{{MakeSeal("sea_1")}, 10};
  }
  Result<Seal> Suspend(const Caller&, std::string_view id, std::string_view reason) override {
    RETURN_IF_ERROR(Enter("Suspend"));
    last_reason = std::string(reason);
    return MakeSeal(id);
  }
  Result<Seal> Resume(const Caller&, std::string_view id, std::string_view) override {
    RETURN_IF_ERROR(Enter("Resume"));
    return MakeSeal(id);
  }
  Result<Seal> Revoke(const Caller&, std::string_view id, std::string_view reason) override {
    RETURN_IF_ERROR(Enter("Revoke"));
    last_reason = std::string(reason);
    return MakeSeal(id);
  }
  Result<Seal> Unlock(const Caller&, std::string_view id) override {
    RETURN_IF_ERROR(Enter("Unlock"));
    return MakeSeal(id);
  }
  Status ChangePassword(const Caller&, std::string_view, const SecretBytes& old_pw, const SecretBytes& new_pw) override {
    RETURN_IF_ERROR(Enter("ChangePassword"));
    last_password = ToString(old_pw.view()) + "|" + ToString(new_pw.view());
    return Status::Ok();
  }
  Result<int> ExpireSeals() override {
    RETURN_IF_ERROR(Enter("ExpireSeals"));
    return 0;
  }
  Result<SignOutcome> SignDocument(const Caller&, SignInput in) override {
    RETURN_IF_ERROR(Enter("SignDocument"));
    last_password = ToString(in.password.view());
    last_sign.seal = in.seal;
    last_sign.document = in.document;
    last_sign.document_name = in.document_name;
    last_sign.placement = in.placement;
    last_sign.mode = in.mode;
    last_sign.usage_request_id = in.usage_request_id;
    last_sign.session = in.session;
    SignOutcome out;
    out.document = in.document;
    out.document.push_back('!');
    out.record.id = "sig_1";
    out.record.document_hash = "abc123";
    out.record.signed_hash = "def456";
    return out;
  }
  Result<SessionInfo> OpenSigningSession(const Caller&, OpenSessionInput in) override {
    RETURN_IF_ERROR(Enter("OpenSigningSession"));
    last_password = ToString(in.password.view());
    last_id = in.seal;
    SessionInfo i;
    i.id = "sgs_fake";
    i.ref = "0123456789abcdef";
    i.seal_id = in.seal;
    i.max_signatures = in.max_signatures ? in.max_signatures : 1000;
    i.remaining = i.max_signatures;
    return i;
  }
  Result<SessionInfo> GetSigningSession(const Caller&, std::string_view seal, std::string_view) override {
    RETURN_IF_ERROR(Enter("GetSigningSession"));
    SessionInfo i;
    i.ref = "0123456789abcdef";
    i.seal_id = std::string(seal);
    return i;
  }
  Status CloseSigningSession(const Caller&, std::string_view, std::string_view session) override {
    RETURN_IF_ERROR(Enter("CloseSigningSession"));
    last_id = std::string(session);
    return Status::Ok();
  }
  Result<int> ExpireSigningSessions() override {
    RETURN_IF_ERROR(Enter("ExpireSigningSessions"));
    return 0;
  }
  Result<PageOf<SignatureRecord>> ListSignatures(const Caller&, const SignatureRepository::Filter&,
                                                 Page page) override {
    RETURN_IF_ERROR(Enter("ListSignatures"));
    last_page = page;
    return PageOf<SignatureRecord>{};
  }
  Result<VerifyOutcome> VerifyOfd(ByteView document) override {
    RETURN_IF_ERROR(Enter("VerifyOfd"));
    last_document = Bytes(document.begin(), document.end());
    return VerifyOutcome{R"({"verdict":"PASSED","checks":[]})", Verdict::kPassed};
  }
  Result<VerifyOutcome> VerifyPdf(ByteView document) override {
    RETURN_IF_ERROR(Enter("VerifyPdf"));
    last_document = Bytes(document.begin(), document.end());
    return VerifyOutcome{R"({"verdict":"PASSED","checks":[],"signatures":[]})", Verdict::kPassed};
  }
  Result<VerifyOutcome> VerifyDetached(ByteView signature, ByteView data) override {
    RETURN_IF_ERROR(Enter("VerifyDetached"));
    last_document = Concat(signature, data);
    return VerifyOutcome{R"({"verdict":"FAILED","checks":[]})", Verdict::kFailed};
  }
  Result<SealStatusAt> SealStatusAtTime(std::string_view esid, std::optional<Time> at) override {
    RETURN_IF_ERROR(Enter("SealStatusAtTime"));
    last_at = at;
    SealStatusAt s;
    s.esid = std::string(esid);
    s.at = at.value_or(TimeFromUnix(1795000000));
    s.valid = true;
    return s;
  }
  Result<Bytes> CurrentCrl() override {
    RETURN_IF_ERROR(Enter("CurrentCrl"));
    return Bytes{0x30, 0x03, 0x02, 0x01, 0x01};
  }
  Result<Bytes> RootCrl() override {
    RETURN_IF_ERROR(Enter("RootCrl"));
    return Bytes{0x30, 0x03, 0x02, 0x01, 0x02};
  }
  Result<std::string> TrustBundlePem() override {
    RETURN_IF_ERROR(Enter("TrustBundlePem"));
    return std::string("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
  }
  Result<AuditVerification> VerifyAudit(const Caller&) override {
    RETURN_IF_ERROR(Enter("VerifyAudit"));
    AuditVerification v;
    v.ok = true;
    v.entries = 3;
    return v;
  }
  Result<PageOf<AuditEntry>> ListAudit(const Caller&, int64_t after, int limit) override {
    RETURN_IF_ERROR(Enter("ListAudit"));
    PageOf<AuditEntry> out{{}, after + 3};
    for (int i = 0; i < limit && i < 3; ++i) {
      AuditEntry e;
      e.seq = after + i + 1;
      e.details_json = R"({"k":"v"})";
      out.items.push_back(e);
    }
    return out;
  }
  Result<std::vector<AuditEntry>> ListSealAudit(const Caller&, std::string_view seal, Page page) override {
    RETURN_IF_ERROR(Enter("ListSealAudit"));
    last_page = page;
    AuditEntry e;
    e.seq = 1;
    e.action = "seal.made";
    e.object_type = "seal";
    e.object_id = std::string(seal);
    e.details_json = "{}";
    return std::vector<AuditEntry>{e};
  }
  Status CheckpointAudit() override { return Enter("CheckpointAudit"); }
  Result<Bytes> Timestamp(ByteView request, std::string_view) override {
    RETURN_IF_ERROR(Enter("Timestamp"));
    return Bytes(request.begin(), request.end());
  }
  Result<Bytes> SignedSealStatus(std::string_view esid, std::optional<Bytes> nonce) override {
    RETURN_IF_ERROR(Enter("SignedSealStatus"));
    Bytes out(esid.begin(), esid.end());
    if (nonce) out.insert(out.end(), nonce->begin(), nonce->end());
    return out;
  }
  Result<Bytes> Evidence(std::string_view sm3) override {
    RETURN_IF_ERROR(Enter("Evidence"));
    return Bytes(sm3.begin(), sm3.end());
  }
  Result<int> RenewEvidence() override {
    RETURN_IF_ERROR(Enter("RenewEvidence"));
    return 0;
  }
  TimeStatus TimeState() override {
    TimeStatus s;
    s.unsynchronised_accepted = true;
    s.clock_detail = "fake";
    s.issuing = true;
    return s;
  }
  Result<Area> UpsertArea(const Caller&, const Area& a) override {
    RETURN_IF_ERROR(Enter("UpsertArea"));
    return a;
  }
  Result<PageOf<Area>> ListAreas(const Caller&, Page page) override {
    RETURN_IF_ERROR(Enter("ListAreas"));
    last_page = page;
    return PageOf<Area>{};
  }
  Result<PageOf<FilingRecord>> ListFilings(const Caller&, std::optional<FilingStatus>, Page page) override {
    RETURN_IF_ERROR(Enter("ListFilings"));
    last_page = page;
    FilingRecord r;
    r.id = "fil_1";
    r.payload_json = R"({"seal":"x"})";
    return PageOf<FilingRecord>{{r}, 1};
  }
  Result<FilingBatch> ExportFilings(const Caller&) override {
    RETURN_IF_ERROR(Enter("ExportFilings"));
    FilingBatch b;
    b.id = "bat_1";
    b.signed_export = ToBytes("{}");
    return b;
  }
  Result<FilingBatch> AcknowledgeFilingBatch(const Caller&, std::string_view id) override {
    RETURN_IF_ERROR(Enter("AcknowledgeFilingBatch"));
    FilingBatch b;
    b.id = std::string(id);
    return b;
  }
  Result<FilingBatch> GetFilingBatch(const Caller&, std::string_view id) override {
    RETURN_IF_ERROR(Enter("GetFilingBatch"));
    FilingBatch b;
    b.id = std::string(id);
    return b;
  }
  Result<PageOf<Notice>> PublicNotices(Page page) override {
    RETURN_IF_ERROR(Enter("PublicNotices"));
    Notice n;
    n.esid = "45010000001";
    n.seal_name = "南宁市<测试>局";
    n.holder_name = "南宁市测试局";
    n.kind = "official";
    n.reason = "unit abolished & merged";
    n.at = TimeFromUnix(1795000000);
    return PageOf<Notice>{std::vector<Notice>(static_cast<size_t>(std::min(page.limit, 2)), n), 2};
  }
  Result<Client> ApplyForAccess(const ClientApplication& in) override {
    RETURN_IF_ERROR(Enter("ApplyForAccess"));
    Client c;
    c.id = "cli_new";
    c.name = in.name;
    c.type = in.type;
    return c;
  }
  Result<ClientDecision> ReviewClient(const Caller&, std::string_view id, bool approve, std::string_view) override {
    RETURN_IF_ERROR(Enter("ReviewClient"));
    ClientDecision d;
    d.client.id = std::string(id);
    if (approve) d.token = "esk_client_new";
    return d;
  }
  Result<Client> SuspendClient(const Caller&, std::string_view id, std::string_view) override {
    RETURN_IF_ERROR(Enter("SuspendClient"));
    Client c;
    c.id = std::string(id);
    return c;
  }
  Result<Client> ResumeClient(const Caller&, std::string_view id) override {
    RETURN_IF_ERROR(Enter("ResumeClient"));
    Client c;
    c.id = std::string(id);
    return c;
  }
  Result<Client> SetClientRateLimit(const Caller&, std::string_view id, int per_minute) override {
    RETURN_IF_ERROR(Enter("SetClientRateLimit"));
    Client c;
    c.id = std::string(id);
    c.rate_limit_per_minute = per_minute;
    return c;
  }
  Result<PageOf<Client>> ListClients(const Caller&, std::optional<ClientStatus>, Page page) override {
    RETURN_IF_ERROR(Enter("ListClients"));
    last_page = page;
    return PageOf<Client>{};
  }
  Result<VendorAuthorisation> Authorise(const Caller&, std::string_view client_id,
                                        const std::vector<std::string>& seal_ids, Time until,
                                        const SecretBytes&) override {
    RETURN_IF_ERROR(Enter("Authorise"));
    VendorAuthorisation a;
    a.id = "aut_1";
    a.client_id = std::string(client_id);
    a.seal_ids = seal_ids;
    a.valid_until = until;
    return a;
  }
  Result<std::vector<ClientBinding>> ListBindingRequests(const Caller&, std::optional<BindingStatus>,
                                                         Page page) override {
    RETURN_IF_ERROR(Enter("ListBindingRequests"));
    last_page = page;
    return std::vector<ClientBinding>{ClientBinding{"cli_1", "hol_1", BindingStatus::kRequested, "", {}, "", {}}};
  }
  Result<ClientBinding> DecideBinding(const Caller&, std::string_view client_id, bool confirm,
                                      std::string_view reason) override {
    RETURN_IF_ERROR(Enter("DecideBinding"));
    return ClientBinding{std::string(client_id), "hol_1",
                         confirm ? BindingStatus::kConfirmed : BindingStatus::kRefused, std::string(reason), {}, "acc_1", {}};
  }
  Result<VendorMaker> RegisterVendorMaker(const Caller&, std::string_view client_id,
                                          std::string_view anchor_id) override {
    RETURN_IF_ERROR(Enter("RegisterVendorMaker"));
    return VendorMaker{std::string(client_id), std::string(anchor_id), "acc_op", {}};
  }
  Result<std::vector<VendorMaker>> ListVendorMakers(const Caller&, std::string_view client_id) override {
    RETURN_IF_ERROR(Enter("ListVendorMakers"));
    return std::vector<VendorMaker>{VendorMaker{std::string(client_id), "anc_1", "acc_op", {}}};
  }
  Result<int> DestroyExpiredAuthorisationKeys() override {
    RETURN_IF_ERROR(Enter("DestroyExpiredAuthorisationKeys"));
    return 0;
  }
  Result<VendorAuthorisation> WithdrawAuthorisation(const Caller&, std::string_view id) override {
    RETURN_IF_ERROR(Enter("WithdrawAuthorisation"));
    VendorAuthorisation a;
    a.id = std::string(id);
    a.withdrawn_at = TimeFromUnix(1795000000);
    return a;
  }
  Result<PageOf<VendorAuthorisation>> ListAuthorisations(const Caller&, Page page) override {
    RETURN_IF_ERROR(Enter("ListAuthorisations"));
    last_page = page;
    return PageOf<VendorAuthorisation>{};
  }
  Result<Seal> FileSeal(const Caller&, ByteView der, std::string_view, std::string_view kind) override {
    RETURN_IF_ERROR(Enter("FileSeal"));
    last_document = Bytes(der.begin(), der.end());
    Seal s = MakeSeal("sea_filed");
    s.kind = std::string(kind);
    s.origin = SealOrigin::kFiled;
    return s;
  }
  Result<TrustAnchorRecord> RegisterAnchor(const Caller&, const AnchorInput& in) override {
    RETURN_IF_ERROR(Enter("RegisterAnchor"));
    last_document = in.cert_der;
    last_intermediates = in.intermediates;
    TrustAnchorRecord r;
    r.id = "anc_1";
    r.system_name = in.system_name;
    r.kind = in.kind;
    r.cert_der = in.cert_der;
    last_roles = in.roles;
    last_maker_policies = in.maker_policies;
    r.roles = in.roles.value_or(DefaultAnchorRoles(in.kind));
    r.maker_policies = in.maker_policies.value_or(DefaultMakerPolicies(in.kind));
    return r;
  }
  Result<TrustAnchorRecord> SetAnchorRoles(const Caller&, std::string_view id, AnchorRoles roles,
                                           std::optional<std::vector<std::string>> maker_policies) override {
    RETURN_IF_ERROR(Enter("SetAnchorRoles"));
    last_roles = roles;
    last_maker_policies = maker_policies;
    TrustAnchorRecord r;
    r.id = std::string(id);
    r.roles = roles;
    r.maker_policies = maker_policies.value_or(std::vector<std::string>{});
    return r;
  }
  Result<TrustAnchorRecord> UpdateAnchorCrl(const Caller&, std::string_view id, ByteView crl_der) override {
    RETURN_IF_ERROR(Enter("UpdateAnchorCrl"));
    last_document = Bytes(crl_der.begin(), crl_der.end());
    TrustAnchorRecord r;
    r.id = std::string(id);
    return r;
  }
  Result<TrustAnchorRecord> DeactivateAnchor(const Caller&, std::string_view id) override {
    RETURN_IF_ERROR(Enter("DeactivateAnchor"));
    TrustAnchorRecord r;
    r.id = std::string(id);
    r.active = false;
    return r;
  }
  Result<PageOf<TrustAnchorRecord>> ListAnchors(const Caller&, Page page) override {
    RETURN_IF_ERROR(Enter("ListAnchors"));
    last_page = page;
    return PageOf<TrustAnchorRecord>{};
  }
  Result<Seal> SetRequiresApproval(const Caller&, std::string_view id, bool on) override {
    RETURN_IF_ERROR(Enter("SetRequiresApproval"));
    Seal s = MakeSeal(id);
    s.requires_approval = on;
    return s;
  }
  Result<UsageRequest> RequestUse(const Caller&, const UseRequestInput& in) override {
    RETURN_IF_ERROR(Enter("RequestUse"));
    UsageRequest r;
    r.id = "use_1";
    r.seal_id = in.seal_id;
    r.document_hash = in.document_hash;
    return r;
  }
  Result<UsageRequest> DecideUse(const Caller&, std::string_view id, bool approve, std::string_view reason,
                                 Time window_end) override {
    RETURN_IF_ERROR(Enter(approve ? "DecideUse(approve)" : "DecideUse(reject)"));
    last_reason = std::string(reason);
    UsageRequest r;
    r.id = std::string(id);
    r.window_end = window_end;
    return r;
  }
  Result<PageOf<UsageRequest>> ListUsageRequests(const Caller&, std::string_view, Page page) override {
    RETURN_IF_ERROR(Enter("ListUsageRequests"));
    last_page = page;
    return PageOf<UsageRequest>{};
  }
  Result<ArchiveEntry> Archive(const Caller&, ByteView document, std::string_view name) override {
    RETURN_IF_ERROR(Enter("Archive"));
    last_document = Bytes(document.begin(), document.end());
    last_id = std::string(name);
    ArchiveEntry e;
    e.id = "arc_1";
    e.document = last_document;
    e.report_json = R"({"verdict":"PASSED","checks":[]})";
    e.evidence = ToBytes(R"({"crls":[]})");
    return e;
  }
  Result<ArchiveEntry> GetArchive(const Caller&, std::string_view id) override {
    RETURN_IF_ERROR(Enter("GetArchive"));
    ArchiveEntry e;
    e.id = std::string(id);
    e.document = ToBytes("OFD!");
    return e;
  }
  Result<PageOf<ArchiveEntry>> ListArchives(const Caller&, Page page) override {
    RETURN_IF_ERROR(Enter("ListArchives"));
    last_page = page;
    return PageOf<ArchiveEntry>{};
  }
  Result<Report> VerifyArchive(const Caller&, std::string_view) override {
    RETURN_IF_ERROR(Enter("VerifyArchive"));
    Report r;
    r.Pass("archive.entry_hash", "the entry is as written").params.emplace_back("seq", "1");
    return r;
  }

 private:
  Status Enter(std::string name) {
    std::lock_guard<std::mutex> l(mu_);
    calls_.push_back(std::move(name));
    if (fail_next_) {
      Status s = *fail_next_;
      fail_next_.reset();
      return s;
    }
    return Status::Ok();
  }
  static Seal MakeSeal(std::string_view id) {
    Seal s;
    s.id = std::string(id);
    s.esid = "45010000001";
    s.holder_id = "hol_1";
    s.kind = "contract";
    s.seal_der = Bytes{0x30, 0x00};
    s.image_png = Bytes{0x89, 'P', 'N', 'G'};
    s.protected_key = Bytes{1, 2, 3};
    return s;
  }

  mutable std::mutex mu_;
  std::map<std::string, Caller> tokens_;
  std::vector<std::string> calls_;
  std::optional<Status> fail_next_;
};

}  // namespace eseal::http::testing
