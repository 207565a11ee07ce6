// Outside systems (E9-E13): client access, vendor authorisations, filing of seals made by
// another seal system and mutual recognition of what it signs; use approval (E19).
#include <nlohmann/json.hpp>

#include "eseal/crypto/random.h"
#include "eseal/sealimg/seal_image.h"
#include "eseal/ses/make.h"
#include "eseal/sign/ofd_signer.h"
#include "eseal/x509/ca.h"
#include "eseal/verify/policy.h"
#include "internal.h"
#include "platform_fixture.h"

namespace eseal::platform::testing {
namespace {

std::string CheckResultIn(const std::string& json, const std::string& id) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.contains("signatures") || j["signatures"].empty()) return "no report";
  for (const auto& c : j["signatures"][0]["checks"]) {
    if (c["id"] == id) return c["result"];
  }
  return "absent";
}

class IntegrationTest : public PlatformTest {
 protected:
  // An approved client and its Caller.
  Caller ApprovedClient(ClientType type, const std::string& name, const std::string& holder = "") {
    auto cl = P().ApplyForAccess(Platform::ClientApplication{name, "签章服务", "ops@example.cn", holder, type});
    EXPECT_TRUE(cl.ok()) << cl.status().ToString();
    auto d = P().ReviewClient(op_, cl->id, true, "");
    EXPECT_TRUE(d.ok());
    auto c = P().Authenticate(d->token);
    EXPECT_TRUE(c.ok());
    return *c;
  }
};

TEST_P(IntegrationTest, ClientAccessIsReviewedAndSuspensionIsImmediate) {
  auto cl = P().ApplyForAccess(Platform::ClientApplication{"某签章服务商", "合同签署", "a@b.cn", "", ClientType::kVendor});
  ASSERT_TRUE(cl.ok());
  EXPECT_EQ(cl->status, ClientStatus::kPending);
  auto rejected = P().ReviewClient(op_, cl->id, false, "资质不足");
  ASSERT_TRUE(rejected.ok());
  EXPECT_TRUE(rejected->token.empty()) << "a rejected client gets no credential and cannot call anything";
  EXPECT_EQ(P().ReviewClient(op_, cl->id, true, "").status().code(), StatusCode::kFailedPrecondition);

  Caller vendor = ApprovedClient(ClientType::kVendor, "合规服务商");
  ASSERT_TRUE(P().SuspendClient(op_, vendor.client_id, "违规转授权").ok());
  // Authenticate was done before; a new call authenticates again and is refused at once.
  auto list = P().ListClients(op_, ClientStatus::kSuspended, Page{});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
}

TEST_P(IntegrationTest, VendorSignsOnlyWithALiveAuthorisation) {
  Holder h = MakeHolder(1, "授权测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal seal = MakeSeal(admin, "contract");
  auto cl = P().ApplyForAccess(Platform::ClientApplication{"服务商甲", "代签", "x@y.cn", "", ClientType::kVendor});
  auto d = P().ReviewClient(op_, cl->id, true, "");
  ASSERT_TRUE(d.ok());
  auto vendor = P().Authenticate(d->token);
  ASSERT_TRUE(vendor.ok());
  EXPECT_EQ(Sign(*vendor, seal, "correct horse").status().code(), StatusCode::kPermissionDenied);
  auto auth = P().Authorise(admin, vendor->client_id, {seal.id}, clock_.Now() + std::chrono::days(30), SecretBytes());
  ASSERT_TRUE(auth.ok()) << auth.status().ToString();
  auto ok = Sign(*vendor, seal, "correct horse");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->record.client_id, vendor->client_id);
  ASSERT_TRUE(P().WithdrawAuthorisation(admin, auth->id).ok());
  EXPECT_EQ(Sign(*vendor, seal, "correct horse").status().code(), StatusCode::kPermissionDenied)
      << "withdrawal stops signing at once";
  // A suspended vendor is refused at authentication.
  ASSERT_TRUE(P().SuspendClient(op_, vendor->client_id, "暂停").ok());
  EXPECT_EQ(P().Authenticate(d->token).status().code(), StatusCode::kPermissionDenied);
}

