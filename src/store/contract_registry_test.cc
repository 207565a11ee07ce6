// Contract tests of the registry repositories: holders, areas, impressions, accounts,
// credentials, clients, vendor authorisations and seal grants (both backends).
#include "store_test_util.h"

namespace eseal::store::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// ---- holders -----------------------------------------------------------------------------

TEST_P(StoreTest, HolderRoundTripEveryField) {
  Holder h = SampleHolder("h1");
  auto tx = Begin();
  ASSERT_OK(tx->holders().Insert(h));
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(Holder got, tx->holders().Get("h1"));
  EXPECT_EQ(Dump(got), Dump(h));
  ASSERT_OK_AND_ASSIGN(Holder by_uscc, tx->holders().GetByUscc(h.uscc));
  EXPECT_EQ(by_uscc.id, "h1");
}

TEST_P(StoreTest, HolderNotFoundAndAlreadyExists) {
  auto tx = Begin();
  EXPECT_CODE(tx->holders().Get("nobody"), kNotFound);
  EXPECT_CODE(tx->holders().GetByUscc("913300000000000000"), kNotFound);
  EXPECT_CODE(tx->holders().GetByUscc(""), kNotFound);
  EXPECT_CODE(tx->holders().Update(SampleHolder("nobody")), kNotFound);

  ASSERT_OK(tx->holders().Insert(SampleHolder("h1", 1)));
  Status same_id = tx->holders().Insert(SampleHolder("h1", 2));
  EXPECT_EQ(same_id.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(same_id.message(), HasSubstr("id"));
  Status same_uscc = tx->holders().Insert(SampleHolder("h2", 1));
  EXPECT_EQ(same_uscc.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(same_uscc.message(), HasSubstr("uscc"));

  // The conflicts left the transaction usable on both backends.
  ASSERT_OK(tx->holders().Insert(SampleHolder("h3", 3)));
  ASSERT_OK(tx->Commit());
  tx = Begin();
  EXPECT_OK(tx->holders().Get("h3"));
}

TEST_P(StoreTest, HoldersWithoutUsccDoNotCollide) {
  auto tx = Begin();
  Holder a = SampleHolder("a", 1);
  a.uscc = "";
  Holder b = SampleHolder("b", 2);
  b.uscc = "";
  ASSERT_OK(tx->holders().Insert(a));
  ASSERT_OK(tx->holders().Insert(b));
  ASSERT_OK_AND_ASSIGN(Holder got, tx->holders().Get("a"));
  EXPECT_EQ(got.uscc, "");
}

TEST_P(StoreTest, HolderUpdateReplacesFieldsAndGuardsUscc) {
  auto tx = Begin();
  ASSERT_OK(tx->holders().Insert(SampleHolder("h1", 1)));
  ASSERT_OK(tx->holders().Insert(SampleHolder("h2", 2)));
  Holder h = SampleHolder("h1", 1);
  h.name = "新名称有限公司";
  h.status = HolderStatus::kDeregistered;
  h.kind = HolderKind::kEnterprise;
  h.area_code = "110101";
  h.updated_at = T(1800000000);
  ASSERT_OK(tx->holders().Update(h));
  ASSERT_OK_AND_ASSIGN(Holder got, tx->holders().Get("h1"));
  EXPECT_EQ(Dump(got), Dump(h));

  Holder clash = h;
  clash.uscc = SampleHolder("h2", 2).uscc;
  Status s = tx->holders().Update(clash);
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(s.message(), HasSubstr("uscc"));
  ASSERT_OK(tx->Commit());
}

TEST_P(StoreTest, HolderListFiltersOrderAndPages) {
  auto tx = Begin();
  auto add = [&](const std::string& id, const std::string& name, HolderKind kind,
                 HolderStatus status, const std::string& area, int n) {
    Holder h = SampleHolder(id, n);
    h.name = name;
    h.kind = kind;
    h.status = status;
    h.area_code = area;
    ASSERT_OK(tx->holders().Insert(h));
  };
  add("c", "C 西湖科技", HolderKind::kEnterprise, HolderStatus::kActive, "330106", 1);
  add("a", "A 上城商贸", HolderKind::kEnterprise, HolderStatus::kRevoked, "330102", 2);
  add("b", "B 市数据局", HolderKind::kDepartment, HolderStatus::kActive, "330100", 3);
  add("d", "D 北京公司", HolderKind::kEnterprise, HolderStatus::kActive, "110101", 4);
  add("e", "E 杭州西湖局", HolderKind::kDepartment, HolderStatus::kActive, "3301", 5);

  HolderRepository::Filter all;
  ASSERT_OK_AND_ASSIGN(auto list, tx->holders().List(all, {}));
  EXPECT_THAT(Ids(list), ElementsAre("a", "b", "c", "d", "e"));

  HolderRepository::Filter f;
  f.kind = HolderKind::kEnterprise;
  ASSERT_OK_AND_ASSIGN(list, tx->holders().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("a", "c", "d"));

  f = {};
  f.status = HolderStatus::kActive;
  f.area_prefix = "3301";
  ASSERT_OK_AND_ASSIGN(list, tx->holders().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("b", "c", "e"));

  f = {};
  f.area_prefix = "33010";
  ASSERT_OK_AND_ASSIGN(list, tx->holders().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("a", "b", "c"));

  f = {};
  f.name_contains = "西湖";
  ASSERT_OK_AND_ASSIGN(list, tx->holders().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("c", "e"));

  f = {};
  f.name_contains = "100%";  // LIKE wildcards are plain text here
  ASSERT_OK_AND_ASSIGN(list, tx->holders().List(f, {}));
  EXPECT_TRUE(list.empty());

  ASSERT_OK_AND_ASSIGN(list, tx->holders().List(all, Page{2, 1}));
  EXPECT_THAT(Ids(list), ElementsAre("b", "c"));
  ASSERT_OK_AND_ASSIGN(list, tx->holders().List(all, Page{2, 4}));
  EXPECT_THAT(Ids(list), ElementsAre("e"));
  ASSERT_OK_AND_ASSIGN(list, tx->holders().List(all, Page{0, 0}));  // 0: the maximum
  EXPECT_EQ(list.size(), 5u);
  EXPECT_CODE(tx->holders().List(all, Page{-1, 0}), kInvalidArgument);
  EXPECT_CODE(tx->holders().List(all, Page{10, -1}), kInvalidArgument);
}

TEST_P(StoreTest, ListLimitIsCappedAtOneThousand) {
  auto tx = Begin();
  for (int i = 0; i < 1005; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "h%04d", i);
    ASSERT_OK(tx->holders().Insert(SampleHolder(id, i)));
  }
  HolderRepository::Filter all;
  ASSERT_OK_AND_ASSIGN(auto list, tx->holders().List(all, Page{5000, 0}));
  EXPECT_EQ(list.size(), 1000u);
  ASSERT_OK_AND_ASSIGN(list, tx->holders().List(all, Page{0, 1000}));
  EXPECT_EQ(list.size(), 5u);
}

TEST_P(StoreTest, TextMustBeUtf8WithoutNul) {
  auto tx = Begin();
  Holder h = SampleHolder("h1");
  h.name = std::string("bad \xff\xfe name");
  EXPECT_CODE(tx->holders().Insert(h), kInvalidArgument);
  h.name = std::string("nul\0inside", 10);
  EXPECT_CODE(tx->holders().Insert(h), kInvalidArgument);
  // Refused before reaching the database: the transaction goes on.
  ASSERT_OK(tx->holders().Insert(SampleHolder("h1")));
  ASSERT_OK(tx->Commit());
}

// ---- areas ---------------------------------------------------------------------------------

TEST_P(StoreTest, AreaUpsertGetList) {
  auto tx = Begin();
  Area city{"330100", "杭州市", AreaLevel::kCity, "330000"};
  Area region{"330000", "浙江省", AreaLevel::kRegion, ""};
  Area county{"330106", "西湖区", AreaLevel::kCounty, "330100"};
  // Children before parents: the parent reference is checked at commit.
  ASSERT_OK(tx->areas().Upsert(county));
  ASSERT_OK(tx->areas().Upsert(city));
  ASSERT_OK(tx->areas().Upsert(region));
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(Area got, tx->areas().Get("330100"));
  EXPECT_EQ(Dump(got), Dump(city));
  ASSERT_OK_AND_ASSIGN(got, tx->areas().Get("330000"));
  EXPECT_EQ(Dump(got), Dump(region));
  EXPECT_CODE(tx->areas().Get("999999"), kNotFound);

  county.name = "西湖区（新）";
  ASSERT_OK(tx->areas().Upsert(county));
  ASSERT_OK_AND_ASSIGN(auto list, tx->areas().List());
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].code, "330000");
  EXPECT_EQ(list[1].code, "330100");
  EXPECT_EQ(Dump(list[2]), Dump(county));
}

