// Signing and verifying through the platform: who may use a seal, key custody, the usage
// register, and what verification says before and after a seal dies (E22).
#include <nlohmann/json.hpp>

#include "eseal/crypto/key_protection.h"
#include "eseal/ses/seal.h"
#include "eseal/sign/ofd_signer.h"
#include "platform_fixture.h"
#include "test_pdfs.h"

namespace eseal::platform::testing {
namespace {

using SigningTest = PlatformTest;

// The result of the check `id` in the first signature of a verification report.
std::string CheckResultIn(const std::string& json, const std::string& id) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.contains("signatures") || j["signatures"].empty()) return "no report";
  for (const auto& c : j["signatures"][0]["checks"]) {
    if (c["id"] == id) return c["result"];
  }
  return "absent";
}

TEST_P(SigningTest, SignVerifyAndTheUsageRegister) {
  Holder h = MakeHolder(1, "南宁市某某科技有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  auto out = Sign(admin, seal, "correct horse");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->record.seal_id, seal.id);
  EXPECT_EQ(out->record.document_hash,
            HexEncode(crypto::Sm3Bytes(LoadShared("unsigned/helloworld.ofd"))));
  auto v = P().VerifyOfd(out->document);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->verdict, Verdict::kPassed) << v->json;
  EXPECT_EQ(CheckResultIn(v->json, "platform.signature.registered"), "pass");
  EXPECT_EQ(CheckResultIn(v->json, "platform.seal.status_at_signing_time"), "pass");
  auto reg = P().ListSignatures(admin, {}, Page{});
  ASSERT_TRUE(reg.ok());
  ASSERT_EQ(reg->size(), 1u);
  EXPECT_EQ((*reg)[0].id, out->record.id);
}

// A PDF through the platform: sealed with the seal's SES_Signature and a timestamp,
// recorded in the usage register as a PDF, and verified by the platform with its records;
// "whole" makes it a certification that allows no later change, which the platform then
// refuses to sign again.
TEST_P(SigningTest, APdfIsSealedRegisteredAndVerified) {
  Holder h = MakeHolder(1, "南宁市某某文档有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  const Bytes pdf = pdf::testing::ClassicPdf(2);
  auto out = Sign(admin, seal, "correct horse", pdf);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->record.format, "pdf");
  EXPECT_EQ(out->record.document_hash, HexEncode(crypto::Sm3Bytes(pdf)));
  ASSERT_GT(out->document.size(), pdf.size());
  EXPECT_TRUE(std::equal(pdf.begin(), pdf.end(), out->document.begin())) << "an earlier byte changed";
  auto v = P().VerifyPdf(out->document);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->verdict, Verdict::kPassed) << v->json;
  EXPECT_EQ(CheckResultIn(v->json, "platform.signature.registered"), "pass") << v->json;
  EXPECT_EQ(CheckResultIn(v->json, "tsp.imprint"), "pass") << v->json;
  EXPECT_EQ(CheckResultIn(v->json, "tsp.signer.signature"), "pass") << v->json;

  Platform::SignInput whole;
  whole.seal = seal.id;
  whole.password = Pw("correct horse");
  whole.document = pdf;
  whole.document_name = "合同.pdf";
  whole.placement.positions.push_back(sign::PagePosition{2, 30, 30});
  whole.mode = sign::ProtectMode::kWhole;
  auto certified = P().SignDocument(admin, std::move(whole));
  ASSERT_TRUE(certified.ok()) << certified.status().ToString();
  auto again = Sign(admin, seal, "correct horse", certified->document);
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  auto reg = P().ListSignatures(admin, {}, Page{});
  ASSERT_TRUE(reg.ok());
  EXPECT_EQ(reg->size(), 2u) << "the refused signature left no record";
}

TEST_P(SigningTest, OneEnterpriseCanNeverUseAnothersSeal) {
  Holder a = MakeHolder(1, "甲公司");
  Holder b = MakeHolder(2, "乙公司");
  Caller admin_a = Account(Role::kHolderAdmin, a.id);
  Caller admin_b = Account(Role::kHolderAdmin, b.id);
  Caller user_a = Account(Role::kHolderUser, a.id);
  Seal seal = MakeSeal(admin_a, "contract");
  EXPECT_EQ(Sign(admin_b, seal, "correct horse").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Sign(op_, seal, "correct horse").status().code(), StatusCode::kPermissionDenied)
      << "not even the operator signs with an enterprise's seal";
  EXPECT_EQ(Sign(user_a, seal, "correct horse").status().code(), StatusCode::kPermissionDenied)
      << "a user needs a grant";
  EXPECT_EQ(P().GrantSeal(admin_b, SealGrant{seal.id, user_a.account_id, true, false}).code(),
            StatusCode::kPermissionDenied);
  ASSERT_TRUE(P().GrantSeal(admin_a, SealGrant{seal.id, user_a.account_id, true, false}).ok());
  EXPECT_TRUE(Sign(user_a, seal, "correct horse").ok());
  // Wrong-holder attempts leave no usage record and do not count as wrong passwords.
  EXPECT_EQ(P().GetSeal(op_, seal.id)->failed_attempts, 0);
}

