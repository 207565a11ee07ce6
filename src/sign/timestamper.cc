// Putting a timestamp token into the signature values eseal makes (timestamper.h).
#include "eseal/sign/timestamper.h"

#include "eseal/asn1/der.h"
#include "eseal/crypto/sm3.h"
#include "eseal/tsp/timestamp_token.h"

namespace eseal::sign {
namespace {

// id-aa-signatureTimeStampToken (RFC 3161 Appendix A).
const asn1::Oid& SignatureTimeStampTokenOid() {
  static const asn1::Oid oid = asn1::MustOid("1.2.840.113549.1.9.16.2.14");
  return oid;
}

Status Bilingual(const Status& s) {
  return s.WithContext("时间戳获取失败，未签章 / timestamping failed, nothing was signed");
}

}  // namespace

Timestamper LocalTimestamper(const tsp::TimestampAuthority& tsa) {
  return [&tsa](ByteView value) -> Result<Bytes> {
    return tsa.Stamp(crypto::Sm3Bytes(value), asn1::oids::Sm3());
  };
}

Result<Bytes> TokenOver(ByteView value, const Timestamper& timestamper) {
  if (!timestamper) return Bilingual(InvalidArgumentError("no timestamper was given"));
  auto token = timestamper(value);
  if (!token.ok()) return Bilingual(token.status());
  auto parsed = tsp::ParseTimestampToken(*token);
  if (!parsed.ok()) {
    return Bilingual(DataLossError("the timestamper returned no readable token: " +
                                   parsed.status().message()));
  }
  auto expected = tsp::HashForImprint(parsed->info.hash_algorithm, value);
  if (!expected.ok() || *expected != parsed->info.hashed_message) {
    return Bilingual(DataLossError("the token's imprint is not the hash of the bytes it was asked to stamp"));
  }
  return *std::move(token);
}

Status StampSesSignature(ses::Signature& sig, const Timestamper& timestamper) {
  if (sig.version == ses::Version::kV1) {
    return FailedPreconditionError(
        "GM/T 0031-2014 (v1) 签章数据没有时间戳字段，无法加时间戳 / a v1 SES_Signature has no "
        "timeStamp field; use a v4 seal or sign without a TSA");
  }
  ASSIGN_OR_RETURN(Bytes token, TokenOver(sig.signature, timestamper));
  sig.timestamp = std::move(token);
  sig.der = ses::EncodeSignature(sig);
  return Status::Ok();
}

Status StampSignedData(x509::SignedData& sd, const Timestamper& timestamper) {
  if (sd.signer_infos.size() != 1) {
    return FailedPreconditionError("the SignedData must have exactly one SignerInfo to stamp");
  }
  x509::SignerInfo& si = sd.signer_infos[0];
  if (si.unauthenticated_attributes_der) {
    return FailedPreconditionError("the SignerInfo already has unsigned attributes");
  }
  ASSIGN_OR_RETURN(Bytes token, TokenOver(si.encrypted_digest, timestamper));
  // unauthenticatedAttributes [1] IMPLICIT SET OF Attribute { type, SET OF value }.
  asn1::Writer w;
  w.AddConstructed(asn1::ContextTag(1, true), [&](asn1::Writer& attrs) {
    attrs.AddSequence([&](asn1::Writer& a) {
      a.AddOid(SignatureTimeStampTokenOid());
      a.AddSet([&](asn1::Writer& values) { values.AddRaw(token); });
    });
  });
  si.unauthenticated_attributes_der = std::move(w).Finish();
  sd.der = x509::EncodeSignedData(sd);
  return Status::Ok();
}

}  // namespace eseal::sign
