// The built-in certification authority (内置CA): an SM2 root CA and one issuing
// (intermediate) CA that issues seal-maker (制章者) and signer (签章者) certificates under
// the GM/T 0015-2012 profile, revokes them and publishes CRLs.
//
// Two layers, so the platform can keep the same state in a database:
//  - pure operations (MakeRootCertificate, IssueCertificate, MakeCrl): certificates and
//    CRLs from an issuer certificate, an Sm2Signer and a request; no storage;
//  - CaDirectory: the CA state in a directory, used by `eseal ca init --out DIR` and
//    `eseal cert issue --ca DIR`, built on the pure operations.
//
// Profile written by IssueCertificate / MakeRootCertificate:
//   v3; serial a positive random 16-byte integer; signatureAlgorithm 1.2.156.10197.1.501
//   without parameters; SPKI id-ecPublicKey + sm2p256v1; validity UTCTime through 2049
//   (GeneralizedTime from 2050, RFC 5280); SKI (KeyIdentifier(), builder.h) and AKI;
//   keyUsage critical: CAs keyCertSign + cRLSign, end entities digitalSignature +
//   nonRepudiation; basicConstraints critical for CAs (issuing CA pathLen 0, root without
//   a limit); CRL distribution point URIs when configured (end entities: the issuing CA
//   publishes their CRL; the root publishes none). The role of an end entity is marked with a
//   certificatePolicies extension (non-critical) holding SealMakerPolicy() or SignerPolicy(): a
//   policy says under which rules a certificate was issued, which is what a role is; unlike
//   extKeyUsage it does not restrict what generic verifiers (openssl verify) accept the key for.
// Thread-safety: pure functions are reentrant; a CaDirectory object is used by one thread
// at a time, and one process at a time per directory (no file locking).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "eseal/base/rng.h"
#include "eseal/base/time.h"
#include "eseal/crypto/key_protection.h"
#include "eseal/crypto/sm2.h"
#include "eseal/x509/builder.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/crl.h"

