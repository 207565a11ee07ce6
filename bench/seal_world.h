// What the SES and OFD benchmarks sign with: an SM2 root, a seal maker and a signer under
// it, and a v4 contract seal whose picture is rendered at 300 dpi, as the platform makes
// them (src/platform/lifecycle.cc), so that the seal — and every DER(TBS_Sign) and signed
// package that embeds it — has its real size. Setup failures abort: a benchmark with a
// broken world must not report.
// Thread-safety: built once, then read-only.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "eseal/base/result.h"
#include "eseal/base/time.h"
#include "eseal/crypto/sm2.h"
#include "eseal/sealimg/seal_image.h"
#include "eseal/ses/make.h"
#include "eseal/ses/seal.h"
#include "eseal/x509/builder.h"
#include "eseal/x509/certificate.h"

namespace eseal::bench {

template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "bench setup failed: %s\n", r.status().ToString().c_str());
    std::abort();
  }
  return *std::move(r);
}

inline Time Day(int y, int m, int d) { return Must(FromCivil(CivilTime{y, m, d, 0, 0, 0})); }

inline x509::Certificate IssueBenchCertificate(const x509::Name& issuer, const crypto::Sm2Signer& key,
                                               const std::string& subject, const crypto::Sm2PublicKey& pub,
                                               bool ca, uint8_t serial) {
  x509::CertificateParams p;
  p.serial = {0x22, serial};
  p.issuer = issuer;
  p.subject = Must(x509::Name::Parse(subject));
  p.not_before = Day(2026, 1, 1);
  p.not_after = Day(2036, 1, 1);
  p.spki_der = pub.ToSpkiDer();
  if (ca) {
    p.basic_constraints = x509::BasicConstraintsParams{true, std::nullopt, true};
    p.key_usage = x509::kKeyCertSign | x509::kCrlSign;
  } else {
    p.key_usage = x509::kDigitalSignature | x509::kNonRepudiation;
  }
  return Must(x509::Certificate::FromDer(Must(x509::BuildCertificate(p, key))));
}

struct SealWorld {
  crypto::Sm2PrivateKey root_key = Must(crypto::Sm2PrivateKey::Generate());
  crypto::Sm2PrivateKey maker_key = Must(crypto::Sm2PrivateKey::Generate());
  crypto::Sm2PrivateKey signer_key = Must(crypto::Sm2PrivateKey::Generate());
  x509::Certificate root, maker, signer;
  ses::Seal seal;

  // `label` names the certificates ("<label> root" ...); `esid` is the seal's code.
  void Make(const std::string& label, const std::string& esid) {
    const std::string dn = "C=CN,O=bench,CN=" + label;
    x509::Name root_name = Must(x509::Name::Parse(dn + " root"));
    root = IssueBenchCertificate(root_name, root_key, dn + " root", root_key.PublicKey(), true, 1);
    maker = IssueBenchCertificate(root_name, root_key, dn + " maker", maker_key.PublicKey(), false, 2);
    signer = IssueBenchCertificate(root_name, root_key, dn + " signer", signer_key.PublicKey(), false, 3);
    ses::SealSpec spec;
    spec.esid = esid;
    spec.name = "南宁市某某科技有限公司";
    spec.type = ses::kTypeContract;
    spec.signer_certs = {signer.der()};
    spec.create_date = spec.valid_start = Day(2026, 1, 1);
    spec.valid_end = Day(2030, 1, 1);
    sealimg::SealText text;
    text.name = spec.name;
    spec.picture = ses::Picture{"PNG", Must(sealimg::RenderPng(sealimg::Kind::kContract, text, 300)), 40, 40};
    seal = Must(ses::MakeSeal(spec, maker.der(), maker_key));
  }
};

}  // namespace eseal::bench
