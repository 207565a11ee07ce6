// Contract tests of applications (with reviews), seals, seal events, issued certificates
// and platform keys (both backends).
#include "store_test_util.h"

namespace eseal::store::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// ---- applications --------------------------------------------------------------------------

TEST_P(StoreTest, ApplicationRoundTripWithReviews) {
  SeedSeal("s1", "h1");
  auto tx = Begin();
  Application a = SampleApplication("ap1", "h1");
  a.seal_id = "s1";
  ASSERT_OK(tx->applications().Insert(a));
  Application bare = SampleApplication("ap2", "h1");
  bare.reviews.clear();
  bare.protected_key.clear();  // zero-byte blobs
  bare.public_key_spki.clear();
  bare.type = ApplicationType::kNewSeal;
  bare.status = ApplicationStatus::kPending;
  ASSERT_OK(tx->applications().Insert(bare));
  EXPECT_CODE(tx->applications().Insert(a), kAlreadyExists);
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(Application got, tx->applications().Get("ap1"));
  EXPECT_EQ(Dump(got), Dump(a));
  ASSERT_EQ(got.reviews.size(), 2u);
  EXPECT_EQ(got.reviews[0].reviewer_id, "rev-county");
  ASSERT_OK_AND_ASSIGN(got, tx->applications().Get("ap2"));
  EXPECT_EQ(Dump(got), Dump(bare));
  EXPECT_TRUE(got.protected_key.empty());
  EXPECT_CODE(tx->applications().Get("zz"), kNotFound);
  EXPECT_CODE(tx->applications().GetForUpdate("zz"), kNotFound);
}

TEST_P(StoreTest, ApplicationUpdateReplacesReviews) {
  SeedSeal("s1", "h1");
  auto tx = Begin();
  Application a = SampleApplication("ap1", "h1");
  ASSERT_OK(tx->applications().Insert(a));
  ASSERT_OK_AND_ASSIGN(Application locked, tx->applications().GetForUpdate("ap1"));
  EXPECT_EQ(Dump(locked), Dump(a));
  ReviewStep r3;
  r3.level = 1;
  r3.area_code = "330000";
  r3.reviewer_id = "rev-region";
  r3.approved = true;
  r3.reason = "";
  r3.decided_at = T(1700005000);
  a.reviews = {a.reviews[1], r3};
  a.status = ApplicationStatus::kCompleted;
  a.result_seal_id = "s1";
  a.next_level = 0;
  ASSERT_OK(tx->applications().Update(a));
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(Application got, tx->applications().Get("ap1"));
  EXPECT_EQ(Dump(got), Dump(a));
  a.reviews.clear();
  ASSERT_OK(tx->applications().Update(a));
  ASSERT_OK_AND_ASSIGN(got, tx->applications().Get("ap1"));
  EXPECT_TRUE(got.reviews.empty());
  Application missing = SampleApplication("zz", "h1");
  EXPECT_CODE(tx->applications().Update(missing), kNotFound);
}

TEST_P(StoreTest, ApplicationListFiltersAndLoadsReviews) {
  SeedHolder("h1");
  SeedHolder("h2");
  auto tx = Begin();
  auto add = [&](const std::string& id, const std::string& holder, ApplicationType type,
                 ApplicationStatus status, int64_t at) {
    Application a = SampleApplication(id, holder);
    a.type = type;
    a.status = status;
    a.created_at = T(at);
    a.reviews.resize(id.size() % 3);  // 0, 1 or 2 reviews
    ASSERT_OK(tx->applications().Insert(a));
  };
  add("a3", "h1", ApplicationType::kNewSeal, ApplicationStatus::kPending, 300);
  add("a1", "h1", ApplicationType::kRenew, ApplicationStatus::kApproved, 100);
  add("a2", "h2", ApplicationType::kNewSeal, ApplicationStatus::kPending, 200);
  add("a22", "h1", ApplicationType::kNewSeal, ApplicationStatus::kPending, 200);
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ApplicationRepository::Filter all;
  ASSERT_OK_AND_ASSIGN(auto list, tx->applications().List(all, {}));
  EXPECT_THAT(Ids(list), ElementsAre("a1", "a2", "a22", "a3"));
  for (const Application& a : list) {
    ASSERT_OK_AND_ASSIGN(Application one, tx->applications().Get(a.id));
    EXPECT_EQ(Dump(a), Dump(one));  // reviews loaded in List as in Get
  }
  EXPECT_EQ(list[2].reviews.size(), 0u);
  EXPECT_EQ(list[0].reviews.size(), 2u);

  ApplicationRepository::Filter f;
  f.holder_id = "h1";
  f.status = ApplicationStatus::kPending;
  ASSERT_OK_AND_ASSIGN(list, tx->applications().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("a22", "a3"));
  f = {};
  f.type = ApplicationType::kRenew;
  ASSERT_OK_AND_ASSIGN(list, tx->applications().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("a1"));
  ASSERT_OK_AND_ASSIGN(list, tx->applications().List(all, Page{2, 1}));
  EXPECT_THAT(Ids(list), ElementsAre("a2", "a22"));
}

