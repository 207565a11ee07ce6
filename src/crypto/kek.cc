// FileKek: a key-encryption key (密钥加密密钥) kept in a key file as 64 hex digits, mode
// 0600. PRF = HMAC-SM3(kek, context).
#include "eseal/crypto/kek.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "eseal/base/file.h"
#include "eseal/crypto/random.h"
#include "eseal/crypto/sm3.h"

namespace eseal::crypto {
namespace {

constexpr size_t kKekBytes = 32;

int HexValue(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Hex to bytes without leaving copies of the key outside SecretBytes.
Result<SecretBytes> DecodeKeyHex(ByteView text, const std::string& path) {
  size_t end = text.size();
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  if (end != 2 * kKekBytes) {
    return DataLossError("key-encryption key file " + path +
                         " must hold exactly 64 hexadecimal digits");
  }
  SecretBytes key(kKekBytes);
  for (size_t i = 0; i < kKekBytes; ++i) {
    int hi = HexValue(text[2 * i]), lo = HexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return DataLossError("key-encryption key file " + path +
                           " must hold exactly 64 hexadecimal digits");
    }
    key.data()[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return key;
}

SecretBytes EncodeKeyHex(ByteView key) {
  static constexpr char kDigits[] = "0123456789abcdef";
  SecretBytes out(key.size() * 2 + 1);
  for (size_t i = 0; i < key.size(); ++i) {
    out.data()[2 * i] = static_cast<uint8_t>(kDigits[key[i] >> 4]);
    out.data()[2 * i + 1] = static_cast<uint8_t>(kDigits[key[i] & 0xF]);
  }
  out.data()[2 * key.size()] = '\n';
  return out;
}

Result<SecretBytes> LoadKeyFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT)
      return NotFoundError("key-encryption key file " + path + " does not exist");
    return UnavailableError("cannot stat key-encryption key file " + path + ": " +
                            std::strerror(errno));
  }
  // Like ssh with its private keys: a KEK readable by others is not a secret any more.
  if ((st.st_mode & 077) != 0) {
    return FailedPreconditionError("key-encryption key file " + path +
                                   " is accessible by group or others; run chmod 600 on it");
  }
  ASSIGN_OR_RETURN(SecretBytes line, ReadSecretFile(path));
  return DecodeKeyHex(line.view(), path);
}

// Creates the key file without ever replacing one that another process made first: the
// new key is written durably beside it (WriteFileAtomic) and then hard-linked into place,
// which fails if the name already exists.
Status CreateKeyFile(const std::string& path) {
  ASSIGN_OR_RETURN(Bytes suffix, RandomBytes(SystemRng(), 8));
  std::string tmp = path + ".new-" + HexEncode(suffix);
  SecretBytes key(kKekBytes);
  RETURN_IF_ERROR(SystemRng().Fill(key.mutable_view()));
  SecretBytes text = EncodeKeyHex(key.view());
  RETURN_IF_ERROR(WriteFileAtomic(tmp, text.view(), 0600));
  int rc = ::link(tmp.c_str(), path.c_str());
  int err = errno;
  ::unlink(tmp.c_str());
  if (rc != 0 && err != EEXIST) {
    return UnavailableError("cannot create key-encryption key file " + path + ": " +
                            std::strerror(err));
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<FileKek>> FileKek::Open(const std::string& path, bool create_if_missing) {
  auto key = LoadKeyFile(path);
  if (!key.ok() && key.status().code() == StatusCode::kNotFound && create_if_missing) {
    RETURN_IF_ERROR(CreateKeyFile(path));
    key = LoadKeyFile(path);
  }
  if (!key.ok()) return key.status();
  return std::unique_ptr<FileKek>(new FileKek(std::move(*key)));
}

std::unique_ptr<FileKek> FileKek::FromBytes(ByteView key32) {
  if (key32.size() != kKekBytes) return nullptr;
  return std::unique_ptr<FileKek>(new FileKek(SecretBytes(key32)));
}

std::string FileKek::Id() const {
  // A one-way, domain-separated function of the key: identifies it without revealing it.
  Sm3Digest tag = HmacSm3(key_.view(), AsBytes("eseal/kek/id"));
  return HexEncode(ByteView(tag.data(), 8));
}

Result<SecretBytes> FileKek::Derive(ByteView context) const {
  Sm3Digest out = HmacSm3(key_.view(), context);
  SecretBytes result{ByteView(out)};
  SecureZero(out.data(), out.size());
  return result;
}

}  // namespace eseal::crypto
