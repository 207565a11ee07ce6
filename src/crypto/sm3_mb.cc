// Multi-buffer SM3: eight independent messages hashed at once, one message per 32-bit lane
// of the AVX2 registers, for hashing many package files together (Sm3HashMany).
//
// SM3's rounds are a serial chain inside one message, so one message cannot use vector
// lanes; independent messages can. Each 256-bit register holds the same word (A, B, ...,
// W_j) of eight messages, and the round is the scalar round of sm3.cc with every operation
// eight wide. AVX2 has no rotate instruction, so each rotation is two shifts and an OR,
// which is why eight lanes give less than eight times one.
//
// Lanes are scheduled like this: the messages are taken longest first; each lane runs its
// message's whole blocks straight from the caller's buffer, then its one or two padded tail
// blocks, and when it has finished, its digest is written and it takes the next message. A
// lane with nothing left to do reads the same block as a busy lane and its result is
// dropped. When fewer than kMinBusyLanes lanes are busy and no message waits, the rest is
// finished with the scalar code, because a mostly idle vector step costs more than scalar
// steps for the busy lanes. The AVX2 code is compiled with a target attribute and used only
// when the CPU reports AVX2 at run time; everywhere else this is the scalar loop.
#include <algorithm>
#include <cstring>
#include <numeric>
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

#define ESEAL_AVX2 __attribute__((target("avx2"), always_inline)) inline

using V = __m256i;

template <int N>
ESEAL_AVX2 V Rotl(V x) {
  return _mm256_or_si256(_mm256_slli_epi32(x, N), _mm256_srli_epi32(x, 32 - N));
}
ESEAL_AVX2 V Xor(V a, V b) { return _mm256_xor_si256(a, b); }
ESEAL_AVX2 V Add(V a, V b) { return _mm256_add_epi32(a, b); }
ESEAL_AVX2 V And(V a, V b) { return _mm256_and_si256(a, b); }
ESEAL_AVX2 V Or(V a, V b) { return _mm256_or_si256(a, b); }
ESEAL_AVX2 V P0(V x) { return Xor(Xor(x, Rotl<9>(x)), Rotl<17>(x)); }
ESEAL_AVX2 V P1(V x) { return Xor(Xor(x, Rotl<15>(x)), Rotl<23>(x)); }

// T_j <<< (j mod 32), as in sm3.cc.
constexpr uint32_t RoundConstant(int j) {
  const uint32_t t = j < 16 ? 0x79cc4519u : 0x7a879d8au;
  const int r = j % 32;
  return r == 0 ? t : (t << r) | (t >> (32 - r));
}

// The scalar round of sm3.cc, eight wide; same renaming (new A into d, new E into h).
template <int J>
ESEAL_AVX2 void Round8(V a, V& b, V c, V& d, V e, V& f, V g, V& h, V* w) {
  if constexpr (J >= 12) {
    constexpr int k = J + 4;
    w[k & 15] = Xor(Xor(P1(Xor(Xor(w[k & 15], w[(k - 9) & 15]), Rotl<15>(w[(k - 3) & 15]))),
                        Rotl<7>(w[(k - 13) & 15])),
                    w[(k - 6) & 15]);
  }
  const V wj = w[J & 15];
  const V wj4 = w[(J + 4) & 15];
  const V a12 = Rotl<12>(a);
  const V ss1 =
      Rotl<7>(Add(Add(a12, e), _mm256_set1_epi32(static_cast<int>(RoundConstant(J)))));
  const V ss2 = Xor(ss1, a12);
  V ff, gg;
  if constexpr (J < 16) {
    ff = Xor(Xor(a, b), c);
    gg = Xor(Xor(e, f), g);
  } else {
    ff = Or(And(a, b), And(Or(a, b), c));
    gg = Xor(And(Xor(f, g), e), g);
  }
  const V tt1 = Add(Add(ff, d), Add(ss2, Xor(wj, wj4)));
  const V tt2 = Add(Add(gg, h), Add(ss1, wj));
  b = Rotl<9>(b);
  f = Rotl<19>(f);
  d = tt1;
  h = P0(tt2);
}

template <int J>
ESEAL_AVX2 void FourRounds8(V& a, V& b, V& c, V& d, V& e, V& f, V& g, V& h, V* w) {
  Round8<J>(a, b, c, d, e, f, g, h, w);
  Round8<J + 1>(d, a, b, c, h, e, f, g, w);
  Round8<J + 2>(c, d, a, b, g, h, e, f, w);
  Round8<J + 3>(b, c, d, a, f, g, h, e, w);
}