TEST_P(SigningTest, FiveWrongPasswordsLockTheSealUntilTheOperatorUnlocks) {
  Holder h = MakeHolder(1, "锁定测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  for (int i = 1; i <= 4; ++i) {
    auto r = Sign(admin, seal, "wrong password");
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r.status().message().find("wrong password"), std::string::npos) << "no secret echoed";
  }
  // A correct password resets the count.
  EXPECT_TRUE(Sign(admin, seal, "correct horse").ok());
  std::string wrong_answer;
  for (int i = 1; i <= 5; ++i) {
    auto r = Sign(admin, seal, "nope nope");
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
    if (i == 1) wrong_answer = r.status().message();
    EXPECT_EQ(r.status().message(), wrong_answer) << "the answer does not count down";
  }
  auto locked = P().GetSeal(admin, seal.id);
  EXPECT_TRUE(locked->locked);
  // The right password no longer helps, and the answer is the wrong password's: a guess
  // tried after the lock tripped learns nothing.
  auto still = Sign(admin, seal, "correct horse");
  EXPECT_EQ(still.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(still.status().message(), wrong_answer);
  EXPECT_EQ(P().Unlock(admin, seal.id).status().code(), StatusCode::kPermissionDenied);
  Open();  // locked stays locked across a restart
  EXPECT_EQ(Sign(admin, seal, "correct horse").status().message(), wrong_answer);
  // The operator still sees which it was.
  auto trail = P().ListAudit(op_, 0, 1000);
  ASSERT_TRUE(trail.ok());
  int wrong = 0, refused = 0;
  for (const AuditEntry& e : *trail) {
    wrong += e.action == "seal.password_wrong";
    refused += e.action == "seal.password_refused" && e.details_json.find("\"locked\"") != std::string::npos;
  }
  EXPECT_EQ(wrong, 9);
  EXPECT_EQ(refused, 2);
  ASSERT_TRUE(P().Unlock(op_, seal.id).ok());
  EXPECT_TRUE(Sign(admin, seal, "correct horse").ok());
}

TEST_P(SigningTest, HolderRegistryStatusStopsSigning) {
  Holder h = MakeHolder(1, "即将注销有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  Platform::HolderInput upd{HolderKind::kEnterprise, h.uscc, h.name, h.legal_rep, "", HolderStatus::kDeregistered};
  ASSERT_TRUE(P().UpsertHolder(op_, upd).ok());
  EXPECT_EQ(Sign(admin, seal, "correct horse").status().code(), StatusCode::kFailedPrecondition);
}

// E22: a document signed while the seal was valid stays valid after revocation and after
// expiry; one signed after revocation fails.
TEST_P(SigningTest, DocumentsSignedWhileValidStayValid) {
  Holder h = MakeHolder(1, "生死测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  auto before = Sign(admin, seal, "correct horse");
  ASSERT_TRUE(before.ok());
  clock_.Advance(std::chrono::hours(2));
  ASSERT_TRUE(P().Revoke(admin, seal.id, "企业注销").ok());
  auto v = P().VerifyOfd(before->document);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->verdict, Verdict::kPassed) << v->json;

  // A signature made after the revocation, with the seal's own key outside the platform
  // (as a thief with the password and the KEK could): the platform has no record of it,
  // the seal was revoked at that time, and so was the certificate.
  clock_.Advance(std::chrono::hours(1));
  auto rec = store_->Begin();
  ASSERT_TRUE(rec.ok());
  auto raw = (*rec)->seals().Get(seal.id);
  ASSERT_TRUE(raw.ok());
  rec->reset();
  auto key = crypto::UnprotectPrivateKey(raw->protected_key, AsBytes("correct horse"), kek_.get());
  ASSERT_TRUE(key.ok());
  auto ses_seal = ses::ParseSeal(raw->seal_der);
  ASSERT_TRUE(ses_seal.ok());
  Bytes doc = LoadShared("unsigned/helloworld.ofd");
  sign::OfdSignRequest req;
  req.document = doc;
  req.seal = &*ses_seal;
  req.signer_cert_der = raw->signer_cert_der;
  req.signer = &*key;
  req.time = clock_.Now();
  req.placement.positions.push_back(sign::PagePosition{1, 50, 50});
  auto forged = sign::SignOfd(req);
  ASSERT_TRUE(forged.ok()) << forged.status().ToString();
  auto fv = P().VerifyOfd(forged->document);
  ASSERT_TRUE(fv.ok());
  EXPECT_EQ(fv->verdict, Verdict::kFailed);
  EXPECT_EQ(CheckResultIn(fv->json, "platform.seal.status_at_signing_time"), "fail") << fv->json;
  EXPECT_EQ(CheckResultIn(fv->json, "platform.signature.registered"), "fail");
  // The certificate was revoked with the seal (not for a key compromise); the forgery has
  // no register entry and no timestamp, so its revocation cannot be placed after it: the
  // revocation alone is INDETERMINATE, and the platform's records make it FAILED.
  EXPECT_EQ(CheckResultIn(fv->json, "signer.cert.revocation"), "indeterminate") << fv->json;

  // And a year later, after expiry, the first document still verifies.
  clock_.Advance(std::chrono::days(400));
  ASSERT_TRUE(P().ExpireSeals().ok());
  auto later = P().VerifyOfd(before->document);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->verdict, Verdict::kPassed) << later->json;
}

