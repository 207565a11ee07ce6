// ProofCache under ValidateChain: what a second validation of a chain costs, that the
// report is the one a validation without the cache gives, and that nothing the cache keeps
// can stand in for an anchor, a CRL, a time or a forged certificate. Work is counted with
// crypto::Sm2VerifyCount (this thread), never timed.
#include "eseal/x509/proof_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "eseal/x509/builder.h"
#include "eseal/x509/chain.h"
#include "test_util.h"

namespace eseal::x509 {
namespace {

using namespace eseal::x509::testing;

// Every check with its result, detail and parameters: two reports that dump alike are the
// same report.
std::string DumpAll(const Report& r) {
  std::string out = std::string(VerdictName(r.verdict())) + "\n";
  for (const Check& c : r.checks()) {
    out += c.id + " " + std::string(CheckResultName(c.result)) + ": " + c.detail;
    for (const auto& [k, v] : c.params) out += " [" + k + "=" + v + "]";
    out += "\n";
  }
  return out;
}

struct Counted {
  ChainResult result;
  uint64_t sm2 = 0;
};

class ProofCacheTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    keys_ = new Keys{NewKey(), NewKey(), NewKey(), NewKey(), NewKey()};
  }
  static void TearDownTestSuite() {
    delete keys_;
    keys_ = nullptr;
  }

  void SetUp() override {
    root_name_ = N("CN=Cache Root,O=eseal,C=CN");
    ca_name_ = N("CN=Cache Issuing CA,O=eseal,C=CN");
    root_ =
        Build(CaParams(root_name_, root_name_, keys_->root.PublicKey(), keys_->root.PublicKey()),
              keys_->root);
    ca_ = Build(CaParams(root_name_, ca_name_, keys_->ca.PublicKey(), keys_->root.PublicKey(), 0),
                keys_->root);
    leaf_ = Build(LeafParams(ca_name_, N("CN=Cached Signer,O=eseal,C=CN"), keys_->leaf.PublicKey(),
                             keys_->ca.PublicKey()),
                  keys_->ca);
    store_.Add(root_, "cache root");
    crls_ = {MakeCrlFor(keys_->ca, ca_name_, {}, {0x01}),
             MakeCrlFor(keys_->root, root_name_, {}, {0x01})};
  }

  Crl MakeCrlFor(const crypto::Sm2Signer& signer, const Name& issuer,
                 std::vector<CrlEntryParams> entries, Bytes number) {
    CrlParams p;
    p.issuer = issuer;
    p.this_update = T(2026, 6, 1);
    p.next_update = T(2026, 12, 1);
    p.crl_number = std::move(number);
    p.entries = std::move(entries);
    return Crl::FromDer(BuildCrl(p, signer).value()).value();
  }

  static Counted Run(const Certificate& leaf, const std::vector<Certificate>& pool,
                     const TrustStore& store, const std::vector<Crl>& crls, Time at,
                     ProofCache* cache) {
    ChainOptions o;
    o.proof_cache = cache;
    Counted c;
    const uint64_t before = crypto::Sm2VerifyCount();
    c.result = ValidateChain(leaf, pool, store, crls, at, o);
    c.sm2 = crypto::Sm2VerifyCount() - before;
    return c;
  }
  Counted Run(Time at, ProofCache* cache) { return Run(leaf_, {ca_}, store_, crls_, at, cache); }

  struct Keys {
    crypto::Sm2PrivateKey root, ca, leaf, attacker, attacker_leaf;
  };
  static Keys* keys_;
  Name root_name_, ca_name_;
  Certificate root_, ca_, leaf_;
  TrustStore store_;
  std::vector<Crl> crls_;
};
ProofCacheTest::Keys* ProofCacheTest::keys_ = nullptr;

TEST_F(ProofCacheTest, SecondValidationProvesNothingAndReportsTheSame) {
  const Time at = T(2026, 7, 1);
  ProofCache cache;
  Counted fresh = Run(at, nullptr);
  ASSERT_EQ(fresh.result.report.verdict(), Verdict::kPassed) << DumpAll(fresh.result.report);
  // Two links (leaf <- CA <- root) and two CRLs (the CA's, the root's).
  EXPECT_EQ(fresh.sm2, 4u);

  Counted first = Run(at, &cache);
  EXPECT_EQ(first.sm2, 4u);
  Counted second = Run(at, &cache);
  EXPECT_EQ(second.sm2, 0u);
  EXPECT_EQ(DumpAll(first.result.report), DumpAll(fresh.result.report));
  EXPECT_EQ(DumpAll(second.result.report), DumpAll(fresh.result.report));
  ASSERT_EQ(second.result.path.size(), 3u);
  EXPECT_EQ(second.result.path[1], ca_);
  // Four signatures and the two issuers' keys.
  EXPECT_EQ(cache.stats().entries, 6u);
}

