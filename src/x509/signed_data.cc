// SignedData (签名数据类型), GB/T 35275-2017.
#include "eseal/x509/signed_data.h"

#include <algorithm>

#include "eseal/asn1/der.h"

namespace eseal::x509 {
namespace {

using asn1::ContextTag;
using asn1::Reader;
using asn1::Writer;

const asn1::Oid& Pkcs7SignedData() { return asn1::oids::Pkcs7SignedData(); }

Bytes B(ByteView v) { return Bytes(v.begin(), v.end()); }

Status Ctx(const Status& s, std::string_view where) {
  return s.WithContext(std::string("SignedData ") + std::string(where));
}

// ASSIGN_OR_RETURN that names the field in the error.
#define SD_ASSIGN(lhs, expr, where) SD_ASSIGN_IMPL(ESEAL_CONCAT(sd_result_, __LINE__), lhs, expr, where)
#define SD_ASSIGN_IMPL(tmp, lhs, expr, where) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return Ctx(tmp.status(), where); \
  lhs = std::move(tmp).value()

Result<AlgorithmId> ReadAlgorithmId(Reader& r, std::string_view where) {
  SD_ASSIGN(Reader seq, r.ReadSequence(), where);
  AlgorithmId a;
  SD_ASSIGN(a.oid, seq.ReadOid(), where);
  if (!seq.empty()) {
    SD_ASSIGN(ByteView p, seq.ReadRaw(), where);
    a.parameters = B(p);
  }
  if (Status s = seq.ExpectEnd(where); !s.ok()) return Ctx(s, where);
  return a;
}

void WriteAlgorithmId(Writer& w, const AlgorithmId& a) {
  w.AddSequence([&](Writer& s) {
    s.AddOid(a.oid);
    if (a.parameters) s.AddRaw(*a.parameters);
  });
}

Result<std::vector<Attribute>> ReadAttributes(Reader set) {
  std::vector<Attribute> out;
  while (!set.empty()) {
    SD_ASSIGN(Reader a, set.ReadSequence(), "attribute");
    Attribute attr;
    SD_ASSIGN(attr.type, a.ReadOid(), "attribute type");
    SD_ASSIGN(Reader values, a.ReadSet(), "attribute values");
    while (!values.empty()) {
      SD_ASSIGN(ByteView v, values.ReadRaw(), "attribute value");
      attr.values.push_back(B(v));
    }
    if (Status s = a.ExpectEnd("attribute"); !s.ok()) return Ctx(s, "attribute");
    out.push_back(std::move(attr));
  }
  return out;
}

Result<SignerInfo> ReadSignerInfo(Reader& signers) {
  SD_ASSIGN(Reader r, signers.ReadSequence(), "signerInfo");
  SignerInfo si;
  SD_ASSIGN(si.version, r.ReadInt64(), "signerInfo version");
  if (!r.PeekIs(asn1::kSequence)) {
    return InvalidArgumentError(
        "SignedData signerInfo: only issuerAndSerialNumber signer identifiers are supported");
  }
  SD_ASSIGN(Reader ias, r.ReadSequence(), "issuerAndSerialNumber");
  SD_ASSIGN(ByteView issuer, ias.ReadRaw(asn1::kSequence), "issuer");
  si.issuer_der = B(issuer);
  SD_ASSIGN(ByteView serial, ias.ReadUnsignedIntegerBytes(), "serial number");
  si.serial = B(serial);
  if (Status s = ias.ExpectEnd("issuerAndSerialNumber"); !s.ok()) return s;
  SD_ASSIGN(si.digest_algorithm, ReadAlgorithmId(r, "digestAlgorithm"), "digestAlgorithm");
  if (r.PeekIs(ContextTag(0, true))) {
    SD_ASSIGN(ByteView raw, r.ReadRaw(ContextTag(0, true)), "authenticatedAttributes");
    si.authenticated_attributes_der = B(raw);
    SD_ASSIGN(asn1::Element e, asn1::ParseSingle(raw), "authenticatedAttributes");
    SD_ASSIGN(si.authenticated_attributes, ReadAttributes(Reader(e.content)),
              "authenticatedAttributes");
  }
  SD_ASSIGN(si.digest_encryption_algorithm, ReadAlgorithmId(r, "digestEncryptionAlgorithm"),
            "digestEncryptionAlgorithm");
  SD_ASSIGN(ByteView sig, r.ReadOctetString(), "encryptedDigest");
  si.encrypted_digest = B(sig);
  if (r.PeekIs(ContextTag(1, true))) {
    SD_ASSIGN(ByteView raw, r.ReadRaw(ContextTag(1, true)), "unauthenticatedAttributes");
    si.unauthenticated_attributes_der = B(raw);
  }
  if (Status s = r.ExpectEnd("signerInfo"); !s.ok()) return Ctx(s, "signerInfo");
  return si;
}

void WriteSignerInfo(Writer& w, const SignerInfo& si) {
  w.AddSequence([&](Writer& s) {
    s.AddInt64(si.version);
    s.AddSequence([&](Writer& ias) {
      ias.AddRaw(si.issuer_der);
      ias.AddUnsignedInteger(si.serial);
    });
    WriteAlgorithmId(s, si.digest_algorithm);
    if (!si.authenticated_attributes_der.empty()) s.AddRaw(si.authenticated_attributes_der);
    WriteAlgorithmId(s, si.digest_encryption_algorithm);
    s.AddOctetString(si.encrypted_digest);
    if (si.unauthenticated_attributes_der) s.AddRaw(*si.unauthenticated_attributes_der);
  });
}

bool IsSignedDataType(const asn1::Oid& oid) {
  return oid == asn1::oids::Gbt35275SignedData() || oid == Pkcs7SignedData();
}

#undef SD_ASSIGN
#undef SD_ASSIGN_IMPL

}  // namespace

bool LooksLikeSignedData(ByteView der) {
  auto e = asn1::ParseSingle(der);
  if (!e.ok() || e->tag != asn1::kSequence) return false;
  Reader r(e->content);
  auto oid = r.ReadOid();
  return oid.ok() && IsSignedDataType(*oid);
}

Result<SignedData> ParseSignedData(ByteView der, size_t max_certificates) {
  SignedData sd;
  auto top = asn1::ParseSingle(der);
  if (!top.ok()) return Ctx(top.status(), "ContentInfo");
  if (top->tag != asn1::kSequence) return InvalidArgumentError("SignedData: not a ContentInfo SEQUENCE");
  Reader ci(top->content);
  auto type = ci.ReadOid();
  if (!type.ok()) return Ctx(type.status(), "contentType");
  if (!IsSignedDataType(*type)) {
    return InvalidArgumentError("ContentInfo holds " + type->ToString() + ", not signedData");
  }
  sd.content_info_type = *type;
  auto explicit0 = ci.ReadConstructed(ContextTag(0, true));
  if (!explicit0.ok()) return Ctx(explicit0.status(), "content [0]");
  if (Status s = ci.ExpectEnd("ContentInfo"); !s.ok()) return Ctx(s, "ContentInfo");
  auto body = explicit0->ReadSequence();
  if (!body.ok()) return Ctx(body.status(), "body");
  if (Status s = explicit0->ExpectEnd("content [0]"); !s.ok()) return Ctx(s, "content [0]");
  Reader& r = *body;

  auto version = r.ReadInt64();
  if (!version.ok()) return Ctx(version.status(), "version");
  sd.version = *version;
  auto algs = r.ReadSet();
  if (!algs.ok()) return Ctx(algs.status(), "digestAlgorithms");
  while (!algs->empty()) {
    ASSIGN_OR_RETURN(AlgorithmId a, ReadAlgorithmId(*algs, "digestAlgorithms"));
    sd.digest_algorithms.push_back(std::move(a));
  }
  auto content_info = r.ReadSequence();
  if (!content_info.ok()) return Ctx(content_info.status(), "contentInfo");
  auto ctype = content_info->ReadOid();
  if (!ctype.ok()) return Ctx(ctype.status(), "contentInfo type");
  sd.content_type = *ctype;
  if (!content_info->empty()) {
    auto c0 = content_info->ReadConstructed(ContextTag(0, true));
    if (!c0.ok()) return Ctx(c0.status(), "contentInfo content");
    auto octets = c0->ReadOctetString();
    if (!octets.ok()) return Ctx(octets.status(), "contentInfo content");
    if (Status s = c0->ExpectEnd("content"); !s.ok()) return Ctx(s, "contentInfo");
    sd.content = B(*octets);
  }
  if (Status s = content_info->ExpectEnd("contentInfo"); !s.ok()) return Ctx(s, "contentInfo");
  if (r.PeekIs(ContextTag(0, true))) {
    auto certs = r.ReadConstructed(ContextTag(0, true));
    if (!certs.ok()) return Ctx(certs.status(), "certificates");
    while (!certs->empty()) {
      if (sd.certificates.size() >= max_certificates) {
        // Not read further: the [0] element's length bounds it, and nobody needs more.
        sd.too_many_certificates = true;
        break;
      }
      auto c = certs->ReadRaw();
      if (!c.ok()) return Ctx(c.status(), "certificates");
      sd.certificates.push_back(B(*c));
    }
  }
  if (r.PeekIs(ContextTag(1, true))) {
    auto crls = r.ReadRaw(ContextTag(1, true));
    if (!crls.ok()) return Ctx(crls.status(), "crls");
    sd.crls_der = B(*crls);
  }
  auto signers = r.ReadSet();
  if (!signers.ok()) return Ctx(signers.status(), "signerInfos");
  while (!signers->empty()) {
    if (sd.signer_infos.size() >= 64) return InvalidArgumentError("SignedData: too many signerInfos");
    ASSIGN_OR_RETURN(SignerInfo si, ReadSignerInfo(*signers));
    sd.signer_infos.push_back(std::move(si));
  }
  if (Status s = r.ExpectEnd("SignedData"); !s.ok()) return Ctx(s, "body");
  sd.der = B(der);
  return sd;
}

Bytes EncodeSignedData(const SignedData& sd) {
  Writer w;
  w.AddSequence([&](Writer& ci) {
    ci.AddOid(sd.content_info_type);
    ci.AddConstructed(ContextTag(0, true), [&](Writer& e) {
      e.AddSequence([&](Writer& s) {
        s.AddInt64(sd.version);
        s.AddSet([&](Writer& set) {
          for (const AlgorithmId& a : sd.digest_algorithms) WriteAlgorithmId(set, a);
        });
        s.AddSequence([&](Writer& c) {
          c.AddOid(sd.content_type);
          if (sd.content) {
            c.AddConstructed(ContextTag(0, true), [&](Writer& o) { o.AddOctetString(*sd.content); });
          }
        });
        if (!sd.certificates.empty()) {
          s.AddConstructed(ContextTag(0, true), [&](Writer& cs) {
            for (const Bytes& c : sd.certificates) cs.AddRaw(c);
          });
        }
        if (sd.crls_der) s.AddRaw(*sd.crls_der);
        s.AddSet([&](Writer& set) {
          for (const SignerInfo& si : sd.signer_infos) WriteSignerInfo(set, si);
        });
      });
    });
  });
  return std::move(w).Finish();
}

const Attribute* FindAttribute(const SignerInfo& si, const asn1::Oid& type) {
  for (const Attribute& a : si.authenticated_attributes) {
    if (a.type == type) return &a;
  }
  return nullptr;
}

Result<Bytes> MessageDigestAttribute(const SignerInfo& si) {
  const Attribute* a = FindAttribute(si, asn1::oids::Pkcs9MessageDigest());
  if (a == nullptr || a->values.size() != 1) {
    return NotFoundError("the signer has no single-valued messageDigest attribute");
  }
  Reader r(a->values[0]);
  ASSIGN_OR_RETURN(ByteView v, r.ReadOctetString());
  RETURN_IF_ERROR(r.ExpectEnd("messageDigest"));
  return B(v);
}

Result<Time> SigningTimeAttribute(const SignerInfo& si) {
  const Attribute* a = FindAttribute(si, asn1::oids::Pkcs9SigningTime());
  if (a == nullptr || a->values.size() != 1) {
    return NotFoundError("the signer has no single-valued signingTime attribute");
  }
  Reader r(a->values[0]);
  ASSIGN_OR_RETURN(Time t, r.ReadTime());
  RETURN_IF_ERROR(r.ExpectEnd("signingTime"));
  return t;
}

Result<asn1::Oid> ContentTypeAttribute(const SignerInfo& si) {
  const Attribute* a = FindAttribute(si, asn1::oids::Pkcs9ContentType());
  if (a == nullptr || a->values.size() != 1) {
    return NotFoundError("the signer has no single-valued contentType attribute");
  }
  Reader r(a->values[0]);
  ASSIGN_OR_RETURN(asn1::Oid oid, r.ReadOid());
  RETURN_IF_ERROR(r.ExpectEnd("contentType"));
  return oid;
}

Bytes SignedMessage(const SignedData& sd, const SignerInfo& si) {
  if (!si.authenticated_attributes_der.empty()) {
    Bytes m = si.authenticated_attributes_der;
    m[0] = 0x31;  // [0] IMPLICIT -> SET OF (PKCS#7 §9.3)
    return m;
  }
  return sd.content ? *sd.content : Bytes{};
}

std::optional<Certificate> FindSignerCertificate(const SignedData& sd, const SignerInfo& si,
                                                 const std::vector<Certificate>& extra) {
  auto matches = [&](const Certificate& c) {
    return c.issuer().der() == si.issuer_der && c.serial() == si.serial;
  };
  for (const Bytes& der : sd.certificates) {
    auto c = Certificate::FromDer(der);
    if (c.ok() && matches(*c)) return *std::move(c);
  }
  for (const Certificate& c : extra) {
    if (matches(c)) return c;
  }
  return std::nullopt;
}

Result<SignedData> MakeSignedData(ByteView digest, const Certificate& signer_cert,
                                  const crypto::Sm2Signer& signer, const SignedDataSpec& spec) {
  if (digest.size() != 32) return InvalidArgumentError("the digest must be 32 bytes (SM3)");
  ASSIGN_OR_RETURN(crypto::Sm2PublicKey pub, signer_cert.public_key());
  if (!(pub == signer.PublicKey())) {
    return FailedPreconditionError("the signing key does not belong to the signer certificate");
  }
  const bool pkcs7 = spec.oids == SignedDataSpec::Oids::kPkcs7;
  const asn1::Oid& data = pkcs7 ? asn1::oids::Pkcs7Data() : asn1::oids::Gbt35275Data();
  SignedData sd;
  sd.content_info_type = pkcs7 ? asn1::oids::Pkcs7SignedData() : asn1::oids::Gbt35275SignedData();
  sd.version = 1;
  sd.digest_algorithms.push_back(AlgorithmId{asn1::oids::Sm3(), std::nullopt});
  sd.content_type = data;
  sd.certificates.push_back(signer_cert.der());
  SignerInfo si;
  si.version = 1;
  si.issuer_der = signer_cert.issuer().der();
  si.serial = signer_cert.serial();
  si.digest_algorithm = AlgorithmId{asn1::oids::Sm3(), std::nullopt};
  si.digest_encryption_algorithm = AlgorithmId{pkcs7 ? asn1::oids::Sm2WithSm3() : asn1::oids::Sm2Sign(), std::nullopt};
  if (spec.form == SignedDataSpec::Form::kAttributes) {
    auto attr = [](const asn1::Oid& type, Bytes value) {
      Attribute a{type, {std::move(value)}};
      return a;
    };
    Writer ct;
    ct.AddOid(data);
    Writer st;
    st.AddUtcTime(spec.signing_time);
    Writer md;
    md.AddOctetString(digest);
    si.authenticated_attributes = {attr(asn1::oids::Pkcs9ContentType(), std::move(ct).Finish()),
                                   attr(asn1::oids::Pkcs9SigningTime(), std::move(st).Finish()),
                                   attr(asn1::oids::Pkcs9MessageDigest(), std::move(md).Finish())};
    std::vector<Bytes> encoded;
    for (const Attribute& a : si.authenticated_attributes) {
      Writer aw;
      aw.AddSequence([&](Writer& s) {
        s.AddOid(a.type);
        s.AddSet([&](Writer& v) {
          for (const Bytes& b : a.values) v.AddRaw(b);
        });
      });
      encoded.push_back(std::move(aw).Finish());
    }
    Writer set;
    set.AddSetOf(encoded);  // DER order
    Bytes as_set = std::move(set).Finish();
    si.authenticated_attributes_der = as_set;
    si.authenticated_attributes_der[0] = static_cast<uint8_t>(0xA0);  // [0] IMPLICIT
    // Keep the attribute list in the order it is encoded.
    std::vector<Attribute> ordered;
    auto parsed = asn1::ParseSingle(as_set);
    if (parsed.ok()) {
      auto back = ReadAttributes(Reader(parsed->content));
      if (back.ok()) ordered = *std::move(back);
    }
    si.authenticated_attributes = std::move(ordered);
    ASSIGN_OR_RETURN(si.encrypted_digest, signer.Sign(as_set));
  } else {
    sd.content = B(digest);
    ASSIGN_OR_RETURN(si.encrypted_digest, signer.Sign(digest));
  }
  sd.signer_infos.push_back(std::move(si));
  sd.der = EncodeSignedData(sd);
  return sd;
}

}  // namespace eseal::x509
