// Multi-buffer SM3: eight or sixteen independent messages hashed at once, one message per
// 32-bit vector lane, for hashing many package files together (Sm3HashMany).
//
// SM3's rounds are a serial chain inside one message (about seven cycles of latency per
// round, which bounds the one-message code in sm3.cc), so one message cannot use vector
// lanes; independent messages can. Each register holds the same word (A, B, ..., W_j) of
// every lane's message, and the round is the scalar round of sm3.cc with every operation
// done on all lanes (sm3_mb_lanes.inc). That file is compiled three times with target
// attributes and the best the CPU has is chosen at run time: sixteen lanes in 512-bit
// registers with AVX-512F/BW/VL, eight in 256-bit registers with AVX-512VL (both with
// one-instruction rotations and three-input logic), eight with AVX2 (each rotation two
// shifts and an OR), else the scalar loop. Measured on the 2-core EPYC of
// docs/benchmarks.md, 64 messages of 16 KiB, against our one-message code: about 6.7x
// (sixteen lanes), 3.6x (AVX-512VL) and 2.7x (AVX2).
//
// Lanes are scheduled like this: the messages are taken longest first; each lane runs its
// message's whole blocks straight from the caller's buffer, then its one or two padded tail
// blocks, and when it has finished, its digest is written and it takes the next message. A
// lane with nothing left to do reads the same block as a busy lane and its result is
// dropped. When fewer than kMinBusyLanes lanes are busy and no message waits, the rest is
// finished with the scalar code, because a mostly idle vector step costs more than scalar
// steps for the busy lanes.
#include <algorithm>
#include <cstring>
#include <numeric>
#include <utility>
#include <vector>

#include "sm3_internal.h"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define ESEAL_SM3_HAVE_AVX2 1
#include <immintrin.h>
#else
#define ESEAL_SM3_HAVE_AVX2 0
#endif

namespace eseal::crypto::internal {
namespace {

void HashOne(const uint8_t* data, size_t len, uint8_t out[32]) {
  uint32_t v[8];
  std::memcpy(v, kSm3Iv, sizeof v);
  const size_t whole = len / kSm3BlockSize;
  if (whole > 0) Sm3Compress(v, data, whole);
  uint8_t pad[2 * kSm3BlockSize];
  const size_t n = Sm3PadTail(data + whole * kSm3BlockSize, len % kSm3BlockSize, len, pad);
  Sm3Compress(v, pad, n);
  Sm3StoreDigest(v, out);
}

#if ESEAL_SM3_HAVE_AVX2

namespace avx2 {
#define ESEAL_SM3_LANES_TARGET "avx2"
#define ESEAL_SM3_LANES_KIND 0
#include "sm3_mb_lanes.inc"
#undef ESEAL_SM3_LANES_TARGET
#undef ESEAL_SM3_LANES_KIND
}  // namespace avx2

namespace avx512vl {
#define ESEAL_SM3_LANES_TARGET "avx2,avx512f,avx512vl"
#define ESEAL_SM3_LANES_KIND 1
#include "sm3_mb_lanes.inc"
#undef ESEAL_SM3_LANES_TARGET
#undef ESEAL_SM3_LANES_KIND
}  // namespace avx512vl

// GCC 12 reports -Wmaybe-uninitialized inside its own avx512fintrin.h (the self-initialised
// _mm512_undefined_epi32 of the unpack intrinsics, GCC bug 105593); nothing of ours.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
namespace avx512 {
#define ESEAL_SM3_LANES_TARGET "avx2,avx512f,avx512vl,avx512bw"
#define ESEAL_SM3_LANES_KIND 2
#include "sm3_mb_lanes.inc"
#undef ESEAL_SM3_LANES_TARGET
#undef ESEAL_SM3_LANES_KIND
}  // namespace avx512
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

using CompressFn = void (*)(uint32_t* st, const uint8_t* const* p, size_t nblocks);

// Below this many busy lanes with no message waiting, the scalar code finishes the rest.
constexpr int kMinBusyLanes = 3;

struct Lane {
  size_t msg = 0;              // index of the message in this lane
  const uint8_t* next = nullptr;
  size_t whole_left = 0;       // whole blocks still to read from the message
  uint8_t pad[2 * kSm3BlockSize];
  size_t pad_total = 0;        // padded tail blocks (1 or 2)
  size_t pad_done = 0;         // of which compressed
  bool busy = false;
};

template <int L>
void HashManyLanes(CompressFn compress, const uint8_t* const* data, const size_t* len, size_t n,
                   uint8_t (*out)[32]) {
  // Longest first, so lanes run out of work at about the same time.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return len[x] > len[y]; });
  size_t taken = 0;
  Lane lanes[L];
  alignas(64) uint32_t st[8 * L];  // st[L * i + l]: word i of lane l
  auto start = [&](int l) {
    Lane& ln = lanes[l];
    if (taken == n) {
      ln.busy = false;
      return;
    }
    const size_t m = order[taken++];
    ln.msg = m;
    ln.next = data[m];
    ln.whole_left = len[m] / kSm3BlockSize;
    ln.pad_total = Sm3PadTail(data[m] + ln.whole_left * kSm3BlockSize, len[m] % kSm3BlockSize,
                              len[m], ln.pad);
    ln.pad_done = 0;
    ln.busy = true;
    for (int i = 0; i < 8; ++i) st[L * i + l] = kSm3Iv[i];
  };
  for (int l = 0; l < L; ++l) start(l);
  for (;;) {
    int busy = 0, some_busy = -1;
    for (int l = 0; l < L; ++l) {
      if (lanes[l].busy) ++busy, some_busy = l;
    }
    if (busy == 0) break;
    if (busy < kMinBusyLanes && taken == n) {
      // Few lanes left and nothing waiting: finish them one by one.
      for (int l = 0; l < L; ++l) {
        Lane& ln = lanes[l];
        if (!ln.busy) continue;
        uint32_t v[8];
        for (int i = 0; i < 8; ++i) v[i] = st[L * i + l];
        if (ln.whole_left > 0) Sm3Compress(v, ln.next, ln.whole_left);
        Sm3Compress(v, ln.pad + ln.pad_done * kSm3BlockSize, ln.pad_total - ln.pad_done);
        Sm3StoreDigest(v, out[ln.msg]);
        ln.busy = false;
      }
      break;
    }
    // Every lane advances by the same number of blocks: as many as the busy lane with the
    // fewest contiguous blocks has (its whole blocks, else its padded tail).
    const uint8_t* p[L];
    size_t run = SIZE_MAX;
    for (int l = 0; l < L; ++l) {
      const Lane& ln = lanes[l];
      if (!ln.busy) continue;
      run = std::min(run, ln.whole_left > 0 ? ln.whole_left : ln.pad_total - ln.pad_done);
    }
    for (int l = 0; l < L; ++l) {
      const Lane& ln = lanes[l];
      const Lane& src = ln.busy ? ln : lanes[some_busy];
      p[l] = src.whole_left > 0 ? src.next : src.pad + src.pad_done * kSm3BlockSize;
    }
    compress(st, p, run);
    for (int l = 0; l < L; ++l) {
      Lane& ln = lanes[l];
      if (!ln.busy) continue;
      if (ln.whole_left > 0) {
        ln.next += run * kSm3BlockSize;
        ln.whole_left -= run;
        continue;
      }
      ln.pad_done += run;  // run is at most this lane's remaining tail blocks
      if (ln.pad_done < ln.pad_total) continue;
      uint32_t v[8];
      for (int i = 0; i < 8; ++i) v[i] = st[L * i + l];
      Sm3StoreDigest(v, out[ln.msg]);
      start(l);
    }
  }
}

#endif  // ESEAL_SM3_HAVE_AVX2

}  // namespace

namespace {
enum class LaneCode { kNone, kAvx2, kAvx512Vl, kAvx512 };
LaneCode DetectLaneCode() {
#if ESEAL_SM3_HAVE_AVX2
  static const LaneCode code = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) {
      return __builtin_cpu_supports("avx512bw") ? LaneCode::kAvx512 : LaneCode::kAvx512Vl;
    }
    return __builtin_cpu_supports("avx2") ? LaneCode::kAvx2 : LaneCode::kNone;
  }();
  return code;
#else
  return LaneCode::kNone;
#endif
}

