// API tokens (接口令牌) for clients and automation: each has a public id, a label, scopes
// and an expiry; its owner lists, revokes and rotates them. Only a keyed hash of each is
// stored (credential_hash.h).
#include <set>

#include "internal.h"
#include "vendor_keys.h"

namespace eseal::platform {
namespace {

// The space-separated words of a scope list.
std::vector<std::string_view> ScopeWords(std::string_view scopes) {
  std::vector<std::string_view> out;
  while (!scopes.empty()) {
    size_t sp = scopes.find(' ');
    std::string_view w = scopes.substr(0, sp);
    if (!w.empty()) out.push_back(w);
    if (sp == std::string_view::npos) break;
    scopes.remove_prefix(sp + 1);
  }
  return out;
}

// "read sign write" in a fixed order; InvalidArgument for anything else or nothing.
Result<std::string> NormaliseScopes(std::string_view scopes) {
  std::set<std::string_view> seen;
  for (std::string_view s : ScopeWords(scopes)) {
    if (s != "read" && s != "sign" && s != "write") {
      return InvalidArgumentError("未知的令牌权限范围“" + std::string(s.substr(0, 20)) +
                                  "”，请从 read、sign、write 中选择。 / Unknown scope; choose from read, sign, write.");
    }
    seen.insert(s);
  }
  if (seen.empty()) return InvalidArgumentError("令牌至少需要一个权限范围。 / A token needs at least one scope.");
  std::string out;
  for (const char* k : {"read", "sign", "write"}) {
    if (seen.count(k)) out += out.empty() ? k : std::string(" ") + k;
  }
  return out;
}

// The owner a caller's tokens belong to.
struct Owner {
  std::string account_id, client_id;
};
Result<Owner> OwnerOf(const Caller& c) {
  if (!c.account_id.empty()) return Owner{c.account_id, ""};
  if (!c.client_id.empty()) return Owner{"", c.client_id};
  return UnauthenticatedError("no caller");
}

bool IsOwner(const Caller& c, const Credential& cred) {
  return (!c.account_id.empty() && cred.account_id == c.account_id) ||
         (!c.client_id.empty() && cred.client_id == c.client_id);
}

// Not found rather than denied for others' tokens: their ids are not confirmed to exist.
Status NoSuchToken() {
  return NotFoundError("令牌不存在，请在“我的令牌”中核对令牌编号。 / No such token; check its id in the token list.");
}

// The token `id` for one who may act on it: its owner, or (`operator_may`) an operator.
Result<Credential> TokenFor(Tx& tx, const Caller& c, std::string_view id, bool operator_may) {
  auto cr = tx.credentials().GetById(id);
  if (!cr.ok()) return cr.status().code() == StatusCode::kNotFound ? NoSuchToken() : cr.status();
  if (!IsOwner(c, *cr) && !(operator_may && IsOperator(c))) return NoSuchToken();
  return cr;
}

}  // namespace

// A vendor's (or agency's) authorisation key copies open with its newest token only
// (vendor_keys.h): a token it makes or rotates carries the unlock key forward, and copies
// made for the older token then need the holder admin's authorisation again.
Status PlatformImpl::FollowUnlockKey(Tx& tx, const Caller& c, std::string_view token) {
  if (c.client_id.empty() || !c.client_type) return Status::Ok();
  if (*c.client_type != ClientType::kVendor && *c.client_type != ClientType::kAgency) return Status::Ok();
  return PutClientUnlockKey(*this, tx, c.client_id, token);
}

bool Caller::HasScope(std::string_view scope) const {
  if (scopes.empty()) return true;
  for (std::string_view s : ScopeWords(scopes)) {
    if (s == scope) return true;
  }
  return false;
}

Credential PlatformImpl::NewTokenRow(std::string_view account_id, std::string_view client_id,
                                     std::string_view token, std::string label, std::string scopes,
                                     int valid_days) {
  Credential cr;
  cr.token_hash = TokenHash(token);
  cr.account_id = std::string(account_id);
  cr.client_id = std::string(client_id);
  cr.created_at = Now();
  cr.id = NewId("tok");
  cr.label = std::move(label);
  cr.scopes = std::move(scopes);
  cr.expires_at = Now() + std::chrono::hours(24) * valid_days;
  return cr;
}

Result<Platform::NewToken> PlatformImpl::CreateToken(const Caller& c, const TokenInput& in) {
  RETURN_IF_ERROR(CheckText(in.label, "label", 100));
  if (in.valid_days < 1 || in.valid_days > 365) {
    return InvalidArgumentError("令牌有效期为 1 至 365 天。 / valid_days is 1 to 365.");
  }
  ASSIGN_OR_RETURN(std::string scopes, NormaliseScopes(in.scopes));
  // A token cannot carry more than the credential that makes it.
  for (std::string_view s : ScopeWords(scopes)) {
    if (!c.HasScope(s)) {
      return PermissionDeniedError("新令牌的权限不能超过当前凭据。 / A token cannot have scopes its maker lacks.");
    }
  }
  ASSIGN_OR_RETURN(Owner owner, OwnerOf(c));
  Platform::NewToken out;
  ASSIGN_OR_RETURN(out.token, PlatformImpl::NewToken());
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    Credential cr = NewTokenRow(owner.account_id, owner.client_id, out.token, in.label, scopes, in.valid_days);
    RETURN_IF_ERROR(tx.credentials().Insert(cr));
    RETURN_IF_ERROR(FollowUnlockKey(tx, c, out.token));
    cr.token_hash.clear();
    out.credential = cr;
    return Audit(tx, &c, "token.created", "token", cr.id,
                 JsonObject({{"label", cr.label}, {"scopes", cr.scopes},
                             {"expires_at", FormatRfc3339(*cr.expires_at)}}));
  }));
  return out;
}

