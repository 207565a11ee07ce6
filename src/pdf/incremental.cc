// Writing an incremental update (incremental.h): the objects, then the cross-reference
// section and trailer.
#include "incremental.h"

#include <zlib.h>

#include <cstdio>

namespace eseal::pdf {
namespace {

Bytes Deflate(ByteView in) {
  uLongf len = compressBound(in.size());
  Bytes out(len);
  if (compress2(out.data(), &len, in.data(), in.size(), 6) != Z_OK) return {};
  out.resize(len);
  return out;
}

}  // namespace

std::string Ref(int num, int gen) { return std::to_string(num) + " " + std::to_string(gen) + " R"; }

std::string Stream(const std::string& dict_entries, ByteView data, bool deflate) {
  Bytes body = deflate ? Deflate(data) : Bytes(data.begin(), data.end());
  std::string s = "<< " + dict_entries + (deflate ? " /Filter /FlateDecode" : "") + " /Length " +
                  std::to_string(body.size()) + " >>\nstream\n";
  s.append(reinterpret_cast<const char*>(body.data()), body.size());
  s += "\nendstream";
  return s;
}

std::string Edited(QPDFObjectHandle dict, const std::vector<std::string>& drop,
                   const std::string& extra) {
  QPDFObjectHandle copy = dict.shallowCopy();
  for (const std::string& k : drop) copy.removeKey(k);
  std::string text = copy.unparseResolved();  // "<< ... >>"
  size_t close = text.rfind(">>");
  return text.substr(0, close) + " " + extra + " >>";
}

std::string Items(QPDFObjectHandle array) {
  std::string out;
  for (int i = 0; array.isArray() && i < array.getArrayNItems(); ++i)
    out += array.getArrayItem(i).unparse() + " ";
  return out;
}

IncrementalUpdate::IncrementalUpdate(const Document& doc) : doc_(doc) {
  Document::Impl& d = doc.impl();
  QPDFObjectHandle trailer = d.qpdf->getTrailer();
  next_ = static_cast<int>(
      trailer.getKey("/Size").isInteger() ? trailer.getKey("/Size").getIntValue() : 0);
  for (const auto& [og, entry] : d.qpdf->getXRefTable()) next_ = std::max(next_, og.getObj() + 1);
}

Bytes IncrementalUpdate::Write(std::map<int, uint64_t>* object_offsets) {
  Document::Impl& d = doc_.impl();
  Bytes f(d.bytes.begin(), d.bytes.end());
  if (!f.empty() && f.back() != '\n' && f.back() != '\r') f.push_back('\n');
  auto append = [&](std::string_view s) { f.insert(f.end(), s.begin(), s.end()); };
  std::map<int, std::pair<int, uint64_t>> offsets;  // num -> (gen, offset)
  for (const Obj& o : objects_) {
    offsets[o.num] = {o.gen, f.size()};
    if (object_offsets) (*object_offsets)[o.num] = f.size();
    append(std::to_string(o.num) + " " + std::to_string(o.gen) + " obj\n" + o.body + "\nendobj\n");
  }
  const bool stream_xref = !d.revisions.empty() && d.revisions.back().xref_stream;
  QPDFObjectHandle t = d.qpdf->getTrailer().shallowCopy();
  for (const char* k : {"/Prev", "/Size", "/XRefStm", "/Type", "/W", "/Index", "/Filter",
                        "/DecodeParms", "/Length", "/DL"}) {
    t.removeKey(k);
  }
  const uint64_t xref_at = f.size();
  if (!stream_xref) {
    std::string x = "xref\n";
    for (auto it = offsets.begin(); it != offsets.end();) {
      auto run_end = it;
      int count = 0;
      while (run_end != offsets.end() && run_end->first == it->first + count) ++run_end, ++count;
      x += std::to_string(it->first) + " " + std::to_string(count) + "\n";
      for (; it != run_end; ++it) {
        char e[32];
        std::snprintf(e, sizeof e, "%010llu %05d n\r\n",
                      static_cast<unsigned long long>(it->second.second), it->second.first);
        x += e;
      }
    }
    std::string td = t.unparseResolved();
    td = td.substr(0, td.rfind(">>")) + " /Size " + std::to_string(next_) + " /Prev " +
         std::to_string(doc_.last_startxref()) + " >>";
    append(x + "trailer\n" + td + "\n");
  } else {
    const int xref_num = Alloc();
    offsets[xref_num] = {0, xref_at};
    std::string index;
    Bytes data;
    for (auto it = offsets.begin(); it != offsets.end();) {
      auto run_end = it;
      int count = 0;
      while (run_end != offsets.end() && run_end->first == it->first + count) ++run_end, ++count;
      index += std::to_string(it->first) + " " + std::to_string(count) + " ";
      for (; it != run_end; ++it) {
        uint64_t off = it->second.second;
        data.push_back(1);
        for (int s = 24; s >= 0; s -= 8) data.push_back(static_cast<uint8_t>(off >> s));
        data.push_back(static_cast<uint8_t>(it->second.first >> 8));
        data.push_back(static_cast<uint8_t>(it->second.first));
      }
    }
    std::string td = t.unparseResolved();
    std::string entries = td.substr(2, td.rfind(">>") - 2) + " /Type /XRef /Size " +
                          std::to_string(next_) + " /W [1 4 2] /Index [" + index + "] /Prev " +
                          std::to_string(doc_.last_startxref());
    append(std::to_string(xref_num) + " 0 obj\n" + Stream(entries, data, false) + "\nendobj\n");
  }
  append("startxref\n" + std::to_string(xref_at) + "\n%%EOF\n");
  return f;
}

}  // namespace eseal::pdf
