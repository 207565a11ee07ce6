// X.509 v3 certificates with SM2 keys and SM2-with-SM3 signatures (GM/T 0015-2012,
// 基于SM2密码算法的数字证书格式规范). Parsing is strict DER; the parsed object keeps its
// original bytes, so the TBS part can be verified and the certificate re-embedded exactly.
// Thread-safety: immutable after parsing; share freely.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/asn1/oid.h"
#include "eseal/base/time.h"
#include "eseal/crypto/sm2.h"
#include "eseal/x509/name.h"

namespace eseal::x509 {

class ProofCache;  // proof_cache.h

// KeyUsage bits (RFC 5280 §4.2.1.3).
enum KeyUsageBit : uint32_t {
  kDigitalSignature = 1u << 0,
  kNonRepudiation = 1u << 1,  // contentCommitment
  kKeyEncipherment = 1u << 2,
  kDataEncipherment = 1u << 3,
  kKeyAgreement = 1u << 4,
  kKeyCertSign = 1u << 5,
  kCrlSign = 1u << 6,
  kEncipherOnly = 1u << 7,
  kDecipherOnly = 1u << 8,
};

// "digitalSignature, nonRepudiation" (the names RFC 5280 gives the bits).
std::string KeyUsageToString(uint32_t bits);

struct Extension {
  asn1::Oid id;
  bool critical = false;
  Bytes value;  // extnValue content
};

// Extension OIDs beyond asn1::oids that X.509 code needs.
namespace oids {
const asn1::Oid& SubjectAltName();            // 2.5.29.17
const asn1::Oid& IssuingDistributionPoint();  // 2.5.29.28
const asn1::Oid& InvalidityDate();            // 2.5.29.24
const asn1::Oid& CertificateIssuer();         // 2.5.29.29
const asn1::Oid& DeltaCrlIndicator();         // 2.5.29.27
const asn1::Oid& FreshestCrl();               // 2.5.29.46
const asn1::Oid& AuthorityInfoAccess();       // 1.3.6.1.5.5.7.1.1
const asn1::Oid& EmailAddress();              // 1.2.840.113549.1.9.1
const asn1::Oid& KpClientAuth();              // 1.3.6.1.5.5.7.3.2
const asn1::Oid& KpEmailProtection();         // 1.3.6.1.5.5.7.3.4
}  // namespace oids

class Certificate {
 public:
  // DER; PEM ("CERTIFICATE") also accepted by FromPem. Rejects trailing data, non-SM2
  // public keys are still parsed (public_key() then fails).
  //
  // Strictness: DER throughout (asn1::Reader), version v1 or v3 (v2 accepted as X.509
  // defines it), an explicit v1 version field rejected (DER omits defaults), the two
  // signature algorithm fields byte-identical, extensions only in v3, no duplicate
  // extensions, and every extension eseal decodes (basicConstraints, keyUsage, SKI, AKI,
  // extKeyUsage, CRL distribution points, certificate policies) well formed.
  static Result<Certificate> FromDer(ByteView der);
  static Result<Certificate> FromPem(std::string_view pem);
  // All certificates in a PEM bundle, in order.
  static Result<std::vector<Certificate>> FromPemBundle(std::string_view pem);

  const Bytes& der() const { return der_; }
  std::string ToPem() const;
  ByteView tbs_der() const;  // the signed part, as it appears in der()

  int version() const { return version_; }         // 1, 2 or 3
  const Bytes& serial() const { return serial_; }  // unsigned big-endian magnitude
  std::string SerialHex() const;  // upper-case hex of serial(), e.g. "01719D2DAB60"
  const Name& issuer() const { return issuer_; }
  const Name& subject() const { return subject_; }
  Time not_before() const { return not_before_; }
  Time not_after() const { return not_after_; }
  const asn1::Oid& signature_algorithm() const { return sig_alg_; }
  const Bytes& signature() const { return signature_; }  // DER SEQUENCE{r,s} for SM2

