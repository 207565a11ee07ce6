// Pkcs11Kek against a real SoftHSM2 (Debian package softhsm2): every test makes its own
// token directory, configuration (SOFTHSM2_CONF) and token "T" with softhsm2-util. These
// tests fail, never skip, when SoftHSM2 is missing (scripts/deps.sh installs it).
#include "eseal/crypto/pkcs11_kek.h"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <p11-kit/pkcs11.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include "eseal/base/file.h"
#include "eseal/crypto/key_protection.h"
#include "eseal/crypto/random.h"
#include "eseal/crypto/sm2.h"
#include "test_util.h"

namespace eseal::crypto {
namespace {

using testing::Quote;
using testing::RunCommand;
using testing::TempDir;

constexpr char kUserPin[] = "1234";
constexpr char kSoPin[] = "5678";
constexpr char kWrongPin[] = "97531";

// The SoftHSM2 module: ESEAL_SOFTHSM2_MODULE if set, else where Debian puts it (the first
// path is a symlink to the multiarch one on Debian 12).
std::string SoftHsmModule() {
  if (const char* env = std::getenv("ESEAL_SOFTHSM2_MODULE")) return env;
  for (const char* p :
       {"/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so", "/usr/lib64/pkcs11/libsofthsm2.so"}) {
    if (std::filesystem::exists(p)) return p;
  }
  return "";
}

std::string SoftHsmUtil() {
  auto r = RunCommand("command -v softhsm2-util");
  if (r.exit_code == 0 && !r.output.empty()) {
    return r.output.substr(0, r.output.find('\n'));
  }
  return std::filesystem::exists("/usr/bin/softhsm2-util") ? "/usr/bin/softhsm2-util" : "";
}

// Direct PKCS#11 access to the token, independent of Pkcs11Kek, to check what is really
// stored there. Use it only while no Pkcs11Kek is open (it initialises and finalises).
class RawToken {
 public:
  RawToken(const std::string& module, const std::string& label) {
    handle_ = ::dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) return;
    auto get = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(handle_, "C_GetFunctionList"));
    if (get == nullptr || get(&fn_) != CKR_OK) return;
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    if (fn_->C_Initialize(&args) != CKR_OK) return;
    initialized_ = true;
    CK_SLOT_ID slots[16];
    CK_ULONG n = 16;
    if (fn_->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK) return;
    for (CK_ULONG i = 0; i < n; ++i) {
      CK_TOKEN_INFO info{};
      if (fn_->C_GetTokenInfo(slots[i], &info) != CKR_OK) continue;
      std::string l(reinterpret_cast<const char*>(info.label), sizeof info.label);
      l.erase(l.find_last_not_of(' ') + 1);
      if (l != label) continue;
      if (fn_->C_OpenSession(slots[i], CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr,
                             &session_) != CKR_OK) {
        return;
      }
      std::string pin = kUserPin;
      ok_ = fn_->C_Login(session_, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(pin.data()),
                         pin.size()) == CKR_OK;
      return;
    }
  }
  ~RawToken() {
    if (session_ != CK_INVALID_HANDLE) fn_->C_CloseSession(session_);
    if (initialized_) fn_->C_Finalize(nullptr);
    if (handle_ != nullptr) ::dlclose(handle_);
  }
  RawToken(const RawToken&) = delete;
  RawToken& operator=(const RawToken&) = delete;

  bool ok() const { return ok_; }
  CK_FUNCTION_LIST* fn() const { return fn_; }
  CK_SESSION_HANDLE session() const { return session_; }

