// Type="Sign" (GB/T 35275 SignedData) with the CMS signature-timestamp attribute
// (id-aa-signatureTimeStampToken, 1.2.840.113549.1.9.16.2.14): the token over the
// SignerInfo's signature value proves when the document was signed, so a key compromise
// after it does not count against the signature; without it the compromise does. The token
// comes from the tsp tests' independent writer; the attribute is added to an honest
// eseal-signed document by hand here.
#include <gtest/gtest.h>

#include "eseal/ofd/package.h"
#include "eseal/ofd/package_writer.h"
#include "eseal/sign/ofd_signer.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/x509/signed_data.h"
#include "test_policy.h"
#include "test_token.h"
#include "test_world.h"

namespace eseal::verify {
namespace {

using sign::testing::MakeWorld;
using sign::testing::MustRead;
using sign::testing::Request;
using sign::testing::Shared;
using sign::testing::World;

// DER by hand: [1] IMPLICIT SET OF Attribute { OID, SET { token } }.
Bytes Tlv(uint8_t tag, const Bytes& content) {
  Bytes out{tag};
  if (content.size() < 0x80) {
    out.push_back(static_cast<uint8_t>(content.size()));
  } else {
    Bytes len;
    for (size_t v = content.size(); v > 0; v >>= 8) len.insert(len.begin(), static_cast<uint8_t>(v & 0xff));
    out.push_back(static_cast<uint8_t>(0x80 | len.size()));
    out.insert(out.end(), len.begin(), len.end());
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}
Bytes TimestampAttribute(const Bytes& token) {
  const Bytes oid = {0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x0e};
  Bytes attr = oid;
  Bytes set = Tlv(0x31, token);
  attr.insert(attr.end(), set.begin(), set.end());
  return Tlv(0xa1, Tlv(0x30, attr));
}

struct Fixture {
  World w = MakeWorld();
  tsp::testing::Pki tsa = tsp::testing::MakePki();
  Bytes plain;  // signed, no token
  Bytes stamped;

  Fixture() {
    const Bytes unsigned_doc = MustRead(Shared("ofdrw/unsigned/helloworld.ofd"));
    sign::OfdSignRequest r = Request(w, unsigned_doc);  // holds a view of it
    r.type = sign::SignatureType::kSign;
    r.seal = nullptr;
    auto signed_doc = sign::SignOfd(r);
    EXPECT_TRUE(signed_doc.ok()) << signed_doc.status().ToString();
    plain = signed_doc->document;
    auto pkg = ofd::Package::Open(plain).value();
    std::string value_path;
    for (const std::string& p : pkg.FilePaths()) {
      if (p.ends_with("SignedValue.dat")) value_path = p;
    }
    auto parsed = x509::ParseSignedData(pkg.Read(value_path).value());
    EXPECT_TRUE(parsed.ok()) << value_path << ": " << parsed.status().ToString();
    x509::SignedData sd = *parsed;
    tsp::testing::TokenSpec t;
    t.stamped = sd.signer_infos.at(0).encrypted_digest;
    t.gen_time = "20261123093100Z";  // half a minute after the world's signing time
    sd.signer_infos.at(0).unauthenticated_attributes_der =
        TimestampAttribute(tsp::testing::MakeToken(t, tsa.tsa, tsa.tsa_key));
    ofd::PackageWriter pw(pkg);
    EXPECT_TRUE(pw.Put(value_path, x509::EncodeSignedData(sd), ofd::PackageWriter::Compression::kStore).ok());
    stamped = pw.Write().value();
  }

  OfdVerifyOptions Options() const { return testing::WorldWithTsa(w, tsa, /*compromised=*/true); }
};

const Fixture& F() {
  static const Fixture* f = new Fixture;
  return *f;
}

TEST(OfdSignTimestamp, TokenBeforeTheCompromiseKeepsTheSignatureValid) {
  auto v = VerifyOfd(F().stamped, F().Options());
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->verdict(), Verdict::kPassed) << OfdVerificationToText(*v, true);
  EXPECT_EQ(testing::TimeSource(*v), "timestamp");
  EXPECT_EQ(v->signatures.at(0).report.ResultOf("signer.cert.revocation"), CheckResult::kPass);
}

TEST(OfdSignTimestamp, WithoutTheTokenTheCompromiseCounts) {
  auto v = VerifyOfd(F().plain, F().Options());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->verdict(), Verdict::kFailed) << OfdVerificationToText(*v, true);
  EXPECT_EQ(v->signatures.at(0).report.FailedIds(), std::vector<std::string>{"signer.cert.revocation"});
  EXPECT_EQ(testing::TimeSource(*v), "verification_time");
}

}  // namespace
}  // namespace eseal::verify