Result<std::vector<Credential>> PlatformImpl::ListTokens(const Caller& c, std::string_view account_id) {
  Owner owner;
  if (!account_id.empty() && account_id != c.account_id) {
    if (!IsOperator(c)) return PermissionDeniedError("只能查看自己的令牌。 / Callers list their own tokens.");
    owner.account_id = std::string(account_id);
  } else {
    ASSIGN_OR_RETURN(owner, OwnerOf(c));
  }
  std::vector<Credential> out;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out, tx.credentials().ListFor(owner.account_id, owner.client_id));
    return Status::Ok();
  }));
  for (Credential& cr : out) cr.token_hash.clear();
  return out;
}

Result<Credential> PlatformImpl::RevokeToken(const Caller& c, std::string_view token_id) {
  Credential out;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Credential cr, TokenFor(tx, c, token_id, /*operator_may=*/true));
    if (!cr.revoked_at) {
      RETURN_IF_ERROR(tx.credentials().Revoke(cr.token_hash, Now()));
      cr.revoked_at = Now();
      RETURN_IF_ERROR(Audit(tx, &c, "token.revoked", "token", cr.id, JsonObject({{"label", cr.label}})));
    }
    out = cr;
    return Status::Ok();
  }));
  out.token_hash.clear();
  return out;
}

Result<Platform::NewToken> PlatformImpl::RotateToken(const Caller& c, std::string_view token_id) {
  Platform::NewToken out;
  ASSIGN_OR_RETURN(out.token, PlatformImpl::NewToken());
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    // Only the owner rotates: a new working token of someone else's would let the rotator
    // act as them (the operator revokes a compromised token instead).
    ASSIGN_OR_RETURN(Credential old_row, TokenFor(tx, c, token_id, /*operator_may=*/false));
    const Credential* old = &old_row;
    if (old->revoked_at || (old->expires_at && *old->expires_at <= Now())) {
      return FailedPreconditionError("已吊销或已过期的令牌不能轮换，请新建令牌。 / A revoked or expired token cannot be "
                                     "rotated; create a new one.");
    }
    int days = old->expires_at && old->created_at < *old->expires_at
                   ? static_cast<int>((*old->expires_at - old->created_at) / std::chrono::hours(24))
                   : o_.token_validity_days;
    if (days < 1) days = 1;
    Credential cr =
        NewTokenRow(old->account_id, old->client_id, out.token, old->label, old->scopes, std::min(days, 365));
    RETURN_IF_ERROR(tx.credentials().Insert(cr));
    RETURN_IF_ERROR(tx.credentials().Revoke(old->token_hash, Now()));
    RETURN_IF_ERROR(FollowUnlockKey(tx, c, out.token));
    cr.token_hash.clear();
    out.credential = cr;
    return Audit(tx, &c, "token.rotated", "token", old->id,
                 JsonObject({{"new_token", cr.id}, {"expires_at", FormatRfc3339(*cr.expires_at)}}));
  }));
  return out;
}

}  // namespace eseal::platform