  std::vector<CK_OBJECT_HANDLE> FindSecretKeys(const std::string& label) {
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    std::string l = label;
    CK_ATTRIBUTE query[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, l.data(), l.size()}};
    std::vector<CK_OBJECT_HANDLE> out(8);
    CK_ULONG n = 0;
    EXPECT_EQ(fn_->C_FindObjectsInit(session_, query, 2), CKR_OK);
    EXPECT_EQ(fn_->C_FindObjects(session_, out.data(), out.size(), &n), CKR_OK);
    EXPECT_EQ(fn_->C_FindObjectsFinal(session_), CKR_OK);
    out.resize(n);
    return out;
  }

  std::optional<bool> Bool(CK_OBJECT_HANDLE key, CK_ATTRIBUTE_TYPE type) {
    CK_BBOOL v = CK_FALSE;
    CK_ATTRIBUTE a{type, &v, sizeof v};
    if (fn_->C_GetAttributeValue(session_, key, &a, 1) != CKR_OK) return std::nullopt;
    return v == CK_TRUE;
  }
  std::optional<CK_ULONG> Ulong(CK_OBJECT_HANDLE key, CK_ATTRIBUTE_TYPE type) {
    CK_ULONG v = 0;
    CK_ATTRIBUTE a{type, &v, sizeof v};
    if (fn_->C_GetAttributeValue(session_, key, &a, 1) != CKR_OK) return std::nullopt;
    return v;
  }

  // A secret key made (not generated) with chosen protection flags and value, for refusal
  // and known-answer tests.
  bool ImportKey(const std::string& label, bool sensitive, bool extractable,
                 const Bytes& value = Bytes(32, 0x5a)) {
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_GENERIC_SECRET;
    CK_BBOOL yes = CK_TRUE, s = sensitive ? CK_TRUE : CK_FALSE,
             x = extractable ? CK_TRUE : CK_FALSE;
    Bytes v = value;
    std::string l = label;
    CK_ATTRIBUTE t[] = {
        {CKA_CLASS, &cls, sizeof cls},   {CKA_KEY_TYPE, &type, sizeof type},
        {CKA_TOKEN, &yes, sizeof yes},   {CKA_PRIVATE, &yes, sizeof yes},
        {CKA_SIGN, &yes, sizeof yes},    {CKA_SENSITIVE, &s, sizeof s},
        {CKA_EXTRACTABLE, &x, sizeof x}, {CKA_LABEL, l.data(), l.size()},
        {CKA_VALUE, v.data(), v.size()},
    };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    return fn_->C_CreateObject(session_, t, sizeof t / sizeof t[0], &h) == CKR_OK;
  }

 private:
  void* handle_ = nullptr;
  CK_FUNCTION_LIST* fn_ = nullptr;
  bool initialized_ = false;
  bool ok_ = false;
  CK_SESSION_HANDLE session_ = CK_INVALID_HANDLE;
};

class Pkcs11KekTest : public ::testing::Test {
 protected:
  void SetUp() override {
    module_ = SoftHsmModule();
    ASSERT_FALSE(module_.empty())
        << "SoftHSM2 is not installed (apt-get install softhsm2, or scripts/deps.sh)";
    util_ = SoftHsmUtil();
    ASSERT_FALSE(util_.empty()) << "softhsm2-util is not installed (apt-get install softhsm2)";
    if (const char* old = std::getenv("SOFTHSM2_CONF")) old_conf_ = old;
    std::string tokens = dir_.File("tokens");
    ASSERT_TRUE(MakeDirs(tokens, true).ok());
    std::string conf = dir_.File("softhsm2.conf");
    ASSERT_TRUE(WriteFileAtomic(conf, "directories.tokendir = " + tokens +
                                          "\nobjectstore.backend = file\nlog.level = ERROR\n")
                    .ok());
    // Before the module is loaded: SoftHSM2 reads the configuration in C_Initialize.
    ASSERT_EQ(::setenv("SOFTHSM2_CONF", conf.c_str(), 1), 0);
    InitToken("T");
    pin_file_ = dir_.File("pin");
    ASSERT_TRUE(WriteFileAtomic(pin_file_, std::string(kUserPin) + "\n", 0600).ok());
    wrong_pin_file_ = dir_.File("wrong-pin");
    ASSERT_TRUE(WriteFileAtomic(wrong_pin_file_, std::string(kWrongPin) + "\n", 0600).ok());
  }
  void TearDown() override {
    if (old_conf_) {
      ::setenv("SOFTHSM2_CONF", old_conf_->c_str(), 1);
    } else {
      ::unsetenv("SOFTHSM2_CONF");
    }
  }

  void InitToken(const std::string& label) {
    auto r = RunCommand(Quote(util_) + " --init-token --free --label " + Quote(label) + " --pin " +
                        kUserPin + " --so-pin " + kSoPin);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }

  Pkcs11KekOptions Options(bool create = true) const {
    Pkcs11KekOptions o;
    o.module_path = module_;
    o.token_label = "T";
    o.pin_file = pin_file_;
    o.create_if_missing = create;
    return o;
  }

  std::unique_ptr<Pkcs11Kek> MustOpen(const Pkcs11KekOptions& o) {
    auto kek = Pkcs11Kek::Open(o);
    EXPECT_TRUE(kek.ok()) << kek.status().ToString();
    return kek.ok() ? std::move(*kek) : nullptr;
  }

  static Bytes Derive(const Kek& kek, std::string_view context) {
    auto d = kek.Derive(AsBytes(context));
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? Bytes(d->view().begin(), d->view().end()) : Bytes{};
  }