// A reviewer's queue: the applications of departments in an area, found in the query
// (before paging) however many older applications the rest of the province has.
TEST_P(StoreTest, ApplicationListFiltersByHolderKindAndArea) {
  auto tx = Begin();
  auto holder = [&](const std::string& id, int n, HolderKind kind, const std::string& area) {
    Holder h = SampleHolder(id, n);
    h.kind = kind;
    h.area_code = area;
    ASSERT_OK(tx->holders().Insert(h));
  };
  holder("elsewhere", 901, HolderKind::kDepartment, "450200");  // another city
  holder("ent", 902, HolderKind::kEnterprise, "450102");        // an enterprise in the area
  holder("county", 903, HolderKind::kDepartment, "450102");
  holder("city", 904, HolderKind::kDepartment, "450100");
  holder("region", 905, HolderKind::kDepartment, "450000");
  int64_t at = 1000;
  for (int i = 0; i < 1000; ++i) {
    Application a = SampleApplication("old" + std::to_string(1000 + i), i % 2 ? "elsewhere" : "ent");
    a.created_at = T(at++);
    ASSERT_OK(tx->applications().Insert(a));
  }
  for (const char* h : {"county", "city", "region"}) {
    Application a = SampleApplication(std::string("app_") + h, h);
    a.created_at = T(at++);
    ASSERT_OK(tx->applications().Insert(a));
  }
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ApplicationRepository::Filter f;
  f.holder_kind = HolderKind::kDepartment;
  f.holder_area_prefix = "4501";
  ASSERT_OK_AND_ASSIGN(auto list, tx->applications().List(f, Page{}));
  EXPECT_THAT(Ids(list), ElementsAre("app_county", "app_city"));
  ASSERT_OK_AND_ASSIGN(list, tx->applications().List(f, Page{1, 1}));
  EXPECT_THAT(Ids(list), ElementsAre("app_city"));
  f.holder_area_prefix = "450102";
  ASSERT_OK_AND_ASSIGN(list, tx->applications().List(f, Page{}));
  EXPECT_THAT(Ids(list), ElementsAre("app_county"));
  f.holder_area_prefix = "45";
  ASSERT_OK_AND_ASSIGN(list, tx->applications().List(f, Page{0, 500}));
  EXPECT_EQ(list.size(), 3u);  // 500 departments' applications elsewhere in 45, then ours
  EXPECT_EQ(list.back().id, "app_region");
  f = {};
  f.holder_kind = HolderKind::kEnterprise;
  f.holder_area_prefix = "4501";
  ASSERT_OK_AND_ASSIGN(list, tx->applications().List(f, Page{0, 0}));
  EXPECT_EQ(list.size(), 500u);
}

