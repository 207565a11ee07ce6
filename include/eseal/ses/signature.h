// SES_Signature (电子签章数据) and TBS_Sign (待电子签章数据) of GB/T 38540 (v4/v5) and
// GM/T 0031-2014 (v1), one version-neutral model. The document signature covers
// DER(TBS_Sign); dataHash is SM3 of the signed original (in OFD, the bytes of the
// signature's Signature.xml). Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/ses/seal.h"

namespace eseal::ses {

// How a v1 timeInfo BIT STRING was written (it is free-form in practice).
enum class V1TimeFormat {
  kAsciiDateTime,  // "yyyy-MM-dd HH:mm:ss" (ofdrw; what Suwell readers want)
  kIso8601,        // "2020-01-25T07:31:56.377Z" (iOFD)
  kDerUtcTime,     // a DER UTCTime inside the bit string (ofdrw's v1 unit test)
  kUnknown,        // anything else: the time is not usable
};

struct TbsSign {
  int64_t version = 4;
  Seal seal;                    // the whole seal, embedded
  Time time{};                  // signing time (签章时间) as claimed by the signer
  Bytes data_hash;              // SM3 of the original
  std::string property_info;    // OFD: path of the signed Signature.xml
  std::optional<std::vector<ExtData>> ext_datas;  // v4/v5: [0] EXPLICIT

  // v1 only: the signer certificate and algorithm live inside TBS_Sign.
  Bytes v1_cert;
  asn1::Oid v1_signature_algorithm;
  Bytes v1_time_info;  // the raw timeInfo bit string octets
  V1TimeFormat v1_time_format = V1TimeFormat::kAsciiDateTime;
  bool v1_octet_string_fields = false;  // tolerance: timeInfo/dataHash as OCTET STRING
};

struct Signature {
  Version version = Version::kV4;
  TbsSign tbs;
  Bytes cert;                    // signer certificate (签章者证书), DER
  asn1::Oid signature_algorithm;
  Bytes signature;               // SM2 signature over DER(TBS_Sign)
  std::optional<Bytes> timestamp;  // v4/v5: timeStamp [0], over the signature value

  Bytes der;      // as parsed or made
  Bytes tbs_der;  // the TBS_Sign element, as parsed or made
};

Result<Signature> ParseSignature(ByteView der);
Bytes EncodeSignature(const Signature& sig);
Bytes EncodeTbsSign(const Signature& sig);

// The signer certificate whatever the version (v1 keeps it inside TBS_Sign).
const Bytes& SignerCertificate(const Signature& sig);
const asn1::Oid& SignatureAlgorithm(const Signature& sig);

}  // namespace eseal::ses
