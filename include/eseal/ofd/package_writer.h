// PackageWriter: writes a new OFD package from an existing one plus a set of added or
// replaced files, without rewriting anything else. Every entry that is not named keeps its
// compressed bytes (copied raw, never recompressed), so its uncompressed bytes, CRC and
// size are exactly the original's: earlier signatures (签名) that protect those files by
// digest stay intact. This is the "append without rewriting" that GB/T 33190 §18 signing
// and continued signing (继续签章) need.
//
// New files are appended at the end of the zip, deflated unless the caller asks to store
// them (values that are already compressed or random); replaced files keep their place.
// The result is checked before it is returned: it must open with Package under the same
// Limits, and every untouched entry must have its original size and CRC-32.
//
// Thread-safety: a PackageWriter is used from one thread; the original Package must
// outlive it.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/base/time.h"
#include "eseal/ofd/package.h"

namespace eseal::ofd {

class PackageWriter {
 public:
  enum class Compression {
    kDeflate,  // XML and other text
    kStore,    // signature values and seals: mostly a PNG and SM2 values, which deflate
               // cannot shrink; storing saves the time without costing size
  };

  explicit PackageWriter(const Package& original);

  // Adds a file, or replaces the file at `path` (a canonical path, e.g.
  // "/Doc_0/Signs/Sign_1/Signature.xml"). InvalidArgument for a non-canonical path, a
  // path that is an existing folder, or one that differs only by case from an existing
  // entry; the last Put for a path wins.
  Status Put(std::string_view path, Bytes data, Compression compression = Compression::kDeflate);

  // The modification time written for added and replaced entries. The default is
  // 1980-01-01 00:00:00 (the zip epoch), so that output is reproducible; signers pass the
  // signing time.
  void SetModificationTime(Time t) { mtime_ = t; }

  // The new package as bytes.
  Result<Bytes> Write() const;
  // The new package written atomically to `path` (temporary file, fsync, rename).
  Status WriteFile(const std::string& path) const;

 private:
  const Package* original_;
  struct Change {
    Bytes data;
    Compression compression;
  };
  std::map<std::string, Change> changes_;  // canonical path -> content
  Time mtime_;
};

}  // namespace eseal::ofd