// Loads words 8*half .. 8*half+7 of the current block of each lane, byte-swapped to
// big-endian order, transposed so that out[i] holds word 8*half+i of all eight lanes.
ESEAL_AVX2 void LoadTransposed(const uint8_t* const* p, size_t offset, V* out) {
  const V bswap = _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2,
                                   1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
  V r[8];
  for (int l = 0; l < 8; ++l) {
    r[l] = _mm256_shuffle_epi8(
        _mm256_loadu_si256(reinterpret_cast<const V*>(p[l] + offset)), bswap);
  }
  const V t0 = _mm256_unpacklo_epi32(r[0], r[1]), t1 = _mm256_unpackhi_epi32(r[0], r[1]);
  const V t2 = _mm256_unpacklo_epi32(r[2], r[3]), t3 = _mm256_unpackhi_epi32(r[2], r[3]);
  const V t4 = _mm256_unpacklo_epi32(r[4], r[5]), t5 = _mm256_unpackhi_epi32(r[4], r[5]);
  const V t6 = _mm256_unpacklo_epi32(r[6], r[7]), t7 = _mm256_unpackhi_epi32(r[6], r[7]);
  const V u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
  const V u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
  const V u4 = _mm256_unpacklo_epi64(t4, t6), u5 = _mm256_unpackhi_epi64(t4, t6);
  const V u6 = _mm256_unpacklo_epi64(t5, t7), u7 = _mm256_unpackhi_epi64(t5, t7);
  out[0] = _mm256_permute2x128_si256(u0, u4, 0x20);
  out[1] = _mm256_permute2x128_si256(u1, u5, 0x20);
  out[2] = _mm256_permute2x128_si256(u2, u6, 0x20);
  out[3] = _mm256_permute2x128_si256(u3, u7, 0x20);
  out[4] = _mm256_permute2x128_si256(u0, u4, 0x31);
  out[5] = _mm256_permute2x128_si256(u1, u5, 0x31);
  out[6] = _mm256_permute2x128_si256(u2, u6, 0x31);
  out[7] = _mm256_permute2x128_si256(u3, u7, 0x31);
}

// Compresses `nblocks` consecutive blocks of each lane (lane l from p[l]) into st, where
// st[i][l] is word i of lane l's chaining value.
__attribute__((target("avx2"))) void Compress8(uint32_t st[8][8], const uint8_t* const* p,
                                               size_t nblocks) {
  V a = _mm256_loadu_si256(reinterpret_cast<const V*>(st[0]));
  V b = _mm256_loadu_si256(reinterpret_cast<const V*>(st[1]));
  V c = _mm256_loadu_si256(reinterpret_cast<const V*>(st[2]));
  V d = _mm256_loadu_si256(reinterpret_cast<const V*>(st[3]));
  V e = _mm256_loadu_si256(reinterpret_cast<const V*>(st[4]));
  V f = _mm256_loadu_si256(reinterpret_cast<const V*>(st[5]));
  V g = _mm256_loadu_si256(reinterpret_cast<const V*>(st[6]));
  V h = _mm256_loadu_si256(reinterpret_cast<const V*>(st[7]));
  for (size_t blk = 0; blk < nblocks; ++blk) {
    const size_t off = blk * kSm3BlockSize;
    V w[16];
    LoadTransposed(p, off, w);
    LoadTransposed(p, off + 32, w + 8);
    const V a0 = a, b0 = b, c0 = c, d0 = d, e0 = e, f0 = f, g0 = g, h0 = h;
    FourRounds8<0>(a, b, c, d, e, f, g, h, w);
    FourRounds8<4>(a, b, c, d, e, f, g, h, w);
    FourRounds8<8>(a, b, c, d, e, f, g, h, w);
    FourRounds8<12>(a, b, c, d, e, f, g, h, w);
    FourRounds8<16>(a, b, c, d, e, f, g, h, w);
    FourRounds8<20>(a, b, c, d, e, f, g, h, w);
    FourRounds8<24>(a, b, c, d, e, f, g, h, w);
    FourRounds8<28>(a, b, c, d, e, f, g, h, w);
    FourRounds8<32>(a, b, c, d, e, f, g, h, w);
    FourRounds8<36>(a, b, c, d, e, f, g, h, w);
    FourRounds8<40>(a, b, c, d, e, f, g, h, w);
    FourRounds8<44>(a, b, c, d, e, f, g, h, w);
    FourRounds8<48>(a, b, c, d, e, f, g, h, w);
    FourRounds8<52>(a, b, c, d, e, f, g, h, w);
    FourRounds8<56>(a, b, c, d, e, f, g, h, w);
    FourRounds8<60>(a, b, c, d, e, f, g, h, w);
    a = Xor(a, a0), b = Xor(b, b0), c = Xor(c, c0), d = Xor(d, d0);
    e = Xor(e, e0), f = Xor(f, f0), g = Xor(g, g0), h = Xor(h, h0);
  }
  _mm256_storeu_si256(reinterpret_cast<V*>(st[0]), a);
  _mm256_storeu_si256(reinterpret_cast<V*>(st[1]), b);
  _mm256_storeu_si256(reinterpret_cast<V*>(st[2]), c);
  _mm256_storeu_si256(reinterpret_cast<V*>(st[3]), d);
  _mm256_storeu_si256(reinterpret_cast<V*>(st[4]), e);
  _mm256_storeu_si256(reinterpret_cast<V*>(st[5]), f);
  _mm256_storeu_si256(reinterpret_cast<V*>(st[6]), g);
  _mm256_storeu_si256(reinterpret_cast<V*>(st[7]), h);
}

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

