// SES_ESPropertyInfo, GM/T 0031-2014: SEQUENCE { type INTEGER, name UTF8String,
// certList SEQUENCE OF cert, createDate UTCTime, validStart UTCTime, validEnd UTCTime }.
// certList entries are OCTET STRINGs holding DER certificates in ofdrw's seals; iOFD writes
// IA5String "1". Entries are kept exactly as encoded so re-encoding is faithful.
#include "v1/v1.h"

namespace eseal::ses::internal::v1 {

Result<PropertyInfo> ParsePropertyInfo(asn1::Reader& r) {
  ASSIGN_OR_RETURN(asn1::Reader s, r.ReadSequence());
  PropertyInfo p;
  p.cert_list_type = 1;
  ASSIGN_OR_RETURN(p.type, s.ReadInt64());
  ASSIGN_OR_RETURN(p.name, s.ReadString(asn1::kUtf8String));
  ASSIGN_OR_RETURN(asn1::Reader list, s.ReadSequence());
  while (!list.empty()) {
    if (p.v1_cert_list_raw.size() >= 64) return InvalidArgumentError("certList has more than 64 entries");
    ASSIGN_OR_RETURN(asn1::Element e, list.ReadElement());
    p.v1_cert_list_raw.emplace_back(e.encoding.begin(), e.encoding.end());
    if (e.tag == asn1::kOctetString) p.certs.emplace_back(e.content.begin(), e.content.end());
  }
  // Tolerance: some writers use GeneralizedTime for the v1 dates.
  p.v1_dates_generalized = s.PeekIs(asn1::kGeneralizedTime);
  ASSIGN_OR_RETURN(p.create_date, s.ReadTime());
  ASSIGN_OR_RETURN(p.valid_start, s.ReadTime());
  ASSIGN_OR_RETURN(p.valid_end, s.ReadTime());
  RETURN_IF_ERROR(s.ExpectEnd("SES_ESPropertyInfo"));
  return p;
}

void EncodePropertyInfo(const PropertyInfo& p, asn1::Writer& w) {
  w.AddSequence([&](asn1::Writer& s) {
    s.AddInt64(p.type);
    s.AddString(asn1::kUtf8String, p.name);
    s.AddSequence([&](asn1::Writer& list) {
      if (!p.v1_cert_list_raw.empty()) {
        for (const Bytes& raw : p.v1_cert_list_raw) list.AddRaw(raw);
      } else {
        for (const Bytes& c : p.certs) list.AddOctetString(c);
      }
    });
    auto add_time = [&](Time t) {
      if (p.v1_dates_generalized) {
        s.AddGeneralizedTime(t);
      } else {
        s.AddUtcTime(t);
      }
    };
    add_time(p.create_date);
    add_time(p.valid_start);
    add_time(p.valid_end);
  });
}

}  // namespace eseal::ses::internal::v1
