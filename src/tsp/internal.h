// Private helpers of the tsp module: digests by OID, the bounded token reader and the
// ESS signing-certificate attributes (RFC 2634 §5.4 ESSCertID, RFC 5035 ESSCertIDv2).
#pragma once

#include <optional>
#include <string>

#include "eseal/asn1/der.h"
#include "eseal/tsp/timestamp_token.h"

namespace eseal::tsp::internal {

// SM3, SHA-1 or SHA-256 of `data` by algorithm OID (SM3 also as 1.2.156.10197.1.401.1);
// nullopt for any other algorithm.
std::optional<Bytes> Digest(const asn1::Oid& algorithm, ByteView data);
// "SM3", "SHA-256", "SHA-1", or the dotted OID.
std::string AlgorithmName(const asn1::Oid& algorithm);

// An AlgorithmIdentifier whose parameters are absent or NULL (hash algorithms).
Result<x509::AlgorithmId> ReadHashAlgorithm(asn1::Reader& r, std::string_view where);

// The token's parts as read. The content types are not judged here (the verifier reports
// them); `tst_info_status` is the TSTInfo parse result (token.info valid only when ok, and
// NotFound when there is no eContent).
struct TokenParts {
  TimestampToken token;
  Status tst_info_status;
};
Result<TokenParts> ReadToken(ByteView der, size_t max_certificates);

// Outcome of checking one signing-certificate attribute against the TSA certificate.
struct EssResult {
  bool matches = false;
  std::string detail;  // why not, for the report
};
// `value` is the attribute value's DER (SigningCertificate or SigningCertificateV2).
EssResult CheckSigningCertificate(ByteView value, bool v2, const x509::Certificate& cert);

}  // namespace eseal::tsp::internal