TEST_P(StoreTest, AreaWithMissingParentFailsAtCommit) {
  auto tx = Begin();
  ASSERT_OK(tx->areas().Upsert(Area{"330106", "西湖区", AreaLevel::kCounty, "330100"}));
  EXPECT_CODE(tx->Commit(), kFailedPrecondition);
  tx.reset();
  tx = Begin();
  EXPECT_CODE(tx->areas().Get("330106"), kNotFound);
}

// ---- impressions ---------------------------------------------------------------------------

TEST_P(StoreTest, ImpressionsLatestAndList) {
  SeedHolder("h1");
  auto tx = Begin();
  Impression i1{"i1", "h1", "contract", {0x89, 'P', 'N', 'G'}, "client-psb", T(1000)};
  Impression i2{"i2", "h1", "contract", {}, "client-psb", T(2000)};   // zero bytes
  Impression i3{"i3", "h1", "contract", {1}, "client-psb", T(2000)};  // same time, later
  Impression other{"i4", "h1", "legal-name", {2}, "acct", T(3000)};
  for (const Impression& i : {i1, i2, i3, other}) ASSERT_OK(tx->impressions().Insert(i));
  EXPECT_CODE(tx->impressions().Insert(i1), kAlreadyExists);
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(Impression latest, tx->impressions().Latest("h1", "contract"));
  EXPECT_EQ(Dump(latest), Dump(i3));
  ASSERT_OK_AND_ASSIGN(latest, tx->impressions().Latest("h1", "legal-name"));
  EXPECT_EQ(latest.id, "i4");
  EXPECT_CODE(tx->impressions().Latest("h1", "finance"), kNotFound);
  ASSERT_OK_AND_ASSIGN(auto list, tx->impressions().ListForHolder("h1"));
  EXPECT_THAT(Ids(list), ElementsAre("i1", "i2", "i3", "i4"));
  EXPECT_EQ(Dump(list[1]), Dump(i2));
  EXPECT_TRUE(list[1].png.empty());
  ASSERT_OK_AND_ASSIGN(list, tx->impressions().ListForHolder("h2"));
  EXPECT_TRUE(list.empty());
}

