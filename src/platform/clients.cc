// Integration of outside systems (系统接入, E10, E12, E13): agencies, enterprises and service
// vendors apply; the operator approves (a credential is issued), rejects, suspends (refused
// at once) or resumes; a vendor signs for an enterprise only within that enterprise's
// recorded authorisation, which the enterprise can withdraw at any moment.
#include "internal.h"

namespace eseal::platform {
namespace {
Status CheckField(std::string_view v, std::string_view what, size_t max) {
  if (v.empty()) return InvalidArgumentError(std::string(what) + " is required");
  if (v.size() > max) return InvalidArgumentError(std::string(what) + " is too long");
  return Status::Ok();
}
}  // namespace

Result<Client> PlatformImpl::ApplyForAccess(const ClientApplication& in) {
  RETURN_IF_ERROR(CheckField(in.name, "name", 200));
  RETURN_IF_ERROR(CheckField(in.scenario, "scenario", 2000));
  RETURN_IF_ERROR(CheckField(in.contact, "contact", 200));
  if (in.type == ClientType::kEnterprise && in.holder_id.empty()) {
    return InvalidArgumentError("an enterprise client names its enterprise (holder_id)");
  }
  Client cl;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    if (!in.holder_id.empty()) RETURN_IF_ERROR(tx.holders().Get(in.holder_id));
    Time now = Now();
    cl = Client{NewId("cli"), in.name, in.type, in.scenario, in.contact, in.holder_id, ClientStatus::kPending,
                600, "", now, now};
    RETURN_IF_ERROR(tx.clients().Insert(cl));
    Caller applicant;
    applicant.client_id = cl.id;
    applicant.role = Role::kClient;
    return Audit(tx, &applicant, "client.applied", "client", cl.id,
                 JsonObject({{"name", cl.name}, {"type", std::string(Name(cl.type))}, {"scenario", cl.scenario}}));
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
    if (approve) RETURN_IF_ERROR(tx.credentials().Insert(Credential{TokenHash(out.token), "", cl.id, Now(), {}}));
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
                                                    const std::vector<std::string>& seal_ids, Time valid_until) {
  if (c.role != Role::kHolderAdmin) return PermissionDeniedError("only a holder's administrator authorises vendors");
  if (seal_ids.empty()) return InvalidArgumentError("name at least one seal");
  if (valid_until <= Now()) return InvalidArgumentError("valid_until must be in the future");
  VendorAuthorisation a;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Client cl, tx.clients().Get(client_id));
    if (cl.status != ClientStatus::kApproved) {
      return FailedPreconditionError("the client is " + std::string(Name(cl.status)) + ", not approved by the operator");
    }
    if (cl.type != ClientType::kVendor && cl.type != ClientType::kAgency) {
      return InvalidArgumentError("only vendor or agency clients sign on an enterprise's behalf");
    }
    for (const std::string& id : seal_ids) {
      ASSIGN_OR_RETURN(Seal s, tx.seals().Get(id));
      if (s.holder_id != c.holder_id) return PermissionDeniedError("seal " + id + " belongs to another holder");
    }
    a = VendorAuthorisation{NewId("auth"), cl.id, c.holder_id, seal_ids, valid_until, {}, c.ActorId(), Now()};
    RETURN_IF_ERROR(tx.authorisations().Insert(a));
    std::string seals;
    for (const std::string& id : seal_ids) seals += (seals.empty() ? "" : ",") + id;
    return Audit(tx, &c, "authorisation.granted", "client", cl.id,
                 JsonObject({{"authorisation", a.id}, {"seals", seals}, {"valid_until", FormatRfc3339(valid_until)}}));
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
    return Audit(tx, &c, "authorisation.withdrawn", "client", a.client_id, JsonObject({{"authorisation", a.id}}));
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