TEST_F(ProofCacheTest, TimeIsJudgedAgainEveryTime) {
  ProofCache cache;
  ASSERT_EQ(Run(T(2026, 7, 1), &cache).result.report.verdict(), Verdict::kPassed);
  // The leaf expired on 2027-01-01; the CRLs' nextUpdate passed too.
  Counted later = Run(T(2027, 2, 1), &cache);
  Counted later_fresh = Run(T(2027, 2, 1), nullptr);
  EXPECT_EQ(later.sm2, 0u);
  EXPECT_EQ(later.result.report.verdict(), Verdict::kFailed);
  EXPECT_EQ(later.result.report.FailedIds(), std::vector<std::string>{"cert.validity"});
  EXPECT_EQ(DumpAll(later.result.report), DumpAll(later_fresh.result.report));
  // Before the leaf's notBefore.
  Counted early = Run(T(2025, 12, 1), &cache);
  EXPECT_EQ(early.result.report.verdict(), Verdict::kFailed);
  EXPECT_EQ(DumpAll(early.result.report), DumpAll(Run(T(2025, 12, 1), nullptr).result.report));
}

TEST_F(ProofCacheTest, NewCrlRevokingTheLeafIsReported) {
  ProofCache cache;
  ASSERT_EQ(Run(T(2026, 7, 1), &cache).result.report.verdict(), Verdict::kPassed);
  crls_[0] =
      MakeCrlFor(keys_->ca, ca_name_,
                 {{leaf_.serial(), T(2026, 6, 15), RevocationReason::kKeyCompromise, {}}}, {0x02});
  Counted c = Run(T(2026, 7, 1), &cache);
  EXPECT_EQ(c.sm2, 1u);  // only the new CRL's signature is new
  EXPECT_EQ(c.result.report.verdict(), Verdict::kFailed);
  EXPECT_EQ(c.result.report.FailedIds(), std::vector<std::string>{"cert.revocation"});
  EXPECT_EQ(DumpAll(c.result.report), DumpAll(Run(T(2026, 7, 1), nullptr).result.report));
  // And the old CRL, given again, is answered from the cache: no longer revoked.
  crls_[0] = MakeCrlFor(keys_->ca, ca_name_, {}, {0x01});
  EXPECT_EQ(Run(T(2026, 7, 1), &cache).result.report.verdict(), Verdict::kPassed);
}

TEST_F(ProofCacheTest, AnotherAnchorSetIsNotAnsweredFromTheCache) {
  ProofCache cache;
  ASSERT_EQ(Run(T(2026, 7, 1), &cache).result.report.verdict(), Verdict::kPassed);

  // No anchors at all.
  Counted none = Run(leaf_, {ca_}, TrustStore(), crls_, T(2026, 7, 1), &cache);
  EXPECT_EQ(none.result.report.verdict(), Verdict::kIndeterminate);
  EXPECT_EQ(none.result.report.ResultOf("cert.chain.anchor"), CheckResult::kIndeterminate);

  // Another root of the same name and key identifier: it signed nothing here.
  CertificateParams p =
      CaParams(root_name_, root_name_, keys_->attacker.PublicKey(), keys_->attacker.PublicKey());
  p.subject_key_id = KeyIdentifier(keys_->root.PublicKey());
  p.authority_key_id = p.subject_key_id;
  TrustStore other;
  other.Add(Build(p, keys_->attacker), "look-alike root");
  Counted look_alike = Run(leaf_, {ca_}, other, crls_, T(2026, 7, 1), &cache);
  // The path reaches the look-alike, whose key did not sign the CA.
  EXPECT_EQ(look_alike.result.report.verdict(), Verdict::kFailed);
  EXPECT_TRUE(look_alike.result.report.Has("cert.signature", CheckResult::kFail));
  EXPECT_EQ(DumpAll(look_alike.result.report),
            DumpAll(Run(leaf_, {ca_}, other, crls_, T(2026, 7, 1), nullptr).result.report));

  // The CA itself as the anchor: a shorter path, as without the cache.
  TrustStore ca_only;
  ca_only.Add(ca_, "issuing CA");
  Counted short_path = Run(leaf_, {}, ca_only, crls_, T(2026, 7, 1), &cache);
  EXPECT_EQ(short_path.sm2, 0u);
  EXPECT_EQ(short_path.result.path.size(), 2u);
  EXPECT_EQ(DumpAll(short_path.result.report),
            DumpAll(Run(leaf_, {}, ca_only, crls_, T(2026, 7, 1), nullptr).result.report));
}

