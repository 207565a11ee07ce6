// Fuzzes the strict X.509 certificate parser and everything a parsed certificate offers
// (name display, extensions, PEM round trip, signature check against itself).
#include <cstddef>
#include <cstdint>

#include "eseal/x509/certificate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  eseal::ByteView in(data, size);
  auto cert = eseal::x509::Certificate::FromDer(in);
  if (cert.ok()) {
    (void)cert->subject().ToString();
    (void)cert->issuer().ToRfc4514();
    (void)cert->SerialHex();
    (void)cert->UnhandledCriticalExtension();
    if (cert->key_usage()) (void)eseal::x509::KeyUsageToString(*cert->key_usage());
    auto again = eseal::x509::Certificate::FromPem(cert->ToPem());
    if (!again.ok() || !(*again == *cert)) __builtin_trap();
    // Re-parsing a name must give the same bytes.
    auto name = eseal::x509::Name::FromDer(cert->subject().der());
    if (!name.ok() || !(*name == cert->subject())) __builtin_trap();
    (void)cert->IsSignedBy(*cert);
  }
  // The same bytes as PEM text.
  (void)eseal::x509::Certificate::FromPemBundle(eseal::AsChars(in));
  return 0;
}
