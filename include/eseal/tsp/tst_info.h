// TSTInfo (时间戳信息), the content a time-stamping authority (时间戳服务机构, TSA) signs in
// an RFC 3161 / GB/T 20520 timestamp token (时间戳):
//
//   TSTInfo ::= SEQUENCE { version INTEGER { v1(1) }, policy TSAPolicyId (OID),
//                          messageImprint SEQUENCE { hashAlgorithm AlgorithmIdentifier,
//                                                    hashedMessage OCTET STRING },
//                          serialNumber INTEGER, genTime GeneralizedTime,
//                          accuracy Accuracy OPTIONAL, ordering BOOLEAN DEFAULT FALSE,
//                          nonce INTEGER OPTIONAL, tsa [0] EXPLICIT GeneralName OPTIONAL,
//                          extensions [1] IMPLICIT Extensions OPTIONAL }
//   Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER (1..999) OPTIONAL,
//                           micros [1] INTEGER (1..999) OPTIONAL }
//
// Parsing is strict DER with one named tolerance: "ordering_explicit_false" (ordering
// written as FALSE although it is the DEFAULT, which some TSAs do). genTime may carry
// fractional seconds (kept as text in gen_time_text; gen_time has whole seconds, as all
// eseal times do).
// Thread-safety: values and reentrant functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/asn1/oid.h"
#include "eseal/base/bytes.h"
#include "eseal/base/time.h"
#include "eseal/x509/certificate.h"

namespace eseal::tsp {

// id-ct-TSTInfo, the eContentType of a timestamp token.
const asn1::Oid& IdCtTstInfo();          // 1.2.840.113549.1.9.16.1.4
const asn1::Oid& IdKpTimeStamping();     // 1.3.6.1.5.5.7.3.8
const asn1::Oid& Sha1();                 // 1.3.14.3.2.26
const asn1::Oid& Sha256();               // 2.16.840.1.101.3.4.2.1
const asn1::Oid& SigningCertificate();   // 1.2.840.113549.1.9.16.2.12 (ESSCertID)
const asn1::Oid& SigningCertificateV2(); // 1.2.840.113549.1.9.16.2.47 (ESSCertIDv2)

struct Accuracy {
  std::optional<int64_t> seconds;
  std::optional<int64_t> millis;  // 1..999
  std::optional<int64_t> micros;  // 1..999
};

struct TstInfo {
  int64_t version = 1;
  asn1::Oid policy;
  asn1::Oid hash_algorithm;              // of the messageImprint
  std::optional<Bytes> hash_parameters;  // its parameters' DER (05 00), nullopt if absent
  Bytes hashed_message;
  Bytes serial;           // INTEGER content octets (two's complement, minimal)
  Time gen_time{};        // whole seconds, UTC
  std::string gen_time_text;  // as written, e.g. "20261123093035.25Z"
  std::optional<Accuracy> accuracy;
  bool ordering = false;
  std::optional<Bytes> nonce;  // INTEGER content octets
  // The tsa GeneralName: its DER, and text ("C=CN, O=..., CN=..." for a directoryName,
  // the string for rfc822Name / dNSName / URI, "[n] <hex>" for other forms).
  std::optional<Bytes> tsa_der;
  std::string tsa_name_text;
  std::optional<Bytes> tsa_directory_name;  // Name DER when the tsa is a directoryName
  std::vector<x509::Extension> extensions;
  std::vector<std::string> tolerances;  // named tolerances applied while parsing
  Bytes der;  // the TSTInfo as read (the bytes the messageDigest attribute covers)
};

// Parses the DER TSTInfo (the eContent octets). InvalidArgument naming the field.
Result<TstInfo> ParseTstInfo(ByteView der);

}  // namespace eseal::tsp
