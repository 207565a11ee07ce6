// The time-stamping authority (时间戳服务机构): RFC 3161 §2.4 responses and tokens, built with
// eseal's DER writer and signed with SM2 (Debian's OpenSSL 3.0 cannot sign SM2 tokens:
// reference/pdf-and-timestamps.md §5). The layout is documented in authority.h.
#include "eseal/tsp/authority.h"

#include "eseal/asn1/der.h"
#include "eseal/crypto/sm3.h"
#include "internal.h"

namespace eseal::tsp {
namespace {

using asn1::ContextTag;
using asn1::Writer;

Bytes Encode(const Writer::Body& body) {
  Writer w;
  body(w);
  return std::move(w).Finish();
}

// The imprint algorithms a token may carry, with their digest lengths.
std::optional<size_t> ImprintLength(const asn1::Oid& alg) {
  if (alg == asn1::oids::Sm3() || alg == Sha256()) return 32;
  return std::nullopt;
}

bool HasCriticalTimestampingOnly(const x509::Certificate& cert) {
  const x509::Extension* ext = cert.FindExtension(asn1::oids::ExtKeyUsage());
  const auto& eku = cert.ext_key_usage();
  return ext != nullptr && ext->critical && eku && eku->size() == 1 && (*eku)[0] == IdKpTimeStamping();
}

Bytes Attribute(const asn1::Oid& type, const Bytes& value) {
  return Encode([&](Writer& w) {
    w.AddSequence([&](Writer& a) {
      a.AddOid(type);
      a.AddSet([&](Writer& v) { v.AddRaw(value); });
    });
  });
}

// SigningCertificateV2 { certs { ESSCertIDv2 { certHash SHA-256, issuerSerial } } }; the
// hashAlgorithm is SHA-256, its DEFAULT, so DER leaves it out (RFC 5035 §3).
Bytes SigningCertificateV2Value(const x509::Certificate& cert) {
  Bytes hash = internal::Digest(Sha256(), cert.der()).value_or(Bytes{});
  return Encode([&](Writer& w) {
    w.AddSequence([&](Writer& sc) {
      sc.AddSequence([&](Writer& certs) {
        certs.AddSequence([&](Writer& id) {
          id.AddOctetString(hash);
          id.AddSequence([&](Writer& is) {
            is.AddSequence([&](Writer& names) {
              names.AddConstructed(ContextTag(4, true), [&](Writer& dn) { dn.AddRaw(cert.issuer().der()); });
            });
            is.AddUnsignedInteger(cert.serial());
          });
        });
      });
    });
  });
}

}  // namespace

const asn1::Oid& DefaultTsaPolicy() {
  static const asn1::Oid o = asn1::MustOid("1.3.6.1.4.1.32473.2.1");
  return o;
}

RandomSerialSource::RandomSerialSource(Rng& rng) : rng_(rng) {}

Result<Bytes> RandomSerialSource::Next() {
  uint64_t n = counter_.fetch_add(1) + 1;
  Bytes out(17);
  out[0] = 0x01;  // a fixed lead octet keeps every serial 17 octets long and positive
  for (int i = 0; i < 8; ++i) out[static_cast<size_t>(1 + i)] = static_cast<uint8_t>(n >> (56 - 8 * i));
  RETURN_IF_ERROR(rng_.Fill(std::span<uint8_t>(out.data() + 9, 8)));
  return out;
}

Result<TimestampAuthority> TimestampAuthority::Create(std::shared_ptr<const crypto::Sm2Signer> signer,
                                                      x509::Certificate certificate, TsaOptions options,
                                                      const Clock& clock, SerialSource& serials) {
  if (!signer) return InvalidArgumentError("TSA: no signer");
  ASSIGN_OR_RETURN(crypto::Sm2PublicKey pub, certificate.public_key());
  if (!(pub == signer->PublicKey())) {
    return InvalidArgumentError(
        "时间戳服务的私钥与证书不匹配，请给出同一对密钥和证书。 / TSA: the key does not belong to "
        "the TSA certificate");
  }
  if (!HasCriticalTimestampingOnly(certificate)) {
    return FailedPreconditionError(
        "该证书不能用于时间戳服务：需要唯一且为关键扩展的 timeStamping 用途；请用 `eseal cert issue "
        "--role tsa` 签发时间戳证书。 / TSA: the certificate needs a critical extendedKeyUsage of "
        "id-kp-timeStamping alone (RFC 3161 §2.3); tokens signed under it would not verify");
  }
  return TimestampAuthority(std::move(signer), std::move(certificate), std::move(options), clock, serials);
}

Result<Bytes> TimestampAuthority::Issue(const TimestampRequest& q, const asn1::Oid& policy) const {
  ASSIGN_OR_RETURN(Bytes serial, serials_->Next());
  if (serial.empty() || serial.size() > 20) return InternalError("TSA: serial source gave a bad serial");
  Time now = clock_->Now();
  const Accuracy& acc = options_.accuracy;
  Bytes tst = Encode([&](Writer& w) {
    w.AddSequence([&](Writer& t) {
      t.AddInt64(1);
      t.AddOid(policy);
      t.AddSequence([&](Writer& mi) {
        mi.AddSequence([&](Writer& a) {
          a.AddOid(q.hash_algorithm);
          if (q.hash_parameters) a.AddRaw(*q.hash_parameters);
        });
        mi.AddOctetString(q.hashed_message);
      });
      t.AddUnsignedInteger(serial);
      t.AddGeneralizedTime(now);
      if (acc.seconds || acc.millis || acc.micros) {
        t.AddSequence([&](Writer& a) {
          if (acc.seconds) a.AddInt64(*acc.seconds);
          // [0] / [1] IMPLICIT INTEGER: the INTEGER's content under a context tag.
          auto add_implicit = [&](uint32_t tag, int64_t v) {
            Bytes i = Encode([&](Writer& x) { x.AddInt64(v); });
            a.AddElement(ContextTag(tag, false), ByteView(i).subspan(2));
          };
          if (acc.millis) add_implicit(0, *acc.millis);
          if (acc.micros) add_implicit(1, *acc.micros);
        });
      }
      if (q.nonce) t.AddElement(asn1::kInteger, *q.nonce);
      t.AddConstructed(ContextTag(0, true), [&](Writer& g) {
        g.AddConstructed(ContextTag(4, true), [&](Writer& dn) { dn.AddRaw(cert_.subject().der()); });
      });
    });
  });

  std::vector<Bytes> attrs;
  attrs.push_back(Attribute(asn1::oids::Pkcs9ContentType(), Encode([&](Writer& w) { w.AddOid(IdCtTstInfo()); })));
  attrs.push_back(Attribute(asn1::oids::Pkcs9MessageDigest(),
                            Encode([&](Writer& w) { w.AddOctetString(crypto::Sm3Bytes(tst)); })));
  attrs.push_back(Attribute(SigningCertificateV2(), SigningCertificateV2Value(cert_)));
  Writer set_writer;
  set_writer.AddSetOf(attrs);
  Bytes signed_attrs = std::move(set_writer).Finish();  // DER(SET OF Attribute) is what is signed
  ASSIGN_OR_RETURN(Bytes signature, signer_->Sign(signed_attrs));
  signed_attrs[0] = 0xA0;  // then written as [0] IMPLICIT in the SignerInfo

  std::vector<Bytes> certs;
  if (q.cert_req) {
    certs.push_back(cert_.der());
    for (const x509::Certificate& c : options_.chain) certs.push_back(c.der());
  }
  return Encode([&](Writer& w) {
    w.AddSequence([&](Writer& ci) {
      ci.AddOid(asn1::oids::Pkcs7SignedData());
      ci.AddConstructed(ContextTag(0, true), [&](Writer& e) {
        e.AddSequence([&](Writer& sd) {
          sd.AddInt64(3);
          sd.AddSet([&](Writer& algs) { algs.AddSequence([&](Writer& a) { a.AddOid(asn1::oids::Sm3()); }); });
          sd.AddSequence([&](Writer& eci) {
            eci.AddOid(IdCtTstInfo());
            eci.AddConstructed(ContextTag(0, true), [&](Writer& c) { c.AddOctetString(tst); });
          });
          if (!certs.empty()) {
            // CertificateSet is a SET OF: DER order, then the [0] IMPLICIT tag.
            Writer set;
            set.AddSetOf(certs);
            Bytes encoded = std::move(set).Finish();
            encoded[0] = 0xA0;
            sd.AddRaw(encoded);
          }
          sd.AddSet([&](Writer& sis) {
            sis.AddSequence([&](Writer& si) {
              si.AddInt64(1);
              si.AddSequence([&](Writer& ias) {
                ias.AddRaw(cert_.issuer().der());
                ias.AddUnsignedInteger(cert_.serial());
              });
              si.AddSequence([&](Writer& a) { a.AddOid(asn1::oids::Sm3()); });
              si.AddRaw(signed_attrs);
              si.AddSequence([&](Writer& a) { a.AddOid(asn1::oids::Sm2WithSm3()); });
              si.AddOctetString(signature);
            });
          });
        });
      });
    });
  });
}

Bytes TimestampAuthority::Respond(ByteView request_der) const {
  auto parsed = ReadTimestampRequest(request_der);
  if (!parsed.ok()) {
    return EncodeRejection(FailInfo::kBadDataFormat, "请求格式错误 / malformed TimeStampReq");
  }
  const TimestampRequest& q = *parsed;
  if (q.version != 1) {
    return EncodeRejection(FailInfo::kBadRequest, "仅支持版本1 / only TimeStampReq version 1 is supported");
  }
  std::optional<size_t> len = ImprintLength(q.hash_algorithm);
  if (!len) {
    return EncodeRejection(FailInfo::kBadAlg, "不支持的杂凑算法 / unsupported hash algorithm " +
                                                  q.hash_algorithm.ToString() + " (use SM3 or SHA-256)");
  }
  if (q.hashed_message.size() != *len) {
    return EncodeRejection(FailInfo::kBadDataFormat, "杂凑值长度错误 / the imprint's length does not fit its algorithm");
  }
  asn1::Oid policy = options_.policy;
  if (q.policy && !(*q.policy == options_.policy)) {
    bool other = false;
    for (const asn1::Oid& o : options_.other_policies) other = other || o == *q.policy;
    if (!other) {
      return EncodeRejection(FailInfo::kUnacceptedPolicy,
                             "不接受的策略 / policy " + q.policy->ToString() + " is not served here");
    }
    policy = *q.policy;
  }
  if (!q.extensions.empty()) {
    return EncodeRejection(FailInfo::kUnacceptedExtension,
                           "不支持的扩展 / request extension " + q.extensions[0].id.ToString() + " is not supported");
  }
  auto token = Issue(q, policy);
  if (!token.ok()) {
    return EncodeRejection(FailInfo::kSystemFailure, "时间戳服务内部错误 / the TSA could not sign");
  }
  return EncodeGranted(*token);
}

Result<Bytes> TimestampAuthority::Stamp(ByteView hashed_message, const asn1::Oid& hash_algorithm) const {
  std::optional<size_t> len = ImprintLength(hash_algorithm);
  if (!len) return InvalidArgumentError("TSA: unsupported imprint algorithm " + hash_algorithm.ToString());
  if (hashed_message.size() != *len) return InvalidArgumentError("TSA: imprint of the wrong length");
  TimestampRequest q;
  q.hash_algorithm = hash_algorithm;
  q.hashed_message = Bytes(hashed_message.begin(), hashed_message.end());
  q.cert_req = true;  // in-process tokens travel inside signatures: make them self-contained
  return Issue(q, options_.policy);
}

}  // namespace eseal::tsp
