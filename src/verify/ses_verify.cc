// Seals and SES signatures under the validation policy (ses_verify.h). The structures and
// what is signed are in reference/ses-formats.md; the time rule in signing_time.cc; roles
// in cert_role.cc.
#include "eseal/verify/ses_verify.h"

#include <algorithm>

#include "eseal/asn1/oid.h"
#include "eseal/crypto/sm3.h"
#include "eseal/x509/certificate.h"
#include "trust_internal.h"

namespace eseal::verify {
namespace {

using ses::PropertyInfo;
using ses::Seal;
using ses::SealInfo;
using ses::Signature;
using ses::TbsSign;
using ses::Version;
using ses::VersionName;
using ses::V1TimeFormat;
using ses::EncodeSeal;
using ses::EncodeSignature;
using ses::EncodeTbsSign;
using ses::MakerSignedMessage;
using ses::SignatureAlgorithm;
using ses::SignerCertificate;

std::string Str(int64_t v) { return std::to_string(v); }

// Whether `t` is in the window, inclusive.
bool Within(Time t, Time from, Time to) { return t >= from && t <= to; }

// The seal's period at the signer's claimed time: a claim outside it is the signer's own
// admission that the seal was not in force.
void CheckSealAtClaim(Report& report, const Seal& seal, Time claimed) {
  const PropertyInfo& p = seal.info.property;
  Check& c = Within(claimed, p.valid_start, p.valid_end)
                 ? report.Pass("ses.seal.valid_at_signing_time",
                               "the seal was valid at the claimed signing time " + FormatRfc3339(claimed))
                 : report.Fail("ses.seal.valid_at_signing_time",
                               "the seal was not valid at the claimed signing time " +
                                   FormatRfc3339(claimed) + " (valid " +
                                   FormatRfc3339(p.valid_start) + " to " +
                                   FormatRfc3339(p.valid_end) + ")");
  c.params = {{"time", FormatRfc3339(claimed)},
              {"valid_start", FormatRfc3339(p.valid_start)},
              {"valid_end", FormatRfc3339(p.valid_end)}};
}

// The seal's period at the validation time. An expiry after an unproven time is not held
// against the seal as a failure: nothing says the signature is younger than the expiry.
void CheckSealAt(Report& report, const Seal& seal, const TimeDecision& t) {
  const PropertyInfo& p = seal.info.property;
  std::string when = FormatRfc3339(t.at);
  std::string period = FormatRfc3339(p.valid_start) + " to " + FormatRfc3339(p.valid_end);
  Check* c;
  if (Within(t.at, p.valid_start, p.valid_end)) {
    c = &report.Pass("ses.seal.valid_at_time", "the seal was valid at " + when);
  } else if (t.at > p.valid_end && !t.proven) {
    c = &report.Indeterminate("ses.seal.valid_at_time",
                              "the seal has expired (valid " + period +
                                  "); nothing proves the signature was made before that");
  } else {
    c = &report.Fail("ses.seal.valid_at_time",
                     "the seal was not valid at " + when + " (valid " + period + ")");
  }
  c->params = {{"time", when},
               {"proven", t.proven ? "true" : "false"},
               {"valid_start", FormatRfc3339(p.valid_start)},
               {"valid_end", FormatRfc3339(p.valid_end)}};
}

// Named tolerance "maker_cert_after_seal_creation": GOMAIN's Jiangsu tax seal
// (signedFile.ofd) says it was created on 2019-10-11, five days before its maker
// certificate's notBefore. The maker's signature carries no time of its own; what can be
// checked is that the maker certificate was valid when the document was (claimed to be)
// signed, since the seal existed then.
void CheckMakerAtCreation(Report& r, const x509::Certificate& maker, Time created,
                          std::optional<Time> signed_at) {
  if (Within(created, maker.not_before(), maker.not_after())) {
    r.Pass("ses.seal.maker_cert.valid_at_creation");
    return;
  }
  if (signed_at && maker.not_before() > created && maker.ValidAt(*signed_at)) {
    r.Warn("ses.seal.maker_cert.valid_at_creation",
           "tolerated: the maker certificate begins " + FormatRfc3339(maker.not_before()) +
               ", after the seal's creation date " + FormatRfc3339(created) +
               "; it was valid when the document was signed (" + FormatRfc3339(*signed_at) + ")")
        .params = {{"tolerance", "maker_cert_after_seal_creation"}};
    return;
  }
  r.Fail("ses.seal.maker_cert.valid_at_creation",
         "the maker certificate (valid " + FormatRfc3339(maker.not_before()) + " to " +
             FormatRfc3339(maker.not_after()) + ") did not cover the seal's creation at " +
             FormatRfc3339(created));
}

// Seal checks. `t` is the time the seal is judged at; `claimed` the signer's claimed
// signing time when the seal is checked inside a signature.
Report VerifySealAt(const Seal& seal, const TimeDecision& t, const ValidationPolicy& policy,
                    std::optional<Time> claimed) {
  Report r;
  const SealInfo& info = seal.info;
  const PropertyInfo& p = info.property;
  Check& ic = r.Info("ses.seal.info", "seal " + std::string(VersionName(seal.version)) + " '" +
                                          p.name + "' (" + info.esid + ") by " + info.header.vid);
  ic.params = {{"version", std::string(VersionName(seal.version))},
               {"vid", info.header.vid},
               {"esid", info.esid},
               {"name", p.name},
               {"type", Str(p.type)},
               {"valid_start", FormatRfc3339(p.valid_start)},
               {"valid_end", FormatRfc3339(p.valid_end)},
               {"picture_type", info.picture.type}};

  // Header: "ES", and a version that fits the structure.
  int64_t hv = info.header.version;
  bool version_fits = seal.version == Version::kV1 ? hv < 4 : (hv == 4 || hv == 5);
  if (info.header.id != "ES") {
    r.Fail("ses.seal.header", "the seal header ID is '" + info.header.id + "', not 'ES'");
  } else if (!version_fits) {
    r.Warn("ses.seal.header", "the header says version " + Str(hv) + " but the structure is " +
                                  std::string(VersionName(seal.version)));
  } else {
    r.Pass("ses.seal.header");
  }

  if (!seal.der.empty()) {
    if (EncodeSeal(seal) == seal.der) {
      r.Pass("ses.seal.encoding", "re-encoding gives identical DER");
    } else {
      r.Warn("ses.seal.encoding",
             "re-encoding the seal changes its bytes; verifiers that re-encode (ofdrw) will "
             "reject it");
    }
  }

  bool alg_ok = seal.signature_algorithm == asn1::oids::Sm2WithSm3();
  if (alg_ok) {
    r.Pass("ses.seal.algorithm");
  } else {
    r.Fail("ses.seal.algorithm",
           "unsupported seal signature algorithm " + seal.signature_algorithm.ToString());
  }

  auto maker = x509::Certificate::FromDer(seal.maker_cert);
  Result<crypto::Sm2PublicKey> maker_key =
      maker.ok() ? internal::PublicKeyOf(*maker, policy) : Result<crypto::Sm2PublicKey>(maker.status());
  if (!maker_key.ok()) {
    r.Fail("ses.seal.maker_cert", "the seal maker certificate is unusable: " +
                                      maker_key.status().message());
    r.Skip("ses.seal.maker_signature", "no usable maker certificate");
  } else {
    r.Pass("ses.seal.maker_cert", "seal maker: " + maker->subject().ToString())
        .params = {{"subject", maker->subject().ToString()}, {"serial", maker->SerialHex()}};
    bool raw = false;
    // The maker's signature on these seal bytes is the same proof for every document
    // sealed with it: kept in the policy's proof cache when there is one.
    const Bytes message = MakerSignedMessage(seal);
    bool ok = alg_ok && (policy.proof_cache
                             ? policy.proof_cache->VerifySm2DerOrRaw(maker->spki_der(), message,
                                                                      seal.maker_signature, &raw)
                             : crypto::VerifySm2DerOrRaw(*maker_key, message, seal.maker_signature, &raw));
    if (ok) {
      r.Pass("ses.seal.maker_signature", "the seal maker's signature verifies");
    } else {
      r.Fail("ses.seal.maker_signature",
             "the seal maker's signature does not verify over the seal information");
    }
    if (raw) {
      r.Warn("ses.seal.maker_signature.raw_rs",
             "tolerated: the maker signature is raw 64-byte r||s, not DER");
    }
    CheckMakerAtCreation(r, *maker, p.create_date, claimed);
    internal::CheckCertificateFor(Role::kSealMaker, *maker, {}, policy, t, r, "maker.");
  }

  bool certs_ok = p.cert_list_type == 2 ? !p.cert_digests.empty() : !p.certs.empty();
  for (const Bytes& c : p.certs) {
    if (!x509::Certificate::FromDer(c).ok()) certs_ok = false;
  }
  if (certs_ok) {
    r.Pass("ses.seal.signer_certs");
  } else {
    r.Fail("ses.seal.signer_certs", "the seal's certList is empty or holds an unreadable certificate");
  }

  if (p.valid_start < p.valid_end) {
    r.Pass("ses.seal.validity_period");
  } else {
    r.Fail("ses.seal.validity_period", "the seal's validStart is not before its validEnd");
  }
  if (claimed) CheckSealAtClaim(r, seal, *claimed);
  CheckSealAt(r, seal, t);
  internal::CheckSealStatusAnswers(seal, t, policy, r);

  // GB/T 38540 extDatas: eseal understands none, so a critical one leaves the seal
  // undecidable (as an unknown critical certificate extension does).
  for (const ses::ExtData& e : info.ext_datas.value_or(std::vector<ses::ExtData>{})) {
    if (e.critical) {
      r.Indeterminate("ses.seal.ext_data.critical",
                      "the seal has a critical extension " + e.id.ToString() +
                          " that eseal does not process")
          .params = {{"oid", e.id.ToString()}};
    }
  }

  if (seal.timestamp) {
    r.Info("ses.seal.timestamp", "the seal carries a timeStamp; it proves when the seal was "
                                 "made, not when a document was signed");
  }
  return r;
}

bool SignerListed(const Seal& seal, const Bytes& cert, std::string* detail) {
  const PropertyInfo& p = seal.info.property;
  if (p.cert_list_type == 2) {
    for (const ses::CertDigest& d : p.cert_digests) {
      std::string t = d.type;
      std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::toupper(c); });
      if (t == "SM3" && d.value == crypto::Sm3Bytes(cert)) return true;
    }
    *detail = "no SM3 digest in the seal's certList matches the signer certificate";
    return false;
  }
  if (std::find(p.certs.begin(), p.certs.end(), cert) != p.certs.end()) return true;
  *detail = "the signer certificate is not in the seal's certList";
  return false;
}

}  // namespace

