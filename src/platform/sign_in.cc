// People sign in (登录, docs/security.md "Credentials"): enrolment with a one-time code,
// a PBKDF2-HMAC-SM3 password hash, a TOTP second factor (RFC 6238) for operators,
// reviewers and holder admins, lockout, and browser sessions with idle and absolute ends.
#include <cstdio>

#include "eseal/crypto/sm4.h"
#include "eseal/crypto/totp.h"
#include "internal.h"

namespace eseal::platform {
namespace {

constexpr char kSignInRefused[] =
    "登录失败：登录名、口令或动态口令不正确，或账户已暂时锁定。请核对后重试；多次失败请联系平台运营方。"
    " / Sign-in failed: wrong login, password or code, or the account is locked for a while.";
constexpr char kSessionEnded[] =
    "会话已结束，请重新登录。 / The session has ended; please sign in again.";
constexpr int kEnrolmentHours = 72;
constexpr size_t kMinPassword = 10;

bool NeedsSecondFactor(Role r) {
  return r == Role::kOperator || r == Role::kReviewer || r == Role::kHolderAdmin;
}

// The label and the issuer of an otpauth:// URI (Key Uri Format): unreserved characters
// as they are, everything else (spaces, Chinese, ':') percent-encoded as UTF-8.
std::string UriComponent(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                 c == '.' || c == '_' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

bool SameHash(std::string_view a, std::string_view b) { return ConstantTimeEquals(AsBytes(a), AsBytes(b)); }

Status CheckNewPassword(const SecretBytes& password) {
  // Counted in characters (UTF-8 lead bytes), not bytes.
  size_t chars = 0;
  for (uint8_t b : password.view()) chars += (b & 0xC0) != 0x80;
  if (chars < kMinPassword || password.size() > 256) {
    return InvalidArgumentError("口令至少 10 个字符、至多 256 字节。 / A password has at least 10 characters and at most 256 bytes.");
  }
  return Status::Ok();
}

}  // namespace

// The TOTP secret is sealed under a key only the KEK yields, bound to the account, so a
// copy of the database gives no second factor.
static Result<SecretBytes> TotpKey(const crypto::Kek& kek) {
  return kek.Derive(AsBytes(std::string_view("eseal/totp/v1")));
}

Result<Login> NewLoginRow(const CredentialHasher& h, Rng& rng, const Account& a, std::string login,
                          std::chrono::hours valid, Time now, std::string* enrolment_code) {
  if (login.empty()) login = a.id;
  if (login.size() > 64 || login.find_first_of(" \t\r\n/") != std::string::npos) {
    return InvalidArgumentError("登录名至多 64 字节，不含空白和斜线，请换一个登录名。 / A login has at most 64 bytes, "
                                "without spaces or slashes.");
  }
  ASSIGN_OR_RETURN(Bytes raw, RandomBytes(rng, 15));
  *enrolment_code = crypto::Base32Encode(raw);  // 24 characters, easy to read out
  Login l;
  l.account_id = a.id;
  l.login = std::move(login);
  l.enrolment_hash = h.Secret(*enrolment_code);
  l.enrolment_expires = now + valid;
  l.updated_at = now;
  return l;
}

Result<Login> PlatformImpl::NewLogin(const Account& a, std::string login, std::string* enrolment_code) {
  return NewLoginRow(hasher(), *rng_, a, std::move(login), std::chrono::hours(kEnrolmentHours), Now(),
                     enrolment_code);
}

Result<Platform::Enrolment> PlatformImpl::Enrol(const EnrolInput& in) {
  RETURN_IF_ERROR(CheckNewPassword(in.password));
  // The stored hash is tagged with the account, so the account is found first; the slow
  // derivation then runs outside any transaction.
  std::string account_id;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    auto found = tx.logins().GetByLogin(in.login);
    if (found.ok()) account_id = found->account_id;
    return found.ok() || found.status().code() == StatusCode::kNotFound ? Status::Ok() : found.status();
  }));
  ASSIGN_OR_RETURN(std::string hash,
                   hasher().HashPassword(in.password, account_id, o_.pbkdf2_iterations, *rng_));
  const Status refused = UnauthenticatedError(
      "登记码无效或已过期，请向开设账户的管理员索取新的登记码。 / The enrolment code is not valid or has expired; ask the "
      "administrator who opened the account for a new one.");
  Enrolment out;
  Status verdict = Status::Ok();
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    if (account_id.empty()) {
      verdict = refused;
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(Login l, tx.logins().GetForUpdate(account_id));
    ASSIGN_OR_RETURN(Account a, tx.accounts().Get(l.account_id));
    if (a.disabled || l.login != in.login || l.enrolment_hash.empty() || !l.enrolment_expires ||
        *l.enrolment_expires <= Now() || !SameHash(l.enrolment_hash, TokenHash(in.enrolment_code))) {
      verdict = refused;
      return Audit(tx, nullptr, "account.enrolment_refused", "account", a.id);
    }
    l.password_hash = hash;
    l.enrolment_hash.clear();
    l.enrolment_expires.reset();
    l.failures = 0;
    l.locked_until.reset();
    l.totp_sealed.clear();
    l.totp_last_step = 0;
    out.totp_required = NeedsSecondFactor(a.role);
    if (out.totp_required) {
      ASSIGN_OR_RETURN(Bytes secret, RandomBytes(*rng_, 20));
      ASSIGN_OR_RETURN(SecretBytes key, TotpKey(*o_.kek));
      ASSIGN_OR_RETURN(Bytes nonce, RandomBytes(*rng_, 12));
      ASSIGN_OR_RETURN(Bytes sealed, crypto::Sm4GcmSeal(key.view().first(16), nonce, AsBytes(a.id), secret));
      l.totp_sealed = nonce;
      l.totp_sealed.insert(l.totp_sealed.end(), sealed.begin(), sealed.end());
      out.totp_secret = crypto::Base32Encode(secret);
      SecureZero(secret.data(), secret.size());
      out.otpauth_uri = "otpauth://totp/" + UriComponent(o_.name) + ":" + UriComponent(l.login) +
                        "?secret=" + out.totp_secret + "&issuer=" + UriComponent(o_.name) + "&digits=6&period=30";
    }
    l.updated_at = Now();
    RETURN_IF_ERROR(tx.logins().Update(l));
    return Audit(tx, nullptr, "account.enrolled", "account", a.id,
                 JsonObject({{"login", l.login}, {"second_factor", out.totp_required ? "totp" : "none"}}));
  }));
  if (!verdict.ok()) return verdict;
  return out;
}

