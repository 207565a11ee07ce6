// Pkcs11Kek: a key-encryption key (密钥加密密钥) that lives in an HSM token and is used
// through PKCS#11 (Cryptoki), loaded with dlopen. Only the standard header comes from
// p11-kit (libp11-kit-dev); no PKCS#11 library is linked.
//
// Choices, checked against SoftHSM2 2.6.1 (Debian 12), which stands in for the HSM in tests:
//  - The key is a CKK_GENERIC_SECRET of 32 bytes made with CKM_GENERIC_SECRET_KEY_GEN.
//    SoftHSM2 2.6 accepts only CKK_GENERIC_SECRET for that mechanism (CKK_SHA256_HMAC gives
//    CKR_TEMPLATE_INCONSISTENT) and signs CKM_SHA256_HMAC with a generic secret or a
//    CKK_SHA256_HMAC key of at least 32 bytes, so both key types are accepted when found.
//  - The key is CKA_TOKEN, CKA_PRIVATE, CKA_SENSITIVE, not CKA_EXTRACTABLE, CKA_SIGN only
//    (no verify, encrypt, decrypt, wrap, unwrap or derive), and where the token knows
//    CKA_ALLOWED_MECHANISMS (PKCS#11 2.40; SoftHSM2 2.6 does) restricted to CKM_SHA256_HMAC.
//  - The PRF is CKM_SHA256_HMAC because SoftHSM2 has no SM3 HMAC (nor do most HSMs speak
//    SM3 through standard PKCS#11 mechanisms). That is acceptable here: HMAC-SHA-256 is only
//    the PRF that turns the KEK into a per-salt key inside the HSM; it is a sound PRF, its
//    output is never used as a cipher key by itself, and the data is protected by the
//    national-algorithm (国密) primitives: PBKDF2-HMAC-SM3 for the password, HMAC-SM3 to
//    combine both halves and SM4-GCM for the private key (key_protection.h).
//  - Thread safety: a small pool of read-only sessions per object (see pkcs11_kek.h); the
//    login is held by one extra read/write session that stays open for the object's
//    lifetime (PKCS#11 logs a token out when an application's last session closes).
#include "eseal/crypto/pkcs11_kek.h"

#include <dlfcn.h>
#include <p11-kit/pkcs11.h>

#include <climits>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "eseal/base/file.h"
#include "eseal/crypto/random.h"
#include "eseal/crypto/sm3.h"

