// Use approval (用章审批, E19, G16): a holder can require approval for a seal; a user asks to
// use it for one document (its SM3 hash) and a purpose; an approver of the seal — not the
// requester — approves with a window, or rejects. SignDocument consumes an approved request once.
#include "internal.h"

namespace eseal::platform {
namespace {

bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char ch : s) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  }
  return true;
}

Status CheckMayApprove(Tx& tx, const Caller& c, const Seal& seal) {
  if (c.role == Role::kHolderAdmin && c.holder_id == seal.holder_id) return Status::Ok();
  if (c.role == Role::kHolderUser && c.holder_id == seal.holder_id) {
    auto g = tx.grants().Get(seal.id, c.account_id);
    if (g.ok() && g->can_approve) return Status::Ok();
  }
  return PermissionDeniedError("only an approver of this seal decides its use requests");
}

}  // namespace

Result<Seal> PlatformImpl::SetRequiresApproval(const Caller& c, std::string_view seal_id, bool on) {
  Seal s;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(s, tx.seals().GetForUpdate(seal_id));
    if (!(c.role == Role::kHolderAdmin && c.holder_id == s.holder_id)) {
      return PermissionDeniedError("only the holder's administrator sets use approval");
    }
    s.requires_approval = on;
    s.updated_at = Now();
    RETURN_IF_ERROR(tx.seals().Update(s));
    return Audit(tx, &c, "seal.approval_required", "seal", s.id,
                 JsonObject({{"esid", s.esid}, {"on", on ? "true" : "false"}}));
  }));
  s.protected_key.clear();
  return s;
}

Result<UsageRequest> PlatformImpl::RequestUse(const Caller& c, const UseRequestInput& in) {
  if (!IsHex64(in.document_hash)) return InvalidArgumentError("document_hash must be the SM3 of the document (64 lower-case hex)");
  if (in.purpose.empty() || in.purpose.size() > 1000) return InvalidArgumentError("purpose is required (at most 1000 bytes)");
  UsageRequest r;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Seal s, tx.seals().Get(in.seal_id));
    RETURN_IF_ERROR(CheckMayUseSeal(tx, c, s, Now()));
    r.id = NewId("req");
    r.seal_id = s.id;
    r.requester_id = c.ActorId();
    r.document_hash = in.document_hash;
    r.purpose = in.purpose;
    r.status = UsageRequestStatus::kPending;
    r.created_at = Now();
    RETURN_IF_ERROR(tx.usage_requests().Insert(r));
    return Audit(tx, &c, "use.requested", "usage_request", r.id,
                 JsonObject({{"seal", s.id}, {"document_sm3", r.document_hash}, {"purpose", r.purpose}}));
  }));
  return r;
}

Result<UsageRequest> PlatformImpl::DecideUse(const Caller& c, std::string_view request_id, bool approve,
                                             std::string_view reason, Time window_end) {
  if (!approve && reason.empty()) return InvalidArgumentError("a rejection needs a reason");
  Time now = Now();
  if (approve) {
    if (window_end == Time{}) window_end = now + std::chrono::hours(24);
    if (window_end <= now || window_end > now + std::chrono::days(30)) {
      return InvalidArgumentError("the approval window must end within the next 30 days");
    }
  }
  UsageRequest r;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(r, tx.usage_requests().GetForUpdate(request_id));
    ASSIGN_OR_RETURN(Seal s, tx.seals().Get(r.seal_id));
    RETURN_IF_ERROR(CheckMayApprove(tx, c, s));
    if (r.requester_id == c.ActorId()) {
      return PermissionDeniedError("a request is decided by someone other than the one who asked");
    }
    if (r.status != UsageRequestStatus::kPending) {
      return FailedPreconditionError("the request is already " + std::string(Name(r.status)));
    }
    r.status = approve ? UsageRequestStatus::kApproved : UsageRequestStatus::kRejected;
    r.approver_id = c.ActorId();
    r.decision_reason = std::string(reason);
    if (approve) {
      r.window_start = now;
      r.window_end = window_end;
    }
    RETURN_IF_ERROR(tx.usage_requests().Update(r));
    return Audit(tx, &c, approve ? "use.approved" : "use.rejected", "usage_request", r.id,
                 JsonObject({{"seal", s.id}, {"reason", std::string(reason)},
                             {"window_end", approve ? FormatRfc3339(window_end) : ""}}));
  }));
  return r;
}

Result<PageOf<UsageRequest>> PlatformImpl::ListUsageRequests(const Caller& c, std::string_view seal_id, Page page) {
  UsageRequestRepository::Filter f;
  f.seal_id = std::string(seal_id);
  // Everyone but the operator sees the requests for its own holder's seals; the filter is
  // in the query, so paging counts only what the caller may see.
  if (!IsOperator(c)) {
    if (c.holder_id.empty() && seal_id.empty()) return PageOf<UsageRequest>{};  // none are its own
    f.holder_id = c.holder_id;
  }
  PageOf<UsageRequest> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    if (!seal_id.empty()) {
      ASSIGN_OR_RETURN(Seal s, tx.seals().Get(seal_id));
      RETURN_IF_ERROR(RequireHolderAccess(c, s.holder_id));
    }
    ASSIGN_OR_RETURN(out.items, tx.usage_requests().List(f, page));
    ASSIGN_OR_RETURN(out.total, tx.usage_requests().Count(f));
    return Status::Ok();
  }));
  return out;
}

}  // namespace eseal::platform
