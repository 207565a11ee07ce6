// GM/T 0031-2014 (v1) codec pieces. Private.
#pragma once

#include "internal.h"

namespace eseal::ses::internal::v1 {

Result<PropertyInfo> ParsePropertyInfo(asn1::Reader& r);
void EncodePropertyInfo(const PropertyInfo& p, asn1::Writer& w);
Result<Seal> ParseSealFrom(asn1::Reader& r);
Result<TbsSign> ParseTbsSign(asn1::Reader& r, Bytes* tbs_der);
// Interprets a v1 timeInfo bit string (free-form in practice).
void DecodeTimeInfo(TbsSign& t);
// The ASCII "yyyy-MM-dd HH:mm:ss" form we write (China Standard Time, what Suwell wants).
Bytes EncodeTimeInfo(Time t);

}  // namespace eseal::ses::internal::v1
