// Verifying many documents of one seal reuses what the first verification proved
// (issue 13 item 3, x509/proof_cache.h): the second document costs its own signature
// only — the seal's maker signature, the certificates and the CRL were proved with the
// first — and no answer differs from a verification without the cache — with a new
// CRL, another anchor set, a look-alike PKI, or several threads at once. Work is counted
// with crypto::Sm2VerifyCount on the verifying thread, never timed. Each test has its own
// ProofCache, so no count depends on another test.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "eseal/base/clock.h"
#include "eseal/crypto/random.h"
#include "eseal/crypto/sm2.h"
#include "eseal/sign/ofd_signer.h"
#include "eseal/sign/timestamper.h"
#include "eseal/tsp/authority.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/verify/report_json.h"
#include "eseal/verify/ses_verify.h"
#include "eseal/x509/ca.h"
#include "test_policy.h"
#include "test_world.h"

namespace eseal::verify {
namespace {

using sign::testing::MakeWorld;
using sign::testing::MustRead;
using sign::testing::Request;
using sign::testing::Shared;
using sign::testing::World;

struct Counted {
  OfdVerification v;
  std::string json;  // every check with its params: equal JSON, equal report
  uint64_t sm2 = 0;
};

Counted Verify(ByteView doc, const OfdVerifyOptions& o) {
  Counted c;
  const uint64_t before = crypto::Sm2VerifyCount();
  auto v = VerifyOfd(doc, o);
  c.sm2 = crypto::Sm2VerifyCount() - before;
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  if (v.ok()) c.v = *std::move(v);
  c.json = OfdVerificationToJson(c.v);
  return c;
}

OfdVerifyOptions With(OfdVerifyOptions o, std::shared_ptr<x509::ProofCache> cache) {
  o.policy.proof_cache = std::move(cache);
  return o;
}

Bytes SignWith(const World& w, const std::string& unsigned_file,
               std::optional<sign::Timestamper> stamper = std::nullopt) {
  const Bytes in = MustRead(Shared("ofdrw/unsigned/" + unsigned_file));
  sign::OfdSignRequest r = Request(w, in);
  r.placement.positions = {sign::PagePosition{1, 20, 20}};
  if (stamper) r.timestamper = *stamper;
  auto s = sign::SignOfd(r);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? s->document : Bytes{};
}

// One seal, two documents signed with it, and a third party's look-alike: another world
// whose root, maker and signer carry the same names (MakeWorld names them alike).
struct Fixture {
  World w = MakeWorld();
  World other = MakeWorld();
  Bytes doc1 = SignWith(w, "helloworld.ofd");
  Bytes doc2 = SignWith(w, "invoice-unsigned.ofd");
  Bytes other_doc = SignWith(other, "invoice-unsigned.ofd");
};

const Fixture& F() {
  static const Fixture* f = new Fixture;
  return *f;
}

TEST(OfdProofCache, SecondDocumentOfASeenSealCostsOnlyItsOwnSignature) {
  const OfdVerifyOptions uncached = With(testing::WorldOptions(F().w), nullptr);
  const Counted fresh1 = Verify(F().doc1, uncached);
  const Counted fresh2 = Verify(F().doc2, uncached);
  ASSERT_EQ(fresh1.v.verdict(), Verdict::kPassed) << OfdVerificationToText(fresh1.v, true);
  ASSERT_EQ(fresh2.v.verdict(), Verdict::kPassed);
  // Without the cache: the document signature, the maker's signature on the seal, the
  // maker and signer certificates under the root, and the root's CRL once per
  // certificate checked against it.
  EXPECT_EQ(fresh1.sm2, 6u);
  EXPECT_EQ(fresh2.sm2, 6u);

  auto cache = std::make_shared<x509::ProofCache>();
  const OfdVerifyOptions cached = With(testing::WorldOptions(F().w), cache);
  const Counted first = Verify(F().doc1, cached);
  // The CRL, proved for the maker, is not proved again for the signer.
  EXPECT_EQ(first.sm2, 5u);
  const Counted second = Verify(F().doc2, cached);
  EXPECT_EQ(second.sm2, 1u);  // the SES_Signature over TBS_Sign
  const Counted again = Verify(F().doc1, cached);
  EXPECT_EQ(again.sm2, 1u);
  EXPECT_EQ(first.json, fresh1.json);
  EXPECT_EQ(second.json, fresh2.json);
  EXPECT_EQ(again.json, fresh1.json);
}

TEST(OfdProofCache, TimestampedSecondDocumentAddsOnlyTheTokenSignature) {
  const World& w = F().w;
  tsp::testing::Pki pki = tsp::testing::MakePki();
  FixedClock clock(w.sign_time + std::chrono::seconds(25));
  tsp::RandomSerialSource serials{crypto::SystemRng()};
  tsp::TimestampAuthority tsa =
      tsp::TimestampAuthority::Create(std::make_shared<crypto::Sm2PrivateKey>(pki.tsa_key), pki.tsa,
                                      {}, clock, serials)
          .value();
  const Bytes a = SignWith(w, "helloworld.ofd", sign::LocalTimestamper(tsa));
  const Bytes b = SignWith(w, "invoice-unsigned.ofd", sign::LocalTimestamper(tsa));
  const OfdVerifyOptions base = testing::WorldWithTsa(w, pki, false);
  const Counted fresh = Verify(b, With(base, nullptr));
  ASSERT_EQ(fresh.v.verdict(), Verdict::kPassed) << OfdVerificationToText(fresh.v, true);

  auto cache = std::make_shared<x509::ProofCache>();
  const Counted first = Verify(a, With(base, cache));
  ASSERT_EQ(first.v.verdict(), Verdict::kPassed);
  const Counted second = Verify(b, With(base, cache));
  // The document signature and the token's own signature; the seal, the TSA's chain and
  // CRL were proved with the first document.
  EXPECT_EQ(second.sm2, 2u);
  EXPECT_LT(second.sm2, fresh.sm2);
  EXPECT_EQ(second.json, fresh.json);
}

TEST(OfdProofCache, NewCrlRevokingTheSignerIsReportedAtOnce) {
  const World& w = F().w;
  auto cache = std::make_shared<x509::ProofCache>();
  ASSERT_EQ(Verify(F().doc1, With(testing::WorldOptions(w), cache)).v.verdict(), Verdict::kPassed);

  // The root revokes the signer for keyCompromise; no timestamp proves the signature
  // older, so the verdict judged now is FAILED.
  OfdVerifyOptions revoked = testing::WorldOptions(w);
  x509::CrlRequest req{*ParseTime("2026-11-23T10:00:00Z"),
                       *ParseTime("2035-01-01T00:00:00Z"),
                       {0x02},
                       {{w.signer.serial(), *ParseTime("2026-11-23T10:00:00Z"),
                         x509::RevocationReason::kKeyCompromise, std::nullopt}}};
  revoked.policy.crls = {x509::MakeCrl(w.root, w.root_key, req).value()};
  const Counted c = Verify(F().doc2, With(revoked, cache));
  const Counted fresh = Verify(F().doc2, With(revoked, nullptr));
  EXPECT_EQ(c.v.verdict(), Verdict::kFailed);
  ASSERT_EQ(c.v.signatures.size(), 1u);
  EXPECT_EQ(c.v.signatures[0].report.ResultOf("signer.cert.revocation"), CheckResult::kFail);
  EXPECT_EQ(c.json, fresh.json);
  EXPECT_EQ(c.sm2, 2u);  // the document signature and the new CRL's
}

TEST(OfdProofCache, AnotherAnchorSetIsNotPassedFromTheCache) {
  const World& w = F().w;
  auto cache = std::make_shared<x509::ProofCache>();
  ASSERT_EQ(Verify(F().doc1, With(testing::WorldOptions(w), cache)).v.verdict(), Verdict::kPassed);

  // No anchors.
  OfdVerifyOptions none = testing::WorldOptions(w);
  none.policy.anchors.clear();
  const Counted a = Verify(F().doc2, With(none, cache));
  EXPECT_EQ(a.v.verdict(), Verdict::kIndeterminate);
  EXPECT_EQ(a.json, Verify(F().doc2, With(none, nullptr)).json);

  // The same root, trusted only for timestamps: it vouches for no seal maker or signer.
  OfdVerifyOptions tsa_only = testing::WorldOptions(w);
  tsa_only.policy.anchors.clear();
  tsa_only.policy.AddAnchor(w.root, "test root", RolesOf(Role::kTsa));
  const Counted b = Verify(F().doc2, With(tsa_only, cache));
  EXPECT_EQ(b.v.verdict(), Verdict::kIndeterminate);
  ASSERT_EQ(b.v.signatures.size(), 1u);
  EXPECT_EQ(b.v.signatures[0].report.ResultOf("maker.role"), CheckResult::kIndeterminate);
  EXPECT_EQ(b.json, Verify(F().doc2, With(tsa_only, nullptr)).json);

  // The other world's root (same name, another key) instead of this one's.
  OfdVerifyOptions swapped = testing::WorldOptions(F().other);
  const Counted c = Verify(F().doc2, With(swapped, cache));
  EXPECT_NE(c.v.verdict(), Verdict::kPassed);
  EXPECT_EQ(c.json, Verify(F().doc2, With(swapped, nullptr)).json);
}

// A seal whose maker signature differs in one byte is verified, not answered: the cached
// proof is of the genuine seal's bytes.
TEST(OfdProofCache, AlteredSealIsVerifiedAgain) {
  const World& w = F().w;
  ValidationPolicy policy = testing::WorldPolicy(w);
  policy.proof_cache = std::make_shared<x509::ProofCache>();
  ASSERT_EQ(VerifySeal(w.seal, w.sign_time, policy).ResultOf("ses.seal.maker_signature"),
            CheckResult::kPass);
  uint64_t before = crypto::Sm2VerifyCount();
  ASSERT_EQ(VerifySeal(w.seal, w.sign_time, policy).ResultOf("ses.seal.maker_signature"),
            CheckResult::kPass);
  EXPECT_EQ(crypto::Sm2VerifyCount() - before, 0u);  // seal and maker chain: all proved

  ses::Seal altered = w.seal;
  altered.maker_signature[altered.maker_signature.size() - 3] ^= 0x01;
  before = crypto::Sm2VerifyCount();
  const Report r = VerifySeal(altered, w.sign_time, policy);
  EXPECT_GE(crypto::Sm2VerifyCount() - before, 1u);
  EXPECT_EQ(r.ResultOf("ses.seal.maker_signature"), CheckResult::kFail);
  ValidationPolicy uncached = policy;
  uncached.proof_cache = nullptr;
  EXPECT_EQ(ReportToJson(r), ReportToJson(VerifySeal(altered, w.sign_time, uncached)));

  // Another seal: the same seal information signed anew by the maker (another value).
  ses::Seal resigned = w.seal;
  resigned.maker_signature = w.maker_key.Sign(ses::MakerSignedMessage(w.seal)).value();
  before = crypto::Sm2VerifyCount();
  EXPECT_EQ(VerifySeal(resigned, w.sign_time, policy).ResultOf("ses.seal.maker_signature"),
            CheckResult::kPass);
  EXPECT_EQ(crypto::Sm2VerifyCount() - before, 1u);
}

// A look-alike PKI (the same names on every certificate, other keys) signing under a
// policy that trusts the genuine root: the genuine proofs never answer for it.
TEST(OfdProofCache, LookAlikeChainNeverHitsTheGenuineEntries) {
  auto cache = std::make_shared<x509::ProofCache>();
  const OfdVerifyOptions o = With(testing::WorldOptions(F().w), cache);
  ASSERT_EQ(Verify(F().doc1, o).v.verdict(), Verdict::kPassed);
  ASSERT_EQ(F().other.signer.subject(), F().w.signer.subject());
  ASSERT_EQ(F().other.root.subject(), F().w.root.subject());
  const Counted forged = Verify(F().other_doc, o);
  EXPECT_NE(forged.v.verdict(), Verdict::kPassed);
  EXPECT_EQ(forged.json, Verify(F().other_doc, With(testing::WorldOptions(F().w), nullptr)).json);
  // Not one proof of the genuine world served it: it cost what it costs with an empty cache.
  const Counted alone = Verify(
      F().other_doc, With(testing::WorldOptions(F().w), std::make_shared<x509::ProofCache>()));
  EXPECT_EQ(forged.sm2, alone.sm2);
  EXPECT_GE(forged.sm2, 2u);
  // The look-alike's own signatures verify (it is a consistent PKI); it is the anchor
  // that is missing.
  ASSERT_EQ(forged.v.signatures.size(), 1u);
  EXPECT_EQ(forged.v.signatures[0].report.ResultOf("ses.signature.value"), CheckResult::kPass);
  EXPECT_EQ(forged.v.signatures[0].report.ResultOf("ses.seal.maker_signature"), CheckResult::kPass);
  // Trusting both roots, each document is PASSED through its own.
  OfdVerifyOptions both = With(testing::WorldOptions(F().w), cache);
  both.policy.AddAnchor(F().other.root, "other root",
                        RolesOf(Role::kSigner) | RolesOf(Role::kSealMaker),
                        {x509::SealMakerPolicy()});
  both.policy.crls.push_back(testing::EmptyCrl(F().other.root, F().other.root_key));
  EXPECT_EQ(Verify(F().other_doc, both).v.verdict(), Verdict::kPassed);
  EXPECT_EQ(Verify(F().doc1, both).v.verdict(), Verdict::kPassed);
}

// Threads verifying through one small cache — genuine documents, a revoking policy and
// the look-alike — give, every time, the answer of a verification without the cache.
TEST(OfdProofCache, ParallelVerificationsGiveTheSameVerdicts) {
  const World& w = F().w;
  OfdVerifyOptions revoked = testing::WorldOptions(w);
  x509::CrlRequest req{*ParseTime("2026-11-23T10:00:00Z"),
                       *ParseTime("2035-01-01T00:00:00Z"),
                       {0x03},
                       {{w.signer.serial(), *ParseTime("2026-11-23T10:00:00Z"),
                         x509::RevocationReason::kSuperseded, std::nullopt}}};
  revoked.policy.crls = {x509::MakeCrl(w.root, w.root_key, req).value()};
  struct Case {
    const Bytes* doc;
    OfdVerifyOptions options;
    std::string expected;
    Verdict verdict;
  };
  std::vector<Case> cases = {{&F().doc1, testing::WorldOptions(w), {}, {}},
                             {&F().doc2, testing::WorldOptions(w), {}, {}},
                             {&F().doc2, revoked, {}, {}},
                             {&F().other_doc, testing::WorldOptions(w), {}, {}}};
  for (Case& c : cases) {
    const Counted fresh = Verify(*c.doc, With(c.options, nullptr));
    c.expected = fresh.json;
    c.verdict = fresh.v.verdict();
  }
  EXPECT_EQ(cases[0].verdict, Verdict::kPassed);
  EXPECT_EQ(cases[2].verdict, Verdict::kIndeterminate);  // revoked, judged now, not compromised
  EXPECT_NE(cases[3].verdict, Verdict::kPassed);

  x509::ProofCache::Limits limits;
  limits.max_entries = 6;  // fewer than the proofs in play: entries come and go meanwhile
  auto cache = std::make_shared<x509::ProofCache>(limits);
  for (Case& c : cases) c.options.policy.proof_cache = cache;
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 6; ++i) {
        const Case& c = cases[static_cast<size_t>(t + i) % cases.size()];
        auto v = VerifyOfd(*c.doc, c.options);
        if (!v.ok() || OfdVerificationToJson(*v) != c.expected) mismatches++;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_LE(cache->stats().entries, 6u);
}

}  // namespace
}  // namespace eseal::verify
