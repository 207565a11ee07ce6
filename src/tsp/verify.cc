// Verification of a timestamp token (时间戳验证): RFC 3161 §2.4.2 with the national-algorithm
// profile of reference/pdf-and-timestamps.md §5. Check ids are listed in timestamp_token.h.
#include "eseal/crypto/sm2.h"
#include "eseal/tsp/timestamp_token.h"
#include "internal.h"

namespace eseal::tsp {
namespace {

using internal::AlgorithmName;
using internal::Digest;

bool IsSm2Signature(const asn1::Oid& oid) {
  return oid == asn1::oids::Sm2Sign() || oid == asn1::oids::Sm2WithSm3();
}

// The hash algorithms a token may use for its imprint and its signer digest.
void CheckHashAlgorithm(Report& r, const std::string& id, const asn1::Oid& alg) {
  if (alg == asn1::oids::Sm3()) {
    r.Pass(id, "SM3").params.push_back({"algorithm", "SM3"});
  } else if (alg == Sha256()) {
    r.Pass(id, "SHA-256, accepted where the requester asked for it").params.push_back({"algorithm", "SHA-256"});
  } else {
    r.Fail(id, "unsupported hash algorithm " + AlgorithmName(alg)).params.push_back({"algorithm", alg.ToString()});
  }
}

void CheckTstInfo(Report& r, const TstInfo& info, ByteView stamped, const std::optional<Bytes>& expected) {
  for (const std::string& t : info.tolerances) {
    r.Warn("tsp.tst_info.tolerance", "tolerated: TSTInfo ordering written as FALSE (the DEFAULT)")
        .params.push_back({"tolerance", t});
  }
  for (const x509::Extension& e : info.extensions) {
    if (e.critical) {
      r.Indeterminate("tsp.tst_info.critical_extension",
                      "the TSTInfo has a critical extension eseal does not process")
          .params.push_back({"oid", e.id.ToString()});
    }
  }
  Check& i = r.Info("tsp.info", "genTime " + FormatRfc3339(info.gen_time) + ", policy " +
                                    info.policy.ToString());
  i.params = {{"gen_time", info.gen_time_text},
              {"policy", info.policy.ToString()},
              {"serial", HexEncode(info.serial, true)},
              {"hash", AlgorithmName(info.hash_algorithm)}};
  if (info.nonce) i.params.push_back({"nonce", HexEncode(*info.nonce, true)});
  if (!info.tsa_name_text.empty()) i.params.push_back({"tsa", info.tsa_name_text});

  CheckHashAlgorithm(r, "tsp.imprint.algorithm", info.hash_algorithm);
  std::optional<Bytes> h = expected ? expected : Digest(info.hash_algorithm, stamped);
  if (h && *h == info.hashed_message) {
    r.Pass("tsp.imprint", "the messageImprint is the hash of the stamped data");
  } else if (!h) {
    r.Fail("tsp.imprint", "the messageImprint uses a hash eseal cannot compute");
  } else {
    r.Fail("tsp.imprint", "the messageImprint is not the " + AlgorithmName(info.hash_algorithm) +
                              " of the stamped data: the token stamps something else");
  }
}

// signedAttrs: contentType and messageDigest.
void CheckAttributes(Report& r, const x509::SignedData& sd, const x509::SignerInfo& si) {
  if (!si.has_authenticated_attributes()) {
    r.Fail("tsp.signer.signed_attributes", "the SignerInfo has no signed attributes");
    r.Skip("tsp.signer.content_type_attr", "no signed attributes");
    r.Skip("tsp.signer.message_digest", "no signed attributes");
    return;
  }
  r.Pass("tsp.signer.signed_attributes");
  auto ct = x509::ContentTypeAttribute(si);
  if (ct.ok() && *ct == IdCtTstInfo()) {
    r.Pass("tsp.signer.content_type_attr");
  } else {
    r.Fail("tsp.signer.content_type_attr",
           ct.ok() ? "the contentType attribute is " + ct->ToString() + ", not id-ct-TSTInfo"
                   : "no single, well-formed contentType attribute");
  }
  auto md = x509::MessageDigestAttribute(si);
  std::optional<Bytes> h;
  if (sd.content) h = Digest(si.digest_algorithm.oid, *sd.content);
  if (md.ok() && h && *md == *h) {
    r.Pass("tsp.signer.message_digest", "messageDigest is the hash of the TSTInfo");
  } else {
    r.Fail("tsp.signer.message_digest",
           !md.ok() ? "no single, well-formed messageDigest attribute"
                    : "messageDigest is not the hash of the TSTInfo: the TSTInfo was changed after signing");
  }
}

void CheckSigningCertificateAttrs(Report& r, const x509::SignerInfo& si, const x509::Certificate& cert) {
  const x509::Attribute* v1 = x509::FindAttribute(si, SigningCertificate());
  const x509::Attribute* v2 = x509::FindAttribute(si, SigningCertificateV2());
  if (v1 == nullptr && v2 == nullptr) {
    r.Fail("tsp.signer.signing_certificate",
           "neither signingCertificate nor signingCertificateV2 is present (RFC 3161 requires one)");
    return;
  }
  std::string detail;
  bool ok = true;
  for (auto [attr, is_v2] : {std::pair{v1, false}, std::pair{v2, true}}) {
    if (attr == nullptr) continue;
    internal::EssResult e = attr->values.size() == 1
                                ? internal::CheckSigningCertificate(attr->values[0], is_v2, cert)
                                : internal::EssResult{false, "the attribute is not single-valued"};
    ok = ok && e.matches;
    if (!detail.empty()) detail += "; ";
    detail += (is_v2 ? "signingCertificateV2: " : "signingCertificate: ") + e.detail;
  }
  if (ok) {
    r.Pass("tsp.signer.signing_certificate", detail);
  } else {
    r.Fail("tsp.signer.signing_certificate", detail);
  }
}

void CheckEku(Report& r, const x509::Certificate& cert) {
  const x509::Extension* ext = cert.FindExtension(asn1::oids::ExtKeyUsage());
  const auto& eku = cert.ext_key_usage();
  if (ext == nullptr || !eku) {
    r.Fail("tsp.tsa.eku", "the TSA certificate has no extendedKeyUsage");
  } else if (!(eku->size() == 1 && (*eku)[0] == IdKpTimeStamping())) {
    r.Fail("tsp.tsa.eku", "the TSA certificate's extendedKeyUsage is not id-kp-timeStamping alone");
  } else if (!ext->critical) {
    r.Fail("tsp.tsa.eku", "the TSA certificate's extendedKeyUsage is not critical (RFC 3161 §2.3)");
  } else {
    r.Pass("tsp.tsa.eku", "critical extendedKeyUsage id-kp-timeStamping");
  }
}

void CheckTsaName(Report& r, const TstInfo& info, const x509::Certificate& cert) {
  if (!info.tsa_der) return;
  if (!info.tsa_directory_name) {
    r.Warn("tsp.tsa.name", "the TSTInfo names the TSA by a form other than a directoryName (" +
                               info.tsa_name_text + "); not compared with the certificate");
  } else if (*info.tsa_directory_name == cert.subject().der()) {
    r.Pass("tsp.tsa.name");
  } else {
    r.Fail("tsp.tsa.name", "the TSTInfo names the TSA " + info.tsa_name_text +
                               ", not the signing certificate's subject " + cert.subject().ToString());
  }
}

}  // namespace

TimestampVerification VerifyTimestampToken(ByteView token_der, ByteView stamped,
                                           const TimestampVerifyOptions& o) {
  TimestampVerification v;
  Report& r = v.report;
  auto parts = internal::ReadToken(token_der, o.max_certificates);
  if (!parts.ok()) {
    r.Fail("tsp.token.structure", "not a DER timestamp token: " + parts.status().ToString());
    return v;
  }
  r.Pass("tsp.token.structure");
  const TimestampToken& t = parts->token;
  const x509::SignedData& sd = t.signed_data;
  const asn1::Oid& outer = t.content_info_type;
  if (outer == asn1::oids::Pkcs7SignedData() || outer == asn1::oids::Gbt35275SignedData()) {
    r.Pass("tsp.content_type").params.push_back({"oid", outer.ToString()});
  } else {
    r.Fail("tsp.content_type", "the ContentInfo does not hold signedData").params.push_back({"oid", outer.ToString()});
  }
  bool have_info = false;
  if (!(sd.content_type == IdCtTstInfo()) || !sd.content) {
    r.Fail("tsp.econtent_type", "the encapsulated content is not an id-ct-TSTInfo eContent")
        .params.push_back({"oid", sd.content_type.ToString()});
  } else {
    r.Pass("tsp.econtent_type");
  }
  if (parts->tst_info_status.ok()) {
    r.Pass("tsp.tst_info");
    have_info = true;
    v.claimed_gen_time = t.info.gen_time;
    CheckTstInfo(r, t.info, stamped, o.expected_imprint);
  } else {
    r.Fail("tsp.tst_info", "the TSTInfo does not parse: " + parts->tst_info_status.ToString());
    r.Skip("tsp.imprint", "no TSTInfo");
  }

  if (sd.signer_infos.size() != 1) {
    r.Fail("tsp.signer_info.count", "a token has exactly one SignerInfo; this one has " +
                                        std::to_string(sd.signer_infos.size()));
    return v;
  }
  r.Pass("tsp.signer_info.count");
  const x509::SignerInfo& si = sd.signer_infos[0];
  CheckHashAlgorithm(r, "tsp.signer.digest_algorithm", si.digest_algorithm.oid);
  if (IsSm2Signature(si.digest_encryption_algorithm.oid)) {
    r.Pass("tsp.signer.signature_algorithm");
  } else {
    r.Fail("tsp.signer.signature_algorithm",
           "not SM2: " + si.digest_encryption_algorithm.oid.ToString());
  }
  CheckAttributes(r, sd, si);

  if (t.certificates_truncated) {
    r.Indeterminate("tsp.certificates.too_many",
                    "the token carries more than " + std::to_string(o.max_certificates) +
                        " certificates; they were not read, and neither the signature nor the "
                        "TSA chain was checked")
        .params.push_back({"max", std::to_string(o.max_certificates)});
    return v;
  }
  std::vector<x509::Certificate> pool;
  for (const Bytes& der : sd.certificates) {
    auto c = x509::Certificate::FromDer(der);
    if (c.ok()) {
      pool.push_back(*std::move(c));
    } else {
      r.Warn("tsp.certificates.unreadable", "a certificate in the token does not parse: " +
                                                c.status().ToString());
    }
  }
  std::optional<x509::Certificate> cert = TokenSignerCertificate(t, o.intermediates);
  if (!cert) {
    r.Indeterminate("tsp.signer.cert",
                    "the TSA certificate named by issuerAndSerialNumber is neither in the token "
                    "nor among the intermediates given");
    return v;
  }
  r.Pass("tsp.signer.cert", cert->subject().ToString())
      .params.push_back({"serial", cert->SerialHex()});
  CheckSigningCertificateAttrs(r, si, *cert);

  // The TSA's key is the same for every token: parsed once per process when there is a
  // proof cache (and kept long enough for the SM2 code's per-key speed-ups to pay).
  auto key = o.proof_cache ? o.proof_cache->PublicKey(cert->spki_der()) : cert->public_key();
  bool raw = false;
  const uint64_t sm2_before = crypto::Sm2VerifyCount();
  const bool signature_ok =
      key.ok() && crypto::VerifySm2DerOrRaw(*key, x509::SignedMessage(sd, si), si.encrypted_digest, &raw);
  v.sm2_verifications += crypto::Sm2VerifyCount() - sm2_before;
  if (signature_ok) {
    r.Pass("tsp.signer.signature", "the TSA's SM2 signature verifies");
    if (raw) r.Warn("tsp.signer.signature.raw_rs", "tolerated: raw 64-byte r||s, not DER");
  } else {
    r.Fail("tsp.signer.signature", key.ok() ? "the TSA's SM2 signature does not verify"
                                            : "the TSA certificate has no SM2 key");
  }
  CheckEku(r, *cert);
  if (have_info) {
    CheckTsaName(r, t.info, *cert);
    std::vector<x509::Certificate> intermediates = pool;
    intermediates.insert(intermediates.end(), o.intermediates.begin(), o.intermediates.end());
    x509::ChainOptions co;
    co.check_revocation = o.check_revocation;
    co.tolerate_ca_without_key_cert_sign = o.tolerate_ca_without_key_cert_sign;
    co.leaf_purpose = x509::LeafPurpose::kAny;
    co.key_compromise_voids_claimed_time = true;  // genTime is the token's own claim
    co.proof_cache = o.proof_cache.get();
    x509::ChainResult chain =
        x509::ValidateChain(*cert, intermediates, o.tsa_anchors, o.crls, t.info.gen_time, co);
    r.Merge(chain.report, "tsa.");
  } else {
    r.Skip("tsa.cert.chain.anchor", "no genTime to validate the TSA chain at");
  }
  if (have_info && r.verdict() == Verdict::kPassed) v.gen_time = t.info.gen_time;
  return v;
}

std::optional<x509::Certificate> TokenSignerCertificate(const TimestampToken& token,
                                                        const std::vector<x509::Certificate>& others) {
  if (token.signed_data.signer_infos.empty()) return std::nullopt;
  const x509::SignerInfo& si = token.signed_data.signer_infos[0];
  auto names_signer = [&](const x509::Certificate& c) {
    return c.issuer().der() == si.issuer_der && c.serial() == si.serial;
  };
  for (const Bytes& der : token.signed_data.certificates) {
    auto c = x509::Certificate::FromDer(der);
    if (c.ok() && names_signer(*c)) return *std::move(c);
  }
  for (const x509::Certificate& c : others) {
    if (names_signer(c)) return c;
  }
  return std::nullopt;
}

}  // namespace eseal::tsp
