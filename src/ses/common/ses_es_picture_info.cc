// SES_ESPictrueInfo (印章图片信息): SEQUENCE { type IA5String, data OCTET STRING,
// width INTEGER, height INTEGER } — width and height in millimetres.
#include "internal.h"

namespace eseal::ses::internal {

Result<Picture> ParsePicture(asn1::Reader& r) {
  ASSIGN_OR_RETURN(asn1::Reader s, r.ReadSequence());
  Picture p;
  ASSIGN_OR_RETURN(p.type, s.ReadString(asn1::kIa5String));
  ASSIGN_OR_RETURN(ByteView data, s.ReadOctetString());
  p.data.assign(data.begin(), data.end());
  ASSIGN_OR_RETURN(p.width_mm, s.ReadInt64());
  ASSIGN_OR_RETURN(p.height_mm, s.ReadInt64());
  RETURN_IF_ERROR(s.ExpectEnd("SES_ESPictrueInfo"));
  return p;
}

void EncodePicture(const Picture& p, asn1::Writer& w) {
  w.AddSequence([&](asn1::Writer& s) {
    s.AddString(asn1::kIa5String, p.type);
    s.AddOctetString(p.data);
    s.AddInt64(p.width_mm);
    s.AddInt64(p.height_mm);
  });
}

}  // namespace eseal::ses::internal
