// SM3 (GB/T 32905-2016 / GM/T 0004-2012, 杂凑算法), HMAC-SM3 (RFC 2104) and
// PBKDF2-HMAC-SM3 (RFC 8018), our own portable C++ (OpenSSL's EVP_sm3 is only the test
// oracle and the benchmark reference).
//
// Why our own: OpenSSL 3.0 has no assembler SM3 for x86-64, so its C code plus the EVP
// layer (context allocation, provider dispatch, a per-block copy into its buffer) is what a
// hash of a package file cost. Here the compression function is fully unrolled with the
// message expansion interleaved (W_{j+4} is computed in round j from a 16-word ring, W'_j =
// W_j ^ W_{j+4} on the fly), the round constants T_j <<< j are a compile-time table, the
// four-round register renaming avoids moves, and whole blocks are read straight from the
// caller's buffer. HMAC keeps the key's inner and outer states, so PBKDF2 costs two
// compressions per iteration and nothing else.
#include "eseal/crypto/sm3.h"

#include <array>
#include <bit>
#include <climits>
#include <cstring>
#include <utility>

#include "sm3_internal.h"

// x86-64 always has SSE2; the message schedule uses it there (see Schedule below).
#if defined(__SSE2__)
#define ESEAL_SM3_SSE2 1
#include <emmintrin.h>
#else
#define ESEAL_SM3_SSE2 0
#endif