TEST_P(StoreTest, ForeignKeyViolationSpoilsTheTransaction) {
  auto tx = Begin();
  ASSERT_OK(tx->holders().Insert(SampleHolder("h1")));
  Impression orphan{"i1", "no-such-holder", "contract", {1}, "x", T(1)};
  Status s = tx->impressions().Insert(orphan);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  // After a failed statement the transaction is over on both backends.
  EXPECT_CODE(tx->holders().Get("h1"), kFailedPrecondition);
  EXPECT_CODE(tx->Commit(), kFailedPrecondition);
  tx.reset();
  tx = Begin();
  EXPECT_CODE(tx->holders().Get("h1"), kNotFound);
}

// ---- accounts ------------------------------------------------------------------------------

TEST_P(StoreTest, AccountRoundTripUpdateAndList) {
  SeedHolder("h1");
  SeedHolder("h2");
  auto tx = Begin();
  Account a = SampleAccount("a1", "h1");
  ASSERT_OK(tx->accounts().Insert(a));
  EXPECT_CODE(tx->accounts().Insert(a), kAlreadyExists);
  Account op = SampleAccount("a0", "");
  op.role = Role::kOperator;
  op.disabled = false;
  op.created_at = T(1);
  ASSERT_OK(tx->accounts().Insert(op));
  Account b = SampleAccount("a2", "h2");
  ASSERT_OK(tx->accounts().Insert(b));
  Account c = SampleAccount("a3", "h1");
  c.created_at = T(1700009999);
  ASSERT_OK(tx->accounts().Insert(c));
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(Account got, tx->accounts().Get("a1"));
  EXPECT_EQ(Dump(got), Dump(a));
  ASSERT_OK_AND_ASSIGN(got, tx->accounts().Get("a0"));
  EXPECT_EQ(Dump(got), Dump(op));
  EXPECT_CODE(tx->accounts().Get("zz"), kNotFound);

  a.disabled = false;
  a.role = Role::kReviewer;
  a.name = "李四（审核）";
  ASSERT_OK(tx->accounts().Update(a));
  ASSERT_OK_AND_ASSIGN(got, tx->accounts().Get("a1"));
  EXPECT_EQ(Dump(got), Dump(a));
  EXPECT_CODE(tx->accounts().Update(SampleAccount("zz", "h1")), kNotFound);

  ASSERT_OK_AND_ASSIGN(auto list, tx->accounts().List("", {}));
  EXPECT_THAT(Ids(list), ElementsAre("a0", "a1", "a2", "a3"));
  ASSERT_OK_AND_ASSIGN(list, tx->accounts().List("h1", {}));
  EXPECT_THAT(Ids(list), ElementsAre("a1", "a3"));
  ASSERT_OK_AND_ASSIGN(list, tx->accounts().List("", Page{1, 1}));
  EXPECT_THAT(Ids(list), ElementsAre("a1"));
}