// A second, independent seal-making system: its own CA and maker key, as another vendor's.
// Another seal-making system with its own CA and maker key, as another vendor's would be.
// With `issuing_ca`, its maker and signer certificates come from an issuing CA under its
// root, as a licensed CA's would; otherwise the root issues them directly.
struct OtherSystem {
  crypto::Sm2PrivateKey root_key = *crypto::Sm2PrivateKey::Generate();
  crypto::Sm2PrivateKey issuing_key = *crypto::Sm2PrivateKey::Generate();
  crypto::Sm2PrivateKey maker_key = *crypto::Sm2PrivateKey::Generate();
  crypto::Sm2PrivateKey signer_key = *crypto::Sm2PrivateKey::Generate();
  x509::Certificate root, issuing, maker, signer;  // issuing == root without an issuing CA
  Bytes crl;                                       // the root's CRL
  ses::Seal seal;

  // `signer_uscc`, when given, goes into the signer certificate's subject (serialNumber),
  // as licensed CAs write an enterprise's USCC.
  OtherSystem(const Holder& h, Time now, bool issuing_ca = false, const std::string& vendor = "Other Vendor",
              const std::string& signer_uscc = "", int64_t type = ses::kTypeContract) {
    Rng& rng = crypto::SystemRng();
    auto name = [&](const std::string& cn) { return *x509::Name::Parse("CN=" + cn + ",O=" + vendor + ",C=CN"); };
    root = *x509::MakeRootCertificate(name(vendor + " Root"), root_key, now - std::chrono::days(10),
                                      now + std::chrono::days(3650), rng);
    const crypto::Sm2PrivateKey* issuer_key = &root_key;
    issuing = root;
    if (issuing_ca) {
      issuing = *x509::IssueCertificate(root, root_key,
                                        x509::IssueRequest{name(vendor + " Issuing CA"), issuing_key.PublicKey(),
                                                           x509::CertificateRole::kIssuingCa,
                                                           now - std::chrono::days(10), now + std::chrono::days(3000)},
                                        rng);
      issuer_key = &issuing_key;
    }
    maker = *x509::IssueCertificate(issuing, *issuer_key,
                                    x509::IssueRequest{name(vendor + " Seal Maker"), maker_key.PublicKey(),
                                                       x509::CertificateRole::kSealMaker, now - std::chrono::days(10),
                                                       now + std::chrono::days(2000)},
                                    rng);
    signer = *x509::IssueCertificate(issuing, *issuer_key,
                                     x509::IssueRequest{*x509::Name::Parse("CN=" + h.name + ",O=" + h.name +
                                                                           (signer_uscc.empty() ? "" : ",serialNumber=" + signer_uscc) +
                                                                           ",C=CN"),
                                                        signer_key.PublicKey(), x509::CertificateRole::kSigner,
                                                        now - std::chrono::days(1), now + std::chrono::days(364)},
                                     rng);
    crl = x509::MakeCrl(root, root_key, x509::CrlRequest{now - std::chrono::days(1), now + std::chrono::days(30), Bytes{1}, {}})
              ->der();
    ses::SealSpec spec;
    spec.vid = "OTHERVENDOR";
    spec.esid = issuing_ca ? "OV-450100-0002" : "OV-450100-0001";
    spec.type = type;
    spec.name = h.name;
    spec.signer_certs = {signer.der()};
    spec.create_date = spec.valid_start = now - std::chrono::days(1);
    spec.valid_end = now + std::chrono::days(364);
    spec.picture = ses::Picture{"PNG", *sealimg::RenderPng(sealimg::Kind::kContract, sealimg::SealText{h.name, "", "", ""}, 150), 40, 40};
    seal = *ses::MakeSeal(spec, maker.der(), maker_key);
  }

  // The issuing CA's CRL at `at`, with the signer revoked at `revoked_at` if given.
  Bytes IssuingCrl(Time at, std::optional<Time> revoked_at = std::nullopt) const {
    x509::CrlRequest r{at, at + std::chrono::days(30), Bytes{static_cast<uint8_t>(ToUnix(at) & 0x7f)}, {}};
    if (revoked_at) r.revoked.push_back(x509::CrlEntryParams{signer.serial(), *revoked_at, x509::RevocationReason::kKeyCompromise});
    return x509::MakeCrl(issuing, issuing_key, r)->der();
  }

