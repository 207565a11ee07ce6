// Fuzzes SM2 public key import (SubjectPublicKeyInfo DER and PEM, raw points). Whatever
// parses must re-encode to the same key; verifying a junk signature must just say no.
#include <cstdint>
#include <cstdlib>

#include "eseal/crypto/sm2.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace eseal;
  using namespace eseal::crypto;
  ByteView in(data, size);
  auto check = [&](const Sm2PublicKey& key) {
    auto again = Sm2PublicKey::FromSpkiDer(key.ToSpkiDer());
    if (!again.ok() || !(*again == key)) std::abort();
    auto pem = Sm2PublicKey::FromPem(key.ToPem());
    if (!pem.ok() || !(*pem == key)) std::abort();
    if (key.ComputeZ().size() != 32) std::abort();
    if (key.Verify(in, in)) std::abort();  // a forgery this cheap would be a disaster
  };
  if (auto k = Sm2PublicKey::FromSpkiDer(in); k.ok()) check(*k);
  if (auto k = Sm2PublicKey::FromPem(AsChars(in)); k.ok()) check(*k);
  if (auto k = Sm2PublicKey::FromPoint(in); k.ok()) check(*k);
  return 0;
}
