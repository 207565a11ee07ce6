// Fuzzes SES_Signature parsing (all versions), with the same fixed-point invariant, then
// verifies what parses with no trust anchors and no original (the signed seal inside, the
// signer certificate and the report are all built from the hostile bytes).
#include <cstdlib>

#include "eseal/ses/signature.h"
#include "eseal/verify/ses_verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto sig = eseal::ses::ParseSignature(eseal::ByteView(data, size));
  if (!sig.ok()) return 0;
  eseal::Bytes once = eseal::ses::EncodeSignature(*sig);
  auto again = eseal::ses::ParseSignature(once);
  if (!again.ok()) std::abort();
  if (eseal::ses::EncodeSignature(*again) != once) std::abort();
  (void)eseal::verify::VerifySesSignature(*sig, std::nullopt, eseal::verify::ValidationPolicy{});
  return 0;
}
