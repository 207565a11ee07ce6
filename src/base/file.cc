#include "eseal/base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace eseal {
namespace {

Status ErrnoStatus(const std::string& what, const std::string& path, int err) {
  std::string msg = what + " " + path + ": " + std::strerror(err);
  if (err == ENOENT) return NotFoundError(msg);
  if (err == EACCES || err == EPERM) return PermissionDeniedError(msg);
  return UnavailableError(msg);
}

}  // namespace

Result<Bytes> ReadFile(const std::string& path, size_t max_size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus("cannot stat", path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return InvalidArgumentError(path + " is a directory, not a file");
  }
  if (st.st_size > 0 && static_cast<uint64_t>(st.st_size) > max_size) {
    ::close(fd);
    return ResourceExhaustedError(path + " is larger than the limit of " +
                                  std::to_string(max_size) + " bytes");
  }
  Bytes out;
  out.reserve(static_cast<size_t>(st.st_size));
  uint8_t buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ErrnoStatus("cannot read", path, err);
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_size) {
      ::close(fd);
      return ResourceExhaustedError(path + " is larger than the limit of " +
                                    std::to_string(max_size) + " bytes");
    }
    out.insert(out.end(), buf, buf + n);
  }
  ::close(fd);
  return out;
}

Result<std::string> ReadTextFile(const std::string& path, size_t max_size) {
  ASSIGN_OR_RETURN(Bytes b, ReadFile(path, max_size));
  return std::string(b.begin(), b.end());
}

Status WriteFileAtomic(const std::string& path, ByteView data, unsigned mode) {
  std::filesystem::path target(path);
  std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  std::string tmpl = dir + "/." + target.filename().string() + ".tmpXXXXXX";
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return ErrnoStatus("cannot create a file in", dir, errno);
  auto fail = [&](const char* what) {
    int err = errno;
    ::close(fd);
    ::unlink(tmpl.c_str());
    return ErrnoStatus(what, path, err);
  };
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) return fail("cannot set mode of");
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot sync");
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmpl.c_str());
    return ErrnoStatus("cannot close", path, err);
  }
  if (::rename(tmpl.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmpl.c_str());
    return ErrnoStatus("cannot rename into", path, err);
  }
  return Status::Ok();
}

Status MakeDirs(const std::string& path, bool private_dir) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return UnavailableError("cannot create directory " + path + ": " + ec.message());
  if (private_dir && ::chmod(path.c_str(), 0700) != 0) {
    return ErrnoStatus("cannot set mode of", path, errno);
  }
  return Status::Ok();
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

Result<SecretBytes> ReadSecretFile(const std::string& path) {
  auto bytes = ReadFile(path, 4096);
  if (!bytes.ok()) return bytes.status().WithContext("secret file");
  Bytes& b = *bytes;
  size_t end = 0;
  while (end < b.size() && b[end] != '\n' && b[end] != '\r') ++end;
  SecretBytes out(ByteView(b.data(), end));
  SecureZero(b.data(), b.size());
  if (out.empty()) return InvalidArgumentError("secret file " + path + " is empty");
  return out;
}

}  // namespace eseal
