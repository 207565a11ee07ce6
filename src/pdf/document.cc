// Reading a PDF (document.h) with libqpdf.
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <zlib.h>

#include <qpdf/Buffer.hh>

#include <cmath>
#include <ctime>
#include <set>

#include "internal.h"

namespace eseal::pdf {
namespace {

Status Damaged(std::string_view detail) {
  return InvalidArgumentError(
      "无法读取此 PDF 文件（文件已损坏或需要修复；需要修复的文件不能签章或验证），请用原始文件重试 / the PDF "
      "cannot be read (damaged, or it needs repair, which rules out signing and verifying it): " +
      std::string(detail));
}

Status Encrypted() {
  return FailedPreconditionError("此 PDF 文件已加密，请先由文件所有者解除加密再签章或验证 / the PDF is encrypted; "
                                 "remove the encryption first");
}

std::string NameOf(QPDFObjectHandle h) {
  if (!h.isName()) return "";
  std::string n = h.getName();
  return n.empty() ? n : n.substr(1);
}

double Num(QPDFObjectHandle h) { return h.isNumber() ? h.getNumericValue() : 0; }

struct FieldWalker {
  Document::Impl& d;
  std::set<QPDFObjGen> seen;
  std::map<QPDFObjGen, int> page_of;  // page object -> 1-based number

  Status Walk(QPDFObjectHandle field, const std::string& parent_name, std::string inherited_ft, int depth) {
    if (depth > d.limits.max_depth) {
      return ResourceExhaustedError("PDF 表单域嵌套过深 / the PDF's form fields nest deeper than " +
                                    std::to_string(d.limits.max_depth));
    }
    if (!field.isDictionary()) return Status::Ok();
    if (field.isIndirect() && !seen.insert(field.getObjGen()).second) return Status::Ok();  // a loop
    std::string name = parent_name;
    if (field.getKey("/T").isString()) {
      std::string t = field.getKey("/T").getUTF8Value();
      name = name.empty() ? t : name + "." + t;
    }
    std::string ft = field.hasKey("/FT") ? NameOf(field.getKey("/FT")) : inherited_ft;
    QPDFObjectHandle kids = field.getKey("/Kids");
    bool has_field_kids = false;
    if (kids.isArray()) {
      for (int i = 0; i < kids.getArrayNItems(); ++i) {
        QPDFObjectHandle k = kids.getArrayItem(i);
        if (k.isDictionary() && (k.hasKey("/T") || k.hasKey("/FT") || k.hasKey("/Kids"))) has_field_kids = true;
      }
    }
    if (ft == "Sig" && field.getKey("/V").isDictionary()) {
      if (d.signatures.size() >= d.limits.max_signatures) {
        return ResourceExhaustedError("PDF 中的签名域过多 / the PDF has more than " +
                                      std::to_string(d.limits.max_signatures) + " signature fields");
      }
      SignatureField s;
      s.name = name;
      QPDFObjectHandle v = field.getKey("/V");
      if (v.isIndirect()) {
        s.dict_object = v.getObjectID();
        s.dict_generation = v.getGeneration();
      }
      s.type = v.hasKey("/Type") ? NameOf(v.getKey("/Type")) : "Sig";
      s.filter = NameOf(v.getKey("/Filter"));
      s.sub_filter = NameOf(v.getKey("/SubFilter"));
      QPDFObjectHandle br = v.getKey("/ByteRange");
      if (br.isArray() && br.getArrayNItems() <= 64) {
        for (int i = 0; i < br.getArrayNItems(); ++i) {
          QPDFObjectHandle n = br.getArrayItem(i);
          s.byte_range.push_back(n.isInteger() ? n.getIntValue() : -1);
        }
      }
      if (v.getKey("/Contents").isString()) {
        std::string c = v.getKey("/Contents").getStringValue();
        s.contents.assign(c.begin(), c.end());
      }
      if (v.getKey("/M").isString()) s.signing_time = v.getKey("/M").getStringValue();
      QPDFObjectHandle ref = v.getKey("/Reference");
      for (int i = 0; ref.isArray() && i < ref.getArrayNItems(); ++i) {
        QPDFObjectHandle r = ref.getArrayItem(i);
        if (r.isDictionary() && NameOf(r.getKey("/TransformMethod")) == "DocMDP") {
          QPDFObjectHandle p = Get(r.getKey("/TransformParams"), "/P");
          s.docmdp = p.isInteger() ? static_cast<int>(p.getIntValue()) : 2;
        }
      }
      // Widgets: the field itself (merged) or its kids without names.
      auto add_widget = [&](QPDFObjectHandle w) {
        QPDFObjectHandle p = Get(w, "/P");
        if (p.isIndirect()) {
          auto it = page_of.find(p.getObjGen());
          if (it != page_of.end()) s.widget_pages.push_back(it->second);
        }
      };
      if (!has_field_kids && kids.isArray()) {
        for (int i = 0; i < kids.getArrayNItems(); ++i) add_widget(kids.getArrayItem(i));
      } else if (field.getKey("/Subtype").isName() && field.getKey("/Subtype").getName() == "/Widget") {
        add_widget(field);
      }
      d.signatures.push_back(std::move(s));
    }
    if (has_field_kids) {
      for (int i = 0; i < kids.getArrayNItems(); ++i) RETURN_IF_ERROR(Walk(kids.getArrayItem(i), name, ft, depth + 1));
    }
    return Status::Ok();
  }
};

// `in` inflated (zlib, FlateDecode without predictors), refused past `max` bytes: a few
// kilobytes of deflated zeros would otherwise become gigabytes.
std::optional<Bytes> InflateBounded(ByteView in, uint64_t max) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return std::nullopt;
  Bytes out;
  uint8_t buf[16384];
  z.next_in = const_cast<Bytef*>(in.data());
  z.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = buf;
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.insert(out.end(), buf, buf + (sizeof buf - z.avail_out));
    if (out.size() > max) break;
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) break;  // truncated input
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END || out.size() > max) return std::nullopt;
  return out;
}

