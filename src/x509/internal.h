// Private helpers of the x509 module: AlgorithmIdentifier and Extensions (shared by
// certificates and CRLs), GeneralNames, KeyUsage bit strings.
// Thread-safety: reentrant functions.
#pragma once

#include <string>
#include <vector>

#include "eseal/asn1/der.h"
#include "eseal/x509/certificate.h"

namespace eseal::x509::internal {

// Guards: nothing that eseal handles has more of these.
inline constexpr size_t kMaxExtensions = 64;
inline constexpr size_t kMaxNameAttributes = 64;

struct AlgorithmIdentifier {
  asn1::Oid oid;
  bool has_params = false;
  ByteView params;  // whole encoding of the parameters element
};

// AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }.
Result<AlgorithmIdentifier> ParseAlgorithmIdentifier(ByteView encoding);

// SM2-with-SM3 as a signature algorithm; parameters absent (GM/T 0015) or NULL (seen from
// some encoders) are accepted, anything else is not SM2-with-SM3.
bool IsSm2WithSm3(const AlgorithmIdentifier& alg);

// Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension; rejects duplicates and an explicit
// DEFAULT FALSE critical flag.
Result<std::vector<Extension>> ParseExtensions(asn1::Reader& r);

// Named tolerances (DESIGN.md "Strict DER out, tolerant where the field demands in").
// KeyUsage with trailing zero bits (e.g. 03 02 00 C0 instead of 03 02 06 C0), written by
// real vendor CAs (JSGXCA in the dianju sample).
inline constexpr std::string_view kToleranceKeyUsageTrailingZeros = "key_usage_trailing_zero_bits";
// basicConstraints with cA FALSE written out (30 03 01 01 00) although DER omits a
// DEFAULT value; JSGXCA and the CEGN Class 2 CA write it.
inline constexpr std::string_view kToleranceBasicConstraintsExplicitFalse =
    "basic_constraints_explicit_false";
// A Name IA5String holding non-ASCII UTF-8 (YNCA's emailAddress "电子邮箱", zsbk.ofd).
inline constexpr std::string_view kToleranceIa5StringUtf8 = "ia5string_utf8";

// KeyUsage BIT STRING (named bits) into KeyUsageBit flags. Sets *non_minimal when the
// encoding has trailing zero bits (accepted under kToleranceKeyUsageTrailingZeros).
Result<uint32_t> ParseKeyUsage(ByteView ext_value, bool* non_minimal);
// AuthorityKeyIdentifier: the keyIdentifier (may be empty).
Result<Bytes> ParseAuthorityKeyId(ByteView ext_value);
// GeneralNames: appends uniformResourceIdentifier values, skips the other forms.
Status ParseGeneralNamesUris(asn1::Reader r, std::vector<std::string>* uris);

// Writers.
void AddAlgorithmSm2WithSm3(asn1::Writer& w);
void AddExtension(asn1::Writer& w, const asn1::Oid& id, bool critical, ByteView value);
// Named BIT STRING content for KeyUsage flags (minimal: trailing zero bits dropped).
Bytes EncodeKeyUsage(uint32_t bits);
Bytes EncodeAuthorityKeyId(ByteView key_id);
// SEQUENCE OF DistributionPoint, one per URI (fullName URI).
Bytes EncodeCrlDistributionPoints(const std::vector<std::string>& uris);

// PEM decoding helper for one block with `label`.
Result<Bytes> PemDecodeFirst(std::string_view text, std::string_view label);

// Upper-case hex.
std::string UpperHex(ByteView b);

}  // namespace eseal::x509::internal
