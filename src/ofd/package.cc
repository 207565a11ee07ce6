// Package: the zip container of an OFD file (OFD 包, GB/T 33190-2016 §7), read safely.
#include "eseal/ofd/package.h"

#include <zip.h>

#include <algorithm>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "eseal/base/file.h"
#include "eseal/ofd/path.h"

namespace eseal::ofd {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 200)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  if (s.size() > 200) out += "...";
  return out + "\"";
}

std::string Fold(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status ZipError(int code, const std::string& context) {
  zip_error_t e;
  zip_error_init_with_code(&e, code);
  std::string msg = context + ": " + zip_error_strerror(&e);
  zip_error_fini(&e);
  switch (code) {
    case ZIP_ER_MEMORY:
      return ResourceExhaustedError(msg);
    case ZIP_ER_MULTIDISK:
    case ZIP_ER_COMPNOTSUPP:
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD:
    case ZIP_ER_EXISTS:
      return InvalidArgumentError(msg);
    case ZIP_ER_INTERNAL:
      return InternalError(msg);
    default:
      return DataLossError(msg);
  }
}

// When libzip refuses an archive for duplicate names, find one to name in the error.
std::string FindDuplicateName(ByteView data) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(data.data(), data.size(), 0, &err);
  zip_error_fini(&err);
  if (src == nullptr) return "";
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY, nullptr);
  if (za == nullptr) {
    zip_source_free(src);
    return "";
  }
  std::unordered_set<std::string> seen;
  std::string dup;
  zip_int64_t n = zip_get_num_entries(za, 0);
  for (zip_int64_t i = 0; i < n && i < 100000; ++i) {
    const char* name = zip_get_name(za, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
    if (name == nullptr) continue;
    if (!seen.insert(name).second) {
      dup = name;
      break;
    }
  }
  zip_discard(za);
  return dup;
}

}  // namespace

struct Package::Impl {
  Bytes data;
  Limits limits;
  zip_t* za = nullptr;
  std::vector<EntryInfo> entries;
  std::unordered_map<std::string, size_t> by_path;    // canonical path of files -> entries index
  std::unordered_map<std::string, size_t> by_folded;  // case-folded canonical path -> index
  mutable std::mutex mu;

  ~Impl() {
    if (za != nullptr) zip_discard(za);
  }
};