TEST_P(StoreTest, ApplicationListLoadsReviewsForLargePages) {
  SeedHolder("h1");
  auto tx = Begin();
  for (int i = 0; i < 150; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "ap%03d", i);
    Application a = SampleApplication(id, "h1");
    a.reviews.resize(i % 3);
    ASSERT_OK(tx->applications().Insert(a));
  }
  ApplicationRepository::Filter all;
  ASSERT_OK_AND_ASSIGN(auto list, tx->applications().List(all, Page{0, 0}));
  ASSERT_EQ(list.size(), 150u);
  for (int i = 0; i < 150; ++i) EXPECT_EQ(list[i].reviews.size(), static_cast<size_t>(i % 3));
}

// ---- seals ---------------------------------------------------------------------------------

TEST_P(StoreTest, SealRoundTripEveryField) {
  SeedHolder("h1");
  auto tx = Begin();
  ASSERT_OK(tx->anchors().Insert(SampleAnchor("an1")));
  ASSERT_OK(tx->applications().Insert(SampleApplication("ap1", "h1")));
  Seal old = SampleSeal("s0", "h1");
  ASSERT_OK(tx->seals().Insert(old));
  Seal s = SampleSeal("s1", "h1");
  s.anchor_id = "an1";
  s.replaces_id = "s0";
  s.application_id = "ap1";
  s.origin = SealOrigin::kFiled;
  ASSERT_OK(tx->seals().Insert(s));
  Seal empty = SampleSeal("s2", "h1");
  empty.esid = "";
  empty.seal_der.clear();
  empty.image_png.clear();
  empty.signer_cert_der.clear();
  empty.protected_key.clear();
  empty.locked = false;
  empty.requires_approval = false;
  ASSERT_OK(tx->seals().Insert(empty));
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(Seal got, tx->seals().Get("s1"));
  EXPECT_EQ(Dump(got), Dump(s));
  ASSERT_OK_AND_ASSIGN(got, tx->seals().Get("s2"));
  EXPECT_EQ(Dump(got), Dump(empty));
  ASSERT_OK_AND_ASSIGN(got, tx->seals().GetByEsid(s.esid));
  EXPECT_EQ(got.id, "s1");
  ASSERT_OK_AND_ASSIGN(got, tx->seals().GetForUpdate("s0"));
  EXPECT_EQ(Dump(got), Dump(old));
  EXPECT_CODE(tx->seals().Get("zz"), kNotFound);
  EXPECT_CODE(tx->seals().GetForUpdate("zz"), kNotFound);
  EXPECT_CODE(tx->seals().GetByEsid("no-such-esid"), kNotFound);
  EXPECT_CODE(tx->seals().GetByEsid(""), kNotFound);
}

