// Signing sessions (签章会话) through the platform, on both backends: one password unlock
// signs many documents, each checked and recorded in the usage register; the session is
// the opener's alone, ends at its count, its time, its close, and when the seal is revoked;
// parallel use never exceeds its count; a refused document gives its signature back.
#include <atomic>
#include <thread>

#include "platform_fixture.h"

namespace eseal::platform::testing {
namespace {

using SigningSessionTest = PlatformTest;

class Sessions : public SigningSessionTest {
 protected:
  void SetUp() override {
    SigningSessionTest::SetUp();
    h_ = MakeHolder(1, "会话签章测试有限公司");
    admin_ = Account(Role::kHolderAdmin, h_.id);
    seal_ = MakeSeal(admin_, "contract");
  }

  Result<Platform::SessionInfo> Open(const Caller& c, std::string_view password, int max = 0, int ttl = 0) {
    Platform::OpenSessionInput in;
    in.seal = seal_.id;
    in.password = Pw(password);
    in.max_signatures = max;
    in.ttl_seconds = ttl;
    return P().OpenSigningSession(c, std::move(in));
  }

  Result<Platform::SignOutcome> SignIn(const Caller& c, const std::string& session, Bytes doc = {}) {
    Platform::SignInput in;
    in.seal = seal_.id;
    in.session = session;
    in.document = doc.empty() ? LoadShared("unsigned/helloworld.ofd") : std::move(doc);
    in.document_name = "helloworld.ofd";
    in.placement.positions.push_back(sign::PagePosition{1, 50, 50});
    return P().SignDocument(c, std::move(in));
  }

  size_t Registered() {
    SignatureRepository::Filter f;
    f.seal_id = seal_.id;
    auto reg = P().ListSignatures(admin_, f, Page{});
    EXPECT_TRUE(reg.ok());
    return reg.ok() ? reg->size() : 0;
  }

  std::vector<AuditEntry> Trail(std::string_view action) {
    auto all = P().ListAudit(op_, 0, 1000);
    EXPECT_TRUE(all.ok());
    std::vector<AuditEntry> out;
    if (all.ok()) {
      for (const AuditEntry& e : *all) {
        if (e.action == action) out.push_back(e);
      }
    }
    return out;
  }

  Holder h_;
  Caller admin_;
  Seal seal_;
};

TEST_P(Sessions, OnePasswordSignsManyEachRegisteredAndAudited) {
  auto s = Open(admin_, "correct horse", 10);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->id.substr(0, 4), "sgs_");
  EXPECT_EQ(s->remaining, 10);
  EXPECT_EQ(s->expires_at, clock_.Now() + std::chrono::minutes(15));  // the default time
  for (int i = 0; i < 3; ++i) {
    auto out = SignIn(admin_, s->id);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    if (i == 0) {
      auto v = P().VerifyOfd(out->document);
      ASSERT_TRUE(v.ok());
      EXPECT_EQ(v->verdict, Verdict::kPassed) << v->json;
    }
  }
  EXPECT_EQ(Registered(), 3u);
  auto now = P().GetSigningSession(admin_, seal_.id, s->ref);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->remaining, 7);
  EXPECT_TRUE(now->id.empty()) << "the id is shown only when the session opens";

  // Audit: opened, three signatures naming the session, closed; never the id itself.
  ASSERT_TRUE(P().CloseSigningSession(admin_, seal_.id, s->ref).ok());
  auto opened = Trail("seal.session_opened");
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_NE(opened[0].details_json.find(s->ref), std::string::npos);
  int in_session = 0;
  for (const AuditEntry& e : Trail("seal.signed")) in_session += e.details_json.find(s->ref) != std::string::npos;
  EXPECT_EQ(in_session, 3);
  auto closed = Trail("seal.session_closed");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_NE(closed[0].details_json.find("\"closed\""), std::string::npos);
  auto all = P().ListAudit(op_, 0, 1000);
  for (const AuditEntry& e : *all) EXPECT_EQ(e.details_json.find(s->id), std::string::npos) << e.action;