Package::Package(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Package::Package(Package&&) noexcept = default;
Package& Package::operator=(Package&&) noexcept = default;
Package::~Package() = default;

Result<Package> Package::OpenFile(const std::string& path, const Limits& limits) {
  auto data = ReadFile(path, limits.max_package_size);
  if (!data.ok()) return data.status();
  return Open(std::move(data).value(), limits);
}

Result<Package> Package::Open(Bytes zip, const Limits& limits) {
  if (zip.size() > limits.max_package_size) {
    return ResourceExhaustedError("OFD package of " + std::to_string(zip.size()) +
                                  " bytes is larger than the limit of " +
                                  std::to_string(limits.max_package_size));
  }
  if (zip.size() < 22) return DataLossError("not a zip archive (too short to be an OFD package)");

  auto impl = std::make_unique<Impl>();
  impl->data = std::move(zip);
  impl->limits = limits;

  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(impl->data.data(), impl->data.size(), 0, &err);
  if (src == nullptr) {
    Status s = ZipError(zip_error_code_zip(&err), "cannot read the OFD package");
    zip_error_fini(&err);
    return s;
  }
  impl->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (impl->za == nullptr) {
    int code = zip_error_code_zip(&err);
    zip_error_fini(&err);
    zip_source_free(src);
    if (code == ZIP_ER_EXISTS) {
      std::string dup = FindDuplicateName(impl->data);
      return InvalidArgumentError("OFD package has duplicate zip entry names" +
                                  (dup.empty() ? std::string() : " (" + Quote(dup) + ")"));
    }
    if (code == ZIP_ER_NOZIP)
      return DataLossError("not a zip archive (no valid central directory)");
    return ZipError(code, "cannot open the OFD package");
  }
  zip_error_fini(&err);

  zip_int64_t count = zip_get_num_entries(impl->za, 0);
  if (count < 0) return DataLossError("cannot count the entries of the OFD package");
  if (static_cast<uint64_t>(count) > limits.max_entries) {
    return ResourceExhaustedError("OFD package has " + std::to_string(count) +
                                  " zip entries, more than the limit of " +
                                  std::to_string(limits.max_entries));
  }

  uint64_t total = 0;
  std::unordered_map<std::string, size_t> folded_all;  // folded key of files and folders
  impl->entries.reserve(static_cast<size_t>(count));
  for (zip_uint64_t i = 0; i < static_cast<zip_uint64_t>(count); ++i) {
    const char* raw = zip_get_name(impl->za, i, ZIP_FL_ENC_RAW);
    if (raw == nullptr)
      return DataLossError("zip entry " + std::to_string(i) + " has no readable name");
    std::string name(raw);
    if (name.size() > limits.max_name_length) {
      return InvalidArgumentError("zip entry " + Quote(name) + " has a name longer than " +
                                  std::to_string(limits.max_name_length) + " bytes");
    }
    ASSIGN_OR_RETURN(std::string path, PathForEntryName(name));

    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(impl->za, i, ZIP_FL_ENC_RAW, &st) != 0) {
      return DataLossError("cannot read the header of zip entry " + Quote(name));
    }
    const uint64_t need = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD |
                          ZIP_STAT_ENCRYPTION_METHOD | ZIP_STAT_CRC;
    if ((st.valid & need) != need) {
      return DataLossError("zip entry " + Quote(name) + " has an incomplete header");
    }
    EntryInfo e;
    e.index = i;
    e.name = name;
    e.path = path;
    e.is_directory = name.back() == '/';
    e.size = st.size;
    e.compressed_size = st.comp_size;
    e.compression = st.comp_method;
    e.crc32 = st.crc;

    if (st.encryption_method != ZIP_EM_NONE) {
      return InvalidArgumentError("zip entry " + Quote(name) +
                                  " is encrypted; OFD packages must not be");
    }
    if (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE) {
      return InvalidArgumentError("zip entry " + Quote(name) + " uses compression method " +
                                  std::to_string(st.comp_method) +
                                  "; only stored and deflate are accepted");
    }
    if (e.is_directory && e.size != 0) {
      return InvalidArgumentError("zip entry " + Quote(name) + " is a folder with content");
    }
    if (st.comp_method == ZIP_CM_STORE && st.comp_size != st.size) {
      return DataLossError("stored zip entry " + Quote(name) +
                           " has different compressed and uncompressed sizes");
    }
    if (e.size > limits.max_entry_size) {
      return ResourceExhaustedError("zip entry " + Quote(name) + " is " + std::to_string(e.size) +
                                    " bytes uncompressed, more than the limit of " +
                                    std::to_string(limits.max_entry_size));
    }
    if (limits.max_ratio != 0 && e.size > limits.ratio_threshold &&
        e.size > e.compressed_size * limits.max_ratio) {
      return ResourceExhaustedError("zip entry " + Quote(name) + " inflates " +
                                    std::to_string(e.compressed_size) + " bytes to " +
                                    std::to_string(e.size) + ", a ratio above the limit of " +
                                    std::to_string(limits.max_ratio) + ":1 (zip bomb?)");
    }
    total += e.size;
    if (total > limits.max_total_uncompressed) {
      return ResourceExhaustedError("OFD package inflates to more than the limit of " +
                                    std::to_string(limits.max_total_uncompressed) +
                                    " bytes (at zip entry " + Quote(name) + ")");
    }
    std::string key = Fold(path);
    if (!folded_all.emplace(key, impl->entries.size()).second) {
      return InvalidArgumentError("OFD package has duplicate zip entries for " + Quote(name) +
                                  " (names that differ only by case count as the same)");
    }
    if (!e.is_directory) {
      impl->by_path.emplace(path, impl->entries.size());
      impl->by_folded.emplace(key, impl->entries.size());
    }
    impl->entries.push_back(std::move(e));
  }
  // A name may not be a file and the folder of another file at once.
  for (const EntryInfo& e : impl->entries) {
    std::string key = Fold(e.path);
    for (size_t slash = key.find('/', 1); slash != std::string::npos;
         slash = key.find('/', slash + 1)) {
      auto it = impl->by_folded.find(key.substr(0, slash));
      if (it != impl->by_folded.end()) {
        return InvalidArgumentError("zip entry " + Quote(impl->entries[it->second].name) +
                                    " is a file and also the folder of " + Quote(e.name));
      }
    }
  }
  return Package(std::move(impl));
}