namespace eseal::x509 {

// kTimestamping: a time-stamping authority (时间戳服务机构, TSA) certificate, RFC 3161 §2.3:
// keyUsage digitalSignature + nonRepudiation and a CRITICAL extendedKeyUsage holding
// id-kp-timeStamping (1.3.6.1.5.5.7.3.8) alone; no role policy (the EKU is the role).
enum class CertificateRole { kRootCa, kIssuingCa, kSealMaker, kSigner, kTimestamping };

// "root-ca", "issuing-ca", "seal-maker", "signer", "tsa".
std::string_view CertificateRoleName(CertificateRole role);
// Accepts the names above, "maker" for kSealMaker and "timestamping" for kTimestamping.
Result<CertificateRole> ParseCertificateRole(std::string_view text);

// Role policy OIDs. They sit under 1.3.6.1.4.1.32473, the enterprise number IANA reserves
// for documentation (RFC 5612), because eseal has no registered arc yet: replace them with
// an owned arc before certificates leave a development or closed deployment.
const asn1::Oid& SealMakerPolicy();  // 1.3.6.1.4.1.32473.1.1
const asn1::Oid& SignerPolicy();     // 1.3.6.1.4.1.32473.1.2
// The end-entity role a certificate's policies mark, if any.
std::optional<CertificateRole> EndEntityRole(const Certificate& cert);

// A positive 16-byte serial (the high bit clear, the next one set, so always 16 octets).
Result<Bytes> RandomSerial(Rng& rng);

// Self-signed root CA certificate (basicConstraints cA, keyUsage keyCertSign + cRLSign).
Result<Certificate> MakeRootCertificate(const Name& subject, const crypto::Sm2Signer& key,
                                        Time not_before, Time not_after, Rng& rng);

struct IssueRequest {
  Name subject;
  crypto::Sm2PublicKey public_key;
  CertificateRole role = CertificateRole::kSigner;  // kIssuingCa, kSealMaker or kSigner
  Time not_before{};
  Time not_after{};             // clamped to the issuer's notAfter
  std::optional<Bytes> serial;  // nullopt: RandomSerial()
  std::vector<std::string> crl_distribution_points;
};

// Issues a certificate signed by `issuer_key`, the key of `issuer` (checked: the issuer
// must be a CA with keyCertSign and the key must match its certificate).
Result<Certificate> IssueCertificate(const Certificate& issuer, const crypto::Sm2Signer& issuer_key,
                                     const IssueRequest& request, Rng& rng);

struct CrlRequest {
  Time this_update{};
  Time next_update{};
  Bytes crl_number;  // unsigned magnitude, required (v2 CRLs carry a cRLNumber)
  std::vector<CrlEntryParams> revoked;
};

// A v2 CRL from `issuer` (must have cRLSign), with AKI, cRLNumber and reason codes.
Result<Crl> MakeCrl(const Certificate& issuer, const crypto::Sm2Signer& issuer_key,
                    const CrlRequest& request);

// ---- CA state in a directory -------------------------------------------------------------
//
//   DIR/README.txt         what the files are (and whether the keys are encrypted)
//   DIR/ca.conf            name, CRL URIs, key protection ("key=value" lines)
//   DIR/root.pem           root CA certificate
//   DIR/issuing.pem        issuing CA certificate
//   DIR/chain.pem          issuing + root, for `openssl verify -untrusted` and clients
//   DIR/private/root.key   keys: "ESEAL PROTECTED PRIVATE KEY" PEM with a password, else
//   DIR/private/issuing.key  unencrypted PKCS#8 PEM; mode 0600 in a 0700 directory
//   DIR/index.txt          one line per issued certificate (see IssuedRecord)
//   DIR/crlnumber          the next CRL number (decimal)
//   DIR/certs/SERIAL.pem   every issued certificate
//   DIR/crl.pem, crl.der   the last CRL published by the issuing CA
//   DIR/root-crl.pem, .der the root's CRL, made by Init (empty; valid as long as the
//                          issuing CA)
// Every file is written with WriteFileAtomic. The root key is read only by Init.

struct IssuedRecord {
  Bytes serial;
  CertificateRole role = CertificateRole::kSigner;
  Time not_after{};
  std::optional<Time> revoked_at;
  RevocationReason reason = RevocationReason::kUnspecified;
  std::string subject;  // RFC 4514 text, for people reading index.txt
};

// index.txt line: SERIAL \t ROLE \t NOTAFTER \t V|R \t REVOKED_AT|- \t REASON|- \t SUBJECT
std::string FormatIndexLine(const IssuedRecord& r);
Result<IssuedRecord> ParseIndexLine(std::string_view line);

struct CaInitOptions {
  std::string name = "eseal";        // CNs "<name> Root CA" and "<name> Issuing CA"
  std::optional<Name> root_subject;  // overrides the default "C=CN, O=<name>, CN=..."
  std::optional<Name> issuing_subject;
  std::vector<std::string> crl_distribution_points;
  Time now{};  // notBefore of both CA certificates
  int root_years = 20;
  int issuing_years = 10;
  SecretBytes password;  // empty: keys unencrypted (PKCS#8 PEM, mode 0600)
  crypto::KeyProtectionOptions key_protection;
};

class CaDirectory {
 public:
  // Creates DIR (mode 0700) with a new root and issuing CA; AlreadyExists if DIR already
  // holds a CA.
  static Result<CaDirectory> Init(const std::string& dir, const CaInitOptions& options, Rng& rng);
  // Opens an existing CA; `password` is needed when its keys are protected.
  static Result<CaDirectory> Open(const std::string& dir, ByteView password = {});

  const std::string& dir() const { return dir_; }
  const Certificate& root() const { return root_; }
  const Certificate& issuing() const { return issuing_; }
  const std::vector<std::string>& crl_distribution_points() const { return crl_uris_; }

  // Issues with the issuing CA (CRL URIs from ca.conf unless the request has its own),
  // stores certs/SERIAL.pem and the index line.
  Result<Certificate> Issue(IssueRequest request, Rng& rng);
  // Marks a certificate revoked; NotFound for an unknown serial, FailedPrecondition if
  // it is already revoked.
  Status Revoke(ByteView serial, RevocationReason reason, Time when);
  // Signs a CRL of every revoked certificate, valid from `now` for `validity`; writes
  // crl.pem / crl.der and advances crlnumber.
  Result<Crl> PublishCrl(Time now, std::chrono::seconds validity = std::chrono::hours(24 * 7));
  Result<std::vector<IssuedRecord>> List() const;
  // The root's CRL and the last CRL published by the issuing CA (if any), for
  // ValidateChain.
  Result<std::vector<Crl>> Crls() const;

 private:
  CaDirectory(std::string dir, Certificate root, Certificate issuing, crypto::Sm2PrivateKey key,
              std::vector<std::string> crl_uris)
      : dir_(std::move(dir)),
        root_(std::move(root)),
        issuing_(std::move(issuing)),
        issuing_key_(std::move(key)),
        crl_uris_(std::move(crl_uris)) {}
  Status WriteIndex(const std::vector<IssuedRecord>& records) const;

  std::string dir_;
  Certificate root_, issuing_;
  crypto::Sm2PrivateKey issuing_key_;
  std::vector<std::string> crl_uris_;
};

}  // namespace eseal::x509
