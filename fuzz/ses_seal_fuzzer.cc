// Fuzzes SESeal parsing (all versions). Invariant: whatever parses re-encodes to bytes that
// parse again and re-encode identically (the encoder is a fixed point after one round).
#include <cstdlib>

#include "eseal/ses/seal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto seal = eseal::ses::ParseSeal(eseal::ByteView(data, size));
  if (!seal.ok()) return 0;
  eseal::Bytes once = eseal::ses::EncodeSeal(*seal);
  auto again = eseal::ses::ParseSeal(once);
  if (!again.ok()) std::abort();
  if (eseal::ses::EncodeSeal(*again) != once) std::abort();
  (void)eseal::ses::MakerSignedMessage(*seal);
  return 0;
}
