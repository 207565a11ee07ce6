#include "eseal/asn1/oid.h"

#include <cassert>
#include <cstdlib>

namespace eseal::asn1 {
namespace {

void AppendBase128(Bytes& out, uint64_t v) {
  uint8_t tmp[10];
  int n = 0;
  do {
    tmp[n++] = static_cast<uint8_t>(v & 0x7f);
    v >>= 7;
  } while (v > 0);
  while (n > 1) out.push_back(tmp[--n] | 0x80);
  out.push_back(tmp[0]);
}

}  // namespace

Result<Oid> Oid::FromString(std::string_view s) {
  std::vector<uint64_t> arcs;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find('.', i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view part = s.substr(i, j - i);
    if (part.empty() || part.size() > 19 || (part.size() > 1 && part[0] == '0')) {
      return InvalidArgumentError("malformed object identifier '" + std::string(s.substr(0, 64)) + "'");
    }
    uint64_t v = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return InvalidArgumentError("malformed object identifier");
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    arcs.push_back(v);
    i = j + 1;
  }
  if (arcs.size() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39) ||
      arcs[1] > (uint64_t{1} << 56)) {
    return InvalidArgumentError("object identifier needs two valid first arcs");
  }
  Oid oid;
  AppendBase128(oid.der_, arcs[0] * 40 + arcs[1]);
  for (size_t k = 2; k < arcs.size(); ++k) AppendBase128(oid.der_, arcs[k]);
  return oid;
}

Result<Oid> Oid::FromDer(ByteView c) {
  if (c.empty()) return InvalidArgumentError("empty object identifier");
  if (c.size() > 128) return InvalidArgumentError("object identifier too long");
  // Each sub-identifier: minimal (no leading 0x80), ends with a byte < 0x80, fits 64 bits.
  size_t start = 0;
  for (size_t i = 0; i < c.size(); ++i) {
    if (i == start && c[i] == 0x80) return InvalidArgumentError("non-minimal object identifier");
    if (i - start >= 9) return InvalidArgumentError("object identifier arc too large");
    if ((c[i] & 0x80) == 0) start = i + 1;
  }
  if (start != c.size()) return InvalidArgumentError("truncated object identifier");
  Oid oid;
  oid.der_.assign(c.begin(), c.end());
  return oid;
}

std::string Oid::ToString() const {
  std::string out;
  uint64_t v = 0;
  bool first = true;
  for (uint8_t b : der_) {
    v = (v << 7) | (b & 0x7f);
    if (b & 0x80) continue;
    if (first) {
      uint64_t a = v < 80 ? v / 40 : 2;
      out += std::to_string(a) + "." + std::to_string(v - a * 40);
      first = false;
    } else {
      out += "." + std::to_string(v);
    }
    v = 0;
  }
  return out;
}

Oid MustOid(std::string_view dotted) {
  auto r = Oid::FromString(dotted);
  assert(r.ok());
  if (!r.ok()) std::abort();
  return *std::move(r);
}

namespace oids {
#define ESEAL_OID(fn, text)              \
  const Oid& fn() {                      \
    static const Oid oid = MustOid(text); \
    return oid;                          \
  }
ESEAL_OID(Sm2Curve, "1.2.156.10197.1.301")
ESEAL_OID(Sm2Sign, "1.2.156.10197.1.301.1")
ESEAL_OID(Sm2WithSm3, "1.2.156.10197.1.501")
ESEAL_OID(Sm3, "1.2.156.10197.1.401")
ESEAL_OID(Sm3NoKey, "1.2.156.10197.1.401.1")
ESEAL_OID(HmacSm3, "1.2.156.10197.1.401.2")
ESEAL_OID(EcPublicKey, "1.2.840.10045.2.1")
ESEAL_OID(CommonName, "2.5.4.3")
ESEAL_OID(Country, "2.5.4.6")
ESEAL_OID(Locality, "2.5.4.7")
ESEAL_OID(StateOrProvince, "2.5.4.8")
ESEAL_OID(Organization, "2.5.4.10")
ESEAL_OID(OrganizationalUnit, "2.5.4.11")
ESEAL_OID(SerialNumberAttr, "2.5.4.5")
ESEAL_OID(SubjectKeyId, "2.5.29.14")
ESEAL_OID(KeyUsage, "2.5.29.15")
ESEAL_OID(BasicConstraints, "2.5.29.19")
ESEAL_OID(CrlNumber, "2.5.29.20")
ESEAL_OID(CrlReason, "2.5.29.21")
ESEAL_OID(CrlDistributionPoints, "2.5.29.31")
ESEAL_OID(CertificatePolicies, "2.5.29.32")
ESEAL_OID(AuthorityKeyId, "2.5.29.35")
ESEAL_OID(ExtKeyUsage, "2.5.29.37")
ESEAL_OID(Gbt35275Data, "1.2.156.10197.6.1.4.2.1")
ESEAL_OID(Gbt35275SignedData, "1.2.156.10197.6.1.4.2.2")
ESEAL_OID(Pkcs7Data, "1.2.840.113549.1.7.1")
ESEAL_OID(Pkcs7SignedData, "1.2.840.113549.1.7.2")
ESEAL_OID(Pkcs9ContentType, "1.2.840.113549.1.9.3")
ESEAL_OID(Pkcs9MessageDigest, "1.2.840.113549.1.9.4")
ESEAL_OID(Pkcs9SigningTime, "1.2.840.113549.1.9.5")
#undef ESEAL_OID
}  // namespace oids

}  // namespace eseal::asn1
