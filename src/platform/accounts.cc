// The account lifecycle (账户): listing, disabling and enabling, custodian handover, and a
// fresh enrolment code. An operator manages every account; a holder admin manages the user
// accounts of its own holder.
#include "internal.h"

namespace eseal::platform {
namespace {

// Whether `c` may manage account `a` (PermissionDenied names the rule otherwise).
Status MayManage(const Caller& c, const Account& a) {
  if (IsOperator(c)) return Status::Ok();
  if (c.role == Role::kHolderAdmin && !c.account_id.empty() && a.holder_id == c.holder_id &&
      a.role == Role::kHolderUser) {
    return Status::Ok();
  }
  return PermissionDeniedError(
      "只有平台运营方或本单位管理员可以管理此账户。 / Only the operator, or the holder's administrator for its own "
      "users, manages this account.");
}

}  // namespace

Result<std::vector<Account>> PlatformImpl::ListAccounts(const Caller& c, std::string_view holder_id, Page page) {
  std::string holder(holder_id);
  if (!IsOperator(c)) {
    if (c.role != Role::kHolderAdmin || c.account_id.empty()) {
      return PermissionDeniedError("只有运营方和单位管理员可以查看账户。 / Only operators and holder admins list accounts.");
    }
    if (!holder.empty() && holder != c.holder_id) {
      return PermissionDeniedError("只能查看本单位的账户。 / A holder admin lists its own holder's accounts only.");
    }
    holder = c.holder_id;
  }
  std::vector<Account> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, tx.accounts().List(holder, page));
    return Status::Ok();
  }));
  return out;
}

Result<Account> PlatformImpl::SetAccountDisabled(const Caller& c, std::string_view account_id, bool disabled,
                                                 std::string_view reason) {
  RETURN_IF_ERROR(CheckText(reason, "reason", 2000));
  if (disabled && account_id == c.account_id) {
    return FailedPreconditionError("不能停用自己的账户。 / An account cannot disable itself.");
  }
  Account out;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Account a, tx.accounts().Get(account_id));
    RETURN_IF_ERROR(MayManage(c, a));
    if (a.disabled == disabled) {
      out = a;
      return Status::Ok();
    }
    a.disabled = disabled;
    RETURN_IF_ERROR(tx.accounts().Update(a));
    if (disabled) {
      // Everything the person or its automation holds stops at once.
      RETURN_IF_ERROR(tx.credentials().RevokeAllFor(a.id, "", Now()));
      RETURN_IF_ERROR(tx.sessions().RevokeAllFor(a.id, Now()));
    }
    out = a;
    return Audit(tx, &c, disabled ? "account.disabled" : "account.enabled", "account", a.id,
                 JsonObject({{"reason", std::string(reason)}}));
  }));
  return out;
}

Result<Account> PlatformImpl::HandOver(const Caller& c, std::string_view from_account, std::string_view to_account,
                                       std::string_view reason) {
  RETURN_IF_ERROR(CheckText(reason, "reason", 2000));
  if (from_account == to_account) return InvalidArgumentError("交接双方不能是同一账户。 / Hand over to another account.");
  Account out;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Account from, tx.accounts().Get(from_account));
    ASSIGN_OR_RETURN(Account to, tx.accounts().Get(to_account));
    RETURN_IF_ERROR(MayManage(c, from));
    RETURN_IF_ERROR(MayManage(c, to));
    if (from.holder_id.empty() || from.holder_id != to.holder_id || to.role != Role::kHolderUser || to.disabled) {
      return InvalidArgumentError(
          "印章保管人只能交接给同一单位的在用用户账户。 / A custodian hands over to an active user account of the same "
          "holder.");
    }
    // Every grant `from` holds moves to `to` (the seals are the holder's: both accounts are).
    ASSIGN_OR_RETURN(std::vector<SealGrant> grants, tx.grants().ListForAccount(from.id));
    for (SealGrant g : grants) {
      RETURN_IF_ERROR(tx.grants().Delete(g.seal_id, from.id));
      g.account_id = to.id;
      // What `to` already had on the seal is kept: the handover only adds.
      auto had = tx.grants().Get(g.seal_id, to.id);
      if (had.ok()) {
        g.can_use = g.can_use || had->can_use;
        g.can_approve = g.can_approve || had->can_approve;
      } else if (had.status().code() != StatusCode::kNotFound) {
        return had.status();
      }
      RETURN_IF_ERROR(tx.grants().Upsert(g));
    }
    const size_t moved = grants.size();
    from.disabled = true;
    RETURN_IF_ERROR(tx.accounts().Update(from));
    RETURN_IF_ERROR(tx.credentials().RevokeAllFor(from.id, "", Now()));
    RETURN_IF_ERROR(tx.sessions().RevokeAllFor(from.id, Now()));
    out = to;
    return Audit(tx, &c, "account.handed_over", "account", from.id,
                 JsonObject({{"to", to.id}, {"grants_moved", std::to_string(moved)}, {"reason", std::string(reason)}}));
  }));
  return out;
}

Result<std::string> PlatformImpl::ResetEnrolment(const Caller& c, std::string_view account_id) {
  std::string code;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Account a, tx.accounts().Get(account_id));
    RETURN_IF_ERROR(MayManage(c, a));
    auto existing = tx.logins().GetForUpdate(a.id);
    if (!existing.ok() && existing.status().code() != StatusCode::kNotFound) return existing.status();
    ASSIGN_OR_RETURN(Login fresh, NewLogin(a, existing.ok() ? existing->login : "", &code));
    if (existing.ok()) {
      RETURN_IF_ERROR(tx.logins().Update(fresh));
    } else {
      RETURN_IF_ERROR(tx.logins().Insert(fresh));
    }
    RETURN_IF_ERROR(tx.sessions().RevokeAllFor(a.id, Now()));
    return Audit(tx, &c, "account.enrolment_reset", "account", a.id, JsonObject({{"login", fresh.login}}));
  }));
  return code;
}

}  // namespace eseal::platform
