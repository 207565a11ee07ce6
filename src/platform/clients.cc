// Integration of outside systems (系统接入, E10, E12, E13): agencies, enterprises and service
// vendors apply; the operator approves (a credential is issued), rejects, suspends (refused
// at once) or resumes; a vendor signs for an enterprise only within that enterprise's
// recorded authorisation, which the enterprise can withdraw at any moment.
#include "internal.h"
#include "password_attempts.h"
#include "vendor_keys.h"

namespace eseal::platform {
namespace {
Status CheckField(std::string_view v, std::string_view what, size_t max) {
  if (v.empty()) return InvalidArgumentError(std::string(what) + " is required");
  if (v.size() > max) return InvalidArgumentError(std::string(what) + " is too long");
  return Status::Ok();
}

// Whether `c` may authorise the client for these seals (with key copies when a password is
// given): checked before any password is tried, so a refusal spends no attempt, and again
// in the transaction that records the authorisation. Returns the seals.
Result<std::vector<Seal>> CheckMayAuthorise(Tx& tx, const Caller& c, std::string_view client_id,
                                            const std::vector<std::string>& seal_ids, bool with_copies) {
  ASSIGN_OR_RETURN(Client cl, tx.clients().Get(client_id));
  if (cl.status != ClientStatus::kApproved) {
    return FailedPreconditionError("该接入系统尚未获平台运营方批准（当前：" + std::string(Name(cl.status)) +
                                   "），请待批准后再授权 / the client is " + std::string(Name(cl.status)) +
                                   ", not approved by the operator");
  }
  if (cl.type != ClientType::kVendor && cl.type != ClientType::kAgency) {
    return InvalidArgumentError("只能授权服务商或代理机构系统代为签章，请选择这类接入系统 / only vendor or agency "
                                "clients sign on an enterprise's behalf");
  }
  if (with_copies) {
    auto unlock = tx.bindings().GetUnlockKey(cl.id);
    if (!unlock.ok() && unlock.status().code() == StatusCode::kNotFound) {
      return FailedPreconditionError("该接入系统没有可解锁授权密钥的凭据，请由平台运营方重新签发其令牌后再授权 / the "
                                     "client has no unlock key for authorisation copies; the operator must issue its "
                                     "credential again");
    }
    if (!unlock.ok()) return unlock.status();
  }
  std::vector<Seal> seals;
  for (const std::string& id : seal_ids) {
    for (const Seal& seen : seals) {
      if (seen.id == id) return InvalidArgumentError("印章 " + id + " 重复列出，请每枚印章只列一次 / seal " + id + " is listed twice");
    }
    ASSIGN_OR_RETURN(Seal s, tx.seals().Get(id));
    if (s.holder_id != c.holder_id) {
      return PermissionDeniedError("印章 " + id + " 属于其他单位，只能授权本单位的印章 / seal " + id +
                                   " belongs to another holder");
    }
    if (with_copies && (s.origin != SealOrigin::kPlatform || s.protected_key.empty())) {
      return FailedPreconditionError("印章 " + id + " 由其他系统备案，平台不持有其密钥，不能免口令授权；请不带口令授权 / seal " +
                                     id + " was filed from another system; its key is not held here");
    }
    seals.push_back(std::move(s));
  }
  return seals;
}
}  // namespace

Result<Client> PlatformImpl::ApplyForAccess(const ClientApplication& in) {
  RETURN_IF_ERROR(CheckField(in.name, "name", 200));
  RETURN_IF_ERROR(CheckField(in.scenario, "scenario", 2000));
  RETURN_IF_ERROR(CheckField(in.contact, "contact", 200));
  if (in.type == ClientType::kEnterprise && in.holder_id.empty()) {
    return InvalidArgumentError("an enterprise client names its enterprise (holder_id)");
  }
  // Only an enterprise client belongs to a holder, and only once that holder agrees.
  if (in.type != ClientType::kEnterprise && !in.holder_id.empty()) {
    return InvalidArgumentError("只有企业自有系统申请绑定企业 / only an enterprise client asks for a holder (holder_id)");
  }
  Client cl;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    if (!in.holder_id.empty()) RETURN_IF_ERROR(tx.holders().Get(in.holder_id));
    Time now = Now();
    // The holder is asked for, not bound: holder_id stays empty until its administrator
    // confirms (DecideBinding, bindings.cc).
    cl = Client{NewId("cli"), in.name, in.type, in.scenario, in.contact, "", ClientStatus::kPending,
                600, "", now, now};
    RETURN_IF_ERROR(tx.clients().Insert(cl));
    Caller applicant;
    applicant.client_id = cl.id;
    applicant.role = Role::kClient;
    RETURN_IF_ERROR(Audit(tx, &applicant, "client.applied", "client", cl.id,
                          JsonObject({{"name", cl.name}, {"type", std::string(Name(cl.type))}, {"scenario", cl.scenario}})));
    if (in.holder_id.empty()) return Status::Ok();
    RETURN_IF_ERROR(tx.bindings().InsertBinding(ClientBinding{cl.id, in.holder_id, BindingStatus::kRequested, "", now, "", {}}));
    return Audit(tx, &applicant, "client.binding_requested", "client", cl.id, JsonObject({{"holder", in.holder_id}}));
  }));
  return cl;
}

