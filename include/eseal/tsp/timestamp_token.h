// TimeStampToken (时间戳令牌) of RFC 3161 / GB/T 20520: a ContentInfo holding SignedData
// whose encapsulated content is a DER TSTInfo (tst_info.h), signed by a time-stamping
// authority (TSA) with SM2 (reference/pdf-and-timestamps.md §5). Debian's OpenSSL 3.0
// cannot verify SM2 tokens, so this module reads them with eseal's strict DER reader and
// verifies them itself. Making tokens (a TSA) is in authority.h.
//
// ParseTimestampToken reads the structure strictly and refuses anything that is not a
// token (other content types, a TSTInfo that does not parse). It reads at most
// `max_certificates` certificates of the SignedData and skips the rest unread (the
// `certificates_truncated` flag says so), so a token with 100,000 certificates costs one
// pass over its bytes and nothing more.
//
// VerifyTimestampToken answers "does this token prove that `stamped` existed at genTime?"
// as an eseal::Report that never stops at the first failure. Check ids (stable):
//   tsp.token.structure            FAIL: not DER ContentInfo/SignedData (nothing else checked)
//   tsp.content_type               outer ContentInfo type is signedData: PKCS#7
//                                  1.2.840.113549.1.7.2 or GB/T 35275 1.2.156.10197.6.1.4.2.2
//                                  (param "oid")
//   tsp.econtent_type              eContentType is id-ct-TSTInfo 1.2.840.113549.1.9.16.1.4
//                                  and the eContent is present
//   tsp.tst_info                   the TSTInfo parses strictly (version 1, policy,
//                                  messageImprint, serialNumber, GeneralizedTime genTime, ...)
//   tsp.tst_info.tolerance         WARNING: a named parsing tolerance (param "tolerance")
//   tsp.tst_info.critical_extension INDETERMINATE: a critical TSTInfo extension (eseal
//                                  processes none) (param "oid")
//   tsp.info                       INFO: genTime, policy, serial, hash, nonce, tsa
//   tsp.certificates.too_many      INDETERMINATE: more than max_certificates certificates;
//                                  the rest are not parsed and no signature or chain is
//                                  checked (params "max")
//   tsp.certificates.unreadable    WARNING: a certificate in the token does not parse
//   tsp.signer_info.count          exactly one SignerInfo
//   tsp.signer.digest_algorithm    SM3 1.2.156.10197.1.401 (PASS), SHA-256 (PASS, param
//                                  "algorithm" says so), anything else FAIL
//   tsp.signer.signature_algorithm SM2 1.2.156.10197.1.301.1 or 1.2.156.10197.1.501
//   tsp.signer.signed_attributes   signed attributes are present (CMS requires them when
//                                  the content is not id-data)
//   tsp.signer.content_type_attr   contentType attribute = id-ct-TSTInfo
//   tsp.signer.message_digest      messageDigest attribute = hash(TSTInfo DER)
//   tsp.signer.cert                INDETERMINATE: no certificate (in the token or among
//                                  the intermediates) matches issuerAndSerialNumber
//   tsp.signer.signing_certificate signingCertificate (ESSCertID, SHA-1) and/or
//                                  signingCertificateV2 (ESSCertIDv2, SHA-256 by default or
//                                  SM3): the first certHash (and issuerSerial when present)
//                                  identifies the TSA certificate; FAIL when neither
//                                  attribute is present (RFC 3161 §2.4.2 / RFC 5816)
//   tsp.signer.signature           SM2 signature (default ID 1234567812345678) over
//                                  DER(SET OF signed attributes) verifies with the TSA key
//   tsp.signer.signature.raw_rs    WARNING tolerance: a raw 64-byte r||s value accepted
//   tsp.tsa.eku                    the TSA certificate has extendedKeyUsage marked critical
//                                  whose only purpose is id-kp-timeStamping (RFC 3161 §2.3)
//   tsp.tsa.name                   the TSTInfo tsa (a directoryName) is the TSA certificate's
//                                  subject; WARNING when it is another GeneralName form
//   tsa.cert.*                     the TSA certificate's chain to options.tsa_anchors at
//                                  genTime (x509/chain.h ids, prefixed "tsa.")
//   tsp.imprint.algorithm          messageImprint hash is SM3 (PASS) or SHA-256 (PASS, param
//                                  "algorithm"); anything else FAIL
//   tsp.imprint                    hashedMessage equals hash(stamped)
// SKIPPED marks a check that could not be reached (no certificate, no TSTInfo).
// gen_time is set only when the verdict is PASSED (warnings allowed): then, and only then,
// the token proves that `stamped` existed at gen_time.
// Thread-safety: values and reentrant functions.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "eseal/base/report.h"
#include "eseal/base/time.h"
#include "eseal/tsp/tst_info.h"
#include "eseal/x509/chain.h"
#include "eseal/x509/crl.h"
#include "eseal/x509/signed_data.h"

namespace eseal::tsp {

inline constexpr size_t kDefaultMaxCertificates = 32;

struct TimestampToken {
  asn1::Oid content_info_type;  // PKCS#7 or GB/T 35275 signedData
  x509::SignedData signed_data;  // certificates: at most max_certificates of them
  TstInfo info;
  bool certificates_truncated = false;  // more certificates followed, unread
  Bytes der;
};

// Strict DER, bounded (see above). InvalidArgument naming the field.
Result<TimestampToken> ParseTimestampToken(ByteView der,
                                           size_t max_certificates = kDefaultMaxCertificates);

// The certificate the token's SignerInfo names (issuerAndSerialNumber): from the token's
// own certificates first, then from `others`; nullopt when neither holds it.
std::optional<x509::Certificate> TokenSignerCertificate(const TimestampToken& token,
                                                        const std::vector<x509::Certificate>& others = {});

struct TimestampVerifyOptions {
  x509::TrustStore tsa_anchors;  // roots that vouch for TSAs (role TSA only)
  std::vector<x509::Certificate> intermediates;
  std::vector<x509::Crl> crls;
  bool check_revocation = true;
  bool tolerate_ca_without_key_cert_sign = false;
  // More certificates in the SignedData -> INDETERMINATE, none parsed beyond.
  size_t max_certificates = kDefaultMaxCertificates;
  // When set, tsp.imprint compares the hashedMessage with these bytes and `stamped` is not
  // used: for a relying party that holds only the digest (`eseal ts verify --digest`).
  std::optional<Bytes> expected_imprint;
  // Proved signatures on the TSA's chain and CRLs, kept across tokens (x509/proof_cache.h);
  // nullptr: none. The token's own signature is verified every time.
  std::shared_ptr<x509::ProofCache> proof_cache;
};

struct TimestampVerification {
  Report report;  // check ids "tsp.*" and "tsa.cert.*" (above)
  std::optional<Time> gen_time;          // set ONLY when every check passed
  std::optional<Time> claimed_gen_time;  // genTime as read, even when not proven
  // Work done, for budgets and hostile-input tests: SM2 signature verifications made on
  // the token's own signature (the chain's are in the tsa.cert.signature checks).
  size_t sm2_verifications = 0;
};

// `stamped` is the data whose hash the messageImprint must equal (for a signature
// timestamp: the signature value bytes).
TimestampVerification VerifyTimestampToken(ByteView token_der, ByteView stamped,
                                           const TimestampVerifyOptions& o);

}  // namespace eseal::tsp
