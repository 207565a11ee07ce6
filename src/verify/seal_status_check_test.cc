// Seal-status answers as status evidence: genuine answers, and the attacks a verifier must
// refuse — a forged maker, another system's maker, an answer about another seal with the
// same code, a replayed answer, and answers that cannot speak about the signing time. Each
// asserts the exact verdict and check id. Worlds: the sign tests' PKI and seal
// (test_world.h), the policy of test_policy.h (the world's root trusted for makers).
#include "eseal/verify/seal_status_check.h"

#include <gtest/gtest.h>

#include "eseal/ses/make.h"
#include "eseal/ses/seal_status_response.h"
#include "eseal/sign/ofd_signer.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/verify/ses_verify.h"
#include "eseal/x509/builder.h"
#include "test_policy.h"
#include "test_world.h"

namespace eseal::verify {
namespace {

using ses::SealStatus;
using sign::testing::MakeWorld;
using sign::testing::World;
using std::chrono::hours;
using std::chrono::minutes;

std::string Dump(const Report& r) {
  std::string s;
  for (const Check& c : r.checks()) {
    s += "  " + c.id + " = " + std::string(CheckResultName(c.result)) + "  " + c.detail + "\n";
  }
  return s;
}

// What an answer states; times relative to the world's signing time T.
struct Say {
  SealStatus status = SealStatus::kInForce;
  std::optional<Time> since;
  Time this_update{};
  std::optional<Bytes> nonce;
};

Bytes Answer(const World& w, const Say& say, const ses::Seal* seal = nullptr) {
  ses::SealStatusStatement st;
  st.seal = seal ? seal : &w.seal;
  st.status = say.status;
  st.since = say.since;
  st.produced_at = say.this_update;
  st.this_update = say.this_update;
  st.next_update = say.this_update + 24 * hours(1);
  st.nonce = say.nonce;
  if (say.since) st.reason = "测试";
  auto a = ses::SignSealStatusResponse(st, w.maker.der(), w.maker_key);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return a.ok() ? a->der : Bytes{};
}

class SealStatusCheckTest : public ::testing::Test {
 protected:
  World w = MakeWorld();
  ValidationPolicy policy = testing::WorldPolicy(w);  // now = T + 1 h
  Time T = w.sign_time;

