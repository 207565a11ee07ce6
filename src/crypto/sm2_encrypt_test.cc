// SM2 encryption (sm2_encrypt.h) against what did not come from it: a ciphertext made by
// another implementation on the recommended curve (a known answer), and the `openssl`
// command line decrypting ours and encrypting for us. Then the refusals the vendor key
// copies rely on: another key, a changed byte, sizes out of range.
#include "eseal/crypto/sm2_encrypt.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace eseal::crypto {
namespace {

using testing::Hex;
using testing::Quote;
using testing::ReadBytes;
using testing::RunCommand;
using testing::TempDir;
using testing::WriteBytes;

// A DER INTEGER (non-negative, at most 127 bytes) or OCTET STRING, written here by hand so
// the known answer does not go through the code under test.
Bytes Tlv(uint8_t tag, Bytes v) {
  if (tag == 0x02) {
    while (v.size() > 1 && v[0] == 0 && v[1] < 0x80) v.erase(v.begin());
    if (v[0] >= 0x80) v.insert(v.begin(), 0);
  }
  Bytes out{tag, static_cast<uint8_t>(v.size())};
  out.insert(out.end(), v.begin(), v.end());
  return out;
}

Bytes Gmt0009(const Bytes& x, const Bytes& y, const Bytes& c3, const Bytes& c2) {
  Bytes body;
  for (const Bytes& part : {Tlv(0x02, x), Tlv(0x02, y), Tlv(0x04, c3), Tlv(0x04, c2)}) {
    body.insert(body.end(), part.begin(), part.end());
  }
  Bytes out{0x30, static_cast<uint8_t>(body.size())};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// The SM2 encryption self-test vector of a hardware vendor's SDK (MH1903S, sm2_self_test.c):
// recommended curve, key d, 16-byte message, ciphertext C1 = (x, y), C3, C2.
constexpr char kD[] = "C46841E769D7F6A7599046C029900CB6D47BBD54BE83AF50284584BC1E390BF9";
constexpr char kPub[] =
    "041CDFD6D0375D84164EA5CBCD929874F19384743E20407EF1CCFDC07D960643F7"
    "F0053CCD7FE91230A12003A084964928DE12DC97E6F51F2B46C43935DB9F7857";
constexpr char kMessage[] = "115960C5598A2797C2D02D76D468CDC9";
constexpr char kC1x[] = "70342F90FA3213647483B18B6974187F9D16F73CBFBECCF88CF57388C0C663E5";
constexpr char kC1y[] = "CD73A4460987F928ABCD184C0196B55B97E535A45E841BAA62C73B7B81CF31F4";
constexpr char kC3[] = "A4EEE1AF44C46E32977A14BE98C2606BAFFA7A0BA0391A64BC549920357939E8";
constexpr char kC2[] = "64B7FCC88FFC327247A49B36872131A7";

TEST(Sm2EncryptTest, DecryptsAnotherImplementationsCiphertext) {
  auto key = Sm2PrivateKey::FromScalar(Hex(kD));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  ASSERT_EQ(key->PublicKey().Point(), Hex(kPub));
  auto m = Sm2Decrypt(*key, Gmt0009(Hex(kC1x), Hex(kC1y), Hex(kC3), Hex(kC2)));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(Bytes(m->view().begin(), m->view().end()), Hex(kMessage));
}

TEST(Sm2EncryptTest, RefusesAnotherKeyAndEveryChangedByte) {
  auto key = Sm2PrivateKey::Generate();
  auto other = Sm2PrivateKey::Generate();
  ASSERT_TRUE(key.ok() && other.ok());
  Bytes secret = Hex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
  auto c = Sm2Encrypt(key->PublicKey(), secret);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto again = Sm2Encrypt(key->PublicKey(), secret);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*c, *again) << "a fresh k every time";

  auto m = Sm2Decrypt(*key, *c);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(Bytes(m->view().begin(), m->view().end()), secret);
  EXPECT_EQ(Sm2Decrypt(*other, *c).status().code(), StatusCode::kUnauthenticated);
  for (size_t i = 0; i < c->size(); ++i) {
    Bytes changed = *c;
    changed[i] ^= 0x01;
    auto r = Sm2Decrypt(*key, changed);
    EXPECT_FALSE(r.ok()) << "byte " << i << " changed and still decrypted";
  }
  Bytes cut(c->begin(), c->end() - 1);
  EXPECT_EQ(Sm2Decrypt(*key, cut).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Sm2Decrypt(*key, Bytes{}).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Sm2Encrypt(key->PublicKey(), Bytes{}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Sm2Encrypt(key->PublicKey(), Bytes(1025, 7)).status().code(), StatusCode::kInvalidArgument);
}

// The `openssl` command line reads our ciphertext and writes one we read: the DER layout
// is GM/T 0009's, as other SM2 software expects.
TEST(Sm2EncryptTest, AgreesWithTheOpensslCommandLine) {
  auto v = RunCommand("openssl version");
  if (v.exit_code != 0 || v.output.find("OpenSSL 3") == std::string::npos) {
    GTEST_SKIP() << "openssl 3 command line not available: " << v.output;
  }
  TempDir dir;
  auto key = Sm2PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  WriteBytes(dir.File("key.pem"), key->ToPem().view());
  WriteBytes(dir.File("pub.pem"), AsBytes(key->PublicKey().ToPem()));
  Bytes secret = Hex("A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF");

  auto ours = Sm2Encrypt(key->PublicKey(), secret);
  ASSERT_TRUE(ours.ok());
  WriteBytes(dir.File("ours.der"), *ours);
  auto dec = RunCommand("openssl pkeyutl -decrypt -inkey " + Quote(dir.File("key.pem")) + " -in " +
                        Quote(dir.File("ours.der")) + " -out " + Quote(dir.File("ours.plain")));
  ASSERT_EQ(dec.exit_code, 0) << dec.output;
  EXPECT_EQ(ReadBytes(dir.File("ours.plain")), secret);

  WriteBytes(dir.File("plain"), secret);
  auto enc = RunCommand("openssl pkeyutl -encrypt -pubin -inkey " + Quote(dir.File("pub.pem")) + " -in " +
                        Quote(dir.File("plain")) + " -out " + Quote(dir.File("theirs.der")));
  ASSERT_EQ(enc.exit_code, 0) << enc.output;
  auto theirs = Sm2Decrypt(*key, ReadBytes(dir.File("theirs.der")));
  ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
  EXPECT_EQ(Bytes(theirs->view().begin(), theirs->view().end()), secret);
}

}  // namespace
}  // namespace eseal::crypto
