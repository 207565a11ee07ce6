// X.509 certificate revocation lists (证书撤销列表, CertificateList v2, RFC 5280 §5) signed
// with SM2-with-SM3. Parsing is strict DER; the parsed object keeps its original bytes.
// Thread-safety: immutable after parsing; share freely.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/asn1/oid.h"
#include "eseal/base/time.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/name.h"

namespace eseal::x509 {

// CRLReason (RFC 5280 §5.3.1); 7 is unused.
enum class RevocationReason : int {
  kUnspecified = 0,
  kKeyCompromise = 1,
  kCaCompromise = 2,
  kAffiliationChanged = 3,
  kSuperseded = 4,
  kCessationOfOperation = 5,
  kCertificateHold = 6,
  kRemoveFromCrl = 8,
  kPrivilegeWithdrawn = 9,
  kAaCompromise = 10,
};

// "keyCompromise", ... (RFC 5280 names).
std::string_view RevocationReasonName(RevocationReason r);
// Accepts the RFC 5280 names (case-insensitive) and the numbers.
Result<RevocationReason> ParseRevocationReason(std::string_view text);

struct RevokedEntry {
  Bytes serial;  // unsigned big-endian magnitude, as Certificate::serial()
  Time revocation_date{};
  std::optional<RevocationReason> reason;  // absent: unspecified
  std::optional<Time> invalidity_date;
};

class Crl {
 public:
  // Strict DER: version absent (v1) or v2; entry and CRL extensions only in v2; the two
  // signature algorithm fields byte-identical; no duplicate serials; an unknown critical
  // CRL or entry extension (e.g. an indirect CRL's certificateIssuer) is rejected,
  // because it could change the meaning of the list.
  static Result<Crl> FromDer(ByteView der);
  // PEM "X509 CRL".
  static Result<Crl> FromPem(std::string_view pem);

  const Bytes& der() const { return der_; }
  std::string ToPem() const;
  ByteView tbs_der() const;

  int version() const { return version_; }  // 1 or 2
  const Name& issuer() const { return issuer_; }
  Time this_update() const { return this_update_; }
  std::optional<Time> next_update() const { return next_update_; }
  const asn1::Oid& signature_algorithm() const { return sig_alg_; }
  const Bytes& signature() const { return signature_; }
  // cRLNumber (unsigned big-endian magnitude), empty when absent.
  const Bytes& crl_number() const { return crl_number_; }
  const Bytes& authority_key_id() const { return aki_; }
  const std::vector<Extension>& extensions() const { return extensions_; }
  const std::vector<RevokedEntry>& entries() const { return entries_; }

  // The entry for this serial (magnitude bytes, leading zeros ignored), or nullptr.
  const RevokedEntry* Lookup(ByteView serial) const;

  // True if `issuer`'s key verifies the CRL's SM2-with-SM3 signature (default ID).
  bool IsSignedBy(const Certificate& issuer) const;
  // The same, answered from `cache` when these bytes were proved before (nullptr: no
  // cache; ProofCache is declared in certificate.h, defined in proof_cache.h).
  bool IsSignedBy(const Certificate& issuer, ProofCache* cache) const;

 private:
  Bytes der_;
  size_t tbs_offset_ = 0, tbs_size_ = 0;
  int version_ = 1;
  Name issuer_;
  Time this_update_{};
  std::optional<Time> next_update_;
  asn1::Oid sig_alg_;
  bool sig_alg_is_sm2_with_sm3_ = false;
  Bytes signature_;
  Bytes crl_number_, aki_;
  std::vector<Extension> extensions_;
  std::vector<RevokedEntry> entries_;
  std::vector<size_t> by_serial_;  // indexes into entries_, sorted by serial
};

}  // namespace eseal::x509