// ---- credentials ---------------------------------------------------------------------------

TEST_P(StoreTest, CredentialsRevokeAndSecretMessages) {
  SeedHolder("h1");
  SeedAccount("a1");
  auto tx = Begin();
  ASSERT_OK(tx->clients().Insert(SampleClient("c1", "h1")));
  const std::string secret_hash = "5ecre7aa" + std::string(56, 'b');
  Credential ca{secret_hash, "a1", "", T(100), std::nullopt};
  Credential ca2{"hash-a1-2", "a1", "", T(101), std::nullopt};
  Credential cc{"hash-c1", "", "c1", T(102), T(150)};
  ASSERT_OK(tx->credentials().Insert(ca));
  ASSERT_OK(tx->credentials().Insert(ca2));
  ASSERT_OK(tx->credentials().Insert(cc));
  Status dup = tx->credentials().Insert(ca);
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(dup.message(), HasSubstr("token_hash"));
  EXPECT_EQ(dup.message().find(secret_hash), std::string::npos) << dup.message();
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(Credential got, tx->credentials().GetByHash(secret_hash));
  EXPECT_EQ(Dump(got), Dump(ca));
  ASSERT_OK_AND_ASSIGN(got, tx->credentials().GetByHash("hash-c1"));
  EXPECT_EQ(Dump(got), Dump(cc));
  Status missing = tx->credentials().GetByHash("unknown-secret-hash").status();
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message().find("unknown-secret-hash"), std::string::npos);
  EXPECT_CODE(tx->credentials().Revoke("unknown-secret-hash", T(5)), kNotFound);

  ASSERT_OK(tx->credentials().Revoke(secret_hash, T(200)));
  ASSERT_OK(tx->credentials().Revoke(secret_hash, T(300)));  // keeps the first time
  ASSERT_OK_AND_ASSIGN(got, tx->credentials().GetByHash(secret_hash));
  EXPECT_EQ(got.revoked_at, T(200));

  ASSERT_OK(tx->credentials().RevokeAllFor("a1", "", T(400)));
  ASSERT_OK_AND_ASSIGN(got, tx->credentials().GetByHash("hash-a1-2"));
  EXPECT_EQ(got.revoked_at, T(400));
  ASSERT_OK_AND_ASSIGN(got, tx->credentials().GetByHash(secret_hash));
  EXPECT_EQ(got.revoked_at, T(200));
  ASSERT_OK_AND_ASSIGN(got, tx->credentials().GetByHash("hash-c1"));
  EXPECT_EQ(got.revoked_at, T(150));  // already revoked: unchanged

  Credential cc2{"hash-c1-2", "", "c1", T(103), std::nullopt};
  ASSERT_OK(tx->credentials().Insert(cc2));
  ASSERT_OK(tx->credentials().RevokeAllFor("", "c1", T(500)));
  ASSERT_OK_AND_ASSIGN(got, tx->credentials().GetByHash("hash-c1-2"));
  EXPECT_EQ(got.revoked_at, T(500));
  EXPECT_CODE(tx->credentials().RevokeAllFor("", "", T(1)), kInvalidArgument);
  ASSERT_OK(tx->Commit());
}

