// SignedData (签名数据类型) of GB/T 35275-2017 (SM2密码算法加密签名消息语法规范), the SM2
// profile of PKCS#7 cryptographic message syntax, as OFD Type="Sign" signatures carry it
// (ses-formats.md §7.5):
//
//   ContentInfo ::= SEQUENCE { contentType OID (1.2.156.10197.6.1.4.2.2 signedData),
//                              content [0] EXPLICIT SignedData }
//   SignedData ::= SEQUENCE { version INTEGER, digestAlgorithms SET OF AlgorithmIdentifier,
//                             contentInfo SEQUENCE { contentType OID, content [0] EXPLICIT
//                             OCTET STRING OPTIONAL }, certificates [0] IMPLICIT SET OF
//                             Certificate OPTIONAL, crls [1] IMPLICIT OPTIONAL,
//                             signerInfos SET OF SignerInfo }
//   SignerInfo ::= SEQUENCE { version INTEGER, issuerAndSerialNumber SEQUENCE { Name,
//                             INTEGER }, digestAlgorithm AlgorithmIdentifier,
//                             authenticatedAttributes [0] IMPLICIT SET OF Attribute OPTIONAL,
//                             digestEncryptionAlgorithm AlgorithmIdentifier,
//                             encryptedDigest OCTET STRING,
//                             unauthenticatedAttributes [1] IMPLICIT OPTIONAL }
//
// Parsing is strict DER for every element but keeps what vendors write as they wrote it
// (algorithm parameters present or absent, authenticated attributes in their original
// order — GOMAIN's are not in DER SET order), so EncodeSignedData re-creates the input
// byte for byte and the signed attribute bytes are exactly those that were signed. The
// PKCS#7 content type OIDs (1.2.840.113549.1.7.x), which GOMAIN writes, are accepted too.
//
// MakeSignedData writes the form ofdrw's GBT35275PKCS9DSContainer writes and Suwell (数科)
// readers accept: detached content, authenticated attributes {contentType, signingTime
// UTCTime, messageDigest}, digestEncryptionAlgorithm 1.2.156.10197.1.301.1, a DER SM2
// signature over DER(SET OF attributes).
// Thread-safety: values and reentrant functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/asn1/oid.h"
#include "eseal/base/bytes.h"
#include "eseal/base/time.h"
#include "eseal/crypto/sm2.h"
#include "eseal/x509/certificate.h"

namespace eseal::x509 {

// AlgorithmIdentifier; `parameters` is the DER of the parameters element (05 00 for NULL),
// nullopt when absent (ofdrw omits them, GOMAIN and oesplugin write NULL).
struct AlgorithmId {
  asn1::Oid oid;
  std::optional<Bytes> parameters;
};

// Attribute ::= SEQUENCE { type OID, values SET OF ANY }; each value as DER.
struct Attribute {
  asn1::Oid type;
  std::vector<Bytes> values;
};

struct SignerInfo {
  int64_t version = 1;
  Bytes issuer_der;  // the issuer Name, exactly as encoded
  Bytes serial;      // unsigned big-endian magnitude
  AlgorithmId digest_algorithm;
  std::vector<Attribute> authenticated_attributes;
  // The authenticatedAttributes element as read or made, with its [0] tag; empty when the
  // signer signed the content directly.
  Bytes authenticated_attributes_der;
  AlgorithmId digest_encryption_algorithm;
  Bytes encrypted_digest;  // the SM2 signature value (DER SEQUENCE{r,s}, or raw r||s)
  std::optional<Bytes> unauthenticated_attributes_der;  // [1] element as read

