#include "eseal/verify/ofd_appearances.h"

#include "eseal/ses/signature.h"

namespace eseal::verify {

Result<std::vector<SealAppearance>> CollectAppearances(const ofd::Reader& reader) {
  std::vector<SealAppearance> out;
  if (!reader.has_signatures()) return out;
  auto list = reader.LoadSignatures();
  if (!list.ok()) {
    if (list.status().code() == StatusCode::kNotFound) return out;
    return list.status();
  }
  for (const ofd::SignatureEntry& e : list->entries) {
    auto sig = reader.LoadSignature(e);
    if (!sig.ok()) continue;
    std::string type;
    Bytes picture;
    if (e.IsSeal() && !sig->signed_value_path.empty()) {
      const ofd::EntryInfo* v = reader.package().Find(sig->signed_value_path);
      if (v == nullptr) v = reader.package().FindIgnoringCase(sig->signed_value_path);
      if (v != nullptr) {
        auto bytes = reader.package().ReadEntry(*v, reader.limits().max_xml_size);
        if (bytes.ok()) {
          auto ses_sig = ses::ParseSignature(*bytes);
          if (ses_sig.ok()) {
            type = ses_sig->tbs.seal.info.picture.type;
            picture = std::move(ses_sig->tbs.seal.info.picture.data);
          }
        }
      }
    }
    for (const ofd::StampAnnot& a : sig->stamp_annots) {
      if (!a.boundary) continue;
      auto page = reader.PageIndexForRef(a.page_ref);
      if (!page.ok()) continue;
      SealAppearance s;
      s.signature_id = e.id;
      s.type = e.IsSeal() ? "Seal" : e.type;
      s.annot_id = a.id;
      s.page_index = *page;
      s.boundary = *a.boundary;
      s.clip = a.clip;
      s.picture_type = type;
      s.picture = picture;
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace eseal::verify