namespace eseal::crypto {

namespace internal {
namespace {

inline uint32_t LoadBe32(const uint8_t* p) {
  uint32_t x;
  std::memcpy(&x, p, 4);
  if constexpr (std::endian::native == std::endian::little) x = __builtin_bswap32(x);
  return x;
}

inline void StoreBe32(uint8_t* p, uint32_t x) {
  if constexpr (std::endian::native == std::endian::little) x = __builtin_bswap32(x);
  std::memcpy(p, &x, 4);
}

// T_j <<< (j mod 32), §4.2 and the SS1 step of §5.3.3.
constexpr std::array<uint32_t, 64> kRoundConstants = [] {
  std::array<uint32_t, 64> t{};
  for (int j = 0; j < 64; ++j) t[j] = std::rotl(j < 16 ? 0x79cc4519u : 0x7a879d8au, j % 32);
  return t;
}();

inline uint32_t P0(uint32_t x) { return x ^ std::rotl(x, 9) ^ std::rotl(x, 17); }
inline uint32_t P1(uint32_t x) { return x ^ std::rotl(x, 15) ^ std::rotl(x, 23); }

// Round j of §5.3.3 written so that the caller renames registers instead of moving them:
// the new A is stored into `d`, the new E into `h`, B and F are rotated in place, and the
// next round is called with (d, a, b, c, h, e, f, g).
template <int J>
[[gnu::always_inline]] inline void Round(uint32_t a, uint32_t& b, uint32_t c, uint32_t& d,
                                         uint32_t e, uint32_t& f, uint32_t g, uint32_t& h,
                                         uint32_t* w) {
  // The message expansion (§5.3.2) runs four words ahead: round J needs W_{J+4}, which
  // overwrites W_{J-12} in the ring, the oldest word still needed as W_{(J+4)-16}.
  if constexpr (J >= 12) {
    constexpr int k = J + 4;
    w[k & 15] = P1(w[k & 15] ^ w[(k - 9) & 15] ^ std::rotl(w[(k - 3) & 15], 15)) ^
                std::rotl(w[(k - 13) & 15], 7) ^ w[(k - 6) & 15];
  }
  const uint32_t wj = w[J & 15];
  const uint32_t wj4 = w[(J + 4) & 15];
  const uint32_t a12 = std::rotl(a, 12);
  const uint32_t ss1 = std::rotl(a12 + e + kRoundConstants[J], 7);
  const uint32_t ss2 = ss1 ^ a12;
  uint32_t ff, gg;
  if constexpr (J < 16) {
    ff = a ^ b ^ c;
    gg = e ^ f ^ g;
  } else {
    ff = (a & b) | ((a | b) & c);  // majority
    gg = ((f ^ g) & e) ^ g;        // (E & F) | (~E & G)
  }
  const uint32_t tt1 = ff + d + ss2 + (wj ^ wj4);
  const uint32_t tt2 = gg + h + ss1 + wj;
  b = std::rotl(b, 9);
  f = std::rotl(f, 19);
  d = tt1;
  h = P0(tt2);
}

// Four rounds bring the renaming back to (a, b, c, d, e, f, g, h).
template <int J>
[[gnu::always_inline]] inline void FourRounds(uint32_t& a, uint32_t& b, uint32_t& c,
                                              uint32_t& d, uint32_t& e, uint32_t& f,
                                              uint32_t& g, uint32_t& h, uint32_t* w) {
  Round<J>(a, b, c, d, e, f, g, h, w);
  Round<J + 1>(d, a, b, c, h, e, f, g, w);
  Round<J + 2>(c, d, a, b, g, h, e, f, w);
  Round<J + 3>(b, c, d, a, f, g, h, e, w);
}

template <size_t... I>
[[gnu::always_inline]] inline void AllRounds(uint32_t& a, uint32_t& b, uint32_t& c,
                                             uint32_t& d, uint32_t& e, uint32_t& f,
                                             uint32_t& g, uint32_t& h, uint32_t* w,
                                             std::index_sequence<I...>) {
  (FourRounds<static_cast<int>(4 * I)>(a, b, c, d, e, f, g, h, w), ...);
}

#if ESEAL_SM3_SSE2

// The same round, with W_j and W'_j read from the schedule computed four words at a time
// in SSE2 registers (below), so the integer units do only the round itself.
template <int J>
[[gnu::always_inline]] inline void RoundS(uint32_t a, uint32_t& b, uint32_t c, uint32_t& d,
                                          uint32_t e, uint32_t& f, uint32_t g, uint32_t& h,
                                          const uint32_t* w, const uint32_t* wp) {
  const uint32_t a12 = std::rotl(a, 12);
  const uint32_t ss1 = std::rotl(a12 + (e + kRoundConstants[J]), 7);
  const uint32_t ss2 = ss1 ^ a12;
  uint32_t ff, gg;
  if constexpr (J < 16) {
    ff = a ^ b ^ c;
    gg = e ^ f ^ g;
  } else {
    ff = (a & b) | ((a | b) & c);
    gg = ((f ^ g) & e) ^ g;
  }
  const uint32_t tt1 = (ff + (d + wp[J])) + ss2;
  const uint32_t tt2 = (gg + (h + w[J])) + ss1;
  b = std::rotl(b, 9);
  f = std::rotl(f, 19);
  d = tt1;
  h = P0(tt2);
}

template <int N>
[[gnu::always_inline]] inline __m128i Rotl4(__m128i x) {
  return _mm_or_si128(_mm_slli_epi32(x, N), _mm_srli_epi32(x, 32 - N));
}
[[gnu::always_inline]] inline __m128i P1x4(__m128i x) {
  return _mm_xor_si128(_mm_xor_si128(x, Rotl4<15>(x)), Rotl4<23>(x));
}

// 32-bit byte swap of four words with SSE2 only (no PSHUFB): bytes within 16-bit halves,
// then the halves.
[[gnu::always_inline]] inline __m128i Bswap32x4(__m128i x) {
  x = _mm_or_si128(_mm_slli_epi16(x, 8), _mm_srli_epi16(x, 8));
  return _mm_shufflehi_epi16(_mm_shufflelo_epi16(x, 0xB1), 0xB1);
}

// The message schedule as a sliding window of four vectors x0..x3 = W_{j-16} .. W_{j-1}.
// Next() computes W_j .. W_{j+3} (§5.3.2). W_{j+3} needs W_j itself (through W_{(j+3)-3}),
// so lane 3 is first computed with that term zero and then corrected: P1 and the rotations
// are linear over XOR, so adding P1(W_j <<< 15) afterwards gives the same word.
struct Schedule {
  __m128i x0, x1, x2, x3;

