// ESS signing-certificate attributes (签名证书属性): SigningCertificate with ESSCertID
// (RFC 2634 §5.4, SHA-1 certHash) and SigningCertificateV2 with ESSCertIDv2 (RFC 5035,
// hashAlgorithm DEFAULT SHA-256; SM3 in national-algorithm tokens). RFC 3161 §2.4.1 needs
// one of them so that a token cannot be re-signed under a substituted certificate of the
// same key: the first ESSCertID names the TSA certificate.
//
//   SigningCertificate   ::= SEQUENCE { certs SEQUENCE OF ESSCertID, policies ... OPTIONAL }
//   SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies ... OPTIONAL }
//   ESSCertID   ::= SEQUENCE { certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
//   ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT sha256,
//                              certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
//   IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber INTEGER }
#include "internal.h"

namespace eseal::tsp::internal {
namespace {

using asn1::Reader;

EssResult No(std::string why) { return EssResult{false, std::move(why)}; }

// True if some directoryName [4] in GeneralNames equals `issuer_der`.
Result<bool> GeneralNamesHold(Reader& names, const Bytes& issuer_der) {
  bool found = false;
  size_t n = 0;
  while (!names.empty()) {
    if (++n > 16) return InvalidArgumentError("IssuerSerial: too many GeneralNames");
    ASSIGN_OR_RETURN(asn1::Element gn, names.ReadElement());
    if (gn.tag != asn1::ContextTag(4, true)) continue;
    Reader dn(gn.content);
    ASSIGN_OR_RETURN(ByteView name, dn.ReadRaw(asn1::kSequence));
    RETURN_IF_ERROR(dn.ExpectEnd("directoryName"));
    if (Bytes(name.begin(), name.end()) == issuer_der) found = true;
  }
  return found;
}

Result<EssResult> Check(ByteView value, bool v2, const x509::Certificate& cert) {
  ASSIGN_OR_RETURN(asn1::Element top, asn1::ParseSingle(value));
  if (top.tag != asn1::kSequence) return InvalidArgumentError("not a SEQUENCE");
  Reader sc(top.content);
  ASSIGN_OR_RETURN(Reader certs, sc.ReadSequence());
  if (certs.empty()) return No("the attribute lists no certificate");
  ASSIGN_OR_RETURN(Reader id, certs.ReadSequence());
  // The other ESSCertIDs (certificates of the path) are not needed; skip them by length.
  while (!certs.empty()) {
    ASSIGN_OR_RETURN(ByteView ignored, certs.ReadRaw(asn1::kSequence));
    (void)ignored;
  }
  if (!sc.empty()) {
    ASSIGN_OR_RETURN(ByteView policies, sc.ReadRaw(asn1::kSequence));
    (void)policies;
  }
  RETURN_IF_ERROR(sc.ExpectEnd("SigningCertificate"));

  asn1::Oid alg = Sha1();
  if (v2) {
    alg = Sha256();
    if (id.PeekIs(asn1::kSequence)) {
      ASSIGN_OR_RETURN(x509::AlgorithmId a, ReadHashAlgorithm(id, "ESSCertIDv2 hashAlgorithm"));
      alg = a.oid;
    }
  }
  ASSIGN_OR_RETURN(ByteView hash, id.ReadOctetString());
  std::optional<Bytes> expected = Digest(alg, cert.der());
  if (!expected) return No("unsupported certHash algorithm " + AlgorithmName(alg));
  if (Bytes(hash.begin(), hash.end()) != *expected) {
    return No("the " + AlgorithmName(alg) + " certHash is not the hash of the TSA certificate");
  }
  if (!id.empty()) {
    ASSIGN_OR_RETURN(Reader is, id.ReadSequence());
    ASSIGN_OR_RETURN(Reader names, is.ReadSequence());
    ASSIGN_OR_RETURN(bool issuer_ok, GeneralNamesHold(names, cert.issuer().der()));
    ASSIGN_OR_RETURN(ByteView serial, is.ReadUnsignedIntegerBytes());
    RETURN_IF_ERROR(is.ExpectEnd("IssuerSerial"));
    if (!issuer_ok || Bytes(serial.begin(), serial.end()) != cert.serial()) {
      return No("issuerSerial does not name the TSA certificate");
    }
  }
  RETURN_IF_ERROR(id.ExpectEnd(v2 ? "ESSCertIDv2" : "ESSCertID"));
  return EssResult{true, "certHash (" + AlgorithmName(alg) + ") names the TSA certificate"};
}

}  // namespace

EssResult CheckSigningCertificate(ByteView value, bool v2, const x509::Certificate& cert) {
  auto r = Check(value, v2, cert);
  if (!r.ok()) {
    return No(std::string(v2 ? "signingCertificateV2" : "signingCertificate") +
              " is malformed: " + r.status().ToString());
  }
  return *std::move(r);
}

}  // namespace eseal::tsp::internal
