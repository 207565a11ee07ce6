// Shared X.509 pieces: AlgorithmIdentifier, Extensions, GeneralNames, KeyUsage, PEM.
#include "internal.h"

#include <algorithm>

namespace eseal::x509 {

namespace oids {
#define ESEAL_X509_OID(fn, text)                      \
  const asn1::Oid& fn() {                             \
    static const asn1::Oid oid = asn1::MustOid(text); \
    return oid;                                       \
  }
ESEAL_X509_OID(SubjectAltName, "2.5.29.17")
ESEAL_X509_OID(IssuingDistributionPoint, "2.5.29.28")
ESEAL_X509_OID(InvalidityDate, "2.5.29.24")
ESEAL_X509_OID(CertificateIssuer, "2.5.29.29")
ESEAL_X509_OID(DeltaCrlIndicator, "2.5.29.27")
ESEAL_X509_OID(FreshestCrl, "2.5.29.46")
ESEAL_X509_OID(AuthorityInfoAccess, "1.3.6.1.5.5.7.1.1")
ESEAL_X509_OID(EmailAddress, "1.2.840.113549.1.9.1")
ESEAL_X509_OID(KpClientAuth, "1.3.6.1.5.5.7.3.2")
ESEAL_X509_OID(KpEmailProtection, "1.3.6.1.5.5.7.3.4")
#undef ESEAL_X509_OID
}  // namespace oids

std::string KeyUsageToString(uint32_t bits) {
  static constexpr const char* kNames[] = {"digitalSignature", "nonRepudiation", "keyEncipherment",
                                           "dataEncipherment", "keyAgreement",   "keyCertSign",
                                           "cRLSign",          "encipherOnly",   "decipherOnly"};
  std::string out;
  for (int i = 0; i < 9; ++i) {
    if (bits & (1u << i)) {
      if (!out.empty()) out += ", ";
      out += kNames[i];
    }
  }
  return out.empty() ? "none" : out;
}

std::string PemEncode(std::string_view label, ByteView der) {
  std::string b64 = Base64Encode(der);
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) {
    out.append(b64, i, 64);
    out.push_back('\n');
  }
  out += "-----END " + std::string(label) + "-----\n";
  return out;
}

Result<std::vector<Bytes>> PemDecodeAll(std::string_view text, std::string_view label) {
  std::string begin = "-----BEGIN " + std::string(label) + "-----";
  std::string end = "-----END " + std::string(label) + "-----";
  std::vector<Bytes> out;
  size_t pos = 0;
  while ((pos = text.find(begin, pos)) != std::string_view::npos) {
    size_t body = pos + begin.size();
    size_t stop = text.find(end, body);
    if (stop == std::string_view::npos) {
      return InvalidArgumentError("PEM block \"" + std::string(label) + "\" has no END line");
    }
    auto der = Base64Decode(text.substr(body, stop - body));
    if (!der.ok() || der->empty()) {
      return InvalidArgumentError("PEM block \"" + std::string(label) + "\" is not valid base64");
    }
    out.push_back(std::move(*der));
    pos = stop + end.size();
  }
  if (out.empty()) return InvalidArgumentError("no PEM block \"" + std::string(label) + "\" found");
  return out;
}

