// Fuzzes the strict DER reader: walks any input as a tree of elements and reads every
// primitive as each typed reader would, so every path of der.cc sees hostile bytes.
#include <cstddef>
#include <cstdint>

#include "eseal/asn1/der.h"

namespace {

void Walk(eseal::asn1::Reader r) {
  using namespace eseal::asn1;
  while (!r.empty()) {
    auto tag = r.PeekTag();
    if (!tag.ok()) return;
    if (*tag & kConstructed) {
      auto inner = r.ReadConstructed(*tag);
      if (!inner.ok()) return;
      Walk(*inner);
      continue;
    }
    Reader probe = r;
    switch (*tag) {
      case kBoolean: (void)probe.ReadBoolean(); break;
      case kInteger: (void)probe.ReadInt64(); (void)Reader(r).ReadUnsignedIntegerBytes(); break;
      case kBitString: (void)probe.ReadBitString(); break;
      case kObjectIdentifier: {
        auto oid = probe.ReadOid();
        if (oid.ok()) (void)oid->ToString();
        break;
      }
      case kUtcTime: (void)probe.ReadUtcTime(); break;
      case kGeneralizedTime: (void)probe.ReadGeneralizedTime(); break;
      case kNull: (void)probe.ReadNull(); break;
      default: (void)probe.ReadAnyString(); break;
    }
    if (!r.ReadElement().ok()) return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Walk(eseal::asn1::Reader(eseal::ByteView(data, size)));
  (void)eseal::asn1::ParseSingle(eseal::ByteView(data, size));
  return 0;
}
