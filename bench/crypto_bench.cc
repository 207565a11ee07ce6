// Crypto speed: our interface against raw OpenSSL EVP calls on the same machine, so the
// cost of the wrapper (fresh contexts, ID setting, copies) is visible. When the ses module
// is part of the build, bench/ses_bench.cc adds SES_Signature build+sign and parse+verify
// to this binary, each beside the raw EVP operations it performs (bench/CMakeLists.txt).
//   bench_crypto --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// Results and how to read them: docs/benchmarks.md.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "eseal/crypto/kek.h"
#include "eseal/crypto/key_protection.h"
#include "eseal/crypto/random.h"
#include "eseal/crypto/sm2.h"
#include "eseal/crypto/sm3.h"
#include "eseal/crypto/sm4.h"
#include "raw_evp.h"
// Private to the crypto module; only for BM_Sm3Many_*, which force and name the lane code.
#include "../src/crypto/sm3_internal.h"

namespace {

using namespace eseal;
using namespace eseal::crypto;

const Sm2PrivateKey& Key() {
  static const Sm2PrivateKey* key = [] {
    auto k = Sm2PrivateKey::Generate();
    if (!k.ok()) std::abort();
    return new Sm2PrivateKey(std::move(*k));
  }();
  return *key;
}

// The same key as a plain OpenSSL EVP_PKEY (read from our PKCS#8).
EVP_PKEY* EvpKey() {
  static EVP_PKEY* pkey = bench::EvpPrivateKey(Key());
  return pkey;
}

const Bytes& Message() {
  static const Bytes msg(256, 0x61);
  return msg;
}

// Operations per second as a column of its own (the median of the repetitions is what
// docs/benchmarks.md quotes).
void OpsRate(benchmark::State& state) {
  state.counters["ops/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Sm2Sign_Ours(benchmark::State& state) {
  for (auto _ : state) {
    auto sig = Key().Sign(Message());
    benchmark::DoNotOptimize(sig);
  }
  OpsRate(state);
}
BENCHMARK(BM_Sm2Sign_Ours);

void BM_Sm2Sign_RawEvp(benchmark::State& state) {
  EVP_PKEY* pkey = EvpKey();
  for (auto _ : state) {
    Bytes sig = bench::EvpSign(pkey, Message());
    benchmark::DoNotOptimize(sig);
  }
  OpsRate(state);
}
BENCHMARK(BM_Sm2Sign_RawEvp);

// One-shot: a key object made from the point each time (validation on the curve, Z_A), so
// no per-key table exists — what verifying a signature from an unseen key costs.
void BM_Sm2Verify_Ours(benchmark::State& state) {
  auto sig = Key().Sign(Message());
  if (!sig.ok()) std::abort();
  const Bytes point = Key().PublicKey().Point();
  for (auto _ : state) {
    auto pub = Sm2PublicKey::FromPoint(point);
    if (!pub.ok() || !pub->Verify(Message(), *sig)) std::abort();
  }
  OpsRate(state);
}
BENCHMARK(BM_Sm2Verify_Ours);

// The same key object again and again (a seal or CA key the verification cache keeps): after
// 16 verifications it has its own fixed-base table.
void BM_Sm2Verify_OursHotKey(benchmark::State& state) {
  auto sig = Key().Sign(Message());
  if (!sig.ok()) std::abort();
  for (auto _ : state) {
    if (!Key().PublicKey().Verify(Message(), *sig)) std::abort();
  }
  OpsRate(state);
}
BENCHMARK(BM_Sm2Verify_OursHotKey);

void BM_Sm2Verify_RawEvp(benchmark::State& state) {
  EVP_PKEY* pkey = EvpKey();
  Bytes sig = bench::EvpSign(pkey, Message());
  for (auto _ : state) {
    if (!bench::EvpVerify(pkey, Message(), sig)) std::abort();
  }
  OpsRate(state);
}
BENCHMARK(BM_Sm2Verify_RawEvp);

void SetBytes(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

// SM3: ours (src/crypto/sm3.cc, portable C++) against OpenSSL's EVP_sm3 one-shot.
void BM_Sm3_Ours(benchmark::State& state) {
  Bytes data(static_cast<size_t>(state.range(0)), 0x5A);
  for (auto _ : state) benchmark::DoNotOptimize(Sm3::Hash(data));
  SetBytes(state);
}
BENCHMARK(BM_Sm3_Ours)->Arg(64)->Arg(1024)->Arg(1 << 20);

void BM_Sm3_RawEvp(benchmark::State& state) {
  Bytes data(static_cast<size_t>(state.range(0)), 0x5A);
  const EVP_MD* md = EVP_sm3();
  unsigned char out[32];
  unsigned int len = 0;
  for (auto _ : state) {
    if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1) std::abort();
    benchmark::DoNotOptimize(out);
  }
  SetBytes(state);
}
BENCHMARK(BM_Sm3_RawEvp)->Arg(64)->Arg(1024)->Arg(1 << 20);

// Many files at once: range(0) messages of range(1) bytes each (distinct buffers, so
// nothing is shared in cache beyond what real files would share). _Ours is Sm3HashMany
// (sixteen AVX-512 or eight AVX-512VL/AVX2 lanes where the CPU has them), _OneByOne our Sm3::Hash in a
// loop, _RawEvp OpenSSL's EVP_Digest in a loop. Bytes/s counts all messages.
struct ManyInputs {
  std::vector<Bytes> msgs;
  std::vector<ByteView> views;
  std::vector<Sm3Digest> out;
  explicit ManyInputs(const benchmark::State& state) {
    const auto n = static_cast<size_t>(state.range(0));
    const auto len = static_cast<size_t>(state.range(1));
    for (size_t i = 0; i < n; ++i) msgs.emplace_back(len, static_cast<uint8_t>(i));
    views.assign(msgs.begin(), msgs.end());
    out.resize(n);
  }
};

void SetManyBytes(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0) *
                          state.range(1));
}

