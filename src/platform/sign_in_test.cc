// People and credentials (issue 11 item 1) on both backends: enrolment, sign-in with a TOTP
// second factor, lockout under parallel guesses, sessions with idle and absolute ends and a
// CSRF token, account disable/enable and custodian handover, and API tokens with scopes,
// expiry, revocation and rotation. The TOTP codes are computed here from the secret the
// enrolment returned (crypto::HotpCode over RFC 6238's step), and what the database holds
// is read with plain SQL.
#include <gtest/gtest.h>

#include <thread>

#include "eseal/crypto/sm3.h"
#include "eseal/crypto/totp.h"
#include "eseal/store/testing.h"
#include "platform_fixture.h"

namespace eseal::platform {
namespace {

using testing::PlatformTest;

class SignInTest : public PlatformTest {
 protected:
  // A new account of `role` enrolled with `password`; returns its login and TOTP secret.
  struct Person {
    platform::Account account;
    std::string login, token;
    Bytes totp_secret;
  };
  Person Enrolled(Role role, const std::string& password, const std::string& holder_id = "") {
    Platform::AccountInput in;
    in.name = "张三";
    in.role = role;
    in.holder_id = holder_id;
    if (role == Role::kReviewer) in.area_code = "450000";
    auto made = P().CreateAccount(op_, in);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    Person p;
    if (!made.ok()) return p;
    p.account = made->account;
    p.login = made->login;
    p.token = made->token;
    auto e = P().Enrol({made->login, made->enrolment_code, SecretBytes(std::string_view(password))});
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    if (e.ok() && e->totp_required) p.totp_secret = *crypto::Base32Decode(e->totp_secret);
    return p;
  }
  std::string Code(const Person& p, int steps_ahead = 0) {
    int64_t step = crypto::TotpStep(ToUnix(clock_.Now())) + steps_ahead;
    return *crypto::HotpCode(p.totp_secret, static_cast<uint64_t>(step));
  }
  Result<Platform::NewSession> SignIn(const Person& p, const std::string& password, const std::string& code) {
    return P().SignIn({p.login, SecretBytes(std::string_view(password)), code, "127.0.0.1"});
  }
  int AuditCount(const std::string& action, const std::string& contains = "") {
    auto rows = store::QuerySqlForTest(url_, "SELECT details_json FROM audit_log WHERE action = '" + action + "'");
    if (!rows.ok()) return -1;
    int n = 0;
    for (const auto& r : *rows) n += contains.empty() || r[0].find(contains) != std::string::npos;
    return n;
  }
};

TEST_P(SignInTest, EnrolThenSignInWithTheSecondFactor) {
  Person p = Enrolled(Role::kOperator, "长城长城长城长城长城");
  ASSERT_EQ(p.totp_secret.size(), 20u);
  auto s = SignIn(p, "长城长城长城长城长城", Code(p));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->account.id, p.account.id);
  auto who = P().AuthenticateSession(s->token, "", /*state_changing=*/false);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->account_id, p.account.id);
  EXPECT_TRUE(who->via_session);
  EXPECT_EQ(who->role, Role::kOperator);
  EXPECT_EQ(AuditCount("account.signed_in"), 1);
}

TEST_P(SignInTest, EveryRefusalIsTheSameAnswerAndTheAuditTellsThemApart) {
  Person p = Enrolled(Role::kOperator, "correct horse battery");
  auto wrong_password = SignIn(p, "wrong horse battery", Code(p));
  auto missing_code = SignIn(p, "correct horse battery", "");
  auto wrong_code = SignIn(p, "correct horse battery", Code(p, 5));
  auto unknown = P().SignIn({"nobody", SecretBytes(std::string_view("correct horse battery")), "", "127.0.0.1"});
  for (const auto* r : {&wrong_password, &missing_code, &wrong_code, &unknown}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r->status().message(), wrong_password.status().message());
  }
  EXPECT_EQ(AuditCount("account.sign_in_failed", "wrong password"), 1);
  EXPECT_EQ(AuditCount("account.sign_in_failed", "wrong code"), 2);
  EXPECT_EQ(AuditCount("account.sign_in_failed", "unknown login"), 1);
}

