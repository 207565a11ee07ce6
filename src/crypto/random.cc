// SystemRng: OpenSSL's private DRBG (seeded from the kernel). Salts and nonces are not
// secret, but the same generator also makes keys, so everything comes from the private one.
#include "eseal/crypto/random.h"

#include <openssl/rand.h>

#include <algorithm>
#include <climits>

#include "internal.h"

namespace eseal::crypto {
namespace {

class OpenSslRng final : public Rng {
 public:
  Status Fill(std::span<uint8_t> out) override {
    size_t off = 0;
    while (off < out.size()) {
      size_t n = std::min<size_t>(out.size() - off, size_t{1} << 20);
      if (RAND_priv_bytes(out.data() + off, static_cast<int>(n)) != 1) {
        SecureZero(out.data(), out.size());
        internal::ClearOpenSslErrors();
        return UnavailableError("the system random number generator failed");
      }
      off += n;
    }
    return Status::Ok();
  }
};

}  // namespace

Rng& SystemRng() {
  // Never destroyed, so it stays usable from other static destructors and threads.
  static OpenSslRng* rng = new OpenSslRng();
  return *rng;
}

}  // namespace eseal::crypto
