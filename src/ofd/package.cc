// Package: the zip container of an OFD file (OFD 包, GB/T 33190-2016 §7), read safely.
#include "eseal/ofd/package.h"

#include <zip.h>

#include <algorithm>
#include <mutex>
#include <optional>
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

// ---- Layout: every byte of the file belongs to the zip structure ----
// The local entries (header, data, data descriptor), the central directory, the zip64 end
// records when present and the end of central directory record (with its comment) must
// tile the file exactly: nothing before the first entry (a prepended program or a second
// document), no gap between entries, no byte that no entry claims, no two entries sharing
// bytes (overlapping entries are the zip-bomb trick), nothing after the end record. libzip
// reads such files without complaint; a reader of another vendor may see something else
// in the unclaimed bytes than eseal verified.

uint16_t U16(ByteView d, uint64_t at) { return static_cast<uint16_t>(d[at] | (d[at + 1] << 8)); }
uint32_t U32(ByteView d, uint64_t at) {
  return static_cast<uint32_t>(d[at]) | (static_cast<uint32_t>(d[at + 1]) << 8) |
         (static_cast<uint32_t>(d[at + 2]) << 16) | (static_cast<uint32_t>(d[at + 3]) << 24);
}
uint64_t U64(ByteView d, uint64_t at) {
  return static_cast<uint64_t>(U32(d, at)) | (static_cast<uint64_t>(U32(d, at + 4)) << 32);
}

constexpr uint32_t kLocalSig = 0x04034b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kEnd64Sig = 0x06064b50;
constexpr uint32_t kLocator64Sig = 0x07064b50;
constexpr uint32_t kDescriptorSig = 0x08074b50;

struct Span {
  uint64_t begin = 0;
  uint64_t end = 0;
  uint64_t alt_end = 0;  // a data descriptor whose sizes may be 4 or 8 bytes: the longer end
  std::string what;
};

