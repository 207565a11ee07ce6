// Credentials (凭据): who may call the platform (docs/security.md "Credentials"). People
// sign in with a login, a password and, for operators, reviewers and holder admins, a TOTP
// code, and get a short browser session; systems use API tokens that expire, carry scopes,
// and can be listed, revoked and rotated. Accounts have a lifecycle (create, disable,
// enable, custodian handover); a holder admin grants its users the use of seals.
// Thread-safety: implementations are safe to use from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/base/time.h"
#include "eseal/platform/caller.h"
#include "eseal/platform/model.h"
#include "eseal/platform/repository.h"

namespace eseal::platform {

// The accounts and credentials capability (auth.cc, registry.cc: accounts and grants).
class Credentials {
 public:
  virtual ~Credentials() = default;

  // ---- authentication ----
  virtual Result<Caller> Authenticate(std::string_view bearer_token) = 0;
  // ---- accounts ----
  struct AccountInput {
    std::string name;
    Role role = Role::kHolderUser;
    std::string holder_id;
    std::string area_code;
    std::string login;  // the sign-in name; default: the account id
  };
  struct NewCredential {
    Account account;
    std::string token;           // shown once
    std::string login;
    std::string enrolment_code;  // shown once; the person sets a password with it
  };
  // Operator: any account; holder admin: holder users of its own holder. The account gets a
  // login (AccountInput::login, or its id) and a one-time enrolment code (valid 72 hours)
  // with which the person sets a password; and an API token for automation that expires
  // after PlatformOptions::token_validity_days.
  virtual Result<NewCredential> CreateAccount(const Caller& c, const AccountInput& in) = 0;
  // Holder admin: lets one of its users use (and/or approve use of) one of its seals.
  virtual Status GrantSeal(const Caller& c, const SealGrant& grant) = 0;

  // ---- people sign in ----
  struct EnrolInput {
    std::string login;
    std::string enrolment_code;
    SecretBytes password;  // at least 10 characters
  };
  struct Enrolment {
    bool totp_required = false;  // operators, reviewers and holder admins
    std::string totp_secret;     // base32, shown once (empty when not required)
    std::string otpauth_uri;     // for an authenticator app's QR code
  };
  // Public: sets the password with the one-time enrolment code (which it uses up) and,
  // where the role needs a second factor, makes the TOTP secret.
  virtual Result<Enrolment> Enrol(const EnrolInput& in) = 0;
  struct SignInInput {
    std::string login;
    SecretBytes password;
    std::string totp;      // 6 digits, when the role needs it
    std::string remote;    // the address, for the audit trail
  };
  struct NewSession {
    std::string token;       // the session cookie's value, shown once
    std::string csrf_token;  // sent back in X-CSRF-Token with every state-changing request
    Account account;
    Time expires_at{};       // absolute end
    int idle_seconds = 0;    // ends after this long unused
  };
  // Public. Every refusal (unknown login, wrong password or code, a used code, locked,
  // disabled, not enrolled) is the same Unauthenticated answer; the audit trail tells them
  // apart. An attempt is counted under the login's row lock before the hash is derived;
  // PlatformOptions::sign_in_attempt_limit failures in a row lock the login for
  // sign_in_lock_seconds.
  virtual Result<NewSession> SignIn(const SignInInput& in) = 0;
  virtual Status SignOut(std::string_view session_token) = 0;
  // The caller of a browser session; `state_changing` requests must carry its CSRF token.
  // Refused after the idle or absolute end, after sign-out, and once the account is disabled.
  virtual Result<Caller> AuthenticateSession(std::string_view session_token, std::string_view csrf_token,
                                             bool state_changing) = 0;
  // The signed-in person changes their own password (sessions end except this one's caller
  // keeps working until it signs in again).
  virtual Status ChangeOwnPassword(const Caller& c, const SecretBytes& old_password,
                                   const SecretBytes& new_password) = 0;

  // ---- account lifecycle ----
  // Operator: every account (or one holder's); holder admin: its holder's accounts.
  virtual Result<std::vector<Account>> ListAccounts(const Caller& c, std::string_view holder_id, Page page) = 0;
  // Operator (holder admin for its own users): disabling ends every session and revokes
  // every token of the account at once; enabling lets it sign in again (tokens stay revoked).
  virtual Result<Account> SetAccountDisabled(const Caller& c, std::string_view account_id, bool disabled,
                                             std::string_view reason) = 0;
  // Operator or the holder admin: a custodian leaves. The seal grants of `from` move to
  // `to` (a user of the same holder), and `from` is disabled, in one transaction.
  virtual Result<Account> HandOver(const Caller& c, std::string_view from_account, std::string_view to_account,
                                   std::string_view reason) = 0;
  // Operator (holder admin for its users): a new enrolment code (a forgotten password or a
  // lost authenticator); the old password and TOTP secret stop working at once.
  virtual Result<std::string> ResetEnrolment(const Caller& c, std::string_view account_id) = 0;

  // ---- API tokens ----
  struct TokenInput {
    std::string label;
    std::string scopes = "read";  // space-separated from: read sign write
    int valid_days = 90;          // 1..365
  };
  struct NewToken {
    Credential credential;  // without the hash
    std::string token;      // shown once
  };
  // The caller's own tokens (an account signed in, or a client rotating its own).
  virtual Result<NewToken> CreateToken(const Caller& c, const TokenInput& in) = 0;
  // The caller's tokens; an operator may name another account ("" for its own).
  virtual Result<std::vector<Credential>> ListTokens(const Caller& c, std::string_view account_id) = 0;
  virtual Result<Credential> RevokeToken(const Caller& c, std::string_view token_id) = 0;
  // A new token with the same label and scopes and a fresh validity; the old one is revoked.
  virtual Result<NewToken> RotateToken(const Caller& c, std::string_view token_id) = 0;
};

}  // namespace eseal::platform
