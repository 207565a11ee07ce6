// Contract tests of the lists' counts (the totals a page reports) and of public notices kept
// as rows (both backends).
#include "store_test_util.h"

namespace eseal::store::test {
namespace {

using ::testing::ElementsAre;

TEST_P(StoreTest, HolderCountUsesTheListsFilterAndIgnoresPaging) {
  auto tx = Begin();
  for (int i = 0; i < 7; ++i) {
    Holder h = SampleHolder("h" + std::to_string(i), i + 1);
    h.kind = i < 5 ? HolderKind::kEnterprise : HolderKind::kDepartment;
    h.area_code = i % 2 == 0 ? "450100" : "450200";
    h.name = (i < 3 ? "南宁华鑫科技" : "柳州示例") + std::to_string(i);
    ASSERT_OK(tx->holders().Insert(h));
  }
  HolderRepository::Filter all;
  ASSERT_OK_AND_ASSIGN(int64_t n, tx->holders().Count(all));
  EXPECT_EQ(n, 7);
  ASSERT_OK_AND_ASSIGN(auto page, tx->holders().List(all, Page{2, 6}));
  EXPECT_EQ(page.size(), 1u);

  HolderRepository::Filter f;
  f.kind = HolderKind::kEnterprise;
  f.area_prefix = "4501";
  ASSERT_OK_AND_ASSIGN(n, tx->holders().Count(f));
  ASSERT_OK_AND_ASSIGN(auto list, tx->holders().List(f, Page{1000, 0}));
  EXPECT_EQ(n, 3);  // h0, h2, h4
  EXPECT_EQ(static_cast<int64_t>(list.size()), n);

  f = {};
  f.name_contains = "华鑫";
  ASSERT_OK_AND_ASSIGN(n, tx->holders().Count(f));
  EXPECT_EQ(n, 3);
  ASSERT_OK_AND_ASSIGN(list, tx->holders().List(f, Page{1, 1}));
  EXPECT_THAT(Ids(list), ElementsAre("h1"));

  f = {};
  f.uscc = SampleHolder("x", 5).uscc;
  ASSERT_OK_AND_ASSIGN(n, tx->holders().Count(f));
  EXPECT_EQ(n, 1);
  ASSERT_OK_AND_ASSIGN(list, tx->holders().List(f, {}));
  EXPECT_THAT(Ids(list), ElementsAre("h4"));
}

TEST_P(StoreTest, SealApplicationAndAreaCountsFollowTheirFilters) {
  SeedHolder("h1");
  SeedHolder("h2");
  auto tx = Begin();
  for (int i = 0; i < 5; ++i) {
    Seal s = SampleSeal("s" + std::to_string(i), i < 3 ? "h1" : "h2");
    s.status = i == 0 ? SealStatus::kRevoked : SealStatus::kActive;
    ASSERT_OK(tx->seals().Insert(s));
  }
  SealRepository::Filter sf;
  ASSERT_OK_AND_ASSIGN(int64_t n, tx->seals().Count(sf));
  EXPECT_EQ(n, 5);
  sf.holder_id = "h1";
  sf.status = SealStatus::kActive;
  ASSERT_OK_AND_ASSIGN(n, tx->seals().Count(sf));
  EXPECT_EQ(n, 2);
  ASSERT_OK_AND_ASSIGN(auto seals, tx->seals().List(sf, Page{1, 0}));
  EXPECT_EQ(seals.size(), 1u);

  ASSERT_OK(tx->applications().Insert(SampleApplication("a1", "h1")));
  ASSERT_OK(tx->applications().Insert(SampleApplication("a2", "h2")));
  ApplicationRepository::Filter af;
  ASSERT_OK_AND_ASSIGN(n, tx->applications().Count(af));
  EXPECT_EQ(n, 2);
  af.holder_id = "h2";
  ASSERT_OK_AND_ASSIGN(n, tx->applications().Count(af));
  EXPECT_EQ(n, 1);

  ASSERT_OK_AND_ASSIGN(int64_t areas, tx->areas().Count());
  ASSERT_OK_AND_ASSIGN(auto area_page, tx->areas().List(Page{1000, 0}));
  EXPECT_EQ(static_cast<int64_t>(area_page.size()), areas);

  ASSERT_OK_AND_ASSIGN(n, tx->clients().Count(std::nullopt));
  EXPECT_EQ(n, 0);
  ASSERT_OK_AND_ASSIGN(n, tx->archives().Count(""));
  EXPECT_EQ(n, 0);
  ASSERT_OK_AND_ASSIGN(n, tx->anchors().Count(false));
  EXPECT_EQ(n, 0);
  ASSERT_OK_AND_ASSIGN(n, tx->authorisations().Count("", ""));
  EXPECT_EQ(n, 0);
  ASSERT_OK_AND_ASSIGN(n, tx->filings().CountRecords(std::nullopt, ""));
  EXPECT_EQ(n, 0);
  ASSERT_OK_AND_ASSIGN(n, tx->signatures().Count({}));
  EXPECT_EQ(n, 0);
  ASSERT_OK_AND_ASSIGN(n, tx->usage_requests().Count({}));
  EXPECT_EQ(n, 0);
}

TEST_P(StoreTest, NoticesAreReadFromTheirOwnRowsNewestFirst) {
  SeedSeal("s1", "h1");
  auto tx = Begin();
  // No seal events at all: the notices are what was written as notices, nothing recomputed.
  for (int i = 0; i < 3; ++i) {
    SealNotice n{"esid1", "公章", "自治区大数据发展局", "official",
                 i == 2 ? SealEventType::kRevoked : SealEventType::kSuspended,
                 "理由" + std::to_string(i), T(1700000000 + 10 * i), "s1"};
    ASSERT_OK(tx->seal_events().AppendNotice(n));
  }
  ASSERT_OK(tx->Commit());
  tx = Begin();
  ASSERT_OK_AND_ASSIGN(int64_t total, tx->seal_events().CountNotices());
  EXPECT_EQ(total, 3);
  ASSERT_OK_AND_ASSIGN(auto page, tx->seal_events().ListNotices(Page{2, 0}));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].event, SealEventType::kRevoked);
  EXPECT_EQ(page[0].reason, "理由2");
  EXPECT_EQ(page[0].holder_name, "自治区大数据发展局");
  EXPECT_EQ(page[0].seal_id, "s1");
  EXPECT_EQ(page[1].reason, "理由1");
  ASSERT_OK_AND_ASSIGN(page, tx->seal_events().ListNotices(Page{2, 2}));
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].reason, "理由0");
  ASSERT_OK_AND_ASSIGN(auto events, tx->seal_events().ListForSeal("s1"));
  EXPECT_TRUE(events.empty());
}

}  // namespace
}  // namespace eseal::store::test
