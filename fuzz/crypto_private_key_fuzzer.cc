// Fuzzes SM2 private key import: PKCS#8 DER, and PEM (PKCS#8 / SEC1 / protected / other).
// Whatever parses must re-encode to a key that parses to the same public key.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "eseal/crypto/key_protection.h"
#include "eseal/crypto/sm2.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace eseal;
  using namespace eseal::crypto;
  ByteView in(data, size);
  auto check = [](const Sm2PrivateKey& key) {
    auto again = Sm2PrivateKey::FromPkcs8Der(key.ToPkcs8Der().view());
    if (!again.ok() || !(again->PublicKey() == key.PublicKey())) std::abort();
    auto pem = Sm2PrivateKey::FromPem(AsChars(key.ToPem().view()));
    if (!pem.ok() || !(pem->PublicKey() == key.PublicKey())) std::abort();
  };
  if (auto k = Sm2PrivateKey::FromPkcs8Der(in); k.ok()) check(*k);
  if (auto k = Sm2PrivateKey::FromPem(AsChars(in)); k.ok()) check(*k);
  // Unprotected files only here: protected blobs have their own target.
  if (auto k = LoadPrivateKeyPem(AsChars(in), AsBytes("pw"), nullptr); k.ok()) check(*k);
  return 0;
}
