// The render graph (渲染引用图): every package file a reader follows from OFD.xml, per
// DocBody (文档节点): DocRoot → Document.xml → pages, template pages (模板页), PublicRes /
// DocumentRes / page resources and the fonts, images and other media they name,
// annotations (注释), attachments (附件), custom tags (自定义标引), extensions, actions and
// outlines that name files, and whatever else a DocBody names (DocInfo cover, versions).
//
// Why a generic walk and not the typed parsers: the typed model keeps what rendering and
// stamping need, and a reader follows more (attachments, tags, extensions, actions, a
// vendor's own elements). Coverage must over-approximate what a reader could show, never
// under-approximate it, so every attribute value and text of every reachable XML file
// that resolves to a package file counts as a reference. A value is tried relative to the
// file's folder (ST_Loc), to a resource file's BaseLoc folder and to the package root
// (readers are lenient with vendors' paths), and matched ignoring case, as the renderer
// looks media up. (Not relative to each document's folder: in a package of two documents
// that would tie one document's pages to the other's.)
//
// Bounds: each package file is read and parsed at most once per package (the edges are
// cached), every read goes through ofd::Package with its limits, the walk is iterative,
// each file's node count is capped and the number of DocBodies followed is capped. Where a
// bound stops the walk the graph records a problem, and coverage then cannot be PASSED.
#include <pugixml.hpp>

#include <algorithm>
#include <deque>
#include <set>

#include "eseal/ofd/ofd_root.h"
#include "eseal/ofd/path.h"
#include "eseal/ofd/work_count.h"
#include "internal.h"

