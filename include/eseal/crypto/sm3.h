// SM3 (GM/T 0004-2012, 杂凑算法), HMAC-SM3 and PBKDF2-HMAC-SM3.
// Thread-safety: Sm3 objects are not shared between threads; free functions are reentrant.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>

#include "eseal/base/bytes.h"

namespace eseal::crypto {

inline constexpr size_t kSm3DigestSize = 32;

// Bytes fed to SM3 (Sm3::Update, Sm3::Hash) on the calling thread since it started. Work
// accounting, counted not timed (verify::internal::WorkMeter, Budget::max_bytes_hashed).
uint64_t Sm3ByteCount();
using Sm3Digest = std::array<uint8_t, kSm3DigestSize>;

// Incremental SM3. Holds its state inline (no allocation); copying an object forks the
// hash of the bytes given so far.
class Sm3 {
 public:
  Sm3();
  void Update(ByteView data);
  // Returns the digest and resets the object for reuse.
  Sm3Digest Final();

  static Sm3Digest Hash(ByteView data);

 private:
  uint32_t v_[8];          // chaining value V(i)
  uint8_t buf_[64] = {};   // a partial block, buf_len_ bytes
  size_t buf_len_ = 0;
  uint64_t total_ = 0;     // bytes given since the last Final
};

// Hashes many independent messages: out[i] = Sm3::Hash(messages[i]), out.size() ==
// messages.size(). Where the CPU has AVX-512 or AVX2 (checked at run time) sixteen or eight
// messages are compressed at once in vector lanes, a lane taking the next message when its
// own ends, so lengths may differ; elsewhere it hashes them one by one. Pays for many
// messages (package files); the figures are in docs/benchmarks.md.
void Sm3HashMany(std::span<const ByteView> messages, std::span<Sm3Digest> out);
// True when Sm3HashMany uses vector lanes (AVX-512 or AVX2) on this CPU.
bool Sm3HashManyIsVectorised();

inline Bytes Sm3Bytes(ByteView data) {
  Sm3Digest d = Sm3::Hash(data);
  return Bytes(d.begin(), d.end());
}

// HMAC (RFC 2104) with SM3; 32-byte output.
Sm3Digest HmacSm3(ByteView key, ByteView data);

// PBKDF2 (RFC 8018) with HMAC-SM3 as the PRF. `iterations` >= 1, `length` >= 1.
Result<SecretBytes> Pbkdf2HmacSm3(ByteView password, ByteView salt, uint32_t iterations,
                                  size_t length);

}  // namespace eseal::crypto
