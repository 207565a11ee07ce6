// The added cost of stamping an OFD signature in-process (issue 10): helloworld.ofd (1 page)
// sealed with a v4 contract seal (300 dpi picture, as bench/ofd_bench.cc signs it) without
// and with sign::LocalTimestamper over eseal's own tsp::TimestampAuthority (the SES_Signature
// timeStamp [0]), the stamping alone, and — in the same binary and run — the raw OpenSSL SM2
// signature that a token costs at heart (raw_evp.h).
//   bench_ofd --benchmark_filter=OfdStamp --benchmark_repetitions=5
//     --benchmark_report_aggregates_only=true
// Results: docs/benchmarks.md, "Stamping an OFD signature in-process".
//
// BM_OfdStamp_Paired does the three operations one after the other in every iteration (the
// order alternates) and times each with the thread's CPU clock, so that a noisy minute
// weighs on all three alike; its counters are the answer: plain_ms, stamped_ms, added_ms,
// added_pct (added / plain), added_per_raw_sign (added / one raw SM2 sign).
#include <benchmark/benchmark.h>

#include <time.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>

#include "eseal/base/clock.h"
#include "eseal/base/file.h"
#include "eseal/crypto/random.h"
#include "eseal/crypto/sm2.h"
#include "eseal/crypto/sm3.h"
#include "eseal/ses/signature.h"
#include "eseal/sign/ofd_signer.h"
#include "eseal/sign/timestamper.h"
#include "eseal/tsp/authority.h"
#include "eseal/x509/ca.h"
#include "raw_evp.h"
#include "seal_world.h"

namespace {

using namespace eseal;

using bench::Day;
using bench::Must;

struct StampWorld : bench::SealWorld {
  // The TSA: its own root and a timestamping certificate under it, as bench/tsp_bench.cc
  // makes them; its clock reads 25 s after the signing time.
  crypto::Sm2PrivateKey tsa_root_key = Must(crypto::Sm2PrivateKey::Generate());
  std::shared_ptr<crypto::Sm2PrivateKey> tsa_key =
      std::make_shared<crypto::Sm2PrivateKey>(Must(crypto::Sm2PrivateKey::Generate()));
  x509::Certificate tsa_root, tsa_cert;
  FixedClock clock{Day(2026, 11, 23) + std::chrono::seconds(25)};
  tsp::RandomSerialSource serials{crypto::SystemRng()};
  std::unique_ptr<tsp::TimestampAuthority> tsa;
  sign::Timestamper timestamper;

  Bytes one_page;
  ses::Signature unstamped;  // the SES_Signature of a plain signature of one_page
  EVP_PKEY* raw_key = nullptr;
  Bytes raw_msg = Bytes(256, 0x33);  // about the size of a token's DER(signed attributes)

  StampWorld() {
    Make("bench stamp", "4501000000000002");
    Rng& rng = crypto::SystemRng();
    const Time from = Day(2026, 1, 1), to = Day(2030, 1, 1);
    tsa_root = Must(x509::MakeRootCertificate(
        Must(x509::Name::Parse("C=CN,O=bench,CN=TSA bench root")), tsa_root_key, from, to, rng));
    x509::IssueRequest r{Must(x509::Name::Parse("C=CN,O=bench,CN=TSA bench")),
                         tsa_key->PublicKey(), x509::CertificateRole::kTimestamping, from, to};
    tsa_cert = Must(x509::IssueCertificate(tsa_root, tsa_root_key, r, rng));
    tsa = std::make_unique<tsp::TimestampAuthority>(Must(
        tsp::TimestampAuthority::Create(tsa_key, tsa_cert, tsp::TsaOptions{}, clock, serials)));
    timestamper = sign::LocalTimestamper(*tsa);
    one_page = Must(ReadFile(std::string(ESEAL_BENCH_SHARED) + "/ofdrw/unsigned/helloworld.ofd"));
    unstamped = Must(ses::ParseSignature(Must(sign::SignOfd(Request(false))).signed_value));
    raw_key = bench::EvpPrivateKey(signer_key);
  }