// The /DSS of the Catalog (document.h). Never fails: what cannot be read is named in
// `problems` and left out, because the DSS is only ever a help to the verifier.
void ReadDss(QPDFObjectHandle root, Document::Impl& d) {
  QPDFObjectHandle dss = Get(root, "/DSS");
  if (!dss.isDictionary()) return;
  d.dss.present = true;
  auto problem = [&](std::string what) {
    if (d.dss.problems.size() < 20) d.dss.problems.push_back(std::move(what));
  };
  size_t entries = 0;
  for (auto [key, into] : {std::pair<const char*, std::vector<Bytes>*>{"/Certs", &d.dss.certs},
                           {"/CRLs", &d.dss.crls}, {"/OCSPs", &d.dss.ocsps}}) {
    QPDFObjectHandle a = dss.getKey(key);
    for (int i = 0; a.isArray() && i < a.getArrayNItems(); ++i) {
      const std::string name = std::string(key + 1) + "[" + std::to_string(i) + "]";
      if (++entries > d.limits.max_dss_entries) {
        problem("more than " + std::to_string(d.limits.max_dss_entries) + " entries; the rest were not read");
        return;
      }
      QPDFObjectHandle st = a.getArrayItem(i);
      if (!st.isStream()) {
        problem(name + " is not a stream");
        continue;
      }
      QPDFObjectHandle filter = st.getDict().getKey("/Filter");
      if (filter.isArray() && filter.getArrayNItems() == 1) filter = filter.getArrayItem(0);
      const bool flate = filter.isName() && filter.getName() == "/FlateDecode";
      if (!(filter.isNull() || flate) || !st.getDict().getKey("/DecodeParms").isNull()) {
        problem(name + " uses a filter other than FlateDecode");
        continue;
      }
      std::shared_ptr<Buffer> raw;
      try {
        raw = st.getRawStreamData();
      } catch (const std::exception& e) {
        problem(name + " cannot be read: " + e.what());
        continue;
      }
      if (raw->getSize() > d.limits.max_stream_bytes) {
        problem(name + " is larger than " + std::to_string(d.limits.max_stream_bytes) + " bytes");
        continue;
      }
      ByteView data(raw->getBuffer(), raw->getSize());
      if (!flate) {
        into->emplace_back(data.begin(), data.end());
        continue;
      }
      std::optional<Bytes> plain = InflateBounded(data, d.limits.max_stream_bytes);
      if (!plain) {
        problem(name + " does not inflate (damaged, or larger than " + std::to_string(d.limits.max_stream_bytes) +
                " bytes)");
        continue;
      }
      into->push_back(*std::move(plain));
    }
  }
  QPDFObjectHandle vri = dss.getKey("/VRI");
  if (vri.isDictionary()) d.dss.vri = vri.getKeys().size();
}

}  // namespace