namespace eseal::crypto {
namespace {

constexpr size_t kKekBytes = 32;       // HMAC-SHA-256 output and generated key length
constexpr size_t kMaxLabelBytes = 32;  // CK_TOKEN_INFO.label is 32 bytes, space padded
constexpr size_t kMaxKeyLabelBytes = 256;
constexpr size_t kMaxSessions = 64;
// Domain separation: Derive signs "eseal-kek-v1" || context and Id signs "eseal-kek-id".
// Both begin "eseal-kek-" and then differ ("v1" / "id"), so no Derive input equals the Id
// input and the published Id is never a Derive output.
constexpr std::string_view kDeriveDomain = "eseal-kek-v1";
constexpr std::string_view kIdInput = "eseal-kek-id";

std::string_view CkrName(CK_RV rv) {
  switch (rv) {
#define ESEAL_CKR(name) \
  case name:            \
    return #name;
    ESEAL_CKR(CKR_OK)
    ESEAL_CKR(CKR_CANCEL)
    ESEAL_CKR(CKR_HOST_MEMORY)
    ESEAL_CKR(CKR_SLOT_ID_INVALID)
    ESEAL_CKR(CKR_GENERAL_ERROR)
    ESEAL_CKR(CKR_FUNCTION_FAILED)
    ESEAL_CKR(CKR_ARGUMENTS_BAD)
    ESEAL_CKR(CKR_NO_EVENT)
    ESEAL_CKR(CKR_NEED_TO_CREATE_THREADS)
    ESEAL_CKR(CKR_CANT_LOCK)
    ESEAL_CKR(CKR_ATTRIBUTE_READ_ONLY)
    ESEAL_CKR(CKR_ATTRIBUTE_SENSITIVE)
    ESEAL_CKR(CKR_ATTRIBUTE_TYPE_INVALID)
    ESEAL_CKR(CKR_ATTRIBUTE_VALUE_INVALID)
    ESEAL_CKR(CKR_ACTION_PROHIBITED)
    ESEAL_CKR(CKR_DATA_INVALID)
    ESEAL_CKR(CKR_DATA_LEN_RANGE)
    ESEAL_CKR(CKR_DEVICE_ERROR)
    ESEAL_CKR(CKR_DEVICE_MEMORY)
    ESEAL_CKR(CKR_DEVICE_REMOVED)
    ESEAL_CKR(CKR_ENCRYPTED_DATA_INVALID)
    ESEAL_CKR(CKR_ENCRYPTED_DATA_LEN_RANGE)
    ESEAL_CKR(CKR_FUNCTION_CANCELED)
    ESEAL_CKR(CKR_FUNCTION_NOT_PARALLEL)
    ESEAL_CKR(CKR_FUNCTION_NOT_SUPPORTED)
    ESEAL_CKR(CKR_KEY_HANDLE_INVALID)
    ESEAL_CKR(CKR_KEY_SIZE_RANGE)
    ESEAL_CKR(CKR_KEY_TYPE_INCONSISTENT)
    ESEAL_CKR(CKR_KEY_NOT_NEEDED)
    ESEAL_CKR(CKR_KEY_CHANGED)
    ESEAL_CKR(CKR_KEY_NEEDED)
    ESEAL_CKR(CKR_KEY_INDIGESTIBLE)
    ESEAL_CKR(CKR_KEY_FUNCTION_NOT_PERMITTED)
    ESEAL_CKR(CKR_KEY_NOT_WRAPPABLE)
    ESEAL_CKR(CKR_KEY_UNEXTRACTABLE)
    ESEAL_CKR(CKR_MECHANISM_INVALID)
    ESEAL_CKR(CKR_MECHANISM_PARAM_INVALID)
    ESEAL_CKR(CKR_OBJECT_HANDLE_INVALID)
    ESEAL_CKR(CKR_OPERATION_ACTIVE)
    ESEAL_CKR(CKR_OPERATION_NOT_INITIALIZED)
    ESEAL_CKR(CKR_PIN_INCORRECT)
    ESEAL_CKR(CKR_PIN_INVALID)
    ESEAL_CKR(CKR_PIN_LEN_RANGE)
    ESEAL_CKR(CKR_PIN_EXPIRED)
    ESEAL_CKR(CKR_PIN_LOCKED)
    ESEAL_CKR(CKR_SESSION_CLOSED)
    ESEAL_CKR(CKR_SESSION_COUNT)
    ESEAL_CKR(CKR_SESSION_HANDLE_INVALID)
    ESEAL_CKR(CKR_SESSION_PARALLEL_NOT_SUPPORTED)
    ESEAL_CKR(CKR_SESSION_READ_ONLY)
    ESEAL_CKR(CKR_SESSION_EXISTS)
    ESEAL_CKR(CKR_SESSION_READ_ONLY_EXISTS)
    ESEAL_CKR(CKR_SESSION_READ_WRITE_SO_EXISTS)
    ESEAL_CKR(CKR_SIGNATURE_INVALID)
    ESEAL_CKR(CKR_SIGNATURE_LEN_RANGE)
    ESEAL_CKR(CKR_TEMPLATE_INCOMPLETE)
    ESEAL_CKR(CKR_TEMPLATE_INCONSISTENT)
    ESEAL_CKR(CKR_TOKEN_NOT_PRESENT)
    ESEAL_CKR(CKR_TOKEN_NOT_RECOGNIZED)
    ESEAL_CKR(CKR_TOKEN_WRITE_PROTECTED)
    ESEAL_CKR(CKR_UNWRAPPING_KEY_HANDLE_INVALID)
    ESEAL_CKR(CKR_UNWRAPPING_KEY_SIZE_RANGE)
    ESEAL_CKR(CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT)
    ESEAL_CKR(CKR_USER_ALREADY_LOGGED_IN)
    ESEAL_CKR(CKR_USER_NOT_LOGGED_IN)
    ESEAL_CKR(CKR_USER_PIN_NOT_INITIALIZED)
    ESEAL_CKR(CKR_USER_TYPE_INVALID)
    ESEAL_CKR(CKR_USER_ANOTHER_ALREADY_LOGGED_IN)
    ESEAL_CKR(CKR_USER_TOO_MANY_TYPES)
    ESEAL_CKR(CKR_WRAPPED_KEY_INVALID)
    ESEAL_CKR(CKR_WRAPPED_KEY_LEN_RANGE)
    ESEAL_CKR(CKR_WRAPPING_KEY_HANDLE_INVALID)
    ESEAL_CKR(CKR_WRAPPING_KEY_SIZE_RANGE)
    ESEAL_CKR(CKR_WRAPPING_KEY_TYPE_INCONSISTENT)
    ESEAL_CKR(CKR_RANDOM_SEED_NOT_SUPPORTED)
    ESEAL_CKR(CKR_RANDOM_NO_RNG)
    ESEAL_CKR(CKR_DOMAIN_PARAMS_INVALID)
    ESEAL_CKR(CKR_CURVE_NOT_SUPPORTED)
    ESEAL_CKR(CKR_BUFFER_TOO_SMALL)
    ESEAL_CKR(CKR_SAVED_STATE_INVALID)
    ESEAL_CKR(CKR_INFORMATION_SENSITIVE)
    ESEAL_CKR(CKR_STATE_UNSAVEABLE)
    ESEAL_CKR(CKR_CRYPTOKI_NOT_INITIALIZED)
    ESEAL_CKR(CKR_CRYPTOKI_ALREADY_INITIALIZED)
    ESEAL_CKR(CKR_MUTEX_BAD)
    ESEAL_CKR(CKR_MUTEX_NOT_LOCKED)
    ESEAL_CKR(CKR_NEW_PIN_MODE)
    ESEAL_CKR(CKR_NEXT_OTP)
    ESEAL_CKR(CKR_EXCEEDED_MAX_ITERATIONS)
    ESEAL_CKR(CKR_FIPS_SELF_TEST_FAILED)
    ESEAL_CKR(CKR_LIBRARY_LOAD_FAILED)
    ESEAL_CKR(CKR_PIN_TOO_WEAK)
    ESEAL_CKR(CKR_PUBLIC_KEY_INVALID)
    ESEAL_CKR(CKR_FUNCTION_REJECTED)
#undef ESEAL_CKR
    default:
      return rv >= CKR_VENDOR_DEFINED ? "CKR_VENDOR_DEFINED" : "unknown CKR";
  }
}

// "CKR_PIN_LOCKED (0xa4)": the name for people, the number for vendor manuals.
std::string CkrText(CK_RV rv) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (CK_RV v = rv; v != 0 || hex.empty(); v >>= 4) hex.insert(hex.begin(), kDigits[v & 0xF]);
  return std::string(CkrName(rv)) + " (0x" + hex + ")";
}

// Which Status code a PKCS#11 return value becomes (when no caller handles it first).
StatusCode CodeFor(CK_RV rv) {
  switch (rv) {
    case CKR_HOST_MEMORY:
    case CKR_DEVICE_MEMORY:
    case CKR_SESSION_COUNT:
      return StatusCode::kResourceExhausted;
    case CKR_GENERAL_ERROR:
    case CKR_FUNCTION_FAILED:
    case CKR_CANT_LOCK:
    case CKR_DEVICE_ERROR:
    case CKR_DEVICE_REMOVED:
    case CKR_FUNCTION_CANCELED:
    case CKR_SLOT_ID_INVALID:
    case CKR_SESSION_CLOSED:
    case CKR_SESSION_HANDLE_INVALID:
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_TOKEN_NOT_RECOGNIZED:
    case CKR_CRYPTOKI_NOT_INITIALIZED:
    case CKR_LIBRARY_LOAD_FAILED:
    case CKR_FIPS_SELF_TEST_FAILED:
    case CKR_RANDOM_NO_RNG:
      return StatusCode::kUnavailable;
    case CKR_PIN_INCORRECT:
    case CKR_PIN_INVALID:
    case CKR_PIN_LEN_RANGE:
    case CKR_USER_NOT_LOGGED_IN:
      return StatusCode::kUnauthenticated;
    case CKR_ATTRIBUTE_SENSITIVE:
    case CKR_KEY_UNEXTRACTABLE:
    case CKR_INFORMATION_SENSITIVE:
      return StatusCode::kPermissionDenied;
    case CKR_PIN_EXPIRED:
    case CKR_PIN_LOCKED:
    case CKR_USER_PIN_NOT_INITIALIZED:
    case CKR_USER_ANOTHER_ALREADY_LOGGED_IN:
    case CKR_USER_TOO_MANY_TYPES:
    case CKR_SESSION_READ_ONLY:
    case CKR_SESSION_READ_WRITE_SO_EXISTS:
    case CKR_TOKEN_WRITE_PROTECTED:
    case CKR_MECHANISM_INVALID:
    case CKR_MECHANISM_PARAM_INVALID:
    case CKR_FUNCTION_NOT_SUPPORTED:
    case CKR_KEY_HANDLE_INVALID:
    case CKR_OBJECT_HANDLE_INVALID:
    case CKR_KEY_SIZE_RANGE:
    case CKR_KEY_TYPE_INCONSISTENT:
    case CKR_KEY_FUNCTION_NOT_PERMITTED:
    case CKR_ATTRIBUTE_READ_ONLY:
    case CKR_ATTRIBUTE_TYPE_INVALID:
    case CKR_ATTRIBUTE_VALUE_INVALID:
    case CKR_TEMPLATE_INCOMPLETE:
    case CKR_TEMPLATE_INCONSISTENT:
    case CKR_ACTION_PROHIBITED:
    case CKR_FUNCTION_REJECTED:
      return StatusCode::kFailedPrecondition;
    default:
      return StatusCode::kInternal;
  }
}

Status CkError(CK_RV rv, const std::string& what) {
  return Status(CodeFor(rv), what + ": " + CkrText(rv));
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// A loaded and initialised PKCS#11 module, shared by every Pkcs11Kek of the process that
// names the same file: Cryptoki allows one C_Initialize per process, and C_Finalize must
// wait until the last user is gone.
class Module {
 public:
  // Login bookkeeping per slot. PKCS#11 login state belongs to the whole application: a
  // second C_Login returns CKR_USER_ALREADY_LOGGED_IN without looking at the PIN. So that a
  // second Open with a wrong PIN still fails, the module remembers a keyed tag of the PIN
  // that logged in (HMAC-SM3 under a random per-process key: comparable, not reversible).
  struct SlotLogin {
    int users = 0;          // Pkcs11Kek objects counted as logged in to the slot
    bool verified = false;  // we logged in ourselves and `pin_tag` is of that PIN
    Sm3Digest pin_tag{};
  };

  static Result<std::shared_ptr<Module>> Acquire(const std::string& path);
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  CK_FUNCTION_LIST* fn() const { return fn_; }
  const std::string& path() const { return path_; }
  Sm3Digest PinTag(ByteView pin) const { return HmacSm3(tag_key_.view(), pin); }

  // Guards `slots`, and serialises token search and key lookup-or-creation in the process.
  std::mutex mu;
  std::map<CK_SLOT_ID, SlotLogin> slots;

 private:
  Module(std::string path, void* handle, CK_FUNCTION_LIST* fn, bool finalize, SecretBytes tag_key)
      : path_(std::move(path)),
        handle_(handle),
        fn_(fn),
        finalize_(finalize),
        tag_key_(std::move(tag_key)) {}

  std::string path_;
  void* handle_;
  CK_FUNCTION_LIST* fn_;
  bool finalize_;  // we initialised it (not someone else in the process), so we finalise
  SecretBytes tag_key_;
};

// The process-wide table of loaded modules, by canonical path. Never destroyed, so that a
// Pkcs11Kek living in a static object can still be torn down at exit.
std::mutex& RegistryMutex() {
  static auto* mu = new std::mutex;
  return *mu;
}
std::map<std::string, std::weak_ptr<Module>>& Registry() {
  static auto* registry = new std::map<std::string, std::weak_ptr<Module>>;
  return *registry;
}

Module::~Module() {
  if (finalize_) fn_->C_Finalize(nullptr);
  ::dlclose(handle_);
}

Result<std::shared_ptr<Module>> Module::Acquire(const std::string& path) {
  std::string key = path;
  if (char* real = ::realpath(path.c_str(), nullptr)) {
    key = real;
    std::free(real);
  }
  std::shared_ptr<Module> module;  // declared before the lock: released after it
  std::lock_guard<std::mutex> lock(RegistryMutex());
  auto it = Registry().find(key);
  if (it != Registry().end()) {
    module = it->second.lock();
    if (module) return module;
    Registry().erase(it);
  }

  SecretBytes tag_key(kKekBytes);
  RETURN_IF_ERROR(SystemRng().Fill(tag_key.mutable_view()));

  ::dlerror();
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    return UnavailableError("cannot load PKCS#11 module " + path + ": " +
                            (why != nullptr ? why : "unknown dlopen error"));
  }
  auto get_list = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(handle, "C_GetFunctionList"));
  if (get_list == nullptr) {
    ::dlclose(handle);
    return UnavailableError("cannot load PKCS#11 module " + path +
                            ": it has no C_GetFunctionList, so it is not a PKCS#11 module");
  }
  CK_FUNCTION_LIST* fn = nullptr;
  CK_RV rv = get_list(&fn);
  if (rv != CKR_OK || fn == nullptr) {
    ::dlclose(handle);
    return UnavailableError("cannot load PKCS#11 module " + path +
                            ": C_GetFunctionList failed with " + CkrText(rv));
  }
  // The 2.x function list is a prefix of the 3.x one, so any version from 2 on will do.
  if (fn->version.major < 2) {
    ::dlclose(handle);
    return UnavailableError("cannot load PKCS#11 module " + path + ": it implements Cryptoki " +
                            std::to_string(fn->version.major) + "." +
                            std::to_string(fn->version.minor) + ", older than 2.x");
  }
  // CKF_OS_LOCKING_OK: we call from many threads and the module may use the OS's mutexes.
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  rv = fn->C_Initialize(&args);
  bool finalize = true;
  if (rv == CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    // Someone else in this process initialised it; they finalise it, not us.
    finalize = false;
  } else if (rv != CKR_OK) {
    ::dlclose(handle);
    return UnavailableError("cannot initialise PKCS#11 module " + path + ": " + CkrText(rv));
  }
  // The deleter takes the registry lock, so that a module being finalised is never handed
  // out again and a new C_Initialize never races the old C_Finalize.
  module = std::shared_ptr<Module>(new Module(path, handle, fn, finalize, std::move(tag_key)),
                                   [](Module* m) {
                                     std::lock_guard<std::mutex> l(RegistryMutex());
                                     delete m;
                                   });
  Registry()[key] = module;
  return module;
}

