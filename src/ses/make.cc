#include "eseal/ses/make.h"

#include "eseal/asn1/oid.h"
#include "eseal/crypto/sm3.h"
#include "eseal/x509/certificate.h"
#include "internal.h"
#include "v1/v1.h"

namespace eseal::ses {
namespace {

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

Status CheckKeyMatches(ByteView cert_der, const crypto::Sm2Signer& key, std::string_view who) {
  auto cert = x509::Certificate::FromDer(cert_der);
  if (!cert.ok()) return cert.status().WithContext(std::string(who) + " certificate");
  auto pub = cert->public_key();
  if (!pub.ok()) return pub.status().WithContext(std::string(who) + " certificate");
  if (!(*pub == key.PublicKey())) {
    return FailedPreconditionError(std::string("the ") + std::string(who) +
                                   " key does not belong to the " + std::string(who) +
                                   " certificate");
  }
  return Status::Ok();
}

}  // namespace

Result<Seal> MakeSeal(const SealSpec& spec, ByteView maker_cert_der, const crypto::Sm2Signer& maker) {
  if (spec.version != Version::kV4 && spec.version != Version::kV1) {
    return InvalidArgumentError("seals are made as v4 (GB/T 38540) or v1 (GM/T 0031-2014)");
  }
  if (spec.esid.empty() || spec.esid.size() > 64 || !IsAscii(spec.esid)) {
    return InvalidArgumentError("the seal code (esID) must be 1-64 printable ASCII characters");
  }
  if (spec.vid.empty() || !IsAscii(spec.vid)) {
    return InvalidArgumentError("the vendor id must be printable ASCII");
  }
  if (spec.name.empty()) return InvalidArgumentError("the seal name is empty");
  if (spec.signer_certs.empty()) {
    return InvalidArgumentError("a seal needs at least one signer certificate");
  }
  if (spec.valid_start >= spec.valid_end) {
    return InvalidArgumentError("the seal's validity start is not before its end");
  }
  if (spec.picture.data.empty() || !IsAscii(spec.picture.type)) {
    return InvalidArgumentError("the seal needs a picture with an ASCII type");
  }
  if (spec.picture.width_mm <= 0 || spec.picture.height_mm <= 0) {
    return InvalidArgumentError("the seal picture size must be positive");
  }
  for (const Bytes& c : spec.signer_certs) {
    auto cert = x509::Certificate::FromDer(c);
    if (!cert.ok()) return cert.status().WithContext("signer certificate");
  }
  RETURN_IF_ERROR(CheckKeyMatches(maker_cert_der, maker, "seal maker"));

  Seal seal;
  seal.version = spec.version;
  SealInfo& info = seal.info;
  info.header.id = "ES";
  info.header.version = static_cast<int64_t>(spec.version);
  info.header.vid = spec.vid;
  info.esid = spec.esid;
  info.property.type = spec.type;
  info.property.name = spec.name;
  info.property.cert_list_type = 1;
  info.property.certs = spec.signer_certs;
  info.property.create_date = spec.create_date;
  info.property.valid_start = spec.valid_start;
  info.property.valid_end = spec.valid_end;
  info.picture = spec.picture;
  info.ext_datas = spec.ext_datas;
  if (info.ext_datas) {
    for (ExtData& e : *info.ext_datas) e.critical_encoded = true;
  }
  seal.maker_cert.assign(maker_cert_der.begin(), maker_cert_der.end());
  seal.signature_algorithm = asn1::oids::Sm2WithSm3();
  seal.info_der = EncodeSealInfo(seal);
  ASSIGN_OR_RETURN(seal.maker_signature, maker.Sign(MakerSignedMessage(seal)));
  seal.der = EncodeSeal(seal);
  return seal;
}

Result<Signature> SignWithSeal(const Seal& seal, ByteView signer_cert_der,
                               const crypto::Sm2Signer& signer, const SignSpec& spec) {
  if (spec.data_hash.size() != crypto::kSm3DigestSize) {
    return InvalidArgumentError("dataHash must be a 32-byte SM3 digest");
  }
  if (!IsAscii(spec.property_info)) {
    return InvalidArgumentError("propertyInfo must be printable ASCII (IA5String)");
  }
  bool listed = false;
  for (const Bytes& c : seal.info.property.certs) {
    if (ByteView(c).size() == signer_cert_der.size() &&
        std::equal(c.begin(), c.end(), signer_cert_der.begin())) {
      listed = true;
    }
  }
  if (!listed) {
    return FailedPreconditionError("the signer certificate is not one of the seal's signer certificates");
  }
  RETURN_IF_ERROR(CheckKeyMatches(signer_cert_der, signer, "signer"));
  const PropertyInfo& p = seal.info.property;
  if (!spec.allow_outside_seal_validity && (spec.time < p.valid_start || spec.time > p.valid_end)) {
    return FailedPreconditionError("the seal is not valid at the signing time " +
                                   FormatRfc3339(spec.time) + " (valid " +
                                   FormatRfc3339(p.valid_start) + " to " +
                                   FormatRfc3339(p.valid_end) + ")");
  }
  if (seal.der.empty()) return InvalidArgumentError("the seal has no encoding");

  Signature sig;
  sig.version = seal.version;
  TbsSign& t = sig.tbs;
  // Embed the seal exactly as it was encoded: re-parse its bytes so the embedded copy and
  // Seal.esl stay byte-identical.
  ASSIGN_OR_RETURN(t.seal, ParseSeal(seal.der));
  t.version = static_cast<int64_t>(seal.version);
  t.time = spec.time;
  t.data_hash = spec.data_hash;
  t.property_info = spec.property_info;
  if (seal.version == Version::kV1) {
    t.v1_cert.assign(signer_cert_der.begin(), signer_cert_der.end());
    t.v1_signature_algorithm = asn1::oids::Sm2WithSm3();
    t.v1_time_info = internal::v1::EncodeTimeInfo(spec.time);
    t.v1_time_format = V1TimeFormat::kAsciiDateTime;
  } else {
    t.ext_datas = spec.ext_datas;
    if (t.ext_datas) {
      for (ExtData& e : *t.ext_datas) e.critical_encoded = true;
    }
    sig.cert.assign(signer_cert_der.begin(), signer_cert_der.end());
    sig.signature_algorithm = asn1::oids::Sm2WithSm3();
  }
  sig.tbs_der = EncodeTbsSign(sig);
  ASSIGN_OR_RETURN(sig.signature, signer.Sign(sig.tbs_der));
  sig.der = EncodeSignature(sig);
  return sig;
}

}  // namespace eseal::ses