  [[gnu::always_inline]] inline __m128i Next() {
    const __m128i m9 = _mm_or_si128(_mm_srli_si128(x1, 12), _mm_slli_si128(x2, 4));
    const __m128i m3 = _mm_srli_si128(x3, 4);  // W_{j-3}, W_{j-2}, W_{j-1}, 0
    const __m128i m13 = _mm_or_si128(_mm_srli_si128(x0, 12), _mm_slli_si128(x1, 4));
    const __m128i m6 = _mm_or_si128(_mm_srli_si128(x2, 8), _mm_slli_si128(x3, 8));
    __m128i r = P1x4(_mm_xor_si128(_mm_xor_si128(x0, m9), Rotl4<15>(m3)));
    r = _mm_xor_si128(_mm_xor_si128(r, Rotl4<7>(m13)), m6);
    r = _mm_xor_si128(r, P1x4(Rotl4<15>(_mm_slli_si128(r, 12))));  // lane 3 gets W_j's term
    x0 = x1, x1 = x2, x2 = x3, x3 = r;
    return r;
  }
};

// Four rounds from J; first extends the schedule by one group four rounds ahead of its use:
// at J = 8 + 4g it writes W_{16+4g} .. W_{19+4g} and W'_{12+4g} .. W'_{15+4g}.
template <int J>
[[gnu::always_inline]] inline void FourRoundsS(uint32_t& a, uint32_t& b, uint32_t& c,
                                               uint32_t& d, uint32_t& e, uint32_t& f,
                                               uint32_t& g, uint32_t& h, Schedule& s,
                                               uint32_t* w, uint32_t* wp) {
  if constexpr (J >= 8 && J <= 56) {
    const __m128i prev = s.x3;  // W_{J+4} .. W_{J+7}
    const __m128i next = s.Next();
    _mm_store_si128(reinterpret_cast<__m128i*>(w + J + 8), next);
    _mm_store_si128(reinterpret_cast<__m128i*>(wp + J + 4), _mm_xor_si128(prev, next));
  }
  RoundS<J>(a, b, c, d, e, f, g, h, w, wp);
  RoundS<J + 1>(d, a, b, c, h, e, f, g, w, wp);
  RoundS<J + 2>(c, d, a, b, g, h, e, f, w, wp);
  RoundS<J + 3>(b, c, d, a, f, g, h, e, w, wp);
}

template <size_t... I>
[[gnu::always_inline]] inline void AllRoundsS(uint32_t& a, uint32_t& b, uint32_t& c,
                                              uint32_t& d, uint32_t& e, uint32_t& f,
                                              uint32_t& g, uint32_t& h, Schedule& s,
                                              uint32_t* w, uint32_t* wp,
                                              std::index_sequence<I...>) {
  (FourRoundsS<static_cast<int>(4 * I)>(a, b, c, d, e, f, g, h, s, w, wp), ...);
}

#endif  // ESEAL_SM3_SSE2

}  // namespace

#if ESEAL_SM3_SSE2
void Sm3Compress(uint32_t v[8], const uint8_t* blocks, size_t nblocks) {
  uint32_t a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
  alignas(16) uint32_t w[68];
  alignas(16) uint32_t wp[64];
  for (; nblocks > 0; --nblocks, blocks += kSm3BlockSize) {
    Schedule s;
    auto load = [&](int i) {
      return Bswap32x4(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks + 16 * i)));
    };
    s.x0 = load(0), s.x1 = load(1), s.x2 = load(2), s.x3 = load(3);
    _mm_store_si128(reinterpret_cast<__m128i*>(w), s.x0);
    _mm_store_si128(reinterpret_cast<__m128i*>(w + 4), s.x1);
    _mm_store_si128(reinterpret_cast<__m128i*>(w + 8), s.x2);
    _mm_store_si128(reinterpret_cast<__m128i*>(w + 12), s.x3);
    _mm_store_si128(reinterpret_cast<__m128i*>(wp), _mm_xor_si128(s.x0, s.x1));
    _mm_store_si128(reinterpret_cast<__m128i*>(wp + 4), _mm_xor_si128(s.x1, s.x2));
    _mm_store_si128(reinterpret_cast<__m128i*>(wp + 8), _mm_xor_si128(s.x2, s.x3));
    const uint32_t a0 = a, b0 = b, c0 = c, d0 = d, e0 = e, f0 = f, g0 = g, h0 = h;
    AllRoundsS(a, b, c, d, e, f, g, h, s, w, wp, std::make_index_sequence<16>());
    a ^= a0, b ^= b0, c ^= c0, d ^= d0, e ^= e0, f ^= f0, g ^= g0, h ^= h0;
  }
  v[0] = a, v[1] = b, v[2] = c, v[3] = d, v[4] = e, v[5] = f, v[6] = g, v[7] = h;
}
#else
void Sm3Compress(uint32_t v[8], const uint8_t* blocks, size_t nblocks) {
  Sm3CompressPortable(v, blocks, nblocks);
}
#endif