// PKCS#11 pads text fields with spaces (some tokens with NULs).
std::string TrimPadded(const unsigned char* field, size_t size) {
  size_t end = size;
  while (end > 0 && (field[end - 1] == ' ' || field[end - 1] == '\0')) --end;
  return std::string(reinterpret_cast<const char*>(field), end);
}

Result<CK_SLOT_ID> FindToken(Module& module, const std::string& label) {
  CK_FUNCTION_LIST* fn = module.fn();
  // One search at a time per module: SoftHSM2 2.6 calls gmtime() (not thread-safe) in
  // C_GetTokenInfo, so concurrent Opens would race inside the module.
  std::lock_guard<std::mutex> lock(module.mu);
  std::vector<CK_SLOT_ID> slots;
  // Slots may appear between the two calls (CKR_BUFFER_TOO_SMALL): ask again a few times.
  CK_RV rv = CKR_BUFFER_TOO_SMALL;
  for (int attempt = 0; attempt < 4 && rv == CKR_BUFFER_TOO_SMALL; ++attempt) {
    CK_ULONG count = 0;
    rv = fn->C_GetSlotList(CK_TRUE, nullptr, &count);
    if (rv != CKR_OK) break;
    slots.resize(count);
    rv = fn->C_GetSlotList(CK_TRUE, slots.data(), &count);
    if (rv == CKR_OK) slots.resize(count);
  }
  if (rv != CKR_OK) {
    return CkError(rv, "cannot list the slots of PKCS#11 module " + module.path());
  }
  std::vector<CK_SLOT_ID> matches;
  for (CK_SLOT_ID slot : slots) {
    CK_TOKEN_INFO info{};
    // A slot whose token vanished or fails is simply not the one we look for.
    if (fn->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
    if ((info.flags & CKF_TOKEN_INITIALIZED) == 0) continue;
    if (TrimPadded(info.label, sizeof info.label) == label) matches.push_back(slot);
  }
  if (matches.empty()) {
    return NotFoundError("no PKCS#11 token labelled " + Quoted(label) + " in module " +
                         module.path());
  }
  if (matches.size() > 1) {
    return FailedPreconditionError(std::to_string(matches.size()) +
                                   " PKCS#11 tokens are labelled " + Quoted(label) + " in module " +
                                   module.path() + "; give each token a distinct label");
  }
  return matches.front();
}

// Up to `limit` secret keys with the label.
Result<std::vector<CK_OBJECT_HANDLE>> FindKeys(CK_FUNCTION_LIST* fn, CK_SESSION_HANDLE session,
                                               const std::string& label, const std::string& where) {
  CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  std::string label_copy = label;
  CK_ATTRIBUTE query[] = {
      {CKA_CLASS, &cls, sizeof cls},
      {CKA_LABEL, label_copy.data(), label_copy.size()},
  };
  CK_RV rv = fn->C_FindObjectsInit(session, query, 2);
  if (rv != CKR_OK) return CkError(rv, "cannot search " + where);
  std::vector<CK_OBJECT_HANDLE> found(2);
  CK_ULONG count = 0;
  rv = fn->C_FindObjects(session, found.data(), found.size(), &count);
  CK_RV final_rv = fn->C_FindObjectsFinal(session);
  if (rv != CKR_OK) return CkError(rv, "cannot search " + where);
  if (final_rv != CKR_OK) return CkError(final_rv, "cannot search " + where);
  found.resize(count);
  return found;
}

Result<CK_OBJECT_HANDLE> GenerateKey(CK_FUNCTION_LIST* fn, CK_SESSION_HANDLE session,
                                     const std::string& label, const std::string& where) {
  CK_MECHANISM mechanism{CKM_GENERIC_SECRET_KEY_GEN, nullptr, 0};
  CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  CK_KEY_TYPE type = CKK_GENERIC_SECRET;
  CK_ULONG length = kKekBytes;
  CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
  CK_MECHANISM_TYPE allowed[] = {CKM_SHA256_HMAC};
  std::string label_copy = label;
  std::vector<CK_ATTRIBUTE> templ = {
      {CKA_CLASS, &cls, sizeof cls},
      {CKA_KEY_TYPE, &type, sizeof type},
      {CKA_VALUE_LEN, &length, sizeof length},
      {CKA_LABEL, label_copy.data(), label_copy.size()},
      {CKA_TOKEN, &yes, sizeof yes},      // persistent on the token
      {CKA_PRIVATE, &yes, sizeof yes},    // invisible without login
      {CKA_SENSITIVE, &yes, sizeof yes},  // value never readable...
      {CKA_EXTRACTABLE, &no, sizeof no},  // ...nor wrappable out of the token
      {CKA_SIGN, &yes, sizeof yes},       // HMAC is a C_Sign
      {CKA_VERIFY, &no, sizeof no},
      {CKA_ENCRYPT, &no, sizeof no},
      {CKA_DECRYPT, &no, sizeof no},
      {CKA_WRAP, &no, sizeof no},
      {CKA_UNWRAP, &no, sizeof no},
      {CKA_DERIVE, &no, sizeof no},
      {CKA_ALLOWED_MECHANISMS, allowed, sizeof allowed},  // last: optional, see below
  };
  CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
  CK_RV rv = fn->C_GenerateKey(session, &mechanism, templ.data(), templ.size(), &key);
  if (rv == CKR_ATTRIBUTE_TYPE_INVALID) {
    // An HSM older than PKCS#11 2.40 does not know CKA_ALLOWED_MECHANISMS; the key is
    // still usable for nothing but signing.
    templ.pop_back();
    rv = fn->C_GenerateKey(session, &mechanism, templ.data(), templ.size(), &key);
  }
  if (rv != CKR_OK) return CkError(rv, "cannot generate the key " + where);
  return key;
}

// Refuses a key that is not a non-extractable, sensitive HMAC key of at least 32 bytes:
// such a KEK could have left (or could leave) the HSM, or would not work.
Status CheckKey(CK_FUNCTION_LIST* fn, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key,
                const std::string& where) {
  CK_KEY_TYPE type = CKK_VENDOR_DEFINED;
  CK_BBOOL sensitive = CK_FALSE, extractable = CK_TRUE, sign = CK_FALSE;
  CK_ULONG length = 0;
  CK_ATTRIBUTE attrs[] = {
      {CKA_KEY_TYPE, &type, sizeof type},
      {CKA_SENSITIVE, &sensitive, sizeof sensitive},
      {CKA_EXTRACTABLE, &extractable, sizeof extractable},
      {CKA_SIGN, &sign, sizeof sign},
      {CKA_VALUE_LEN, &length, sizeof length},
  };
  CK_RV rv = fn->C_GetAttributeValue(session, key, attrs, 5);
  // An attribute the token lacks comes back as CK_UNAVAILABLE_INFORMATION with one of these.
  if (rv != CKR_OK && rv != CKR_ATTRIBUTE_TYPE_INVALID && rv != CKR_ATTRIBUTE_SENSITIVE) {
    return CkError(rv, "cannot read the attributes of the key " + where);
  }
  auto known = [&](int i) { return attrs[i].ulValueLen != CK_UNAVAILABLE_INFORMATION; };
  if (!known(0) || (type != CKK_GENERIC_SECRET && type != CKK_SHA256_HMAC)) {
    return FailedPreconditionError("the key " + where +
                                   " is not a generic secret or SHA-256 HMAC key");
  }
  if (!known(1) || sensitive != CK_TRUE) {
    return FailedPreconditionError("the key " + where +
                                   " is not sensitive (CKA_SENSITIVE); a KEK must never leave "
                                   "the HSM, so eseal refuses it");
  }
  if (!known(2) || extractable != CK_FALSE) {
    return FailedPreconditionError("the key " + where +
                                   " is extractable (CKA_EXTRACTABLE); a KEK must never leave "
                                   "the HSM, so eseal refuses it");
  }
  if (!known(3) || sign != CK_TRUE) {
    return FailedPreconditionError("the key " + where + " does not allow signing (CKA_SIGN)");
  }
  if (known(4) && length < kKekBytes) {
    return FailedPreconditionError("the key " + where + " is shorter than 32 bytes");
  }
  return Status::Ok();
}

}  // namespace