LaneCode Chosen(LanePreference pref) {
  const LaneCode best = DetectLaneCode();
  switch (pref) {
    case LanePreference::kScalar: return LaneCode::kNone;
    case LanePreference::kAvx2: return best == LaneCode::kNone ? best : LaneCode::kAvx2;
    case LanePreference::kAvx512Vl:
      return best == LaneCode::kAvx512 ? LaneCode::kAvx512Vl : std::min(best, LaneCode::kAvx512Vl);
    case LanePreference::kBest: break;
  }
  return best;
}
// The code for a batch of n messages.
LaneCode Pick(LanePreference pref, size_t n) {
  if (n < 2) return LaneCode::kNone;
  const LaneCode code = Chosen(pref);
  // Eight messages or fewer would leave half of the sixteen lanes idle for the whole run;
  // eight lanes of the same instructions do the same work in narrower registers (measured:
  // 8 x 1 MiB ran at 1.29 GB/s in sixteen lanes, 1.45 GB/s in eight).
  if (code == LaneCode::kAvx512 && n <= 8) return LaneCode::kAvx512Vl;
  return code;
}
}  // namespace

bool Sm3HashManyUsesAvx2() { return DetectLaneCode() != LaneCode::kNone; }

const char* Sm3HashManyCode(LanePreference pref, size_t n) {
  switch (Pick(pref, n)) {
    case LaneCode::kAvx512: return "sixteen AVX-512 lanes";
    case LaneCode::kAvx512Vl: return "eight AVX-512VL lanes";
    case LaneCode::kAvx2: return "eight AVX2 lanes";
    case LaneCode::kNone: break;
  }
  return "one message at a time";
}

void Sm3HashManyImpl(const uint8_t* const* data, const size_t* len, size_t n,
                     uint8_t (*out)[32], LanePreference pref) {
#if ESEAL_SM3_HAVE_AVX2
  switch (Pick(pref, n)) {
    case LaneCode::kAvx512: return HashManyLanes<16>(avx512::Compress, data, len, n, out);
    case LaneCode::kAvx512Vl: return HashManyLanes<8>(avx512vl::Compress, data, len, n, out);
    case LaneCode::kAvx2: return HashManyLanes<8>(avx2::Compress, data, len, n, out);
    case LaneCode::kNone: break;
  }
#endif
  for (size_t i = 0; i < n; ++i) HashOne(data[i], len[i], out[i]);
}

}  // namespace eseal::crypto::internal
