// Timestamp tokens (时间戳, issue 10): how many tokens eseal's TSA makes per second on one
// core, beside the raw SM2 sign rate of BM_Sm2Sign_RawEvp in the same binary (a token is
// one SM2 signature plus SM3 and DER; the aim is at least half the raw rate), and what
// verifying a token costs. Run: build/src/crypto/bench_crypto --benchmark_filter='Tsa|Sm2Sign'
#include <benchmark/benchmark.h>

#include <memory>

#include "eseal/base/clock.h"
#include "eseal/crypto/random.h"
#include "eseal/crypto/sm2.h"
#include "eseal/crypto/sm3.h"
#include "eseal/tsp/authority.h"
#include "eseal/tsp/timestamp_request.h"
#include "eseal/tsp/timestamp_token.h"
#include "eseal/x509/ca.h"

namespace {

using namespace eseal;

template <typename T>
T MustT(Result<T> r) {
  if (!r.ok()) std::abort();
  return *std::move(r);
}

struct TsaWorld {
  crypto::Sm2PrivateKey root_key = MustT(crypto::Sm2PrivateKey::Generate());
  std::shared_ptr<crypto::Sm2PrivateKey> tsa_key =
      std::make_shared<crypto::Sm2PrivateKey>(MustT(crypto::Sm2PrivateKey::Generate()));
  x509::Certificate root, tsa_cert;
  FixedClock clock{MustT(ParseTime("2026-11-23T09:30:00Z"))};
  tsp::RandomSerialSource serials{crypto::SystemRng()};
  std::unique_ptr<tsp::TimestampAuthority> tsa;
  Bytes imprint = crypto::Sm3Bytes(ToBytes("a signature value"));
  Bytes request;
  x509::TrustStore anchors;

  TsaWorld() {
    Rng& rng = crypto::SystemRng();
    const Time from = MustT(ParseTime("2026-01-01T00:00:00Z"));
    const Time to = MustT(ParseTime("2030-01-01T00:00:00Z"));
    root = MustT(x509::MakeRootCertificate(MustT(x509::Name::Parse("C=CN,O=bench,CN=TSA bench root")),
                                           root_key, from, to, rng));
    x509::IssueRequest r{MustT(x509::Name::Parse("C=CN,O=bench,CN=TSA bench")), tsa_key->PublicKey(),
                         x509::CertificateRole::kTimestamping, from, to};
    tsa_cert = MustT(x509::IssueCertificate(root, root_key, r, rng));
    tsa = std::make_unique<tsp::TimestampAuthority>(
        MustT(tsp::TimestampAuthority::Create(tsa_key, tsa_cert, tsp::TsaOptions{}, clock, serials)));
    tsp::TimestampRequest q;
    q.hash_algorithm = asn1::oids::Sm3();
    q.hashed_message = imprint;
    q.nonce = Bytes{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
    q.cert_req = true;
    request = tsp::EncodeTimestampRequest(q);
    anchors.Add(root, "bench root");
  }
};

const TsaWorld& T() {
  static const TsaWorld* w = new TsaWorld;
  return *w;
}

void Rate(benchmark::State& state) {
  state.counters["ops/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// In-process stamping, as eseal's signing uses it.
void BM_TsaStamp_Ours(benchmark::State& state) {
  const TsaWorld& w = T();
  for (auto _ : state) {
    auto token = w.tsa->Stamp(w.imprint, asn1::oids::Sm3());
    if (!token.ok()) {
      state.SkipWithError("stamping failed");
      break;
    }
    benchmark::DoNotOptimize(token);
  }
  Rate(state);
}
BENCHMARK(BM_TsaStamp_Ours);

// A whole RFC 3161 exchange's server side: parse the request, answer with a token.
void BM_TsaRespond_Ours(benchmark::State& state) {
  const TsaWorld& w = T();
  for (auto _ : state) {
    Bytes reply = w.tsa->Respond(w.request);
    benchmark::DoNotOptimize(reply);
  }
  Rate(state);
}
BENCHMARK(BM_TsaRespond_Ours);

// Verifying a token (SM2 over the signed attributes, the TSA chain, the imprint).
void BM_TsaVerifyToken_Ours(benchmark::State& state) {
  const TsaWorld& w = T();
  Bytes token = MustT(w.tsa->Stamp(w.imprint, asn1::oids::Sm3()));
  tsp::TimestampVerifyOptions o;
  o.tsa_anchors = w.anchors;
  o.check_revocation = false;
  for (auto _ : state) {
    tsp::TimestampVerification v = tsp::VerifyTimestampToken(token, ToBytes("a signature value"), o);
    if (!v.gen_time) {
      state.SkipWithError("the token did not verify");
      break;
    }
    benchmark::DoNotOptimize(v);
  }
  Rate(state);
}
BENCHMARK(BM_TsaVerifyToken_Ours);

}  // namespace