Result<Platform::ClientDecision> PlatformImpl::ReviewClient(const Caller& c, std::string_view client_id,
                                                            bool approve, std::string_view reason) {
  RETURN_IF_ERROR(RequireOperator(c));
  if (!approve && reason.empty()) return InvalidArgumentError("a rejection needs a reason");
  ClientDecision out;
  if (approve) {
    ASSIGN_OR_RETURN(out.token, NewToken());
  }
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Client cl, tx.clients().Get(client_id));
    if (cl.status != ClientStatus::kPending) {
      return FailedPreconditionError("the client is already " + std::string(Name(cl.status)));
    }
    cl.status = approve ? ClientStatus::kApproved : ClientStatus::kRejected;
    cl.decision_reason = std::string(reason);
    cl.updated_at = Now();
    RETURN_IF_ERROR(tx.clients().Update(cl));
    if (approve) {
      RETURN_IF_ERROR(tx.credentials().Insert(
          NewTokenRow("", cl.id, out.token, "approval", "read sign write", o_.token_validity_days)));
    }
    // The unlock key of authorisation key copies goes with the credential (vendor_keys.h).
    if (approve && (cl.type == ClientType::kVendor || cl.type == ClientType::kAgency)) {
      RETURN_IF_ERROR(PutClientUnlockKey(*this, tx, cl.id, out.token));
    }
    out.client = cl;
    return Audit(tx, &c, approve ? "client.approved" : "client.rejected", "client", cl.id,
                 JsonObject({{"reason", std::string(reason)}}));
  }));
  return out;
}

Result<Client> PlatformImpl::SuspendClient(const Caller& c, std::string_view client_id, std::string_view reason) {
  RETURN_IF_ERROR(RequireOperator(c));
  if (reason.empty()) return InvalidArgumentError("a suspension needs a reason");
  Client cl;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(cl, tx.clients().Get(client_id));
    if (cl.status != ClientStatus::kApproved) {
      return FailedPreconditionError("only an approved client can be suspended; it is " + std::string(Name(cl.status)));
    }
    cl.status = ClientStatus::kSuspended;
    cl.decision_reason = std::string(reason);
    cl.updated_at = Now();
    RETURN_IF_ERROR(tx.clients().Update(cl));
    return Audit(tx, &c, "client.suspended", "client", cl.id, JsonObject({{"reason", std::string(reason)}}));
  }));
  return cl;
}

Result<Client> PlatformImpl::ResumeClient(const Caller& c, std::string_view client_id) {
  RETURN_IF_ERROR(RequireOperator(c));
  Client cl;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(cl, tx.clients().Get(client_id));
    if (cl.status != ClientStatus::kSuspended) return FailedPreconditionError("the client is not suspended");
    cl.status = ClientStatus::kApproved;
    cl.updated_at = Now();
    RETURN_IF_ERROR(tx.clients().Update(cl));
    return Audit(tx, &c, "client.resumed", "client", cl.id);
  }));
  return cl;
}

Result<Client> PlatformImpl::SetClientRateLimit(const Caller& c, std::string_view client_id, int per_minute) {
  RETURN_IF_ERROR(RequireOperator(c));
  if (per_minute < 1 || per_minute > 100000) return InvalidArgumentError("rate limit must be 1..100000 per minute");
  Client cl;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(cl, tx.clients().Get(client_id));
    cl.rate_limit_per_minute = per_minute;
    cl.updated_at = Now();
    RETURN_IF_ERROR(tx.clients().Update(cl));
    return Audit(tx, &c, "client.rate_limit", "client", cl.id, JsonObject({{"per_minute", std::to_string(per_minute)}}));
  }));
  return cl;
}

Result<PageOf<Client>> PlatformImpl::ListClients(const Caller& c, std::optional<ClientStatus> status, Page page) {
  RETURN_IF_ERROR(RequireOperator(c));
  PageOf<Client> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out.items, tx.clients().List(status, page));
    ASSIGN_OR_RETURN(out.total, tx.clients().Count(status));
    return Status::Ok();
  }));
  return out;
}

