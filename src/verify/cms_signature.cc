// GB/T 35275 SignedData signature values (数字签名, ses-formats.md §7.5), whatever the
// document format: the messageDigest attribute (or the content) against SM3 of the
// original, the signer certificate, the SM2 value, the signature timestamp
// (id-aa-signatureTimeStampToken) and the chain to a signer anchor. OFD's Type="Sign"
// (ofd_sign_value.cc) and PDF's CMS signatures (pdf_verifier.cc) both use it.
#include <cstdio>
#include <functional>

#include "eseal/asn1/der.h"
#include "eseal/asn1/oid.h"
#include "eseal/crypto/sm3.h"
#include "eseal/x509/chain.h"
#include "eseal/x509/signed_data.h"
#include "internal.h"
#include "trust_internal.h"

namespace eseal::verify::internal {

// The CMS signature timestamp (id-aa-signatureTimeStampToken, RFC 3161 Appendix A): an
// unsigned attribute of the SignerInfo holding a token over the signature value.
namespace {
std::optional<Bytes> SignatureTimestamp(const x509::SignerInfo& si) {
  if (!si.unauthenticated_attributes_der) return std::nullopt;
  static const asn1::Oid kTokenAttr = asn1::MustOid("1.2.840.113549.1.9.16.2.14");
  auto outer = asn1::ParseSingle(*si.unauthenticated_attributes_der);
  if (!outer.ok()) return std::nullopt;
  asn1::Reader attrs(outer->content);
  while (!attrs.empty()) {
    auto a = attrs.ReadSequence();
    if (!a.ok()) return std::nullopt;
    auto type = a->ReadOid();
    auto values = a->ReadSet();
    if (!type.ok() || !values.ok()) return std::nullopt;
    if (*type != kTokenAttr) continue;
    auto token = values->ReadRaw();
    if (!token.ok()) return std::nullopt;
    return Bytes(token->begin(), token->end());
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> CertParams(const x509::Certificate& c) {
  return {{"subject", c.subject().ToString()}, {"serial", c.SerialHex()}};
}

// The signer certificate at the claimed signing time (a claim: outside the certificate's
// period it is the signer's own admission), then the time decision (a signature timestamp
// in the unsigned attributes, or now) and the chain to a signer anchor (prefix "signer.").
void CheckSignerAt(const x509::Certificate& cert, std::optional<Time> claimed,
                   const std::optional<Bytes>& token, ByteView signature_value,
                   const std::vector<x509::Certificate>& pool, const ValidationPolicy& policy,
                   Report& r) {
  if (!claimed) {
    r.Info("sign.signer_cert.valid_at_signing_time",
           "no signing time is claimed (no signingTime attribute and no readable "
           "SignatureDateTime)");
  } else if (cert.ValidAt(*claimed)) {
    r.Pass("sign.signer_cert.valid_at_signing_time");
  } else {
    r.Fail("sign.signer_cert.valid_at_signing_time",
           "the signer certificate (valid " + FormatRfc3339(cert.not_before()) + " to " +
               FormatRfc3339(cert.not_after()) + ") was not valid at the claimed signing time " +
               FormatRfc3339(*claimed));
  }
  const Time claim = claimed.value_or(policy.time.ValidationNow());
  TimeDecision when = DecideTime(claim, token, signature_value, std::nullopt, policy, r);
  CheckCertificateFor(Role::kSigner, cert, pool, policy, when, r, "signer.");
}

std::optional<Time> VerifySignedDataValue(ByteView value, ByteView digest_view, std::string_view original,
                                          const std::function<std::optional<Time>(Report&)>& claimed_time,
                                          const ValidationPolicy& policy, Report& r) {
  const std::string what(original);
  const Bytes digest(digest_view.begin(), digest_view.end());
  auto sd = x509::ParseSignedData(value, policy.budget.max_signed_data_certificates);
  if (!sd.ok()) {
    r.Fail("sign.format", "the GB/T 35275 SignedData is malformed: " + sd.status().message());
    return std::nullopt;
  }
  Check& f = r.Info("sign.format", "GB/T 35275 SignedData");
  f.params = {{"format", "gbt35275_signed_data"}, {"content_type", sd->content_type.ToString()}};
  if (sd->too_many_certificates) {
    r.Indeterminate("sign.certificates",
                    "the SignedData carries more than " +
                        std::to_string(policy.budget.max_signed_data_certificates) +
                        " certificates; it is not verified (too complex)")
        .params = {{"limit", std::to_string(policy.budget.max_signed_data_certificates)}};
    return std::nullopt;
  }
  if (x509::EncodeSignedData(*sd) != sd->der) {
    r.Warn("sign.encoding", "re-encoding the SignedData changes its bytes");
  }
  if (sd->signer_infos.empty()) {
    r.Fail("sign.signer_info", "the SignedData has no signer");
    return std::nullopt;
  }
  if (sd->signer_infos.size() > 1) {
    r.Warn("sign.signer_info", "the SignedData has several signers; the first is checked");
  }
  const x509::SignerInfo& si = sd->signer_infos[0];

  const asn1::Oid& dig = si.digest_algorithm.oid;
  const asn1::Oid& enc = si.digest_encryption_algorithm.oid;
  bool dig_ok = dig == asn1::oids::Sm3() || dig == asn1::oids::Sm3NoKey();
  bool enc_ok = enc == asn1::oids::Sm2Sign() || enc == asn1::oids::Sm2WithSm3() ||
                enc == asn1::oids::Sm2Curve();
  if (dig_ok && enc_ok) {
    r.Pass("sign.algorithm", "SM3 digest, SM2 signature")
        .params = {{"digest", dig.ToString()}, {"signature", enc.ToString()}};
  } else {
    r.Fail("sign.algorithm", "unsupported algorithms: digest " + dig.ToString() +
                                 ", signature " + enc.ToString());
  }

  // The signed data is `original`, whose SM3 is `digest`.
  if (si.has_authenticated_attributes()) {
    auto md = x509::MessageDigestAttribute(si);
    if (!md.ok()) {
      r.Fail("sign.data_hash", "the signed attributes hold no messageDigest");
    } else if (*md == digest) {
      r.Pass("sign.data_hash", "the messageDigest attribute equals SM3(" + what + ")");
    } else {
      r.Fail("sign.data_hash", "the messageDigest attribute does not match SM3(" + what + ")")
          .params = {{"expected", HexEncode(*md)}, {"actual", HexEncode(digest)}};
    }
  } else if (!sd->content) {
    r.Fail("sign.data_hash", "detached content without signed attributes: nothing binds the "
                             "signature to " + what);
  } else if (*sd->content == digest) {
    r.Pass("sign.data_hash", "the signed content equals SM3(" + what + ")");
  } else if (AsChars(*sd->content) == Base64Encode(digest)) {
    r.Pass("sign.data_hash", "the signed content is base64(SM3(" + what + "))");
    r.Warn("ofd.tolerance.content_base64",
           "tolerated: the signed content is the base64 text of the digest (ofdrw "
           "setEnableFileHashBase64)")
        .params = {{"tolerance", "content_base64"}};
  } else {
    r.Fail("sign.data_hash", "the signed content does not match SM3(" + what + ")")
        .params = {{"actual", HexEncode(digest)}};
  }

  std::optional<x509::Certificate> cert = x509::FindSignerCertificate(*sd, si, policy.sign_certs);
  std::vector<x509::Certificate> pool;
  for (const Bytes& c : sd->certificates) {
    auto parsed = x509::Certificate::FromDer(c);
    if (parsed.ok() && !(cert && *parsed == *cert)) pool.push_back(*std::move(parsed));
  }
  std::optional<Time> at;
  if (auto st = x509::SigningTimeAttribute(si); st.ok()) {
    at = *st;
    r.Info("sign.time", "signing time " + FormatRfc3339(*st) +
                            " from the signingTime attribute: the signer's claim")
        .params = {{"signing_time", FormatRfc3339(*st)}, {"source", "signingTime"}};
  } else {
    at = claimed_time(r);
  }
  if (!cert) {
    r.Fail("sign.signer_cert", "the signer certificate named by issuerAndSerialNumber is not in "
                               "the SignedData nor among the certificates given");
    r.Skip("sign.value", "no signer certificate");
    return at;
  }
  auto key = PublicKeyOf(*cert, policy);
  if (!key.ok()) {
    r.Fail("sign.signer_cert", "the signer certificate is unusable: " + key.status().message());
    r.Skip("sign.value", "no usable signer certificate");
    return at;
  }
  r.Pass("sign.signer_cert", "signer: " + cert->subject().ToString()).params = CertParams(*cert);
  bool raw = false;
  if (dig_ok && enc_ok && crypto::VerifySm2DerOrRaw(*key, x509::SignedMessage(*sd, si), si.encrypted_digest, &raw)) {
    r.Pass("sign.value", "the SM2 signature verifies").params = CertParams(*cert);
  } else {
    r.Fail("sign.value", "the SM2 signature does not verify").params = CertParams(*cert);
  }
  if (raw) {
    r.Warn("sign.value.raw_rs", "tolerated: the signature value is raw 64-byte r||s, not DER")
        .params = {{"tolerance", "raw_rs"}};
  }
  CheckSignerAt(*cert, at, SignatureTimestamp(si), si.encrypted_digest, pool, policy, r);
  return at;
}

}  // namespace eseal::verify::internal
