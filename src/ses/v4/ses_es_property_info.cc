// SES_ESPropertyInfo (印章属性信息), GB/T 38540: SEQUENCE { type INTEGER, name UTF8String,
// certListType INTEGER, certList SES_CertList, createDate, validStart, validEnd
// GeneralizedTime }. SES_CertList is an untagged CHOICE chosen by certListType:
// 1 → SEQUENCE OF OCTET STRING (DER certificates), 2 → SEQUENCE OF CertDigestObj.
#include "v4/v4.h"

namespace eseal::ses::internal::v4 {

Result<PropertyInfo> ParsePropertyInfo(asn1::Reader& r) {
  ASSIGN_OR_RETURN(asn1::Reader s, r.ReadSequence());
  PropertyInfo p;
  ASSIGN_OR_RETURN(p.type, s.ReadInt64());
  ASSIGN_OR_RETURN(p.name, s.ReadString(asn1::kUtf8String));
  ASSIGN_OR_RETURN(p.cert_list_type, s.ReadInt64());
  ASSIGN_OR_RETURN(asn1::Reader list, s.ReadSequence());
  while (!list.empty()) {
    if (p.certs.size() + p.cert_digests.size() >= 64) {
      return InvalidArgumentError("certList has more than 64 entries");
    }
    if (p.cert_list_type == 1) {
      ASSIGN_OR_RETURN(ByteView cert, list.ReadOctetString());
      p.certs.emplace_back(cert.begin(), cert.end());
    } else if (p.cert_list_type == 2) {
      ASSIGN_OR_RETURN(asn1::Reader d, list.ReadSequence());
      CertDigest cd;
      ASSIGN_OR_RETURN(cd.type, d.ReadString(asn1::kPrintableString));
      ASSIGN_OR_RETURN(ByteView v, d.ReadOctetString());
      cd.value.assign(v.begin(), v.end());
      RETURN_IF_ERROR(d.ExpectEnd("CertDigestObj"));
      p.cert_digests.push_back(std::move(cd));
    } else {
      return InvalidArgumentError("certListType " + std::to_string(p.cert_list_type) +
                                  " is neither 1 (certificates) nor 2 (digests)");
    }
  }
  ASSIGN_OR_RETURN(p.create_date, s.ReadGeneralizedTime());
  ASSIGN_OR_RETURN(p.valid_start, s.ReadGeneralizedTime());
  ASSIGN_OR_RETURN(p.valid_end, s.ReadGeneralizedTime());
  RETURN_IF_ERROR(s.ExpectEnd("SES_ESPropertyInfo"));
  return p;
}

void EncodePropertyInfo(const PropertyInfo& p, asn1::Writer& w) {
  w.AddSequence([&](asn1::Writer& s) {
    s.AddInt64(p.type);
    s.AddString(asn1::kUtf8String, p.name);
    s.AddInt64(p.cert_list_type);
    s.AddSequence([&](asn1::Writer& list) {
      if (p.cert_list_type == 2) {
        for (const CertDigest& d : p.cert_digests) {
          list.AddSequence([&](asn1::Writer& x) {
            x.AddString(asn1::kPrintableString, d.type);
            x.AddOctetString(d.value);
          });
        }
      } else {
        for (const Bytes& c : p.certs) list.AddOctetString(c);
      }
    });
    s.AddGeneralizedTime(p.create_date);
    s.AddGeneralizedTime(p.valid_start);
    s.AddGeneralizedTime(p.valid_end);
  });
}

}  // namespace eseal::ses::internal::v4