// Sm3HashMany's code forced to `pref` (kBest: what Sm3HashMany itself uses), labelled with
// the code that ran, so one run shows what a CPU with only AVX2 or AVX-512VL would get.
void Sm3ManyForced(benchmark::State& state, crypto::internal::LanePreference pref) {
  ManyInputs in(state);
  std::vector<const uint8_t*> data;
  std::vector<size_t> len;
  for (const auto& v : in.views) data.push_back(v.data()), len.push_back(v.size());
  for (auto _ : state) {
    crypto::internal::Sm3HashManyImpl(data.data(), len.data(), data.size(),
                                      reinterpret_cast<uint8_t(*)[32]>(in.out.data()), pref);
    benchmark::DoNotOptimize(in.out.data());
  }
  SetManyBytes(state);
  state.SetLabel(crypto::internal::Sm3HashManyCode(pref, data.size()));
}

void BM_Sm3Many_Ours(benchmark::State& state) {
  ManyInputs in(state);
  for (auto _ : state) {
    Sm3HashMany(in.views, in.out);
    benchmark::DoNotOptimize(in.out.data());
  }
  SetManyBytes(state);
  state.SetLabel(crypto::internal::Sm3HashManyCode(crypto::internal::LanePreference::kBest,
                                                   in.views.size()));
}

void BM_Sm3Many_Avx512Vl(benchmark::State& state) {
  Sm3ManyForced(state, crypto::internal::LanePreference::kAvx512Vl);
}

void BM_Sm3Many_Avx2(benchmark::State& state) {
  Sm3ManyForced(state, crypto::internal::LanePreference::kAvx2);
}

void BM_Sm3Many_OneByOne(benchmark::State& state) {
  ManyInputs in(state);
  for (auto _ : state) {
    for (size_t i = 0; i < in.views.size(); ++i) in.out[i] = Sm3::Hash(in.views[i]);
    benchmark::DoNotOptimize(in.out.data());
  }
  SetManyBytes(state);
}

void BM_Sm3Many_RawEvp(benchmark::State& state) {
  ManyInputs in(state);
  const EVP_MD* md = EVP_sm3();
  unsigned int len = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < in.views.size(); ++i) {
      if (EVP_Digest(in.views[i].data(), in.views[i].size(), in.out[i].data(), &len, md,
                     nullptr) != 1) {
        std::abort();
      }
    }
    benchmark::DoNotOptimize(in.out.data());
  }
  SetManyBytes(state);
}

#define ESEAL_SM3_MANY_ARGS \
  ->Args({64, 64})->Args({64, 1024})->Args({64, 16 << 10})->Args({8, 1 << 20})
BENCHMARK(BM_Sm3Many_Ours) ESEAL_SM3_MANY_ARGS;
BENCHMARK(BM_Sm3Many_Avx512Vl) ESEAL_SM3_MANY_ARGS;
BENCHMARK(BM_Sm3Many_Avx2) ESEAL_SM3_MANY_ARGS;
BENCHMARK(BM_Sm3Many_OneByOne) ESEAL_SM3_MANY_ARGS;
BENCHMARK(BM_Sm3Many_RawEvp) ESEAL_SM3_MANY_ARGS;
#undef ESEAL_SM3_MANY_ARGS

