// Package: safe read access to an OFD package (OFD 包), the zip container of GB/T 33190-2016
// §7. Opening checks the whole central directory before anything is inflated: entry names
// (no absolute paths, no "..", no backslashes, no duplicates, also none that differ only by
// case), no encryption, only stored or deflated entries, and the Limits (entry count, sizes,
// compression ratio). Reading an entry counts the bytes really inflated against the declared
// size and the limits, so lying headers cannot make it allocate more than a limit allows.
//
// Errors: InvalidArgument (a name or feature eseal refuses), ResourceExhausted (a limit),
// DataLoss (a corrupt or inconsistent zip), NotFound (no such entry). Messages name the entry.
//
// Thread-safety: all const methods may be called from several threads at once (reads are
// serialised inside). Moving a Package is not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/ofd/limits.h"

namespace eseal::ofd {

struct EntryInfo {
  uint64_t index = 0;            // position in the central directory
  std::string name;              // zip entry name as stored, e.g. "Doc_0/Document.xml"
  std::string path;              // canonical package path, e.g. "/Doc_0/Document.xml"
  bool is_directory = false;     // a folder entry ("Doc_0/")
  uint64_t size = 0;             // declared uncompressed size
  uint64_t compressed_size = 0;  // declared compressed size
  uint16_t compression = 0;      // 0 stored, 8 deflate
  uint32_t crc32 = 0;
};

class Package {
 public:
  // Opens a zip held in memory. The Package keeps `zip`.
  static Result<Package> Open(Bytes zip, const Limits& limits = {});
  // Reads the file (bounded by limits.max_package_size) and opens it.
  static Result<Package> OpenFile(const std::string& path, const Limits& limits = {});

  Package(Package&&) noexcept;
  Package& operator=(Package&&) noexcept;
  ~Package();

  const Limits& limits() const;
  // The zip file as it was read.
  ByteView bytes() const;
  // Files and folders, in central directory order.
  const std::vector<EntryInfo>& entries() const;
  // Canonical paths of all files (folders left out), in central directory order.
  std::vector<std::string> FilePaths() const;

  // The file entry for a canonical path ("/Doc_0/Document.xml"; the form without the
  // leading '/' is accepted too), or nullptr. Exact match.
  const EntryInfo* Find(std::string_view path) const;
  // Like Find, but ASCII letters match regardless of case (some producers refer to
  // "Res/Image.PNG" as "res/image.png"). Unambiguous, because Open refuses names that
  // differ only by case.
  const EntryInfo* FindIgnoringCase(std::string_view path) const;
  bool Contains(std::string_view path) const { return Find(path) != nullptr; }

  // The uncompressed bytes of a file entry (exact path match).
  Result<Bytes> Read(std::string_view path) const;
  // As Read, but also refuses an entry larger than `max_size` (e.g. an XML size bound).
  Result<Bytes> Read(std::string_view path, uint64_t max_size) const;
  Result<Bytes> ReadEntry(const EntryInfo& entry, uint64_t max_size) const;

 private:
  struct Impl;
  explicit Package(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace eseal::ofd