TEST_P(SignInTest, ACodeIsAcceptedOnce) {
  Person p = Enrolled(Role::kHolderAdmin, "correct horse battery", MakeHolder(1, "广西示例科技有限公司").id);
  std::string code = Code(p);
  ASSERT_TRUE(SignIn(p, "correct horse battery", code).ok());
  auto again = SignIn(p, "correct horse battery", code);
  EXPECT_EQ(again.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(AuditCount("account.sign_in_failed", "code used before"), 1);
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_TRUE(SignIn(p, "correct horse battery", Code(p)).ok());
}

TEST_P(SignInTest, FiftyParallelGuessesEvaluateAtMostFiveAndTheLockHoldsForTheRightPassword) {
  Person p = Enrolled(Role::kHolderUser, "correct horse battery", MakeHolder(1, "广西示例科技有限公司").id);
  std::vector<std::thread> threads;
  std::vector<Status> answers(50);
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&, i] { answers[i] = SignIn(p, "guess number " + std::to_string(i), "").status(); });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : answers) {
    EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(s.message(), answers[0].message());
  }
  EXPECT_EQ(AuditCount("account.sign_in_failed", "wrong password"), 5) << "only five guesses are evaluated";
  EXPECT_EQ(AuditCount("account.sign_in_failed", "locked"), 45);
  // The right password during the lock gets the same answer.
  auto right = SignIn(p, "correct horse battery", "");
  EXPECT_EQ(right.status().message(), answers[0].message());
  // After the lock runs out it works.
  clock_.Advance(std::chrono::seconds(15 * 60 + 1));
  EXPECT_TRUE(SignIn(p, "correct horse battery", "").ok());
}

TEST_P(SignInTest, SessionsEndWhenIdleAtTheirAbsoluteEndAndAtSignOut) {
  Person p = Enrolled(Role::kHolderUser, "correct horse battery", MakeHolder(1, "广西示例科技有限公司").id);
  auto s = SignIn(p, "correct horse battery", "");
  ASSERT_TRUE(s.ok());
  // Used every 10 minutes, it outlives the 15-minute idle end, up to the 8-hour end.
  for (int i = 0; i < 47; ++i) {
    clock_.Advance(std::chrono::minutes(10));
    ASSERT_TRUE(P().AuthenticateSession(s->token, "", false).ok()) << "at " << (i + 1) * 10 << " min";
  }
  clock_.Advance(std::chrono::minutes(10));  // 480 minutes
  EXPECT_EQ(P().AuthenticateSession(s->token, "", false).status().code(), StatusCode::kUnauthenticated);

  auto idle = SignIn(p, "correct horse battery", "");
  ASSERT_TRUE(idle.ok());
  clock_.Advance(std::chrono::minutes(16));
  EXPECT_EQ(P().AuthenticateSession(idle->token, "", false).status().code(), StatusCode::kUnauthenticated);

  auto out = SignIn(p, "correct horse battery", "");
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE(P().SignOut(out->token).ok());
  EXPECT_EQ(P().AuthenticateSession(out->token, "", false).status().code(), StatusCode::kUnauthenticated);
}

TEST_P(SignInTest, AStateChangingRequestNeedsTheSessionsCsrfToken) {
  Person p = Enrolled(Role::kHolderUser, "correct horse battery", MakeHolder(1, "广西示例科技有限公司").id);
  auto s = SignIn(p, "correct horse battery", "");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(P().AuthenticateSession(s->token, "", true).status().code(), StatusCode::kPermissionDenied);
  auto other = SignIn(p, "correct horse battery", "");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(P().AuthenticateSession(s->token, other->csrf_token, true).status().code(),
            StatusCode::kPermissionDenied)
      << "another session's CSRF token does not count";
  EXPECT_TRUE(P().AuthenticateSession(s->token, s->csrf_token, true).ok());
}