Result<VendorAuthorisation> PlatformImpl::Authorise(const Caller& c, std::string_view client_id,
                                                    const std::vector<std::string>& seal_ids, Time valid_until,
                                                    const SecretBytes& password) {
  if (c.role != Role::kHolderAdmin) {
    return PermissionDeniedError("只有企业管理员可以授权服务商代为签章 / only a holder's administrator authorises vendors");
  }
  if (seal_ids.empty()) return InvalidArgumentError("请至少选择一枚印章 / name at least one seal");
  if (seal_ids.size() > 100) {
    return InvalidArgumentError("一次授权最多 100 枚印章，请分次授权 / at most 100 seals per authorisation");
  }
  if (valid_until <= Now()) {
    return InvalidArgumentError("授权有效期须晚于当前时间，请重新选择截止时间 / valid_until must be in the future");
  }
  const bool with_copies = !password.empty();
  std::vector<Seal> seals;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(seals, CheckMayAuthorise(tx, c, client_id, seal_ids, with_copies));
    return Status::Ok();
  }));
  // With the password: each seal's key, unwrapped once (attempts counted as when signing),
  // for the copies this authorisation keeps (vendor_keys.h).
  std::vector<std::pair<Seal, crypto::Sm2PrivateKey>> keys;
  for (size_t i = 0; with_copies && i < seals.size(); ++i) {
    ASSIGN_OR_RETURN(Seal reserved, ReserveAttempt(*this, c, seals[i].id, "vendor authorisation"));
    ASSIGN_OR_RETURN(crypto::Sm2PrivateKey key, UnlockReserved(*this, c, reserved, password, "vendor authorisation"));
    keys.emplace_back(reserved, std::move(key));
  }
  VendorAuthorisation a;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    RETURN_IF_ERROR(CheckMayAuthorise(tx, c, client_id, seal_ids, with_copies).status());
    ASSIGN_OR_RETURN(Client cl, tx.clients().Get(client_id));
    a = VendorAuthorisation{NewId("auth"), cl.id, c.holder_id, seal_ids, valid_until, {}, c.ActorId(), Now()};
    RETURN_IF_ERROR(tx.authorisations().Insert(a));
    for (const auto& [seal, key] : keys) {
      ASSIGN_OR_RETURN(AuthorisationKey copy, MakeKeyCopy(*this, tx, a, seal, key));
      RETURN_IF_ERROR(tx.bindings().InsertKeyCopy(copy));
    }
    std::string listed;
    for (const std::string& id : seal_ids) listed += (listed.empty() ? "" : ",") + id;
    return Audit(tx, &c, "authorisation.granted", "client", cl.id,
                 JsonObject({{"authorisation", a.id}, {"seals", listed}, {"valid_until", FormatRfc3339(valid_until)},
                             {"key_copies", std::to_string(keys.size())}}));
  }));
  return a;
}

Result<VendorAuthorisation> PlatformImpl::WithdrawAuthorisation(const Caller& c, std::string_view id) {
  VendorAuthorisation a;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(a, tx.authorisations().Get(id));
    if (!(c.role == Role::kHolderAdmin && c.holder_id == a.holder_id)) {
      return PermissionDeniedError("only the authorising holder's administrator withdraws it");
    }
    if (a.withdrawn_at) return FailedPreconditionError("the authorisation was already withdrawn");
    a.withdrawn_at = Now();
    RETURN_IF_ERROR(tx.authorisations().Update(a));
    // The key copies go with the authorisation, in the same transaction.
    ASSIGN_OR_RETURN(int64_t destroyed, tx.bindings().DeleteKeyCopies(a.id));
    return Audit(tx, &c, "authorisation.withdrawn", "client", a.client_id,
                 JsonObject({{"authorisation", a.id}, {"key_copies_destroyed", std::to_string(destroyed)}}));
  }));
  return a;
}

Result<PageOf<VendorAuthorisation>> PlatformImpl::ListAuthorisations(const Caller& c, Page page) {
  std::string client, holder;
  if (IsOperator(c)) {
  } else if (c.role == Role::kHolderAdmin) {
    holder = c.holder_id;
  } else if (c.role == Role::kClient) {
    client = c.client_id;
  } else {
    return PermissionDeniedError("not allowed to list authorisations");
  }
  PageOf<VendorAuthorisation> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out.items, tx.authorisations().List(client, holder, page));
    ASSIGN_OR_RETURN(out.total, tx.authorisations().Count(client, holder));
    return Status::Ok();
  }));
  return out;
}

}  // namespace eseal::platform
