// Rng: where randomness comes from. The production implementation is the OpenSSL CSPRNG
// (crypto::SystemRng()); tests inject fixed sequences to reproduce salts and nonces.
// Thread-safety: implementations say so; crypto::SystemRng() is safe from any thread.
#pragma once

#include <cstdint>
#include <span>

#include "eseal/base/bytes.h"

namespace eseal {

class Rng {
 public:
  virtual ~Rng() = default;
  // Fills `out` with random bytes, or fails (never returns predictable output silently).
  virtual Status Fill(std::span<uint8_t> out) = 0;
};

inline Result<Bytes> RandomBytes(Rng& rng, size_t n) {
  Bytes b(n);
  RETURN_IF_ERROR(rng.Fill(b));
  return b;
}

}  // namespace eseal
