// Appending a signature as an incremental update (signature_writer.h).
#include "eseal/pdf/signature_writer.h"

#include <qpdf/QPDFExc.hh>

#include <cstdio>
#include <map>

#include "incremental.h"
#include "internal.h"

namespace eseal::pdf {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

}  // namespace

Bytes PreparedSignature::SignedBytes() const {
  Bytes out;
  out.reserve(static_cast<size_t>(byte_range_[1] + byte_range_[3]));
  out.insert(out.end(), file_.begin(), file_.begin() + byte_range_[1]);
  out.insert(out.end(), file_.begin() + byte_range_[2], file_.begin() + byte_range_[2] + byte_range_[3]);
  return out;
}

Status PreparedSignature::SetContents(ByteView value) {
  if (value.size() * 2 > hex_len_) {
    return FailedPreconditionError("签名值超出预留空间 / the signature (" + std::to_string(value.size()) +
                                   " bytes) does not fit the " + std::to_string(hex_len_ / 2) + " bytes reserved");
  }
  static const char* d = "0123456789ABCDEF";
  for (size_t i = 0; i < hex_len_; ++i) file_[hex_offset_ + i] = '0';
  for (size_t i = 0; i < value.size(); ++i) {
    file_[hex_offset_ + 2 * i] = d[value[i] >> 4];
    file_[hex_offset_ + 2 * i + 1] = d[value[i] & 15];
  }
  return Status::Ok();
}

