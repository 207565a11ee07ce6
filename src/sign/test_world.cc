#include "test_world.h"

#include <gtest/gtest.h>

#include "eseal/base/file.h"
#include "eseal/sealimg/seal_image.h"
#include "eseal/ses/make.h"
#include "eseal/x509/builder.h"
#include "eseal/x509/ca.h"

namespace eseal::sign::testing {
namespace {

Time T(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return FromCivil(CivilTime{y, mo, d, h, mi, s}).value();
}

x509::Certificate Issue(const x509::Name& issuer, const crypto::Sm2Signer& issuer_key,
                        std::string_view subject, const crypto::Sm2PublicKey& key, bool ca,
                        uint8_t serial, std::vector<asn1::Oid> policies = {}) {
  x509::CertificateParams p;
  p.serial = {0x42, serial};
  p.issuer = issuer;
  p.subject = x509::Name::Parse(subject).value();
  p.not_before = T(2026, 1, 1);
  p.not_after = T(2036, 1, 1);
  p.spki_der = key.ToSpkiDer();
  if (ca) {
    p.basic_constraints = x509::BasicConstraintsParams{true, std::nullopt, true};
    p.key_usage = x509::kKeyCertSign | x509::kCrlSign;
  } else {
    p.key_usage = x509::kDigitalSignature | x509::kNonRepudiation;
  }
  p.policies = std::move(policies);
  p.subject_key_id = x509::KeyIdentifier(key);
  p.authority_key_id = x509::KeyIdentifier(issuer_key.PublicKey());
  return x509::Certificate::FromDer(x509::BuildCertificate(p, issuer_key).value()).value();
}

}  // namespace

World MakeWorld(ses::Version version) {
  auto gen = [] { return crypto::Sm2PrivateKey::Generate().value(); };
  World w{gen(), gen(), gen(), {}, {}, {}, {}, {}};
  x509::Name root_name = x509::Name::Parse("C=CN,O=eseal test,CN=eseal test root").value();
  w.root = Issue(root_name, w.root_key, "C=CN,O=eseal test,CN=eseal test root",
                 w.root_key.PublicKey(), true, 1);
  w.maker = Issue(root_name, w.root_key, "C=CN,O=eseal test,CN=Test Seal Maker",
                  w.maker_key.PublicKey(), false, 2, {x509::SealMakerPolicy()});
  w.signer = Issue(root_name, w.root_key, "C=CN,O=南宁市某某科技有限公司,CN=南宁市某某科技有限公司",
                   w.signer_key.PublicKey(), false, 3, {x509::SignerPolicy()});
  ses::SealSpec spec;
  spec.version = version;
  spec.vid = "ESEAL";
  spec.esid = "4501000000000001";
  spec.type = ses::kTypeContract;
  spec.name = "南宁市某某科技有限公司";
  spec.signer_certs = {w.signer.der()};
  spec.create_date = T(2026, 1, 1);
  spec.valid_start = T(2026, 1, 1);
  spec.valid_end = T(2030, 1, 1);
  sealimg::SealText text;
  text.name = spec.name;
  text.code = "4501000000000001";
  spec.picture.type = "PNG";
  spec.picture.data = sealimg::RenderPng(sealimg::Kind::kContract, text, 150).value();
  spec.picture.width_mm = 40;
  spec.picture.height_mm = 40;
  w.seal = ses::MakeSeal(spec, w.maker.der(), w.maker_key).value();
  w.sign_time = T(2026, 11, 23, 9, 30, 35);
  return w;
}

OfdSignRequest Request(const World& w, ByteView doc) {
  OfdSignRequest r;
  r.document = doc;
  r.seal = &w.seal;
  r.signer_cert_der = w.signer.der();
  r.signer = &w.signer_key;
  r.time = w.sign_time;
  return r;
}

std::string Shared(const std::string& rel) { return std::string(ESEAL_SHARED_TESTDATA) + "/" + rel; }
std::string Own(const std::string& rel) { return std::string(ESEAL_TESTDATA) + "/" + rel; }

Bytes MustRead(const std::string& path) {
  auto b = ReadFile(path);
  EXPECT_TRUE(b.ok()) << path << ": " << b.status().ToString();
  return b.ok() ? *b : Bytes{};
}

}  // namespace eseal::sign::testing