  sign::OfdSignRequest Request(bool stamped) const {
    sign::OfdSignRequest r;
    r.document = one_page;
    r.seal = &seal;
    r.signer_cert_der = signer.der();
    r.signer = &signer_key;
    r.time = Day(2026, 11, 23);
    r.placement.positions = {{1, 50, 50}};
    if (stamped) r.timestamper = timestamper;
    return r;
  }
};

const StampWorld& S() {
  static const StampWorld* w = new StampWorld;
  return *w;
}

void OpsRate(benchmark::State& state) {
  state.counters["ops/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void SignOnce(benchmark::State& state, bool stamped) {
  auto out = sign::SignOfd(S().Request(stamped));
  if (!out.ok()) state.SkipWithError(out.status().message().c_str());
  benchmark::DoNotOptimize(out);
}

// Signing a 1-page OFD with the v4 seal, without a token (as BM_OfdSign/1) and with one.
void BM_OfdStamp_SignPlain(benchmark::State& state) {
  S();
  for (auto _ : state) SignOnce(state, false);
  OpsRate(state);
}
BENCHMARK(BM_OfdStamp_SignPlain)->Unit(benchmark::kMillisecond);

void BM_OfdStamp_SignStamped(benchmark::State& state) {
  S();
  for (auto _ : state) SignOnce(state, true);
  OpsRate(state);
}
BENCHMARK(BM_OfdStamp_SignStamped)->Unit(benchmark::kMillisecond);

// The stamping alone. /0: the timestamper's token over the signature value (SM3 imprint,
// TSTInfo, signed attributes, one SM2 signature). /1: what SignOfd adds around it,
// sign::StampSesSignature on the unstamped SES_Signature: the token, its check (parse,
// imprint) and re-encoding the 56 KB SES_Signature with it.
void BM_OfdStamp_StampAlone(benchmark::State& state) {
  const StampWorld& w = S();
  for (auto _ : state) {
    if (state.range(0) == 0) {
      auto token = w.timestamper(w.unstamped.signature);
      if (!token.ok()) state.SkipWithError(token.status().message().c_str());
      benchmark::DoNotOptimize(token);
    } else {
      state.PauseTiming();
      ses::Signature sig = w.unstamped;
      state.ResumeTiming();
      Status s = sign::StampSesSignature(sig, w.timestamper);
      if (!s.ok()) state.SkipWithError(s.message().c_str());
      benchmark::DoNotOptimize(sig);
    }
  }
  OpsRate(state);
  state.SetLabel(state.range(0) == 0 ? "token" : "StampSesSignature");
}
BENCHMARK(BM_OfdStamp_StampAlone)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// The floor: OpenSSL's EVP_DigestSign with SM2-with-SM3 over 256 bytes, no eseal code.
void BM_OfdStamp_RawSm2Sign(benchmark::State& state) {
  const StampWorld& w = S();
  for (auto _ : state) benchmark::DoNotOptimize(bench::EvpSign(w.raw_key, w.raw_msg));
  OpsRate(state);
}
BENCHMARK(BM_OfdStamp_RawSm2Sign)->Unit(benchmark::kMicrosecond);

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The three side by side, interleaved, in one benchmark: its counters give the ratio.
void BM_OfdStamp_Paired(benchmark::State& state) {
  const StampWorld& w = S();
  double plain = 0, stamped = 0, raw = 0;
  bool plain_first = true;
  for (auto _ : state) {
    for (int k = 0; k < 2; ++k) {
      const bool do_stamped = (k == 0) != plain_first;
      const double t0 = ThreadCpuSeconds();
      SignOnce(state, do_stamped);
      (do_stamped ? stamped : plain) += ThreadCpuSeconds() - t0;
    }
    const double t0 = ThreadCpuSeconds();
    benchmark::DoNotOptimize(bench::EvpSign(w.raw_key, w.raw_msg));
    raw += ThreadCpuSeconds() - t0;
    plain_first = !plain_first;
  }
  const double n = static_cast<double>(state.iterations());
  if (n == 0) return;
  state.counters["plain_ms"] = 1e3 * plain / n;
  state.counters["stamped_ms"] = 1e3 * stamped / n;
  state.counters["raw_sign_ms"] = 1e3 * raw / n;
  state.counters["added_ms"] = 1e3 * (stamped - plain) / n;
  state.counters["added_pct"] = 100 * (stamped - plain) / plain;
  state.counters["added_per_raw_sign"] = (stamped - plain) / raw;
}
BENCHMARK(BM_OfdStamp_Paired)->Unit(benchmark::kMillisecond);

}  // namespace