  // The SM2 public key; error if the key is not on sm2p256v1.
  Result<crypto::Sm2PublicKey> public_key() const;
  const Bytes& spki_der() const { return spki_der_; }
  // SubjectPublicKeyInfo algorithm (id-ecPublicKey for SM2 keys) and its curve parameter
  // when the parameter is an OID (sm2p256v1), else empty.
  const asn1::Oid& public_key_algorithm() const { return spki_alg_; }
  const asn1::Oid& public_key_curve() const { return spki_curve_; }

  const std::vector<Extension>& extensions() const { return extensions_; }
  const Extension* FindExtension(const asn1::Oid& id) const;
  // Decoded extensions (nullopt when absent).
  std::optional<uint32_t> key_usage() const { return key_usage_; }
  bool is_ca() const { return is_ca_; }
  bool has_basic_constraints() const { return has_basic_constraints_; }
  std::optional<int> path_len() const { return path_len_; }
  const Bytes& subject_key_id() const { return ski_; }
  const Bytes& authority_key_id() const { return aki_; }
  // extKeyUsage purposes (nullopt when the extension is absent).
  const std::optional<std::vector<asn1::Oid>>& ext_key_usage() const { return eku_; }
  // URIs of the CRL distribution points (fullName uniformResourceIdentifier entries).
  const std::vector<std::string>& crl_distribution_points() const { return crl_dps_; }
  // certificatePolicies policy identifiers, in order.
  const std::vector<asn1::Oid>& policies() const { return policies_; }
  // The first critical extension eseal does not process (a verifier must reject the
  // certificate then, RFC 5280 §4.2), or nullptr.
  const Extension* UnhandledCriticalExtension() const;

  // Named tolerances applied while parsing: vendor deviations from DER accepted on
  // purpose, for reports to mention: "key_usage_trailing_zero_bits" (a KeyUsage BIT
  // STRING with trailing zero bits), "basic_constraints_explicit_false" (cA FALSE
  // written although it is the DEFAULT) and "ia5string_utf8" (a name attribute such as
  // emailAddress written as an IA5String holding UTF-8, by YNCA), all found in real
  // vendor certificates.
  const std::vector<std::string>& tolerances() const { return tolerances_; }

  bool IsSelfIssued() const { return issuer_ == subject_; }
  bool ValidAt(Time t) const { return t >= not_before_ && t <= not_after_; }

  // True if `issuer`'s key verifies this certificate's SM2-with-SM3 signature (ID
  // "1234567812345678", as GM/T 0015 and OpenSSL's `-vfyopt distid:` use).
  bool IsSignedBy(const Certificate& issuer) const;
  // The same, answered from `cache` when these bytes were proved before (nullptr: no
  // cache); the answer is always the one IsSignedBy(issuer) gives.
  bool IsSignedBy(const Certificate& issuer, ProofCache* cache) const;
  // The same with a bare key (e.g. a trust anchor known only by its key).
  bool IsSignedByKey(const crypto::Sm2PublicKey& key) const;

  // SM3 over the DER: a stable fingerprint (hex in ToString forms).
  Bytes Fingerprint() const;

  friend bool operator==(const Certificate& a, const Certificate& b) { return a.der_ == b.der_; }

 private:
  Bytes der_;
  size_t tbs_offset_ = 0, tbs_size_ = 0;
  int version_ = 1;
  Bytes serial_;
  Name issuer_, subject_;
  Time not_before_{}, not_after_{};
  asn1::Oid sig_alg_;
  bool sig_alg_is_sm2_with_sm3_ = false;
  Bytes signature_;
  Bytes spki_der_;
  asn1::Oid spki_alg_, spki_curve_;
  std::vector<Extension> extensions_;
  std::optional<uint32_t> key_usage_;
  bool is_ca_ = false;
  bool has_basic_constraints_ = false;
  std::optional<int> path_len_;
  Bytes ski_, aki_;
  std::optional<std::vector<asn1::Oid>> eku_;
  std::vector<std::string> crl_dps_;
  std::vector<asn1::Oid> policies_;
  std::vector<std::string> tolerances_;
};

// PEM armour (RFC 7468) for certificates and CRLs.
std::string PemEncode(std::string_view label, ByteView der);
// The DER of every block with this label, in order; error if there is none.
Result<std::vector<Bytes>> PemDecodeAll(std::string_view text, std::string_view label);

}  // namespace eseal::x509