  Bytes SignDocument(Time now) {
    Bytes doc = LoadShared("unsigned/helloworld.ofd");
    sign::OfdSignRequest req;
    req.document = doc;
    req.seal = &seal;
    req.signer_cert_der = signer.der();
    req.signer = &signer_key;
    req.time = now;
    req.placement.positions.push_back(sign::PagePosition{1, 60, 60});
    req.provider_name = "OtherVendor";
    return sign::SignOfd(req)->document;
  }
};

TEST_P(IntegrationTest, AnotherSystemsSealIsFiledAndRecognisedOnlyWhenItsMakerIsRegistered) {
  Holder h = MakeHolder(1, "外部制章测试有限公司");
  Caller vendor = ApprovedClient(ClientType::kVendor, "其他电子印章系统");
  OtherSystem other(h, clock_.Now());
  Bytes doc = other.SignDocument(clock_.Now());

  // Maker not registered: filing refused, and its documents are reported as not recognised.
  auto refused = P().FileSeal(vendor, other.seal.der, h.uscc, "contract");
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("not a seal system registered"), std::string::npos);
  auto unknown = P().VerifyOfd(doc);
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(CheckResultIn(unknown->json, "platform.seal.recognised"), "indeterminate") << unknown->json;
  EXPECT_NE(unknown->verdict, Verdict::kPassed);

  // The operator registers the other system's root (with its CRL): filed, and recognised.
  Platform::AnchorInput anchor{"其他电子印章系统", AnchorKind::kCaRoot, other.root.der(), "", "", other.crl};
  auto registered = P().RegisterAnchor(op_, anchor);
  ASSERT_TRUE(registered.ok());
  // The vendor files only seals of a maker the operator registered it for.
  auto unregistered = P().FileSeal(vendor, other.seal.der, h.uscc, "contract");
  EXPECT_EQ(unregistered.status().code(), StatusCode::kPermissionDenied) << unregistered.status().ToString();
  ASSERT_TRUE(P().RegisterVendorMaker(op_, vendor.client_id, registered->id).ok());
  // The kind must be the seal's own (esType 4, contract).
  auto wrong_kind = P().FileSeal(vendor, other.seal.der, h.uscc, "finance");
  EXPECT_EQ(wrong_kind.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(wrong_kind.status().message().find("印章类别"), std::string::npos) << wrong_kind.status().message();
  auto filed = P().FileSeal(vendor, other.seal.der, h.uscc, "contract");
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  EXPECT_EQ(filed->origin, SealOrigin::kFiled);
  auto known = P().VerifyOfd(doc);
  ASSERT_TRUE(known.ok());
  EXPECT_EQ(known->verdict, Verdict::kPassed) << known->json;
  EXPECT_EQ(CheckResultIn(known->json, "platform.seal.recognised"), "pass");
  EXPECT_EQ(CheckResultIn(known->json, "platform.seal.status_at_signing_time"), "pass");

  // No duplicates: the enterprise now has an active contract seal, from the other system.
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Platform::ApplyInput in;
  in.seal_kind = "contract";
  in.password = Pw("correct horse");
  auto dup = P().Apply(admin, std::move(in));
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(dup.status().message().find(other.seal.info.esid), std::string::npos);
  auto again = P().FileSeal(vendor, other.seal.der, h.uscc, "contract");
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  // An unregistered enterprise's seal cannot be filed.
  EXPECT_EQ(P().FileSeal(vendor, other.seal.der, MakeUscc(999), "legal-name").status().code(),
            StatusCode::kFailedPrecondition);
}