Result<Platform::NewSession> PlatformImpl::SignIn(const SignInInput& in) {
  const Time now = Now();
  const Status refused = UnauthenticatedError(kSignInRefused);
  // 1. Reserve an attempt under the login's row lock, before the slow hash: parallel
  //    guesses cannot all be evaluated, and a lock that trips holds for all of them.
  Login login;
  Account account;
  std::string why;  // for the audit trail only
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    auto found = tx.logins().GetByLogin(in.login);
    if (!found.ok()) {
      if (found.status().code() != StatusCode::kNotFound) return found.status();
      why = "unknown login";
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(login, tx.logins().GetForUpdate(found->account_id));
    ASSIGN_OR_RETURN(account, tx.accounts().Get(login.account_id));
    if (account.disabled) {
      why = "account disabled";
    } else if (login.password_hash.empty()) {
      why = "not enrolled";
    } else if (login.locked_until && *login.locked_until > now) {
      why = "locked";
    }
    if (!why.empty()) {
      return Audit(tx, nullptr, "account.sign_in_failed", "account", account.id,
                   JsonObject({{"reason", why}, {"from", in.remote}}));
    }
    if (login.locked_until) {  // a lock that has run out starts a fresh count
      login.locked_until.reset();
      login.failures = 0;
    }
    ++login.failures;
    if (login.failures >= o_.sign_in_attempt_limit) {
      login.locked_until = now + std::chrono::seconds(o_.sign_in_lock_seconds);
    }
    login.updated_at = now;
    return tx.logins().Update(login);
  }));
  // 2. The slow part, outside any transaction (done for unknown logins too).
  bool password_ok = hasher().PasswordMatches(in.password, account.id, why.empty() ? login.password_hash : "",
                                              o_.pbkdf2_iterations);
  if (!why.empty()) {
    if (why == "unknown login") {
      RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
        return Audit(tx, nullptr, "account.sign_in_failed", "login", "",
                     JsonObject({{"reason", why}, {"login", in.login.substr(0, 64)}, {"from", in.remote}}));
      }));
    }
    return refused;
  }
  // 3. Decide under the lock again, and record.
  NewSession out;
  bool ok = false;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Login l, tx.logins().GetForUpdate(account.id));
    ASSIGN_OR_RETURN(Account a, tx.accounts().Get(account.id));
    std::optional<int64_t> step;
    std::string reason;
    if (a.disabled) {
      reason = "account disabled";
    } else if (!password_ok || l.password_hash != login.password_hash) {
      reason = "wrong password";
    } else if (NeedsSecondFactor(a.role)) {
      if (l.totp_sealed.size() <= 12) {
        reason = "no second factor enrolled";
      } else {
        ASSIGN_OR_RETURN(SecretBytes key, TotpKey(*o_.kek));
        ByteView sealed(l.totp_sealed);
        auto secret = crypto::Sm4GcmOpen(key.view().first(16), sealed.first(12), AsBytes(a.id), sealed.subspan(12));
        if (secret.ok()) {
          step = crypto::TotpMatch(*secret, in.totp, crypto::TotpStep(ToUnix(now)));
          SecureZero(secret->data(), secret->size());
        }
        if (!secret.ok()) {
          // Another account's sealed secret copied here, or an edited row: refused like any
          // other failure, and named in the audit trail for whoever investigates.
          reason = "second factor does not open (edited row?)";
        } else if (!step) {
          reason = "wrong code";
        } else if (*step <= l.totp_last_step) {
          reason = "code used before";
        }
      }
    }
    if (!reason.empty()) {
      RETURN_IF_ERROR(Audit(tx, nullptr, "account.sign_in_failed", "account", a.id,
                            JsonObject({{"reason", reason}, {"from", in.remote}})));
      if (l.locked_until && *l.locked_until > now) {
        RETURN_IF_ERROR(Audit(tx, nullptr, "account.locked", "account", a.id,
                              JsonObject({{"until", FormatRfc3339(*l.locked_until)}})));
      }
      return Status::Ok();
    }
    l.failures = 0;
    l.locked_until.reset();
    if (step) l.totp_last_step = *step;
    l.updated_at = now;
    RETURN_IF_ERROR(tx.logins().Update(l));
    ASSIGN_OR_RETURN(Bytes id_raw, RandomBytes(*rng_, 32));
    ASSIGN_OR_RETURN(Bytes csrf_raw, RandomBytes(*rng_, 24));
    out.token = "ess_" + Base64UrlEncode(id_raw);
    out.csrf_token = Base64UrlEncode(csrf_raw);
    Session s{TokenHash(out.token), a.id, TokenHash(out.csrf_token), now, now,
              now + std::chrono::seconds(o_.session_max_seconds), std::nullopt};
    RETURN_IF_ERROR(tx.sessions().Insert(s));
    out.account = a;
    out.expires_at = s.expires_at;
    out.idle_seconds = o_.session_idle_seconds;
    ok = true;
    Caller who;
    who.account_id = a.id;
    who.role = a.role;
    who.name = a.name;
    return Audit(tx, &who, "account.signed_in", "account", a.id,
                 JsonObject({{"from", in.remote}, {"second_factor", step ? "totp" : "none"}}));
  }));
  if (!ok) return refused;
  return out;
}