// Signing and revocation in the same second (times are whole seconds): the usage register
// orders the signature first, so the document stays PASSED, and so does its archive.
TEST_P(SigningTest, RevocationInTheSameSecondAsSigningComesAfterIt) {
  Holder h = MakeHolder(1, "同秒测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  auto signed_doc = Sign(admin, seal, "correct horse");
  ASSERT_TRUE(signed_doc.ok());
  ASSERT_TRUE(P().Revoke(admin, seal.id, "企业注销").ok());  // same clock second
  auto v = P().VerifyOfd(signed_doc->document);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->verdict, Verdict::kPassed) << v->json;
  EXPECT_EQ(CheckResultIn(v->json, "platform.seal.status_at_signing_time"), "pass") << v->json;
  EXPECT_EQ(CheckResultIn(v->json, "signer.cert.revocation"), "pass") << v->json;
}

TEST_P(SigningTest, VerifyRefusesWhatIsNotAnOfdAndWritesNothing) {
  EXPECT_FALSE(P().VerifyOfd(ToBytes("not a zip")).ok());
  auto detached = P().VerifyDetached(ToBytes("junk"), ToBytes("data"));
  EXPECT_EQ(detached.status().code(), StatusCode::kInvalidArgument);
}

// A long Chinese name (3 bytes a character) is cut at a character boundary, not at byte
// 200 inside one; a name that is not UTF-8 is refused before the key is touched.
TEST_P(SigningTest, DocumentNamesAreCutBetweenCharacters) {
  Holder h = MakeHolder(1, "文档名称测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  for (int chars : {66, 67, 80, 85}) {
    std::string name;
    for (int i = 0; i < chars; ++i) name += "合";
    Platform::SignInput in;
    in.seal = seal.id;
    in.password = Pw("correct horse");
    in.document = LoadShared("unsigned/helloworld.ofd");
    in.document_name = name;
    in.placement.positions.push_back(sign::PagePosition{1, 50, 50});
    auto out = P().SignDocument(admin, std::move(in));
    ASSERT_TRUE(out.ok()) << chars << ": " << out.status().ToString();
    EXPECT_TRUE(IsValidUtf8(out->record.document_name));
    EXPECT_EQ(out->record.document_name, name.substr(0, std::min<size_t>(name.size(), 198))) << chars;
  }
  Platform::SignInput bad;
  bad.seal = seal.id;
  bad.password = Pw("wrong password!");
  bad.document = LoadShared("unsigned/helloworld.ofd");
  bad.document_name = std::string("合同", 4);  // the second character cut in half
  bad.placement.positions.push_back(sign::PagePosition{1, 50, 50});
  EXPECT_EQ(P().SignDocument(admin, std::move(bad)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(P().GetSeal(op_, seal.id)->failed_attempts, 0) << "refused before any attempt was counted";
}

ESEAL_PLATFORM_BACKENDS(SigningTest);

}  // namespace
}  // namespace eseal::platform::testing
