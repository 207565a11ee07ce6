// Crypto speed: our interface against raw OpenSSL EVP calls on the same machine, so the
// cost of the wrapper (fresh contexts, ID setting, copies) is visible.
//   bench_crypto --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <cstdlib>

#include "eseal/crypto/sm2.h"
#include "eseal/crypto/sm3.h"
#include "eseal/crypto/sm4.h"

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
  static EVP_PKEY* pkey = [] {
    SecretBytes der = Key().ToPkcs8Der();
    const unsigned char* p = der.data();
    EVP_PKEY* k = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size()));
    if (k == nullptr) std::abort();
    return k;
  }();
  return pkey;
}

const Bytes& Message() {
  static const Bytes msg(256, 0x61);
  return msg;
}

Bytes EvpSign(EVP_PKEY* pkey, ByteView msg) {
  EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
  EVP_MD_CTX* mctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX_set1_id(pctx, kDefaultSm2Id.data(), kDefaultSm2Id.size());
  EVP_MD_CTX_set_pkey_ctx(mctx, pctx);
  Bytes sig(80);
  size_t len = sig.size();
  if (EVP_DigestSignInit(mctx, nullptr, EVP_sm3(), nullptr, pkey) != 1 ||
      EVP_DigestSign(mctx, sig.data(), &len, msg.data(), msg.size()) != 1) {
    std::abort();
  }
  sig.resize(len);
  EVP_MD_CTX_free(mctx);
  EVP_PKEY_CTX_free(pctx);
  return sig;
}

bool EvpVerify(EVP_PKEY* pkey, ByteView msg, ByteView sig) {
  EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
  EVP_MD_CTX* mctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX_set1_id(pctx, kDefaultSm2Id.data(), kDefaultSm2Id.size());
  EVP_MD_CTX_set_pkey_ctx(mctx, pctx);
  bool ok = EVP_DigestVerifyInit(mctx, nullptr, EVP_sm3(), nullptr, pkey) == 1 &&
            EVP_DigestVerify(mctx, sig.data(), sig.size(), msg.data(), msg.size()) == 1;
  EVP_MD_CTX_free(mctx);
  EVP_PKEY_CTX_free(pctx);
  return ok;
}

void BM_Sm2Sign_Ours(benchmark::State& state) {
  for (auto _ : state) {
    auto sig = Key().Sign(Message());
    benchmark::DoNotOptimize(sig);
  }
  state.counters["ops/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Sm2Sign_Ours);

void BM_Sm2Sign_RawEvp(benchmark::State& state) {
  EVP_PKEY* pkey = EvpKey();
  for (auto _ : state) {
    Bytes sig = EvpSign(pkey, Message());
    benchmark::DoNotOptimize(sig);
  }
  state.counters["ops/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Sm2Sign_RawEvp);

void BM_Sm2Verify_Ours(benchmark::State& state) {
  auto sig = Key().Sign(Message());
  if (!sig.ok()) std::abort();
  for (auto _ : state) {
    if (!Key().PublicKey().Verify(Message(), *sig)) std::abort();
  }
  state.counters["ops/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Sm2Verify_Ours);

void BM_Sm2Verify_RawEvp(benchmark::State& state) {
  EVP_PKEY* pkey = EvpKey();
  Bytes sig = EvpSign(pkey, Message());
  for (auto _ : state) {
    if (!EvpVerify(pkey, Message(), sig)) std::abort();
  }
  state.counters["ops/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Sm2Verify_RawEvp);

void SetBytes(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

void BM_Sm3_Ours(benchmark::State& state) {
  Bytes data(static_cast<size_t>(state.range(0)), 0x5A);
  for (auto _ : state) benchmark::DoNotOptimize(Sm3::Hash(data));
  SetBytes(state);
}
BENCHMARK(BM_Sm3_Ours)->Arg(1024)->Arg(1 << 20);

void BM_Sm3_RawEvp(benchmark::State& state) {
  Bytes data(static_cast<size_t>(state.range(0)), 0x5A);
  const EVP_MD* md = EVP_sm3();
  unsigned char out[32];
  unsigned int len = 0;
  for (auto _ : state) {
    EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
    benchmark::DoNotOptimize(out);
  }
  SetBytes(state);
}
BENCHMARK(BM_Sm3_RawEvp)->Arg(1024)->Arg(1 << 20);

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

void BM_Pbkdf2HmacSm3_200k(benchmark::State& state) {
  for (auto _ : state) {
    auto k = Pbkdf2HmacSm3(AsBytes("correct horse battery staple"), Bytes(16, 7), 200000, 32);
    benchmark::DoNotOptimize(k);
  }
}
BENCHMARK(BM_Pbkdf2HmacSm3_200k)->Unit(benchmark::kMillisecond);

}  // namespace