struct Pkcs11Kek::State {
  std::shared_ptr<Module> module;
  CK_SLOT_ID slot = 0;
  // Opened first, closed last: holds the login for the pool's sessions. Used only in Open.
  CK_SESSION_HANDLE login_session = CK_INVALID_HANDLE;
  bool counted_login = false;                // counted in module->slots[slot].users
  CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;  // token object handles are valid in all sessions
  std::string token_label;
  std::string key_label;
  std::string where;  // "labelled K on PKCS#11 token T", for messages
  std::string id;
  size_t max_sessions = 4;

  // The pool: read-only sessions (a logged-in R/O session may use private objects).
  mutable std::mutex pool_mu;
  mutable std::condition_variable pool_cv;
  mutable std::vector<CK_SESSION_HANDLE> idle;
  mutable size_t open_sessions = 0;  // idle or lent

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  ~State() {
    if (!module) return;
    CK_FUNCTION_LIST* fn = module->fn();
    for (CK_SESSION_HANDLE s : idle) fn->C_CloseSession(s);
    idle.clear();
    {
      // Closing the login session and leaving the bookkeeping is one step for Login().
      std::lock_guard<std::mutex> lock(module->mu);
      if (login_session != CK_INVALID_HANDLE) fn->C_CloseSession(login_session);
      if (counted_login) {
        auto it = module->slots.find(slot);
        if (it != module->slots.end() && --it->second.users <= 0) module->slots.erase(it);
      }
    }
    module.reset();  // the last user finalises and unloads the module
  }

