// TBS_Sign (待电子签章数据), GB/T 38540: SEQUENCE { version INTEGER, eseal SESeal,
// timeInfo GeneralizedTime, dataHash BIT STRING, propertyInfo IA5String,
// extDatas [0] EXPLICIT ExtensionDatas OPTIONAL } — [0] EXPLICIT here, unlike SealInfo.
#include "v4/v4.h"

namespace eseal::ses::internal::v4 {

Result<TbsSign> ParseTbsSign(asn1::Reader& r, Bytes* tbs_der) {
  asn1::Reader before = r;
  ASSIGN_OR_RETURN(asn1::Reader s, r.ReadSequence());
  ASSIGN_OR_RETURN(ByteView raw, before.ReadRaw());
  tbs_der->assign(raw.begin(), raw.end());
  TbsSign t;
  ASSIGN_OR_RETURN(t.version, s.ReadInt64());
  auto seal = ParseSealFrom(s);
  if (!seal.ok()) return Ctx(seal.status(), "eseal");
  t.seal = *std::move(seal);
  ASSIGN_OR_RETURN(t.time, s.ReadGeneralizedTime());
  ASSIGN_OR_RETURN(ByteView hash, s.ReadBitStringBytes());
  t.data_hash.assign(hash.begin(), hash.end());
  ASSIGN_OR_RETURN(t.property_info, s.ReadString(asn1::kIa5String));
  auto ext = s.ReadOptionalConstructed(asn1::ContextTag(0, true));
  if (!ext.ok()) return ext.status();
  if (ext->has_value()) {
    auto exts = ParseExtensionDatas(**ext);
    if (!exts.ok()) return Ctx(exts.status(), "extDatas");
    RETURN_IF_ERROR((*ext)->ExpectEnd("extDatas"));
    t.ext_datas = *std::move(exts);
  }
  RETURN_IF_ERROR(s.ExpectEnd("TBS_Sign"));
  return t;
}

void EncodeTbsSign(const Signature& sig, asn1::Writer& w) {
  const TbsSign& t = sig.tbs;
  w.AddSequence([&](asn1::Writer& s) {
    s.AddInt64(t.version);
    EncodeSeal(t.seal, s);
    s.AddGeneralizedTime(t.time);
    s.AddBitString(t.data_hash);
    s.AddString(asn1::kIa5String, t.property_info);
    if (t.ext_datas) {
      s.AddConstructed(asn1::ContextTag(0, true),
                       [&](asn1::Writer& x) { EncodeExtensionDatas(*t.ext_datas, x); });
    }
  });
}

}  // namespace eseal::ses::internal::v4