  bool has_authenticated_attributes() const { return !authenticated_attributes_der.empty(); }
};

struct SignedData {
  asn1::Oid content_info_type;  // outer ContentInfo type: GB/T 35275 or PKCS#7 signedData
  int64_t version = 1;
  std::vector<AlgorithmId> digest_algorithms;
  asn1::Oid content_type;        // of the encapsulated content (data)
  std::optional<Bytes> content;  // nullopt when the content is detached
  std::vector<Bytes> certificates;       // DER of each certificate (at most the parse cap)
  // The certificates [0] held more than ParseSignedData's `max_certificates`: only that many
  // were kept and the rest were not read. Verifiers report INDETERMINATE (sign.certificates)
  // rather than build paths from a bag of certificates nobody needs (a SignedData of
  // 100,000 copies of one certificate is a work attack, not a signature).
  bool too_many_certificates = false;
  std::optional<Bytes> crls_der;         // [1] element as read
  std::vector<SignerInfo> signer_infos;
  Bytes der;  // as parsed or made
};

// How many certificates ParseSignedData keeps by default: a signer certificate and its chain
// need a handful; vendors send 1–3.
inline constexpr size_t kMaxSignedDataCertificates = 32;

// Parses a ContentInfo holding SignedData. InvalidArgument naming the field on malformed
// input or another content type. At most `max_certificates` certificates are kept; beyond
// that the parse stops reading the certificates field and sets too_many_certificates (the
// element's length is still checked, so the rest of the SignedData parses as usual).
Result<SignedData> ParseSignedData(ByteView der,
                                   size_t max_certificates = kMaxSignedDataCertificates);
// Re-encodes from the fields (authenticated attributes from their kept encoding).
Bytes EncodeSignedData(const SignedData& sd);

// True if `der` starts like a ContentInfo with a signedData content type (cheap sniff).
bool LooksLikeSignedData(ByteView der);

// The first attribute of this type, or nullptr.
const Attribute* FindAttribute(const SignerInfo& si, const asn1::Oid& type);
// The messageDigest attribute's OCTET STRING.
Result<Bytes> MessageDigestAttribute(const SignerInfo& si);
// The signingTime attribute (UTCTime or GeneralizedTime).
Result<Time> SigningTimeAttribute(const SignerInfo& si);
// The contentType attribute.
Result<asn1::Oid> ContentTypeAttribute(const SignerInfo& si);

// The bytes the signer's signature covers: DER(SET OF attributes) — the authenticated
// attributes element with its tag changed to SET, as PKCS#7 §9.3 says — or, without
// attributes, the content octets (empty when detached).
Bytes SignedMessage(const SignedData& sd, const SignerInfo& si);

// The certificate that IssuerAndSerialNumber names, among sd.certificates and `extra`.
std::optional<Certificate> FindSignerCertificate(const SignedData& sd, const SignerInfo& si,
                                                 const std::vector<Certificate>& extra = {});

struct SignedDataSpec {
  enum class Form {
    kAttributes,     // detached, PKCS#9 authenticated attributes (default; Suwell accepts it)
    kContentDigest,  // content = the digest, signature over the digest (GBT35275DSContainer)
  };
  Form form = Form::kAttributes;
  Time signing_time{};
  // Which identifiers: GB/T 35275's (ContentInfo 1.2.156.10197.6.1.4.2.2, signature SM2-1
  // 1.2.156.10197.1.301.1; what OFD verifiers expect) or PKCS#7's with SM3withSM2
  // (1.2.840.113549.1.7.2, 1.2.156.10197.1.501; what PDF verifiers such as BouncyCastle's
  // CMS code expect — BouncyCastle 1.72 knows no SM3 with SM2-1).
  enum class Oids { kGbt35275, kPkcs7 };
  Oids oids = Oids::kGbt35275;
};

// Signs `digest` (SM3 of the original, 32 bytes) with `signer`, whose key must belong to
// `signer_cert`. FailedPrecondition when it does not.
Result<SignedData> MakeSignedData(ByteView digest, const Certificate& signer_cert,
                                  const crypto::Sm2Signer& signer, const SignedDataSpec& spec);

}  // namespace eseal::x509