void Sm3CompressPortable(uint32_t v[8], const uint8_t* blocks, size_t nblocks) {
  uint32_t a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
  for (; nblocks > 0; --nblocks, blocks += kSm3BlockSize) {
    uint32_t w[16];
    for (int i = 0; i < 16; ++i) w[i] = LoadBe32(blocks + 4 * i);
    const uint32_t a0 = a, b0 = b, c0 = c, d0 = d, e0 = e, f0 = f, g0 = g, h0 = h;
    AllRounds(a, b, c, d, e, f, g, h, w, std::make_index_sequence<16>());
    // V(i+1) = ABCDEFGH xor V(i).
    a ^= a0, b ^= b0, c ^= c0, d ^= d0, e ^= e0, f ^= f0, g ^= g0, h ^= h0;
  }
  v[0] = a, v[1] = b, v[2] = c, v[3] = d, v[4] = e, v[5] = f, v[6] = g, v[7] = h;
}

size_t Sm3PadTail(const uint8_t* tail, size_t tail_len, uint64_t total_bytes,
                  uint8_t out[2 * kSm3BlockSize]) {
  // §5.2: the message, one 1 bit, k zero bits with l + 1 + k = 448 mod 512, then l as a
  // 64-bit big-endian number of bits.
  const size_t n = tail_len + 1 + 8 <= kSm3BlockSize ? 1 : 2;
  std::memset(out, 0, n * kSm3BlockSize);
  if (tail_len > 0) std::memcpy(out, tail, tail_len);
  out[tail_len] = 0x80;
  const uint64_t bits = total_bytes << 3;
  uint8_t* len_at = out + n * kSm3BlockSize - 8;
  StoreBe32(len_at, static_cast<uint32_t>(bits >> 32));
  StoreBe32(len_at + 4, static_cast<uint32_t>(bits));
  return n;
}

void Sm3StoreDigest(const uint32_t v[8], uint8_t out[32]) {
  for (int i = 0; i < 8; ++i) StoreBe32(out + 4 * i, v[i]);
}

}  // namespace internal

namespace {

using internal::kSm3BlockSize;

thread_local uint64_t sm3_byte_count = 0;

// Hashes `len` more bytes after `prefix_bytes` already compressed into `v` and writes the
// digest: whole blocks straight from `data`, then the padded tail.
void FinishFrom(uint32_t v[8], const uint8_t* data, size_t len, uint64_t prefix_bytes,
                uint8_t out[32]) {
  const size_t whole = len / kSm3BlockSize;
  if (whole > 0) internal::Sm3Compress(v, data, whole);
  uint8_t pad[2 * kSm3BlockSize];
  const size_t tail = len % kSm3BlockSize;
  const size_t n = internal::Sm3PadTail(data + whole * kSm3BlockSize, tail,
                                        prefix_bytes + len, pad);
  internal::Sm3Compress(v, pad, n);
  internal::Sm3StoreDigest(v, out);
  SecureZero(pad, sizeof pad);  // the tail may be secret (an HMAC message, a password)
}

// HMAC's keyed states (RFC 2104): V after compressing K0 ^ ipad, and after K0 ^ opad.
struct HmacStates {
  uint32_t inner[8];
  uint32_t outer[8];
  ~HmacStates() { SecureZero(this, sizeof *this); }
};

void HmacInit(ByteView key, HmacStates& s) {
  uint8_t k0[kSm3BlockSize] = {};
  if (key.size() > kSm3BlockSize) {
    Sm3Digest hk = Sm3::Hash(key);
    std::memcpy(k0, hk.data(), hk.size());
    SecureZero(hk.data(), hk.size());
  } else if (!key.empty()) {
    std::memcpy(k0, key.data(), key.size());
  }
  uint8_t block[kSm3BlockSize];
  for (size_t i = 0; i < kSm3BlockSize; ++i) block[i] = k0[i] ^ 0x36;
  std::memcpy(s.inner, internal::kSm3Iv, sizeof s.inner);
  internal::Sm3Compress(s.inner, block, 1);
  for (size_t i = 0; i < kSm3BlockSize; ++i) block[i] = k0[i] ^ 0x5c;
  std::memcpy(s.outer, internal::kSm3Iv, sizeof s.outer);
  internal::Sm3Compress(s.outer, block, 1);
  SecureZero(k0, sizeof k0);
  SecureZero(block, sizeof block);
}

// H((K0 ^ opad) || inner_digest): one block, since 64 + 32 + 9 <= 128.
void HmacOuter(const HmacStates& s, const uint8_t inner_digest[32], uint8_t out[32]) {
  uint32_t v[8];
  std::memcpy(v, s.outer, sizeof v);
  FinishFrom(v, inner_digest, 32, kSm3BlockSize, out);
  SecureZero(v, sizeof v);
}

}  // namespace