// An attacker's CA with the genuine CA's name and key identifier, and its subscriber with
// the genuine leaf's name, serial, key identifiers and key: every byte that differs is a
// signature or the CA's key, so nothing the genuine chain proved may answer for it.
TEST_F(ProofCacheTest, ForgedChainNeverHitsTheGenuineEntries) {
  ProofCache cache;
  ASSERT_EQ(Run(T(2026, 7, 1), &cache).result.report.verdict(), Verdict::kPassed);

  CertificateParams fake_ca_params =
      CaParams(root_name_, ca_name_, keys_->attacker.PublicKey(), keys_->root.PublicKey(), 0);
  fake_ca_params.subject_key_id = KeyIdentifier(keys_->ca.PublicKey());
  const Certificate fake_ca = Build(fake_ca_params, keys_->attacker);  // not the root's signature
  CertificateParams fake_leaf_params = LeafParams(ca_name_, N("CN=Cached Signer,O=eseal,C=CN"),
                                                  keys_->leaf.PublicKey(), keys_->ca.PublicKey());
  const Certificate fake_leaf = Build(fake_leaf_params, keys_->attacker);
  ASSERT_EQ(fake_leaf.tbs_der().size(), leaf_.tbs_der().size());
  ASSERT_TRUE(std::equal(fake_leaf.tbs_der().begin(), fake_leaf.tbs_der().end(),
                         leaf_.tbs_der().begin()));  // the same TBS, another signature

  // The forged leaf with the genuine CA: its signature is the attacker's.
  const ProofCache::Stats before = cache.stats();
  Counted a = Run(fake_leaf, {ca_}, store_, crls_, T(2026, 7, 1), &cache);
  EXPECT_EQ(a.result.report.verdict(), Verdict::kFailed);
  EXPECT_TRUE(a.result.report.Has("cert.signature", CheckResult::kFail));
  EXPECT_GE(a.sm2, 1u);  // verified, not answered
  EXPECT_EQ(DumpAll(a.result.report),
            DumpAll(Run(fake_leaf, {ca_}, store_, crls_, T(2026, 7, 1), nullptr).result.report));

  // The forged leaf with the forged CA: the leaf verifies under the attacker's key, the
  // forged CA does not verify under the root's.
  Counted b = Run(fake_leaf, {fake_ca}, store_, crls_, T(2026, 7, 1), &cache);
  EXPECT_EQ(b.result.report.verdict(), Verdict::kFailed);
  EXPECT_GE(b.sm2, 1u);
  EXPECT_EQ(
      DumpAll(b.result.report),
      DumpAll(Run(fake_leaf, {fake_ca}, store_, crls_, T(2026, 7, 1), nullptr).result.report));
  // Asked again, the failures are verified again (only what verified is kept).
  Counted b2 = Run(fake_leaf, {fake_ca}, store_, crls_, T(2026, 7, 1), &cache);
  EXPECT_EQ(b2.result.report.verdict(), Verdict::kFailed);
  EXPECT_GE(b2.sm2, 1u);
  EXPECT_GT(cache.stats().misses, before.misses);
  // The genuine chain is still answered from the cache.
  EXPECT_EQ(Run(T(2026, 7, 1), &cache).sm2, 0u);
}

TEST_F(ProofCacheTest, BoundHoldsUnderManyChains) {
  ProofCache::Limits limits;
  limits.max_entries = 8;
  ProofCache cache(limits);
  for (int i = 0; i < 40; ++i) {
    CertificateParams p =
        LeafParams(ca_name_, N("CN=Signer " + std::to_string(i) + ",O=eseal,C=CN"),
                   keys_->leaf.PublicKey(), keys_->ca.PublicKey());
    p.serial = {0x30, static_cast<uint8_t>(i)};
    Counted c = Run(Build(p, keys_->ca), {ca_}, store_, crls_, T(2026, 7, 1), &cache);
    EXPECT_EQ(c.result.report.verdict(), Verdict::kPassed) << i;
    EXPECT_LE(cache.stats().entries, 8u);
  }
  const ProofCache::Stats s = cache.stats();
  EXPECT_LE(s.entries, 8u);
  EXPECT_GE(s.evictions, 30u);

  ProofCache::Limits by_bytes;
  by_bytes.max_bytes = 4096;
  ProofCache small(by_bytes);
  for (int i = 0; i < 10; ++i) {
    CertificateParams p =
        LeafParams(ca_name_, N("CN=Signer " + std::to_string(i) + ",O=eseal,C=CN"),
                   keys_->leaf.PublicKey(), keys_->ca.PublicKey());
    p.serial = {0x31, static_cast<uint8_t>(i)};
    EXPECT_EQ(Run(Build(p, keys_->ca), {ca_}, store_, crls_, T(2026, 7, 1), &small)
                  .result.report.verdict(),
              Verdict::kPassed);
    EXPECT_LE(small.stats().bytes, 4096u);
  }

  // An item over max_entry_bytes is verified every time and never kept.
  ProofCache::Limits tiny;
  tiny.max_entry_bytes = 64;
  ProofCache none_kept(tiny);
  EXPECT_EQ(Run(T(2026, 7, 1), &none_kept).sm2, 4u);
  EXPECT_EQ(Run(T(2026, 7, 1), &none_kept).sm2, 4u);
  EXPECT_EQ(none_kept.stats().entries, 0u);
}

