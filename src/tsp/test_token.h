// A timestamp-token writer for tests, independent of the reading and verifying path under
// test: it lays the DER out field by field with asn1::Writer (RFC 3161 §2.4.2, RFC 5652,
// RFC 5035) and signs with crypto::Sm2PrivateKey; nothing from src/tsp is used. Each knob
// makes one deviation a hostile or sloppy TSA could produce. Also a small PKI: an SM2 root
// and a TSA certificate with a critical id-kp-timeStamping extendedKeyUsage.
#pragma once

#include <optional>
#include <string>

#include "eseal/asn1/oid.h"
#include "eseal/base/time.h"
#include "eseal/crypto/sm2.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/crl.h"

namespace eseal::tsp::testing {

struct TokenSpec {
  std::string outer_oid = "1.2.840.113549.1.7.2";          // ContentInfo type
  std::string econtent_oid = "1.2.840.113549.1.9.16.1.4";  // id-ct-TSTInfo
  std::string imprint_oid = "1.2.156.10197.1.401";         // SM3; SHA-256 also understood
  Bytes stamped;                                           // imprint = hash(stamped)
  std::optional<Bytes> imprint_override;                   // else the hash above
  std::string gen_time = "20260601120000.5Z";
  bool nonce = true;
  bool tsa_name = true;               // tsa [0] directoryName = the certificate's subject
  bool critical_extension = false;    // an unknown critical TSTInfo extension
  bool ordering_false = false;        // ordering written as FALSE (DEFAULT)
  enum class Ess { kV2Sha256, kV2Sm3, kV1Sha1, kNone, kV2WrongCert };
  Ess ess = Ess::kV2Sha256;
  bool ess_issuer_serial = true;
  std::string signer_digest_oid = "1.2.156.10197.1.401";
  std::string signature_oid = "1.2.156.10197.1.501";
  bool raw_rs = false;                // signature as raw 64-byte r||s
  bool tamper_tst_info = false;       // change the TSTInfo after signing
  bool include_cert = true;           // the TSA certificate in certificates [0]
  size_t filler_certificates = 0;     // extra "certificates" (empty SEQUENCEs) after it
  int signer_infos = 1;               // copies of the SignerInfo
};

struct Pki {
  crypto::Sm2PrivateKey root_key, tsa_key;
  x509::Certificate root, tsa;
  x509::Crl crl;  // the root's CRL (empty), valid around 2026-06
};
// `eku`: "critical" (good), "noncritical", "none", "extra" (timeStamping + another purpose).
Pki MakePki(const std::string& eku = "critical", const std::string& root_cn = "TSA Test Root");

Bytes MakeToken(const TokenSpec& spec, const x509::Certificate& tsa,
                const crypto::Sm2PrivateKey& key);

}  // namespace eseal::tsp::testing
