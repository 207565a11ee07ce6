// SM2 key containers: X.509 SubjectPublicKeyInfo (RFC 5280/5480), PKCS#8 PrivateKeyInfo
// (RFC 5208/5958) and SEC1 ECPrivateKey (RFC 5915), in DER and PEM. We parse these
// ourselves rather than through OpenSSL's decoders so that (1) both spellings of an SM2 key
// are accepted — id-ecPublicKey with curve sm2p256v1, and the SM2 OID 1.2.156.10197.1.301 as
// the algorithm — (2) every key comes out SM2-typed, so Z_A is always hashed, and (3) a
// private key whose stored public key does not match its scalar is refused.
#include <openssl/ec.h>

#include <algorithm>
#include <cstring>

#include "eseal/crypto/sm2.h"
#include "internal.h"

namespace eseal::crypto {
namespace internal {
namespace {

bool Equal(ByteView a, ByteView b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

Status Malformed(std::string_view what) {
  return InvalidArgumentError("malformed " + std::string(what));
}

// AlgorithmIdentifier of an SM2 key. Returns whether it names the curve (an id-ecPublicKey
// without parameters leaves it to the ECPrivateKey).
Result<bool> ParseAlgorithm(ByteView contents) {
  DerReader r(contents);
  ByteView oid;
  if (!r.Read(kTagOid, &oid)) return Malformed("key AlgorithmIdentifier");
  const bool ec = Equal(oid, OidEcPublicKey());
  const bool sm2 = Equal(oid, OidSm2());
  if (!ec && !sm2) {
    return InvalidArgumentError("not an SM2 key: the algorithm is neither id-ecPublicKey nor SM2");
  }
  if (r.empty()) return sm2;
  ByteView params;
  if (r.PeekTag(kTagOid)) {
    if (!r.Read(kTagOid, &params)) return Malformed("key AlgorithmIdentifier");
    if (!Equal(params, OidSm2())) {
      return InvalidArgumentError("not an SM2 key: the curve is not sm2p256v1");
    }
  } else if (r.PeekTag(kTagNull) && sm2) {
    if (!r.Read(kTagNull, &params) || !params.empty()) return Malformed("key AlgorithmIdentifier");
  } else if (r.PeekTag(kTagSequence)) {
    return InvalidArgumentError("explicit elliptic curve parameters are not supported");
  } else {
    return Malformed("key AlgorithmIdentifier");
  }
  if (!r.empty()) return Malformed("key AlgorithmIdentifier");
  return true;
}

// BIT STRING contents holding an EC point: no unused bits.
Result<Bytes> PointFromBitString(ByteView bits) {
  if (bits.size() < 2 || bits[0] != 0) return Malformed("EC public key BIT STRING");
  return Bytes(bits.begin() + 1, bits.end());
}

}  // namespace

Result<Bytes> ParseSpki(ByteView der) {
  DerReader outer(der);
  ByteView spki, alg, bits;
  if (!outer.Read(kTagSequence, &spki) || !outer.empty()) {
    return InvalidArgumentError("SM2 public key is not a DER SubjectPublicKeyInfo");
  }
  DerReader r(spki);
  if (!r.Read(kTagSequence, &alg) || !r.Read(kTagBitString, &bits) || !r.empty()) {
    return Malformed("SubjectPublicKeyInfo");
  }
  ASSIGN_OR_RETURN(bool curve_named, ParseAlgorithm(alg));
  if (!curve_named) return InvalidArgumentError("SubjectPublicKeyInfo does not name the curve");
  return PointFromBitString(bits);
}

Result<ParsedPrivateKey> ParseSec1(ByteView der, bool curve_known) {
  DerReader outer(der);
  ByteView seq, d, params, pub;
  if (!outer.Read(kTagSequence, &seq) || !outer.empty()) {
    return InvalidArgumentError("SM2 private key is not a DER ECPrivateKey");
  }
  DerReader r(seq);
  uint32_t version = 0;
  bool has_params = false, has_pub = false;
  if (!r.ReadSmallUint(&version) || !r.Read(kTagOctetString, &d) ||
      !r.ReadOptional(kTagContext0, &params, &has_params) ||
      !r.ReadOptional(kTagContext1, &pub, &has_pub) || !r.empty()) {
    return Malformed("ECPrivateKey");
  }
  if (version != 1) return InvalidArgumentError("unsupported ECPrivateKey version");
  if (has_params) {
    DerReader p(params);
    ByteView oid;
    if (p.PeekTag(kTagSequence)) {
      return InvalidArgumentError("explicit elliptic curve parameters are not supported");
    }
    if (!p.Read(kTagOid, &oid) || !p.empty()) return Malformed("ECPrivateKey parameters");
    if (!Equal(oid, OidSm2())) {
      return InvalidArgumentError("not an SM2 key: the curve is not sm2p256v1");
    }
    curve_known = true;
  }
  if (!curve_known) return InvalidArgumentError("EC private key does not name its curve");
  // Tolerate leading zero bytes and short encodings; the value itself is range-checked later.
  size_t skip = 0;
  while (skip < d.size() && d[skip] == 0) ++skip;
  if (d.size() - skip > kSm2FieldBytes) {
    return InvalidArgumentError("SM2 private key scalar is longer than 32 bytes");
  }
  ParsedPrivateKey out;
  out.d = SecretBytes(kSm2FieldBytes);
  std::memcpy(out.d.data() + kSm2FieldBytes - (d.size() - skip), d.data() + skip, d.size() - skip);
  if (has_pub) {
    DerReader p(pub);
    ByteView bits;
    if (!p.Read(kTagBitString, &bits) || !p.empty()) return Malformed("ECPrivateKey public key");
    ASSIGN_OR_RETURN(out.public_point, PointFromBitString(bits));
  }
  return out;
}

Result<ParsedPrivateKey> ParsePkcs8(ByteView der) {
  DerReader outer(der);
  ByteView seq, alg, key, attrs, pub;
  if (!outer.Read(kTagSequence, &seq) || !outer.empty()) {
    return InvalidArgumentError("SM2 private key is not a DER PKCS#8 PrivateKeyInfo");
  }
  DerReader r(seq);
  uint32_t version = 0;
  bool has_attrs = false, has_pub = false;
  if (!r.ReadSmallUint(&version) || !r.Read(kTagSequence, &alg) || !r.Read(kTagOctetString, &key) ||
      !r.ReadOptional(kTagContext0, &attrs, &has_attrs) || !r.ReadOptional(0x81, &pub, &has_pub) ||
      !r.empty()) {
    return Malformed("PKCS#8 PrivateKeyInfo");
  }
  if (version > 1) return InvalidArgumentError("unsupported PKCS#8 version");
  ASSIGN_OR_RETURN(bool curve_named, ParseAlgorithm(alg));
  ASSIGN_OR_RETURN(ParsedPrivateKey parsed, ParseSec1(key, curve_named));
  if (has_pub && parsed.public_point.empty()) {
    ASSIGN_OR_RETURN(parsed.public_point, PointFromBitString(pub));
  }
  return parsed;
}

Bytes EncodeSpki(ByteView point65) {
  Bytes alg;
  AppendTlv(alg, kTagOid, OidEcPublicKey());
  AppendTlv(alg, kTagOid, OidSm2());
  Bytes bits{0x00};
  bits.insert(bits.end(), point65.begin(), point65.end());
  Bytes body = Tlv(kTagSequence, alg);
  AppendTlv(body, kTagBitString, bits);
  return Tlv(kTagSequence, body);
}

SecretBytes EncodePkcs8(ByteView d32, ByteView point65) {
  // Fixed layout (all lengths are constant), written straight into wiped memory:
  // PrivateKeyInfo{0, {id-ecPublicKey, sm2p256v1}, OCTET STRING ECPrivateKey{1, d, [1] pub}}.
  static constexpr uint8_t kHead[] = {0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06,
                                      0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06,
                                      0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x82, 0x2D,
                                      0x04, 0x6D, 0x30, 0x6B, 0x02, 0x01, 0x01, 0x04, 0x20};
  static constexpr uint8_t kMid[] = {0xA1, 0x44, 0x03, 0x42, 0x00};
  SecretBytes out(sizeof kHead + kSm2FieldBytes + sizeof kMid + kSm2PointBytes);
  uint8_t* p = out.data();
  p = std::copy(std::begin(kHead), std::end(kHead), p);
  p = std::copy(d32.begin(), d32.end(), p);
  p = std::copy(std::begin(kMid), std::end(kMid), p);
  std::copy(point65.begin(), point65.end(), p);
  return out;
}

}  // namespace internal

namespace {

// Accepts the uncompressed form, and the compressed form found in some certificates.
Result<Bytes> UncompressedPoint(ByteView encoded) {
  if (encoded.size() == internal::kSm2PointBytes) return Bytes(encoded.begin(), encoded.end());
  if (encoded.size() != 33 || (encoded[0] != 0x02 && encoded[0] != 0x03)) {
    return InvalidArgumentError("SM2 public key is not a 65-byte uncompressed point");
  }
  internal::UniquePoint p(EC_POINT_new(internal::Sm2Group()));
  Bytes out(internal::kSm2PointBytes);
  if (!p ||
      EC_POINT_oct2point(internal::Sm2Group(), p.get(), encoded.data(), encoded.size(), nullptr) !=
          1 ||
      EC_POINT_point2oct(internal::Sm2Group(), p.get(), POINT_CONVERSION_UNCOMPRESSED, out.data(),
                         out.size(), nullptr) != out.size()) {
    internal::ClearOpenSslErrors();
    return InvalidArgumentError("SM2 public key is not a point on the curve sm2p256v1");
  }
  return out;
}

Result<Sm2PrivateKey> FromParsed(const internal::ParsedPrivateKey& parsed) {
  ASSIGN_OR_RETURN(Sm2PrivateKey key, Sm2PrivateKey::FromScalar(parsed.d.view()));
  if (!parsed.public_point.empty()) {
    auto stored = UncompressedPoint(parsed.public_point);
    if (!stored.ok() || *stored != key.PublicKey().Point()) {
      return InvalidArgumentError("the public key stored with the private key does not match it");
    }
  }
  return key;
}

}  // namespace

Result<Sm2PublicKey> Sm2PublicKey::FromSpkiDer(ByteView der) {
  ASSIGN_OR_RETURN(Bytes encoded, internal::ParseSpki(der));
  ASSIGN_OR_RETURN(Bytes point, UncompressedPoint(encoded));
  return FromPoint(point);
}

Result<Sm2PublicKey> Sm2PublicKey::FromPem(std::string_view pem) {
  ASSIGN_OR_RETURN(internal::PemBlock block, internal::DecodePem(pem, {"PUBLIC KEY"}));
  return FromSpkiDer(block.der.view());
}

Bytes Sm2PublicKey::ToSpkiDer() const { return internal::EncodeSpki(impl_->point); }

std::string Sm2PublicKey::ToPem() const {
  SecretBytes pem = internal::EncodePem("PUBLIC KEY", ToSpkiDer());
  return std::string(AsChars(pem.view()));
}

Result<Sm2PrivateKey> Sm2PrivateKey::FromPkcs8Der(ByteView der) {
  ASSIGN_OR_RETURN(internal::ParsedPrivateKey parsed, internal::ParsePkcs8(der));
  return FromParsed(parsed);
}

Result<Sm2PrivateKey> Sm2PrivateKey::FromPem(std::string_view pem) {
  ASSIGN_OR_RETURN(internal::PemBlock block,
                   internal::DecodePem(pem, {"PRIVATE KEY", "EC PRIVATE KEY", "SM2 PRIVATE KEY"}));
  if (block.label == "PRIVATE KEY") {
    ASSIGN_OR_RETURN(internal::ParsedPrivateKey parsed, internal::ParsePkcs8(block.der.view()));
    return FromParsed(parsed);
  }
  ASSIGN_OR_RETURN(internal::ParsedPrivateKey parsed,
                   internal::ParseSec1(block.der.view(), /*curve_known=*/false));
  return FromParsed(parsed);
}

SecretBytes Sm2PrivateKey::ToPkcs8Der() const {
  return internal::EncodePkcs8(impl_->d.view(), public_key_.impl().point);
}

SecretBytes Sm2PrivateKey::ToPem() const {
  return internal::EncodePem("PRIVATE KEY", ToPkcs8Der().view());
}

}  // namespace eseal::crypto