// A system whose certificates come from an issuing CA under its root: the operator registers
// the root with the issuing CA as its intermediate, and later records each newer CRL the
// other system publishes.
TEST_P(IntegrationTest, AnAnchorWithIntermediatesAndTheNewerCrlsItPublishes) {
  Holder h = MakeHolder(1, "两级证书测试有限公司");
  Caller vendor = ApprovedClient(ClientType::kVendor, "两级证书系统");
  OtherSystem other(h, clock_.Now(), /*issuing_ca=*/true, "Two Level Vendor");
  Time t0 = clock_.Now();
  Bytes before = other.SignDocument(t0);

  // The root alone is not enough: the maker chains through the issuing CA.
  Platform::AnchorInput root_only{"两级证书系统", AnchorKind::kCaRoot, other.root.der(), "", "", other.crl};
  auto a0 = P().RegisterAnchor(op_, root_only);
  ASSERT_TRUE(a0.ok()) << a0.status().ToString();
  EXPECT_EQ(P().FileSeal(vendor, other.seal.der, h.uscc, "contract").status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(P().DeactivateAnchor(op_, a0->id).ok());

  // Intermediates must be CAs under the anchor: the maker certificate is refused as one.
  Platform::AnchorInput wrong = root_only;
  wrong.system_name = "两级证书系统 (wrong)";
  wrong.intermediates = {other.maker.der()};
  EXPECT_EQ(P().RegisterAnchor(op_, wrong).status().code(), StatusCode::kInvalidArgument);

  // Root + issuing CA + the issuing CA's CRL: filed, and the document verifies as recognised.
  Platform::AnchorInput full{"两级证书系统", AnchorKind::kCaRoot, other.root.der(), "", "", other.crl,
                             {other.issuing.der()}};
  auto anchor = P().RegisterAnchor(op_, full);
  ASSERT_TRUE(anchor.ok()) << anchor.status().ToString();
  ASSERT_TRUE(P().UpdateAnchorCrl(op_, anchor->id, other.IssuingCrl(t0)).ok());
  ASSERT_TRUE(P().RegisterVendorMaker(op_, vendor.client_id, anchor->id).ok());
  auto filed = P().FileSeal(vendor, other.seal.der, h.uscc, "contract");
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  auto v = P().VerifyOfd(before);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->verdict, Verdict::kPassed) << v->json;
  EXPECT_EQ(CheckResultIn(v->json, "platform.seal.recognised"), "pass") << v->json;

  // The other system revokes its signer an hour later (keyCompromise) and publishes a newer
  // CRL. Neither document carries a timestamp and neither is in this platform's register, so
  // nothing proves when they were signed: both are judged now, after the compromise, and
  // FAIL — a thief with the key could have written the earlier claimed time (issue 9,
  // "backdated after compromise"). Only a timestamp would keep the earlier one valid.
  clock_.Advance(std::chrono::hours(2));
  Time revoked_at = t0 + std::chrono::hours(1);
  Bytes after = other.SignDocument(clock_.Now());
  Bytes newer = other.IssuingCrl(clock_.Now(), revoked_at);
  // Not from this system, or not newer: refused, nothing changes.
  OtherSystem stranger(h, clock_.Now(), /*issuing_ca=*/true, "Stranger");
  EXPECT_EQ(P().UpdateAnchorCrl(op_, anchor->id, stranger.IssuingCrl(clock_.Now())).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(P().UpdateAnchorCrl(op_, anchor->id, other.IssuingCrl(t0)).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(P().UpdateAnchorCrl(vendor, anchor->id, newer).status().code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(P().UpdateAnchorCrl(op_, anchor->id, newer).ok());

  auto late = P().VerifyOfd(after);
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->verdict, Verdict::kFailed) << late->json;
  EXPECT_EQ(CheckResultIn(late->json, "signer.cert.revocation"), "fail") << late->json;
  auto early = P().VerifyOfd(before);
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->verdict, Verdict::kFailed) << early->json;
  EXPECT_EQ(CheckResultIn(early->json, "signer.cert.revocation"), "fail") << early->json;
  EXPECT_EQ(CheckResultIn(early->json, "platform.seal.recognised"), "pass") << early->json;
}

// The rogue maker (issue 9): a subscriber certificate of a registered seal system's CA — here
// its own signer certificate — "makes" a government seal. It chains to the registered root,
// but it carries no maker policy: not recognised, and the document is FAILED on maker.role.
TEST_P(IntegrationTest, ARogueMakerUnderARegisteredRootIsNotRecognised) {
  Holder h = MakeHolder(1, "冒名制章测试有限公司");
  OtherSystem sys(h, clock_.Now(), false, "Rogue Test Vendor");
  auto anchor = P().RegisterAnchor(
      op_, Platform::AnchorInput{"冒名测试系统", AnchorKind::kCaRoot, sys.root.der(), "", "", sys.crl});
  ASSERT_TRUE(anchor.ok()) << anchor.status().ToString();
  Bytes honest = sys.SignDocument(clock_.Now());
  auto ok = P().VerifyOfd(honest);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(CheckResultIn(ok->json, "platform.seal.recognised"), "pass") << ok->json;

  ses::SealSpec spec;
  spec.vid = "ROGUE";
  spec.esid = "ROGUE-450100-0001";
  spec.type = ses::kTypeContract;
  spec.name = "南宁市人民政府政务服务专用章";
  spec.signer_certs = {sys.signer.der()};
  spec.create_date = spec.valid_start = clock_.Now() - std::chrono::days(1);
  spec.valid_end = clock_.Now() + std::chrono::days(300);
  spec.picture = sys.seal.info.picture;
  sys.seal = *ses::MakeSeal(spec, sys.signer.der(), sys.signer_key);
  auto v = P().VerifyOfd(sys.SignDocument(clock_.Now()));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->verdict, Verdict::kFailed) << v->json;
  EXPECT_EQ(CheckResultIn(v->json, "maker.role"), "fail") << v->json;
  EXPECT_EQ(CheckResultIn(v->json, "platform.seal.recognised"), "indeterminate") << v->json;
}

