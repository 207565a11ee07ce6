// Test-only timestamp-token writer (see test_token.h): independent of src/tsp.
#include "test_token.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "eseal/asn1/der.h"
#include "eseal/crypto/sm3.h"
#include "eseal/x509/builder.h"
#include "eseal/x509/ca.h"
#include "eseal/x509/name.h"

namespace eseal::tsp::testing {
namespace {

using asn1::ContextTag;
using asn1::MustOid;
using asn1::Writer;

Time T(int y, int mo, int d) { return FromCivil(CivilTime{y, mo, d, 0, 0, 0}).value(); }

Bytes EvpHash(const EVP_MD* md, ByteView data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &n, md, nullptr);
  out.resize(n);
  return out;
}

Bytes HashBy(const std::string& oid, ByteView data) {
  if (oid == "2.16.840.1.101.3.4.2.1") return EvpHash(EVP_sha256(), data);
  if (oid == "1.3.14.3.2.26") return EvpHash(EVP_sha1(), data);
  return crypto::Sm3Bytes(data);
}

Bytes Encode(const Writer::Body& body) {
  Writer w;
  body(w);
  return std::move(w).Finish();
}

Bytes TstInfoDer(const TokenSpec& s, const x509::Certificate& tsa, bool tampered) {
  return Encode([&](Writer& w) {
    w.AddSequence([&](Writer& t) {
      t.AddInt64(1);
      t.AddOid(MustOid("1.2.156.112233.1.1"));  // a TSA policy
      t.AddSequence([&](Writer& mi) {
        mi.AddSequence([&](Writer& a) { a.AddOid(MustOid(s.imprint_oid)); });
        mi.AddOctetString(s.imprint_override ? *s.imprint_override : HashBy(s.imprint_oid, s.stamped));
      });
      t.AddUnsignedInteger(Bytes{0x01, 0x23, 0x45, 0x67, 0x89});
      // Tampering backdates genTime by a month, still inside the TSA certificate's validity.
      std::string gen = tampered ? "20260501120000Z" : s.gen_time;
      t.AddElement(asn1::kGeneralizedTime, AsBytes(gen));
      t.AddSequence([&](Writer& acc) {
        acc.AddInt64(1);
        acc.AddElement(ContextTag(0, false), Bytes{0x01, 0xF4});  // millis 500
      });
      if (s.ordering_false) t.AddBoolean(false);
      if (s.nonce) t.AddUnsignedInteger(Bytes{0x7A, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77});
      if (s.tsa_name) {
        t.AddConstructed(ContextTag(0, true), [&](Writer& g) {
          g.AddConstructed(ContextTag(4, true), [&](Writer& dn) { dn.AddRaw(tsa.subject().der()); });
        });
      }
      if (s.critical_extension) {
        t.AddConstructed(ContextTag(1, true), [&](Writer& exts) {
          exts.AddSequence([&](Writer& e) {
            e.AddOid(MustOid("1.2.3.4.5.6"));
            e.AddBoolean(true);
            e.AddOctetString(Bytes{0x05, 0x00});
          });
        });
      }
    });
  });
}

Bytes Attribute(const std::string& oid, const Bytes& value) {
  return Encode([&](Writer& w) {
    w.AddSequence([&](Writer& a) {
      a.AddOid(MustOid(oid));
      a.AddSet([&](Writer& v) { v.AddRaw(value); });
    });
  });
}

Bytes EssAttribute(const TokenSpec& s, const x509::Certificate& tsa) {
  using Ess = TokenSpec::Ess;
  bool v1 = s.ess == Ess::kV1Sha1;
  // The wrong certificate: the TSA certificate's TBS part alone stands for another one.
  ByteView hashed = s.ess == Ess::kV2WrongCert ? tsa.tbs_der() : ByteView(tsa.der());
  Bytes value = Encode([&](Writer& w) {
    w.AddSequence([&](Writer& sc) {
      sc.AddSequence([&](Writer& certs) {
        certs.AddSequence([&](Writer& id) {
          if (s.ess == Ess::kV2Sm3) {
            id.AddSequence([&](Writer& a) { a.AddOid(MustOid("1.2.156.10197.1.401")); });
          }
          std::string alg = v1 ? "1.3.14.3.2.26"
                               : (s.ess == Ess::kV2Sm3 ? "1.2.156.10197.1.401" : "2.16.840.1.101.3.4.2.1");
          id.AddOctetString(HashBy(alg, hashed));
          if (s.ess_issuer_serial) {
            id.AddSequence([&](Writer& is) {
              is.AddSequence([&](Writer& names) {
                names.AddConstructed(ContextTag(4, true), [&](Writer& dn) { dn.AddRaw(tsa.issuer().der()); });
              });
              is.AddUnsignedInteger(tsa.serial());
            });
          }
        });
      });
    });
  });
  return Attribute(v1 ? "1.2.840.113549.1.9.16.2.12" : "1.2.840.113549.1.9.16.2.47", value);
}

}  // namespace