// Several threads validating the genuine chain, a revoked variant and a forged one through
// one cache, while a small bound keeps evicting: every answer is the serial answer.
TEST_F(ProofCacheTest, ThreadsShareOneCache) {
  const Time at = T(2026, 7, 1);
  CertificateParams fake = LeafParams(ca_name_, N("CN=Cached Signer,O=eseal,C=CN"),
                                      keys_->attacker_leaf.PublicKey(), keys_->ca.PublicKey());
  const Certificate forged = Build(fake, keys_->attacker);
  const std::vector<Crl> revoking = {
      MakeCrlFor(keys_->ca, ca_name_,
                 {{leaf_.serial(), T(2026, 6, 15), RevocationReason::kSuperseded, {}}}, {0x03}),
      crls_[1]};
  struct Case {
    const Certificate* leaf;
    const std::vector<Crl>* crls;
    std::string expected;
  };
  std::vector<Case> cases = {{&leaf_, &crls_, {}}, {&leaf_, &revoking, {}}, {&forged, &crls_, {}}};
  for (Case& c : cases)
    c.expected = DumpAll(Run(*c.leaf, {ca_}, store_, *c.crls, at, nullptr).result.report);
  ASSERT_NE(cases[0].expected, cases[1].expected);

  ProofCache::Limits limits;
  limits.max_entries = 5;  // fewer than the distinct proofs: entries come and go
  ProofCache cache(limits);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 12; ++i) {
        const Case& c = cases[static_cast<size_t>(t + i) % cases.size()];
        if (DumpAll(Run(*c.leaf, {ca_}, store_, *c.crls, at, &cache).result.report) != c.expected) {
          mismatches++;
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_LE(cache.stats().entries, 5u);
}

TEST(ProofCacheUnit, KeepsOnlyWhatVerified) {
  crypto::Sm2PrivateKey key = NewKey();
  const Bytes spki = key.PublicKey().ToSpkiDer();
  const Bytes msg = {'a', 'b', 'c'};
  const Bytes sig = key.Sign(msg).value();
  ProofCache cache;
  uint64_t before = crypto::Sm2VerifyCount();
  EXPECT_TRUE(cache.VerifySm2(spki, msg, sig));
  EXPECT_TRUE(cache.VerifySm2(spki, msg, sig));
  EXPECT_EQ(crypto::Sm2VerifyCount() - before, 1u);
  // Another message, the same signature: verified (and false) every time.
  const Bytes other = {'a', 'b', 'd'};
  before = crypto::Sm2VerifyCount();
  EXPECT_FALSE(cache.VerifySm2(spki, other, sig));
  EXPECT_FALSE(cache.VerifySm2(spki, other, sig));
  EXPECT_EQ(crypto::Sm2VerifyCount() - before, 2u);
  // The parts are compared apart: moving a byte from the message into the key is a miss.
  Bytes spki_plus = spki;
  spki_plus.push_back('a');
  EXPECT_FALSE(cache.VerifySm2(spki_plus, Bytes{'b', 'c'}, sig));
  EXPECT_FALSE(cache.PublicKey(spki_plus).ok());
  // A raw r||s value (a vendor tolerance) is kept with what it was.
  const Bytes raw_sig = crypto::Sm2DerToRaw(sig).value();
  bool raw = false;
  EXPECT_TRUE(cache.VerifySm2DerOrRaw(spki, msg, raw_sig, &raw));
  EXPECT_TRUE(raw);
  before = crypto::Sm2VerifyCount();
  raw = false;
  EXPECT_TRUE(cache.VerifySm2DerOrRaw(spki, msg, raw_sig, &raw));
  EXPECT_TRUE(raw);
  EXPECT_TRUE(cache.VerifySm2DerOrRaw(spki, msg, sig, &raw));  // DER: its own entry
  EXPECT_FALSE(raw);
  EXPECT_TRUE(cache.VerifySm2DerOrRaw(spki, msg, sig, &raw));
  EXPECT_FALSE(raw);
  EXPECT_EQ(crypto::Sm2VerifyCount() - before, 1u);
  // Parsed keys are kept and equal to a fresh parse.
  EXPECT_EQ(*cache.PublicKey(spki), key.PublicKey());
  cache.Clear();
  EXPECT_EQ(cache.stats().entries, 0u);
  EXPECT_EQ(cache.stats().bytes, 0u);
}

}  // namespace
}  // namespace eseal::x509