// The platform's own certificates are trusted by role (root: signers; maker: pinned).
// Registered again as a CA-root anchor, the root would gain the seal-maker role and every
// certificate its issuing CA signs could pose as a maker: refused.
TEST_P(IntegrationTest, ThePlatformsOwnCertificatesCannotBeRegisteredAsAnchors) {
  auto bundle = P().TrustBundlePem();
  ASSERT_TRUE(bundle.ok());
  auto certs = x509::Certificate::FromPemBundle(*bundle);
  ASSERT_TRUE(certs.ok());
  ASSERT_FALSE(certs->empty());
  for (const x509::Certificate& c : *certs) {
    Platform::AnchorInput in{"本平台自己", c.is_ca() ? AnchorKind::kCaRoot : AnchorKind::kMakerCertificate,
                             c.der()};
    auto r = P().RegisterAnchor(op_, in);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.subject().ToString();
    EXPECT_NE(r.status().message().find("本平台自己的证书"), std::string::npos) << r.status().message();
  }
}

// A seal on record answers for its holder: a signer certificate naming another company's
// USCC in its subject is refused even though the filed seal lists it (issue 9 "seals on
// record"); one naming the holder's own USCC passes.
TEST_P(IntegrationTest, TheSignerCertificateMustBelongToTheSealsHolder) {
  Holder h = MakeHolder(1, "持有人测试有限公司");
  Holder other_company = MakeHolder(2, "另一家测试有限公司");
  Caller vendor = ApprovedClient(ClientType::kVendor, "持有人测试系统");
  for (const Holder* named : {&h, &other_company}) {
    // Two systems, so two seal codes (the second with an issuing CA).
    const bool second = named != &h;
    OtherSystem sys(h, clock_.Now(), second, second ? "Wrong Vendor" : "Own Vendor", named->uscc,
                    second ? ses::kTypeFinance : ses::kTypeContract);
    Platform::AnchorInput in{second ? "错名证书系统" : "本企业证书系统", AnchorKind::kCaRoot, sys.root.der(), "", "", sys.crl};
    if (second) in.intermediates = {sys.issuing.der()};
    auto anchor = P().RegisterAnchor(op_, in);
    ASSERT_TRUE(anchor.ok()) << anchor.status().ToString();
    ASSERT_TRUE(P().RegisterVendorMaker(op_, vendor.client_id, anchor->id).ok());
    if (second) {
      ASSERT_TRUE(P().UpdateAnchorCrl(op_, anchor->id, sys.IssuingCrl(clock_.Now())).ok());
    }
    auto filed = P().FileSeal(vendor, sys.seal.der, h.uscc, second ? "finance" : "contract");
    ASSERT_TRUE(filed.ok()) << filed.status().ToString();
    auto v = P().VerifyOfd(sys.SignDocument(clock_.Now()));
    ASSERT_TRUE(v.ok());
    if (named == &h) {
      EXPECT_EQ(CheckResultIn(v->json, "platform.signer.holder"), "pass") << v->json;
      EXPECT_EQ(v->verdict, Verdict::kPassed) << v->json;
    } else {
      EXPECT_EQ(CheckResultIn(v->json, "platform.signer.holder"), "fail") << v->json;
      EXPECT_EQ(v->verdict, Verdict::kFailed) << v->json;
    }
    ASSERT_TRUE(P().DeactivateAnchor(op_, anchor->id).ok());
  }
}