uint64_t Sm3ByteCount() { return sm3_byte_count; }

Sm3::Sm3() { std::memcpy(v_, internal::kSm3Iv, sizeof v_); }

void Sm3::Update(ByteView data) {
  if (data.empty()) return;
  sm3_byte_count += data.size();
  total_ += data.size();
  const uint8_t* p = data.data();
  size_t n = data.size();
  if (buf_len_ > 0) {
    const size_t take = std::min(n, kSm3BlockSize - buf_len_);
    std::memcpy(buf_ + buf_len_, p, take);
    buf_len_ += take;
    p += take;
    n -= take;
    if (buf_len_ < kSm3BlockSize) return;
    internal::Sm3Compress(v_, buf_, 1);
    buf_len_ = 0;
  }
  const size_t whole = n / kSm3BlockSize;
  if (whole > 0) internal::Sm3Compress(v_, p, whole);  // no copy of whole blocks
  p += whole * kSm3BlockSize;
  n -= whole * kSm3BlockSize;
  if (n > 0) std::memcpy(buf_, p, n);
  buf_len_ = n;
}

Sm3Digest Sm3::Final() {
  Sm3Digest d{};
  FinishFrom(v_, buf_, buf_len_, total_ - buf_len_, d.data());
  // Reset for reuse, and so no state of a possibly secret message stays behind.
  SecureZero(buf_, sizeof buf_);
  std::memcpy(v_, internal::kSm3Iv, sizeof v_);
  buf_len_ = 0;
  total_ = 0;
  return d;
}

Sm3Digest Sm3::Hash(ByteView data) {
  sm3_byte_count += data.size();
  uint32_t v[8];
  std::memcpy(v, internal::kSm3Iv, sizeof v);
  Sm3Digest d{};
  FinishFrom(v, data.data(), data.size(), 0, d.data());
  return d;
}

void Sm3HashMany(std::span<const ByteView> messages, std::span<Sm3Digest> out) {
  if (out.size() != messages.size()) __builtin_trap();  // a caller bug, never data
  constexpr size_t kChunk = 64;  // bounded stack arrays; lanes refill across messages
  const uint8_t* data[kChunk];
  size_t len[kChunk];
  for (size_t start = 0; start < messages.size(); start += kChunk) {
    const size_t n = std::min(kChunk, messages.size() - start);
    for (size_t i = 0; i < n; ++i) {
      data[i] = messages[start + i].data();
      len[i] = messages[start + i].size();
      sm3_byte_count += len[i];
    }
    internal::Sm3HashManyImpl(data, len, n,
                              reinterpret_cast<uint8_t(*)[32]>(out[start].data()));
  }
}

bool Sm3HashManyIsVectorised() { return internal::Sm3HashManyUsesAvx2(); }

