// SES_Signature (电子签章数据), GB/T 38540: SEQUENCE { toSign TBS_Sign, cert OCTET STRING
// (signer certificate), signatureAlgID OID, signature BIT STRING,
// timeStamp [0] EXPLICIT BIT STRING OPTIONAL }. The signature covers DER(TBS_Sign).
#include "v4/v4.h"

namespace eseal::ses::internal::v4 {

Result<Signature> ParseSignature(ByteView der) {
  asn1::Reader top(der);
  ASSIGN_OR_RETURN(asn1::Reader s, top.ReadSequence());
  RETURN_IF_ERROR(top.ExpectEnd("SES_Signature"));
  Signature sig;
  sig.der.assign(der.begin(), der.end());
  auto tbs = ParseTbsSign(s, &sig.tbs_der);
  if (!tbs.ok()) return Ctx(tbs.status(), "TBS_Sign");
  sig.tbs = *std::move(tbs);
  sig.version = sig.tbs.seal.version;
  ASSIGN_OR_RETURN(ByteView cert, s.ReadOctetString());
  sig.cert.assign(cert.begin(), cert.end());
  ASSIGN_OR_RETURN(sig.signature_algorithm, s.ReadOid());
  ASSIGN_OR_RETURN(ByteView value, s.ReadBitStringBytes());
  sig.signature.assign(value.begin(), value.end());
  auto ts = s.ReadOptionalConstructed(asn1::ContextTag(0, true));
  if (!ts.ok()) return ts.status();
  if (ts->has_value()) {
    ASSIGN_OR_RETURN(ByteView t, (*ts)->ReadBitStringBytes());
    RETURN_IF_ERROR((*ts)->ExpectEnd("timeStamp"));
    sig.timestamp = Bytes(t.begin(), t.end());
  }
  RETURN_IF_ERROR(s.ExpectEnd("SES_Signature"));
  return sig;
}

void EncodeSignature(const Signature& sig, asn1::Writer& w) {
  w.AddSequence([&](asn1::Writer& s) {
    EncodeTbsSign(sig, s);
    s.AddOctetString(sig.cert);
    s.AddOid(sig.signature_algorithm);
    s.AddBitString(sig.signature);
    if (sig.timestamp) {
      s.AddConstructed(asn1::ContextTag(0, true),
                       [&](asn1::Writer& t) { t.AddBitString(*sig.timestamp); });
    }
  });
}

}  // namespace eseal::ses::internal::v4