Report VerifySeal(const Seal& seal, Time at, const ValidationPolicy& policy) {
  // "Is this seal good at T" is asked of T itself, so T counts as the proven time.
  return VerifySealAt(seal, TimeDecision{at, true, "asked"}, policy, std::nullopt);
}

Report VerifySesSignature(const Signature& sig, const std::optional<Bytes>& data_hash,
                          const ValidationPolicy& policy,
                          const std::optional<RegisteredTime>& registered,
                          TimeDecision* decision) {
  Report r;
  const TbsSign& t = sig.tbs;
  const Bytes& cert_der = SignerCertificate(sig);
  auto cert = x509::Certificate::FromDer(cert_der);

  Check& info = r.Info("ses.signature.info",
                       "signature " + std::string(VersionName(sig.version)) + " made " +
                           FormatRfc3339(t.time) + " over '" + t.property_info + "'");
  info.params = {{"version", std::string(VersionName(sig.version))},
                 {"signing_time", FormatRfc3339(t.time)},
                 {"property_info", t.property_info}};
  if (cert.ok()) info.params.emplace_back("signer", cert->subject().ToString());

  int64_t want = sig.version == Version::kV1 ? 1 : static_cast<int64_t>(sig.version);
  if (t.version == want || (sig.version == Version::kV1 && t.version < 4)) {
    r.Pass("ses.signature.version");
  } else {
    r.Warn("ses.signature.version", "TBS_Sign version " + Str(t.version) +
                                        " does not match the seal version " +
                                        std::string(VersionName(sig.version)));
  }

  if (!sig.der.empty()) {
    if (EncodeSignature(sig) == sig.der) {
      r.Pass("ses.signature.encoding", "re-encoding gives identical DER");
    } else {
      r.Warn("ses.signature.encoding",
             "re-encoding the signature changes its bytes; verifiers that re-encode (ofdrw) "
             "will reject it");
    }
  }

  bool alg_ok = SignatureAlgorithm(sig) == asn1::oids::Sm2WithSm3();
  if (alg_ok) {
    r.Pass("ses.signature.algorithm");
  } else {
    r.Fail("ses.signature.algorithm",
           "unsupported signature algorithm " + SignatureAlgorithm(sig).ToString());
  }

  Result<crypto::Sm2PublicKey> key =
      cert.ok() ? internal::PublicKeyOf(*cert, policy) : Result<crypto::Sm2PublicKey>(cert.status());
  if (!key.ok()) {
    r.Fail("ses.signature.signer_cert",
           "the signer certificate is unusable: " + key.status().message());
    r.Skip("ses.signature.value", "no usable signer certificate");
  } else {
    r.Pass("ses.signature.signer_cert", "signer: " + cert->subject().ToString())
        .params = {{"subject", cert->subject().ToString()}, {"serial", cert->SerialHex()}};
    bool raw = false;
    ByteView tbs = sig.tbs_der.empty() ? ByteView() : ByteView(sig.tbs_der);
    Bytes encoded;
    if (tbs.empty()) {
      encoded = EncodeTbsSign(sig);
      tbs = encoded;
    }
    if (alg_ok && crypto::VerifySm2DerOrRaw(*key, tbs, sig.signature, &raw)) {
      r.Pass("ses.signature.value", "the SM2 signature over TBS_Sign verifies");
    } else {
      r.Fail("ses.signature.value", "the SM2 signature over TBS_Sign does not verify");
    }
    if (raw) {
      r.Warn("ses.signature.value.raw_rs",
             "tolerated: the signature value is raw 64-byte r||s, not DER");
    }
  }

  if (!data_hash) {
    r.Skip("ses.signature.data_hash", "no original data was given");
  } else if (t.data_hash == *data_hash) {
    r.Pass("ses.signature.data_hash", "dataHash equals SM3 of the signed data");
  } else {
    r.Fail("ses.signature.data_hash", "dataHash does not match SM3 of the signed data")
        .params = {{"expected", HexEncode(t.data_hash)}, {"actual", HexEncode(*data_hash)}};
  }

  std::string why;
  if (SignerListed(t.seal, cert_der, &why)) {
    r.Pass("ses.signature.signer_in_seal", "the signer certificate is one of the seal's");
  } else {
    r.Fail("ses.signature.signer_in_seal", why);
  }

  bool time_usable = !(sig.version == Version::kV1 && t.v1_time_format == V1TimeFormat::kUnknown);
  if (sig.version == Version::kV1) {
    switch (t.v1_time_format) {
      case V1TimeFormat::kAsciiDateTime:
        r.Pass("ses.signature.time_format", "timeInfo is 'yyyy-MM-dd HH:mm:ss' (China Standard Time)");
        break;
      case V1TimeFormat::kIso8601:
        r.Warn("ses.signature.time_format", "tolerated: timeInfo is an ISO 8601 string");
        break;
      case V1TimeFormat::kDerUtcTime:
        r.Warn("ses.signature.time_format", "tolerated: timeInfo is a DER UTCTime");
        break;
      case V1TimeFormat::kUnknown:
        r.Indeterminate("ses.signature.time_format", "timeInfo is not a recognisable time");
        break;
    }
  }
  r.Info("ses.signature.time",
         "the signing time " + FormatRfc3339(t.time) + " is the signer's claim" +
             (sig.timestamp ? "; a timestamp is present" : "; no timestamp"))
      .params = {{"claimed", FormatRfc3339(t.time)}, {"timestamp", sig.timestamp ? "yes" : "no"}};
  // The timestamp (GB/T 38540 timeStamp) is over the signature value.
  const TimeDecision when =
      internal::DecideTime(t.time, sig.timestamp, sig.signature, registered, policy, r);
  if (decision) *decision = when;

  if (cert.ok() && time_usable) {
    if (cert->ValidAt(t.time)) {
      r.Pass("ses.signature.signer_cert.valid_at_signing_time");
    } else {
      r.Fail("ses.signature.signer_cert.valid_at_signing_time",
             "the signer certificate (valid " + FormatRfc3339(cert->not_before()) + " to " +
                 FormatRfc3339(cert->not_after()) + ") was not valid at the claimed signing time " +
                 FormatRfc3339(t.time));
    }
  }
  if (cert.ok()) internal::CheckCertificateFor(Role::kSigner, *cert, {}, policy, when, r, "signer.");

  if (time_usable) {
    r.Merge(VerifySealAt(t.seal, when, policy, t.time));
  } else {
    r.Merge(VerifySealAt(t.seal, when, policy, std::nullopt));
    r.Indeterminate("ses.seal.valid_at_signing_time", "the claimed signing time is unreadable");
  }
  return r;
}

}  // namespace eseal::verify
