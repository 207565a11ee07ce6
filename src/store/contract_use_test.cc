// Contract tests of the usage register, usage requests, trust anchors, filings, archives and
// settings (both backends).
#include "store_test_util.h"

namespace eseal::store::test {
namespace {

using ::testing::ElementsAre;

// ---- signatures ----------------------------------------------------------------------------

TEST_P(StoreTest, SignatureRecordsNewestFirstWithFilters) {
  SeedSeal("s1", "h1");
  SeedSeal("s2", "h2");
  auto tx = Begin();
  SignatureRecord r1 = SampleSignature("g1", "s1", "h1");
  r1.signed_at = T(100);
  SignatureRecord r2 = SampleSignature("g2", "s1", "h1");
  r2.signed_at = T(300);
  SignatureRecord r3 = SampleSignature("g3", "s2", "h2");
  r3.signed_at = T(200);
  SignatureRecord r4 = SampleSignature("g4", "s1", "h1");
  r4.signed_at = T(300);  // same second as g2, made later
  r4.signed_hash = r3.signed_hash;
  r4.client_id = "";
  r4.request_id = "";
  for (const auto& r : {r1, r2, r3, r4}) ASSERT_OK(tx->signatures().Insert(r));
  EXPECT_CODE(tx->signatures().Insert(r1), kAlreadyExists);
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(SignatureRecord got, tx->signatures().Get("g1"));
  EXPECT_EQ(Dump(got), Dump(r1));
  ASSERT_OK_AND_ASSIGN(got, tx->signatures().Get("g4"));
  EXPECT_EQ(Dump(got), Dump(r4));
  EXPECT_CODE(tx->signatures().Get("zz"), kNotFound);

  SignatureRepository::Filter all;
  ASSERT_OK_AND_ASSIGN(auto list, tx->signatures().List(all, {}));
  EXPECT_THAT(Ids(list), ElementsAre("g4", "g2", "g3", "g1"));
  SignatureRepository::Filter f;
  f.seal_id = "s1";
  ASSERT_OK_AND_ASSIGN(list, tx->signatures().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("g4", "g2", "g1"));
  f = {};
  f.holder_id = "h2";
  ASSERT_OK_AND_ASSIGN(list, tx->signatures().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("g3"));
  f = {};
  f.signed_hash = r3.signed_hash;
  ASSERT_OK_AND_ASSIGN(list, tx->signatures().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("g4", "g3"));
  f.seal_id = "s2";
  ASSERT_OK_AND_ASSIGN(list, tx->signatures().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("g3"));
  ASSERT_OK_AND_ASSIGN(list, tx->signatures().List(all, Page{2, 1}));
  EXPECT_THAT(Ids(list), ElementsAre("g2", "g3"));
}

// ---- usage requests ------------------------------------------------------------------------

TEST_P(StoreTest, UsageRequestsRoundTripUpdateList) {
  SeedSeal("s1", "h1");
  SeedSeal("s2", "h1");
  auto tx = Begin();
  UsageRequest u1 = SampleUsageRequest("u1", "s1");
  UsageRequest u2 = SampleUsageRequest("u2", "s1");
  u2.status = UsageRequestStatus::kPending;
  u2.approver_id = "";
  u2.signature_id = "";
  u2.created_at = T(50);
  UsageRequest u3 = SampleUsageRequest("u3", "s2");
  u3.status = UsageRequestStatus::kPending;
  for (const auto& u : {u1, u2, u3}) ASSERT_OK(tx->usage_requests().Insert(u));
  EXPECT_CODE(tx->usage_requests().Insert(u1), kAlreadyExists);
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(UsageRequest got, tx->usage_requests().Get("u1"));
  EXPECT_EQ(Dump(got), Dump(u1));
  ASSERT_OK_AND_ASSIGN(got, tx->usage_requests().GetForUpdate("u2"));
  EXPECT_EQ(Dump(got), Dump(u2));
  EXPECT_CODE(tx->usage_requests().Get("zz"), kNotFound);
  EXPECT_CODE(tx->usage_requests().GetForUpdate("zz"), kNotFound);

  u2.status = UsageRequestStatus::kUsed;
  u2.signature_id = "g1";
  ASSERT_OK(tx->usage_requests().Update(u2));
  ASSERT_OK_AND_ASSIGN(got, tx->usage_requests().Get("u2"));
  EXPECT_EQ(Dump(got), Dump(u2));
  EXPECT_CODE(tx->usage_requests().Update(SampleUsageRequest("zz", "s1")), kNotFound);

  using Filter = UsageRequestRepository::Filter;
  ASSERT_OK_AND_ASSIGN(auto list, tx->usage_requests().List(Filter{}, {}));
  EXPECT_THAT(Ids(list), ElementsAre("u2", "u1", "u3"));
  ASSERT_OK_AND_ASSIGN(list, tx->usage_requests().List(Filter{"s1", "", std::nullopt}, {}));
  EXPECT_THAT(Ids(list), ElementsAre("u2", "u1"));
  ASSERT_OK_AND_ASSIGN(list, tx->usage_requests().List(Filter{"", "", UsageRequestStatus::kPending}, {}));
  EXPECT_THAT(Ids(list), ElementsAre("u3"));
  ASSERT_OK_AND_ASSIGN(list, tx->usage_requests().List(Filter{"s1", "", UsageRequestStatus::kUsed}, {}));
  EXPECT_THAT(Ids(list), ElementsAre("u2"));
  ASSERT_OK_AND_ASSIGN(list, tx->usage_requests().List(Filter{}, Page{1, 2}));
  EXPECT_THAT(Ids(list), ElementsAre("u3"));
}

// A holder's requests are found in the query, not by filtering the first rows of the
// province: 1,000 older requests of another holder do not hide them, and pages count only
// the holder's own.
TEST_P(StoreTest, UsageRequestsOfAHolderAreFilteredBeforePaging) {
  SeedSeal("busy", "h_busy");
  SeedSeal("mine1", "h_mine");
  SeedSeal("mine2", "h_mine");
  auto tx = Begin();
  for (int i = 0; i < 1000; ++i) {
    UsageRequest u = SampleUsageRequest("old" + std::to_string(1000 + i), "busy");
    u.created_at = T(1000 + i);
    ASSERT_OK(tx->usage_requests().Insert(u));
  }
  for (int i = 0; i < 3; ++i) {
    UsageRequest u = SampleUsageRequest("new" + std::to_string(i), i == 1 ? "mine2" : "mine1");
    u.status = i == 2 ? UsageRequestStatus::kPending : UsageRequestStatus::kUsed;
    u.created_at = T(5000 + i);
    ASSERT_OK(tx->usage_requests().Insert(u));
  }
  ASSERT_OK(tx->Commit());

  tx = Begin();
  using Filter = UsageRequestRepository::Filter;
  ASSERT_OK_AND_ASSIGN(auto list, tx->usage_requests().List(Filter{"", "h_mine", std::nullopt}, Page{0, 0}));
  EXPECT_THAT(Ids(list), ElementsAre("new0", "new1", "new2"));
  ASSERT_OK_AND_ASSIGN(list, tx->usage_requests().List(Filter{"", "h_mine", std::nullopt}, Page{2, 0}));
  EXPECT_THAT(Ids(list), ElementsAre("new0", "new1"));
  ASSERT_OK_AND_ASSIGN(list, tx->usage_requests().List(Filter{"", "h_mine", std::nullopt}, Page{2, 2}));
  EXPECT_THAT(Ids(list), ElementsAre("new2"));
  ASSERT_OK_AND_ASSIGN(list, tx->usage_requests().List(Filter{"", "h_mine", UsageRequestStatus::kPending}, {}));
  EXPECT_THAT(Ids(list), ElementsAre("new2"));
  ASSERT_OK_AND_ASSIGN(list, tx->usage_requests().List(Filter{"mine2", "h_mine", std::nullopt}, {}));
  EXPECT_THAT(Ids(list), ElementsAre("new1"));
  ASSERT_OK_AND_ASSIGN(list, tx->usage_requests().List(Filter{"busy", "h_mine", std::nullopt}, {}));
  EXPECT_TRUE(list.empty());
  ASSERT_OK_AND_ASSIGN(list, tx->usage_requests().List(Filter{"", "h_busy", std::nullopt}, Page{0, 0}));
  EXPECT_EQ(list.size(), 1000u);
}

// ---- trust anchors -------------------------------------------------------------------------

TEST_P(StoreTest, TrustAnchorsRoundTripUpdateList) {
  auto tx = Begin();
  TrustAnchorRecord a1 = SampleAnchor("an1");
  TrustAnchorRecord a2 = SampleAnchor("an2");
  a2.active = true;
  a2.kind = AnchorKind::kCaRoot;
  a2.cert_der.clear();
  a2.created_at = T(10);
  a2.roles = kAnchorSealMaker | kAnchorSigner | kAnchorTsa;
  a2.maker_policies = {"1.3.6.1.4.1.32473.1.1", "1.2.156.112562.2.1.1.1"};
  TrustAnchorRecord a3 = SampleAnchor("an3");
  a3.active = true;
  a3.roles = 0;
  for (const auto& a : {a1, a2, a3}) ASSERT_OK(tx->anchors().Insert(a));
  EXPECT_CODE(tx->anchors().Insert(a1), kAlreadyExists);
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(TrustAnchorRecord got, tx->anchors().Get("an1"));
  EXPECT_EQ(Dump(got), Dump(a1));
  ASSERT_OK_AND_ASSIGN(got, tx->anchors().Get("an2"));
  EXPECT_EQ(Dump(got), Dump(a2));
  EXPECT_CODE(tx->anchors().Get("zz"), kNotFound);
  ASSERT_OK_AND_ASSIGN(auto list, tx->anchors().List(false));
  EXPECT_THAT(Ids(list), ElementsAre("an2", "an1", "an3"));
  ASSERT_OK_AND_ASSIGN(list, tx->anchors().List(true));
  EXPECT_THAT(Ids(list), ElementsAre("an2", "an3"));
  a3.active = false;
  a3.crl_url = "";
  a3.roles = kAnchorSigner | kAnchorTsa;
  a3.maker_policies = {"1.2.3.4"};
  ASSERT_OK(tx->anchors().Update(a3));
  ASSERT_OK_AND_ASSIGN(got, tx->anchors().Get("an3"));
  EXPECT_EQ(Dump(got), Dump(a3));
  EXPECT_EQ(got.roles, kAnchorSigner | kAnchorTsa);
  ASSERT_OK_AND_ASSIGN(list, tx->anchors().List(true));
  EXPECT_THAT(Ids(list), ElementsAre("an2"));
  EXPECT_CODE(tx->anchors().Update(SampleAnchor("zz")), kNotFound);
  ASSERT_OK_AND_ASSIGN(got, tx->anchors().GetForUpdate("an2"));
  EXPECT_EQ(Dump(got), Dump(a2));
  EXPECT_CODE(tx->anchors().GetForUpdate("zz"), kNotFound);
}

// Each role on its own and every combination survives the round trip on both backends.
TEST_P(StoreTest, TrustAnchorRolesRoundTripEverySet) {
  auto tx = Begin();
  for (AnchorRoles roles = 0; roles <= kAllAnchorRoles; ++roles) {
    TrustAnchorRecord a = SampleAnchor("role" + std::to_string(roles));
    a.roles = roles;
    a.created_at = T(100 + roles);
    if (roles & kAnchorSealMaker) a.maker_policies = {std::string(kEsealMakerPolicy)};
    ASSERT_OK(tx->anchors().Insert(a));
  }
  ASSERT_OK(tx->Commit());
  tx = Begin();
  for (AnchorRoles roles = 0; roles <= kAllAnchorRoles; ++roles) {
    ASSERT_OK_AND_ASSIGN(TrustAnchorRecord got, tx->anchors().Get("role" + std::to_string(roles)));
    EXPECT_EQ(got.roles, roles) << AnchorRolesName(roles);
    EXPECT_EQ(got.maker_policies.size(), (roles & kAnchorSealMaker) ? 1u : 0u);
  }
}

// ---- filings -------------------------------------------------------------------------------

TEST_P(StoreTest, FilingRecordsAndBatches) {
  SeedSeal("s1", "h1");
  auto tx = Begin();
  FilingRecord r1{
      "f1", "s1", FilingEvent::kMade, R"({"印章编码":"3301"})", "", FilingStatus::kPending, T(100)};
  FilingRecord r2{"f2", "s1", FilingEvent::kRevoked, "{}", "", FilingStatus::kPending, T(200)};
  FilingRecord r3{"f3", "s1", FilingEvent::kChanged, "{}", "", FilingStatus::kPending, T(150)};
  for (const auto& r : {r1, r2, r3}) ASSERT_OK(tx->filings().InsertRecord(r));
  EXPECT_CODE(tx->filings().InsertRecord(r1), kAlreadyExists);

  // Records may point at a batch inserted later in the same transaction.
  r1.batch_id = "b1";
  r1.status = FilingStatus::kExported;
  r3.batch_id = "b1";
  r3.status = FilingStatus::kExported;
  ASSERT_OK(tx->filings().UpdateRecord(r1));
  ASSERT_OK(tx->filings().UpdateRecord(r3));
  FilingBatch b1{"b1", {0x30, 0x00, 0xff}, FilingStatus::kExported, T(300), std::nullopt};
  FilingBatch b2{"b2", {}, FilingStatus::kExported, T(400), std::nullopt};
  ASSERT_OK(tx->filings().InsertBatch(b1));
  ASSERT_OK(tx->filings().InsertBatch(b2));
  EXPECT_CODE(tx->filings().InsertBatch(b1), kAlreadyExists);
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(auto list, tx->filings().ListRecords(std::nullopt, "", {}));
  ASSERT_THAT(Ids(list), ElementsAre("f1", "f3", "f2"));
  EXPECT_EQ(Dump(list[0]), Dump(r1));
  EXPECT_EQ(Dump(list[2]), Dump(r2));
  ASSERT_OK_AND_ASSIGN(list, tx->filings().ListRecords(FilingStatus::kPending, "", {}));
  EXPECT_THAT(Ids(list), ElementsAre("f2"));
  ASSERT_OK_AND_ASSIGN(list, tx->filings().ListRecords(std::nullopt, "b1", {}));
  EXPECT_THAT(Ids(list), ElementsAre("f1", "f3"));
  ASSERT_OK_AND_ASSIGN(list, tx->filings().ListRecords(FilingStatus::kExported, "b1", Page{1, 1}));
  EXPECT_THAT(Ids(list), ElementsAre("f3"));
  EXPECT_CODE(tx->filings().UpdateRecord(FilingRecord{"zz", "s1"}), kNotFound);

  ASSERT_OK_AND_ASSIGN(FilingBatch got, tx->filings().GetBatch("b1"));
  EXPECT_EQ(Dump(got), Dump(b1));
  EXPECT_CODE(tx->filings().GetBatch("zz"), kNotFound);
  b1.status = FilingStatus::kAcknowledged;
  b1.acknowledged_at = T(500);
  ASSERT_OK(tx->filings().UpdateBatch(b1));
  ASSERT_OK_AND_ASSIGN(got, tx->filings().GetBatch("b1"));
  EXPECT_EQ(Dump(got), Dump(b1));
  EXPECT_CODE(tx->filings().UpdateBatch(FilingBatch{"zz"}), kNotFound);
  ASSERT_OK_AND_ASSIGN(auto batches, tx->filings().ListBatches({}));
  EXPECT_THAT(Ids(batches), ElementsAre("b2", "b1"));
  EXPECT_EQ(Dump(batches[1]), Dump(b1));
  ASSERT_OK_AND_ASSIGN(batches, tx->filings().ListBatches(Page{1, 1}));
  EXPECT_THAT(Ids(batches), ElementsAre("b1"));
}

TEST_P(StoreTest, FilingRecordInUnknownBatchFailsAtCommit) {
  SeedSeal("s1", "h1");
  auto tx = Begin();
  FilingRecord r{"f1", "s1", FilingEvent::kMade, "{}", "no-batch", FilingStatus::kExported, T(1)};
  ASSERT_OK(tx->filings().InsertRecord(r));
  EXPECT_CODE(tx->Commit(), kFailedPrecondition);
}

// ---- archives ------------------------------------------------------------------------------

TEST_P(StoreTest, ArchivesRoundTripAndList) {
  SeedHolder("h1");
  SeedHolder("h2");
  auto tx = Begin();
  ArchiveEntry e1 = SampleArchive("e1", "h1");
  ArchiveEntry e2 = SampleArchive("e2", "h2");
  e2.document.clear();
  e2.evidence.clear();
  e2.platform_signature.clear();
  e2.created_at = T(10);
  ArchiveEntry e3 = SampleArchive("e3", "h1");
  // A large document survives byte for byte.
  e3.document.resize(3 * 1024 * 1024);
  for (size_t i = 0; i < e3.document.size(); ++i) e3.document[i] = static_cast<uint8_t>(i * 31);
  for (const auto& e : {e1, e2, e3}) ASSERT_OK(tx->archives().Insert(e));
  EXPECT_CODE(tx->archives().Insert(e1), kAlreadyExists);
  ASSERT_OK(tx->Commit());

  tx = Begin();
  ASSERT_OK_AND_ASSIGN(ArchiveEntry got, tx->archives().Get("e1"));
  EXPECT_EQ(Dump(got), Dump(e1));
  ASSERT_OK_AND_ASSIGN(got, tx->archives().Get("e2"));
  EXPECT_EQ(Dump(got), Dump(e2));
  ASSERT_OK_AND_ASSIGN(got, tx->archives().Get("e3"));
  EXPECT_TRUE(got.document == e3.document);
  EXPECT_CODE(tx->archives().Get("zz"), kNotFound);
  ASSERT_OK_AND_ASSIGN(auto list, tx->archives().List("", {}));
  EXPECT_THAT(Ids(list), ElementsAre("e2", "e1", "e3"));
  ASSERT_OK_AND_ASSIGN(list, tx->archives().List("h1", {}));
  EXPECT_THAT(Ids(list), ElementsAre("e1", "e3"));
  ASSERT_OK_AND_ASSIGN(list, tx->archives().List("h1", Page{1, 1}));
  EXPECT_THAT(Ids(list), ElementsAre("e3"));
}

// ---- settings ------------------------------------------------------------------------------

TEST_P(StoreTest, SettingsPutGet) {
  auto tx = Begin();
  ASSERT_OK_AND_ASSIGN(auto v, tx->settings().Get("auto_approve"));
  EXPECT_FALSE(v.has_value());
  ASSERT_OK(tx->settings().Put("auto_approve", "true"));
  ASSERT_OK(tx->settings().Put("crl_number", ""));
  ASSERT_OK(tx->settings().Put("说明", "中文值"));
  ASSERT_OK(tx->Commit());
  tx = Begin();
  ASSERT_OK_AND_ASSIGN(v, tx->settings().Get("auto_approve"));
  EXPECT_EQ(v, std::optional<std::string>("true"));
  ASSERT_OK_AND_ASSIGN(v, tx->settings().Get("crl_number"));
  EXPECT_EQ(v, std::optional<std::string>(""));  // empty is a value, not absence
  ASSERT_OK_AND_ASSIGN(v, tx->settings().Get("说明"));
  EXPECT_EQ(v, std::optional<std::string>("中文值"));
  ASSERT_OK(tx->settings().Put("crl_number", "7"));
  ASSERT_OK_AND_ASSIGN(v, tx->settings().Get("crl_number"));
  EXPECT_EQ(v, std::optional<std::string>("7"));
}

}  // namespace
}  // namespace eseal::store::test