Result<PreparedSignature> PrepareSignature(const Document& doc, const SignatureSpec& spec) {
  Document::Impl& d = doc.impl();
  for (const SignatureField& s : doc.signatures()) {
    if (s.name == spec.field_name) {
      return InvalidArgumentError("文档中已有名为“" + spec.field_name + "”的签名域，请换一个名称 / the document already "
                                  "has a signature field named " + spec.field_name);
    }
    if (s.docmdp && *s.docmdp == 1) {
      return FailedPreconditionError("此文档已由认证签名锁定，不允许任何修改（包括再签章） / the document carries a "
                                     "certification signature that allows no changes, not even another signature");
    }
  }
  if (spec.docmdp && (*spec.docmdp < 1 || *spec.docmdp > 3)) {
    return InvalidArgumentError("认证级别应为 1、2 或 3 / the DocMDP level must be 1, 2 or 3");
  }
  for (const Widget& w : spec.widgets) {
    if (w.page < 1 || static_cast<size_t>(w.page) > doc.page_count()) {
      return InvalidArgumentError("页码 " + std::to_string(w.page) + " 超出文档页数（共 " +
                                  std::to_string(doc.page_count()) + " 页） / page " + std::to_string(w.page) +
                                  " is out of range");
    }
    if (!spec.image) return InvalidArgumentError("可见签章需要印章图片 / a visible widget needs the seal picture");
  }
  try {
    QPDFObjectHandle root = d.qpdf->getRoot();
    IncrementalUpdate update(doc);
    auto alloc = [&] { return update.Alloc(); };
    struct Obj {
      int num, gen;
      std::string body;
    };
    std::vector<Obj> objs;

    // The signature dictionary, with its placeholders.
    const int sig_num = alloc();
    std::string sig = "<< /Type /" + spec.type + " /Filter /" + spec.filter + " /SubFilter /" + spec.sub_filter +
                      " /ByteRange [0 ********** ********** **********] /Contents <" +
                      std::string(spec.contents_capacity * 2, '0') + ">";
    if (!spec.signing_time.empty()) sig += " /M " + PdfTextString(spec.signing_time);
    if (!spec.name.empty()) sig += " /Name " + PdfTextString(spec.name);
    if (!spec.reason.empty()) sig += " /Reason " + PdfTextString(spec.reason);
    if (!spec.location.empty()) sig += " /Location " + PdfTextString(spec.location);
    if (spec.docmdp) {
      sig += " /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P " +
             std::to_string(*spec.docmdp) + " /V /1.2 >> >>]";
    }
    sig += " >>";
    objs.push_back({sig_num, 0, sig});

    // The picture, once for every widget.
    int image_num = 0;
    if (spec.image && !spec.widgets.empty()) {
      const RgbImage& im = *spec.image;
      int smask_num = 0;
      if (!im.alpha.empty()) {
        smask_num = alloc();
        objs.push_back({smask_num, 0,
                        Stream("/Type /XObject /Subtype /Image /Width " + std::to_string(im.width) + " /Height " +
                                   std::to_string(im.height) + " /ColorSpace /DeviceGray /BitsPerComponent 8",
                               im.alpha, true)});
      }
      image_num = alloc();
      objs.push_back({image_num, 0,
                      Stream("/Type /XObject /Subtype /Image /Width " + std::to_string(im.width) + " /Height " +
                                 std::to_string(im.height) + " /ColorSpace /DeviceRGB /BitsPerComponent 8" +
                                 (smask_num ? " /SMask " + Ref(smask_num) : ""),
                             im.rgb, true)});
    }

    // Widgets: one merged field-widget, or a field with widget kids (a riding seal).
    std::vector<Widget> widgets = spec.widgets;
    const bool invisible = widgets.empty();
    if (invisible) widgets.push_back(Widget{1, 0, 0, 0, 0});
    const int field_num = alloc();
    std::vector<int> widget_nums;
    std::map<int, std::vector<int>> per_page;  // page -> new annotation numbers
    for (const Widget& w : widgets) {
      int num = widgets.size() == 1 ? field_num : alloc();
      widget_nums.push_back(num);
      per_page[w.page].push_back(num);
    }
    const std::string field_t = PdfTextString(spec.field_name);
    for (size_t i = 0; i < widgets.size(); ++i) {
      const Widget& w = widgets[i];
      const QPDFObjectHandle& page = d.pages[w.page - 1];
      std::string ap;
      if (!invisible) {
        int ap_num = alloc();
        double iw = w.image_width > 0 ? w.image_width : w.width, ih = w.image_height > 0 ? w.image_height : w.height;
        std::string content = "q 0 0 " + Num(w.width) + " " + Num(w.height) + " re W n " + Num(iw) + " 0 0 " + Num(ih) +
                              " " + Num(w.image_x) + " " + Num(w.image_y) + " cm /Im0 Do Q\n";
        objs.push_back({ap_num, 0,
                        Stream("/Type /XObject /Subtype /Form /BBox [0 0 " + Num(w.width) + " " + Num(w.height) +
                                   "] /Resources << /XObject << /Im0 " + Ref(image_num) + " >> >>",
                               AsBytes(std::string_view(content)), false)});
        ap = " /AP << /N " + Ref(ap_num) + " >>";
      } else {
        // An empty appearance, so viewers that insist on one draw nothing.
        int ap_num = alloc();
        objs.push_back({ap_num, 0, Stream("/Type /XObject /Subtype /Form /BBox [0 0 0 0]", {}, false)});
        ap = " /AP << /N " + Ref(ap_num) + " >>";
      }
      std::string rect = "[" + Num(w.x) + " " + Num(w.y) + " " + Num(w.x + w.width) + " " + Num(w.y + w.height) + "]";
      std::string widget = "/Type /Annot /Subtype /Widget /F 132 /Rect " + rect + " /P " +
                           Ref(page.getObjectID(), page.getGeneration()) + ap;
      if (widgets.size() == 1) {
        objs.push_back({field_num, 0, "<< /FT /Sig /T " + field_t + " /V " + Ref(sig_num) + " " + widget + " >>"});
      } else {
        objs.push_back({widget_nums[i], 0, "<< " + widget + " /Parent " + Ref(field_num) + " >>"});
      }
    }
    if (widgets.size() > 1) {
      std::string kids;
      for (int n : widget_nums) kids += Ref(n) + " ";
      objs.push_back({field_num, 0, "<< /FT /Sig /T " + field_t + " /V " + Ref(sig_num) + " /Kids [" + kids + "] >>"});
    }

    // The pages' /Annots.
    for (const auto& [page_no, nums] : per_page) {
      QPDFObjectHandle page = d.pages[page_no - 1];
      QPDFObjectHandle annots = page.getKey("/Annots");
      std::string added;
      for (int n : nums) added += Ref(n) + " ";
      if (annots.isArray() && annots.isIndirect()) {
        objs.push_back({annots.getObjectID(), annots.getGeneration(), "[" + Items(annots) + added + "]"});
      } else {
        objs.push_back({page.getObjectID(), page.getGeneration(),
                        Edited(page, {"/Annots"}, "/Annots [" + Items(annots) + added + "]")});
      }
    }

    // The AcroForm and the Catalog.
    QPDFObjectHandle acro = root.getKey("/AcroForm");
    std::string fields_text = "/Fields [" + Items(Get(acro, "/Fields")) + Ref(field_num) + " ] /SigFlags 3";
    std::string root_extra;
    if (acro.isDictionary() && acro.isIndirect()) {
      objs.push_back({acro.getObjectID(), acro.getGeneration(), Edited(acro, {"/Fields", "/SigFlags"}, fields_text)});
    } else if (acro.isDictionary()) {
      root_extra += "/AcroForm " + Edited(acro, {"/Fields", "/SigFlags"}, fields_text);
    } else {
      int acro_num = alloc();
      objs.push_back({acro_num, 0, "<< " + fields_text + " >>"});
      root_extra += "/AcroForm " + Ref(acro_num);
    }
    std::vector<std::string> root_drop;
    if (!root_extra.empty()) root_drop.push_back("/AcroForm");
    if (spec.docmdp) {
      root_drop.push_back("/Perms");
      root_extra += " /Perms << /DocMDP " + Ref(sig_num) + " >>";
    }
    if (!root_extra.empty()) objs.push_back({root.getObjectID(), root.getGeneration(), Edited(root, root_drop, root_extra)});

    // Write: the objects, then the cross-reference section and trailer.
    for (Obj& o : objs) update.Put(o.num, o.gen, std::move(o.body));
    std::map<int, uint64_t> offsets;
    PreparedSignature out;
    out.file_ = update.Write(&offsets);
    Bytes& f = out.file_;
    const size_t sig_offset = offsets.at(sig_num);

    // Where the placeholders are, and the ByteRange.
    std::string_view fs(reinterpret_cast<const char*>(f.data()), f.size());
    size_t br = fs.find("/ByteRange [0 **********", sig_offset);
    size_t lt = fs.find("/Contents <", sig_offset);
    if (br == std::string_view::npos || lt == std::string_view::npos) return InternalError("placeholder lost");
    lt += 10;  // the '<'
    out.hex_offset_ = lt + 1;
    out.hex_len_ = spec.contents_capacity * 2;
    const int64_t a = static_cast<int64_t>(lt), b = a + static_cast<int64_t>(out.hex_len_) + 2;
    out.byte_range_ = {0, a, b, static_cast<int64_t>(f.size()) - b};
    std::string range = "[0 " + std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(out.byte_range_[3]);
    const size_t width = std::string_view("[0 ********** ********** **********").size();
    range.resize(width, ' ');
    std::copy(range.begin(), range.end(), f.begin() + br + 11);
    return out;
  } catch (const QPDFExc& e) {
    return InvalidArgumentError("PDF 文件结构无法追加签章 / the PDF cannot take an incremental update: " +
                                e.getMessageDetail());
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("PDF 文件结构无法追加签章 / the PDF cannot take an incremental update: ") +
                                e.what());
  }
}

}  // namespace eseal::pdf
