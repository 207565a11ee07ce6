// Built-in CA, pure operations (内置CA): root and issuing CA certificates, end-entity
// certificates for seal makers (制章者) and signers (签章者), CRLs. No storage here.
#include "eseal/x509/ca.h"

#include <algorithm>

#include "internal.h"

namespace eseal::x509 {
namespace {

Status CheckValidity(Time not_before, Time not_after) {
  if (not_after <= not_before) return InvalidArgumentError("notAfter must be after notBefore");
  return Status::Ok();
}

}  // namespace

std::string_view CertificateRoleName(CertificateRole role) {
  switch (role) {
    case CertificateRole::kRootCa:
      return "root-ca";
    case CertificateRole::kIssuingCa:
      return "issuing-ca";
    case CertificateRole::kSealMaker:
      return "seal-maker";
    case CertificateRole::kSigner:
      return "signer";
    case CertificateRole::kTimestamping:
      return "tsa";
  }
  return "unknown";
}

Result<CertificateRole> ParseCertificateRole(std::string_view text) {
  for (CertificateRole r : {CertificateRole::kRootCa, CertificateRole::kIssuingCa,
                            CertificateRole::kSealMaker, CertificateRole::kSigner,
                            CertificateRole::kTimestamping}) {
    if (text == CertificateRoleName(r)) return r;
  }
  if (text == "maker") return CertificateRole::kSealMaker;
  if (text == "timestamping") return CertificateRole::kTimestamping;
  return InvalidArgumentError("unknown certificate role '" + std::string(text.substr(0, 40)) +
                              "' (use seal-maker, signer or tsa)");
}

const asn1::Oid& SealMakerPolicy() {
  static const asn1::Oid oid = asn1::MustOid("1.3.6.1.4.1.32473.1.1");
  return oid;
}

const asn1::Oid& SignerPolicy() {
  static const asn1::Oid oid = asn1::MustOid("1.3.6.1.4.1.32473.1.2");
  return oid;
}

std::optional<CertificateRole> EndEntityRole(const Certificate& cert) {
  for (const asn1::Oid& p : cert.policies()) {
    if (p == SealMakerPolicy()) return CertificateRole::kSealMaker;
    if (p == SignerPolicy()) return CertificateRole::kSigner;
  }
  return std::nullopt;
}

Result<Bytes> RandomSerial(Rng& rng) {
  ASSIGN_OR_RETURN(Bytes serial, RandomBytes(rng, 16));
  serial[0] = static_cast<uint8_t>((serial[0] & 0x7f) | 0x40);
  return serial;
}

Result<Certificate> MakeRootCertificate(const Name& subject, const crypto::Sm2Signer& key,
                                        Time not_before, Time not_after, Rng& rng) {
  RETURN_IF_ERROR(CheckValidity(not_before, not_after));
  CertificateParams p;
  ASSIGN_OR_RETURN(p.serial, RandomSerial(rng));
  p.issuer = subject;
  p.subject = subject;
  p.not_before = not_before;
  p.not_after = not_after;
  p.spki_der = key.PublicKey().ToSpkiDer();
  p.basic_constraints = BasicConstraintsParams{true, std::nullopt, true};
  p.key_usage = kKeyCertSign | kCrlSign;
  p.subject_key_id = KeyIdentifier(key.PublicKey());
  p.authority_key_id = p.subject_key_id;
  ASSIGN_OR_RETURN(Bytes der, BuildCertificate(p, key));
  return Certificate::FromDer(der);
}

Result<Certificate> IssueCertificate(const Certificate& issuer, const crypto::Sm2Signer& issuer_key,
                                     const IssueRequest& request, Rng& rng) {
  if (!issuer.is_ca()) return FailedPreconditionError("the issuer certificate is not a CA");
  if (issuer.key_usage() && (*issuer.key_usage() & kKeyCertSign) == 0) {
    return FailedPreconditionError("the issuer certificate lacks the keyCertSign key usage");
  }
  ASSIGN_OR_RETURN(crypto::Sm2PublicKey issuer_pub, issuer.public_key());
  if (!(issuer_pub == issuer_key.PublicKey())) {
    return InvalidArgumentError("the signing key does not belong to the issuer certificate");
  }
  if (request.role == CertificateRole::kRootCa) {
    return InvalidArgumentError("a root CA is self-signed: use MakeRootCertificate");
  }
  if (request.subject.empty()) return InvalidArgumentError("the subject name is empty");
  Time not_after = std::min(request.not_after, issuer.not_after());
  RETURN_IF_ERROR(CheckValidity(request.not_before, not_after));

  CertificateParams p;
  if (request.serial) {
    p.serial = *request.serial;
  } else {
    ASSIGN_OR_RETURN(p.serial, RandomSerial(rng));
  }
  p.issuer = issuer.subject();
  p.subject = request.subject;
  p.not_before = request.not_before;
  p.not_after = not_after;
  p.spki_der = request.public_key.ToSpkiDer();
  p.subject_key_id = KeyIdentifier(request.public_key);
  p.authority_key_id =
      issuer.subject_key_id().empty() ? KeyIdentifier(issuer_pub) : issuer.subject_key_id();
  p.crl_distribution_points = request.crl_distribution_points;
  switch (request.role) {
    case CertificateRole::kIssuingCa:
      p.basic_constraints = BasicConstraintsParams{true, 0, true};
      p.key_usage = kKeyCertSign | kCrlSign;
      break;
    case CertificateRole::kSealMaker:
      p.key_usage = kDigitalSignature | kNonRepudiation;
      p.policies = {SealMakerPolicy()};
      break;
    case CertificateRole::kSigner:
      p.key_usage = kDigitalSignature | kNonRepudiation;
      p.policies = {SignerPolicy()};
      break;
    case CertificateRole::kTimestamping:
      // RFC 3161 §2.3: the TSA's key is for timestamps only, so the EKU is critical and alone.
      p.key_usage = kDigitalSignature | kNonRepudiation;
      p.ext_key_usage = {asn1::MustOid("1.3.6.1.5.5.7.3.8")};
      p.ext_key_usage_critical = true;
      break;
    case CertificateRole::kRootCa:
      break;
  }
  ASSIGN_OR_RETURN(Bytes der, BuildCertificate(p, issuer_key));
  return Certificate::FromDer(der);
}

Result<Crl> MakeCrl(const Certificate& issuer, const crypto::Sm2Signer& issuer_key,
                    const CrlRequest& request) {
  if (issuer.key_usage() && (*issuer.key_usage() & kCrlSign) == 0) {
    return FailedPreconditionError("the issuer certificate lacks the cRLSign key usage");
  }
  ASSIGN_OR_RETURN(crypto::Sm2PublicKey issuer_pub, issuer.public_key());
  if (!(issuer_pub == issuer_key.PublicKey())) {
    return InvalidArgumentError("the signing key does not belong to the CRL issuer certificate");
  }
  if (request.crl_number.empty()) return InvalidArgumentError("a CRL number is required");
  CrlParams p;
  p.issuer = issuer.subject();
  p.this_update = request.this_update;
  p.next_update = request.next_update;
  p.crl_number = request.crl_number;
  p.authority_key_id =
      issuer.subject_key_id().empty() ? KeyIdentifier(issuer_pub) : issuer.subject_key_id();
  p.entries = request.revoked;
  ASSIGN_OR_RETURN(Bytes der, BuildCrl(p, issuer_key));
  return Crl::FromDer(der);
}

}  // namespace eseal::x509
