// Crl: CertificateList (证书撤销列表), RFC 5280 §5.
#include "eseal/x509/crl.h"

#include <algorithm>
#include <cctype>

#include "eseal/asn1/der.h"
#include "eseal/x509/proof_cache.h"
#include "internal.h"

namespace eseal::x509 {
namespace {

using asn1::ContextTag;
using asn1::Reader;

Status Bad(std::string_view what) {
  return InvalidArgumentError("malformed CRL: " + std::string(what));
}

constexpr RevocationReason kReasons[] = {
    RevocationReason::kUnspecified,        RevocationReason::kKeyCompromise,
    RevocationReason::kCaCompromise,       RevocationReason::kAffiliationChanged,
    RevocationReason::kSuperseded,         RevocationReason::kCessationOfOperation,
    RevocationReason::kCertificateHold,    RevocationReason::kRemoveFromCrl,
    RevocationReason::kPrivilegeWithdrawn, RevocationReason::kAaCompromise};

bool LessSerial(ByteView a, ByteView b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

ByteView StripZeros(ByteView s) {
  while (s.size() > 1 && s[0] == 0) s = s.subspan(1);
  return s;
}

Result<Bytes> ReadUnsigned(Reader& r, std::string_view what) {
  ASSIGN_OR_RETURN(ByteView v, r.ReadIntegerBytes());
  if (v[0] & 0x80) return Bad("negative " + std::string(what));
  v = StripZeros(v);
  return Bytes(v.begin(), v.end());
}

}  // namespace

std::string_view RevocationReasonName(RevocationReason r) {
  switch (r) {
    case RevocationReason::kUnspecified:
      return "unspecified";
    case RevocationReason::kKeyCompromise:
      return "keyCompromise";
    case RevocationReason::kCaCompromise:
      return "cACompromise";
    case RevocationReason::kAffiliationChanged:
      return "affiliationChanged";
    case RevocationReason::kSuperseded:
      return "superseded";
    case RevocationReason::kCessationOfOperation:
      return "cessationOfOperation";
    case RevocationReason::kCertificateHold:
      return "certificateHold";
    case RevocationReason::kRemoveFromCrl:
      return "removeFromCRL";
    case RevocationReason::kPrivilegeWithdrawn:
      return "privilegeWithdrawn";
    case RevocationReason::kAaCompromise:
      return "aACompromise";
  }
  return "unknown";
}

Result<RevocationReason> ParseRevocationReason(std::string_view text) {
  for (RevocationReason r : kReasons) {
    std::string_view name = RevocationReasonName(r);
    bool same = name.size() == text.size();
    for (size_t i = 0; same && i < name.size(); ++i) {
      same = std::tolower(static_cast<unsigned char>(name[i])) ==
             std::tolower(static_cast<unsigned char>(text[i]));
    }
    if (same || text == std::to_string(static_cast<int>(r))) return r;
  }
  return InvalidArgumentError("unknown revocation reason '" + std::string(text.substr(0, 40)) +
                              "' (e.g. keyCompromise, superseded, cessationOfOperation)");
}

Result<Crl> Crl::FromDer(ByteView der) {
  Crl c;
  c.der_.assign(der.begin(), der.end());
  Reader top(c.der_);
  ASSIGN_OR_RETURN(Reader list, top.ReadSequence());
  RETURN_IF_ERROR(top.ExpectEnd("CertificateList"));
  ASSIGN_OR_RETURN(ByteView tbs_raw, list.ReadRaw(asn1::kSequence));
  ASSIGN_OR_RETURN(ByteView outer_alg_raw, list.ReadRaw(asn1::kSequence));
  ASSIGN_OR_RETURN(ByteView sig, list.ReadBitStringBytes());
  RETURN_IF_ERROR(list.ExpectEnd("CertificateList"));
  c.tbs_offset_ = static_cast<size_t>(tbs_raw.data() - c.der_.data());
  c.tbs_size_ = tbs_raw.size();
  c.signature_.assign(sig.begin(), sig.end());
  ASSIGN_OR_RETURN(internal::AlgorithmIdentifier alg,
                   internal::ParseAlgorithmIdentifier(outer_alg_raw));
  c.sig_alg_ = alg.oid;
  c.sig_alg_is_sm2_with_sm3_ = internal::IsSm2WithSm3(alg);

  ASSIGN_OR_RETURN(Reader tbs, Reader(tbs_raw).ReadSequence());
  if (tbs.PeekIs(asn1::kInteger)) {
    ASSIGN_OR_RETURN(int64_t v, tbs.ReadInt64());
    if (v != 1) return Bad("version must be v2 (1) when present");
    c.version_ = 2;
  }
  ASSIGN_OR_RETURN(ByteView inner_alg_raw, tbs.ReadRaw(asn1::kSequence));
  if (!std::equal(inner_alg_raw.begin(), inner_alg_raw.end(), outer_alg_raw.begin(),
                  outer_alg_raw.end())) {
    return Bad("signature algorithm in TBSCertList differs from signatureAlgorithm");
  }
  ASSIGN_OR_RETURN(ByteView issuer_raw, tbs.ReadRaw(asn1::kSequence));
  ASSIGN_OR_RETURN(c.issuer_, Name::FromDer(issuer_raw));
  ASSIGN_OR_RETURN(c.this_update_, tbs.ReadTime());
  if (tbs.PeekIs(asn1::kUtcTime) || tbs.PeekIs(asn1::kGeneralizedTime)) {
    ASSIGN_OR_RETURN(Time next, tbs.ReadTime());
    c.next_update_ = next;
  }
  if (tbs.PeekIs(asn1::kSequence)) {
    ASSIGN_OR_RETURN(Reader revoked, tbs.ReadSequence());
    if (revoked.empty()) return Bad("empty revokedCertificates (DER omits it)");
    while (!revoked.empty()) {
      ASSIGN_OR_RETURN(Reader entry, revoked.ReadSequence());
      RevokedEntry e;
      ASSIGN_OR_RETURN(e.serial, ReadUnsigned(entry, "serial number"));
      ASSIGN_OR_RETURN(e.revocation_date, entry.ReadTime());
      if (!entry.empty()) {
        if (c.version_ != 2) return Bad("entry extensions in a v1 CRL");
        ASSIGN_OR_RETURN(std::vector<Extension> exts, internal::ParseExtensions(entry));
        for (const Extension& x : exts) {
          Reader r(x.value);
          if (x.id == asn1::oids::CrlReason()) {
            ASSIGN_OR_RETURN(asn1::Element en, r.ReadElement(asn1::kEnumerated));
            Bytes as_int = asn1::EncodeTlv(asn1::kInteger, en.content);
            Reader ir(as_int);
            ASSIGN_OR_RETURN(int64_t code, ir.ReadInt64());
            auto it =
                std::find_if(std::begin(kReasons), std::end(kReasons),
                             [&](RevocationReason rr) { return static_cast<int64_t>(rr) == code; });
            if (it == std::end(kReasons)) return Bad("unknown reasonCode " + std::to_string(code));
            e.reason = *it;
          } else if (x.id == oids::InvalidityDate()) {
            ASSIGN_OR_RETURN(Time t, r.ReadGeneralizedTime());
            e.invalidity_date = t;
          } else {
            if (x.critical) {
              return Bad("unsupported critical entry extension " + x.id.ToString());
            }
            continue;
          }
          RETURN_IF_ERROR(r.ExpectEnd("CRL entry extension"));
        }
      }
      RETURN_IF_ERROR(entry.ExpectEnd("revoked certificate entry"));
      c.entries_.push_back(std::move(e));
    }
  }
  if (tbs.PeekIs(ContextTag(0, true))) {
    if (c.version_ != 2) return Bad("crlExtensions in a v1 CRL");
    ASSIGN_OR_RETURN(Reader ext, tbs.ReadConstructed(ContextTag(0, true)));
    ASSIGN_OR_RETURN(c.extensions_, internal::ParseExtensions(ext));
    RETURN_IF_ERROR(ext.ExpectEnd("crlExtensions"));
    for (const Extension& x : c.extensions_) {
      Reader r(x.value);
      if (x.id == asn1::oids::CrlNumber()) {
        ASSIGN_OR_RETURN(c.crl_number_, ReadUnsigned(r, "cRLNumber"));
      } else if (x.id == asn1::oids::AuthorityKeyId()) {
        ASSIGN_OR_RETURN(c.aki_, internal::ParseAuthorityKeyId(x.value));
        continue;
      } else {
        // Delta CRLs and issuing distribution points (partitioned or indirect CRLs) would
        // change what absence from the list means; eseal does not use them.
        if (x.critical) return Bad("unsupported critical CRL extension " + x.id.ToString());
        continue;
      }
      RETURN_IF_ERROR(r.ExpectEnd("CRL extension"));
    }
  }
  RETURN_IF_ERROR(tbs.ExpectEnd("TBSCertList"));

  c.by_serial_.resize(c.entries_.size());
  for (size_t i = 0; i < c.entries_.size(); ++i) c.by_serial_[i] = i;
  std::sort(c.by_serial_.begin(), c.by_serial_.end(), [&](size_t a, size_t b) {
    return LessSerial(c.entries_[a].serial, c.entries_[b].serial);
  });
  for (size_t i = 1; i < c.by_serial_.size(); ++i) {
    if (c.entries_[c.by_serial_[i - 1]].serial == c.entries_[c.by_serial_[i]].serial) {
      return Bad("serial " + internal::UpperHex(c.entries_[c.by_serial_[i]].serial) +
                 " is listed twice");
    }
  }
  return c;
}

Result<Crl> Crl::FromPem(std::string_view pem) {
  ASSIGN_OR_RETURN(Bytes der, internal::PemDecodeFirst(pem, "X509 CRL"));
  return FromDer(der);
}

std::string Crl::ToPem() const { return PemEncode("X509 CRL", der_); }

ByteView Crl::tbs_der() const { return ByteView(der_).subspan(tbs_offset_, tbs_size_); }

const RevokedEntry* Crl::Lookup(ByteView serial) const {
  ByteView s = StripZeros(serial);
  auto it = std::lower_bound(by_serial_.begin(), by_serial_.end(), s, [&](size_t i, ByteView v) {
    return LessSerial(entries_[i].serial, v);
  });
  if (it == by_serial_.end()) return nullptr;
  const RevokedEntry& e = entries_[*it];
  if (!std::equal(e.serial.begin(), e.serial.end(), s.begin(), s.end())) return nullptr;
  return &e;
}

bool Crl::IsSignedBy(const Certificate& issuer) const {
  if (!sig_alg_is_sm2_with_sm3_) return false;
  auto key = issuer.public_key();
  if (!key.ok()) return false;
  return key->Verify(tbs_der(), signature_);
}

bool Crl::IsSignedBy(const Certificate& issuer, ProofCache* cache) const {
  if (cache == nullptr) return IsSignedBy(issuer);
  if (!sig_alg_is_sm2_with_sm3_) return false;
  return cache->VerifySm2(issuer.spki_der(), tbs_der(), signature_);
}

}  // namespace eseal::x509