std::string CountBytes(uint64_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

Status CheckLayout(ByteView d) {
  const uint64_t size = d.size();
  // The end of central directory record: the one whose comment ends exactly at the end.
  std::optional<uint64_t> eocd;
  const uint64_t lowest = size >= 22 + 65535 ? size - 22 - 65535 : 0;
  for (uint64_t at = size - 22 + 1; at-- > lowest;) {
    if (U32(d, at) == kEndSig && at + 22 + U16(d, at + 20) == size) {
      eocd = at;
      break;
    }
  }
  if (!eocd) {
    return InvalidArgumentError(
        "the zip's end of central directory record does not end the file: bytes were appended "
        "after the OFD package");
  }
  uint64_t entries = U16(d, *eocd + 10);
  uint64_t cd_size = U32(d, *eocd + 12);
  uint64_t cd_offset = U32(d, *eocd + 16);
  uint64_t cd_end_limit = *eocd;  // where the central directory must end
  if (*eocd >= 20 && U32(d, *eocd - 20) == kLocator64Sig) {
    const uint64_t locator = *eocd - 20;
    const uint64_t rec = U64(d, locator + 8);
    if (rec > locator || locator - rec < 56 || U32(d, rec) != kEnd64Sig) {
      return DataLossError("the zip64 end of central directory locator points at no zip64 record");
    }
    if (rec + 12 + U64(d, rec + 4) != locator) {
      return InvalidArgumentError(
          "the zip64 end of central directory record does not end where its locator begins");
    }
    entries = U64(d, rec + 32);
    cd_size = U64(d, rec + 40);
    cd_offset = U64(d, rec + 48);
    cd_end_limit = rec;
  }
  if (cd_offset > cd_end_limit || cd_size != cd_end_limit - cd_offset) {
    if (cd_offset <= cd_end_limit && cd_offset + cd_size < cd_end_limit) {
      return InvalidArgumentError(
          "the zip has " + CountBytes(cd_end_limit - cd_offset - cd_size) +
          " between its central directory and its end record that no structure accounts for");
    }
    return DataLossError("the zip's central directory does not fit before its end record");
  }

  // The central directory, entry by entry.
  std::vector<Span> spans;
  spans.reserve(static_cast<size_t>(std::min<uint64_t>(entries, 1u << 20)));
  uint64_t at = cd_offset;
  for (uint64_t i = 0; i < entries; ++i) {
    if (cd_offset + cd_size - at < 46 || U32(d, at) != kCentralSig) {
      return DataLossError(
          "the zip's central directory holds fewer entries than its end record "
          "says (" +
          std::to_string(entries) + ")");
    }
    const uint16_t flags = U16(d, at + 8);
    uint64_t comp = U32(d, at + 20);
    uint64_t uncomp = U32(d, at + 24);
    const uint64_t name_len = U16(d, at + 28);
    const uint64_t extra_len = U16(d, at + 30);
    const uint64_t comment_len = U16(d, at + 32);
    uint64_t local = U32(d, at + 42);
    const uint64_t next = at + 46 + name_len + extra_len + comment_len;
    if (next > cd_offset + cd_size) {
      return DataLossError("a zip central directory entry runs past the central directory");
    }
    std::string name(reinterpret_cast<const char*>(d.data() + at + 46), name_len);
    // zip64 extended information: the fields whose 32-bit value is all ones, in order.
    bool zip64 = false;
    for (uint64_t x = at + 46 + name_len, xend = x + extra_len; xend - x >= 4;) {
      const uint16_t tag = U16(d, x);
      const uint64_t len = U16(d, x + 2);
      if (len > xend - x - 4) break;
      if (tag == 0x0001) {
        zip64 = true;
        uint64_t f = x + 4, fend = f + len;
        auto take = [&](uint64_t* v) {
          if (fend - f >= 8) {
            *v = U64(d, f);
            f += 8;
          }
        };
        if (uncomp == 0xFFFFFFFF) take(&uncomp);
        if (comp == 0xFFFFFFFF) take(&comp);
        if (local == 0xFFFFFFFF) take(&local);
      }
      x += 4 + len;
    }
    if (local > size || size - local < 30 || U32(d, local) != kLocalSig) {
      return DataLossError("zip entry " + Quote(name) + ": no local header at offset " +
                           std::to_string(local));
    }
    const uint64_t data = local + 30 + U16(d, local + 26) + U16(d, local + 28);
    if (data > size || size - data < comp) {
      return DataLossError("zip entry " + Quote(name) + " runs past the end of the file");
    }
    Span s{local, data + comp, 0, "zip entry " + Quote(name)};
    if (flags & 0x0008) {
      // A data descriptor follows: crc-32 and the sizes (4 or, in zip64, 8 bytes each),
      // optionally after a signature. Its length is the one that meets what comes next;
      // CheckLayout's tiling below refuses any other.
      const bool sig = size - s.end >= 4 && U32(d, s.end) == kDescriptorSig;
      s.end += (sig ? 4 : 0) + (zip64 ? 20 : 12);
      if (!zip64) s.alt_end = s.end + 8;
      s.what += " (with data descriptor)";
    }
    spans.push_back(std::move(s));
    at = next;
  }
  if (at != cd_offset + cd_size) {
    return InvalidArgumentError("the zip's central directory has " +
                                CountBytes(cd_offset + cd_size - at) +
                                " after its last entry that no entry accounts for");
  }

  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  uint64_t expect = 0;
  for (size_t i = 0; i < spans.size(); ++i) {
    Span& s = spans[i];
    if (s.begin < expect) {
      return InvalidArgumentError(s.what + " overlaps " + spans[i - 1].what +
                                  ": zip entries may not share bytes");
    }
    if (s.begin > expect) {
      return InvalidArgumentError(
          (i == 0 ? "the zip has " + CountBytes(s.begin) +
                        " before its first entry (data prepended to the OFD package)"
                  : "the zip has " + CountBytes(s.begin - expect) + " between " +
                        spans[i - 1].what + " and " + s.what + " that no entry accounts for"));
    }
    const uint64_t following = i + 1 < spans.size() ? spans[i + 1].begin : cd_offset;
    if (s.alt_end != 0 && s.alt_end == following) s.end = s.alt_end;  // 8-byte sizes
    if (s.end > size) return DataLossError(s.what + " runs past the end of the file");
    expect = s.end;
  }
  if (expect > cd_offset) {
    return InvalidArgumentError((spans.empty() ? std::string("the zip") : spans.back().what) +
                                " overlaps the central directory");
  }
  if (expect < cd_offset) {
    return InvalidArgumentError(
        "the zip has " + CountBytes(cd_offset - expect) + " " +
        (spans.empty() ? std::string("before its central directory")
                       : "between " + spans.back().what + " and the central directory") +
        " that no entry accounts for");
  }
  return Status::Ok();
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
  // Every byte of the file is accounted for (CheckLayout), after the entries' own checks so
  // that a refused name or limit is reported as such.
  RETURN_IF_ERROR(CheckLayout(impl->data));
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