namespace eseal::verify::internal {
namespace {

// More documents than this in one package are not followed (real packages have one or
// two); each followed one costs a walk over its reachable files.
constexpr size_t kMaxDocBodies = 64;
// Values longer than this are not package paths (AbbreviatedData, DeltaX, base64).
constexpr size_t kMaxLocLength = 1024;
// Namers kept per file: the first names it in messages; the rest tell whether a file a
// signature protects names it. Beyond this the file is taken as named by a protected file
// (coverage then claims less: uncovered, never "smuggled").
constexpr size_t kMaxNamers = 16;

std::string_view LocalName(const char* qname) {
  std::string_view n(qname);
  size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string_view Trim(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string_view::npos) return {};
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

// Numbers, boxes and matrices ("0 0 210 297", "1.5") are the bulk of OFD values and are
// never file names; skipping them keeps the walk cheap.
bool CouldBeLoc(std::string_view v) {
  if (v.empty() || v.size() > kMaxLocLength) return false;
  for (char c : v) {
    if (!((c >= '0' && c <= '9') || c == ' ' || c == '.' || c == '-' || c == ',' || c == '\t' ||
          c == '\r' || c == '\n')) {
      return true;
    }
  }
  return false;
}

// A reader parses what a page or resource BaseLoc names as XML whatever its extension, so
// "looks like XML" is decided by content: optional UTF-8 BOM and whitespace, then '<'.
bool LooksLikeXml(ByteView data) {
  size_t i = 0;
  if (data.size() >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) i = 3;
  while (i < data.size() && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) ++i;
  return i < data.size() && data[i] == '<';
}

// Elements whose text names a file a reader uses as media, never parses as XML: images
// and other multimedia (MultiMedia/MediaFile), embedded fonts, the cover thumbnail, the
// seal picture, and an attachment's content (offered, not rendered).
bool XmlRole(pugi::xml_node text_parent) {
  std::string_view n = LocalName(text_parent.name());
  if (n == "MediaFile" || n == "FontFile" || n == "Cover" || n == "ImageLoc") return false;
  if (n == "FileLoc" && LocalName(text_parent.parent().name()) == "Attachment") return false;
  return true;
}

// The files one file names -> whether any naming is in a role a reader parses as XML.
using EdgeMap = std::map<std::string, bool>;

class Builder {
 public:
  Builder(const ofd::Package& pkg, RenderGraph* g) : pkg_(pkg), g_(g) {}

  void Run() {
    const ofd::EntryInfo* main = pkg_.FindIgnoringCase(ofd::kOfdXmlPath);
    if (main == nullptr) {
      g_->error = "the package has no OFD.xml";
      return;
    }
    g_->ofd_xml = main->path;
    auto data = pkg_.ReadEntry(*main, pkg_.limits().max_xml_size);
    if (!data.ok()) {
      g_->error = "OFD.xml cannot be read: " + data.status().message();
      return;
    }
    auto root = ofd::ParseOfdXml(*data, pkg_.limits());
    if (!root.ok()) {
      g_->error = "OFD.xml cannot be followed: " + root.status().message();
      return;
    }
    // The same file again, as a tree, for the names each DocBody holds besides DocRoot.
    pugi::xml_document doc;
    if (Status st = ofd::ParseXmlTree(*data, pkg_.limits(), "OFD.xml", &doc); !st.ok()) {
      g_->error = "OFD.xml cannot be parsed: " + st.message();
      return;
    }
    std::vector<pugi::xml_node> bodies;
    for (pugi::xml_node c = doc.document_element().first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element && LocalName(c.name()) == "DocBody") bodies.push_back(c);
    }
    if (bodies.size() != root->doc_bodies.size()) {
      g_->error = "OFD.xml's DocBody elements cannot be matched";
      return;
    }
    const size_t n = std::min(root->doc_bodies.size(), kMaxDocBodies);
    if (root->doc_bodies.size() > kMaxDocBodies) {
      g_->problems.push_back("OFD.xml names " + std::to_string(root->doc_bodies.size()) +
                             " documents; only the first " + std::to_string(kMaxDocBodies) +
                             " are followed");
    }
    for (size_t i = 0; i < n; ++i) {
      const ofd::DocBody& b = root->doc_bodies[i];
      RenderDocBody rb;
      rb.doc_root = b.doc_root_path;
      rb.signatures_path = b.signatures_path;
      if (const ofd::EntryInfo* e = pkg_.FindIgnoringCase(b.doc_root_path)) rb.doc_root_file = e->path;
      // The DocBody's own names, except its signature list (judged as signatures, not as
      // content): DocRoot, DocInfo/Cover, Versions.
      EdgeMap start;
      WalkNode(bodies[i], g_->ofd_xml, "", /*skip_signatures=*/true, &start);
      Reach(g_->ofd_xml, start, &rb);
      g_->doc_bodies.push_back(std::move(rb));
    }
  }

 private:
  // Adds every package file a value may name, seen from `file` (and `res_dir`).
  void Consider(std::string_view raw, bool xml_role, const std::string& file,
                const std::string& res_dir, EdgeMap* out) {
    std::string_view v = Trim(raw);
    if (!CouldBeLoc(v)) return;
    auto add = [&](const Result<std::string>& p) {
      if (!p.ok()) return;
      const ofd::EntryInfo* e = pkg_.FindIgnoringCase(*p);
      if (e == nullptr || e->is_directory || e->path == file) return;
      auto [it, inserted] = out->try_emplace(e->path, xml_role);
      if (!inserted) it->second = it->second || xml_role;
    };
    add(ofd::ResolveLoc(file, v));
    if (!res_dir.empty()) add(ofd::ResolveLocInDir(res_dir, v));
    add(ofd::ResolveLocInDir("/", v));
  }

  // Iterative walk of attributes and text under `top`.
  void WalkNode(pugi::xml_node top, const std::string& file, const std::string& res_dir,
                bool skip_signatures, EdgeMap* out) {
    const size_t cap = std::max<size_t>(pkg_.limits().max_page_objects, 1) * 8;
    std::vector<pugi::xml_node> stack = {top};
    size_t visited = 0;
    while (!stack.empty()) {
      if (++visited > cap) {
        g_->problems.push_back(file + " has more than " + std::to_string(cap) +
                               " XML nodes; not followed to the end");
        return;
      }
      pugi::xml_node n = stack.back();
      stack.pop_back();
      if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
        Consider(n.value(), XmlRole(n.parent()), file, res_dir, out);
        continue;
      }
      if (n.type() != pugi::node_element) continue;
      if (skip_signatures && n != top && LocalName(n.name()) == "Signatures") continue;
      for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
        Consider(a.value(), true, file, res_dir, out);
      }
      for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) stack.push_back(c);
    }
  }

  // The files `file` names, each with whether it is named in a role a reader parses as
  // XML; computed once per package file.
  const EdgeMap& Edges(const std::string& file) {
    auto it = edges_.find(file);
    if (it != edges_.end()) return it->second;
    EdgeMap& out = edges_[file];
    const ofd::EntryInfo* e = pkg_.Find(file);
    if (e == nullptr) return out;
    auto data = pkg_.ReadEntry(*e, pkg_.limits().max_xml_size);
    if (!data.ok()) {
      g_->problems.push_back(file + " cannot be read: " + data.status().message());
      return out;
    }
    // Named as a page or resource but not XML: a reader shows nothing of it and it names
    // nothing (its bytes are still judged as a reachable file).
    if (!LooksLikeXml(*data)) return out;
    // The ofd module's own parser: DTDs and entities refused, the depth limit, counted.
    pugi::xml_document doc;
    if (Status st = ofd::ParseXmlTree(*data, pkg_.limits(), file, &doc); !st.ok()) {
      g_->problems.push_back(file + " cannot be followed (" + st.message() + "); what it names is not followed");
      return out;
    }
    pugi::xml_node root = doc.document_element();
    std::string res_dir;
    if (root && LocalName(root.name()) == "Res") {
      if (pugi::xml_attribute b = root.attribute("BaseLoc")) {
        auto d = ofd::ResolveLoc(file, b.value());
        if (d.ok()) res_dir = *d == "/" ? "/" : *d + "/";
      }
    }
    if (root) WalkNode(root, file, res_dir, false, &out);
    return out;
  }

  // Breadth-first from `start`, named by `from`. A file reached only as media is a leaf;
  // one reached in an XML role is parsed (once per package) and followed.
  void Reach(const std::string& from, const EdgeMap& start, RenderDocBody* rb) {
    std::deque<std::string> queue;
    std::set<std::string> expanded;
    auto name = [&](const std::string& path, bool xml_role, const std::string& by) {
      rb->files.insert(path);
      RenderFile& rf = g_->files[path];
      if (std::find(rf.named_by.begin(), rf.named_by.end(), by) == rf.named_by.end()) {
        if (rf.named_by.size() < kMaxNamers) {
          rf.named_by.push_back(by);
        } else {
          rf.more_namers = true;
        }
      }
      if (xml_role && expanded.insert(path).second) queue.push_back(path);
    };
    for (const auto& [path, xml_role] : start) name(path, xml_role, from);
    while (!queue.empty()) {
      std::string f = std::move(queue.front());
      queue.pop_front();
      // std::map keeps references valid while Edges inserts into the cache.
      const EdgeMap& next = Edges(f);
      for (const auto& [path, xml_role] : next) {
        if (path != g_->ofd_xml) name(path, xml_role, f);
      }
    }
  }

  const ofd::Package& pkg_;
  RenderGraph* g_;
  std::map<std::string, EdgeMap> edges_;
};

}  // namespace

RenderGraph BuildRenderGraph(const ofd::Package& package) {
  RenderGraph g;
  // Counted where the parsing happens (ofd's parser), not by hand here.
  const uint64_t before = ofd::XmlParseCount();
  Builder(package, &g).Run();
  g.xml_parses = ofd::XmlParseCount() - before;
  return g;
}

const RenderGraph& RenderGraphCache::Get() {
  if (!graph_) graph_ = BuildRenderGraph(package_);
  return *graph_;
}

}  // namespace eseal::verify::internal
