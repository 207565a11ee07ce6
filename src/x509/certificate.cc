// Certificate: X.509 v3 certificate with SM2 keys (数字证书, GM/T 0015-2012, RFC 5280).
#include "eseal/x509/certificate.h"

#include <algorithm>

#include "eseal/asn1/der.h"
#include "eseal/crypto/sm3.h"
#include "eseal/x509/proof_cache.h"
#include "internal.h"

namespace eseal::x509 {
namespace {

using asn1::ContextTag;
using asn1::Reader;

Status Bad(std::string_view what) {
  return InvalidArgumentError("malformed certificate: " + std::string(what));
}

}  // namespace

Result<Certificate> Certificate::FromDer(ByteView der) {
  Certificate c;
  c.der_.assign(der.begin(), der.end());
  Reader top(c.der_);
  ASSIGN_OR_RETURN(Reader cert, top.ReadSequence());
  RETURN_IF_ERROR(top.ExpectEnd("Certificate"));
  ASSIGN_OR_RETURN(ByteView tbs_raw, cert.ReadRaw(asn1::kSequence));
  ASSIGN_OR_RETURN(ByteView outer_alg_raw, cert.ReadRaw(asn1::kSequence));
  ASSIGN_OR_RETURN(ByteView sig, cert.ReadBitStringBytes());
  RETURN_IF_ERROR(cert.ExpectEnd("Certificate"));
  c.tbs_offset_ = static_cast<size_t>(tbs_raw.data() - c.der_.data());
  c.tbs_size_ = tbs_raw.size();
  c.signature_.assign(sig.begin(), sig.end());
  ASSIGN_OR_RETURN(internal::AlgorithmIdentifier outer_alg,
                   internal::ParseAlgorithmIdentifier(outer_alg_raw));
  c.sig_alg_ = outer_alg.oid;
  c.sig_alg_is_sm2_with_sm3_ = internal::IsSm2WithSm3(outer_alg);

  ASSIGN_OR_RETURN(Reader tbs, Reader(tbs_raw).ReadSequence());
  // version [0] EXPLICIT Version DEFAULT v1
  if (tbs.PeekIs(ContextTag(0, true))) {
    ASSIGN_OR_RETURN(Reader v, tbs.ReadConstructed(ContextTag(0, true)));
    ASSIGN_OR_RETURN(int64_t version, v.ReadInt64());
    RETURN_IF_ERROR(v.ExpectEnd("version"));
    if (version == 0) return Bad("explicit v1 version (DER omits the DEFAULT)");
    if (version != 1 && version != 2) return Bad("unknown version " + std::to_string(version));
    c.version_ = static_cast<int>(version) + 1;
  }
  ASSIGN_OR_RETURN(ByteView serial, tbs.ReadIntegerBytes());
  if (serial[0] & 0x80) return Bad("negative serial number");
  if (serial.size() > 1 && serial[0] == 0) serial = serial.subspan(1);
  c.serial_.assign(serial.begin(), serial.end());

  ASSIGN_OR_RETURN(ByteView inner_alg_raw, tbs.ReadRaw(asn1::kSequence));
  if (!std::equal(inner_alg_raw.begin(), inner_alg_raw.end(), outer_alg_raw.begin(),
                  outer_alg_raw.end())) {
    return Bad("signature algorithm in TBSCertificate differs from signatureAlgorithm");
  }
  ASSIGN_OR_RETURN(ByteView issuer_raw, tbs.ReadRaw(asn1::kSequence));
  ASSIGN_OR_RETURN(c.issuer_, Name::FromDer(issuer_raw));
  ASSIGN_OR_RETURN(Reader validity, tbs.ReadSequence());
  ASSIGN_OR_RETURN(c.not_before_, validity.ReadTime());
  ASSIGN_OR_RETURN(c.not_after_, validity.ReadTime());
  RETURN_IF_ERROR(validity.ExpectEnd("Validity"));
  ASSIGN_OR_RETURN(ByteView subject_raw, tbs.ReadRaw(asn1::kSequence));
  ASSIGN_OR_RETURN(c.subject_, Name::FromDer(subject_raw));
  for (const Name* n : {&c.issuer_, &c.subject_}) {
    for (const auto& rdn : n->rdns()) {
      for (const NameAttribute& a : rdn) {
        bool non_ascii = false;
        for (unsigned char ch : a.value) non_ascii |= ch > 0x7f;
        if (a.string_tag == asn1::kIa5String && non_ascii &&
            std::find(c.tolerances_.begin(), c.tolerances_.end(),
                      internal::kToleranceIa5StringUtf8) == c.tolerances_.end()) {
          c.tolerances_.emplace_back(internal::kToleranceIa5StringUtf8);
        }
      }
    }
  }

  ASSIGN_OR_RETURN(ByteView spki_raw, tbs.ReadRaw(asn1::kSequence));
  c.spki_der_.assign(spki_raw.begin(), spki_raw.end());
  {
    ASSIGN_OR_RETURN(Reader spki, Reader(spki_raw).ReadSequence());
    ASSIGN_OR_RETURN(ByteView alg_raw, spki.ReadRaw(asn1::kSequence));
    ASSIGN_OR_RETURN(internal::AlgorithmIdentifier alg,
                     internal::ParseAlgorithmIdentifier(alg_raw));
    c.spki_alg_ = alg.oid;
    if (alg.has_params && alg.params[0] == asn1::kObjectIdentifier) {
      Reader p(alg.params);
      ASSIGN_OR_RETURN(c.spki_curve_, p.ReadOid());
    }
    RETURN_IF_ERROR(spki.ReadBitString().status());
    RETURN_IF_ERROR(spki.ExpectEnd("SubjectPublicKeyInfo"));
  }
  // issuerUniqueID [1] IMPLICIT, subjectUniqueID [2] IMPLICIT: v2 and v3 only.
  for (uint32_t n : {1u, 2u}) {
    if (tbs.PeekIs(ContextTag(n, false))) {
      if (c.version_ < 2) return Bad("unique identifier in a v1 certificate");
      ASSIGN_OR_RETURN(asn1::Element e, tbs.ReadElement(ContextTag(n, false)));
      Bytes as_bits = asn1::EncodeTlv(asn1::kBitString, e.content);
      RETURN_IF_ERROR(Reader(as_bits).ReadBitString().status());
    }
  }
  if (tbs.PeekIs(ContextTag(3, true))) {
    if (c.version_ != 3) return Bad("extensions in a certificate that is not v3");
    ASSIGN_OR_RETURN(Reader ext, tbs.ReadConstructed(ContextTag(3, true)));
    ASSIGN_OR_RETURN(c.extensions_, internal::ParseExtensions(ext));
    RETURN_IF_ERROR(ext.ExpectEnd("extensions"));
  }
  RETURN_IF_ERROR(tbs.ExpectEnd("TBSCertificate"));

  for (const Extension& e : c.extensions_) {
    Reader r(e.value);
    auto ctx = [&](const Status& s) {
      return Bad("extension " + e.id.ToString() + ": " + s.message());
    };
    if (e.id == asn1::oids::BasicConstraints()) {
      c.has_basic_constraints_ = true;
      auto seq = r.ReadSequence();
      if (!seq.ok()) return ctx(seq.status());
      if (seq->PeekIs(asn1::kBoolean)) {
        auto ca = seq->ReadBoolean();
        if (!ca.ok()) return ctx(ca.status());
        if (*ca) {
          c.is_ca_ = true;
        } else {
          c.tolerances_.emplace_back(internal::kToleranceBasicConstraintsExplicitFalse);
        }
      }
      if (!seq->empty()) {
        auto len = seq->ReadInt64();
        if (!len.ok()) return ctx(len.status());
        if (*len < 0 || *len > 255) return Bad("basicConstraints pathLenConstraint out of range");
        c.path_len_ = static_cast<int>(*len);
      }
      if (Status s = seq->ExpectEnd("BasicConstraints"); !s.ok()) return ctx(s);
    } else if (e.id == asn1::oids::KeyUsage()) {
      bool non_minimal = false;
      auto ku = internal::ParseKeyUsage(e.value, &non_minimal);
      if (!ku.ok()) return ctx(ku.status());
      if (non_minimal) c.tolerances_.emplace_back(internal::kToleranceKeyUsageTrailingZeros);
      c.key_usage_ = *ku;
      continue;
    } else if (e.id == asn1::oids::SubjectKeyId()) {
      auto ski = r.ReadOctetString();
      if (!ski.ok()) return ctx(ski.status());
      c.ski_.assign(ski->begin(), ski->end());
    } else if (e.id == asn1::oids::AuthorityKeyId()) {
      auto aki = internal::ParseAuthorityKeyId(e.value);
      if (!aki.ok()) return ctx(aki.status());
      c.aki_ = std::move(*aki);
      continue;
    } else if (e.id == asn1::oids::ExtKeyUsage()) {
      auto seq = r.ReadSequence();
      if (!seq.ok()) return ctx(seq.status());
      std::vector<asn1::Oid> purposes;
      while (!seq->empty()) {
        auto oid = seq->ReadOid();
        if (!oid.ok()) return ctx(oid.status());
        purposes.push_back(std::move(*oid));
      }
      if (purposes.empty()) return Bad("empty extKeyUsage");
      c.eku_ = std::move(purposes);
    } else if (e.id == asn1::oids::CrlDistributionPoints()) {
      auto seq = r.ReadSequence();
      if (!seq.ok()) return ctx(seq.status());
      if (seq->empty()) return Bad("empty cRLDistributionPoints");
      while (!seq->empty()) {
        auto dp = seq->ReadSequence();
        if (!dp.ok()) return ctx(dp.status());
        auto name = dp->ReadOptionalConstructed(ContextTag(0, true));
        if (!name.ok()) return ctx(name.status());
        if (name->has_value()) {
          Reader& dpn = **name;
          if (dpn.PeekIs(ContextTag(0, true))) {
            auto full = dpn.ReadConstructed(ContextTag(0, true));
            if (!full.ok()) return ctx(full.status());
            if (Status s = internal::ParseGeneralNamesUris(*full, &c.crl_dps_); !s.ok())
              return ctx(s);
          } else {
            auto rel = dpn.ReadConstructed(ContextTag(1, true));  // nameRelativeToCRLIssuer
            if (!rel.ok()) return ctx(rel.status());
          }
          if (Status s = dpn.ExpectEnd("DistributionPointName"); !s.ok()) return ctx(s);
        }
        if (dp->PeekIs(ContextTag(1, false))) {  // reasons
          if (Status s = dp->ReadElement(ContextTag(1, false)).status(); !s.ok()) return ctx(s);
        }
        if (dp->PeekIs(ContextTag(2, true))) {  // cRLIssuer
          auto issuers = dp->ReadConstructed(ContextTag(2, true));
          if (!issuers.ok()) return ctx(issuers.status());
        }
        if (Status s = dp->ExpectEnd("DistributionPoint"); !s.ok()) return ctx(s);
      }
    } else if (e.id == asn1::oids::CertificatePolicies()) {
      auto seq = r.ReadSequence();
      if (!seq.ok()) return ctx(seq.status());
      if (seq->empty()) return Bad("empty certificatePolicies");
      while (!seq->empty()) {
        auto info = seq->ReadSequence();
        if (!info.ok()) return ctx(info.status());
        auto oid = info->ReadOid();
        if (!oid.ok()) return ctx(oid.status());
        c.policies_.push_back(std::move(*oid));
        if (!info->empty()) {
          auto qualifiers = info->ReadSequence();  // kept opaque
          if (!qualifiers.ok()) return ctx(qualifiers.status());
        }
        if (Status s = info->ExpectEnd("PolicyInformation"); !s.ok()) return ctx(s);
      }
    } else {
      continue;
    }
    if (Status s = r.ExpectEnd("extension value"); !s.ok()) return ctx(s);
  }
  return c;
}

Result<Certificate> Certificate::FromPem(std::string_view pem) {
  ASSIGN_OR_RETURN(Bytes der, internal::PemDecodeFirst(pem, "CERTIFICATE"));
  return FromDer(der);
}

Result<std::vector<Certificate>> Certificate::FromPemBundle(std::string_view pem) {
  ASSIGN_OR_RETURN(std::vector<Bytes> blocks, PemDecodeAll(pem, "CERTIFICATE"));
  std::vector<Certificate> out;
  for (size_t i = 0; i < blocks.size(); ++i) {
    auto c = FromDer(blocks[i]);
    if (!c.ok())
      return c.status().WithContext("certificate " + std::to_string(i + 1) + " of the bundle");
    out.push_back(std::move(*c));
  }
  return out;
}

std::string Certificate::ToPem() const { return PemEncode("CERTIFICATE", der_); }

ByteView Certificate::tbs_der() const { return ByteView(der_).subspan(tbs_offset_, tbs_size_); }

std::string Certificate::SerialHex() const { return internal::UpperHex(serial_); }

Result<crypto::Sm2PublicKey> Certificate::public_key() const {
  auto key = crypto::Sm2PublicKey::FromSpkiDer(spki_der_);
  if (!key.ok()) return key.status().WithContext("certificate public key");
  return key;
}

const Extension* Certificate::FindExtension(const asn1::Oid& id) const {
  for (const Extension& e : extensions_) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

const Extension* Certificate::UnhandledCriticalExtension() const {
  for (const Extension& e : extensions_) {
    if (!e.critical) continue;
    if (e.id == asn1::oids::BasicConstraints() || e.id == asn1::oids::KeyUsage() ||
        e.id == asn1::oids::SubjectKeyId() || e.id == asn1::oids::AuthorityKeyId() ||
        e.id == asn1::oids::ExtKeyUsage() || e.id == asn1::oids::CrlDistributionPoints() ||
        e.id == asn1::oids::CertificatePolicies()) {
      continue;
    }
    return &e;
  }
  return nullptr;
}

bool Certificate::IsSignedByKey(const crypto::Sm2PublicKey& key) const {
  if (sig_alg_ != asn1::oids::Sm2WithSm3()) return false;
  if (!sig_alg_is_sm2_with_sm3_) return false;  // e.g. parameters other than absent/NULL
  ByteView tbs = tbs_der();
  return key.Verify(tbs, signature_);
}

bool Certificate::IsSignedBy(const Certificate& issuer) const {
  auto key = issuer.public_key();
  if (!key.ok()) return false;
  return IsSignedByKey(*key);
}

bool Certificate::IsSignedBy(const Certificate& issuer, ProofCache* cache) const {
  if (cache == nullptr) return IsSignedBy(issuer);
  if (sig_alg_ != asn1::oids::Sm2WithSm3() || !sig_alg_is_sm2_with_sm3_) return false;
  return cache->VerifySm2(issuer.spki_der(), tbs_der(), signature_);
}

Bytes Certificate::Fingerprint() const { return crypto::Sm3Bytes(der_); }

}  // namespace eseal::x509