const Limits& Package::limits() const { return impl_->limits; }
ByteView Package::bytes() const { return impl_->data; }
const std::vector<EntryInfo>& Package::entries() const { return impl_->entries; }

std::vector<std::string> Package::FilePaths() const {
  std::vector<std::string> out;
  for (const EntryInfo& e : impl_->entries) {
    if (!e.is_directory) out.push_back(e.path);
  }
  return out;
}

const EntryInfo* Package::Find(std::string_view path) const {
  std::string key =
      (!path.empty() && path.front() == '/') ? std::string(path) : "/" + std::string(path);
  auto it = impl_->by_path.find(key);
  return it == impl_->by_path.end() ? nullptr : &impl_->entries[it->second];
}

const EntryInfo* Package::FindIgnoringCase(std::string_view path) const {
  if (const EntryInfo* e = Find(path)) return e;
  std::string key =
      (!path.empty() && path.front() == '/') ? std::string(path) : "/" + std::string(path);
  auto it = impl_->by_folded.find(Fold(key));
  return it == impl_->by_folded.end() ? nullptr : &impl_->entries[it->second];
}

Result<Bytes> Package::Read(std::string_view path) const {
  return Read(path, impl_->limits.max_entry_size);
}

Result<Bytes> Package::Read(std::string_view path, uint64_t max_size) const {
  const EntryInfo* e = Find(path);
  if (e == nullptr) return NotFoundError("OFD package has no file " + Quote(path));
  return ReadEntry(*e, max_size);
}

Result<Bytes> Package::ReadEntry(const EntryInfo& entry, uint64_t max_size) const {
  const std::string q = Quote(entry.name);
  if (entry.is_directory) return InvalidArgumentError("zip entry " + q + " is a folder");
  uint64_t limit = std::min(max_size, impl_->limits.max_entry_size);
  if (entry.size > limit) {
    return ResourceExhaustedError("zip entry " + q + " is " + std::to_string(entry.size) +
                                  " bytes uncompressed, more than the limit of " +
                                  std::to_string(limit));
  }
  std::lock_guard<std::mutex> lock(impl_->mu);
  zip_file_t* f = zip_fopen_index(impl_->za, entry.index, 0);
  if (f == nullptr) {
    return ZipError(zip_error_code_zip(zip_get_error(impl_->za)), "cannot open zip entry " + q);
  }
  Bytes out;
  out.reserve(static_cast<size_t>(std::min<uint64_t>(entry.size, uint64_t{16} << 20)));
  uint8_t buf[65536];
  uint64_t total = 0;
  for (;;) {
    zip_int64_t n = zip_fread(f, buf, sizeof buf);
    if (n < 0) {
      int code = zip_error_code_zip(zip_file_get_error(f));
      zip_fclose(f);
      if (code == ZIP_ER_CRC) return DataLossError("zip entry " + q + " fails its CRC-32 check");
      return ZipError(code, "cannot inflate zip entry " + q);
    }
    if (n == 0) break;
    total += static_cast<uint64_t>(n);
    // Never trust the header: stop as soon as more comes out than it declared.
    if (total > entry.size) {
      zip_fclose(f);
      return DataLossError("zip entry " + q + " inflates to more than its declared " +
                           std::to_string(entry.size) + " bytes");
    }
    out.insert(out.end(), buf, buf + n);
  }
  zip_fclose(f);
  if (total != entry.size) {
    return DataLossError("zip entry " + q + " inflates to " + std::to_string(total) +
                         " bytes, not its declared " + std::to_string(entry.size));
  }
  return out;
}

}  // namespace eseal::ofd
