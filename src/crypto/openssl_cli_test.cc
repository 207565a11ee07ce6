// Differential tests against the `openssl` command line (OpenSSL 3): the same inputs go
// through our code and through the CLI, and the answers must agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "eseal/crypto/key_protection.h"
#include "eseal/crypto/sm2.h"
#include "eseal/crypto/sm3.h"
#include "eseal/crypto/sm4.h"
#include "test_util.h"

namespace eseal::crypto {
namespace {

using testing::Hex;
using testing::Quote;
using testing::ReadBytes;
using testing::RunCommand;
using testing::TempDir;
using testing::WriteBytes;

constexpr char kDistId[] = "-pkeyopt distid:1234567812345678";

class OpenSslCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = RunCommand("openssl version");
    if (r.exit_code != 0 || r.output.find("OpenSSL 3") == std::string::npos) {
      GTEST_SKIP() << "openssl 3 command line not available: " << r.output;
    }
  }
  TempDir dir_;
  std::string F(const std::string& name) { return Quote(dir_.File(name)); }
};

// Keeps the hex digits of CLI output such as "AF:56:..." or "SM3(f)= abcd".
std::string HexOnly(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

Bytes Pattern(size_t n, uint8_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + i * 31 + (i >> 8));
  return b;
}

TEST_F(OpenSslCliTest, OpensslVerifiesOurSignatures) {
  auto key = Sm2PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  Bytes msg = Pattern(1000, 3);
  auto sig = key->Sign(msg);
  ASSERT_TRUE(sig.ok());
  WriteBytes(dir_.File("pub.pem"), AsBytes(key->PublicKey().ToPem()));
  WriteBytes(dir_.File("msg"), msg);
  WriteBytes(dir_.File("sig"), *sig);
  std::string verify = "openssl pkeyutl -verify -pubin -inkey " + F("pub.pem") +
                       " -rawin -digest sm3 -in " + F("msg") + " -sigfile " + F("sig");
  auto ok = RunCommand(verify + " " + kDistId);
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("Signature Verified Successfully"), std::string::npos) << ok.output;
  // Without the ID OpenSSL hashes an empty one: the signature must not verify.
  auto no_id = RunCommand(verify);
  EXPECT_NE(no_id.exit_code, 0) << no_id.output;
  // A changed message does not verify either.
  msg[0] ^= 1;
  WriteBytes(dir_.File("msg"), msg);
  auto bad = RunCommand(verify + " " + kDistId);
  EXPECT_NE(bad.exit_code, 0) << bad.output;
}

TEST_F(OpenSslCliTest, WeVerifyOpensslSignatures) {
  auto key = Sm2PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  WriteBytes(dir_.File("key.pem"), key->ToPem().view());
  Bytes msg = Pattern(333, 7);
  WriteBytes(dir_.File("msg"), msg);
  std::string sign = "openssl pkeyutl -sign -inkey " + F("key.pem") + " -rawin -digest sm3 -in " +
                     F("msg") + " -out " + F("sig");
  auto r = RunCommand(sign + " " + kDistId);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  Bytes sig = ReadBytes(dir_.File("sig"));
  EXPECT_TRUE(key->PublicKey().Verify(msg, sig));
  Bytes other = msg;
  other.back() ^= 0x80;
  EXPECT_FALSE(key->PublicKey().Verify(other, sig));

  // Signed under another ID: only that ID verifies.
  r = RunCommand(sign + " -pkeyopt distid:ALICE123@YAHOO.COM");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  sig = ReadBytes(dir_.File("sig"));
  EXPECT_FALSE(key->PublicKey().Verify(msg, sig));
  EXPECT_TRUE(key->PublicKey().Verify(msg, sig, "ALICE123@YAHOO.COM"));
}

TEST_F(OpenSslCliTest, WeReadKeysOpensslGenerates) {
  // genpkey writes PKCS#8; `ecparam -genkey` writes SM2 PARAMETERS + PKCS#8; `ec` writes
  // SEC1 labelled "SM2 PRIVATE KEY".
  auto r = RunCommand("openssl genpkey -algorithm SM2 -out " + F("k1.pem") +
                      " && openssl ecparam -name SM2 -genkey -out " + F("k2.pem") +
                      " && openssl ec -in " + F("k2.pem") + " -out " + F("k3.pem"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* name : {"k1.pem", "k2.pem", "k3.pem"}) {
    std::string pem = ToString(ReadBytes(dir_.File(name)));
    auto key = LoadPrivateKeyPem(pem, {}, nullptr);
    ASSERT_TRUE(key.ok()) << name << ": " << key.status().ToString() << "\n" << pem.substr(0, 40);
    auto pub = RunCommand("openssl pkey -in " + F(name) + " -pubout -out " + F("pub.pem"));
    ASSERT_EQ(pub.exit_code, 0) << pub.output;
    auto theirs = Sm2PublicKey::FromPem(ToString(ReadBytes(dir_.File("pub.pem"))));
    ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
    EXPECT_EQ(*theirs, key->PublicKey()) << name;
  }
}

TEST_F(OpenSslCliTest, OpensslReadsOurKeyFiles) {
  auto key = Sm2PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  WriteBytes(dir_.File("key.pem"), key->ToPem().view());
  auto r = RunCommand("openssl pkey -in " + F("key.pem") + " -pubout");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, key->PublicKey().ToPem());
  auto text = RunCommand("openssl pkey -in " + F("key.pem") + " -noout -text");
  EXPECT_NE(text.output.find("SM2"), std::string::npos) << text.output;
}