TEST_P(StoreTest, CredentialNeedsExactlyOneOwner) {
  SeedHolder("h1");
  SeedAccount("a1");
  auto tx = Begin();
  Credential none{"hash-x", "", "", T(1), std::nullopt};
  Status s = tx->credentials().Insert(none);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_EQ(s.message().find("hash-x"), std::string::npos) << s.message();
}

// ---- clients -------------------------------------------------------------------------------

TEST_P(StoreTest, ClientRoundTripUpdateAndList) {
  SeedHolder("h1");
  auto tx = Begin();
  Client c1 = SampleClient("c1", "h1");
  Client c2 = SampleClient("c2", "");
  c2.status = ClientStatus::kApproved;
  c2.type = ClientType::kSecurityFeed;
  c2.created_at = T(1);
  Client c3 = SampleClient("c3", "");
  c3.status = ClientStatus::kApproved;
  c3.created_at = T(1700000300);  // same time as c1: ordered by id
  for (const Client& c : {c1, c2, c3}) ASSERT_OK(tx->clients().Insert(c));
  EXPECT_CODE(tx->clients().Insert(c1), kAlreadyExists);
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(Client got, tx->clients().Get("c1"));
  EXPECT_EQ(Dump(got), Dump(c1));
  ASSERT_OK_AND_ASSIGN(got, tx->clients().Get("c2"));
  EXPECT_EQ(Dump(got), Dump(c2));
  EXPECT_CODE(tx->clients().Get("zz"), kNotFound);
  c1.status = ClientStatus::kRejected;
  c1.decision_reason = "不符合要求";
  c1.rate_limit_per_minute = 0;
  ASSERT_OK(tx->clients().Update(c1));
  ASSERT_OK_AND_ASSIGN(got, tx->clients().Get("c1"));
  EXPECT_EQ(Dump(got), Dump(c1));
  EXPECT_CODE(tx->clients().Update(SampleClient("zz", "")), kNotFound);

  ASSERT_OK_AND_ASSIGN(auto list, tx->clients().List(std::nullopt, {}));
  EXPECT_THAT(Ids(list), ElementsAre("c2", "c1", "c3"));
  ASSERT_OK_AND_ASSIGN(list, tx->clients().List(ClientStatus::kApproved, {}));
  EXPECT_THAT(Ids(list), ElementsAre("c2", "c3"));
  ASSERT_OK_AND_ASSIGN(list, tx->clients().List(std::nullopt, Page{1, 2}));
  EXPECT_THAT(Ids(list), ElementsAre("c3"));
}

// ---- vendor authorisations -----------------------------------------------------------------

