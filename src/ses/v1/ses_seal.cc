// SESeal, GM/T 0031-2014: SEQUENCE { esealInfo SES_SealInfo, signInfo SES_SignInfo }, with
// SES_SignInfo ::= SEQUENCE { cert OCTET STRING, signatureAlgorithm OID, signData BIT STRING }.
// Unlike v4, the maker signs DER(SEQUENCE{SES_SealInfo, cert, signatureAlgorithm}).
#include "v1/v1.h"

namespace eseal::ses::internal::v1 {
namespace {

Result<SealInfo> ParseSealInfo(asn1::Reader& r, Bytes* info_der) {
  asn1::Reader before = r;
  ASSIGN_OR_RETURN(asn1::Reader s, r.ReadSequence());
  ASSIGN_OR_RETURN(ByteView raw, before.ReadRaw());
  info_der->assign(raw.begin(), raw.end());
  SealInfo info;
  auto header = ParseHeader(s);
  if (!header.ok()) return Ctx(header.status(), "SES_Header");
  info.header = *std::move(header);
  ASSIGN_OR_RETURN(info.esid, s.ReadString(asn1::kIa5String));
  auto prop = ParsePropertyInfo(s);
  if (!prop.ok()) return Ctx(prop.status(), "SES_ESPropertyInfo");
  info.property = *std::move(prop);
  auto pic = ParsePicture(s);
  if (!pic.ok()) return Ctx(pic.status(), "SES_ESPictrueInfo");
  info.picture = *std::move(pic);
  if (!s.empty()) {
    auto exts = ParseExtensionDatas(s);
    if (!exts.ok()) return Ctx(exts.status(), "ExtensionDatas");
    info.ext_datas = *std::move(exts);
  }
  RETURN_IF_ERROR(s.ExpectEnd("SES_SealInfo"));
  return info;
}

}  // namespace

void EncodeSealInfo(const Seal& seal, asn1::Writer& w) {
  const SealInfo& info = seal.info;
  w.AddSequence([&](asn1::Writer& s) {
    EncodeHeader(info.header, s);
    s.AddString(asn1::kIa5String, info.esid);
    EncodePropertyInfo(info.property, s);
    EncodePicture(info.picture, s);
    if (info.ext_datas) EncodeExtensionDatas(*info.ext_datas, s);
  });
}

Result<Seal> ParseSealFrom(asn1::Reader& r) {
  asn1::Reader before = r;
  ASSIGN_OR_RETURN(asn1::Reader s, r.ReadSequence());
  ASSIGN_OR_RETURN(ByteView raw, before.ReadRaw());
  Seal seal;
  seal.version = Version::kV1;
  seal.der.assign(raw.begin(), raw.end());
  ASSIGN_OR_RETURN(seal.info, ParseSealInfo(s, &seal.info_der));
  ASSIGN_OR_RETURN(asn1::Reader sign_info, s.ReadSequence());
  ASSIGN_OR_RETURN(ByteView cert, sign_info.ReadOctetString());
  seal.maker_cert.assign(cert.begin(), cert.end());
  ASSIGN_OR_RETURN(seal.signature_algorithm, sign_info.ReadOid());
  ASSIGN_OR_RETURN(ByteView sig, sign_info.ReadBitStringBytes());
  seal.maker_signature.assign(sig.begin(), sig.end());
  RETURN_IF_ERROR(sign_info.ExpectEnd("SES_SignInfo"));
  RETURN_IF_ERROR(s.ExpectEnd("SESeal"));
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
    s.AddSequence([&](asn1::Writer& si) {
      si.AddOctetString(seal.maker_cert);
      si.AddOid(seal.signature_algorithm);
      si.AddBitString(seal.maker_signature);
    });
  });
}

Bytes MakerSignedMessage(const Seal& seal) {
  asn1::Writer w;
  w.AddSequence([&](asn1::Writer& s) {
    if (!seal.info_der.empty()) {
      s.AddRaw(seal.info_der);
    } else {
      EncodeSealInfo(seal, s);
    }
    s.AddOctetString(seal.maker_cert);
    s.AddOid(seal.signature_algorithm);
  });
  return std::move(w).Finish();
}

}  // namespace eseal::ses::internal::v1
