// Type="Sign" signature values (ses-formats.md §7.5): GB/T 35275 SignedData (content =
// SM3(Signature.xml) or its base64, or detached with a messageDigest attribute) or a bare
// SM2 signature over the Signature.xml bytes (ofdrw's DigitalSignContainer), which carries
// no certificate: the verifier must be given one.
#include <cstdio>

#include "eseal/asn1/der.h"
#include "eseal/asn1/oid.h"
#include "eseal/crypto/sm3.h"
#include "eseal/x509/chain.h"
#include "trust_internal.h"
#include "eseal/x509/signed_data.h"
#include "internal.h"

namespace eseal::verify::internal {
namespace {

std::string Trim(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string_view::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(a, b - a + 1));
}

std::optional<Time> TimeFromXml(const ofd::Signature& sig, Report& r) {
  auto t = ParseSignatureDateTime(sig.signature_date_time);
  if (t.ok()) {
    r.Info("sign.time", "signing time " + FormatRfc3339(*t) +
                            " from SignatureDateTime: the signer's claim")
        .params = {{"signing_time", FormatRfc3339(*t)}, {"source", "SignatureDateTime"}};
    return *t;
  }
  r.Info("sign.time", "SignatureDateTime \"" + sig.signature_date_time + "\" is not a readable time")
      .params = {{"source", "none"}};
  return std::nullopt;
}

std::optional<Time> VerifySignedData(const ofd::Signature& sig, ByteView xml, ByteView value,
                                     const OfdVerifyOptions& o, Report& r) {
  const Bytes digest = crypto::Sm3Bytes(xml);
  return VerifySignedDataValue(value, digest, "Signature.xml",
                               [&](Report& rep) { return TimeFromXml(sig, rep); }, o.policy, r);
}

std::optional<Time> VerifyBareSm2(const ofd::Signature& sig, ByteView xml, ByteView value,
                                  const OfdVerifyOptions& o, Report& r) {
  r.Info("sign.format", "a bare SM2 signature over Signature.xml (it carries no certificate)")
      .params = {{"format", "sm2_raw"}};
  std::optional<Time> at = TimeFromXml(sig, r);
  if (o.policy.sign_certs.empty()) {
    r.Indeterminate("sign.signer_cert",
                    "a bare SM2 signature names no signer; give the signer certificate "
                    "(--sign-cert) to check it");
    r.Skip("sign.value", "no certificate to check it with");
    return at;
  }
  for (const x509::Certificate& c : o.policy.sign_certs) {
    auto key = PublicKeyOf(c, o.policy);
    bool raw = false;
    if (key.ok() && crypto::VerifySm2DerOrRaw(*key, xml, value, &raw)) {
      r.Pass("sign.signer_cert", "signer (given): " + c.subject().ToString()).params = CertParams(c);
      r.Pass("sign.value", "the SM2 signature verifies with the certificate of " +
                               c.subject().ToString() + " (serial " + c.SerialHex() + ")")
          .params = CertParams(c);
      if (raw) {
        r.Warn("sign.value.raw_rs", "tolerated: the signature value is raw 64-byte r||s, not DER")
            .params = {{"tolerance", "raw_rs"}};
      }
      CheckSignerAt(c, at, std::nullopt, value, {}, o.policy, r);
      return at;
    }
  }
  r.Fail("sign.value", "the SM2 signature verifies with none of the " +
                           std::to_string(o.policy.sign_certs.size()) + " certificate(s) given");
  return at;
}

}  // namespace

Result<Time> ParseSignatureDateTime(std::string_view text) {
  std::string t = Trim(text);
  constexpr int kCst = 8 * 3600;
  bool digits14 = t.size() == 14;
  for (char c : t) {
    if (c < '0' || c > '9') digits14 = false;
  }
  if (digits14) {
    CivilTime c;
    if (std::sscanf(t.c_str(), "%4d%2d%2d%2d%2d%2d", &c.year, &c.month, &c.day, &c.hour,
                    &c.minute, &c.second) != 6) {
      return InvalidArgumentError("unreadable time");
    }
    ASSIGN_OR_RETURN(Time local, FromCivil(c));
    return local - std::chrono::seconds(kCst);
  }
  return ParseTime(t, kCst);
}

std::optional<Time> VerifySignValue(const ofd::Signature& sig, ByteView xml, ByteView value,
                                    const OfdVerifyOptions& options, Report& r) {
  if (x509::LooksLikeSignedData(value)) return VerifySignedData(sig, xml, value, options, r);
  bool der_sig = value.size() >= 8 && value.size() <= 80 && value[0] == 0x30;
  if (value.size() == 64 || der_sig) return VerifyBareSm2(sig, xml, value, options, r);
  r.Fail("sign.format", "the Type=\"Sign\" value is neither GB/T 35275 SignedData nor an SM2 "
                        "signature");
  return std::nullopt;
}

}  // namespace eseal::verify::internal