TEST_P(StoreTest, AuthorisationsKeepSealListsInOrder) {
  SeedSeal("s1", "h1");
  SeedSeal("s2", "h1");
  SeedSeal("s3", "h1");
  SeedHolder("h2");
  auto tx = Begin();
  ASSERT_OK(tx->clients().Insert(SampleClient("v1", "")));
  ASSERT_OK(tx->clients().Insert(SampleClient("v2", "")));
  VendorAuthorisation a1{"au1",         "v1",         "h1",    {"s3", "s1"},
                         T(1800000000), std::nullopt, "admin", T(100)};
  VendorAuthorisation a2{"au2", "v2", "h1", {}, T(1800000000), T(150), "admin", T(200)};
  VendorAuthorisation a3{"au3", "v1", "h2", {}, T(1800000000), std::nullopt, "admin2", T(50)};
  for (const auto& a : {a1, a2, a3}) ASSERT_OK(tx->authorisations().Insert(a));
  EXPECT_CODE(tx->authorisations().Insert(a1), kAlreadyExists);
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(VendorAuthorisation got, tx->authorisations().Get("au1"));
  EXPECT_EQ(Dump(got), Dump(a1));
  ASSERT_OK_AND_ASSIGN(got, tx->authorisations().Get("au2"));
  EXPECT_EQ(Dump(got), Dump(a2));
  EXPECT_CODE(tx->authorisations().Get("zz"), kNotFound);

  a1.seal_ids = {"s2", "s3", "s1"};
  a1.withdrawn_at = T(300);
  ASSERT_OK(tx->authorisations().Update(a1));
  ASSERT_OK_AND_ASSIGN(got, tx->authorisations().Get("au1"));
  EXPECT_EQ(Dump(got), Dump(a1));
  VendorAuthorisation missing = a1;
  missing.id = "zz";
  EXPECT_CODE(tx->authorisations().Update(missing), kNotFound);

  ASSERT_OK_AND_ASSIGN(auto list, tx->authorisations().List("", ""));
  ASSERT_THAT(Ids(list), ElementsAre("au3", "au1", "au2"));
  EXPECT_EQ(Dump(list[1]), Dump(a1));
  ASSERT_OK_AND_ASSIGN(list, tx->authorisations().List("v1", ""));
  EXPECT_THAT(Ids(list), ElementsAre("au3", "au1"));
  ASSERT_OK_AND_ASSIGN(list, tx->authorisations().List("v1", "h1"));
  EXPECT_THAT(Ids(list), ElementsAre("au1"));
  ASSERT_OK_AND_ASSIGN(list, tx->authorisations().List("", "h2"));
  EXPECT_THAT(Ids(list), ElementsAre("au3"));
}

TEST_P(StoreTest, AuthorisationOfUnknownSealIsRefused) {
  SeedHolder("h1");
  auto tx = Begin();
  ASSERT_OK(tx->clients().Insert(SampleClient("v1", "")));
  VendorAuthorisation a{"au1", "v1", "h1", {"no-such-seal"}, T(1), std::nullopt, "x", T(1)};
  EXPECT_CODE(tx->authorisations().Insert(a), kFailedPrecondition);
}

// ---- seal grants ---------------------------------------------------------------------------

TEST_P(StoreTest, SealGrantsUpsertDeleteList) {
  SeedSeal("s1", "h1");
  SeedAccount("u2");
  SeedAccount("u1");
  auto tx = Begin();
  SealGrant g1{"s1", "u1", true, false};
  SealGrant g2{"s1", "u2", false, true};
  ASSERT_OK(tx->grants().Upsert(g2));
  ASSERT_OK(tx->grants().Upsert(g1));
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(SealGrant got, tx->grants().Get("s1", "u1"));
  EXPECT_EQ(Dump(got), Dump(g1));
  EXPECT_CODE(tx->grants().Get("s1", "nobody"), kNotFound);
  g1.can_approve = true;
  g1.can_use = false;
  ASSERT_OK(tx->grants().Upsert(g1));
  ASSERT_OK_AND_ASSIGN(auto list, tx->grants().ListForSeal("s1"));
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(Dump(list[0]), Dump(g1));
  EXPECT_EQ(Dump(list[1]), Dump(g2));

  ASSERT_OK(tx->grants().Delete("s1", "u1"));
  EXPECT_CODE(tx->grants().Delete("s1", "u1"), kNotFound);
  EXPECT_CODE(tx->grants().Get("s1", "u1"), kNotFound);
  ASSERT_OK_AND_ASSIGN(list, tx->grants().ListForSeal("s1"));
  EXPECT_EQ(list.size(), 1u);
  ASSERT_OK_AND_ASSIGN(list, tx->grants().ListForSeal("s9"));
  EXPECT_TRUE(list.empty());
  EXPECT_CODE(tx->grants().Upsert(SealGrant{"s1", "no-such-account", true, true}),
              kFailedPrecondition);
}

}  // namespace
}  // namespace eseal::store::test