// Anchors have roles (DESIGN.md): set by the operator at registration (default by kind) and
// later, each change audited; filing needs a seal-maker anchor; the validation policy carries
// the platform's own identity and every active anchor with its roles.
TEST_P(IntegrationTest, AnchorRolesAreSetByTheOperatorAuditedAndInTheValidationPolicy) {
  Holder h = MakeHolder(1, "角色测试有限公司");
  Caller vendor = ApprovedClient(ClientType::kVendor, "角色测试系统");
  OtherSystem other(h, clock_.Now());
  OtherSystem second(h, clock_.Now(), /*issuing_ca=*/true, "Second Vendor");

  // Defaults by kind.
  auto root = P().RegisterAnchor(op_, Platform::AnchorInput{"角色测试系统", AnchorKind::kCaRoot, other.root.der(), "", "", other.crl});
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(root->roles, kAnchorSealMaker | kAnchorSigner);
  EXPECT_EQ(root->maker_policies, std::vector<std::string>{std::string(kEsealMakerPolicy)});
  Platform::AnchorInput maker_in{"第二系统制章者", AnchorKind::kMakerCertificate, second.maker.der()};
  maker_in.roles = kAnchorSigner;
  auto bad = P().RegisterAnchor(op_, maker_in);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("制章者证书只能作为制章人"), std::string::npos) << bad.status().message();
  maker_in.roles.reset();
  maker_in.maker_policies = std::vector<std::string>{"1.2.3"};
  EXPECT_EQ(P().RegisterAnchor(op_, maker_in).status().code(), StatusCode::kInvalidArgument);
  maker_in.maker_policies.reset();
  auto maker = P().RegisterAnchor(op_, maker_in);
  ASSERT_TRUE(maker.ok()) << maker.status().ToString();
  EXPECT_EQ(maker->roles, kAnchorSealMaker);
  EXPECT_TRUE(maker->maker_policies.empty());
  Platform::AnchorInput tsa_in{"第二系统时间戳", AnchorKind::kCaRoot, second.root.der()};
  tsa_in.roles = kAnchorTsa;
  tsa_in.maker_policies = std::vector<std::string>{"not an oid"};
  EXPECT_EQ(P().RegisterAnchor(op_, tsa_in).status().code(), StatusCode::kInvalidArgument);
  tsa_in.maker_policies.reset();
  tsa_in.intermediates = {second.issuing.der()};
  auto tsa = P().RegisterAnchor(op_, tsa_in);
  ASSERT_TRUE(tsa.ok()) << tsa.status().ToString();
  EXPECT_EQ(tsa->roles, kAnchorTsa);

  // Changing roles: operator only, at least one, audited with before and after.
  EXPECT_EQ(P().SetAnchorRoles(vendor, root->id, kAnchorSigner, std::nullopt).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(P().SetAnchorRoles(op_, root->id, 0, std::nullopt).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(P().SetAnchorRoles(op_, "anc_none", kAnchorSigner, std::nullopt).status().code(), StatusCode::kNotFound);
  auto signer_only = P().SetAnchorRoles(op_, root->id, kAnchorSigner | kAnchorTsa, std::nullopt);
  ASSERT_TRUE(signer_only.ok()) << signer_only.status().ToString();
  EXPECT_EQ(signer_only->roles, kAnchorSigner | kAnchorTsa);
  EXPECT_TRUE(signer_only->maker_policies.empty());
  auto audit = P().ListAudit(op_, 0, 1000);
  ASSERT_TRUE(audit.ok());
  ASSERT_FALSE(audit->empty());
  const AuditEntry& last = audit->back();
  EXPECT_EQ(last.action, "anchor.roles_changed");
  EXPECT_EQ(last.object_id, root->id);
  auto details = nlohmann::json::parse(last.details_json);
  EXPECT_EQ(details["roles_before"], "seal_maker,signer");
  EXPECT_EQ(details["roles"], "signer,tsa");

  // A root that vouches only for signers does not vouch for the maker of a seal to be filed.
  auto refused = P().FileSeal(vendor, other.seal.der, h.uscc, "contract");
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition) << refused.status().ToString();

  // Back to seal maker: the maker policy comes back as eseal's unless others are named.
  auto again = P().SetAnchorRoles(op_, root->id, kAnchorSealMaker | kAnchorSigner, std::nullopt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->maker_policies, std::vector<std::string>{std::string(kEsealMakerPolicy)});
  auto custom = P().SetAnchorRoles(op_, root->id, kAnchorSealMaker | kAnchorSigner,
                                   std::vector<std::string>{"1.2.156.1.2", "1.3.6.1.4.1.32473.1.1"});
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ(custom->maker_policies, (std::vector<std::string>{"1.2.156.1.2", "1.3.6.1.4.1.32473.1.1"}));
  auto listed = P().ListAnchors(op_, Page{});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  for (const TrustAnchorRecord& a : *listed) {
    if (a.id != root->id) continue;
    EXPECT_EQ(a.roles, kAnchorSealMaker | kAnchorSigner);
    EXPECT_EQ(a.maker_policies, custom->maker_policies);
  }

  // The validation policy: this platform's root (signer) and maker certificate (seal maker),
  // its issuing CA as an intermediate, and each active anchor with its roles.
  ASSERT_TRUE(P().DeactivateAnchor(op_, maker->id).ok());
  EXPECT_EQ(P().SetAnchorRoles(op_, maker->id, kAnchorSealMaker, std::nullopt).status().code(),
            StatusCode::kFailedPrecondition);
  auto& impl = static_cast<PlatformImpl&>(P());
  auto policy = impl.ValidationPolicyNow(clock_.Now());
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  ASSERT_EQ(policy->anchors.size(), 5u);  // the deactivated maker certificate is not there
  EXPECT_EQ(policy->anchors[0].certificate.der(), impl.identity().root.der());
  EXPECT_EQ(policy->anchors[0].roles, verify::RolesOf(verify::Role::kSigner));
  EXPECT_EQ(policy->anchors[1].certificate.der(), impl.identity().maker.cert.der());
  EXPECT_EQ(policy->anchors[1].roles, verify::RolesOf(verify::Role::kSealMaker));
  EXPECT_TRUE(policy->anchors[1].maker_policies.empty());
  // Its TSA, pinned, for time only.
  EXPECT_EQ(policy->anchors[2].certificate.der(), impl.Tsa()->keyed.cert.der());
  EXPECT_EQ(policy->anchors[2].roles, verify::RolesOf(verify::Role::kTsa));
  auto find = [&](const x509::Certificate& c) -> const verify::Anchor* {
    for (const verify::Anchor& a : policy->anchors) {
      if (a.certificate.der() == c.der()) return &a;
    }
    return nullptr;
  };
  const verify::Anchor* their_root = find(other.root);
  ASSERT_NE(their_root, nullptr);
  EXPECT_EQ(their_root->label, "角色测试系统");
  EXPECT_EQ(their_root->roles, kAnchorSealMaker | kAnchorSigner);
  ASSERT_EQ(their_root->maker_policies.size(), 2u);
  EXPECT_EQ(their_root->maker_policies[1], x509::SealMakerPolicy());
  const verify::Anchor* their_tsa = find(second.root);
  ASSERT_NE(their_tsa, nullptr);
  EXPECT_EQ(their_tsa->roles, verify::RolesOf(verify::Role::kTsa));
  bool has_issuing = false, has_second_issuing = false;
  for (const x509::Certificate& c : policy->intermediates) {
    has_issuing = has_issuing || c.der() == impl.identity().issuing.cert.der();
    has_second_issuing = has_second_issuing || c.der() == second.issuing.der();
  }
  EXPECT_TRUE(has_issuing);
  EXPECT_TRUE(has_second_issuing);
  EXPECT_GE(policy->crls.size(), 3u);  // the platform's two and the other system's
  EXPECT_EQ(policy->time.now, clock_.Now());
}

