// Government-service seals (政务服务电子印章): level-by-level review in the area hierarchy,
// the image from the supplied impression, filing with the national platform, public notice
// and archiving of signed documents.
#include <nlohmann/json.hpp>

#include "eseal/sealimg/seal_image.h"
#include "eseal/x509/certificate.h"
#include "platform_fixture.h"
#include "test_pdfs.h"

namespace eseal::platform::testing {
namespace {

class GovTest : public PlatformTest {
 protected:
  void SetUpAreas() {
    ASSERT_TRUE(P().UpsertArea(op_, Area{"450000", "广西壮族自治区", AreaLevel::kRegion, ""}).ok());
    ASSERT_TRUE(P().UpsertArea(op_, Area{"450100", "南宁市", AreaLevel::kCity, "450000"}).ok());
    ASSERT_TRUE(P().UpsertArea(op_, Area{"450102", "兴宁区", AreaLevel::kCounty, "450100"}).ok());
    ASSERT_TRUE(P().UpsertArea(op_, Area{"450103", "青秀区", AreaLevel::kCounty, "450100"}).ok());
    county_ = Account(Role::kReviewer, "", "450102");
    other_county_ = Account(Role::kReviewer, "", "450103");
    city_ = Account(Role::kReviewer, "", "450100");
    region_ = Account(Role::kReviewer, "", "450000");
  }

  Holder MakeDepartment(int n, const std::string& name, const std::string& area) {
    Platform::HolderInput in;
    in.kind = HolderKind::kDepartment;
    in.uscc = MakeUscc(n, "11450102");
    in.name = name;
    in.legal_rep = "王局长";
    in.area_code = area;
    auto h = P().UpsertHolder(op_, in);
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    return *h;
  }

  void SupplyImpression(const Holder& h) {
    auto png = sealimg::RenderPng(sealimg::Kind::kGovService, sealimg::SealText{h.name, "", "", ""}, 200);
    ASSERT_TRUE(png.ok());
    ASSERT_TRUE(P().AttachImpression(op_, h.id, "gov-service", *png).ok());
  }

