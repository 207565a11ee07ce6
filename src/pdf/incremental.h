// Writing an incremental update (增量更新, ISO 32000-1 §7.5.6), shared by the signature
// writer and the DSS writer: objects appended after the file's last byte, then a
// cross-reference section of the same kind as the file's last one (a table, or a stream
// for files that use them) and a trailer with /Prev, so readers of either kind follow the
// chain. Not one byte before the end of the file changes.
// Thread-safety: an IncrementalUpdate is used by one thread.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "eseal/base/bytes.h"
#include "internal.h"

namespace eseal::pdf {

std::string Ref(int num, int gen = 0);
// An indirect stream's text ("<< ... >>\nstream\n...\nendstream"), deflated when asked.
std::string Stream(const std::string& dict_entries, ByteView data, bool deflate);
// A dictionary's text with `drop` keys removed and `extra` ("/Key value ...") added.
std::string Edited(QPDFObjectHandle dict, const std::vector<std::string>& drop,
                   const std::string& extra);
// The items of an array as text, each followed by a space (empty for a non-array).
std::string Items(QPDFObjectHandle array);

class IncrementalUpdate {
 public:
  // Object numbers start after the highest one the file uses (and its trailer's /Size).
  // libqpdf may throw (QPDFExc): callers catch at their call site.
  explicit IncrementalUpdate(const Document& doc);

  int Alloc() { return next_++; }
  // A new object, or a new version of an existing one (same number and generation).
  void Put(int num, int gen, std::string body) { objects_.push_back({num, gen, std::move(body)}); }

  // The whole new file; `offsets` (optional) receives where each object put starts.
  Bytes Write(std::map<int, uint64_t>* offsets = nullptr);

 private:
  struct Obj {
    int num, gen;
    std::string body;
  };
  const Document& doc_;
  int next_ = 0;
  std::vector<Obj> objects_;
};

}  // namespace eseal::pdf