  Status Login(ByteView pin) {
    CK_FUNCTION_LIST* fn = module->fn();
    Sm3Digest tag = module->PinTag(pin);
    std::lock_guard<std::mutex> lock(module->mu);
    Module::SlotLogin& login = module->slots[slot];
    CK_RV rv =
        fn->C_Login(login_session, CKU_USER, const_cast<CK_UTF8CHAR*>(pin.data()), pin.size());
    bool pin_differs = false;
    if (rv == CKR_OK) {
      login.verified = true;
      login.pin_tag = tag;
    } else if (rv == CKR_USER_ALREADY_LOGGED_IN) {
      // Logged in by another Pkcs11Kek of this process: the PIN must be the one that worked
      // (if someone else in the process logged in, there is nothing to compare with).
      pin_differs = login.verified && !ConstantTimeEquals(ByteView(login.pin_tag), ByteView(tag));
      rv = CKR_OK;
    }
    SecureZero(tag.data(), tag.size());
    if (rv != CKR_OK || pin_differs) {
      if (login.users == 0) module->slots.erase(slot);
      switch (rv) {
        case CKR_OK:
          return UnauthenticatedError("wrong PKCS#11 PIN for token " + Quoted(token_label) +
                                      " (not the PIN this process is logged in with)");
        case CKR_PIN_INCORRECT:
        case CKR_PIN_INVALID:
        case CKR_PIN_LEN_RANGE:
          return UnauthenticatedError("wrong PKCS#11 PIN for token " + Quoted(token_label) + ": " +
                                      CkrText(rv));
        case CKR_PIN_LOCKED:
          return FailedPreconditionError(
              "the user PIN of PKCS#11 token " + Quoted(token_label) +
              " is locked and the security officer must reset it: " + CkrText(rv));
        case CKR_USER_PIN_NOT_INITIALIZED:
          return FailedPreconditionError("PKCS#11 token " + Quoted(token_label) +
                                         " has no user PIN yet: " + CkrText(rv));
        default:
          return CkError(rv, "cannot log in to PKCS#11 token " + Quoted(token_label));
      }
    }
    ++login.users;
    counted_login = true;
    return Status::Ok();
  }

