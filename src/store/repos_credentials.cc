// Sign-in records, browser sessions, and the listing of tokens (migration 0007).
#include "repo_util.h"
#include "repositories.h"

namespace eseal::store::internal {

using platform::Credential;
using platform::Login;
using platform::Session;

namespace {

constexpr std::string_view kTokenColumns =
    "token_hash, account_id, client_id, created_at, revoked_at, id, label, scopes, expires_at";

Result<Credential> ReadToken(RowReader& r) {
  Credential c;
  c.token_hash = r.Text();
  c.account_id = r.Text();
  c.client_id = r.Text();
  c.created_at = r.At();
  c.revoked_at = r.OptAt();
  c.id = r.Text();
  c.label = r.Text();
  c.scopes = r.Text();
  c.expires_at = r.OptAt();
  return c;
}

constexpr std::string_view kLoginColumns =
    "account_id, login, password_hash, failures, locked_until, totp_sealed, totp_last_step, "
    "enrolment_hash, enrolment_expires, updated_at";

Result<Login> ReadLogin(RowReader& r) {
  Login l;
  l.account_id = r.Text();
  l.login = r.Text();
  l.password_hash = r.Text();
  l.failures = static_cast<int>(r.Int());
  l.locked_until = r.OptAt();
  l.totp_sealed = r.Blob();
  l.totp_last_step = r.Int();
  l.enrolment_hash = r.Text();
  l.enrolment_expires = r.OptAt();
  l.updated_at = r.At();
  return l;
}

Params LoginParams(const Login& l) {
  return {Text(l.account_id),        Text(l.login),        Text(l.password_hash),
          Int(l.failures),           OptAt(l.locked_until), l.totp_sealed.empty() ? Null() : Blob(l.totp_sealed),
          Int(l.totp_last_step),     Text(l.enrolment_hash), OptAt(l.enrolment_expires),
          At(l.updated_at)};
}

constexpr std::string_view kSessionColumns =
    "id_hash, account_id, csrf_hash, created_at, last_seen_at, expires_at, revoked_at";

Result<Session> ReadSession(RowReader& r) {
  Session s;
  s.id_hash = r.Text();
  s.account_id = r.Text();
  s.csrf_hash = r.Text();
  s.created_at = r.At();
  s.last_seen_at = r.At();
  s.expires_at = r.At();
  s.revoked_at = r.OptAt();
  return s;
}

}  // namespace

// ---- CredentialRepository (tokens) ------------------------------------------------------

Status SqlCredentialRepository::Insert(const Credential& c) {
  static const std::string sql = InsertSql("credentials", kTokenColumns);
  ASSIGN_OR_RETURN(int64_t n,
                   tx_.Execute("insert credential", sql,
                               {Text(c.token_hash), TextOrNull(c.account_id), TextOrNull(c.client_id),
                                At(c.created_at), OptAt(c.revoked_at), TextOrNull(c.id), Text(c.label),
                                Text(c.scopes), OptAt(c.expires_at)}));
  if (n == 0) {
    return AlreadyExists(tx_, "credential",
                         {{"credentials", "token_hash", c.token_hash, /*secret=*/true},
                          {"credentials", "id", c.id}});
  }
  return Status::Ok();
}

Result<Credential> SqlCredentialRepository::GetByHash(std::string_view token_hash) {
  static const std::string sql = SelectSql("credentials", kTokenColumns) + " WHERE token_hash = $1";
  // The message does not repeat the hash: it identifies a bearer token.
  return QueryOne(tx_, "get credential", sql, {Text(token_hash)}, ReadToken, "credential not found");
}

Status SqlCredentialRepository::Revoke(std::string_view token_hash, Time at) {
  ASSIGN_OR_RETURN(int64_t n,
                   tx_.Execute("revoke credential",
                               "UPDATE credentials SET revoked_at = COALESCE(revoked_at, $2)"
                               " WHERE token_hash = $1",
                               {Text(token_hash), At(at)}));
  if (n == 0) return NotFoundError("credential not found");
  return Status::Ok();
}

Status SqlCredentialRepository::RevokeAllFor(std::string_view account_id, std::string_view client_id,
                                             Time at) {
  if (account_id.empty() && client_id.empty()) {
    return InvalidArgumentError("revoking credentials needs an account or a client");
  }
  Where w;
  std::string set = "UPDATE credentials SET revoked_at = " + w.Bind(At(at));
  w.Add("revoked_at IS NULL");
  if (!account_id.empty() && !client_id.empty()) {
    std::string a = w.Bind(Text(account_id));
    w.Add("(account_id = " + a + " OR client_id = " + w.Bind(Text(client_id)) + ")");
  } else if (!account_id.empty()) {
    w.Add("account_id = " + w.Bind(Text(account_id)));
  } else {
    w.Add("client_id = " + w.Bind(Text(client_id)));
  }
  return tx_.Execute("revoke credentials", set + w.Clause(), w.params()).status();
}

Result<Credential> SqlCredentialRepository::GetById(std::string_view id) {
  static const std::string sql = SelectSql("credentials", kTokenColumns) + " WHERE id = $1";
  return QueryOne(tx_, "get credential by id", sql, {Text(id)}, ReadToken,
                  "token " + Quote(id) + " not found");
}

Result<std::vector<Credential>> SqlCredentialRepository::ListFor(std::string_view account_id,
                                                                 std::string_view client_id) {
  if (account_id.empty() == client_id.empty()) {
    return InvalidArgumentError("listing credentials needs an account or a client");
  }
  std::string sql = SelectSql("credentials", kTokenColumns) +
                    (account_id.empty() ? " WHERE client_id = $1" : " WHERE account_id = $1") +
                    " ORDER BY created_at DESC, token_hash";
  return QueryAll(tx_, "list credentials", sql, {Text(account_id.empty() ? client_id : account_id)},
                  ReadToken);
}

Result<std::vector<std::string>> SqlCredentialRepository::AllHashes() {
  ASSIGN_OR_RETURN(QueryResult q, tx_.Query("list credential hashes", "SELECT token_hash FROM credentials", {}));
  std::vector<std::string> out;
  for (size_t i = 0; i < q.rows(); ++i) {
    RowReader r(q, i);
    out.push_back(r.Text());
  }
  return out;
}

Status SqlCredentialRepository::ReplaceHash(std::string_view old_hash, std::string_view new_hash) {
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("replace credential hash",
                                          "UPDATE credentials SET token_hash = $2 WHERE token_hash = $1",
                                          {Text(old_hash), Text(new_hash)}));
  if (n == 0) return NotFoundError("credential not found");
  return Status::Ok();
}

