// Object identifiers, and the ones eseal uses (national algorithms per GM/T 0006, X.509,
// GB/T 35275 / PKCS#7, and the SES structures).
// Thread-safety: immutable values.
#pragma once

#include <string>
#include <string_view>

#include "eseal/base/bytes.h"

namespace eseal::asn1 {

class Oid {
 public:
  Oid() = default;
  // "1.2.156.10197.1.501"; rejects malformed text and first arcs > 2.
  static Result<Oid> FromString(std::string_view dotted);
  // DER content octets (strict: minimal base-128, no 0x80 padding).
  static Result<Oid> FromDer(ByteView content);

  const Bytes& der() const { return der_; }
  std::string ToString() const;
  bool empty() const { return der_.empty(); }

  friend bool operator==(const Oid& a, const Oid& b) { return a.der_ == b.der_; }
  friend bool operator<(const Oid& a, const Oid& b) { return a.der_ < b.der_; }

 private:
  Bytes der_;
};

// Builds an Oid from a literal known to be valid (aborts in debug builds if not).
Oid MustOid(std::string_view dotted);

namespace oids {
// GM/T 0006 national algorithms.
const Oid& Sm2Curve();          // 1.2.156.10197.1.301 sm2p256v1
const Oid& Sm2Sign();           // 1.2.156.10197.1.301.1 (SM2-1, GB/T 35275 digestEncryptionAlgorithm)
const Oid& Sm2WithSm3();        // 1.2.156.10197.1.501
const Oid& Sm3();               // 1.2.156.10197.1.401
const Oid& Sm3NoKey();          // 1.2.156.10197.1.401.1
const Oid& HmacSm3();           // 1.2.156.10197.1.401.2
// X.509 / PKIX.
const Oid& EcPublicKey();       // 1.2.840.10045.2.1
const Oid& CommonName();        // 2.5.4.3
const Oid& Country();           // 2.5.4.6
const Oid& Locality();          // 2.5.4.7
const Oid& StateOrProvince();   // 2.5.4.8
const Oid& Organization();      // 2.5.4.10
const Oid& OrganizationalUnit();// 2.5.4.11
const Oid& SerialNumberAttr();  // 2.5.4.5
const Oid& SubjectKeyId();      // 2.5.29.14
const Oid& KeyUsage();          // 2.5.29.15
const Oid& BasicConstraints();  // 2.5.29.19
const Oid& CrlNumber();         // 2.5.29.20
const Oid& CrlReason();         // 2.5.29.21
const Oid& CrlDistributionPoints();  // 2.5.29.31
const Oid& CertificatePolicies();    // 2.5.29.32
const Oid& AuthorityKeyId();    // 2.5.29.35
const Oid& ExtKeyUsage();       // 2.5.29.37
// GB/T 35275 (PKCS#7 over SM2) content types: 1.2.156.10197.6.1.4.2.{1,2}.
const Oid& Gbt35275Data();
const Oid& Gbt35275SignedData();
// PKCS#7 / PKCS#9.
const Oid& Pkcs7Data();         // 1.2.840.113549.1.7.1
const Oid& Pkcs7SignedData();   // 1.2.840.113549.1.7.2
const Oid& Pkcs9ContentType();  // 1.2.840.113549.1.9.3
const Oid& Pkcs9MessageDigest();// 1.2.840.113549.1.9.4
const Oid& Pkcs9SigningTime();  // 1.2.840.113549.1.9.5
}  // namespace oids

}  // namespace eseal::asn1
