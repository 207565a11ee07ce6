// Fuzzes the strict CRL (CertificateList) parser and lookups in what it accepts; the same
// bytes are also read as PEM text (CRLs are uploaded as either).
#include <cstddef>
#include <cstdint>

#include "eseal/x509/crl.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  eseal::ByteView in(data, size);
  auto crl = eseal::x509::Crl::FromDer(in);
  if (crl.ok()) {
    (void)crl->issuer().ToString();
    for (const auto& e : crl->entries()) {
      const eseal::x509::RevokedEntry* found = crl->Lookup(e.serial);
      if (!found || found->serial != e.serial) __builtin_trap();
      if (e.reason) (void)eseal::x509::RevocationReasonName(*e.reason);
    }
    (void)crl->Lookup(in.subspan(0, size < 4 ? size : 4));
    auto again = eseal::x509::Crl::FromPem(crl->ToPem());
    if (!again.ok() || again->der() != crl->der()) __builtin_trap();
  }
  if (auto pem = eseal::x509::Crl::FromPem(eseal::AsChars(in)); pem.ok()) {
    auto der = eseal::x509::Crl::FromDer(pem->der());
    if (!der.ok() || der->der() != pem->der()) __builtin_trap();
  }
  return 0;
}
