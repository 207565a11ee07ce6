// Files: bounded reads and atomic writes. A reader of outside bytes always states how much
// it is willing to read; a writer never leaves a half-written file behind (write to a
// temporary beside the target, fsync, rename).
// Thread-safety: reentrant functions.
#pragma once

#include <cstddef>
#include <string>

#include "eseal/base/bytes.h"

namespace eseal {

inline constexpr size_t kDefaultMaxFileSize = size_t{256} << 20;  // 256 MiB

// NotFound if missing; ResourceExhausted if larger than `max_size`.
Result<Bytes> ReadFile(const std::string& path, size_t max_size = kDefaultMaxFileSize);
Result<std::string> ReadTextFile(const std::string& path, size_t max_size = kDefaultMaxFileSize);

// Writes `data` to `path` atomically with permission bits `mode` (e.g. 0600 for secrets).
Status WriteFileAtomic(const std::string& path, ByteView data, unsigned mode = 0644);
inline Status WriteFileAtomic(const std::string& path, std::string_view text, unsigned mode = 0644) {
  return WriteFileAtomic(path, AsBytes(text), mode);
}

// Creates a directory and its parents (mode 0700 for the last one when `private_dir`).
Status MakeDirs(const std::string& path, bool private_dir = false);

bool FileExists(const std::string& path);

// Reads a secret (password, PIN) from a file: the first line, without the line ending.
// Fails with a message that names the file but never its content.
Result<SecretBytes> ReadSecretFile(const std::string& path);

}  // namespace eseal
