// TBS_Sign, GM/T 0031-2014: SEQUENCE { version INTEGER, eseal SESeal, timeInfo BIT STRING,
// dataHash BIT STRING, propertyInfo IA5String, cert OCTET STRING (signer certificate),
// signatureAlgorithm OID }. "timeInfo: 签章时间信息，可以是时间戳，也可以是 UTCTIME 时间" — in
// practice a free-form string inside the bit string (ses-formats.md §3).
#include <cstdio>

#include "v1/v1.h"

namespace eseal::ses::internal::v1 {
namespace {

// China Standard Time: zone-less v1 times come from Chinese signing products.
constexpr int kChinaOffsetSeconds = 8 * 3600;

Result<ByteView> ReadBitsTolerant(asn1::Reader& s, bool* octet_string) {
  if (s.PeekIs(asn1::kOctetString)) {
    *octet_string = true;
    return s.ReadOctetString();
  }
  return s.ReadBitStringBytes();
}

}  // namespace

void DecodeTimeInfo(TbsSign& t) {
  std::string_view text = AsChars(t.v1_time_info);
  if (!t.v1_time_info.empty() && t.v1_time_info[0] == asn1::kUtcTime) {
    asn1::Reader r(t.v1_time_info);
    auto time = r.ReadUtcTime();
    if (time.ok() && r.empty()) {
      t.time = *time;
      t.v1_time_format = V1TimeFormat::kDerUtcTime;
      return;
    }
  }
  if (text.size() == 19 && text[10] == ' ') {
    auto time = ParseTime(text, kChinaOffsetSeconds);
    if (time.ok()) {
      t.time = *time;
      t.v1_time_format = V1TimeFormat::kAsciiDateTime;
      return;
    }
  }
  auto time = ParseTime(text, kChinaOffsetSeconds);
  if (time.ok()) {
    t.time = *time;
    t.v1_time_format = V1TimeFormat::kIso8601;
    return;
  }
  t.v1_time_format = V1TimeFormat::kUnknown;
}

Bytes EncodeTimeInfo(Time t) {
  CivilTime c = ToCivil(t + std::chrono::seconds(kChinaOffsetSeconds));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return ToBytes(buf);
}

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
  bool octets = false;
  ASSIGN_OR_RETURN(ByteView time_info, ReadBitsTolerant(s, &octets));
  t.v1_time_info.assign(time_info.begin(), time_info.end());
  ASSIGN_OR_RETURN(ByteView hash, ReadBitsTolerant(s, &octets));
  t.data_hash.assign(hash.begin(), hash.end());
  t.v1_octet_string_fields = octets;
  ASSIGN_OR_RETURN(t.property_info, s.ReadString(asn1::kIa5String));
  ASSIGN_OR_RETURN(ByteView cert, s.ReadOctetString());
  t.v1_cert.assign(cert.begin(), cert.end());
  ASSIGN_OR_RETURN(t.v1_signature_algorithm, s.ReadOid());
  RETURN_IF_ERROR(s.ExpectEnd("TBS_Sign"));
  DecodeTimeInfo(t);
  return t;
}

void EncodeTbsSign(const Signature& sig, asn1::Writer& w) {
  const TbsSign& t = sig.tbs;
  w.AddSequence([&](asn1::Writer& s) {
    s.AddInt64(t.version);
    EncodeSeal(t.seal, s);
    if (t.v1_octet_string_fields) {
      s.AddOctetString(t.v1_time_info);
      s.AddOctetString(t.data_hash);
    } else {
      s.AddBitString(t.v1_time_info);
      s.AddBitString(t.data_hash);
    }
    s.AddString(asn1::kIa5String, t.property_info);
    s.AddOctetString(t.v1_cert);
    s.AddOid(t.v1_signature_algorithm);
  });
}

}  // namespace eseal::ses::internal::v1
