// Private to the crypto module: the SM3 compression function (GB/T 32905-2016 §5.3) that
// Sm3, HMAC-SM3, PBKDF2-HMAC-SM3 and the multi-buffer path share.
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstddef>
#include <cstdint>

namespace eseal::crypto::internal {

inline constexpr size_t kSm3BlockSize = 64;

// The initial value IV of GB/T 32905-2016 §4.1.
inline constexpr uint32_t kSm3Iv[8] = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
                                       0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};

// Compresses `nblocks` consecutive 64-byte blocks at `blocks` (any alignment) into `v`.
// On x86 the message schedule is computed four words at a time with SSE2 (baseline on
// x86-64); Sm3CompressPortable is plain C++, used elsewhere and kept callable so the tests
// compare the two on every machine.
void Sm3Compress(uint32_t v[8], const uint8_t* blocks, size_t nblocks);
void Sm3CompressPortable(uint32_t v[8], const uint8_t* blocks, size_t nblocks);

// Writes the padding of a message of `total_bytes` bytes whose last `tail_len` (< 64) bytes
// are `tail`: the tail, 0x80, zeros and the 64-bit big-endian bit length. `out` receives one
// or two blocks; returns how many.
size_t Sm3PadTail(const uint8_t* tail, size_t tail_len, uint64_t total_bytes,
                  uint8_t out[2 * kSm3BlockSize]);

// The digest bytes (big-endian words) of a final state.
void Sm3StoreDigest(const uint32_t v[8], uint8_t out[32]);

// Multi-buffer: hashes `n` independent messages (`data[i]`, `len[i]` bytes) into
// `out[i]`; in lanes when the CPU has the instructions (checked at run time): sixteen with
// AVX-512F/BW/VL, eight with AVX-512VL or AVX2; else one by one with Sm3Compress. `pref`
// lets tests and benchmarks force a lesser code (kBest: the best the CPU has; a preference
// the CPU lacks falls back to what it has). Defined in sm3_mb.cc.
enum class LanePreference { kBest, kAvx512Vl, kAvx2, kScalar };
void Sm3HashManyImpl(const uint8_t* const* data, const size_t* len, size_t n,
                     uint8_t (*out)[32], LanePreference pref = LanePreference::kBest);
// True when Sm3HashManyImpl would use lanes on this CPU; and which code `pref` gets for a
// batch of `n` messages, in words (eight messages or fewer get eight lanes, not sixteen).
bool Sm3HashManyUsesAvx2();
const char* Sm3HashManyCode(LanePreference pref = LanePreference::kBest, size_t n = 64);

}  // namespace eseal::crypto::internal
