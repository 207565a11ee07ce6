// SealStatusResponse (印章状态应答), eseal's own format modelled on RFC 6960
// BasicOCSPResponse; the ASN.1 module is in docs/seal-status.md. Unlike the SES structures,
// which must read what vendors write, this format is ours alone, so the reader accepts
// exactly what the writer emits and nothing else: no tolerances.
#include "eseal/ses/seal_status_response.h"

#include <algorithm>

#include "eseal/asn1/der.h"
#include "eseal/crypto/sm3.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/name.h"

namespace eseal::ses {
namespace {

using asn1::ContextTag;

// [0] inForce NULL and [4] unknown NULL are IMPLICIT over a primitive; the StatusInfo
// alternatives are IMPLICIT over a SEQUENCE, hence constructed.
asn1::Tag StatusTag(SealStatus s) {
  return ContextTag(static_cast<uint32_t>(s), SealStatusHasSince(s));
}
constexpr asn1::Tag kNonceTag = ContextTag(1, true);
constexpr asn1::Tag kCertsTag = ContextTag(0, true);

bool PrintableAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// Only the canonical form YYYYMMDDHHMMSSZ: a fraction would not survive re-encoding, and
// the signed bytes must be the bytes the writer makes.
Result<Time> ReadCanonicalTime(asn1::Reader& r, std::string_view what) {
  auto e = r.ReadElement(asn1::kGeneralizedTime);
  if (!e.ok()) return e.status().WithContext(what);
  if (e->content.size() != 15) {
    return InvalidArgumentError(std::string(what) + ": GeneralizedTime must be YYYYMMDDHHMMSSZ");
  }
  asn1::Reader one(e->encoding);
  auto t = one.ReadGeneralizedTime();
  if (!t.ok()) return t.status().WithContext(what);
  return *t;
}

Status ParseStatus(asn1::Reader& r, SealStatusData& d) {
  ASSIGN_OR_RETURN(asn1::Tag tag, r.PeekTag());
  for (SealStatus s : {SealStatus::kInForce, SealStatus::kSuspended, SealStatus::kRevoked,
                       SealStatus::kExpired, SealStatus::kUnknown, SealStatus::kHolderInactive}) {
    if (tag != StatusTag(s)) continue;
    d.status = s;
    if (!SealStatusHasSince(s)) {
      ASSIGN_OR_RETURN(asn1::Element e, r.ReadElement(tag));
      if (!e.content.empty()) return InvalidArgumentError("certStatus: NULL with content");
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(asn1::Reader info, r.ReadConstructed(tag));
    ASSIGN_OR_RETURN(d.since, ReadCanonicalTime(info, "certStatus since"));
    if (!info.empty()) {
      auto reason = info.ReadString(asn1::kUtf8String);
      if (!reason.ok()) return reason.status().WithContext("certStatus reason");
      if (reason->size() > kMaxSealStatusReasonLength) {
        return InvalidArgumentError("certStatus reason: longer than 1024 bytes");
      }
      d.reason = *std::move(reason);
    }
    return info.ExpectEnd("certStatus");
  }
  return InvalidArgumentError("certStatus: unexpected tag " + asn1::TagName(tag));
}

Result<SealStatusData> ParseData(asn1::Reader& s) {
  SealStatusData d;
  auto version = s.ReadInt64();
  if (!version.ok()) return version.status().WithContext("version");
  if (*version != 1) {
    return InvalidArgumentError("version: unsupported seal-status response version " +
                                std::to_string(*version) + " (only 1)");
  }
  d.version = *version;
  auto name = s.ReadRaw(asn1::kSequence);
  if (!name.ok()) return name.status().WithContext("responderID");
  auto parsed_name = x509::Name::FromDer(*name);
  if (!parsed_name.ok()) return parsed_name.status().WithContext("responderID");
  d.responder_id.assign(name->begin(), name->end());
  ASSIGN_OR_RETURN(d.produced_at, ReadCanonicalTime(s, "producedAt"));
  auto esid = s.ReadString(asn1::kIa5String);
  if (!esid.ok()) return esid.status().WithContext("esID");
  if (esid->empty() || esid->size() > kMaxSealStatusEsidLength || !PrintableAscii(*esid)) {
    return InvalidArgumentError("esID: must be 1-256 printable ASCII characters");
  }
  d.esid = *std::move(esid);
  auto hash = s.ReadOctetString();
  if (!hash.ok()) return hash.status().WithContext("sealHash");
  if (hash->size() != 32) return InvalidArgumentError("sealHash: an SM3 digest is 32 bytes");
  d.seal_hash.assign(hash->begin(), hash->end());
  RETURN_IF_ERROR(ParseStatus(s, d));
  ASSIGN_OR_RETURN(d.this_update, ReadCanonicalTime(s, "thisUpdate"));
  ASSIGN_OR_RETURN(d.next_update, ReadCanonicalTime(s, "nextUpdate"));
  ASSIGN_OR_RETURN(std::optional<asn1::Reader> nonce, s.ReadOptionalConstructed(kNonceTag));
  if (nonce) {
    auto n = nonce->ReadOctetString();
    if (!n.ok()) return n.status().WithContext("nonce");
    RETURN_IF_ERROR(nonce->ExpectEnd("nonce"));
    if (n->empty() || n->size() > kMaxSealStatusNonceLength) {
      return InvalidArgumentError("nonce: must be 1-128 bytes");
    }
    d.nonce = Bytes(n->begin(), n->end());
  }
  RETURN_IF_ERROR(s.ExpectEnd("SealStatusData"));
  return d;
}

void WriteData(const SealStatusData& d, asn1::Writer& w) {
  w.AddSequence([&](asn1::Writer& s) {
    s.AddInt64(d.version);
    s.AddRaw(d.responder_id);
    s.AddGeneralizedTime(d.produced_at);
    s.AddString(asn1::kIa5String, d.esid);
    s.AddOctetString(d.seal_hash);
    if (SealStatusHasSince(d.status)) {
      s.AddConstructed(StatusTag(d.status), [&](asn1::Writer& i) {
        i.AddGeneralizedTime(*d.since);
        if (d.reason) i.AddString(asn1::kUtf8String, *d.reason);
      });
    } else {
      s.AddElement(StatusTag(d.status), {});
    }
    s.AddGeneralizedTime(d.this_update);
    s.AddGeneralizedTime(d.next_update);
    if (d.nonce) {
      s.AddConstructed(kNonceTag, [&](asn1::Writer& n) { n.AddOctetString(*d.nonce); });
    }
  });
}

// Years GeneralizedTime's canonical form can carry: four digits.
bool Encodable(Time t) {
  int y = ToCivil(t).year;
  return y >= 0 && y <= 9999;
}

}  // namespace

const asn1::Oid& SealStatusResponseOid() {
  static const asn1::Oid oid = asn1::MustOid("1.3.6.1.4.1.32473.3.1");
  return oid;
}

std::string_view SealStatusName(SealStatus s) {
  switch (s) {
    case SealStatus::kInForce: return "in_force";
    case SealStatus::kSuspended: return "suspended";
    case SealStatus::kRevoked: return "revoked";
    case SealStatus::kExpired: return "expired";
    case SealStatus::kUnknown: return "unknown";
    case SealStatus::kHolderInactive: return "holder_inactive";
  }
  return "invalid";
}

bool SealStatusHasSince(SealStatus s) {
  return s == SealStatus::kSuspended || s == SealStatus::kRevoked ||
         s == SealStatus::kExpired || s == SealStatus::kHolderInactive;
}

Bytes SealHash(const Seal& seal) {
  return crypto::Sm3Bytes(seal.der.empty() ? EncodeSeal(seal) : seal.der);
}

Status ValidateSealStatusData(const SealStatusData& d) {
  if (d.version != 1) return InvalidArgumentError("seal-status answers are version 1");
  if (!x509::Name::FromDer(d.responder_id).ok()) {
    return InvalidArgumentError("the responderID is not a DER Name");
  }
  if (d.esid.empty() || d.esid.size() > kMaxSealStatusEsidLength || !PrintableAscii(d.esid)) {
    return InvalidArgumentError("the esID must be 1-256 printable ASCII characters");
  }
  if (d.seal_hash.size() != 32) return InvalidArgumentError("the sealHash must be 32 bytes (SM3)");
  if (static_cast<int>(d.status) < 0 || static_cast<int>(d.status) > 5) {
    return InvalidArgumentError("unknown seal status value");
  }
  if (SealStatusHasSince(d.status) != d.since.has_value()) {
    return InvalidArgumentError(std::string("status '") + std::string(SealStatusName(d.status)) +
                                (d.since ? "' takes no time" : "' needs the time it began"));
  }
  if (d.reason && (!d.since || d.reason->size() > kMaxSealStatusReasonLength ||
                   !IsValidUtf8(*d.reason))) {
    return InvalidArgumentError("a reason is UTF-8 of at most 1024 bytes, with a status time");
  }
  for (Time t : {d.produced_at, d.this_update, d.next_update, d.since.value_or(d.this_update)}) {
    if (!Encodable(t)) return InvalidArgumentError("a time is outside the years 0000-9999");
  }
  if (d.nonce && (d.nonce->empty() || d.nonce->size() > kMaxSealStatusNonceLength)) {
    return InvalidArgumentError("a nonce is 1-128 bytes");
  }
  return Status::Ok();
}

Result<Bytes> EncodeSealStatusData(const SealStatusData& data) {
  RETURN_IF_ERROR(ValidateSealStatusData(data));
  asn1::Writer w;
  WriteData(data, w);
  return std::move(w).Finish();
}

Result<Bytes> EncodeSealStatusResponse(const SealStatusResponse& response) {
  ASSIGN_OR_RETURN(Bytes tbs, EncodeSealStatusData(response.data));
  if (response.certs.size() > kMaxSealStatusCerts) {
    return InvalidArgumentError("at most 4 certificates go into a seal-status answer");
  }
  for (const Bytes& c : response.certs) {
    auto e = asn1::ParseSingle(c);
    if (!e.ok() || e->tag != asn1::kSequence) {
      return InvalidArgumentError("a certificate in certs is not a DER SEQUENCE");
    }
  }
  asn1::Writer w;
  w.AddSequence([&](asn1::Writer& s) {
    s.AddRaw(tbs);
    s.AddSequence([&](asn1::Writer& a) { a.AddOid(response.signature_algorithm); });
    s.AddBitString(response.signature);
    if (!response.certs.empty()) {
      s.AddConstructed(kCertsTag, [&](asn1::Writer& c) {
        c.AddSequence([&](asn1::Writer& list) {
          for (const Bytes& cert : response.certs) list.AddRaw(cert);
        });
      });
    }
  });
  Bytes out = std::move(w).Finish();
  if (out.size() > kMaxSealStatusResponseSize) {
    return ResourceExhaustedError("the seal-status answer would exceed 64 KiB");
  }
  return out;
}

Result<SealStatusResponse> ParseSealStatusResponse(ByteView der) {
  if (der.size() > kMaxSealStatusResponseSize) {
    return ResourceExhaustedError("a seal-status answer is at most 64 KiB; this one has " +
                                  std::to_string(der.size()) + " bytes");
  }
  SealStatusResponse out;
  asn1::Reader top(der);
  auto seq = top.ReadSequence();
  if (!seq.ok()) return seq.status().WithContext("SealStatusResponse");
  RETURN_IF_ERROR(top.ExpectEnd("SealStatusResponse"));
  asn1::Reader& s = *seq;

  asn1::Reader at_tbs = s;
  auto tbs = at_tbs.ReadRaw(asn1::kSequence);
  if (!tbs.ok()) return tbs.status().WithContext("tbsResponseData");
  ASSIGN_OR_RETURN(asn1::Reader data, s.ReadSequence());
  auto parsed = ParseData(data);
  if (!parsed.ok()) return parsed.status().WithContext("tbsResponseData");
  out.data = *std::move(parsed);
  out.tbs_der.assign(tbs->begin(), tbs->end());

  auto alg = s.ReadSequence();
  if (!alg.ok()) return alg.status().WithContext("signatureAlgorithm");
  auto oid = alg->ReadOid();
  if (!oid.ok()) return oid.status().WithContext("signatureAlgorithm");
  // SM2-with-SM3 takes no parameters; absent is the one encoding.
  RETURN_IF_ERROR(alg->ExpectEnd("signatureAlgorithm (parameters must be absent)"));
  out.signature_algorithm = *oid;
  auto sig = s.ReadBitStringBytes();
  if (!sig.ok()) return sig.status().WithContext("signature");
  if (sig->empty()) return InvalidArgumentError("signature: empty");
  out.signature.assign(sig->begin(), sig->end());

  ASSIGN_OR_RETURN(std::optional<asn1::Reader> certs, s.ReadOptionalConstructed(kCertsTag));
  if (certs) {
    auto list = certs->ReadSequence();
    if (!list.ok()) return list.status().WithContext("certs");
    RETURN_IF_ERROR(certs->ExpectEnd("certs"));
    while (!list->empty()) {
      if (out.certs.size() == kMaxSealStatusCerts) {
        return InvalidArgumentError("certs: more than 4 certificates");
      }
      auto c = list->ReadRaw(asn1::kSequence);
      if (!c.ok()) return c.status().WithContext("certs");
      out.certs.emplace_back(c->begin(), c->end());
    }
    if (out.certs.empty()) return InvalidArgumentError("certs: present but empty");
  }
  RETURN_IF_ERROR(s.ExpectEnd("SealStatusResponse"));
  out.der.assign(der.begin(), der.end());
  return out;
}

Result<SealStatusResponse> SignSealStatusData(SealStatusData data, ByteView maker_cert_der,
                                              const crypto::Sm2Signer& maker,
                                              bool include_certificate) {
  auto cert = x509::Certificate::FromDer(maker_cert_der);
  if (!cert.ok()) return cert.status().WithContext("seal maker certificate");
  auto key = cert->public_key();
  if (!key.ok()) return key.status().WithContext("seal maker certificate");
  if (!(*key == maker.PublicKey())) {
    return FailedPreconditionError(
        "the signing key does not belong to the seal maker certificate");
  }
  data.responder_id = cert->subject().der();
  // Consistency the format does not enforce (a verifier reports it), the signer does.
  if (data.next_update < data.this_update) {
    return InvalidArgumentError("nextUpdate is before thisUpdate");
  }
  if (data.since && *data.since > data.this_update) {
    return InvalidArgumentError("the status begins after thisUpdate");
  }
  SealStatusResponse r;
  ASSIGN_OR_RETURN(r.tbs_der, EncodeSealStatusData(data));
  r.data = std::move(data);
  r.signature_algorithm = asn1::oids::Sm2WithSm3();
  ASSIGN_OR_RETURN(r.signature, maker.Sign(r.tbs_der));
  if (include_certificate) r.certs.emplace_back(maker_cert_der.begin(), maker_cert_der.end());
  ASSIGN_OR_RETURN(r.der, EncodeSealStatusResponse(r));
  return r;
}

Result<SealStatusResponse> SignSealStatusResponse(const SealStatusStatement& st,
                                                  ByteView maker_cert_der,
                                                  const crypto::Sm2Signer& maker) {
  if (st.seal == nullptr) return InvalidArgumentError("no seal to answer for");
  const Seal& seal = *st.seal;
  if (!std::equal(seal.maker_cert.begin(), seal.maker_cert.end(), maker_cert_der.begin(),
                  maker_cert_der.end())) {
    return FailedPreconditionError(
        "only the seal's own maker (制章者) can answer for it: the certificate is not the "
        "seal's maker certificate");
  }
  SealStatusData d;
  d.produced_at = st.produced_at;
  d.esid = seal.info.esid;
  d.seal_hash = SealHash(seal);
  d.status = st.status;
  d.since = st.since;
  d.reason = st.reason;
  d.this_update = st.this_update;
  d.next_update = st.next_update;
  d.nonce = st.nonce;
  return SignSealStatusData(std::move(d), maker_cert_der, maker, st.include_certificate);
}

}  // namespace eseal::ses
