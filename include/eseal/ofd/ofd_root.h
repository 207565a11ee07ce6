// OfdRoot: OFD.xml, the main entry file (主入口文件) of an OFD package (GB/T 33190-2016 §7.4):
// one DocBody (文档节点) per document, each naming its Document.xml (DocRoot), its optional
// Signatures.xml (签名列表) and its DocInfo (文档元数据).
// Elements are matched by local name, whatever the namespace prefix or URI (files use
// "ofd:", no prefix, http://www.ofdspec.org/2016 or http://www.ofdspec.org).
// Thread-safety: values and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/ofd/limits.h"

namespace eseal::ofd {

inline constexpr std::string_view kOfdXmlPath = "/OFD.xml";
inline constexpr std::string_view kOfdNamespace = "http://www.ofdspec.org/2016";

struct CustomData {
  std::string name;
  std::string value;
  friend bool operator==(const CustomData&, const CustomData&) = default;
};

struct DocInfo {
  std::string doc_id;
  std::string title;
  std::string author;
  std::string subject;
  std::string creator;
  std::string creator_version;
  std::string creation_date;
  std::string mod_date;
  std::vector<CustomData> custom_datas;
};

struct DocBody {
  DocInfo doc_info;
  std::string doc_root;         // as written
  std::string doc_root_path;    // canonical, e.g. "/Doc_0/Document.xml"
  std::string signatures;       // as written; empty when the document has no signatures
  std::string signatures_path;  // canonical, e.g. "/Doc_0/Signs/Signatures.xml"; or empty
};

struct OfdRoot {
  std::string version;
  std::string doc_type;
  std::vector<DocBody> doc_bodies;
};

// Parses OFD.xml. InvalidArgument if it is not an <OFD> with at least one DocBody whose
// DocRoot resolves to a canonical path.
Result<OfdRoot> ParseOfdXml(ByteView xml, const Limits& limits = {});

// Adds <Signatures>signatures_loc</Signatures> to DocBody number `doc_body_index` by
// inserting it before that DocBody's end tag; every other byte of the file is kept.
// FailedPrecondition if that DocBody already names a Signatures file.
Result<Bytes> AddSignaturesToOfdXml(ByteView ofd_xml, size_t doc_body_index,
                                    std::string_view signatures_loc, const Limits& limits = {});

}  // namespace eseal::ofd