Status PlatformImpl::SignOut(std::string_view session_token) {
  return InTx([&](Tx& tx) -> Status {
    auto s = tx.sessions().Get(TokenHash(session_token));
    if (!s.ok()) return s.status().code() == StatusCode::kNotFound ? Status::Ok() : s.status();
    if (s->revoked_at) return Status::Ok();
    RETURN_IF_ERROR(tx.sessions().Revoke(s->id_hash, Now()));
    Caller who;
    who.account_id = s->account_id;
    return Audit(tx, &who, "account.signed_out", "account", s->account_id);
  });
}

Result<Caller> PlatformImpl::AuthenticateSession(std::string_view session_token, std::string_view csrf_token,
                                                 bool state_changing) {
  if (session_token.size() < 8 || session_token.size() > 256) return UnauthenticatedError(kSessionEnded);
  const Time now = Now();
  Caller caller;
  bool touch = false;
  std::string id_hash = TokenHash(session_token);
  Status st = InReadTx([&](Tx& tx) -> Status {
    auto s = tx.sessions().Get(id_hash);
    if (!s.ok()) {
      return s.status().code() == StatusCode::kNotFound ? UnauthenticatedError(kSessionEnded) : s.status();
    }
    if (s->revoked_at || s->expires_at <= now ||
        s->last_seen_at + std::chrono::seconds(o_.session_idle_seconds) <= now) {
      return UnauthenticatedError(kSessionEnded);
    }
    if (state_changing && !SameHash(s->csrf_hash, TokenHash(csrf_token))) {
      return PermissionDeniedError(
          "请求缺少有效的 CSRF 令牌，请刷新页面后重试。 / The request lacks this session's CSRF token "
          "(X-CSRF-Token); reload the page and try again.");
    }
    ASSIGN_OR_RETURN(Account a, tx.accounts().Get(s->account_id));
    if (a.disabled) return UnauthenticatedError(kSessionEnded);
    caller.account_id = a.id;
    caller.role = a.role;
    caller.holder_id = a.holder_id;
    caller.area_code = a.area_code;
    caller.name = a.name;
    caller.via_session = true;
    // Names this browser session (not its secret), so a signing session opened in it is
    // bound to it (signing.h).
    caller.credential_id = "web:" + id_hash.substr(0, 16);
    touch = now - s->last_seen_at >= std::chrono::seconds(60);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  // The idle clock is kept to the minute, so that reading does not write every request.
  if (touch) RETURN_IF_ERROR(InTx([&](Tx& tx) { return tx.sessions().Touch(id_hash, now); }));
  return caller;
}

Status PlatformImpl::ChangeOwnPassword(const Caller& c, const SecretBytes& old_password,
                                       const SecretBytes& new_password) {
  if (c.account_id.empty()) return PermissionDeniedError("接入系统没有口令，请改用令牌轮换。 / Only a person's account has a password; a system rotates its token instead.");
  RETURN_IF_ERROR(CheckNewPassword(new_password));
  Login before;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(before, tx.logins().Get(c.account_id));
    return Status::Ok();
  }));
  if (!hasher().PasswordMatches(old_password, c.account_id, before.password_hash, o_.pbkdf2_iterations)) {
    RETURN_IF_ERROR(InTx([&](Tx& tx) {
      return Audit(tx, &c, "account.password_change_refused", "account", c.account_id);
    }));
    return UnauthenticatedError("原口令不正确。 / The current password is wrong.");
  }
  ASSIGN_OR_RETURN(std::string hash, hasher().HashPassword(new_password, c.account_id, o_.pbkdf2_iterations, *rng_));
  return InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Login l, tx.logins().GetForUpdate(c.account_id));
    if (l.password_hash != before.password_hash) {
      return FailedPreconditionError("口令刚被修改过，请重试。 / The password changed meanwhile; try again.");
    }
    l.password_hash = hash;
    l.updated_at = Now();
    RETURN_IF_ERROR(tx.logins().Update(l));
    RETURN_IF_ERROR(tx.sessions().RevokeAllFor(c.account_id, Now()));
    return Audit(tx, &c, "account.password_changed", "account", c.account_id);
  });
}

}  // namespace eseal::platform