// ---- LoginRepository ---------------------------------------------------------------------

Status SqlLoginRepository::Insert(const Login& l) {
  static const std::string sql = InsertSql("account_logins", kLoginColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert login", sql, LoginParams(l)));
  if (n == 0) {
    return AlreadyExists(tx_, "login", {{"account_logins", "login", l.login},
                                        {"account_logins", "account_id", l.account_id}});
  }
  return Status::Ok();
}

Status SqlLoginRepository::Update(const Login& l) {
  static const std::string sql = UpdateSql("account_logins", kLoginColumns, 1);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("update login", sql, LoginParams(l)));
  return RequireChanged(n, "login of account", l.account_id);
}

Result<Login> SqlLoginRepository::Get(std::string_view account_id) {
  static const std::string sql = SelectSql("account_logins", kLoginColumns) + " WHERE account_id = $1";
  return QueryOne(tx_, "get login", sql, {Text(account_id)}, ReadLogin,
                  "account " + Quote(account_id) + " has no sign-in");
}

Result<Login> SqlLoginRepository::GetByLogin(std::string_view login) {
  static const std::string sql = SelectSql("account_logins", kLoginColumns) + " WHERE login = $1";
  return QueryOne(tx_, "get login by name", sql, {Text(login)}, ReadLogin, "no such login");
}

Result<Login> SqlLoginRepository::GetForUpdate(std::string_view account_id) {
  std::string sql = SelectSql("account_logins", kLoginColumns) + " WHERE account_id = $1" +
                    std::string(ForUpdate(tx_.dialect()));
  return QueryOne(tx_, "lock login", sql, {Text(account_id)}, ReadLogin,
                  "account " + Quote(account_id) + " has no sign-in");
}

Result<std::vector<Login>> SqlLoginRepository::All() {
  static const std::string sql = SelectSql("account_logins", kLoginColumns) + " ORDER BY account_id";
  return QueryAll(tx_, "list logins", sql, {}, ReadLogin);
}

// ---- SessionRepository -------------------------------------------------------------------

Status SqlSessionRepository::Insert(const Session& s) {
  static const std::string sql = InsertSql("sessions", kSessionColumns);
  ASSIGN_OR_RETURN(int64_t n, tx_.Execute("insert session", sql,
                                          {Text(s.id_hash), Text(s.account_id), Text(s.csrf_hash),
                                           At(s.created_at), At(s.last_seen_at), At(s.expires_at),
                                           OptAt(s.revoked_at)}));
  if (n == 0) return AlreadyExists(tx_, "session", {{"sessions", "id_hash", s.id_hash, /*secret=*/true}});
  return Status::Ok();
}

Result<Session> SqlSessionRepository::Get(std::string_view id_hash) {
  static const std::string sql = SelectSql("sessions", kSessionColumns) + " WHERE id_hash = $1";
  return QueryOne(tx_, "get session", sql, {Text(id_hash)}, ReadSession, "session not found");
}

Status SqlSessionRepository::Touch(std::string_view id_hash, Time at) {
  return tx_
      .Execute("touch session", "UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1",
               {Text(id_hash), At(at)})
      .status();
}

Status SqlSessionRepository::Revoke(std::string_view id_hash, Time at) {
  return tx_
      .Execute("revoke session",
               "UPDATE sessions SET revoked_at = COALESCE(revoked_at, $2) WHERE id_hash = $1",
               {Text(id_hash), At(at)})
      .status();
}

Status SqlSessionRepository::RevokeAllFor(std::string_view account_id, Time at) {
  return tx_
      .Execute("revoke sessions",
               "UPDATE sessions SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL",
               {Text(account_id), At(at)})
      .status();
}

Status SqlSessionRepository::RevokeEvery(Time at) {
  return tx_
      .Execute("revoke every session", "UPDATE sessions SET revoked_at = $1 WHERE revoked_at IS NULL", {At(at)})
      .status();
}

}  // namespace eseal::store::internal
