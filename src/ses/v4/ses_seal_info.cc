// SES_SealInfo (印章信息), GB/T 38540: SEQUENCE { header, esID IA5String, property,
// picture, extDatas ExtensionDatas OPTIONAL } — extDatas UNTAGGED here, as ofdrw and the
// GOMAIN seals write it (ses-formats.md §2, §6.5).
#include "v4/v4.h"

namespace eseal::ses::internal::v4 {

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

}  // namespace eseal::ses::internal::v4
