// ExtensionDatas / ExtData (自定义数据): SEQUENCE OF SEQUENCE { extnID OID,
// critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }.
#include "internal.h"

namespace eseal::ses::internal {

Result<ExtData> ParseExtData(asn1::Reader& r) {
  ASSIGN_OR_RETURN(asn1::Reader s, r.ReadSequence());
  ExtData e;
  ASSIGN_OR_RETURN(e.id, s.ReadOid());
  if (s.PeekIs(asn1::kBoolean)) {
    ASSIGN_OR_RETURN(e.critical, s.ReadBoolean());
    e.critical_encoded = true;
  } else {
    e.critical_encoded = false;
  }
  ASSIGN_OR_RETURN(ByteView v, s.ReadOctetString());
  e.value.assign(v.begin(), v.end());
  RETURN_IF_ERROR(s.ExpectEnd("ExtData"));
  return e;
}

Result<std::vector<ExtData>> ParseExtensionDatas(asn1::Reader& r) {
  ASSIGN_OR_RETURN(asn1::Reader s, r.ReadSequence());
  std::vector<ExtData> out;
  while (!s.empty()) {
    if (out.size() >= 256) return InvalidArgumentError("too many ExtData entries");
    ASSIGN_OR_RETURN(ExtData e, ParseExtData(s));
    out.push_back(std::move(e));
  }
  return out;
}

void EncodeExtensionDatas(const std::vector<ExtData>& exts, asn1::Writer& w) {
  w.AddSequence([&](asn1::Writer& s) {
    for (const ExtData& e : exts) {
      s.AddSequence([&](asn1::Writer& x) {
        x.AddOid(e.id);
        if (e.critical_encoded || e.critical) x.AddBoolean(e.critical);
        x.AddOctetString(e.value);
      });
    }
  });
}

}  // namespace eseal::ses::internal
