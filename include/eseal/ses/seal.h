// SESeal: the electronic seal (电子印章数据) of GB/T 38540-2020 ("v4"), GM/T 0031-2014
// ("v1") and ofdrw's GM/T 0031-2025 reading ("v5"), as one version-neutral model.
// The structures and what is signed are in shared/reference/ses-formats.md §2–§6.
// Parsing is strict DER with a few named tolerances for what real vendors write; a parsed
// seal keeps its original bytes, and Encode() re-creates them exactly for every
// interoperable seal (ofdrw re-encodes before verifying, so we must be re-encode-stable).
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/asn1/oid.h"
#include "eseal/base/bytes.h"
#include "eseal/base/time.h"

namespace eseal::ses {

enum class Version { kV1 = 1, kV4 = 4, kV5 = 5 };
std::string_view VersionName(Version v);  // "v1", "v4", "v5"

// SES_Header (印章头): ID "ES", version, vendor id (厂商标识).
struct Header {
  std::string id = "ES";
  int64_t version = 4;
  std::string vid;
};

// ExtData (自定义数据). `critical` is written explicitly even when FALSE: ofdrw's parser
// requires it, and all vendor seals seen write it (ses-formats.md §6.1).
struct ExtData {
  asn1::Oid id;
  bool critical = false;
  bool critical_encoded = true;  // false when the input omitted the DEFAULT FALSE
  Bytes value;
};

// CertDigestObj (certListType 2): a digest of a signer certificate.
struct CertDigest {
  std::string type;  // digest algorithm name, e.g. "SM3"
  Bytes value;
};

// SES_ESPropertyInfo (印章属性信息).
struct PropertyInfo {
  int64_t type = 1;  // seal type (印章类型); vendors use 1..15, see docs/ses.md
  std::string name;  // seal name (印章名称), UTF-8
  int64_t cert_list_type = 1;      // v4/v5: 1 certificates, 2 certificate digests
  std::vector<Bytes> certs;        // DER X.509 signer certificates (签章者证书)
  std::vector<CertDigest> cert_digests;
  // v1 certList entries exactly as encoded (OCTET STRING certificates, or what iOFD
  // writes: IA5String "1"); `certs` holds those that are certificates.
  std::vector<Bytes> v1_cert_list_raw;
  Time create_date{};
  Time valid_start{};
  Time valid_end{};
  bool v1_dates_generalized = false;  // v1 tolerance: GeneralizedTime instead of UTCTime
};

// SES_ESPictrueInfo (印章图片信息; the standard's own spelling is "Pictrue").
struct Picture {
  std::string type;  // "PNG", "png", "GIF", "JPG", "ofd", ...
  Bytes data;
  int64_t width_mm = 40;
  int64_t height_mm = 40;
};

// SES_SealInfo (印章信息).
struct SealInfo {
  Header header;
  std::string esid;  // seal code (电子印章标识)
  PropertyInfo property;
  Picture picture;
  std::optional<std::vector<ExtData>> ext_datas;
};

// SESeal (电子印章数据).
struct Seal {
  Version version = Version::kV4;
  SealInfo info;
  Bytes maker_cert;            // DER certificate of the seal maker (制章者)
  asn1::Oid signature_algorithm;
  Bytes maker_signature;       // the maker's signature value (BIT STRING octets)
  std::optional<Bytes> timestamp;  // v5 only: timeStamp [0]

  // Encodings as parsed (or as made): the whole SESeal and its SES_SealInfo element.
  Bytes der;
  Bytes info_der;
};

// Detects the version from the structure (ses-formats.md §5) and parses strictly.
// InvalidArgument with a message naming the field on malformed input.
Result<Seal> ParseSeal(ByteView der);

// Re-encodes `seal` from its fields (not from `der`).
Bytes EncodeSeal(const Seal& seal);
Bytes EncodeSealInfo(const Seal& seal);

// The message the seal maker signed: v4/v5 DER(SES_SealInfo); v1
// DER(SEQUENCE{SES_SealInfo, cert OCTET STRING, signatureAlgorithm OID}).
Bytes MakerSignedMessage(const Seal& seal);

}  // namespace eseal::ses
