// Fuzzes SESeal parsing (all versions). Invariant: whatever parses re-encodes to bytes that
// parse again and re-encode identically (the encoder is a fixed point after one round).
// A parsed seal is then verified with no trust anchors, as a seal from another system is
// before its maker is registered: the maker and signer certificates inside are parsed and
// checked, and the report is built whatever they hold.
#include <cstdlib>

#include "eseal/ses/seal.h"
#include "eseal/verify/ses_verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto seal = eseal::ses::ParseSeal(eseal::ByteView(data, size));
  if (!seal.ok()) return 0;
  eseal::Bytes once = eseal::ses::EncodeSeal(*seal);
  auto again = eseal::ses::ParseSeal(once);
  if (!again.ok()) std::abort();
  if (eseal::ses::EncodeSeal(*again) != once) std::abort();
  (void)eseal::ses::MakerSignedMessage(*seal);
  (void)eseal::verify::VerifySeal(*seal, seal->info.property.valid_start, eseal::verify::ValidationPolicy{});
  return 0;
}