  // Closed: it signs no more, and nothing more is registered.
  EXPECT_EQ(SignIn(admin_, s->id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Registered(), 3u);
}

TEST_P(Sessions, AnotherCallerOrCredentialCannotUseIt) {
  auto s = Open(admin_, "correct horse");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  // A user of the same holder with a grant to the seal: may sign with the password, not
  // with the administrator's session.
  Caller user = Account(Role::kHolderUser, h_.id);
  ASSERT_TRUE(P().GrantSeal(admin_, SealGrant{seal_.id, user.account_id, true, false}).ok());
  EXPECT_EQ(SignIn(user, s->id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(P().CloseSigningSession(user, seal_.id, s->ref).code(), StatusCode::kNotFound);
  EXPECT_EQ(P().GetSigningSession(user, seal_.id, s->ref).status().code(), StatusCode::kNotFound);
  // The same account through another token of its own.
  Platform::TokenInput ti;
  ti.label = "second";
  ti.scopes = "read sign";
  auto tok = P().CreateToken(admin_, ti);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  auto other = P().Authenticate(tok->token);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->account_id, admin_.account_id);
  EXPECT_EQ(SignIn(*other, s->id).status().code(), StatusCode::kNotFound);
  // Another enterprise's administrator is refused before any session is looked at.
  Holder h2 = MakeHolder(2, "别家有限公司");
  Caller stranger = Account(Role::kHolderAdmin, h2.id);
  EXPECT_EQ(SignIn(stranger, s->id).status().code(), StatusCode::kPermissionDenied);
  // The public reference never signs.
  EXPECT_FALSE(SignIn(admin_, s->ref).ok());
  EXPECT_EQ(Registered(), 0u);
  // The opener still can.
  EXPECT_TRUE(SignIn(admin_, s->id).ok());
}

TEST_P(Sessions, EndsAtItsCountAndAtItsTime) {
  auto s = Open(admin_, "correct horse", 2);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(SignIn(admin_, s->id).ok());
  EXPECT_TRUE(SignIn(admin_, s->id).ok());
  EXPECT_FALSE(SignIn(admin_, s->id).ok());
  EXPECT_EQ(Registered(), 2u);
  auto closed = Trail("seal.session_closed");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_NE(closed[0].details_json.find("used_up"), std::string::npos);

  auto t = Open(admin_, "correct horse", 100, 60);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(SignIn(admin_, t->id).ok());
  clock_.Advance(std::chrono::seconds(61));
  auto late = SignIn(admin_, t->id);
  EXPECT_FALSE(late.ok());
  EXPECT_EQ(Registered(), 3u);
  closed = Trail("seal.session_closed");
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_NE(closed[1].details_json.find("expired"), std::string::npos);
  EXPECT_EQ(closed[1].actor, "system");

  // The sweep ends an unused session past its time too.
  auto u = Open(admin_, "correct horse", 5, 30);
  ASSERT_TRUE(u.ok());
  clock_.Advance(std::chrono::seconds(31));
  auto n = P().ExpireSigningSessions();
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(P().GetSigningSession(admin_, seal_.id, u->ref).status().code(), StatusCode::kNotFound);

  // Limits the caller may not exceed.
  EXPECT_EQ(Open(admin_, "correct horse", 0, 9 * 3600).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Open(admin_, "correct horse", 1000000).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(Sessions, RevocationAndSuspensionEndIt) {
  auto s = Open(admin_, "correct horse");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(SignIn(admin_, s->id).ok());
  ASSERT_TRUE(P().Revoke(admin_, seal_.id, "印章遗失 (lost)").ok());
  auto after = SignIn(admin_, s->id);
  EXPECT_EQ(after.status().code(), StatusCode::kFailedPrecondition) << after.status().ToString();
  EXPECT_EQ(Registered(), 1u);
  // Ended for good: gone even if the seal were usable again.
  EXPECT_EQ(P().GetSigningSession(admin_, seal_.id, s->ref).status().code(), StatusCode::kNotFound);
  auto closed = Trail("seal.session_closed");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_NE(closed[0].details_json.find("refused"), std::string::npos);
  // A revoked seal opens no session.
  EXPECT_EQ(Open(admin_, "correct horse").status().code(), StatusCode::kFailedPrecondition);
}

TEST_P(Sessions, PasswordIsCountedAndApprovalSealsCannotOpenOne) {
  EXPECT_EQ(Open(admin_, "wrong guess").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(P().GetSeal(admin_, seal_.id)->failed_attempts, 1);
  EXPECT_EQ(Trail("seal.password_wrong").size(), 1u);
  ASSERT_TRUE(P().SetRequiresApproval(admin_, seal_.id, true).ok());
  EXPECT_EQ(Open(admin_, "correct horse").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Trail("seal.session_opened").empty());
}

TEST_P(Sessions, ARefusedDocumentGivesItsSignatureBack) {
  auto s = Open(admin_, "correct horse", 2);
  ASSERT_TRUE(s.ok());
  Bytes junk = {'P', 'K', 3, 4, 'n', 'o', 't', ' ', 'a', 'n', ' ', 'o', 'f', 'd'};
  EXPECT_FALSE(SignIn(admin_, s->id, junk).ok());
  EXPECT_TRUE(SignIn(admin_, s->id).ok());
  EXPECT_TRUE(SignIn(admin_, s->id).ok());
  EXPECT_EQ(Registered(), 2u);
}

// A vendor authorised with the password opens a session with its key copy (no password);
// withdrawing the authorisation stops the session's next signature and ends it.
TEST_P(Sessions, AVendorOpensWithItsKeyCopyAndWithdrawalEndsIt) {
  auto cl = P().ApplyForAccess(Platform::ClientApplication{"服务商甲", "签章服务", "ops@example.cn", "",
                                                           ClientType::kVendor});
  ASSERT_TRUE(cl.ok()) << cl.status().ToString();
  auto decided = P().ReviewClient(op_, cl->id, true, "");
  ASSERT_TRUE(decided.ok());
  auto vendor = P().Authenticate(decided->token);
  ASSERT_TRUE(vendor.ok());
  auto auth = P().Authorise(admin_, vendor->client_id, {seal_.id}, clock_.Now() + std::chrono::days(30),
                            Pw("correct horse"));
  ASSERT_TRUE(auth.ok()) << auth.status().ToString();
  Platform::OpenSessionInput in;
  in.seal = seal_.id;
  auto s = P().OpenSigningSession(*vendor, std::move(in));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto out = SignIn(*vendor, s->id);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->record.client_id, vendor->client_id);
  ASSERT_TRUE(P().WithdrawAuthorisation(admin_, auth->id).ok());
  EXPECT_FALSE(SignIn(*vendor, s->id).ok());
  EXPECT_EQ(P().GetSigningSession(*vendor, seal_.id, s->ref).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Registered(), 1u);
}

// A changed password (it may have leaked) ends the sessions opened with the old one.
TEST_P(Sessions, APasswordChangeEndsTheSessions) {
  auto s = Open(admin_, "correct horse");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(SignIn(admin_, s->id).ok());
  Platform::ApplyInput in;
  in.type = ApplicationType::kPasswordChange;
  in.seal_id = seal_.id;
  auto app = P().Apply(admin_, std::move(in));
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  ASSERT_TRUE(P().Review(op_, app->id, true, "").ok());
  ASSERT_TRUE(P().ChangePassword(admin_, app->id, Pw("correct horse"), Pw("battery staple")).ok());
  EXPECT_EQ(SignIn(admin_, s->id).status().code(), StatusCode::kNotFound);
  auto closed = Trail("seal.session_closed");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_NE(closed[0].details_json.find("password_changed"), std::string::npos);
  EXPECT_TRUE(Open(admin_, "battery staple").ok());
}

// Many threads on one session of three signatures: exactly three are made and registered.
TEST_P(Sessions, ParallelUseNeverExceedsTheCount) {
  auto s = Open(admin_, "correct horse", 3);
  ASSERT_TRUE(s.ok());
  constexpr int kThreads = 8;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  Bytes doc = LoadShared("unsigned/helloworld.ofd");
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      if (SignIn(admin_, s->id, doc).ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 3);
  EXPECT_EQ(Registered(), 3u);
}

ESEAL_PLATFORM_BACKENDS(Sessions);

}  // namespace
}  // namespace eseal::platform::testing