  Result<CK_OBJECT_HANDLE> FindOrCreateKey(bool create) {
    CK_FUNCTION_LIST* fn = module->fn();
    // One lookup-or-creation at a time in this process, so two Opens never make two keys.
    std::lock_guard<std::mutex> lock(module->mu);
    ASSIGN_OR_RETURN(
        std::vector<CK_OBJECT_HANDLE> found,
        FindKeys(fn, login_session, key_label, "PKCS#11 token " + Quoted(token_label)));
    if (found.size() > 1) {
      return FailedPreconditionError(
          "more than one secret key is labelled " + Quoted(key_label) + " on PKCS#11 token " +
          Quoted(token_label) + "; keep the one that protects existing keys and remove the others");
    }
    if (found.size() == 1) return found.front();
    if (!create) {
      return NotFoundError("no secret key labelled " + Quoted(key_label) + " on PKCS#11 token " +
                           Quoted(token_label));
    }
    return GenerateKey(fn, login_session, key_label, where);
  }

  // HMAC-SHA-256 in the HSM with the KEK on `session`.
  Result<SecretBytes> Hmac(CK_SESSION_HANDLE session, ByteView data) const {
    CK_FUNCTION_LIST* fn = module->fn();
    CK_MECHANISM mechanism{CKM_SHA256_HMAC, nullptr, 0};
    CK_RV rv = fn->C_SignInit(session, &mechanism, key);
    if (rv != CKR_OK) return CkError(rv, "cannot start HMAC with the key " + where);
    SecretBytes out(kKekBytes);
    CK_ULONG length = out.size();
    rv = fn->C_Sign(session, const_cast<CK_BYTE*>(data.data()), data.size(), out.data(), &length);
    if (rv != CKR_OK) return CkError(rv, "HMAC with the key " + where + " failed");
    if (length != kKekBytes) {
      return InternalError("HMAC with the key " + where + " returned " + std::to_string(length) +
                           " bytes instead of 32");
    }
    return out;
  }

