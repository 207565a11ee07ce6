// SM3 (GM/T 0004-2012, 杂凑算法), HMAC-SM3 and PBKDF2-HMAC-SM3.
// Thread-safety: Sm3 objects are not shared between threads; free functions are reentrant.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "eseal/base/bytes.h"

namespace eseal::crypto {

inline constexpr size_t kSm3DigestSize = 32;

// Bytes fed to SM3 (Sm3::Update, Sm3::Hash) on the calling thread since it started. Work
// accounting, counted not timed (verify::internal::WorkMeter, Budget::max_bytes_hashed).
uint64_t Sm3ByteCount();
using Sm3Digest = std::array<uint8_t, kSm3DigestSize>;

// Incremental SM3.
class Sm3 {
 public:
  Sm3();
  ~Sm3();
  Sm3(Sm3&&) noexcept;
  Sm3& operator=(Sm3&&) noexcept;
  void Update(ByteView data);
  // Returns the digest and resets the object for reuse.
  Sm3Digest Final();

  static Sm3Digest Hash(ByteView data);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

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