void HashManyAvx2(const uint8_t* const* data, const size_t* len, size_t n,
                  uint8_t (*out)[32]) {
  // Longest first, so lanes run out of work at about the same time.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return len[x] > len[y]; });
  size_t taken = 0;
  Lane lanes[8];
  alignas(32) uint32_t st[8][8];
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
    for (int i = 0; i < 8; ++i) st[i][l] = kSm3Iv[i];
  };
  for (int l = 0; l < 8; ++l) start(l);
  for (;;) {
    int busy = 0, some_busy = -1;
    for (int l = 0; l < 8; ++l) {
      if (lanes[l].busy) ++busy, some_busy = l;
    }
    if (busy == 0) break;
    if (busy < kMinBusyLanes && taken == n) {
      // Few lanes left and nothing waiting: finish them one by one.
      for (int l = 0; l < 8; ++l) {
        Lane& ln = lanes[l];
        if (!ln.busy) continue;
        uint32_t v[8];
        for (int i = 0; i < 8; ++i) v[i] = st[i][l];
        if (ln.whole_left > 0) Sm3Compress(v, ln.next, ln.whole_left);
        Sm3Compress(v, ln.pad + ln.pad_done * kSm3BlockSize, ln.pad_total - ln.pad_done);
        Sm3StoreDigest(v, out[ln.msg]);
        ln.busy = false;
      }
      break;
    }
    // Every lane advances by the same number of blocks: as many as the busy lane with the
    // fewest contiguous blocks has (its whole blocks, else its padded tail).
    const uint8_t* p[8];
    size_t run = SIZE_MAX;
    for (int l = 0; l < 8; ++l) {
      const Lane& ln = lanes[l];
      if (!ln.busy) continue;
      run = std::min(run, ln.whole_left > 0 ? ln.whole_left : ln.pad_total - ln.pad_done);
    }
    for (int l = 0; l < 8; ++l) {
      const Lane& ln = lanes[l];
      const Lane& src = ln.busy ? ln : lanes[some_busy];
      p[l] = src.whole_left > 0 ? src.next : src.pad + src.pad_done * kSm3BlockSize;
    }
    Compress8(st, p, run);
    for (int l = 0; l < 8; ++l) {
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
      for (int i = 0; i < 8; ++i) v[i] = st[i][l];
      Sm3StoreDigest(v, out[ln.msg]);
      start(l);
    }
  }
}

#endif  // ESEAL_SM3_HAVE_AVX2

}  // namespace

bool Sm3HashManyUsesAvx2() {
#if ESEAL_SM3_HAVE_AVX2
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
#else
  return false;
#endif
}

void Sm3HashManyImpl(const uint8_t* const* data, const size_t* len, size_t n,
                     uint8_t (*out)[32]) {
#if ESEAL_SM3_HAVE_AVX2
  if (n >= 2 && Sm3HashManyUsesAvx2()) {
    HashManyAvx2(data, len, n, out);
    return;
  }
#endif
  for (size_t i = 0; i < n; ++i) HashOne(data[i], len[i], out[i]);
}

}  // namespace eseal::crypto::internal
