// Fuzzes the protected private key blob parser (UnprotectPrivateKey) and its PEM armour.
// Iteration counts up to the format's limit would make single inputs take seconds, so
// counts between 64 and the limit are lowered to 2 (larger ones stay: they must be refused
// before any work).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "eseal/crypto/key_protection.h"

namespace {
const eseal::crypto::FileKek& TestKek() {
  static const auto* kek = eseal::crypto::FileKek::FromBytes(eseal::Bytes(32, 0x11)).release();
  return *kek;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace eseal;
  using namespace eseal::crypto;
  Bytes blob(data, data + size);
  if (blob.size() >= 9) {
    uint32_t iter = static_cast<uint32_t>(blob[5]) << 24 | static_cast<uint32_t>(blob[6]) << 16 |
                    static_cast<uint32_t>(blob[7]) << 8 | blob[8];
    if (iter > 64 && iter <= 10'000'000) {
      blob[5] = blob[6] = blob[7] = 0;
      blob[8] = 2;
    }
  }
  auto check = [](const Result<Sm2PrivateKey>& r) {
    if (r.ok()) {
      // Only a blob made with the password "pw" can open; the key must then be usable.
      auto sig = r->Sign(AsBytes("m"));
      if (!sig.ok() || !r->PublicKey().Verify(AsBytes("m"), *sig)) std::abort();
    } else if (r.status().code() == StatusCode::kInternal) {
      std::abort();  // malformed input is the caller's problem, never an internal error
    }
  };
  check(UnprotectPrivateKey(blob, AsBytes("pw"), nullptr));
  check(UnprotectPrivateKey(blob, AsBytes("pw"), &TestKek()));
  if (auto b = ProtectedKeyFromPem(AsChars(ByteView(data, size))); b.ok()) {
    std::string pem = ProtectedKeyToPem(*b);
    auto again = ProtectedKeyFromPem(pem);
    if (!again.ok() || *again != *b) std::abort();
  }
  return 0;
}
