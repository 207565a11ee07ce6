// Bearer tokens: "esk_" + 32 random bytes (base64url). Only a keyed hash of the token is
// stored (credential_hash.h), so a stolen database holds no usable credential and a
// database writer cannot add one. A token ends when revoked, when it expires,
// and when its account is disabled or its client suspended; its scopes go to the Caller.
#include "internal.h"
#include "vendor_keys.h"

namespace eseal::platform {

Result<std::string> PlatformImpl::NewToken() {
  ASSIGN_OR_RETURN(Bytes raw, RandomBytes(*rng_, 32));
  return "esk_" + Base64UrlEncode(raw);
}

Status RekeyCredentials(Tx& tx, const CredentialHasher& h, Time now) {
  ASSIGN_OR_RETURN(std::optional<std::string> done, tx.settings().Get("credential_hashing"));
  if (done) {
    if (*done == kCredentialHashing) return Status::Ok();
    return FailedPreconditionError("unknown credential hashing '" + done->substr(0, 40) + "' in settings");
  }
  // Tokens: SM3(token) becomes HMAC(key, SM3(token)), exactly what TokenHash computes.
  ASSIGN_OR_RETURN(std::vector<std::string> hashes, tx.credentials().AllHashes());
  for (const std::string& old : hashes) {
    std::string keyed = h.FromSm3Hex(old);
    if (keyed.empty()) return DataLossError("a credential hash is not SM3 hex");
    RETURN_IF_ERROR(tx.credentials().ReplaceHash(old, keyed));
  }
  // Logins: enrolment codes likewise; passwords get their keyed tag. Sessions end.
  ASSIGN_OR_RETURN(std::vector<Login> logins, tx.logins().All());
  for (Login& l : logins) {
    if (!l.enrolment_hash.empty()) l.enrolment_hash = h.FromSm3Hex(l.enrolment_hash);
    if (std::string keyed = h.RekeyPassword(l.password_hash, l.account_id); !keyed.empty()) l.password_hash = keyed;
    RETURN_IF_ERROR(tx.logins().Update(l));
  }
  RETURN_IF_ERROR(tx.sessions().RevokeEvery(now));
  return tx.settings().Put("credential_hashing", kCredentialHashing);
}

std::string PlatformImpl::NewId(std::string_view prefix) {
  auto raw = RandomBytes(*rng_, 10);
  std::string id(prefix);
  id += "_";
  id += raw.ok() ? HexEncode(*raw) : std::to_string(ToUnix(Now()));
  return id;
}

Result<Caller> PlatformImpl::Authenticate(std::string_view token) {
  if (token.size() < 8 || token.size() > 256) return UnauthenticatedError("invalid token");
  std::string hash = TokenHash(token);
  Caller caller;
  Status st = InReadTx([&](Tx& tx) -> Status {
    auto cred = tx.credentials().GetByHash(hash);
    if (!cred.ok()) {
      if (cred.status().code() == StatusCode::kNotFound) return UnauthenticatedError("invalid token");
      return cred.status();
    }
    if (cred->revoked_at) return UnauthenticatedError("this token was revoked");
    if (cred->expires_at && *cred->expires_at <= Now()) {
      return UnauthenticatedError("令牌已过期，请轮换或新建令牌。 / This token has expired; rotate it or create a new one.");
    }
    caller.credential_id = cred->id;
    caller.scopes = cred->scopes;
    if (!cred->account_id.empty()) {
      ASSIGN_OR_RETURN(Account a, tx.accounts().Get(cred->account_id));
      if (a.disabled) return UnauthenticatedError("this account is disabled");
      caller.account_id = a.id;
      caller.role = a.role;
      caller.holder_id = a.holder_id;
      caller.area_code = a.area_code;
      caller.name = a.name;
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(Client cl, tx.clients().Get(cred->client_id));
    if (cl.status == ClientStatus::kSuspended) {
      return PermissionDeniedError("this client is suspended by the platform operator");
    }
    if (cl.status != ClientStatus::kApproved) return UnauthenticatedError("this client is not approved");
    caller.client_id = cl.id;
    caller.role = Role::kClient;
    // Only an enterprise client has a holder, and only once that holder's administrator
    // confirmed the binding (bindings.cc): Client::holder_id is empty until then.
    if (cl.type == ClientType::kEnterprise) caller.holder_id = cl.holder_id;
    caller.client_type = cl.type;
    caller.unlock = std::make_shared<const SecretBytes>(ClientUnlockSecret(token));
    caller.rate_limit_per_minute = cl.rate_limit_per_minute;
    caller.name = cl.name;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return caller;
}

}  // namespace eseal::platform