TEST_P(IntegrationTest, ASecondActiveContractSealIsRefusedWhenThePlatformMadeTheFirst) {
  Holder h = MakeHolder(1, "重复备案测试有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Seal mine = MakeSeal(admin, "contract");
  Caller vendor = ApprovedClient(ClientType::kVendor, "另一系统");
  OtherSystem other(h, clock_.Now());
  auto anchor = P().RegisterAnchor(op_, Platform::AnchorInput{"另一系统", AnchorKind::kCaRoot, other.root.der(), "", "", other.crl});
  ASSERT_TRUE(anchor.ok());
  ASSERT_TRUE(P().RegisterVendorMaker(op_, vendor.client_id, anchor->id).ok());
  auto dup = P().FileSeal(vendor, other.seal.der, h.uscc, "contract");
  ASSERT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(dup.status().message().find(mine.esid), std::string::npos) << "the existing seal is named";
}

TEST_P(IntegrationTest, UseApprovalSignsOnceWithinItsWindow) {
  Holder h = MakeHolder(1, "用章审批有限公司");
  Caller admin = Account(Role::kHolderAdmin, h.id);
  Caller clerk = Account(Role::kHolderUser, h.id);
  Seal seal = MakeSeal(admin, "contract");
  ASSERT_TRUE(P().GrantSeal(admin, SealGrant{seal.id, clerk.account_id, true, false}).ok());
  ASSERT_TRUE(P().SetRequiresApproval(admin, seal.id, true).ok());
  Bytes doc = LoadShared("unsigned/helloworld.ofd");
  std::string hash = HexEncode(crypto::Sm3Bytes(doc));
  EXPECT_EQ(Sign(clerk, seal, "correct horse").status().code(), StatusCode::kFailedPrecondition);

  auto req = P().RequestUse(clerk, Platform::UseRequestInput{seal.id, hash, "签订采购合同"});
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_EQ(P().DecideUse(clerk, req->id, true, "", Time{}).status().code(), StatusCode::kPermissionDenied);
  auto approved = P().DecideUse(admin, req->id, true, "同意", clock_.Now() + std::chrono::hours(2));
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();

  Platform::SignInput in;
  in.seal = seal.id;
  in.password = Pw("correct horse");
  in.document = doc;
  in.usage_request_id = req->id;
  in.placement.positions.push_back(sign::PagePosition{1, 50, 50});
  auto out = P().SignDocument(clerk, std::move(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->record.request_id, req->id);
  // Once only.
  Platform::SignInput again;
  again.seal = seal.id;
  again.password = Pw("correct horse");
  again.document = doc;
  again.usage_request_id = req->id;
  again.placement.positions.push_back(sign::PagePosition{1, 50, 50});
  EXPECT_EQ(P().SignDocument(clerk, std::move(again)).status().code(), StatusCode::kFailedPrecondition);
  // Another document, or after the window, is refused.
  auto req2 = P().RequestUse(clerk, Platform::UseRequestInput{seal.id, std::string(64, 'a'), "另一份"});
  ASSERT_TRUE(P().DecideUse(admin, req2->id, true, "同意", clock_.Now() + std::chrono::hours(1)).ok());
  Platform::SignInput other_doc;
  other_doc.seal = seal.id;
  other_doc.password = Pw("correct horse");
  other_doc.document = doc;
  other_doc.usage_request_id = req2->id;
  other_doc.placement.positions.push_back(sign::PagePosition{1, 50, 50});
  EXPECT_EQ(P().SignDocument(clerk, std::move(other_doc)).status().code(), StatusCode::kFailedPrecondition);
  auto register_list = P().ListUsageRequests(admin, seal.id, Page{});
  ASSERT_TRUE(register_list.ok());
  EXPECT_EQ(register_list->size(), 2u);
}

ESEAL_PLATFORM_BACKENDS(IntegrationTest);

}  // namespace
}  // namespace eseal::platform::testing
