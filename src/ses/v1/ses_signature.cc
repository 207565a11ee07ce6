// SES_Signature, GM/T 0031-2014: SEQUENCE { toSign TBS_Sign, signature BIT STRING }.
#include "v1/v1.h"

namespace eseal::ses::internal::v1 {

Result<Signature> ParseSignature(ByteView der) {
  asn1::Reader top(der);
  ASSIGN_OR_RETURN(asn1::Reader s, top.ReadSequence());
  RETURN_IF_ERROR(top.ExpectEnd("SES_Signature"));
  Signature sig;
  sig.version = Version::kV1;
  sig.der.assign(der.begin(), der.end());
  auto tbs = ParseTbsSign(s, &sig.tbs_der);
  if (!tbs.ok()) return Ctx(tbs.status(), "TBS_Sign");
  sig.tbs = *std::move(tbs);
  ASSIGN_OR_RETURN(ByteView value, s.ReadBitStringBytes());
  sig.signature.assign(value.begin(), value.end());
  RETURN_IF_ERROR(s.ExpectEnd("SES_Signature"));
  return sig;
}

void EncodeSignature(const Signature& sig, asn1::Writer& w) {
  w.AddSequence([&](asn1::Writer& s) {
    EncodeTbsSign(sig, s);
    s.AddBitString(sig.signature);
  });
}

}  // namespace eseal::ses::internal::v1
