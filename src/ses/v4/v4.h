// GB/T 38540-2020 (v4) codec pieces, also used for v5 (same layout). Private.
#pragma once

#include "internal.h"

namespace eseal::ses::internal::v4 {

Result<PropertyInfo> ParsePropertyInfo(asn1::Reader& r);
void EncodePropertyInfo(const PropertyInfo& p, asn1::Writer& w);
Result<SealInfo> ParseSealInfo(asn1::Reader& r, Bytes* info_der);
Result<Seal> ParseSealFrom(asn1::Reader& r);
Result<TbsSign> ParseTbsSign(asn1::Reader& r, Bytes* tbs_der);

}  // namespace eseal::ses::internal::v4