namespace internal {

Result<Bytes> PemDecodeFirst(std::string_view text, std::string_view label) {
  ASSIGN_OR_RETURN(std::vector<Bytes> all, PemDecodeAll(text, label));
  return std::move(all.front());
}

std::string UpperHex(ByteView b) { return HexEncode(b, /*upper=*/true); }

Result<AlgorithmIdentifier> ParseAlgorithmIdentifier(ByteView encoding) {
  asn1::Reader top(encoding);
  ASSIGN_OR_RETURN(asn1::Reader seq, top.ReadSequence());
  RETURN_IF_ERROR(top.ExpectEnd("AlgorithmIdentifier"));
  AlgorithmIdentifier alg;
  ASSIGN_OR_RETURN(alg.oid, seq.ReadOid());
  if (!seq.empty()) {
    ASSIGN_OR_RETURN(alg.params, seq.ReadRaw());
    alg.has_params = true;
  }
  RETURN_IF_ERROR(seq.ExpectEnd("AlgorithmIdentifier"));
  return alg;
}

bool IsSm2WithSm3(const AlgorithmIdentifier& alg) {
  if (alg.oid != asn1::oids::Sm2WithSm3()) return false;
  if (!alg.has_params) return true;
  return alg.params.size() == 2 && alg.params[0] == 0x05 && alg.params[1] == 0x00;
}

Result<std::vector<Extension>> ParseExtensions(asn1::Reader& r) {
  ASSIGN_OR_RETURN(asn1::Reader seq, r.ReadSequence());
  if (seq.empty()) return InvalidArgumentError("malformed Extensions: empty list");
  std::vector<Extension> out;
  while (!seq.empty()) {
    if (out.size() >= kMaxExtensions) return InvalidArgumentError("too many extensions");
    ASSIGN_OR_RETURN(asn1::Reader e, seq.ReadSequence());
    Extension ext;
    ASSIGN_OR_RETURN(ext.id, e.ReadOid());
    if (e.PeekIs(asn1::kBoolean)) {
      ASSIGN_OR_RETURN(ext.critical, e.ReadBoolean());
      if (!ext.critical) {
        return InvalidArgumentError("malformed Extension " + ext.id.ToString() +
                                    ": critical FALSE is the DEFAULT and must be omitted in DER");
      }
    }
    ASSIGN_OR_RETURN(ByteView value, e.ReadOctetString());
    ext.value.assign(value.begin(), value.end());
    RETURN_IF_ERROR(e.ExpectEnd("Extension"));
    for (const Extension& prev : out) {
      if (prev.id == ext.id) {
        return InvalidArgumentError("duplicate extension " + ext.id.ToString());
      }
    }
    out.push_back(std::move(ext));
  }
  return out;
}

Result<uint32_t> ParseKeyUsage(ByteView ext_value, bool* non_minimal) {
  asn1::Reader r(ext_value);
  ASSIGN_OR_RETURN(asn1::BitString bits, r.ReadBitString());
  RETURN_IF_ERROR(r.ExpectEnd("KeyUsage"));
  if (bits.bytes.size() > 4) return InvalidArgumentError("malformed KeyUsage: too long");
  uint32_t out = 0;
  size_t nbits = bits.bytes.size() * 8 - static_cast<size_t>(bits.unused_bits);
  for (size_t i = 0; i < nbits; ++i) {
    if (bits.bytes[i / 8] & (0x80 >> (i % 8))) {
      if (i > 8)
        return InvalidArgumentError("malformed KeyUsage: unknown bit " + std::to_string(i));
      out |= 1u << i;
    }
  }
  // DER named bit lists drop trailing zero bits (X.690 11.2.2): the last bit is set.
  *non_minimal = nbits > 0 && (out & (1u << (nbits - 1))) == 0;
  return out;
}

Result<Bytes> ParseAuthorityKeyId(ByteView ext_value) {
  asn1::Reader r(ext_value);
  ASSIGN_OR_RETURN(asn1::Reader seq, r.ReadSequence());
  RETURN_IF_ERROR(r.ExpectEnd("AuthorityKeyIdentifier"));
  Bytes key_id;
  if (seq.PeekIs(asn1::ContextTag(0, false))) {
    ASSIGN_OR_RETURN(asn1::Element e, seq.ReadElement(asn1::ContextTag(0, false)));
    key_id.assign(e.content.begin(), e.content.end());
  }
  if (seq.PeekIs(asn1::ContextTag(1, true))) {
    RETURN_IF_ERROR(seq.ReadElement(asn1::ContextTag(1, true)).status());
  }
  if (seq.PeekIs(asn1::ContextTag(2, false))) {
    RETURN_IF_ERROR(seq.ReadElement(asn1::ContextTag(2, false)).status());
  }
  RETURN_IF_ERROR(seq.ExpectEnd("AuthorityKeyIdentifier"));
  return key_id;
}

Status ParseGeneralNamesUris(asn1::Reader r, std::vector<std::string>* uris) {
  if (r.empty()) return InvalidArgumentError("malformed GeneralNames: empty");
  while (!r.empty()) {
    ASSIGN_OR_RETURN(asn1::Element e, r.ReadElement());
    if ((e.tag & asn1::kClassMask) != asn1::kContextClass) {
      return InvalidArgumentError("malformed GeneralName: not context-tagged");
    }
    if (e.tag == asn1::ContextTag(6, false)) {  // uniformResourceIdentifier IA5String
      Bytes tlv = asn1::EncodeTlv(asn1::kIa5String, e.content);
      asn1::Reader s(tlv);
      ASSIGN_OR_RETURN(std::string uri, s.ReadString(asn1::kIa5String));
      uris->push_back(std::move(uri));
    }
  }
  return Status::Ok();
}

void AddAlgorithmSm2WithSm3(asn1::Writer& w) {
  w.AddSequence([](asn1::Writer& s) { s.AddOid(asn1::oids::Sm2WithSm3()); });
}

void AddExtension(asn1::Writer& w, const asn1::Oid& id, bool critical, ByteView value) {
  w.AddSequence([&](asn1::Writer& s) {
    s.AddOid(id);
    if (critical) s.AddBoolean(true);
    s.AddOctetString(value);
  });
}

Bytes EncodeKeyUsage(uint32_t bits) {
  int highest = -1;
  for (int i = 0; i < 9; ++i) {
    if (bits & (1u << i)) highest = i;
  }
  Bytes content;
  int unused = 0;
  if (highest >= 0) {
    size_t nbits = static_cast<size_t>(highest) + 1;
    content.assign((nbits + 7) / 8, 0);
    for (size_t i = 0; i < nbits; ++i) {
      if (bits & (1u << i)) content[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
    }
    unused = static_cast<int>(content.size() * 8 - nbits);
  }
  asn1::Writer w;
  w.AddBitString(content, unused);
  return std::move(w).Finish();
}

Bytes EncodeAuthorityKeyId(ByteView key_id) {
  asn1::Writer w;
  w.AddSequence([&](asn1::Writer& s) { s.AddElement(asn1::ContextTag(0, false), key_id); });
  return std::move(w).Finish();
}

Bytes EncodeCrlDistributionPoints(const std::vector<std::string>& uris) {
  asn1::Writer w;
  w.AddSequence([&](asn1::Writer& seq) {
    for (const std::string& uri : uris) {
      seq.AddSequence([&](asn1::Writer& dp) {
        // distributionPoint [0] { fullName [0] IMPLICIT GeneralNames { [6] URI } }
        dp.AddConstructed(asn1::ContextTag(0, true), [&](asn1::Writer& dpn) {
          dpn.AddConstructed(asn1::ContextTag(0, true), [&](asn1::Writer& names) {
            names.AddElement(asn1::ContextTag(6, false), AsBytes(uri));
          });
        });
      });
    }
  });
  return std::move(w).Finish();
}

}  // namespace internal
}  // namespace eseal::x509