TEST_F(OpenSslCliTest, Sm3MatchesDgst) {
  for (size_t n : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 1000u, 100000u}) {
    Bytes data = Pattern(n, static_cast<uint8_t>(n));
    WriteBytes(dir_.File("data"), data);
    auto r = RunCommand("openssl dgst -sm3 -r " + F("data"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output.substr(0, 64), HexEncode(ByteView(Sm3::Hash(data)))) << n;
  }
}

TEST_F(OpenSslCliTest, HmacSm3MatchesMac) {
  for (size_t key_len : {1u, 16u, 32u, 64u, 65u, 200u}) {
    Bytes key = Pattern(key_len, 0x11);
    Bytes data = Pattern(key_len * 3 + 1, 0x22);
    WriteBytes(dir_.File("data"), data);
    auto r = RunCommand("openssl mac -digest SM3 -macopt hexkey:" + HexEncode(key) + " -in " +
                        F("data") + " HMAC");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(HexOnly(r.output), HexEncode(ByteView(HmacSm3(key, data)))) << key_len;
  }
}

TEST_F(OpenSslCliTest, Pbkdf2MatchesKdf) {
  struct Case {
    std::string password, salt;
    uint32_t iterations;
    size_t length;
  } cases[] = {{"password", "salt", 1, 32},
               {"password", "salt", 1000, 32},
               {"pässwörd with spaces", "0123456789abcdef", 4096, 64},
               {"x", "s", 3, 17}};
  for (const auto& c : cases) {
    auto ours = Pbkdf2HmacSm3(AsBytes(c.password), AsBytes(c.salt), c.iterations, c.length);
    ASSERT_TRUE(ours.ok());
    auto r = RunCommand("openssl kdf -keylen " + std::to_string(c.length) +
                        " -kdfopt digest:SM3 -kdfopt hexpass:" + HexEncode(AsBytes(c.password)) +
                        " -kdfopt hexsalt:" + HexEncode(AsBytes(c.salt)) +
                        " -kdfopt iter:" + std::to_string(c.iterations) + " PBKDF2");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(HexOnly(r.output), HexEncode(ours->view())) << c.iterations;
  }
}

TEST_F(OpenSslCliTest, Sm4CbcMatchesEnc) {
  Bytes key = Hex("0123456789abcdeffedcba9876543210");
  Bytes iv = Hex("000102030405060708090a0b0c0d0e0f");
  for (size_t n : {0u, 1u, 15u, 16u, 17u, 100u, 4096u}) {
    Bytes pt = Pattern(n, 5);
    WriteBytes(dir_.File("pt"), pt);
    auto r = RunCommand("openssl enc -sm4-cbc -K " + HexEncode(key) + " -iv " + HexEncode(iv) +
                        " -in " + F("pt") + " -out " + F("ct"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    Bytes theirs = ReadBytes(dir_.File("ct"));
    auto ours = Sm4CbcEncrypt(key, iv, pt);
    ASSERT_TRUE(ours.ok());
    EXPECT_EQ(HexEncode(*ours), HexEncode(theirs)) << n;
    auto back = Sm4CbcDecrypt(key, iv, theirs);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, pt);
  }
}

TEST_F(OpenSslCliTest, Sm4CtrMatchesEnc) {
  Bytes key = Hex("00112233445566778899aabbccddeeff");
  for (const char* iv_hex : {"000102030405060708090a0b0c0d0e0f", "fffffffffffffffffffffffffffffffe",
                             "00000000000000fffffffffffffffffe"}) {
    Bytes iv = Hex(iv_hex);
    Bytes pt = Pattern(100, 9);
    WriteBytes(dir_.File("pt"), pt);
    auto r = RunCommand("openssl enc -sm4-ctr -K " + HexEncode(key) + " -iv " + iv_hex + " -in " +
                        F("pt") + " -out " + F("ct"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    auto ours = Sm4Ctr(key, iv, pt);
    ASSERT_TRUE(ours.ok());
    EXPECT_EQ(HexEncode(*ours), HexEncode(ReadBytes(dir_.File("ct")))) << iv_hex;
  }
}

}  // namespace
}  // namespace eseal::crypto