  TempDir dir_;
  std::string module_, util_, pin_file_, wrong_pin_file_;
  std::optional<std::string> old_conf_;
};

TEST_F(Pkcs11KekTest, CreatesTheKeyOnFirstUseAndFindsItAgain) {
  auto missing = Pkcs11Kek::Open(Options(/*create=*/false));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("eseal-kek"), std::string::npos);

  auto first = MustOpen(Options(true));
  ASSERT_TRUE(first);
  std::string id = first->Id();
  EXPECT_EQ(id.size(), 20u);
  EXPECT_EQ(id.rfind("p11:", 0), 0u);
  EXPECT_EQ(first->token_label(), "T");
  EXPECT_EQ(first->key_label(), "eseal-kek");
  Bytes a = Derive(*first, "context-a");
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(Derive(*first, "context-a"), a);
  EXPECT_NE(Derive(*first, "context-b"), a);
  EXPECT_NE(Derive(*first, ""), a);

  // A second object while the first is open shares the module and the login.
  auto second = MustOpen(Options(false));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->Id(), id);
  EXPECT_EQ(Derive(*second, "context-a"), a);
  first.reset();  // must not finalise the module under `second`
  EXPECT_EQ(Derive(*second, "context-a"), a);
  second.reset();

  // After everything is closed (module finalised and unloaded), a fresh Open finds the
  // same key: it was stored on the token, not made again.
  auto third = MustOpen(Options(true));
  ASSERT_TRUE(third);
  EXPECT_EQ(third->Id(), id);
  EXPECT_EQ(Derive(*third, "context-a"), a);
  third.reset();
  RawToken raw(module_, "T");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw.FindSecretKeys("eseal-kek").size(), 1u);
}

Bytes HmacSha256(ByteView key, std::string_view data) {
  uint8_t out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const uint8_t*>(data.data()), data.size(), out, &n);
  return Bytes(out, out + n);
}

// Pins the construction with a key whose value the test knows (imported, then sensitive):
// Derive(c) = HMAC-SHA-256(KEK, "eseal-kek-v1" || c), Id = "p11:" || hex of the first
// 8 bytes of HMAC-SHA-256(KEK, "eseal-kek-id").
TEST_F(Pkcs11KekTest, DeriveAndIdAreHmacSha256OfDomainSeparatedInputs) {
  Bytes value(32);
  for (size_t i = 0; i < value.size(); ++i) value[i] = static_cast<uint8_t>(i * 7 + 1);
  {
    RawToken raw(module_, "T");
    ASSERT_TRUE(raw.ok());
    ASSERT_TRUE(raw.ImportKey("known", /*sensitive=*/true, /*extractable=*/false, value));
  }
  auto o = Options(false);
  o.key_label = "known";
  auto kek = MustOpen(o);
  ASSERT_TRUE(kek);
  EXPECT_EQ(Derive(*kek, "context"), HmacSha256(value, "eseal-kek-v1context"));
  EXPECT_EQ(Derive(*kek, ""), HmacSha256(value, "eseal-kek-v1"));
  EXPECT_EQ(kek->Id(), "p11:" + HexEncode(HmacSha256(value, "eseal-kek-id")).substr(0, 16));
}

TEST_F(Pkcs11KekTest, DifferentKeysHaveDifferentIdsAndOutputs) {
  auto a = MustOpen(Options(true));
  auto o = Options(true);
  o.key_label = "another-kek";
  auto b = MustOpen(o);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->Id(), b->Id());
  EXPECT_NE(Derive(*a, "x"), Derive(*b, "x"));
}

TEST_F(Pkcs11KekTest, WrongPinIsUnauthenticatedAndNeverInTheMessage) {
  auto o = Options(true);
  o.pin_file = wrong_pin_file_;
  auto bad = Pkcs11Kek::Open(o);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(bad.status().message().find("wrong PKCS#11 PIN for token \"T\""), std::string::npos)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find("CKR_PIN_INCORRECT"), std::string::npos);
  EXPECT_EQ(bad.status().message().find(kWrongPin), std::string::npos);
  EXPECT_EQ(bad.status().message().find(kUserPin), std::string::npos);

  // Still refused while another object of this process holds the token's login (PKCS#11
  // would answer CKR_USER_ALREADY_LOGGED_IN without looking at the PIN).
  auto good = MustOpen(Options(true));
  ASSERT_TRUE(good);
  auto bad_again = Pkcs11Kek::Open(o);
  ASSERT_FALSE(bad_again.ok());
  EXPECT_EQ(bad_again.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(bad_again.status().message().find(kWrongPin), std::string::npos);
  EXPECT_EQ(bad_again.status().message().find(kUserPin), std::string::npos);
  // ...and the refused attempt did not disturb the open object.
  EXPECT_EQ(Derive(*good, "x").size(), 32u);
}

