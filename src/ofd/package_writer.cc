// PackageWriter: append to an OFD package without rewriting its other entries.
#include "eseal/ofd/package_writer.h"

#include <zip.h>

#include <algorithm>
#include <cstring>

#include "eseal/base/file.h"
#include "eseal/ofd/path.h"

namespace eseal::ofd {
namespace {

std::string Fold(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string ZipErrorText(zip_error_t* e) { return zip_error_strerror(e); }

void DosTime(Time t, zip_uint16_t* dtime, zip_uint16_t* ddate) {
  CivilTime c = ToCivil(t);
  if (c.year < 1980) c = CivilTime{1980, 1, 1, 0, 0, 0};
  if (c.year > 2107) c = CivilTime{2107, 12, 31, 23, 59, 58};
  *dtime = static_cast<zip_uint16_t>((c.hour << 11) | (c.minute << 5) | (c.second / 2));
  *ddate = static_cast<zip_uint16_t>(((c.year - 1980) << 9) | (c.month << 5) | c.day);
}

// A zip source over the original package bytes that writes the new archive to memory.
// libzip's own buffer source is not used for writing: in libzip 1.7 its "cloning" shortcut
// (keep the unchanged prefix in place) corrupts the output. This source does not offer
// cloning, so libzip writes the whole archive, copying unchanged entries' compressed data.
struct MemorySource {
  explicit MemorySource(ByteView original) : in(original) { zip_error_init(&error); }
  ~MemorySource() { zip_error_fini(&error); }

  ByteView in;
  uint64_t rpos = 0;
  Bytes out;
  uint64_t wpos = 0;
  bool committed = false;
  Bytes result;
  zip_error_t error;

  static zip_int64_t Callback(void* ud, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    auto* s = static_cast<MemorySource*>(ud);
    switch (cmd) {
      case ZIP_SOURCE_OPEN:
        s->rpos = 0;
        return 0;
      case ZIP_SOURCE_READ: {
        uint64_t n =
            std::min<uint64_t>(len, s->in.size() - std::min<uint64_t>(s->rpos, s->in.size()));
        if (n > 0) std::memcpy(data, s->in.data() + s->rpos, n);
        s->rpos += n;
        return static_cast<zip_int64_t>(n);
      }
      case ZIP_SOURCE_CLOSE:
      case ZIP_SOURCE_FREE:
      case ZIP_SOURCE_REMOVE:
        return 0;
      case ZIP_SOURCE_STAT: {
        zip_stat_t* st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &s->error);
        if (st == nullptr) return -1;
        zip_stat_init(st);
        st->size = s->in.size();
        st->valid |= ZIP_STAT_SIZE;
        return sizeof(*st);
      }
      case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&s->error, data, len);
      case ZIP_SOURCE_SEEK: {
        zip_int64_t off =
            zip_source_seek_compute_offset(s->rpos, s->in.size(), data, len, &s->error);
        if (off < 0) return -1;
        s->rpos = static_cast<uint64_t>(off);
        return 0;
      }
      case ZIP_SOURCE_TELL:
        return static_cast<zip_int64_t>(s->rpos);
      case ZIP_SOURCE_BEGIN_WRITE:
        s->out.clear();
        s->wpos = 0;
        return 0;
      case ZIP_SOURCE_WRITE: {
        if (s->wpos + len > s->out.size()) s->out.resize(static_cast<size_t>(s->wpos + len));
        if (len > 0) std::memcpy(s->out.data() + s->wpos, data, len);
        s->wpos += len;
        return static_cast<zip_int64_t>(len);
      }
      case ZIP_SOURCE_SEEK_WRITE: {
        zip_int64_t off =
            zip_source_seek_compute_offset(s->wpos, s->out.size(), data, len, &s->error);
        if (off < 0) return -1;
        s->wpos = static_cast<uint64_t>(off);
        return 0;
      }
      case ZIP_SOURCE_TELL_WRITE:
        return static_cast<zip_int64_t>(s->wpos);
      case ZIP_SOURCE_COMMIT_WRITE:
        s->result = std::move(s->out);
        s->out.clear();
        s->committed = true;
        return 0;
      case ZIP_SOURCE_ROLLBACK_WRITE:
        s->out.clear();
        return 0;
      case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(
            ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR,
            ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL, ZIP_SOURCE_BEGIN_WRITE,
            ZIP_SOURCE_WRITE, ZIP_SOURCE_COMMIT_WRITE, ZIP_SOURCE_ROLLBACK_WRITE,
            ZIP_SOURCE_SEEK_WRITE, ZIP_SOURCE_TELL_WRITE, ZIP_SOURCE_REMOVE, -1);
      default:
        zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
  }
};

}  // namespace

PackageWriter::PackageWriter(const Package& original)
    : original_(&original), mtime_(TimeFromUnix(315532800)) {}  // 1980-01-01T00:00:00Z

Status PackageWriter::Put(std::string_view path, Bytes data, Compression compression) {
  const std::string p(path);
  if (!IsCanonicalPath(p)) {
    return InvalidArgumentError("\"" + p + "\" is not a canonical package path");
  }
  const std::string key = Fold(p);
  for (const EntryInfo& e : original_->entries()) {
    std::string k = Fold(e.path);
    if (k == key && (e.is_directory || e.path != p)) {
      return InvalidArgumentError("\"" + p + "\" clashes with the existing zip entry \"" + e.name +
                                  "\"");
    }
    if (k.starts_with(key + "/")) {
      return InvalidArgumentError("\"" + p + "\" is a folder in the package");
    }
    if (!e.is_directory && key.starts_with(k + "/")) {
      return InvalidArgumentError("\"" + p + "\" would be inside the file \"" + e.name + "\"");
    }
  }
  for (const auto& [other, unused] : changes_) {
    std::string k = Fold(other);
    if ((k == key && other != p) || k.starts_with(key + "/") || key.starts_with(k + "/")) {
      return InvalidArgumentError("\"" + p + "\" clashes with \"" + other + "\" added before");
    }
  }
  if (data.size() > original_->limits().max_entry_size) {
    return ResourceExhaustedError("\"" + p + "\" is larger than the entry size limit");
  }
  changes_[p] = Change{std::move(data), compression};
  return Status::Ok();
}

Result<Bytes> PackageWriter::Write() const {
  MemorySource mem(original_->bytes());
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_function_create(&MemorySource::Callback, &mem, &err);
  if (src == nullptr) {
    std::string m = ZipErrorText(&err);
    zip_error_fini(&err);
    return InternalError("cannot prepare the OFD package for writing: " + m);
  }
  zip_t* za = zip_open_from_source(src, 0, &err);
  if (za == nullptr) {
    std::string m = ZipErrorText(&err);
    zip_error_fini(&err);
    zip_source_free(src);
    return DataLossError("cannot reopen the OFD package for writing: " + m);
  }
  zip_error_fini(&err);

  zip_uint16_t dtime = 0, ddate = 0;
  DosTime(mtime_, &dtime, &ddate);
  auto fail = [&](const std::string& what) -> Status {
    std::string m = zip_strerror(za);
    zip_discard(za);  // also frees `src`
    return InternalError(what + ": " + m);
  };
  for (const auto& [path, change] : changes_) {
    const std::string name = EntryNameFor(path);
    const Bytes& data = change.data;
    zip_source_t* s = zip_source_buffer(za, data.data(), data.size(), 0);
    if (s == nullptr) return fail("cannot add \"" + name + "\"");
    zip_int64_t idx = zip_file_add(za, name.c_str(), s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
      zip_source_free(s);
      return fail("cannot add \"" + name + "\"");
    }
    auto i = static_cast<zip_uint64_t>(idx);
    zip_int32_t method = change.compression == Compression::kStore ? ZIP_CM_STORE : ZIP_CM_DEFLATE;
    if (zip_set_file_compression(za, i, method, 0) != 0 ||
        zip_file_set_dostime(za, i, dtime, ddate, 0) != 0) {
      return fail("cannot set the attributes of \"" + name + "\"");
    }
  }
  if (zip_close(za) != 0) return fail("cannot write the new OFD package");
  if (!mem.committed) return InternalError("the new OFD package was not written");
  Bytes out = std::move(mem.result);

  // Check the result: it must open under the same limits, hold every change, and keep
  // every other file exactly (same size, CRC, compression and compressed size).
  auto check = Package::Open(out, original_->limits());
  if (!check.ok()) return check.status().WithContext("the new OFD package does not reopen");
  for (const EntryInfo& e : original_->entries()) {
    if (changes_.count(e.path) != 0) continue;
    const EntryInfo* n = e.is_directory ? nullptr : check->Find(e.path);
    if (e.is_directory) continue;
    if (n == nullptr || n->size != e.size || n->crc32 != e.crc32 ||
        n->compression != e.compression || n->compressed_size != e.compressed_size) {
      return InternalError("the new OFD package changed the untouched entry \"" + e.name + "\"");
    }
  }
  for (const auto& [path, change] : changes_) {
    const EntryInfo* n = check->Find(path);
    if (n == nullptr || n->size != change.data.size()) {
      return InternalError("the new OFD package lacks \"" + path + "\"");
    }
  }
  return out;
}

Status PackageWriter::WriteFile(const std::string& path) const {
  ASSIGN_OR_RETURN(Bytes out, Write());
  return WriteFileAtomic(path, ByteView(out));
}

}  // namespace eseal::ofd