Result<std::unique_ptr<QPDF>> OpenQpdf(ByteView bytes, const Limits& limits) {
  auto q = std::make_unique<QPDF>();
  try {
    q->setAttemptRecovery(false);
    q->setSuppressWarnings(true);
    q->processMemoryFile("document.pdf", reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (q->isEncrypted()) return Encrypted();
    if (q->getObjectCount() > limits.max_objects) {
      return ResourceExhaustedError("PDF 文件的对象过多（超过 " + std::to_string(limits.max_objects) +
                                    " 个） / the PDF has more than " + std::to_string(limits.max_objects) + " objects");
    }
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) return Encrypted();
    return Damaged(e.getMessageDetail());
  } catch (const std::exception& e) {
    return Damaged(e.what());
  }
  return q;
}

Document::Document(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

Result<Document> Document::Open(ByteView file, const Limits& limits) {
  if (file.size() > limits.max_file_size) {
    return ResourceExhaustedError("PDF 文件超过 " + std::to_string(limits.max_file_size >> 20) +
                                  " MiB，请缩小后重试 / the PDF is larger than " +
                                  std::to_string(limits.max_file_size >> 20) + " MiB");
  }
  if (file.size() < 8 || std::string_view(reinterpret_cast<const char*>(file.data()), 5) != "%PDF-") {
    return InvalidArgumentError("这不是 PDF 文件（文件头不是 %PDF-），请检查上传的文件 / not a PDF file (no %PDF- header)");
  }
  auto impl = std::make_unique<Impl>();
  impl->bytes.assign(file.begin(), file.end());
  impl->limits = limits;
  ASSIGN_OR_RETURN(impl->revisions, FindRevisions(impl->bytes, limits));
  {
    std::string_view s(reinterpret_cast<const char*>(impl->bytes.data()), impl->bytes.size());
    size_t sx = s.rfind("startxref");
    size_t p = sx + 9;
    while (p < s.size() && (s[p] == ' ' || s[p] == '\r' || s[p] == '\n')) ++p;
    impl->last_startxref = std::strtoull(std::string(s.substr(p, 20)).c_str(), nullptr, 10);
  }
  ASSIGN_OR_RETURN(impl->qpdf, OpenQpdf(impl->bytes, limits));
  try {
    QPDFObjectHandle root = impl->qpdf->getRoot();
    QPDFPageDocumentHelper pdh(*impl->qpdf);
    std::vector<QPDFPageObjectHelper> pages = pdh.getAllPages();
    if (pages.size() > limits.max_pages) {
      return ResourceExhaustedError("PDF 页数超过 " + std::to_string(limits.max_pages) + " / the PDF has more than " +
                                    std::to_string(limits.max_pages) + " pages");
    }
    FieldWalker w{*impl, {}, {}};
    for (size_t i = 0; i < pages.size(); ++i) {
      QPDFObjectHandle po = pages[i].getObjectHandle();
      impl->pages.push_back(po);
      w.page_of[po.getObjGen()] = static_cast<int>(i + 1);
      PageBox b;
      QPDFObjectHandle mb = pages[i].getAttribute("/MediaBox", false);
      if (mb.isArray() && mb.getArrayNItems() == 4) {
        double v[4];
        for (int k = 0; k < 4; ++k) v[k] = Num(mb.getArrayItem(k));
        b.x0 = std::min(v[0], v[2]);
        b.y0 = std::min(v[1], v[3]);
        b.x1 = std::max(v[0], v[2]);
        b.y1 = std::max(v[1], v[3]);
      }
      QPDFObjectHandle rot = pages[i].getAttribute("/Rotate", false);
      if (rot.isInteger()) b.rotate = static_cast<int>(((rot.getIntValue() % 360) + 360) % 360);
      if (!(b.width() > 0 && b.height() > 0)) return Damaged("page " + std::to_string(i + 1) + " has no MediaBox");
      impl->boxes.push_back(b);
    }
    QPDFObjectHandle fields = Get(root.getKey("/AcroForm"), "/Fields");
    for (int i = 0; fields.isArray() && i < fields.getArrayNItems(); ++i) {
      RETURN_IF_ERROR(w.Walk(fields.getArrayItem(i), "", "", 0));
    }
    ReadDss(root, *impl);
    // What qpdf noticed but did not need to repair (e.g. a trailer /Size that is off by
    // some): kept for the verifier to report.
    for (const QPDFExc& warning : impl->qpdf->getWarnings()) {
      if (impl->warnings.size() < 20) impl->warnings.push_back(warning.getMessageDetail());
    }
  } catch (const QPDFExc& e) {
    return Damaged(e.getMessageDetail());
  } catch (const std::exception& e) {
    return Damaged(e.what());
  }
  return Document(std::move(impl));
}

ByteView Document::bytes() const { return impl_->bytes; }
const std::vector<Revision>& Document::revisions() const { return impl_->revisions; }
uint64_t Document::last_startxref() const { return impl_->last_startxref; }
size_t Document::page_count() const { return impl_->boxes.size(); }
PageBox Document::page(size_t index) const { return impl_->boxes.at(index); }
const std::vector<SignatureField>& Document::signatures() const { return impl_->signatures; }
const Dss& Document::dss() const { return impl_->dss; }
const Limits& Document::limits() const { return impl_->limits; }
const std::vector<std::string>& Document::warnings() const { return impl_->warnings; }

ByteView ContentsValue(const SignatureField& field) {
  ByteView b = field.contents;
  if (b.size() < 2) return {};
  size_t len = b[1], head = 2;
  if (len & 0x80) {
    const size_t n = len & 0x7f;
    if (n == 0 || n > 4 || b.size() < 2 + n) return {};
    len = 0;
    for (size_t i = 0; i < n; ++i) len = (len << 8) | b[2 + i];
    head += n;
  }
  return head + len <= b.size() ? b.subspan(0, head + len) : ByteView{};
}

std::string PdfDate(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds + 8 * 3600);  // China Standard Time
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "D:%Y%m%d%H%M%S+08'00'", &tm);
  return buf;
}

std::string PdfTextString(std::string_view utf8) {
  bool ascii = true;
  for (unsigned char c : utf8) ascii = ascii && c >= 0x20 && c < 0x7f;
  if (ascii) {
    std::string out = "(";
    for (char c : utf8) {
      if (c == '(' || c == ')' || c == '\\') out += '\\';
      out += c;
    }
    return out + ")";
  }
  // UTF-8 to UTF-16BE.
  std::string hex = "<FEFF";
  auto put = [&](unsigned v) {
    static const char* d = "0123456789ABCDEF";
    for (int s = 12; s >= 0; s -= 4) hex += d[(v >> s) & 0xf];
  };
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = utf8[i];
    unsigned cp = 0xfffd;
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (n == 1) {
      cp = c < 0x80 ? c : 0xfffd;
    } else if (i + n <= utf8.size()) {
      cp = c & (0x7f >> n);
      for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3f);
    }
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xd800 + (cp >> 10));
      put(0xdc00 + (cp & 0x3ff));
    } else {
      put(cp);
    }
  }
  return hex + ">";
}

}  // namespace eseal::pdf
