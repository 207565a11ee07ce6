// Building certificates and CRLs from explicit parameters: the encoder under the built-in
// CA (ca.h), and a tool for tests that need any chain — expired or not-yet-valid
// certificates, CAs without keyCertSign, wrong issuer names, v1 certificates, unknown
// critical extensions. Nothing here applies a profile or checks that the result makes
// sense; ca.h does that for real issuance. Output is strict DER.
// Thread-safety: reentrant functions over caller-owned values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/asn1/oid.h"
#include "eseal/base/time.h"
#include "eseal/crypto/sm2.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/crl.h"
#include "eseal/x509/name.h"

namespace eseal::x509 {

struct BasicConstraintsParams {
  bool ca = false;
  std::optional<int> path_len;
  bool critical = true;
};

struct CertificateParams {
  int version = 3;        // 1 or 3; 1 writes no extensions
  Bytes serial = {0x01};  // unsigned magnitude
  Name issuer;            // copied byte for byte
  Name subject;
  Time not_before{};
  Time not_after{};
  Bytes spki_der;  // SubjectPublicKeyInfo (Sm2PublicKey::ToSpkiDer())

  // Extensions, written in this order when set.
  std::optional<BasicConstraintsParams> basic_constraints;
  std::optional<uint32_t> key_usage;  // KeyUsageBit flags
  bool key_usage_critical = true;
  Bytes subject_key_id;                              // empty: no SKI
  Bytes authority_key_id;                            // empty: no AKI
  std::vector<asn1::Oid> ext_key_usage;              // empty: none
  bool ext_key_usage_critical = false;               // TSA certificates: true (RFC 3161)
  std::vector<asn1::Oid> policies;                   // empty: none
  std::vector<std::string> crl_distribution_points;  // URIs; empty: none
  std::vector<Extension> extra_extensions;           // appended verbatim
};

// The DER TBSCertificate (signature algorithm SM2-with-SM3, no parameters).
Result<Bytes> EncodeTbsCertificate(const CertificateParams& params);
// Signs the TBS with `signer` (default SM2 ID) and returns the certificate DER.
Result<Bytes> BuildCertificate(const CertificateParams& params, const crypto::Sm2Signer& signer);

// The key identifier eseal writes (SKI/AKI): the first 20 bytes of SM3 over the
// subjectPublicKey bits, in the spirit of RFC 5280 §4.2.1.2 method 1 with SM3 for SHA-1.
Bytes KeyIdentifier(const crypto::Sm2PublicKey& key);

struct CrlEntryParams {
  Bytes serial;
  Time revocation_date{};
  std::optional<RevocationReason> reason;  // nullopt (or kUnspecified): no reasonCode
  std::optional<Time> invalidity_date;     // since when the key was unsafe (RFC 5280 §5.3.2)
};

struct CrlParams {
  Name issuer;
  Time this_update{};
  std::optional<Time> next_update;
  Bytes crl_number;        // unsigned magnitude; empty: no cRLNumber
  Bytes authority_key_id;  // empty: no AKI
  std::vector<CrlEntryParams> entries;
};

// A v2 CRL signed by `signer`.
Result<Bytes> BuildCrl(const CrlParams& params, const crypto::Sm2Signer& signer);

}  // namespace eseal::x509
