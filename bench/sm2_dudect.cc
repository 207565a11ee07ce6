// A dudect-style timing test of our SM2 signing (Reparaz, Balasch, Verbauwhede, "Dude, is my
// code constant time?", 2017): time SignDigest under two classes of secret inputs — class 0
// a fixed key and nonce with many zero bits (k = 1, d = 1: the cases a leaky window or
// inversion would show), class 1 fresh random ones — interleaved at random, and compute
// Welch's t between the two timing distributions (after cropping the slowest 5%, which
// holds interrupts). |t| below 4.5 is no evidence of a secret-dependent running time; well
// above it is a leak. Timing-based, so it is a benchmark, never a test: a noisy machine can
// push |t| up, never down. valgrind's memcheck run (sm2_constant_time) is the exact check.
//   bench_sm2_dudect [samples]   (default 200000)
#include <x86intrin.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "sm2_native.h"

using namespace eseal::crypto;

int main(int argc, char** argv) {
  const int samples = argc > 1 ? std::max(1000, std::atoi(argv[1])) : 200000;
  std::mt19937_64 coin(12345);
  // All inputs are prepared before any timing, each in its own slot, so that both classes
  // touch memory the same way (preparing the random class's key between measurements made it
  // look ~0.3% slower from cache evictions alone: |t| = 28 in a first version).
  struct Input {
    sm2::SigningScalars key;
    sm2::Limbs k;
    int cls;
  };
  std::vector<Input> inputs(samples);
  uint8_t one[32] = {};
  one[31] = 1;
  for (Input& in : inputs) {
    in.cls = static_cast<int>(coin() & 1);
    if (in.cls == 0) {
      sm2::MakeSigningScalars(one, &in.key);
      in.k = sm2::Limbs{{1, 0, 0, 0}};
    } else {
      sm2::Limbs dl;
      uint8_t d[32];
      if (!sm2::RandomNonce(&in.k).ok() || !sm2::RandomNonce(&dl).ok()) return 2;
      dl.v[3] &= 0x7FFFFFFFFFFFFFFFull;
      sm2::LimbsToBytes(dl, d);
      sm2::MakeSigningScalars(d, &in.key);
    }
  }
  uint8_t e[32] = {0x5A};
  uint8_t rs[64];
  std::vector<double> t[2];
  t[0].reserve(samples);
  t[1].reserve(samples);
  for (int warm = 0; warm < 1000; ++warm) sm2::SignDigest(inputs[warm % samples].key, e, inputs[warm % samples].k, rs);
  for (const Input& in : inputs) {
    unsigned aux;
    const uint64_t start = __rdtscp(&aux);
    const bool ok = sm2::SignDigest(in.key, e, in.k, rs);
    const uint64_t stop = __rdtscp(&aux);
    if (!ok && in.cls == 0) return 3;
    t[in.cls].push_back(static_cast<double>(stop - start));
  }
  // Crop above the 95th percentile of all samples.
  std::vector<double> all(t[0]);
  all.insert(all.end(), t[1].begin(), t[1].end());
  std::nth_element(all.begin(), all.begin() + all.size() * 95 / 100, all.end());
  const double cut = all[all.size() * 95 / 100];
  double mean[2], var[2], n[2];
  for (int c = 0; c < 2; ++c) {
    double sum = 0, sq = 0, count = 0;
    for (double x : t[c]) {
      if (x > cut) continue;
      sum += x;
      sq += x * x;
      ++count;
    }
    n[c] = count;
    mean[c] = sum / count;
    var[c] = sq / count - mean[c] * mean[c];
  }
  const double welch = (mean[0] - mean[1]) / std::sqrt(var[0] / n[0] + var[1] / n[1]);
  std::printf("samples %d  fixed-class mean %.0f cycles  random-class mean %.0f cycles  |t| = %.2f  %s\n",
              samples, mean[0], mean[1], std::fabs(welch),
              std::fabs(welch) < 4.5 ? "(no evidence of a secret-dependent time)"
                                     : "(the two classes differ: look for a leak, or rerun on a quiet machine)");
  return 0;
}
