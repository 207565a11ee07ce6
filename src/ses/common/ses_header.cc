// SES_Header (印章头), common to all versions: SEQUENCE { ID IA5String, version INTEGER,
// Vid IA5String }.
#include "internal.h"

namespace eseal::ses::internal {

Result<Header> ParseHeader(asn1::Reader& r) {
  ASSIGN_OR_RETURN(asn1::Reader s, r.ReadSequence());
  Header h;
  ASSIGN_OR_RETURN(h.id, s.ReadString(asn1::kIa5String));
  ASSIGN_OR_RETURN(h.version, s.ReadInt64());
  ASSIGN_OR_RETURN(h.vid, s.ReadString(asn1::kIa5String));
  RETURN_IF_ERROR(s.ExpectEnd("SES_Header"));
  return h;
}

void EncodeHeader(const Header& h, asn1::Writer& w) {
  w.AddSequence([&](asn1::Writer& s) {
    s.AddString(asn1::kIa5String, h.id);
    s.AddInt64(h.version);
    s.AddString(asn1::kIa5String, h.vid);
  });
}

}  // namespace eseal::ses::internal