  Caller county_, other_county_, city_, region_;
};

TEST_P(GovTest, LevelByLevelReviewOnlyInTheReviewersArea) {
  SetUpAreas();
  Holder dept = MakeDepartment(1, "南宁市兴宁区行政审批局", "450102");
  SupplyImpression(dept);
  Caller admin = Account(Role::kHolderAdmin, dept.id);
  Platform::ApplyInput in;
  in.seal_kind = "gov-service";
  in.password = Pw("correct horse");
  auto app = P().Apply(admin, std::move(in));
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  EXPECT_EQ(app->next_level, static_cast<int>(AreaLevel::kCounty));

  // Not the operator, not another county, not yet the city.
  EXPECT_EQ(P().Review(op_, app->id, true, "").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(P().Review(other_county_, app->id, true, "").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(P().Review(city_, app->id, true, "").status().code(), StatusCode::kPermissionDenied);
  // A reviewer sees only applications in its area.
  EXPECT_EQ(P().GetApplication(other_county_, app->id).status().code(), StatusCode::kPermissionDenied);
  auto visible = P().ListApplications(other_county_, {}, Page{});
  ASSERT_TRUE(visible.ok());
  EXPECT_TRUE(visible->empty());

  auto a1 = P().Review(county_, app->id, true, "县级审核通过");
  ASSERT_TRUE(a1.ok()) << a1.status().ToString();
  EXPECT_EQ(a1->status, ApplicationStatus::kPending);
  EXPECT_EQ(a1->next_level, static_cast<int>(AreaLevel::kCity));
  EXPECT_EQ(P().Review(county_, app->id, true, "").status().code(), StatusCode::kPermissionDenied);
  auto a2 = P().Review(city_, app->id, true, "市级审核通过");
  ASSERT_TRUE(a2.ok());
  EXPECT_EQ(a2->next_level, static_cast<int>(AreaLevel::kRegion));
  auto a3 = P().Review(region_, app->id, true, "自治区审核通过，制章");
  ASSERT_TRUE(a3.ok()) << a3.status().ToString();
  EXPECT_EQ(a3->status, ApplicationStatus::kCompleted);
  EXPECT_EQ(a3->reviews.size(), 3u);
  auto seal = P().GetSeal(admin, a3->result_seal_id);
  ASSERT_TRUE(seal.ok());
  EXPECT_EQ(seal->kind, "gov-service");
  EXPECT_TRUE(Sign(admin, *seal, "correct horse").ok());
}

// The review queue is filtered in the query: more than 1,000 older applications elsewhere
// in the province (a neighbouring county's department, enterprises) do not hide a new one.
TEST_P(GovTest, ReviewQueueShowsANewApplicationPastAThousandElsewhere) {
  SetUpAreas();
  Holder neighbour = MakeDepartment(2, "南宁市青秀区行政审批局", "450103");
  Holder firm = MakeHolder(3, "广西企业有限公司");
  {
    auto tx = store_->Begin();
    ASSERT_TRUE(tx.ok());
    for (int i = 0; i < 1001; ++i) {
      Application a;
      a.id = "app_old" + std::to_string(1000 + i);
      a.holder_id = i % 2 ? neighbour.id : firm.id;
      a.seal_kind = i % 2 ? "gov-service" : "contract";
      a.next_level = static_cast<int>(AreaLevel::kCounty);
      a.submitted_by = "acc_old";
      a.created_at = a.updated_at = clock_.Now() - std::chrono::hours(48) + std::chrono::seconds(i);
      ASSERT_TRUE((*tx)->applications().Insert(a).ok());
    }
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  Holder dept = MakeDepartment(1, "南宁市兴宁区行政审批局", "450102");
  Caller admin = Account(Role::kHolderAdmin, dept.id);
  Platform::ApplyInput in;
  in.seal_kind = "gov-service";
  in.password = Pw("correct horse");
  auto app = P().Apply(admin, std::move(in));
  ASSERT_TRUE(app.ok()) << app.status().ToString();

  auto queue = P().ListApplications(county_, {}, Page{});
  ASSERT_TRUE(queue.ok()) << queue.status().ToString();
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ(queue->front().id, app->id);
  ApplicationRepository::Filter pending;
  pending.status = ApplicationStatus::kPending;
  queue = P().ListApplications(county_, pending, Page{});
  ASSERT_TRUE(queue.ok());
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_TRUE(P().ListApplications(other_county_, {}, Page{}).ok());
  EXPECT_EQ(P().ListApplications(other_county_, {}, Page{}).value().size(), 100u);  // a full page
  // The city sees its counties' departments (500 + 1), not the enterprises: the new one
  // on the last page.
  auto city = P().ListApplications(city_, {}, Page{100, 500});
  ASSERT_TRUE(city.ok());
  ASSERT_EQ(city->size(), 1u);
  EXPECT_EQ(city->front().id, app->id);
}

TEST_P(GovTest, NoImpressionNoGovernmentSeal) {
  SetUpAreas();
  Holder dept = MakeDepartment(2, "南宁市市场监督管理局", "450100");
  Caller admin = Account(Role::kHolderAdmin, dept.id);
  Platform::ApplyInput in;
  in.seal_kind = "gov-service";
  in.password = Pw("correct horse");
  auto app = P().Apply(admin, std::move(in));
  ASSERT_TRUE(app.ok());
  ASSERT_TRUE(P().Review(city_, app->id, true, "").ok());
  auto made = P().Review(region_, app->id, true, "");
  EXPECT_EQ(made.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(made.status().message().find("impression"), std::string::npos);
  // Nothing half-made: the application is still pending at the region level.
  auto still = P().GetApplication(op_, app->id);
  EXPECT_EQ(still->status, ApplicationStatus::kPending);
  auto seals = P().ListSeals(op_, {}, Page{});
  EXPECT_TRUE(seals->empty());
}

TEST_P(GovTest, FilingNoticesAndArchive) {
  SetUpAreas();
  Holder dept = MakeDepartment(3, "自治区大数据发展局", "450000");
  SupplyImpression(dept);
  Caller admin = Account(Role::kHolderAdmin, dept.id);
  Platform::ApplyInput in;
  in.seal_kind = "gov-service";
  in.password = Pw("correct horse");
  auto app = P().Apply(admin, std::move(in));
  ASSERT_TRUE(app.ok());
  auto done = P().Review(region_, app->id, true, "");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  auto seal = P().GetSeal(admin, done->result_seal_id);
  ASSERT_TRUE(seal.ok());

  // Archive a signed document with its evidence; it re-verifies later from the archive.
  auto signed_doc = Sign(admin, *seal, "correct horse");
  ASSERT_TRUE(signed_doc.ok());
  auto entry = P().Archive(admin, signed_doc->document, "批复.ofd");
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  EXPECT_NE(entry->report_json.find("\"PASSED\""), std::string::npos);
  // A sealed PDF is archived the same way (its report is the PDF verifier's).
  auto signed_pdf = Sign(admin, *seal, "correct horse", pdf::testing::ClassicPdf(1));
  ASSERT_TRUE(signed_pdf.ok()) << signed_pdf.status().ToString();
  auto pdf_entry = P().Archive(admin, signed_pdf->document, "批复.pdf");
  ASSERT_TRUE(pdf_entry.ok()) << pdf_entry.status().ToString();
  EXPECT_NE(pdf_entry->report_json.find("\"PASSED\""), std::string::npos) << pdf_entry->report_json;
  EXPECT_NE(pdf_entry->report_json.find("pdf.byte_range.contents"), std::string::npos);

  // Revoke through an application (the same review path); the revocation is noticed and filed.
  clock_.Advance(std::chrono::hours(1));
  Platform::ApplyInput rv;
  rv.type = ApplicationType::kRevoke;
  rv.seal_id = seal->id;
  rv.reason = "单位撤销";
  auto rapp = P().Apply(admin, std::move(rv));
  ASSERT_TRUE(rapp.ok());
  ASSERT_TRUE(P().Review(region_, rapp->id, true, "").ok());
  auto notices = P().PublicNotices(Page{50, 0});
  ASSERT_TRUE(notices.ok());
  ASSERT_EQ(notices->size(), 1u);
  EXPECT_EQ((*notices)[0].event, SealEventType::kRevoked);
  EXPECT_EQ((*notices)[0].reason, "单位撤销");
  EXPECT_EQ((*notices)[0].holder_name, "自治区大数据发展局");

  auto pending = P().ListFilings(op_, FilingStatus::kPending, Page{});
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);  // made, revoked
  auto batch = P().ExportFilings(op_);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  auto env = nlohmann::json::parse(AsChars(batch->signed_export), nullptr, false);
  ASSERT_FALSE(env.is_discarded());
  std::string payload = env["payload"];
  EXPECT_NE(payload.find(seal->esid), std::string::npos);
  EXPECT_NE(payload.find("\"event\":\"revoked\""), std::string::npos);
  auto sig = Base64Decode(env["signature"].get<std::string>());
  auto cert = x509::Certificate::FromDer(*Base64Decode(env["signer_certificate"].get<std::string>()));
  ASSERT_TRUE(cert.ok());
  EXPECT_TRUE(cert->public_key()->Verify(AsBytes(payload), *sig)) << "the export is signed by the platform";
  EXPECT_EQ(P().ExportFilings(op_).status().code(), StatusCode::kFailedPrecondition) << "nothing left";
  auto ack = P().AcknowledgeFilingBatch(op_, batch->id);
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ(ack->status, FilingStatus::kAcknowledged);
  EXPECT_EQ(P().ListFilings(op_, FilingStatus::kAcknowledged, Page{})->size(), 2u);

  // A year later the archive entry still verifies from its own evidence.
  clock_.Advance(std::chrono::days(400));
  auto check = P().VerifyArchive(admin, entry->id);
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->verdict(), Verdict::kPassed);
  auto pdf_check = P().VerifyArchive(admin, pdf_entry->id);
  ASSERT_TRUE(pdf_check.ok());
  EXPECT_EQ(pdf_check->verdict(), Verdict::kPassed);
  // Fixed once written: an edit in the database is caught.
  ASSERT_TRUE(store::ExecuteSqlForTest(url_, "UPDATE archives SET report_json = '{}' WHERE id = '" + entry->id + "'").ok());
  auto tampered = P().VerifyArchive(admin, entry->id);
  ASSERT_TRUE(tampered.ok());
  EXPECT_EQ(tampered->ResultOf("archive.entry_hash"), CheckResult::kFail);
}

ESEAL_PLATFORM_BACKENDS(GovTest);

}  // namespace
}  // namespace eseal::platform::testing
