// ExtendPdf's DSS gathers the certificates the document's own signatures carry: a
// GB/T 35275 SignedData's certificates and its signature timestamp's TSA certificate; an
// SES_Signature's signer certificate, its seal's maker certificate and its timestamp's
// TSA certificate — read back with pdf::Document::dss(). Verification of the result is
// in src/verify/pdf_ltv_test.cc.
#include "eseal/sign/pdf_extend.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "eseal/base/clock.h"
#include "eseal/crypto/random.h"
#include "eseal/pdf/document.h"
#include "eseal/sign/pdf_signer.h"
#include "eseal/tsp/authority.h"
#include "test_pdfs.h"
#include "test_token.h"
#include "test_world.h"

namespace eseal::sign {
namespace {

bool Holds(const std::vector<Bytes>& v, const Bytes& der) {
  return std::find(v.begin(), v.end(), der) != v.end();
}

TEST(ExtendPdf, TheDssHoldsTheCertificatesTheSignaturesCarry) {
  const testing::World w = testing::MakeWorld();
  const tsp::testing::Pki pki = tsp::testing::MakePki();
  FixedClock clock(w.sign_time + std::chrono::seconds(20));
  tsp::RandomSerialSource serials(crypto::SystemRng());
  auto tsa = tsp::TimestampAuthority::Create(std::make_shared<crypto::Sm2PrivateKey>(pki.tsa_key),
                                             pki.tsa, {}, clock, serials);
  ASSERT_TRUE(tsa.ok()) << tsa.status().ToString();
  const Bytes doc = pdf::testing::ClassicPdf(1);
  for (PdfSignatureFormat format : {PdfSignatureFormat::kSes, PdfSignatureFormat::kCms}) {
    const bool ses = format == PdfSignatureFormat::kSes;
    SCOPED_TRACE(ses ? "ses" : "cms");
    PdfSignRequest r;
    r.document = doc;
    r.seal = &w.seal;
    r.signer_cert_der = w.signer.der();
    r.signer = &w.signer_key;
    r.time = w.sign_time;
    r.format = format;
    r.timestamper = LocalTimestamper(*tsa);
    auto signed_pdf = SignPdf(r);
    ASSERT_TRUE(signed_pdf.ok()) << signed_pdf.status().ToString();

    PdfExtendRequest e;
    e.document = signed_pdf->document;
    e.certificates = {w.root.der()};
    auto out = ExtendPdf(e);  // no timestamper: the DSS only
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_TRUE(out->field_name.empty());
    EXPECT_TRUE(out->token.empty());
    auto read = pdf::Document::Open(out->document);
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    const std::vector<Bytes>& certs = read->dss().certs;
    EXPECT_TRUE(Holds(certs, w.signer.der()));
    EXPECT_TRUE(Holds(certs, pki.tsa.der()));
    EXPECT_TRUE(Holds(certs, w.root.der()));
    EXPECT_EQ(Holds(certs, w.maker.der()), ses) << "the maker certificate comes with the seal";
    EXPECT_EQ(out->certs_added, ses ? 4u : 3u);
    EXPECT_EQ(read->signatures().size(), 1u);

    // Without the document's certificates only the caller's go in.
    e.include_document_certificates = false;
    auto own = ExtendPdf(e);
    ASSERT_TRUE(own.ok()) << own.status().ToString();
    auto read_own = pdf::Document::Open(own->document);
    ASSERT_TRUE(read_own.ok());
    EXPECT_EQ(read_own->dss().certs, std::vector<Bytes>{w.root.der()});
  }
}

}  // namespace
}  // namespace eseal::sign
