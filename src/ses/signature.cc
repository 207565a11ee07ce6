// Version detection and dispatch for SES_Signature: 2 elements is v1; 4 or 5 is v4/v5,
// told apart by the header version of the embedded seal.
#include "eseal/ses/signature.h"

#include "internal.h"

namespace eseal::ses {

Result<Signature> ParseSignature(ByteView der) {
  auto count = internal::CountTopLevelElements(der);
  if (!count.ok()) return count.status().WithContext("not an electronic signature (SES_Signature)");
  Result<Signature> sig = InvalidArgumentError(
      "not an electronic signature (SES_Signature): a SEQUENCE of " + std::to_string(*count) +
      " elements (v1 has 2, v4/v5 have 4 or 5)");
  if (*count == 2) {
    sig = internal::v1::ParseSignature(der);
  } else if (*count == 4 || *count == 5) {
    sig = internal::v4::ParseSignature(der);
  } else {
    return sig;
  }
  if (!sig.ok()) return sig.status().WithContext("malformed SES_Signature");
  return sig;
}

Bytes EncodeSignature(const Signature& sig) {
  asn1::Writer w;
  if (sig.version == Version::kV1) {
    internal::v1::EncodeSignature(sig, w);
  } else {
    internal::v4::EncodeSignature(sig, w);
  }
  return std::move(w).Finish();
}

Bytes EncodeTbsSign(const Signature& sig) {
  asn1::Writer w;
  if (sig.version == Version::kV1) {
    internal::v1::EncodeTbsSign(sig, w);
  } else {
    internal::v4::EncodeTbsSign(sig, w);
  }
  return std::move(w).Finish();
}

const Bytes& SignerCertificate(const Signature& sig) {
  return sig.version == Version::kV1 ? sig.tbs.v1_cert : sig.cert;
}

const asn1::Oid& SignatureAlgorithm(const Signature& sig) {
  return sig.version == Version::kV1 ? sig.tbs.v1_signature_algorithm : sig.signature_algorithm;
}

}  // namespace eseal::ses
