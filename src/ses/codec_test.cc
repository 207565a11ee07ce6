// Golden tests of the SES codec on real seals and signatures from ofdrw and vendors
// (../shared/testdata/ofdrw): everything parses, and re-encoding gives the same bytes.
#include <gtest/gtest.h>

#include <filesystem>

#include "eseal/base/file.h"
#include "eseal/ses/seal.h"
#include "eseal/ses/signature.h"

namespace eseal::ses {
namespace {

const std::string kData = std::string(ESEAL_SHARED_TESTDATA) + "/ofdrw/";

Bytes Load(const std::string& rel) {
  auto b = ReadFile(kData + rel);
  EXPECT_TRUE(b.ok()) << rel << ": " << b.status().ToString();
  return b.ok() ? *b : Bytes{};
}

struct SealCase {
  const char* file;
  Version version;
  const char* esid;
  const char* name;
  int64_t type;
  size_t certs;
  bool ext;
};

class SealGoldenTest : public ::testing::TestWithParam<SealCase> {};

TEST_P(SealGoldenTest, ParsesAndReencodesIdentically) {
  const SealCase& c = GetParam();
  Bytes der = Load(std::string("seals/") + c.file);
  auto seal = ParseSeal(der);
  ASSERT_TRUE(seal.ok()) << seal.status().ToString();
  EXPECT_EQ(seal->version, c.version);
  EXPECT_EQ(seal->info.header.id, "ES");
  EXPECT_EQ(seal->info.esid, c.esid);
  EXPECT_EQ(seal->info.property.name, c.name);
  EXPECT_EQ(seal->info.property.type, c.type);
  EXPECT_EQ(seal->info.property.certs.size(), c.certs);
  EXPECT_EQ(seal->info.ext_datas.has_value(), c.ext);
  EXPECT_FALSE(seal->maker_cert.empty());
  EXPECT_EQ(seal->signature_algorithm.ToString(), "1.2.156.10197.1.501");
  EXPECT_EQ(seal->der, der);
  EXPECT_EQ(EncodeSeal(*seal), der) << "re-encoding must be byte-identical";
  EXPECT_EQ(EncodeSealInfo(*seal), seal->info_der);
}

INSTANTIATE_TEST_SUITE_P(
    Seals, SealGoldenTest,
    ::testing::Values(
        SealCase{"UserV1.esl", Version::kV1, "40C8CDD24DEF43388B86E62CCE1D6832", "OFDRW测试用印章", 1,
                 1, false},
        SealCase{"UserV4.esl", Version::kV4, "51f044b76510434e9bc67a1185c2fba5",
                 "OFD R&W 测试用印章", 3, 1, false},
        SealCase{"UserV5.esl", Version::kV5, "09aaf39291e049e4b3d716414590937e",
                 "OFD R&W V5测试用印章", 3, 1, false},
        SealCase{"UserV5_ts.esl", Version::kV5, "55a4a957189a48f596706fb431e962c5",
                 "OFD R&W V5测试用印章", 3, 1, false},
        SealCase{"SESealData.DER", Version::kV4, "esID130600", "测试单位名称 合同专用章", 4, 2,
                 true}));

TEST(SealGoldenTest, HebeiGedeExtensionsKeepCriticalFlags) {
  auto seal = ParseSeal(Load("seals/SESealData.DER"));
  ASSERT_TRUE(seal.ok());
  ASSERT_EQ(seal->info.ext_datas->size(), 3u);
  EXPECT_FALSE((*seal->info.ext_datas)[0].critical);
  EXPECT_TRUE((*seal->info.ext_datas)[1].critical);
  EXPECT_EQ((*seal->info.ext_datas)[1].id.ToString(), "1.2.156.112600.7.2");
  EXPECT_EQ(seal->info.picture.type, "GIF");
  EXPECT_EQ(seal->info.picture.width_mm, 42);
}

TEST(SealGoldenTest, V5TimestampIsRead) {
  auto seal = ParseSeal(Load("seals/UserV5_ts.esl"));
  ASSERT_TRUE(seal.ok());
  ASSERT_TRUE(seal->timestamp.has_value());
  EXPECT_EQ(HexEncode(*seal->timestamp), "010203");
}

// Every SES value in extracted/ and ses-values/.
struct SigCase {
  const char* file;
  Version version;
  const char* vid;
  const char* property_info;
};

class SignatureGoldenTest : public ::testing::TestWithParam<SigCase> {};

TEST_P(SignatureGoldenTest, ParsesAndReencodesIdentically) {
  const SigCase& c = GetParam();
  Bytes der = Load(c.file);
  auto sig = ParseSignature(der);
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  EXPECT_EQ(sig->version, c.version);
  EXPECT_EQ(sig->tbs.seal.info.header.vid, c.vid);
  EXPECT_EQ(sig->tbs.property_info, c.property_info);
  EXPECT_EQ(sig->tbs.data_hash.size(), 32u);
  EXPECT_FALSE(SignerCertificate(*sig).empty());
  EXPECT_EQ(EncodeSignature(*sig), der) << "re-encoding must be byte-identical";
  EXPECT_EQ(EncodeTbsSign(*sig), sig->tbs_der);
  EXPECT_EQ(EncodeSeal(sig->tbs.seal), sig->tbs.seal.der);
  if (sig->version != Version::kV1) {
    EXPECT_EQ(sig->tbs.version, static_cast<int>(c.version));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Values, SignatureGoldenTest,
    ::testing::Values(
        SigCase{"extracted/gomain-v4-invoice/SignedValue.dat", Version::kV4, "GOMAIN",
                "/Doc_0/Signs/Sign_0/Signature.xml"},
        SigCase{"extracted/antchain-v4/SignedValue.dat", Version::kV4, "antchain",
                "/Doc_0/Signs/Sign_0/Signature.xml"},
        SigCase{"extracted/dianju-v4/SignValue.dat", Version::kV4, "dianju",
                "/Doc_0/Signs/Sign_0/Signature.xml"},
        SigCase{"extracted/oesplugin-v4-raw-rs/SignedValue.dat", Version::kV4,
                "SHANDONG.TONGZHIWEIYE", "/Doc_0/Signs/Sign_1/Signature.xml"},
        SigCase{"extracted/ofdrw-v1/SignedValue.dat", Version::kV1, "OFDR&WTest",
                "/Doc_0/Signs/Sign_0/Signature.xml"},
        SigCase{"extracted/ofdrw-v4/SignedValue.dat", Version::kV4, "OFDR&WTest",
                "/Doc_0/Signs/Sign_0/Signature.xml"},
        SigCase{"extracted/ofdrw-v5/SignedValue.dat", Version::kV5, "OFDR&WTestV5",
                "/Doc_0/Signs/Sign_0/Signature.xml"},
        SigCase{"ses-values/SignedValueV4.dat", Version::kV4, "OFDR&WTest",
                "/Doc_0/Signs/Sign_0/Signature.xml"},
        SigCase{"ses-values/SignedValueV5.dat", Version::kV5, "OFDR&WTestV5",
                "/Doc_0/Signs/Sign_0/Signature.xml"}));

TEST(SignatureGoldenTest, V1TimeInfoIsAsciiChinaTime) {
  auto sig = ParseSignature(Load("extracted/ofdrw-v1/SignedValue.dat"));
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->tbs.v1_time_format, V1TimeFormat::kAsciiDateTime);
  EXPECT_EQ(ToString(sig->tbs.v1_time_info).size(), 19u);
}

TEST(SignatureGoldenTest, OesPluginSignatureIsRawRs) {
  auto sig = ParseSignature(Load("extracted/oesplugin-v4-raw-rs/SignedValue.dat"));
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->signature.size(), 64u);
  // Its Seal.esl is the embedded seal, byte for byte.
  EXPECT_EQ(Load("extracted/oesplugin-v4-raw-rs/Seal.esl"), sig->tbs.seal.der);
}

TEST(SesCodecTest, RejectsWhatIsNotASeal) {
  EXPECT_FALSE(ParseSeal(Bytes{}).ok());
  EXPECT_FALSE(ParseSeal(Bytes{0x30, 0x00}).ok());
  EXPECT_FALSE(ParseSeal(Bytes{0x30, 0x03, 0x02, 0x01, 0x05}).ok());
  Bytes der = Load("seals/UserV4.esl");
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_FALSE(ParseSeal(trailing).ok());
  Bytes truncated(der.begin(), der.end() - 1);
  EXPECT_FALSE(ParseSeal(truncated).ok());
  // A signature is not a seal and vice versa, with a message that says so.
  auto wrong = ParseSignature(der);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("SES_Signature"), std::string::npos);
}

}  // namespace
}  // namespace eseal::ses