TEST_P(SignInTest, TheDatabaseHoldsNeitherPasswordsNorSecretsNorSessionTokens) {
  Person p = Enrolled(Role::kOperator, "correct horse battery");
  auto s = SignIn(p, "correct horse battery", Code(p));
  ASSERT_TRUE(s.ok());
  std::string secret_b32 = crypto::Base32Encode(p.totp_secret);
  for (const char* table : {"account_logins", "sessions", "credentials", "audit_log"}) {
    auto rows = store::QuerySqlForTest(url_, std::string("SELECT * FROM ") + table);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    for (const auto& row : *rows) {
      for (const std::string& cell : row) {
        EXPECT_EQ(cell.find("correct horse battery"), std::string::npos) << table;
        EXPECT_EQ(cell.find(secret_b32), std::string::npos) << table;
        EXPECT_EQ(cell.find(HexEncode(p.totp_secret)), std::string::npos) << table;
        EXPECT_EQ(cell.find(s->token), std::string::npos) << table;
        EXPECT_EQ(cell.find(s->csrf_token), std::string::npos) << table;
      }
    }
  }
}

TEST_P(SignInTest, DisablingEndsSessionsAndTokensAtOnceAndEnablingDoesNotBringTokensBack) {
  Person p = Enrolled(Role::kHolderUser, "correct horse battery", MakeHolder(1, "广西示例科技有限公司").id);
  auto s = SignIn(p, "correct horse battery", "");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(P().Authenticate(p.token).ok());
  ASSERT_TRUE(P().SetAccountDisabled(op_, p.account.id, true, "离职").ok());
  EXPECT_EQ(P().Authenticate(p.token).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(P().AuthenticateSession(s->token, "", false).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(SignIn(p, "correct horse battery", "").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(AuditCount("account.sign_in_failed", "account disabled"), 1);
  ASSERT_TRUE(P().SetAccountDisabled(op_, p.account.id, false, "返岗").ok());
  EXPECT_EQ(P().Authenticate(p.token).status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(SignIn(p, "correct horse battery", "").ok());
}

TEST_P(SignInTest, AHolderAdminManagesOnlyItsOwnUsers) {
  Holder h1 = MakeHolder(1, "广西示例科技有限公司"), h2 = MakeHolder(2, "南宁示例贸易有限公司");
  Caller admin1 = Account(Role::kHolderAdmin, h1.id);
  Person other = Enrolled(Role::kHolderUser, "correct horse battery", h2.id);
  Person own = Enrolled(Role::kHolderUser, "correct horse battery", h1.id);
  EXPECT_EQ(P().SetAccountDisabled(admin1, other.account.id, true, "x").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(P().SetAccountDisabled(admin1, own.account.id, true, "x").ok());
  EXPECT_EQ(P().ResetEnrolment(admin1, other.account.id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(P().ListAccounts(admin1, h2.id, Page{}).status().code(), StatusCode::kPermissionDenied);
  auto mine = P().ListAccounts(admin1, "", Page{});
  ASSERT_TRUE(mine.ok());
  for (const auto& a : *mine) EXPECT_EQ(a.holder_id, h1.id);
}

TEST_P(SignInTest, HandoverMovesTheGrantsAndDisablesTheLeavingCustodian) {
  Holder h = MakeHolder(1, "广西示例科技有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  Person leaving = Enrolled(Role::kHolderUser, "correct horse battery", h.id);
  Person next = Enrolled(Role::kHolderUser, "correct horse battery", h.id);
  ASSERT_TRUE(P().GrantSeal(admin, SealGrant{seal.id, leaving.account.id, true, false}).ok());
  auto done = P().HandOver(admin, leaving.account.id, next.account.id, "保管人调岗");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  auto granted = store::QuerySqlForTest(url_, "SELECT account_id FROM seal_grants WHERE seal_id = '" + seal.id + "'");
  ASSERT_TRUE(granted.ok());
  ASSERT_EQ(granted->size(), 1u);
  EXPECT_EQ((*granted)[0][0], next.account.id);
  EXPECT_EQ(P().Authenticate(leaving.token).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(AuditCount("account.handed_over"), 1);
}

TEST_P(SignInTest, TokensHaveScopesExpireAndRotate) {
  Person p = Enrolled(Role::kHolderUser, "correct horse battery", MakeHolder(1, "广西示例科技有限公司").id);
  auto who = P().Authenticate(p.token);
  ASSERT_TRUE(who.ok());
  auto t = P().CreateToken(*who, {"ERP 签章", "sign read", 30});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->credential.scopes, "read sign");
  auto as_token = P().Authenticate(t->token);
  ASSERT_TRUE(as_token.ok());
  EXPECT_TRUE(as_token->HasScope("sign"));
  EXPECT_FALSE(as_token->HasScope("write"));
  // A token cannot make a token with more than it has.
  EXPECT_EQ(P().CreateToken(*as_token, {"more", "write", 30}).status().code(), StatusCode::kPermissionDenied);
  // Rotation: the old one stops at once, the new one works.
  auto next = P().RotateToken(*who, t->credential.id);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(P().Authenticate(t->token).status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(P().Authenticate(next->token).ok());
  // Another person's token id is not found for this caller.
  Person other = Enrolled(Role::kHolderUser, "correct horse battery", MakeHolder(2, "南宁示例贸易有限公司").id);
  auto other_who = P().Authenticate(other.token);
  ASSERT_TRUE(other_who.ok());
  EXPECT_EQ(P().RevokeToken(*other_who, next->credential.id).status().code(), StatusCode::kNotFound);
  // The operator may revoke a compromised token, but never rotate someone else's into a
  // working one it would hold.
  EXPECT_EQ(P().RotateToken(op_, next->credential.id).status().code(), StatusCode::kNotFound);
  // Expiry.
  clock_.Advance(std::chrono::hours(24 * 31));
  EXPECT_EQ(P().Authenticate(next->token).status().code(), StatusCode::kUnauthenticated);
  auto listed = P().ListTokens(*other_who, "");
  ASSERT_TRUE(listed.ok());
  for (const auto& c : *listed) EXPECT_TRUE(c.token_hash.empty());
}

// The operator never sets or learns a holder's protection password (issue 11 item 1): an
// application it makes for a holder waits for the holder admin's password, which makes the
// key; the seal then signs with that password only.
TEST_P(SignInTest, TheHolderAdminNotTheOperatorSetsTheProtectionPassword) {
  Holder h = MakeHolder(1, "广西示例科技有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Holder other = MakeHolder(2, "南宁示例贸易有限公司");
  Caller other_admin = Account(Role::kHolderAdmin, other.id);
  Platform::ApplyInput with_password;
  with_password.holder_id = h.id;
  with_password.seal_kind = "contract";
  with_password.password = SecretBytes(std::string_view("operator knows this"));
  EXPECT_EQ(P().Apply(op_, std::move(with_password)).status().code(), StatusCode::kInvalidArgument);

  Platform::ApplyInput in;
  in.holder_id = h.id;
  in.seal_kind = "contract";
  auto app = P().Apply(op_, std::move(in));
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  EXPECT_EQ(P().Review(op_, app->id, true, "").status().code(), StatusCode::kFailedPrecondition)
      << "no key yet: nothing to approve";
  EXPECT_EQ(P().SetApplicationPassword(op_, app->id, SecretBytes(std::string_view("correct horse"))).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(P().SetApplicationPassword(other_admin, app->id, SecretBytes(std::string_view("correct horse")))
                .status()
                .code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(P().SetApplicationPassword(admin, app->id, SecretBytes(std::string_view("correct horse"))).ok());
  EXPECT_EQ(P().SetApplicationPassword(admin, app->id, SecretBytes(std::string_view("another horse"))).status().code(),
            StatusCode::kFailedPrecondition)
      << "set once";
  auto done = P().Review(op_, app->id, true, "");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  ASSERT_EQ(done->status, ApplicationStatus::kCompleted);
  auto seal = P().GetSeal(admin, done->result_seal_id);
  ASSERT_TRUE(seal.ok());
  EXPECT_TRUE(Sign(admin, *seal, "correct horse").ok());
  EXPECT_EQ(Sign(admin, *seal, "operator knows this").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(AuditCount("application.password_set"), 1);
}

// An insider who can write the database but has no KEK (credential_hash.h). Each row is
// written with plain SQL the way the scheme before keyed hashes stored it: SM3 of a secret
// the insider chose.
std::string Sm3HexOf(std::string_view s) { return HexEncode(crypto::Sm3Bytes(AsBytes(s))); }

TEST_P(SignInTest, AnInsiderCannotMintATokenASessionOrAnEnrolmentCode) {
  const std::string token = "esk_chosen-by-the-insider-0123456789abcdefghij";
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "INSERT INTO credentials (token_hash, account_id, created_at, id, label, "
                                             "scopes, expires_at) VALUES ('" + Sm3HexOf(token) + "', '" +
                                                 op_.account_id + "', 1, 'tok_insider', 'x', 'read sign write', "
                                                 "4000000000)")
                  .ok());
  EXPECT_EQ(P().Authenticate(token).status().code(), StatusCode::kUnauthenticated);

  const std::string session = "ess_chosen-by-the-insider-0123456789abcdefghij";
  const std::string now = std::to_string(ToUnix(clock_.Now()));
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "INSERT INTO sessions (id_hash, account_id, csrf_hash, created_at, "
                                             "last_seen_at, expires_at) VALUES ('" + Sm3HexOf(session) + "', '" +
                                                 op_.account_id + "', '" + Sm3HexOf("csrf") + "', " + now + ", " +
                                                 now + ", 4000000000)")
                  .ok());
  EXPECT_EQ(P().AuthenticateSession(session, "csrf", true).status().code(), StatusCode::kUnauthenticated);

  // A planted enrolment code for the operator would hand over its password and TOTP secret.
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE account_logins SET enrolment_hash = '" + Sm3HexOf("PLANTED") +
                                             "', enrolment_expires = 4000000000 WHERE login = 'operator'")
                  .ok());
  auto e = P().Enrol({"operator", "PLANTED", SecretBytes(std::string_view("correct horse battery"))});
  EXPECT_EQ(e.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(AuditCount("account.enrolment_refused"), 1);
}

TEST_P(SignInTest, APasswordOrSecondFactorCopiedToAnotherAccountDoesNotSignIn) {
  Person a = Enrolled(Role::kHolderAdmin, "password of a", MakeHolder(1, "广西示例科技有限公司").id);
  Person b = Enrolled(Role::kHolderAdmin, "password of b", MakeHolder(2, "南宁示例贸易有限公司").id);
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE account_logins SET password_hash = (SELECT password_hash FROM "
                                             "account_logins WHERE account_id = '" + a.account.id +
                                                 "') WHERE account_id = '" + b.account.id + "'")
                  .ok());
  EXPECT_EQ(SignIn(b, "password of a", Code(b)).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(AuditCount("account.sign_in_failed", "wrong password"), 1);

  Person c = Enrolled(Role::kHolderAdmin, "password of c", MakeHolder(3, "柳州示例制造有限公司").id);
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE account_logins SET totp_sealed = (SELECT totp_sealed FROM "
                                             "account_logins WHERE account_id = '" + a.account.id +
                                                 "') WHERE account_id = '" + c.account.id + "'")
                  .ok());
  auto copied = SignIn(c, "password of c", Code(a));
  EXPECT_EQ(copied.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(copied.status().message(), SignIn(a, "wrong", "").status().message()) << "the same answer as any refusal";
  EXPECT_EQ(AuditCount("account.sign_in_failed", "does not open"), 1);
}

// A database from before keyed hashes (plain SM3 rows and no "credential_hashing" setting)
// is keyed once at open: its tokens keep working, and opening again changes nothing.
TEST_P(SignInTest, RowsFromBeforeKeyedHashesAreKeyedOnceAtOpen) {
  Person p = Enrolled(Role::kHolderUser, "correct horse battery", MakeHolder(1, "广西示例科技有限公司").id);
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE credentials SET token_hash = '" + Sm3HexOf(p.token) +
                                             "' WHERE account_id = '" + p.account.id + "'")
                  .ok());
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE credentials SET token_hash = '" + Sm3HexOf(operator_token_) +
                                             "' WHERE account_id = '" + op_.account_id + "'")
                  .ok());
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "DELETE FROM settings WHERE name = 'credential_hashing'").ok());
  EXPECT_EQ(P().Authenticate(p.token).status().code(), StatusCode::kUnauthenticated) << "an unkeyed row is not read";
  Open();
  EXPECT_TRUE(P().Authenticate(p.token).ok());
  EXPECT_EQ(AuditCount("credentials.rekeyed"), 1);
  Open();
  EXPECT_TRUE(P().Authenticate(p.token).ok()) << "keyed once, not twice";
  EXPECT_EQ(AuditCount("credentials.rekeyed"), 1);
}

ESEAL_PLATFORM_BACKENDS(SignInTest);

}  // namespace
}  // namespace eseal::platform