TEST_P(StoreTest, SealUniqueKeysAndUpdate) {
  SeedHolder("h1");
  auto tx = Begin();
  Seal s = SampleSeal("s1", "h1");
  ASSERT_OK(tx->seals().Insert(s));
  Status same_id = tx->seals().Insert(SampleSeal("s1", "h1"));
  EXPECT_EQ(same_id.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(same_id.message(), HasSubstr("id"));
  Seal same_esid = SampleSeal("s2", "h1");
  same_esid.esid = s.esid;
  Status st = tx->seals().Insert(same_esid);
  EXPECT_EQ(st.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(st.message(), HasSubstr("esid"));
  // The message names the key, never key material.
  EXPECT_EQ(st.message().find(HexEncode(s.protected_key)), std::string::npos);

  Seal other = SampleSeal("s2", "h1");
  ASSERT_OK(tx->seals().Insert(other));
  other.esid = s.esid;
  EXPECT_CODE(tx->seals().Update(other), kAlreadyExists);

  s.status = SealStatus::kRevoked;
  s.failed_attempts = 5;
  s.locked = false;
  s.protected_key = {9, 9};
  s.kek_id = "kek-2";
  s.updated_at = T(1900000000);
  ASSERT_OK(tx->seals().Update(s));
  ASSERT_OK_AND_ASSIGN(Seal got, tx->seals().Get("s1"));
  EXPECT_EQ(Dump(got), Dump(s));
  EXPECT_CODE(tx->seals().Update(SampleSeal("zz", "h1")), kNotFound);
  ASSERT_OK(tx->Commit());
}

TEST_P(StoreTest, SealOfUnknownHolderIsRefused) {
  auto tx = Begin();
  Status s = tx->seals().Insert(SampleSeal("s1", "no-holder"));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
}

TEST_P(StoreTest, SealReplacingUnknownSealFailsAtCommit) {
  SeedHolder("h1");
  auto tx = Begin();
  Seal s = SampleSeal("s1", "h1");
  s.replaces_id = "no-such-seal";  // checked at commit (deferred)
  ASSERT_OK(tx->seals().Insert(s));
  EXPECT_CODE(tx->Commit(), kFailedPrecondition);
  tx.reset();
  tx = Begin();
  EXPECT_CODE(tx->seals().Get("s1"), kNotFound);
}

TEST_P(StoreTest, SealListFiltersAndOrder) {
  SeedHolder("h1");
  SeedHolder("h2");
  auto tx = Begin();
  auto add = [&](const std::string& id, const std::string& holder, const std::string& kind,
                 SealStatus status, SealOrigin origin, int64_t at) {
    Seal s = SampleSeal(id, holder);
    s.kind = kind;
    s.status = status;
    s.origin = origin;
    s.created_at = T(at);
    ASSERT_OK(tx->seals().Insert(s));
  };
  add("s4", "h1", "contract", SealStatus::kActive, SealOrigin::kPlatform, 400);
  add("s1", "h1", "legal-name", SealStatus::kActive, SealOrigin::kPlatform, 100);
  add("s3", "h2", "contract", SealStatus::kRevoked, SealOrigin::kFiled, 300);
  add("s2", "h1", "contract", SealStatus::kActive, SealOrigin::kFiled, 300);
  SealRepository::Filter all;
  ASSERT_OK_AND_ASSIGN(auto list, tx->seals().List(all, {}));
  EXPECT_THAT(Ids(list), ElementsAre("s1", "s2", "s3", "s4"));
  SealRepository::Filter f;
  f.holder_id = "h1";
  f.kind = "contract";
  ASSERT_OK_AND_ASSIGN(list, tx->seals().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("s2", "s4"));
  f = {};
  f.status = SealStatus::kActive;
  f.origin = SealOrigin::kFiled;
  ASSERT_OK_AND_ASSIGN(list, tx->seals().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("s2"));
  f = {};
  f.status = SealStatus::kRevoked;
  ASSERT_OK_AND_ASSIGN(list, tx->seals().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("s3"));
  ASSERT_OK_AND_ASSIGN(list, tx->seals().List(all, Page{3, 1}));
  EXPECT_THAT(Ids(list), ElementsAre("s2", "s3", "s4"));
  // The expiry sweep's question, asked in SQL: active seals whose validity has ended.
  Seal ended = SampleSeal("s5", "h2");
  ended.status = SealStatus::kActive;
  ended.valid_from = T(10);
  ended.valid_to = T(50);
  ended.created_at = T(500);
  ASSERT_OK(tx->seals().Insert(ended));
  f = {};
  f.status = SealStatus::kActive;
  f.valid_to_before = T(60);
  ASSERT_OK_AND_ASSIGN(list, tx->seals().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("s5"));
  f.valid_to_before = T(50);  // strictly before
  ASSERT_OK_AND_ASSIGN(list, tx->seals().List(f, {}));
  EXPECT_TRUE(list.empty());
}

// ---- seal events ---------------------------------------------------------------------------

TEST_P(StoreTest, SealEventsInTimeThenInsertionOrder) {
  SeedSeal("s1", "h1");
  SeedSeal("s2", "h1");
  auto tx = Begin();
  SealEvent made{"s1", SealEventType::kMade, T(100), "", "system"};
  SealEvent suspended{"s1", SealEventType::kSuspended, T(200), "暂停使用", "acct-1"};
  SealEvent resumed{"s1", SealEventType::kResumed, T(200), "恢复", "acct-1"};  // same time
  SealEvent early{"s1", SealEventType::kFiled, T(50), "备案", "acct-2"};
  SealEvent other{"s2", SealEventType::kRevoked, T(10), "失控", "acct-3"};
  for (const SealEvent& e : {made, suspended, resumed, early, other}) {
    ASSERT_OK(tx->seal_events().Append(e));
  }
  // Appending the same event twice is two events.
  ASSERT_OK(tx->seal_events().Append(made));
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(auto list, tx->seal_events().ListForSeal("s1"));
  ASSERT_EQ(list.size(), 5u);
  EXPECT_EQ(Dump(list[0]), Dump(early));
  EXPECT_EQ(Dump(list[1]), Dump(made));
  EXPECT_EQ(Dump(list[2]), Dump(made));
  EXPECT_EQ(Dump(list[3]), Dump(suspended));
  EXPECT_EQ(Dump(list[4]), Dump(resumed));
  ASSERT_OK_AND_ASSIGN(list, tx->seal_events().ListForSeal("nothing"));
  EXPECT_TRUE(list.empty());
  EXPECT_CODE(tx->seal_events().Append(SealEvent{"no-seal", SealEventType::kMade, T(1), "", ""}),
              kFailedPrecondition);
}

// ---- certificates --------------------------------------------------------------------------

TEST_P(StoreTest, CertificatesRoundTripRevokeAndList) {
  auto tx = Begin();
  IssuedCertificate c1{"01ab",       "signer", "CN=杭州某某科技有限公司", {0x30, 1}, T(1900000000),
                       std::nullopt, 0};
  IssuedCertificate c2{"02", "seal-maker", "CN=制章者", {}, T(1900000000), T(500), 1};
  IssuedCertificate c3{"03", "signer", "CN=x", {3}, T(1900000000), T(400), 4};
  for (const auto& c : {c1, c2, c3}) ASSERT_OK(tx->certificates().Insert(c));
  Status dup = tx->certificates().Insert(c1);
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(dup.message(), HasSubstr("serial_hex"));
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(IssuedCertificate got, tx->certificates().Get("01ab"));
  EXPECT_EQ(Dump(got), Dump(c1));
  ASSERT_OK_AND_ASSIGN(got, tx->certificates().Get("02"));
  EXPECT_EQ(Dump(got), Dump(c2));
  EXPECT_CODE(tx->certificates().Get("ff"), kNotFound);
  ASSERT_OK_AND_ASSIGN(auto revoked, tx->certificates().ListRevoked());
  ASSERT_EQ(revoked.size(), 2u);
  EXPECT_EQ(revoked[0].serial_hex, "03");
  EXPECT_EQ(revoked[1].serial_hex, "02");

  c1.revoked_at = T(450);
  c1.revocation_reason = 3;
  ASSERT_OK(tx->certificates().Update(c1));
  ASSERT_OK_AND_ASSIGN(revoked, tx->certificates().ListRevoked());
  ASSERT_EQ(revoked.size(), 3u);
  EXPECT_EQ(Dump(revoked[1]), Dump(c1));
  IssuedCertificate missing = c1;
  missing.serial_hex = "ff";
  EXPECT_CODE(tx->certificates().Update(missing), kNotFound);
}

// ---- platform keys -------------------------------------------------------------------------

TEST_P(StoreTest, PlatformKeysInsertGet) {
  auto tx = Begin();
  PlatformKey k{"seal-maker", {0x30, 0x82}, {0xde, 0xad, 0x00}, "kek-1", T(1000)};
  PlatformKey empty{"audit", {}, {}, "", T(0)};
  ASSERT_OK(tx->platform_keys().Insert(k));
  ASSERT_OK(tx->platform_keys().Insert(empty));
  Status dup = tx->platform_keys().Insert(k);
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.message().find("dead00"), std::string::npos);
  ASSERT_OK(tx->Commit());
  tx = Begin();
  ASSERT_OK_AND_ASSIGN(PlatformKey got, tx->platform_keys().Get("seal-maker"));
  EXPECT_EQ(Dump(got), Dump(k));
  ASSERT_OK_AND_ASSIGN(got, tx->platform_keys().Get("audit"));
  EXPECT_EQ(Dump(got), Dump(empty));
  EXPECT_CODE(tx->platform_keys().Get("root-ca"), kNotFound);
}

}  // namespace
}  // namespace eseal::store::test
