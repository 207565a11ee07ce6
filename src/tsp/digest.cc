// Digests the timestamp token uses: SM3 (杂凑算法 GM/T 0004) for national-algorithm tokens,
// SHA-256 (accepted where the request asked for it) and SHA-1 (ESSCertID's certHash, RFC
// 2634). The crypto module exposes only SM3, so the SHA family comes from OpenSSL EVP here.
#include <openssl/evp.h>

#include "eseal/crypto/sm3.h"
#include "internal.h"

namespace eseal::tsp {

const asn1::Oid& IdCtTstInfo() {
  static const asn1::Oid o = asn1::MustOid("1.2.840.113549.1.9.16.1.4");
  return o;
}
const asn1::Oid& IdKpTimeStamping() {
  static const asn1::Oid o = asn1::MustOid("1.3.6.1.5.5.7.3.8");
  return o;
}
const asn1::Oid& Sha1() {
  static const asn1::Oid o = asn1::MustOid("1.3.14.3.2.26");
  return o;
}
const asn1::Oid& Sha256() {
  static const asn1::Oid o = asn1::MustOid("2.16.840.1.101.3.4.2.1");
  return o;
}
const asn1::Oid& SigningCertificate() {
  static const asn1::Oid o = asn1::MustOid("1.2.840.113549.1.9.16.2.12");
  return o;
}
const asn1::Oid& SigningCertificateV2() {
  static const asn1::Oid o = asn1::MustOid("1.2.840.113549.1.9.16.2.47");
  return o;
}

namespace internal {
namespace {

std::optional<Bytes> EvpDigest(const EVP_MD* md, ByteView data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &n, md, nullptr) != 1) {
    return std::nullopt;
  }
  out.resize(n);
  return out;
}

}  // namespace

std::optional<Bytes> Digest(const asn1::Oid& algorithm, ByteView data) {
  if (algorithm == asn1::oids::Sm3() || algorithm == asn1::oids::Sm3NoKey()) {
    return crypto::Sm3Bytes(data);
  }
  if (algorithm == Sha256()) return EvpDigest(EVP_sha256(), data);
  if (algorithm == Sha1()) return EvpDigest(EVP_sha1(), data);
  return std::nullopt;
}

std::string AlgorithmName(const asn1::Oid& algorithm) {
  if (algorithm == asn1::oids::Sm3() || algorithm == asn1::oids::Sm3NoKey()) return "SM3";
  if (algorithm == Sha256()) return "SHA-256";
  if (algorithm == Sha1()) return "SHA-1";
  return algorithm.ToString();
}

Result<x509::AlgorithmId> ReadHashAlgorithm(asn1::Reader& r, std::string_view where) {
  ASSIGN_OR_RETURN(asn1::Reader seq, r.ReadSequence());
  x509::AlgorithmId a;
  ASSIGN_OR_RETURN(a.oid, seq.ReadOid());
  if (!seq.empty()) {
    ASSIGN_OR_RETURN(ByteView p, seq.ReadRaw(asn1::kNull));
    if (p.size() != 2) return InvalidArgumentError(std::string(where) + ": bad NULL parameters");
    a.parameters = Bytes(p.begin(), p.end());
  }
  RETURN_IF_ERROR(seq.ExpectEnd(where));
  return a;
}

}  // namespace internal
}  // namespace eseal::tsp