TEST_F(Pkcs11KekTest, MissingPinFileIsReportedWithoutContent) {
  auto o = Options(true);
  o.pin_file = dir_.File("no-such-pin");
  auto r = Pkcs11Kek::Open(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST_F(Pkcs11KekTest, MissingTokenIsNotFoundAndNamesTheLabel) {
  auto o = Options(true);
  o.token_label = "NoSuchToken";
  auto r = Pkcs11Kek::Open(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("NoSuchToken"), std::string::npos);
}

TEST_F(Pkcs11KekTest, UnloadableModuleIsUnavailable) {
  auto o = Options(true);
  o.module_path = dir_.File("no-such-module.so");
  auto r = Pkcs11Kek::Open(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("no-such-module.so"), std::string::npos);

  // A shared library that is not a PKCS#11 module.
  o.module_path = "libm.so.6";
  r = Pkcs11Kek::Open(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("C_GetFunctionList"), std::string::npos);
}

TEST_F(Pkcs11KekTest, RefusesBadOptions) {
  auto o = Options(true);
  o.token_label = std::string(33, 'T');
  EXPECT_EQ(Pkcs11Kek::Open(o).status().code(), StatusCode::kInvalidArgument);
  o = Options(true);
  o.key_label.clear();
  EXPECT_EQ(Pkcs11Kek::Open(o).status().code(), StatusCode::kInvalidArgument);
  o = Options(true);
  o.max_sessions = 0;
  EXPECT_EQ(Pkcs11Kek::Open(o).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(Pkcs11KekTest, TheKeyIsSensitiveAndNeverLeavesTheToken) {
  ASSERT_TRUE(MustOpen(Options(true)));  // creates the key, then closes everything
  RawToken raw(module_, "T");
  ASSERT_TRUE(raw.ok());
  auto keys = raw.FindSecretKeys("eseal-kek");
  ASSERT_EQ(keys.size(), 1u);
  CK_OBJECT_HANDLE key = keys[0];
  EXPECT_EQ(raw.Bool(key, CKA_SENSITIVE), true);
  EXPECT_EQ(raw.Bool(key, CKA_EXTRACTABLE), false);
  EXPECT_EQ(raw.Bool(key, CKA_ALWAYS_SENSITIVE), true);
  EXPECT_EQ(raw.Bool(key, CKA_NEVER_EXTRACTABLE), true);
  EXPECT_EQ(raw.Bool(key, CKA_TOKEN), true);
  EXPECT_EQ(raw.Bool(key, CKA_PRIVATE), true);
  EXPECT_EQ(raw.Bool(key, CKA_SIGN), true);
  EXPECT_EQ(raw.Bool(key, CKA_ENCRYPT), false);
  EXPECT_EQ(raw.Bool(key, CKA_DECRYPT), false);
  EXPECT_EQ(raw.Bool(key, CKA_WRAP), false);
  EXPECT_EQ(raw.Bool(key, CKA_DERIVE), false);
  EXPECT_EQ(raw.Ulong(key, CKA_KEY_TYPE), CKK_GENERIC_SECRET);
  EXPECT_EQ(raw.Ulong(key, CKA_VALUE_LEN), 32u);
  EXPECT_EQ(raw.Ulong(key, CKA_KEY_GEN_MECHANISM), CKM_GENERIC_SECRET_KEY_GEN);

  CK_MECHANISM_TYPE allowed[4] = {};
  CK_ATTRIBUTE mechs{CKA_ALLOWED_MECHANISMS, allowed, sizeof allowed};
  ASSERT_EQ(raw.fn()->C_GetAttributeValue(raw.session(), key, &mechs, 1), CKR_OK);
  ASSERT_EQ(mechs.ulValueLen, sizeof(CK_MECHANISM_TYPE));
  EXPECT_EQ(allowed[0], CKM_SHA256_HMAC);

  // The value cannot be read, even by the logged-in user.
  uint8_t value[64] = {};
  CK_ATTRIBUTE a{CKA_VALUE, value, sizeof value};
  EXPECT_EQ(raw.fn()->C_GetAttributeValue(raw.session(), key, &a, 1), CKR_ATTRIBUTE_SENSITIVE);
  EXPECT_EQ(a.ulValueLen, CK_UNAVAILABLE_INFORMATION);
  // Nor can it be made extractable afterwards (PKCS#11: CKA_EXTRACTABLE only goes to false).
  CK_BBOOL yes = CK_TRUE;
  CK_ATTRIBUTE make_extractable{CKA_EXTRACTABLE, &yes, sizeof yes};
  EXPECT_NE(raw.fn()->C_SetAttributeValue(raw.session(), key, &make_extractable, 1), CKR_OK);
  EXPECT_EQ(raw.Bool(key, CKA_EXTRACTABLE), false);
}

TEST_F(Pkcs11KekTest, RefusesKeysThatCouldLeaveTheToken) {
  {
    RawToken raw(module_, "T");
    ASSERT_TRUE(raw.ok());
    ASSERT_TRUE(raw.ImportKey("extractable", /*sensitive=*/true, /*extractable=*/true));
    ASSERT_TRUE(raw.ImportKey("readable", /*sensitive=*/false, /*extractable=*/false));
    ASSERT_TRUE(raw.ImportKey("twice", true, false));
    ASSERT_TRUE(raw.ImportKey("twice", true, false));
  }
  auto o = Options(false);
  o.key_label = "extractable";
  auto r = Pkcs11Kek::Open(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("CKA_EXTRACTABLE"), std::string::npos);
  o.key_label = "readable";
  r = Pkcs11Kek::Open(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("CKA_SENSITIVE"), std::string::npos);
  // Two keys with one label: refused, not one of them picked at random.
  o.key_label = "twice";
  o.create_if_missing = true;
  r = Pkcs11Kek::Open(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("more than one"), std::string::npos);
}

TEST_F(Pkcs11KekTest, ProtectsSealKeysEndToEnd) {
  auto key = Sm2PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  const KeyProtectionOptions fast{.iterations = 1000};
  Bytes blob;
  {
    auto kek = MustOpen(Options(true));
    ASSERT_TRUE(kek);
    auto protected_key =
        ProtectPrivateKey(*key, AsBytes("correct horse"), kek.get(), SystemRng(), fast);
    ASSERT_TRUE(protected_key.ok()) << protected_key.status().ToString();
    blob = std::move(*protected_key);
  }
  // A fresh Open (as after a restart) unprotects it.
  auto kek = MustOpen(Options(false));
  ASSERT_TRUE(kek);
  auto back = UnprotectPrivateKey(blob, AsBytes("correct horse"), kek.get());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->PublicKey() == key->PublicKey());

  // The password alone is not enough...
  auto wrong_pw = UnprotectPrivateKey(blob, AsBytes("wrong horse"), kek.get());
  EXPECT_EQ(wrong_pw.status().code(), StatusCode::kUnauthenticated);
  // ...nor a file KEK in its place, nor another key of the same token.
  auto file_kek = FileKek::FromBytes(Bytes(32, 0x11));
  auto with_file = UnprotectPrivateKey(blob, AsBytes("correct horse"), file_kek.get());
  ASSERT_FALSE(with_file.ok());
  EXPECT_EQ(with_file.status().code(), StatusCode::kUnauthenticated);
  auto o = Options(true);
  o.key_label = "another-kek";
  auto other = MustOpen(o);
  ASSERT_TRUE(other);
  auto with_other = UnprotectPrivateKey(blob, AsBytes("correct horse"), other.get());
  EXPECT_EQ(with_other.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(UnprotectPrivateKey(blob, AsBytes("correct horse"), nullptr).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(Pkcs11KekTest, ConcurrentDeriveFromFourThreads) {
  for (size_t max_sessions : {size_t{1}, size_t{2}, size_t{4}}) {
    auto o = Options(true);
    o.max_sessions = max_sessions;  // 1 and 2: threads wait for a session
    auto kek = MustOpen(o);
    ASSERT_TRUE(kek);
    std::vector<Bytes> expected;
    for (int i = 0; i < 8; ++i) expected.push_back(Derive(*kek, "ctx-" + std::to_string(i)));
    std::atomic<int> failures{0}, done{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int n = 0; n < 50; ++n) {
          int i = (t + n) % 8;
          auto d = kek->Derive(AsBytes("ctx-" + std::to_string(i)));
          if (!d.ok() || !ConstantTimeEquals(d->view(), expected[i])) {
            ++failures;
          } else {
            ++done;
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0) << "max_sessions " << max_sessions;
    EXPECT_EQ(done.load(), 200);
  }
}

}  // namespace
}  // namespace eseal::crypto
