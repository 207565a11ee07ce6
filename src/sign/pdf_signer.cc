// Sealing a PDF (pdf_signer.h).
#include "eseal/sign/pdf_signer.h"

#include <algorithm>
#include <set>

#include "eseal/crypto/sm3.h"
#include "eseal/pdf/document.h"
#include "eseal/pdf/image.h"
#include "eseal/pdf/signature_writer.h"
#include "eseal/pdf/text.h"
#include "eseal/ses/make.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/signed_data.h"

namespace eseal::sign {
namespace {

constexpr double kPtPerMm = 72.0 / 25.4;

// The widgets for the placement, in PDF points (origin bottom-left of each page's box).
Result<std::vector<pdf::Widget>> Widgets(const pdf::Document& doc, const Placement& pl, double w_mm, double h_mm) {
  std::vector<pdf::Widget> out;
  const double w = w_mm * kPtPerMm, h = h_mm * kPtPerMm;
  auto page_range = [&](int first, int last) -> Result<std::pair<int, int>> {
    int n = static_cast<int>(doc.page_count());
    if (last == 0) last = n;
    if (first < 1 || last > n || first > last) {
      return InvalidArgumentError("页码范围 " + std::to_string(first) + "-" + std::to_string(last) + " 超出文档页数（共 " +
                                  std::to_string(n) + " 页） / pages out of range");
    }
    return std::make_pair(first, last);
  };
  if (pl.keyword) {
    // The seal centred on each hit (or the n-th), as for OFD.
    const KeywordPlacement& k = *pl.keyword;
    ASSIGN_OR_RETURN(auto range, page_range(k.first_page, k.last_page));
    bool unmapped = false;
    ASSIGN_OR_RETURN(std::vector<pdf::TextHit> hits, pdf::FindText(doc, k.keyword, range.first, range.second, &unmapped));
    if (hits.empty()) {
      return InvalidArgumentError("在第 " + std::to_string(range.first) + "-" + std::to_string(range.second) +
                                  " 页没有找到关键字“" + k.keyword + "”" +
                                  (unmapped ? "（部分文字的字体没有 Unicode 映射，无法识别）" : "") +
                                  "，请检查关键字或改用页码和坐标 / the keyword was not found" +
                                  (unmapped ? " (some text uses a font without a Unicode map and cannot be read)" : ""));
    }
    if (k.occurrence > 0) {
      if (static_cast<size_t>(k.occurrence) > hits.size()) {
        return InvalidArgumentError("关键字只出现了 " + std::to_string(hits.size()) + " 次 / the keyword occurs only " +
                                    std::to_string(hits.size()) + " time(s)");
      }
      hits = {hits[k.occurrence - 1]};
    }
    for (const pdf::TextHit& hit : hits) {
      pdf::PageBox box = doc.page(hit.page - 1);
      double cx = (hit.x0 + hit.x1) / 2, cy = (hit.y0 + hit.y1) / 2;
      // Kept on the page: a keyword near an edge moves the seal inwards.
      double x = std::clamp(cx - w / 2, box.x0, std::max(box.x0, box.x1 - w));
      double y = std::clamp(cy - h / 2, box.y0, std::max(box.y0, box.y1 - h));
      out.push_back(pdf::Widget{hit.page, x, y, w, h});
    }
  }
  for (const PagePosition& p : pl.positions) {
    if (p.page < 1 || static_cast<size_t>(p.page) > doc.page_count()) {
      return InvalidArgumentError("页码 " + std::to_string(p.page) + " 超出文档页数（共 " +
                                  std::to_string(doc.page_count()) + " 页） / page " + std::to_string(p.page) +
                                  " is out of range");
    }
    pdf::PageBox box = doc.page(p.page - 1);
    pdf::Widget wd{p.page, box.x0 + p.x_mm * kPtPerMm, box.y1 - p.y_mm * kPtPerMm - h, w, h};
    if (p.x_mm < 0 || p.y_mm < 0 || wd.x + w > box.x1 + 0.01 || wd.y < box.y0 - 0.01) {
      return InvalidArgumentError("签章位置超出第 " + std::to_string(p.page) + " 页的页面范围（页面 " +
                                  std::to_string(static_cast<int>(box.width() / kPtPerMm)) + "×" +
                                  std::to_string(static_cast<int>(box.height() / kPtPerMm)) +
                                  " 毫米），请调整坐标 / the stamp box falls outside page " + std::to_string(p.page));
    }
    out.push_back(wd);
  }
  if (pl.riding) {
    const RidingPlacement& r = *pl.riding;
    ASSIGN_OR_RETURN(auto range, page_range(r.first_page, r.last_page));
    const int n = range.second - range.first + 1;
    if (n < 2) return InvalidArgumentError("骑缝章至少需要两页 / a riding seal needs at least two pages");
    const bool vertical_edge = r.edge == Edge::kLeft || r.edge == Edge::kRight;
    for (int i = 0; i < n; ++i) {
      int page = range.first + i;
      pdf::PageBox box = doc.page(page - 1);
      pdf::Widget wd;
      wd.page = page;
      if (vertical_edge) {
        double slice = w / n;
        double centre = r.offset_mm < 0 ? box.y0 + box.height() / 2 : box.y1 - r.offset_mm * kPtPerMm;
        wd.width = slice;
        wd.height = h;
        wd.x = r.edge == Edge::kRight ? box.x1 - slice : box.x0;
        wd.y = centre - h / 2;
        wd.image_width = w;
        wd.image_height = h;
        wd.image_x = -slice * i;  // page i shows the i-th slice from the left
        wd.image_y = 0;
      } else {
        double slice = h / n;
        double centre = r.offset_mm < 0 ? box.x0 + box.width() / 2 : box.x0 + r.offset_mm * kPtPerMm;
        wd.width = w;
        wd.height = slice;
        wd.x = centre - w / 2;
        wd.y = r.edge == Edge::kTop ? box.y1 - slice : box.y0;
        wd.image_width = w;
        wd.image_height = h;
        wd.image_x = 0;
        wd.image_y = -slice * (n - 1 - i);  // page i shows the i-th slice from the top
      }
      if (wd.y < box.y0 || wd.y + wd.height > box.y1 || wd.x < box.x0 || wd.x + wd.width > box.x1) {
        return InvalidArgumentError("骑缝章超出第 " + std::to_string(page) + " 页的页面范围，请调整位置 / the riding "
                                    "seal falls outside page " + std::to_string(page));
      }
      out.push_back(wd);
    }
  }
  return out;
}

std::string FreeFieldName(const pdf::Document& doc) {
  std::set<std::string> used;
  for (const pdf::SignatureField& s : doc.signatures()) used.insert(s.name);
  for (int n = 1;; ++n) {
    std::string name = "eseal-" + std::to_string(n);
    if (!used.count(name)) return name;
  }
}

std::string RangeText(const std::vector<int64_t>& br) {
  return "[" + std::to_string(br[0]) + " " + std::to_string(br[1]) + " " + std::to_string(br[2]) + " " +
         std::to_string(br[3]) + "]";
}

}  // namespace

Result<PdfSignResult> SignPdf(const PdfSignRequest& req) {
  if (!req.signer) return InvalidArgumentError("no signer key");
  if (req.format == PdfSignatureFormat::kSes && !req.seal) {
    return InvalidArgumentError("电子签章需要印章 / an SES signature needs the seal");
  }
  ASSIGN_OR_RETURN(pdf::Document doc, pdf::Document::Open(req.document, req.limits));
  ASSIGN_OR_RETURN(x509::Certificate signer_cert, x509::Certificate::FromDer(req.signer_cert_der));

  pdf::SignatureSpec spec;
  spec.field_name = req.field_name.empty() ? FreeFieldName(doc) : req.field_name;
  spec.signing_time = pdf::PdfDate(ToUnix(req.time));
  spec.reason = req.reason;
  spec.location = req.location;
  spec.docmdp = req.certify;
  std::optional<pdf::RgbImage> picture;
  const bool visible = !req.placement.positions.empty() || req.placement.riding || req.placement.keyword;
  if (visible) {
    if (!req.seal) return InvalidArgumentError("可见签章需要印章图片 / a visible signature needs the seal's picture");
    const ses::Picture& pic = req.seal->info.picture;
    ASSIGN_OR_RETURN(picture, pdf::DecodePng(pic.data));
    double w_mm = req.placement.width_mm > 0 ? req.placement.width_mm : static_cast<double>(pic.width_mm);
    double h_mm = req.placement.height_mm > 0 ? req.placement.height_mm : static_cast<double>(pic.height_mm);
    ASSIGN_OR_RETURN(spec.widgets, Widgets(doc, req.placement, w_mm, h_mm));
    spec.image = &*picture;
  }

  // Reserve room for the value: an SES_Signature carries the seal (picture included), a
  // SignedData only the signer certificate; plus a timestamp token. Too little is retried
  // once with the measured size.
  const bool ses = req.format == PdfSignatureFormat::kSes;
  size_t capacity = (ses ? 4096 + req.seal->der.size() + req.seal->der.size() / 4 : 4096) + (req.timestamper ? 8192 : 0);
  for (int attempt = 0; attempt < 2; ++attempt) {
    spec.contents_capacity = capacity;
    ASSIGN_OR_RETURN(pdf::PreparedSignature prepared, pdf::PrepareSignature(doc, spec));
    crypto::Sm3Digest digest = crypto::Sm3::Hash(prepared.SignedBytes());
    Bytes data_hash(digest.begin(), digest.end());
    Bytes value;
    if (req.format == PdfSignatureFormat::kSes) {
      ses::SignSpec ss;
      ss.time = req.time;
      ss.data_hash = data_hash;
      // 签名保护范围: what this signature covers, known before signing.
      ss.property_info = "/Field " + spec.field_name + " /ByteRange " + RangeText(prepared.byte_range());
      ASSIGN_OR_RETURN(ses::Signature sig, ses::SignWithSeal(*req.seal, req.signer_cert_der, *req.signer, ss));
      if (req.timestamper) RETURN_IF_ERROR(StampSesSignature(sig, req.timestamper));
      value = std::move(sig.der);
    } else {
      x509::SignedDataSpec sds;
      sds.form = x509::SignedDataSpec::Form::kAttributes;
      sds.signing_time = req.time;
      // The identifiers PDF verifiers know (pdf-and-timestamps.md §2; BouncyCastle's CMS
      // verifier refuses GB/T 35275's SM2-1 signature OID).
      sds.oids = x509::SignedDataSpec::Oids::kPkcs7;
      ASSIGN_OR_RETURN(x509::SignedData sd, x509::MakeSignedData(data_hash, signer_cert, *req.signer, sds));
      if (req.timestamper) RETURN_IF_ERROR(StampSignedData(sd, req.timestamper));
      value = std::move(sd.der);
    }
    if (value.size() > prepared.capacity()) {
      capacity = value.size() + 4096;
      continue;
    }
    RETURN_IF_ERROR(prepared.SetContents(value));
    PdfSignResult out;
    out.document = prepared.file();
    out.field_name = spec.field_name;
    out.appearances = static_cast<int>(spec.widgets.size());
    out.signed_value = std::move(value);
    return out;
  }
  return InternalError("the signature value outgrew its placeholder twice");
}

}  // namespace eseal::sign
