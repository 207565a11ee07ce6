// Version detection and dispatch for SESeal (ses-formats.md §5, ofdrw's VersionParser):
// a top-level SEQUENCE of 2 elements is v1; of 4 is v4 (v5 when the header says 5); of 5 is v5.
#include "eseal/ses/seal.h"

#include "internal.h"

namespace eseal::ses {

std::string_view VersionName(Version v) {
  switch (v) {
    case Version::kV1: return "v1";
    case Version::kV4: return "v4";
    case Version::kV5: return "v5";
  }
  return "unknown";
}

namespace internal {
Result<int> CountTopLevelElements(ByteView der) {
  asn1::Reader top(der);
  ASSIGN_OR_RETURN(asn1::Reader s, top.ReadSequence());
  RETURN_IF_ERROR(top.ExpectEnd("the top-level SEQUENCE"));
  int n = 0;
  while (!s.empty()) {
    RETURN_IF_ERROR(s.ReadElement());
    if (++n > 16) break;
  }
  return n;
}
}  // namespace internal

Result<Seal> ParseSeal(ByteView der) {
  auto count = internal::CountTopLevelElements(der);
  if (!count.ok()) return count.status().WithContext("not an electronic seal (SESeal)");
  Result<Seal> seal = InvalidArgumentError(
      "not an electronic seal (SESeal): a SEQUENCE of " + std::to_string(*count) +
      " elements (v1 has 2, v4 has 4, v5 has 4 or 5)");
  if (*count == 2) {
    seal = internal::v1::ParseSeal(der);
  } else if (*count == 4 || *count == 5) {
    seal = internal::v4::ParseSeal(der);
  } else {
    return seal;
  }
  if (!seal.ok()) return seal.status().WithContext("malformed SESeal");
  return seal;
}

Bytes EncodeSeal(const Seal& seal) {
  asn1::Writer w;
  if (seal.version == Version::kV1) {
    internal::v1::EncodeSeal(seal, w);
  } else {
    internal::v4::EncodeSeal(seal, w);
  }
  return std::move(w).Finish();
}

Bytes EncodeSealInfo(const Seal& seal) {
  asn1::Writer w;
  if (seal.version == Version::kV1) {
    internal::v1::EncodeSealInfo(seal, w);
  } else {
    internal::v4::EncodeSealInfo(seal, w);
  }
  return std::move(w).Finish();
}

Bytes MakerSignedMessage(const Seal& seal) {
  if (seal.version == Version::kV1) return internal::v1::MakerSignedMessage(seal);
  return seal.info_der.empty() ? EncodeSealInfo(seal) : seal.info_der;
}

}  // namespace eseal::ses