  Result<CK_SESSION_HANDLE> Borrow() const {
    std::unique_lock<std::mutex> lock(pool_mu);
    pool_cv.wait(lock, [&] { return !idle.empty() || open_sessions < max_sessions; });
    if (!idle.empty()) {
      CK_SESSION_HANDLE s = idle.back();
      idle.pop_back();
      return s;
    }
    ++open_sessions;
    lock.unlock();
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    CK_RV rv = module->fn()->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &s);
    if (rv != CKR_OK) {
      lock.lock();
      --open_sessions;
      pool_cv.notify_one();
      return CkError(rv, "cannot open a session on PKCS#11 token " + Quoted(token_label));
    }
    return s;
  }

  // A session that saw an error is closed rather than reused: it may be dead (token
  // removed, HSM restarted) or hold an unfinished operation.
  void GiveBack(CK_SESSION_HANDLE s, bool failed) const {
    if (failed) module->fn()->C_CloseSession(s);
    {
      std::lock_guard<std::mutex> lock(pool_mu);
      if (failed) {
        --open_sessions;
      } else {
        idle.push_back(s);
      }
    }
    pool_cv.notify_one();
  }
};

Pkcs11Kek::Pkcs11Kek(std::unique_ptr<State> state) : state_(std::move(state)) {}
Pkcs11Kek::~Pkcs11Kek() = default;

