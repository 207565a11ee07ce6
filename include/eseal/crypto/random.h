// The CSPRNG: OpenSSL's DRBG (seeded from the kernel).
// Thread-safety: SystemRng() may be used from any thread.
#pragma once

#include "eseal/base/rng.h"

namespace eseal::crypto {

Rng& SystemRng();

}  // namespace eseal::crypto