Pki MakePki(const std::string& eku, const std::string& root_cn) {
  crypto::Sm2PrivateKey root_key = crypto::Sm2PrivateKey::Generate().value();
  crypto::Sm2PrivateKey tsa_key = crypto::Sm2PrivateKey::Generate().value();
  x509::Name root_name = x509::Name::Parse("CN=" + root_cn + ",O=eseal tests,C=CN").value();
  x509::CertificateParams rp;
  rp.serial = {0x11};
  rp.issuer = root_name;
  rp.subject = root_name;
  rp.not_before = T(2020, 1, 1);
  rp.not_after = T(2040, 1, 1);
  rp.spki_der = root_key.PublicKey().ToSpkiDer();
  rp.basic_constraints = x509::BasicConstraintsParams{true, std::nullopt, true};
  rp.key_usage = x509::kKeyCertSign | x509::kCrlSign;
  rp.subject_key_id = x509::KeyIdentifier(root_key.PublicKey());
  x509::Certificate root =
      x509::Certificate::FromDer(x509::BuildCertificate(rp, root_key).value()).value();

  x509::CertificateParams lp;
  lp.serial = {0x20, 0x26, 0x06};
  lp.issuer = root_name;
  lp.subject = x509::Name::Parse("CN=Test TSA,O=eseal tests,C=CN").value();
  lp.not_before = T(2026, 1, 1);
  lp.not_after = T(2027, 1, 1);
  lp.spki_der = tsa_key.PublicKey().ToSpkiDer();
  lp.key_usage = x509::kDigitalSignature | x509::kNonRepudiation;
  lp.subject_key_id = x509::KeyIdentifier(tsa_key.PublicKey());
  lp.authority_key_id = x509::KeyIdentifier(root_key.PublicKey());
  if (eku != "none") {
    Bytes value = Encode([&](Writer& w) {
      w.AddSequence([&](Writer& s) {
        s.AddOid(MustOid("1.3.6.1.5.5.7.3.8"));
        if (eku == "extra") s.AddOid(MustOid("1.3.6.1.5.5.7.3.4"));
      });
    });
    lp.extra_extensions.push_back(
        x509::Extension{MustOid("2.5.29.37"), eku != "noncritical", std::move(value)});
  }
  x509::Certificate tsa = x509::Certificate::FromDer(x509::BuildCertificate(lp, root_key).value()).value();
  x509::CrlRequest cr;
  cr.this_update = T(2026, 5, 1);
  cr.next_update = T(2026, 12, 1);
  cr.crl_number = {0x01};
  x509::Crl crl = x509::MakeCrl(root, root_key, cr).value();
  return Pki{std::move(root_key), std::move(tsa_key), std::move(root), std::move(tsa), std::move(crl)};
}

Bytes MakeToken(const TokenSpec& s, const x509::Certificate& tsa, const crypto::Sm2PrivateKey& key) {
  Bytes tst = TstInfoDer(s, tsa, false);
  std::vector<Bytes> attrs;
  attrs.push_back(Attribute("1.2.840.113549.1.9.3", Encode([&](Writer& w) { w.AddOid(MustOid(s.econtent_oid)); })));
  attrs.push_back(Attribute("1.2.840.113549.1.9.4", Encode([&](Writer& w) {
                              w.AddOctetString(HashBy(s.signer_digest_oid, tst));
                            })));
  if (s.ess != TokenSpec::Ess::kNone) attrs.push_back(EssAttribute(s, tsa));
  Writer set_writer;
  set_writer.AddSetOf(attrs);
  Bytes signed_set = std::move(set_writer).Finish();  // DER(SET OF Attribute): what is signed
  Bytes signature = key.Sign(signed_set).value();
  if (s.raw_rs) signature = crypto::Sm2DerToRaw(signature).value();
  Bytes signed_attrs = signed_set;
  signed_attrs[0] = 0xA0;  // [0] IMPLICIT in the SignerInfo
  if (s.tamper_tst_info) tst = TstInfoDer(s, tsa, true);

  Bytes signer_info = Encode([&](Writer& w) {
    w.AddSequence([&](Writer& si) {
      si.AddInt64(1);
      si.AddSequence([&](Writer& ias) {
        ias.AddRaw(tsa.issuer().der());
        ias.AddUnsignedInteger(tsa.serial());
      });
      si.AddSequence([&](Writer& a) { a.AddOid(MustOid(s.signer_digest_oid)); });
      si.AddRaw(signed_attrs);
      si.AddSequence([&](Writer& a) { a.AddOid(MustOid(s.signature_oid)); });
      si.AddOctetString(signature);
    });
  });
  return Encode([&](Writer& w) {
    w.AddSequence([&](Writer& ci) {
      ci.AddOid(MustOid(s.outer_oid));
      ci.AddConstructed(ContextTag(0, true), [&](Writer& e) {
        e.AddSequence([&](Writer& sd) {
          sd.AddInt64(3);
          sd.AddSet([&](Writer& algs) {
            algs.AddSequence([&](Writer& a) { a.AddOid(MustOid(s.signer_digest_oid)); });
          });
          sd.AddSequence([&](Writer& eci) {
            eci.AddOid(MustOid(s.econtent_oid));
            eci.AddConstructed(ContextTag(0, true), [&](Writer& c) { c.AddOctetString(tst); });
          });
          if (s.include_cert || s.filler_certificates > 0) {
            sd.AddConstructed(ContextTag(0, true), [&](Writer& certs) {
              if (s.include_cert) certs.AddRaw(tsa.der());
              static const Bytes kEmptySequence = {0x30, 0x00};
              for (size_t i = 0; i < s.filler_certificates; ++i) certs.AddRaw(kEmptySequence);
            });
          }
          sd.AddSet([&](Writer& sis) {
            for (int i = 0; i < s.signer_infos; ++i) sis.AddRaw(signer_info);
          });
        });
      });
    });
  });
}

}  // namespace eseal::tsp::testing