Sm3Digest HmacSm3(ByteView key, ByteView data) {
  HmacStates s;
  HmacInit(key, s);
  uint32_t v[8];
  std::memcpy(v, s.inner, sizeof v);
  uint8_t inner[32];
  FinishFrom(v, data.data(), data.size(), kSm3BlockSize, inner);
  Sm3Digest d{};
  HmacOuter(s, inner, d.data());
  SecureZero(v, sizeof v);
  SecureZero(inner, sizeof inner);
  return d;
}

Result<SecretBytes> Pbkdf2HmacSm3(ByteView password, ByteView salt, uint32_t iterations,
                                  size_t length) {
  if (iterations < 1 || iterations > INT_MAX) {
    return InvalidArgumentError("PBKDF2 iteration count must be between 1 and 2^31-1");
  }
  if (length < 1 || length > (size_t{1} << 20)) {
    return InvalidArgumentError("PBKDF2 output length must be between 1 byte and 1 MiB");
  }
  if (password.size() > INT_MAX || salt.size() > INT_MAX) {
    return InvalidArgumentError("PBKDF2 password or salt is too long");
  }
  HmacStates s;
  HmacInit(password, s);
  SecretBytes out(length);
  // U_k for k >= 2 is HMAC(P, U_{k-1}) with a 32-byte message: the inner hash is one block
  // U_{k-1} || 0x80 || 0... || bitlen(64 + 32), the outer one block likewise, so each
  // iteration is two compressions from the kept states with the padding written once.
  uint8_t inner_block[kSm3BlockSize];
  uint8_t outer_block[kSm3BlockSize];
  {
    // The padding of a 32-byte message after the 64-byte key block: 0x80 at byte 32, the
    // length 96 bytes = 768 bits at the end. Only bytes 0..31 change per iteration.
    uint8_t pad[2 * kSm3BlockSize];
    const uint8_t zeros[32] = {};
    if (internal::Sm3PadTail(zeros, 32, kSm3BlockSize + 32, pad) != 1) __builtin_trap();
    std::memcpy(inner_block, pad, sizeof inner_block);
    std::memcpy(outer_block, pad, sizeof outer_block);
  }
  uint8_t u[32], t[32];
  uint32_t v[8];
  size_t done = 0;
  for (uint32_t block_index = 1; done < length; ++block_index) {
    // U_1 = HMAC(P, S || INT(i)).
    std::memcpy(v, s.inner, sizeof v);
    const size_t whole = salt.size() / kSm3BlockSize;
    if (whole > 0) internal::Sm3Compress(v, salt.data(), whole);
    uint8_t rest[kSm3BlockSize + 4];
    const size_t rest_len = salt.size() - whole * kSm3BlockSize;
    if (rest_len > 0) std::memcpy(rest, salt.data() + whole * kSm3BlockSize, rest_len);
    rest[rest_len + 0] = static_cast<uint8_t>(block_index >> 24);
    rest[rest_len + 1] = static_cast<uint8_t>(block_index >> 16);
    rest[rest_len + 2] = static_cast<uint8_t>(block_index >> 8);
    rest[rest_len + 3] = static_cast<uint8_t>(block_index);
    FinishFrom(v, rest, rest_len + 4, kSm3BlockSize + whole * kSm3BlockSize, u);
    HmacOuter(s, u, u);
    std::memcpy(t, u, sizeof t);
    for (uint32_t k = 2; k <= iterations; ++k) {
      std::memcpy(inner_block, u, 32);
      std::memcpy(v, s.inner, sizeof v);
      internal::Sm3Compress(v, inner_block, 1);
      internal::Sm3StoreDigest(v, outer_block);
      std::memcpy(v, s.outer, sizeof v);
      internal::Sm3Compress(v, outer_block, 1);
      internal::Sm3StoreDigest(v, u);
      for (int i = 0; i < 32; ++i) t[i] ^= u[i];
    }
    const size_t take = std::min<size_t>(32, length - done);
    std::memcpy(out.data() + done, t, take);
    done += take;
  }
  SecureZero(inner_block, sizeof inner_block);
  SecureZero(outer_block, sizeof outer_block);
  SecureZero(u, sizeof u);
  SecureZero(t, sizeof t);
  SecureZero(v, sizeof v);
  return out;
}

}  // namespace eseal::crypto
