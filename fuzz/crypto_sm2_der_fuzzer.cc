// Fuzzes the SM2 signature value decoder (Sm2DerToRaw): whatever it accepts must be strict
// DER, i.e. re-encode to exactly the input; 64-byte inputs also round-trip the other way.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "eseal/crypto/sm2.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace eseal;
  using namespace eseal::crypto;
  ByteView in(data, size);
  if (auto raw = Sm2DerToRaw(in); raw.ok()) {
    if (raw->size() != 64) std::abort();
    auto der = Sm2RawToDer(*raw);
    if (!der.ok() || !std::equal(der->begin(), der->end(), in.begin(), in.end())) std::abort();
  }
  if (size == 64) {
    if (auto der = Sm2RawToDer(in); der.ok()) {
      auto raw = Sm2DerToRaw(*der);
      if (!raw.ok() || !std::equal(raw->begin(), raw->end(), in.begin(), in.end())) std::abort();
    }
  }
  return 0;
}
