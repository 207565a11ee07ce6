// Appending a DSS as an incremental update (dss_writer.h).
#include "eseal/pdf/dss_writer.h"

#include <qpdf/QPDFExc.hh>

#include <set>

#include "incremental.h"
#include "internal.h"

namespace eseal::pdf {
namespace {

// The entries of `in` that neither `have` nor an earlier entry of `in` holds.
std::vector<const Bytes*> Fresh(const std::vector<Bytes>& have, const std::vector<Bytes>& in) {
  std::set<Bytes> seen(have.begin(), have.end());
  std::vector<const Bytes*> out;
  for (const Bytes& b : in) {
    if (!b.empty() && seen.insert(b).second) out.push_back(&b);
  }
  return out;
}

Status CannotAppend(const std::string& detail) {
  return InvalidArgumentError(
      "PDF 文件结构无法追加长期验证数据（DSS） / the PDF cannot take the long-term validation "
      "data (DSS) as an incremental update: " +
      detail);
}

}  // namespace

Result<DssAppended> AppendDss(const Document& doc, const DssAddition& add) {
  const Dss& old = doc.dss();
  const std::vector<const Bytes*> certs = Fresh(old.certs, add.certs),
                                  crls = Fresh(old.crls, add.crls),
                                  ocsps = Fresh(old.ocsps, add.ocsps);
  DssAppended out;
  if (certs.empty() && crls.empty() && ocsps.empty()) {
    ByteView b = doc.bytes();
    out.file.assign(b.begin(), b.end());
    return out;
  }
  try {
    Document::Impl& d = doc.impl();
    QPDFObjectHandle root = d.qpdf->getRoot();
    QPDFObjectHandle dss = Get(root, "/DSS");
    if (!dss.isNull() && !dss.isDictionary()) {
      return CannotAppend("the catalog's /DSS is not a dictionary");
    }
    IncrementalUpdate update(doc);
    // Each key: the entries it has (by reference, unread ones too), then the new streams.
    std::string arrays;
    for (auto [key, fresh] :
         {std::pair<const char*, const std::vector<const Bytes*>*>{"/Certs", &certs},
          {"/CRLs", &crls},
          {"/OCSPs", &ocsps}}) {
      std::string refs = Items(Get(dss, key));
      for (const Bytes* b : *fresh) {
        const int n = update.Alloc();
        update.Put(n, 0, Stream("", *b, false));
        refs += Ref(n) + " ";
      }
      if (!refs.empty()) arrays += std::string(key) + " [" + refs + "] ";
    }
    const std::vector<std::string> replaced = {"/Certs", "/CRLs", "/OCSPs"};
    if (dss.isDictionary() && dss.isIndirect()) {
      // A new version of the same object: the Catalog stays as it is.
      update.Put(dss.getObjectID(), dss.getGeneration(), Edited(dss, replaced, arrays));
    } else {
      const int n = update.Alloc();
      update.Put(
          n, 0,
          dss.isDictionary() ? Edited(dss, replaced, arrays) : "<< /Type /DSS " + arrays + ">>");
      update.Put(root.getObjectID(), root.getGeneration(),
                 Edited(root, {"/DSS"}, "/DSS " + Ref(n)));
    }
    out.file = update.Write();
  } catch (const QPDFExc& e) {
    return CannotAppend(e.getMessageDetail());
  } catch (const std::exception& e) {
    return CannotAppend(e.what());
  }
  out.certs_added = certs.size();
  out.crls_added = crls.size();
  out.ocsps_added = ocsps.size();
  return out;
}

}  // namespace eseal::pdf