Result<std::unique_ptr<Pkcs11Kek>> Pkcs11Kek::Open(const Pkcs11KekOptions& options) {
  if (options.module_path.empty()) return InvalidArgumentError("no PKCS#11 module path given");
  if (options.token_label.empty() || options.token_label.size() > kMaxLabelBytes) {
    return InvalidArgumentError("a PKCS#11 token label has 1 to 32 bytes");
  }
  if (options.key_label.empty() || options.key_label.size() > kMaxKeyLabelBytes) {
    return InvalidArgumentError("the key label must have 1 to 256 bytes");
  }
  if (options.pin_file.empty()) return InvalidArgumentError("no PKCS#11 PIN file given");
  if (options.max_sessions < 1 || options.max_sessions > kMaxSessions) {
    return InvalidArgumentError("max_sessions must be between 1 and 64");
  }

  auto state = std::make_unique<State>();
  state->token_label = options.token_label;
  state->key_label = options.key_label;
  state->where =
      "labelled " + Quoted(options.key_label) + " on PKCS#11 token " + Quoted(options.token_label);
  state->max_sessions = options.max_sessions;

  ASSIGN_OR_RETURN(state->module, Module::Acquire(options.module_path));
  CK_FUNCTION_LIST* fn = state->module->fn();
  ASSIGN_OR_RETURN(state->slot, FindToken(*state->module, options.token_label));
  CK_RV rv = fn->C_OpenSession(state->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr,
                               &state->login_session);
  if (rv != CKR_OK) {
    state->login_session = CK_INVALID_HANDLE;
    return CkError(rv, "cannot open a session on PKCS#11 token " + Quoted(options.token_label));
  }
  {
    // The PIN lives only in this scope (wiped by SecretBytes) and never in a message.
    auto pin = ReadSecretFile(options.pin_file);
    if (!pin.ok()) return pin.status().WithContext("PKCS#11 PIN");
    RETURN_IF_ERROR(state->Login(pin->view()));
  }
  ASSIGN_OR_RETURN(state->key, state->FindOrCreateKey(options.create_if_missing));
  RETURN_IF_ERROR(CheckKey(fn, state->login_session, state->key, state->where));
  // Computing the id also proves, at Open, that the token will HMAC with the key.
  ASSIGN_OR_RETURN(SecretBytes tag, state->Hmac(state->login_session, AsBytes(kIdInput)));
  state->id = "p11:" + HexEncode(tag.view().first(8));
  return std::unique_ptr<Pkcs11Kek>(new Pkcs11Kek(std::move(state)));
}

std::string Pkcs11Kek::Id() const { return state_->id; }

const std::string& Pkcs11Kek::token_label() const { return state_->token_label; }
const std::string& Pkcs11Kek::key_label() const { return state_->key_label; }

Result<SecretBytes> Pkcs11Kek::Derive(ByteView context) const {
  Bytes input = Concat(AsBytes(kDeriveDomain), context);
  ASSIGN_OR_RETURN(CK_SESSION_HANDLE session, state_->Borrow());
  auto out = state_->Hmac(session, input);
  state_->GiveBack(session, !out.ok());
  return out;
}

}  // namespace eseal::crypto
