// Verification of seals (GB/T 38540 §6.3, 电子印章验证) and signatures (§7.3, 电子签章验证),
// as reports: every check with a stable id, never stopping at the first failure.
//
// Seal checks (VerifySeal):
//   ses.seal.info                      INFO  version, vid, esID, name, type, validity
//   ses.seal.header                    header ID is "ES" and its version fits the structure
//   ses.seal.encoding                  re-encoding gives the same bytes (WARNING if not:
//                                      ofdrw-based verifiers re-encode and would reject it)
//   ses.seal.algorithm                 signature algorithm is SM2-with-SM3
//   ses.seal.maker_cert                the maker certificate parses and has an SM2 key
//   ses.seal.maker_signature           the maker's signature over the seal info verifies
//   ses.seal.maker_signature.raw_rs    WARNING tolerance: raw 64-byte r||s accepted
//   ses.seal.maker_cert.valid_at_creation  the maker certificate covered createDate
//   maker.cert.*                       the maker certificate's chain, at createDate
//   ses.seal.signer_certs              the certList is present and parses
//   ses.seal.validity_period           validStart is before validEnd
//   ses.seal.valid_at_time / ses.seal.valid_at_signing_time
//                                      the time lies within validStart..validEnd
//   ses.seal.timestamp                 v5 timeStamp present (INFO: not verified)
// Signature checks (VerifySignature) add:
//   ses.signature.info                 INFO  version, signing time, propertyInfo, signer
//   ses.signature.version              TBS_Sign version matches the seal version
//   ses.signature.encoding             as ses.seal.encoding, for the signature
//   ses.signature.algorithm            SM2-with-SM3
//   ses.signature.signer_cert          the signer certificate parses
//   ses.signature.value                SM2 signature over DER(TBS_Sign) verifies
//   ses.signature.value.raw_rs         WARNING tolerance: raw 64-byte r||s accepted
//   ses.signature.data_hash            dataHash equals SM3 of the original (SKIPPED if no data)
//   ses.signature.signer_in_seal       the signer certificate is in the seal's certList
//   ses.signature.signer_cert.valid_at_signing_time
//   signer.cert.*                      the signer certificate's chain, at the signing time
//   ses.signature.time                 INFO: where the signing time comes from
//   ses.signature.time_format          v1: how timeInfo was written (WARNING if unusual)
// Thread-safety: reentrant.
#pragma once

#include <optional>
#include <vector>

#include "eseal/base/report.h"
#include "eseal/ses/seal.h"
#include "eseal/ses/signature.h"
#include "eseal/x509/chain.h"
#include "eseal/x509/crl.h"

namespace eseal::ses {

struct TrustPolicy {
  x509::TrustStore anchors;  // CA roots and registered seal-maker certificates
  std::vector<x509::Certificate> intermediates;
  std::vector<x509::Crl> crls;
  // Named tolerance for test roots whose keyUsage lacks keyCertSign (the ofdrw test root).
  bool tolerate_ca_without_key_cert_sign = false;
};

// Verifies a seal as of time `at`.
Report VerifySeal(const Seal& seal, Time at, const TrustPolicy& policy);

// Verifies an SES_Signature. `data_hash` is SM3 of the original the caller holds (for OFD,
// of the signature's Signature.xml); nullopt skips that check.
Report VerifySignature(const Signature& sig, const std::optional<Bytes>& data_hash,
                       const TrustPolicy& policy);

// Verifies an SM2 signature value in DER or (tolerated, reported by the caller) raw r||s.
// Sets *raw when the raw form was used.
bool VerifySm2Value(const crypto::Sm2PublicKey& key, ByteView message, ByteView value, bool* raw);

}  // namespace eseal::ses
