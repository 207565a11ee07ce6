// Fuzzes the distinguished-name text parser ("CN=..,O=..,C=CN" and "/C=CN/O=.../CN=...")
// and checks that what it accepts survives display and re-parsing unchanged; the input is
// also tried as a DER Name.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "eseal/x509/name.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto name = eseal::x509::Name::Parse(text);
  if (name.ok()) {
    (void)name->ToString();
    auto again = eseal::x509::Name::Parse(name->ToRfc4514());
    if (!again.ok() || !(*again == *name)) __builtin_trap();
    auto der = eseal::x509::Name::FromDer(name->der());
    if (!der.ok() || !(*der == *name)) __builtin_trap();
  }
  auto from_der = eseal::x509::Name::FromDer(eseal::ByteView(data, size));
  if (from_der.ok()) {
    (void)from_der->ToString();
    (void)from_der->CommonName();
  }
  return 0;
}