  Report Check(ByteView der, bool proven = true, std::optional<ByteView> nonce = std::nullopt) {
    return VerifySealStatusResponse(der, w.seal, T, proven, policy, nonce);
  }
};

TEST_F(SealStatusCheckTest, InForceAfterProvenSigningTimePasses) {
  Report r = Check(Answer(w, {SealStatus::kInForce, {}, T + minutes(10)}));
  EXPECT_EQ(r.verdict(), Verdict::kPassed) << Dump(r);
  for (const char* id : {"status.response.parse", "status.response.signature",
                         "status.response.responder", "status.response.responder.role",
                         "status.response.seal", "status.response.freshness",
                         "status.seal_at_signing"}) {
    EXPECT_EQ(r.ResultOf(id), CheckResult::kPass) << id << "\n" << Dump(r);
  }
  EXPECT_EQ(r.ResultOf("status.response.nonce"), CheckResult::kSkipped);
}

// Someone else's key and a self-made certificate that carries the maker's name.
TEST_F(SealStatusCheckTest, ForgedMakerFailsSignatureAndResponder) {
  auto key = crypto::Sm2PrivateKey::Generate().value();
  x509::CertificateParams p;
  p.subject = w.maker.subject();
  p.issuer = w.root.subject();
  p.not_before = w.maker.not_before();
  p.not_after = w.maker.not_after();
  p.spki_der = key.PublicKey().ToSpkiDer();
  p.policies = {x509::SealMakerPolicy()};
  Bytes forged_cert = x509::BuildCertificate(p, key).value();
  ses::SealStatusData d;
  d.produced_at = d.this_update = T + minutes(10);
  d.next_update = d.this_update + hours(24);
  d.esid = w.seal.info.esid;
  d.seal_hash = ses::SealHash(w.seal);
  d.status = SealStatus::kInForce;
  auto with_cert = ses::SignSealStatusData(d, forged_cert, key, true);
  ASSERT_TRUE(with_cert.ok()) << with_cert.status().ToString();
  EXPECT_EQ(with_cert->data.responder_id, w.maker.subject().der());
  Report r = Check(with_cert->der);
  EXPECT_EQ(r.verdict(), Verdict::kFailed) << Dump(r);
  EXPECT_EQ(r.ResultOf("status.response.signature"), CheckResult::kFail) << Dump(r);
  EXPECT_EQ(r.ResultOf("status.response.responder"), CheckResult::kFail) << Dump(r);
  EXPECT_EQ(r.ResultOf("status.seal_at_signing"), CheckResult::kSkipped);
  // Without a certificate the name alone matches; the signature still gives it away.
  auto bare = ses::SignSealStatusData(d, forged_cert, key, false);
  Report b = Check(bare->der);
  EXPECT_EQ(b.verdict(), Verdict::kFailed) << Dump(b);
  EXPECT_EQ(b.ResultOf("status.response.signature"), CheckResult::kFail);
  EXPECT_EQ(b.ResultOf("status.response.responder"), CheckResult::kPass);
  EXPECT_EQ(b.ResultOf("status.seal_at_signing"), CheckResult::kSkipped);
}

// Another seal system's maker (trusted as a maker too) answers for this esID: it did not
// make this seal, so its word about it counts for nothing.
TEST_F(SealStatusCheckTest, AnotherSystemsMakerFailsResponder) {
  World other = MakeWorld();
  policy.AddAnchor(other.root, "other system", RolesOf(Role::kSealMaker), {x509::SealMakerPolicy()});
  ses::SealStatusData d;
  d.produced_at = d.this_update = T + minutes(10);
  d.next_update = d.this_update + hours(24);
  d.esid = w.seal.info.esid;
  d.seal_hash = ses::SealHash(w.seal);
  d.status = SealStatus::kInForce;
  auto a = ses::SignSealStatusData(d, other.maker.der(), other.maker_key);
  ASSERT_TRUE(a.ok());
  Report r = Check(a->der);
  EXPECT_EQ(r.verdict(), Verdict::kFailed) << Dump(r);
  EXPECT_EQ(r.ResultOf("status.response.responder"), CheckResult::kFail) << Dump(r);
  EXPECT_EQ(r.ResultOf("status.response.signature"), CheckResult::kFail);
  EXPECT_EQ(r.ResultOf("status.seal_at_signing"), CheckResult::kSkipped);
}

// The same maker made another seal under the same code: its answer does not carry over.
TEST_F(SealStatusCheckTest, AnswerForAnotherSealWithTheSameEsidFails) {
  ses::SealSpec spec;
  spec.esid = w.seal.info.esid;
  spec.name = "另一枚印章";
  spec.signer_certs = {w.signer.der()};
  spec.create_date = spec.valid_start = w.seal.info.property.valid_start;
  spec.valid_end = w.seal.info.property.valid_end;
  spec.picture = w.seal.info.picture;
  ses::Seal twin = ses::MakeSeal(spec, w.maker.der(), w.maker_key).value();
  Report r = Check(Answer(w, {SealStatus::kInForce, {}, T + minutes(10)}, &twin));
  EXPECT_EQ(r.verdict(), Verdict::kFailed) << Dump(r);
  EXPECT_EQ(r.FailedIds(), std::vector<std::string>{"status.response.seal"}) << Dump(r);
  EXPECT_EQ(r.ResultOf("status.response.signature"), CheckResult::kPass);
  EXPECT_EQ(r.ResultOf("status.seal_at_signing"), CheckResult::kSkipped);
}

TEST_F(SealStatusCheckTest, ReplayedAnswerFailsNonce) {
  const Bytes old_nonce = {1, 2, 3, 4}, asked = {9, 9, 9, 9};
  Report r = Check(Answer(w, {SealStatus::kInForce, {}, T + minutes(10), old_nonce}), true,
                   ByteView(asked));
  EXPECT_EQ(r.verdict(), Verdict::kFailed) << Dump(r);
  EXPECT_EQ(r.FailedIds(), std::vector<std::string>{"status.response.nonce"}) << Dump(r);
  Report none = Check(Answer(w, {SealStatus::kInForce, {}, T + minutes(10)}), true, ByteView(asked));
  EXPECT_EQ(none.FailedIds(), std::vector<std::string>{"status.response.nonce"}) << Dump(none);
  Report good = Check(Answer(w, {SealStatus::kInForce, {}, T + minutes(10), asked}), true,
                      ByteView(asked));
  EXPECT_EQ(good.verdict(), Verdict::kPassed) << Dump(good);
  EXPECT_EQ(good.ResultOf("status.response.nonce"), CheckResult::kPass);
}

TEST_F(SealStatusCheckTest, RevokedBeforeProvenSigningTimeFails) {
  Report r = Check(Answer(w, {SealStatus::kRevoked, T - hours(24), T + minutes(10)}));
  EXPECT_EQ(r.verdict(), Verdict::kFailed) << Dump(r);
  EXPECT_EQ(r.FailedIds(), std::vector<std::string>{"status.seal_at_signing"}) << Dump(r);
  // Revocation is final: an answer from before the signing time already settles it.
  Report old = Check(Answer(w, {SealStatus::kRevoked, T - hours(48), T - hours(24)}));
  EXPECT_EQ(old.FailedIds(), std::vector<std::string>{"status.seal_at_signing"}) << Dump(old);
  // So is the very second of the revocation.
  Report same = Check(Answer(w, {SealStatus::kRevoked, T, T + minutes(10)}));
  EXPECT_EQ(same.FailedIds(), std::vector<std::string>{"status.seal_at_signing"}) << Dump(same);
}

TEST_F(SealStatusCheckTest, RevokedAfterProvenSigningTimePasses) {
  policy.time.now = T + hours(72);
  for (SealStatus s : {SealStatus::kRevoked, SealStatus::kSuspended, SealStatus::kExpired,
                       SealStatus::kHolderInactive}) {
    Report r = Check(Answer(w, {s, T + hours(24), T + hours(25)}));
    EXPECT_EQ(r.verdict(), Verdict::kPassed) << SealStatusName(s) << "\n" << Dump(r);
    EXPECT_EQ(r.ResultOf("status.seal_at_signing"), CheckResult::kPass) << SealStatusName(s);
  }
}

TEST_F(SealStatusCheckTest, SuspendedBeforeSigningFailsOnlyWhenStillSuspendedAfter) {
  Report after = Check(Answer(w, {SealStatus::kSuspended, T - hours(24), T + minutes(10)}));
  EXPECT_EQ(after.FailedIds(), std::vector<std::string>{"status.seal_at_signing"}) << Dump(after);
  Report inactive = Check(Answer(w, {SealStatus::kHolderInactive, T - hours(24), T + minutes(10)}));
  EXPECT_EQ(inactive.FailedIds(), std::vector<std::string>{"status.seal_at_signing"});
  // Known only as of before the signing time: the suspension may have been lifted.
  Report before = Check(Answer(w, {SealStatus::kSuspended, T - hours(48), T - hours(24)}));
  EXPECT_EQ(before.verdict(), Verdict::kIndeterminate) << Dump(before);
  EXPECT_EQ(before.ResultOf("status.seal_at_signing"), CheckResult::kIndeterminate);
}

TEST_F(SealStatusCheckTest, UnknownIsIndeterminate) {
  Report r = Check(Answer(w, {SealStatus::kUnknown, {}, T + minutes(10)}));
  EXPECT_EQ(r.verdict(), Verdict::kIndeterminate) << Dump(r);
  EXPECT_EQ(r.ResultOf("status.seal_at_signing"), CheckResult::kIndeterminate);
  EXPECT_TRUE(r.FailedIds().empty());
}

TEST_F(SealStatusCheckTest, InForceAnswerFromBeforeTheSigningTimeIsIndeterminate) {
  Report r = Check(Answer(w, {SealStatus::kInForce, {}, T - minutes(1)}));
  EXPECT_EQ(r.verdict(), Verdict::kIndeterminate) << Dump(r);
  EXPECT_EQ(r.ResultOf("status.seal_at_signing"), CheckResult::kIndeterminate);
  EXPECT_EQ(r.ResultOf("status.response.freshness"), CheckResult::kIndeterminate);
}

// Without a proven time the signer's claim is all there is: a revocation cannot be placed
// after it; an in-force answer counts only while it is current.
TEST_F(SealStatusCheckTest, UnprovenSigningTime) {
  Report revoked = Check(Answer(w, {SealStatus::kRevoked, T + hours(24), T + hours(25)}), false);
  EXPECT_EQ(revoked.verdict(), Verdict::kIndeterminate) << Dump(revoked);
  EXPECT_EQ(revoked.ResultOf("status.seal_at_signing"), CheckResult::kIndeterminate);
  Report current = Check(Answer(w, {SealStatus::kInForce, {}, T + minutes(10)}), false);
  EXPECT_EQ(current.verdict(), Verdict::kPassed) << Dump(current);
  policy.time.now = T + hours(72);  // past nextUpdate
  Report stale = Check(Answer(w, {SealStatus::kInForce, {}, T + minutes(10)}), false);
  EXPECT_EQ(stale.verdict(), Verdict::kIndeterminate) << Dump(stale);
  EXPECT_EQ(stale.ResultOf("status.response.freshness"), CheckResult::kIndeterminate);
}

TEST_F(SealStatusCheckTest, FutureDatedAndUnreadableAnswers) {
  Report future = Check(Answer(w, {SealStatus::kInForce, {}, T + hours(5)}));
  EXPECT_EQ(future.verdict(), Verdict::kIndeterminate) << Dump(future);
  EXPECT_EQ(future.ResultOf("status.response.freshness"), CheckResult::kIndeterminate);
  Bytes flipped = Answer(w, {SealStatus::kInForce, {}, T + minutes(10)});
  flipped[40] ^= 0x01;  // inside tbsResponseData
  Report f = Check(flipped);
  EXPECT_EQ(f.verdict(), Verdict::kFailed) << Dump(f);
  EXPECT_TRUE(f.ResultOf("status.response.parse") == CheckResult::kFail ||
              f.ResultOf("status.response.signature") == CheckResult::kFail ||
              f.ResultOf("status.response.responder") == CheckResult::kFail)
      << Dump(f);
  // Signed by the maker, but contradicting itself: nextUpdate before thisUpdate.
  ses::SealStatusData d;
  d.responder_id = w.maker.subject().der();
  d.produced_at = d.this_update = T + minutes(10);
  d.next_update = T;
  d.esid = w.seal.info.esid;
  d.seal_hash = ses::SealHash(w.seal);
  d.status = SealStatus::kInForce;
  ses::SealStatusResponse odd;
  odd.data = d;
  odd.signature_algorithm = asn1::oids::Sm2WithSm3();
  odd.signature = w.maker_key.Sign(ses::EncodeSealStatusData(d).value()).value();
  Report o = Check(ses::EncodeSealStatusResponse(odd).value());
  EXPECT_EQ(o.verdict(), Verdict::kIndeterminate) << Dump(o);
  EXPECT_EQ(o.ResultOf("status.response.freshness"), CheckResult::kIndeterminate);
  const Bytes junk = {0x30, 0x03, 0x02, 0x01, 0x01};
  Report j = Check(junk);
  EXPECT_EQ(j.FailedIds(), std::vector<std::string>{"status.response.parse"}) << Dump(j);
}

// Through the policy: VerifySesSignature and VerifyOfd pick the seal's answer up.
TEST_F(SealStatusCheckTest, PolicyAnswersJoinTheSignatureReport) {
  ses::SignSpec spec;
  spec.time = T;
  spec.data_hash = Bytes(32, 0x11);
  spec.property_info = "/Doc_0/Signs/Sign_0/Signature.xml";
  ses::Signature sig = ses::SignWithSeal(w.seal, w.signer.der(), w.signer_key, spec).value();
  const RegisteredTime reg{T, "usage_register"};

  Report plain = VerifySesSignature(sig, std::nullopt, policy, reg);
  EXPECT_EQ(plain.Find("status.seal_at_signing"), nullptr) << "no answers, no status checks";

  policy.time.now = T + hours(72);
  policy.seal_status_answers = {Answer(w, {SealStatus::kRevoked, T + hours(24), T + hours(25)})};
  Report later = VerifySesSignature(sig, std::nullopt, policy, reg);
  EXPECT_EQ(later.ResultOf("status.seal_at_signing"), CheckResult::kPass) << Dump(later);
  EXPECT_TRUE(later.FailedIds().empty()) << Dump(later);

  // An answer revoking it before the registered time, next to an older in-force one.
  policy.seal_status_answers = {Answer(w, {SealStatus::kInForce, {}, T - hours(30)}),
                                Answer(w, {SealStatus::kRevoked, T - hours(24), T + minutes(5)})};
  Report earlier = VerifySesSignature(sig, std::nullopt, policy, reg);
  EXPECT_EQ(earlier.verdict(), Verdict::kFailed);
  EXPECT_EQ(earlier.ResultOf("status.seal_at_signing"), CheckResult::kFail) << Dump(earlier);

  ses::Seal other = w.seal;
  other.info.esid = "4501000000009999";
  policy.seal_status_answers = {Answer(w, {SealStatus::kInForce, {}, T + minutes(5)}, &other)};
  Report absent = VerifySesSignature(sig, std::nullopt, policy, reg);
  EXPECT_EQ(absent.ResultOf("status.response.absent"), CheckResult::kInfo) << Dump(absent);

  // The OFD verifier hands the same policy down.
  const Bytes unsigned_doc =
      sign::testing::MustRead(sign::testing::Shared("ofdrw/unsigned/helloworld.ofd"));
  sign::OfdSignRequest req = sign::testing::Request(w, unsigned_doc);  // holds a view
  req.placement.positions = {{1, 30, 40}};
  auto doc = sign::SignOfd(req);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  OfdVerifyOptions o;
  o.policy = policy;
  o.policy.seal_status_answers = {Answer(w, {SealStatus::kRevoked, T - hours(24), T + minutes(5)})};
  o.on_record = [&](const ses::Signature&) { return RecordFacts{{}, reg}; };
  auto v = VerifyOfd(doc->document, o);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(v->signatures.size(), 1u);
  EXPECT_EQ(v->signatures[0].report.ResultOf("status.seal_at_signing"), CheckResult::kFail)
      << Dump(v->signatures[0].report);
  EXPECT_EQ(v->verdict(), Verdict::kFailed);
}

}  // namespace
}  // namespace eseal::verify