const Bytes kKey(16, 0x01), kIv(16, 0x02), kNonce(12, 0x03);

void BM_Sm4Cbc_Ours(benchmark::State& state) {
  Bytes data(static_cast<size_t>(state.range(0)), 0x5A);
  for (auto _ : state) benchmark::DoNotOptimize(Sm4CbcEncrypt(kKey, kIv, data));
  SetBytes(state);
}
BENCHMARK(BM_Sm4Cbc_Ours)->Arg(1024)->Arg(1 << 20);

void BM_Sm4Ctr_Ours(benchmark::State& state) {
  Bytes data(static_cast<size_t>(state.range(0)), 0x5A);
  for (auto _ : state) benchmark::DoNotOptimize(Sm4Ctr(kKey, kIv, data));
  SetBytes(state);
}
BENCHMARK(BM_Sm4Ctr_Ours)->Arg(1024)->Arg(1 << 20);

void BM_Sm4GcmSeal_Ours(benchmark::State& state) {
  Bytes data(static_cast<size_t>(state.range(0)), 0x5A);
  for (auto _ : state) benchmark::DoNotOptimize(Sm4GcmSeal(kKey, kNonce, {}, data));
  SetBytes(state);
}
BENCHMARK(BM_Sm4GcmSeal_Ours)->Arg(1024)->Arg(1 << 20);

void BM_Sm4GcmOpen_Ours(benchmark::State& state) {
  Bytes data(static_cast<size_t>(state.range(0)), 0x5A);
  auto sealed = Sm4GcmSeal(kKey, kNonce, {}, data);
  if (!sealed.ok()) std::abort();
  for (auto _ : state) benchmark::DoNotOptimize(Sm4GcmOpen(kKey, kNonce, {}, *sealed));
  SetBytes(state);
}
BENCHMARK(BM_Sm4GcmOpen_Ours)->Arg(1024)->Arg(1 << 20);

// Key custody: every platform signature first unwraps the seal's private key, which runs
// PBKDF2-HMAC-SM3 over the protection password (200,000 iterations: the platform's
// default, include/eseal/platform/platform.h, which `eseal serve` does not change), one
// HMAC-SM3 with the KEK and one SM4-GCM open. These show that cost beside raw OpenSSL's
// PBKDF2 with SM3, so the HTTP sign figures can be read against it.
constexpr uint32_t kPlatformIterations = 200000;
const Bytes kSalt(16, 7);
constexpr std::string_view kPassword = "correct horse battery staple";

void BM_Pbkdf2HmacSm3_200k(benchmark::State& state) {
  for (auto _ : state) {
    auto k = Pbkdf2HmacSm3(AsBytes(kPassword), kSalt, kPlatformIterations, 32);
    benchmark::DoNotOptimize(k);
  }
  OpsRate(state);
}
BENCHMARK(BM_Pbkdf2HmacSm3_200k)->Unit(benchmark::kMillisecond);

void BM_Pbkdf2HmacSm3_200k_RawEvp(benchmark::State& state) {
  unsigned char out[32];
  for (auto _ : state) {
    if (PKCS5_PBKDF2_HMAC(kPassword.data(), static_cast<int>(kPassword.size()), kSalt.data(),
                          static_cast<int>(kSalt.size()), static_cast<int>(kPlatformIterations),
                          EVP_sm3(), sizeof out, out) != 1) {
      std::abort();
    }
    benchmark::DoNotOptimize(out);
  }
  OpsRate(state);
}
BENCHMARK(BM_Pbkdf2HmacSm3_200k_RawEvp)->Unit(benchmark::kMillisecond);

// One key unwrap exactly as the platform does it before a signature (with a KEK).
void BM_KeyUnwrap_200k(benchmark::State& state) {
  std::unique_ptr<FileKek> kek = FileKek::FromBytes(Bytes(32, 0x42));
  KeyProtectionOptions o;
  o.iterations = kPlatformIterations;
  auto blob = ProtectPrivateKey(Key(), AsBytes(kPassword), kek.get(), SystemRng(), o);
  if (!blob.ok()) std::abort();
  for (auto _ : state) {
    auto k = UnprotectPrivateKey(*blob, AsBytes(kPassword), kek.get());
    if (!k.ok()) std::abort();
    benchmark::DoNotOptimize(k);
  }
  OpsRate(state);
}
BENCHMARK(BM_KeyUnwrap_200k)->Unit(benchmark::kMillisecond);

}  // namespace
