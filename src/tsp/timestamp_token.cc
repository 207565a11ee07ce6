// TimeStampToken (时间戳令牌), RFC 3161 §2.4.2: ContentInfo / SignedData / TSTInfo.
//
// The SignedData is read here rather than with x509::ParseSignedData because a token comes
// from outside and its certificate list must be bounded while it is read: at most
// `max_certificates` are copied, the rest of the [0] element is skipped by its length.
#include "eseal/tsp/timestamp_token.h"

#include "internal.h"

namespace eseal::tsp {
namespace internal {
namespace {

using asn1::ContextTag;
using asn1::Reader;

constexpr size_t kMaxDigestAlgorithms = 16;
constexpr size_t kMaxSignerInfos = 8;
constexpr size_t kMaxAttributes = 64;
constexpr size_t kMaxAttributeValues = 16;

#define TOK_ASSIGN(lhs, expr, where) TOK_ASSIGN_IMPL(ESEAL_CONCAT(tok_result_, __LINE__), lhs, expr, where)
#define TOK_ASSIGN_IMPL(tmp, lhs, expr, where) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status().WithContext("timestamp token " where); \
  lhs = std::move(tmp).value()
#define TOK_RETURN_IF_ERROR(expr)                   \
  do {                                              \
    if (Status s_ = (expr); !s_.ok()) return s_;    \
  } while (0)

Bytes B(ByteView v) { return Bytes(v.begin(), v.end()); }

// AlgorithmIdentifier with any parameters (signature algorithms).
Result<x509::AlgorithmId> ReadAlgorithmId(Reader& r) {
  TOK_ASSIGN(Reader seq, r.ReadSequence(), "algorithm");
  x509::AlgorithmId a;
  TOK_ASSIGN(a.oid, seq.ReadOid(), "algorithm");
  if (!seq.empty()) {
    TOK_ASSIGN(ByteView p, seq.ReadRaw(), "algorithm parameters");
    a.parameters = B(p);
  }
  TOK_RETURN_IF_ERROR(seq.ExpectEnd("AlgorithmIdentifier"));
  return a;
}

Result<std::vector<x509::Attribute>> ReadAttributes(Reader set) {
  std::vector<x509::Attribute> out;
  while (!set.empty()) {
    if (out.size() >= kMaxAttributes) return InvalidArgumentError("timestamp token: too many attributes");
    TOK_ASSIGN(Reader a, set.ReadSequence(), "attribute");
    x509::Attribute attr;
    TOK_ASSIGN(attr.type, a.ReadOid(), "attribute type");
    TOK_ASSIGN(Reader values, a.ReadSet(), "attribute values");
    while (!values.empty()) {
      if (attr.values.size() >= kMaxAttributeValues) {
        return InvalidArgumentError("timestamp token: too many attribute values");
      }
      TOK_ASSIGN(ByteView v, values.ReadRaw(), "attribute value");
      attr.values.push_back(B(v));
    }
    TOK_RETURN_IF_ERROR(a.ExpectEnd("attribute"));
    out.push_back(std::move(attr));
  }
  return out;
}

Result<x509::SignerInfo> ReadSignerInfo(Reader& signers) {
  TOK_ASSIGN(Reader r, signers.ReadSequence(), "signerInfo");
  x509::SignerInfo si;
  TOK_ASSIGN(si.version, r.ReadInt64(), "signerInfo version");
  if (!r.PeekIs(asn1::kSequence)) {
    return InvalidArgumentError("timestamp token signerInfo: only issuerAndSerialNumber is supported");
  }
  TOK_ASSIGN(Reader ias, r.ReadSequence(), "issuerAndSerialNumber");
  TOK_ASSIGN(ByteView issuer, ias.ReadRaw(asn1::kSequence), "issuer");
  si.issuer_der = B(issuer);
  TOK_ASSIGN(ByteView serial, ias.ReadUnsignedIntegerBytes(), "serial number");
  si.serial = B(serial);
  TOK_RETURN_IF_ERROR(ias.ExpectEnd("issuerAndSerialNumber"));
  TOK_ASSIGN(si.digest_algorithm, ReadAlgorithmId(r), "digestAlgorithm");
  if (r.PeekIs(ContextTag(0, true))) {
    TOK_ASSIGN(ByteView raw, r.ReadRaw(ContextTag(0, true)), "signedAttrs");
    si.authenticated_attributes_der = B(raw);
    TOK_ASSIGN(asn1::Element e, asn1::ParseSingle(raw), "signedAttrs");
    TOK_ASSIGN(si.authenticated_attributes, ReadAttributes(Reader(e.content)), "signedAttrs");
  }
  TOK_ASSIGN(si.digest_encryption_algorithm, ReadAlgorithmId(r), "signatureAlgorithm");
  TOK_ASSIGN(ByteView sig, r.ReadOctetString(), "signature");
  si.encrypted_digest = B(sig);
  if (r.PeekIs(ContextTag(1, true))) {
    TOK_ASSIGN(ByteView raw, r.ReadRaw(ContextTag(1, true)), "unsignedAttrs");
    si.unauthenticated_attributes_der = B(raw);
  }
  TOK_RETURN_IF_ERROR(r.ExpectEnd("signerInfo"));
  return si;
}

}  // namespace

Result<TokenParts> ReadToken(ByteView der, size_t max_certificates) {
  TokenParts parts;
  TimestampToken& t = parts.token;
  x509::SignedData& sd = t.signed_data;
  TOK_ASSIGN(asn1::Element top, asn1::ParseSingle(der), "ContentInfo");
  if (top.tag != asn1::kSequence) return InvalidArgumentError("timestamp token: not a ContentInfo SEQUENCE");
  Reader ci(top.content);
  TOK_ASSIGN(t.content_info_type, ci.ReadOid(), "contentType");
  sd.content_info_type = t.content_info_type;
  TOK_ASSIGN(Reader explicit0, ci.ReadConstructed(ContextTag(0, true)), "content [0]");
  TOK_RETURN_IF_ERROR(ci.ExpectEnd("ContentInfo"));
  TOK_ASSIGN(Reader r, explicit0.ReadSequence(), "SignedData");
  TOK_RETURN_IF_ERROR(explicit0.ExpectEnd("content [0]"));

  TOK_ASSIGN(sd.version, r.ReadInt64(), "SignedData version");
  TOK_ASSIGN(Reader algs, r.ReadSet(), "digestAlgorithms");
  while (!algs.empty()) {
    if (sd.digest_algorithms.size() >= kMaxDigestAlgorithms) {
      return InvalidArgumentError("timestamp token: too many digestAlgorithms");
    }
    TOK_ASSIGN(x509::AlgorithmId a, ReadAlgorithmId(algs), "digestAlgorithms");
    sd.digest_algorithms.push_back(std::move(a));
  }
  TOK_ASSIGN(Reader eci, r.ReadSequence(), "encapContentInfo");
  TOK_ASSIGN(sd.content_type, eci.ReadOid(), "eContentType");
  if (!eci.empty()) {
    TOK_ASSIGN(Reader c0, eci.ReadConstructed(ContextTag(0, true)), "eContent");
    TOK_ASSIGN(ByteView octets, c0.ReadOctetString(), "eContent");
    TOK_RETURN_IF_ERROR(c0.ExpectEnd("eContent"));
    sd.content = B(octets);
  }
  TOK_RETURN_IF_ERROR(eci.ExpectEnd("encapContentInfo"));
  if (r.PeekIs(ContextTag(0, true))) {
    TOK_ASSIGN(Reader certs, r.ReadConstructed(ContextTag(0, true)), "certificates");
    // Copy at most max_certificates; the rest is never looked at (its outer length was
    // already checked against the input by ReadConstructed).
    while (!certs.empty()) {
      if (sd.certificates.size() >= max_certificates) {
        t.certificates_truncated = true;
        break;
      }
      TOK_ASSIGN(ByteView c, certs.ReadRaw(), "certificates");
      sd.certificates.push_back(B(c));
    }
  }
  if (r.PeekIs(ContextTag(1, true))) {
    TOK_ASSIGN(ByteView crls, r.ReadRaw(ContextTag(1, true)), "crls");
    sd.crls_der = B(crls);
  }
  TOK_ASSIGN(Reader signers, r.ReadSet(), "signerInfos");
  while (!signers.empty()) {
    if (sd.signer_infos.size() >= kMaxSignerInfos) {
      return InvalidArgumentError("timestamp token: too many signerInfos");
    }
    TOK_ASSIGN(x509::SignerInfo si, ReadSignerInfo(signers), "signerInfos");
    sd.signer_infos.push_back(std::move(si));
  }
  TOK_RETURN_IF_ERROR(r.ExpectEnd("SignedData"));
  sd.der = B(der);
  t.der = B(der);
  if (!sd.content) {
    parts.tst_info_status = NotFoundError("timestamp token: no eContent (TSTInfo)");
  } else {
    auto info = ParseTstInfo(*sd.content);
    if (info.ok()) {
      t.info = *std::move(info);
    } else {
      parts.tst_info_status = info.status();
    }
  }
  return parts;
}

#undef TOK_ASSIGN
#undef TOK_ASSIGN_IMPL
#undef TOK_RETURN_IF_ERROR

}  // namespace internal

Result<TimestampToken> ParseTimestampToken(ByteView der, size_t max_certificates) {
  ASSIGN_OR_RETURN(internal::TokenParts parts, internal::ReadToken(der, max_certificates));
  const asn1::Oid& type = parts.token.content_info_type;
  if (!(type == asn1::oids::Pkcs7SignedData() || type == asn1::oids::Gbt35275SignedData())) {
    return InvalidArgumentError("timestamp token: ContentInfo holds " + type.ToString() +
                                ", not signedData");
  }
  if (!(parts.token.signed_data.content_type == IdCtTstInfo())) {
    return InvalidArgumentError("timestamp token: eContentType " +
                                parts.token.signed_data.content_type.ToString() +
                                ", not id-ct-TSTInfo");
  }
  if (!parts.tst_info_status.ok()) return parts.tst_info_status;
  return std::move(parts.token);
}

}  // namespace eseal::tsp
