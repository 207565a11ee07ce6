// SESeal (电子印章数据), GB/T 38540: SEQUENCE { eSealInfo SES_SealInfo, cert OCTET STRING
// (maker certificate), signAlgID OID, signedValue BIT STRING }. ofdrw's v5 adds
// timeStamp [0] EXPLICIT BIT STRING OPTIONAL and header version 5. The maker signs
// DER(SES_SealInfo) alone (ses-formats.md §2.1).
#include "v4/v4.h"

namespace eseal::ses::internal::v4 {

Result<Seal> ParseSealFrom(asn1::Reader& r) {
  asn1::Reader before = r;
  ASSIGN_OR_RETURN(asn1::Reader s, r.ReadSequence());
  ASSIGN_OR_RETURN(ByteView raw, before.ReadRaw());
  Seal seal;
  seal.der.assign(raw.begin(), raw.end());
  ASSIGN_OR_RETURN(seal.info, ParseSealInfo(s, &seal.info_der));
  ASSIGN_OR_RETURN(ByteView cert, s.ReadOctetString());
  seal.maker_cert.assign(cert.begin(), cert.end());
  ASSIGN_OR_RETURN(seal.signature_algorithm, s.ReadOid());
  ASSIGN_OR_RETURN(ByteView sig, s.ReadBitStringBytes());
  seal.maker_signature.assign(sig.begin(), sig.end());
  auto ts = s.ReadOptionalConstructed(asn1::ContextTag(0, true));
  if (!ts.ok()) return ts.status();
  if (ts->has_value()) {
    ASSIGN_OR_RETURN(ByteView t, (*ts)->ReadBitStringBytes());
    RETURN_IF_ERROR((*ts)->ExpectEnd("timeStamp"));
    seal.timestamp = Bytes(t.begin(), t.end());
  }
  RETURN_IF_ERROR(s.ExpectEnd("SESeal"));
  seal.version = (seal.timestamp || seal.info.header.version == 5) ? Version::kV5 : Version::kV4;
  return seal;
}

Result<Seal> ParseSeal(ByteView der) {
  asn1::Reader r(der);
  ASSIGN_OR_RETURN(Seal seal, ParseSealFrom(r));
  RETURN_IF_ERROR(r.ExpectEnd("SESeal"));
  return seal;
}

void EncodeSeal(const Seal& seal, asn1::Writer& w) {
  w.AddSequence([&](asn1::Writer& s) {
    EncodeSealInfo(seal, s);
    s.AddOctetString(seal.maker_cert);
    s.AddOid(seal.signature_algorithm);
    s.AddBitString(seal.maker_signature);
    if (seal.timestamp) {
      s.AddConstructed(asn1::ContextTag(0, true),
                       [&](asn1::Writer& t) { t.AddBitString(*seal.timestamp); });
    }
  });
}

}  // namespace eseal::ses::internal::v4
