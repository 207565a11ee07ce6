// Fuzzes the GB/T 35275 SignedData parser: whatever it accepts must re-encode to the same
// bytes, and the attribute and certificate lookups must not crash on it.
#include <cstddef>
#include <cstdint>

#include "eseal/x509/signed_data.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  eseal::ByteView in(data, size);
  (void)eseal::x509::LooksLikeSignedData(in);
  auto sd = eseal::x509::ParseSignedData(in);
  if (sd.ok()) {
    if (eseal::x509::EncodeSignedData(*sd) != sd->der) __builtin_trap();
    for (const auto& si : sd->signer_infos) {
      (void)eseal::x509::MessageDigestAttribute(si);
      (void)eseal::x509::SigningTimeAttribute(si);
      (void)eseal::x509::ContentTypeAttribute(si);
      (void)eseal::x509::SignedMessage(*sd, si);
      (void)eseal::x509::FindSignerCertificate(*sd, si);
    }
  }
  return 0;
}
