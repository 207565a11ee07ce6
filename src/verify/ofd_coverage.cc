// Coverage (保护范围) of what the reader renders (DESIGN.md "Verification policy"): every
// file a reader reaches from the signature's DocBody (ofd_render_graph.cc) must be
//   (a) protected by this signature — referenced, and its digest matched (a changed one is
//       already FAILED by ofd.reference.digest), or
//   (b) a later signature's own appearance: its Signature.xml, signature value or seal
//       file, in its own folder, from a signature after this one in Signatures.xml that
//       itself verifies. Content (pages, templates, resources, annotations, ...) is never
//       a later signature's appearance, wherever it lives.
// Anything else the reader shows is INDETERMINATE ofd.coverage.uncovered; no tolerance
// turns it into PASSED. Vendors that leave template pages out (GOMAIN) land here.
//
// Files judged otherwise:
//   - this signature's Signature.xml and value: bound by its own cryptography;
//   - its Seal.esl when not protected: compared with the seal inside the value (WARNING);
//   - Signatures.xml: continue mode (继续签章) leaves it out so that signatures can follow;
//   - an earlier signature's own files: bound by that signature's own verification;
//   - OFD.xml: when this signature does not protect it (KingGrid, GOMAIN continue mode) it
//     is tolerated only while every DocBody naming this list has its DocRoot among the
//     files this signature protected; otherwise the reader shows another document than
//     the one sealed: FAILED ofd.coverage.doc_root;
//   - other documents of the package: a DocBody with its own signature list is judged by
//     its own signatures; a DocBody with none is content no seal covers, so it is judged
//     with every signature's own document (uncovered unless this signature protects it);
//   - a reachable uncovered file named only by files this signature does not reference and
//     owned by no signature entered the document after signing: also FAIL
//     ofd.reference.smuggled;
//   - a file nothing reaches and no signature owns: the reader does not show it, so it is
//     no forgery of what was sealed: WARNING ofd.coverage.unreachable.
#include <algorithm>

#include "eseal/ofd/path.h"
#include "internal.h"

namespace eseal::verify::internal {
namespace {

// Per-file checks beyond this are summarised in one check, to bound the report.
constexpr size_t kMaxFileChecks = 50;

// Which signatures of the list own a file: their Signature.xml, value and seal files, and
// files in their own folder that they protect (oesplugin's signFilePaths.dat).
struct ListFiles {
  std::map<std::string, std::vector<size_t>> owners;
  std::vector<std::string> own_folder;  // per signature; empty when it has none of its own
};

ListFiles IndexList(const std::vector<ListedSignature>& list, const std::string& signatures_path) {
  ListFiles out;
  out.own_folder.resize(list.size());
  const std::string list_dir = ofd::ParentDir(signatures_path);
  auto own = [&](const std::string& p, size_t j) {
    if (p.empty()) return;
    std::vector<size_t>& v = out.owners[p];
    if (v.empty() || v.back() != j) v.push_back(j);
  };
  for (size_t j = 0; j < list.size(); ++j) {
    const ListedSignature& s = list[j];
    own(s.entry.path, j);
    if (!s.signature) continue;
    own(s.signature->signed_value_path, j);
    own(s.signature->seal_path, j);
    // A folder of its own: not the list's folder, nor one holding it, nor the root.
    const std::string folder = ofd::ParentDir(s.entry.path);
    if (folder != list_dir && folder != "/" && !list_dir.starts_with(folder)) {
      out.own_folder[j] = folder;
      for (const ofd::Reference& ref : s.signature->references) {
        if (ref.path.starts_with(folder)) own(ref.path, j);
      }
    }
  }
  return out;
}

// The per-file checks of one kind, capped, with a summary for the rest.
class FileChecks {
 public:
  FileChecks(Report& r, std::string id, CheckResult result)
      : r_(r), id_(std::move(id)), result_(result) {}
  void Add(const std::string& detail, std::vector<std::pair<std::string, std::string>> params) {
    if (++count_ <= kMaxFileChecks) r_.Add(id_, result_, detail).params = std::move(params);
  }
  void Finish(const std::string& what) {
    if (count_ <= kMaxFileChecks) return;
    r_.Add(id_, result_,
           "… and " + std::to_string(count_ - kMaxFileChecks) + " more " + what +
               " (only the first " + std::to_string(kMaxFileChecks) + " are listed)")
        .params = {{"more", std::to_string(count_ - kMaxFileChecks)}};
  }
  size_t count() const { return count_; }

 private:
  Report& r_;
  std::string id_;
  CheckResult result_;
  size_t count_ = 0;
};

// Whether a DocBody names this signature list. Names differing only by case are one file
// (the package refuses two such entries, and the verifier reads them as one list), so a
// second DocBody naming the list in other case is this list's document too.
bool SameList(const std::string& a, const std::string& b) {
  if (a.empty() || a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k) {
    char x = a[k], y = b[k];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string UncoveredDetail(const std::string& file, const std::string& why) {
  return "印章未覆盖阅读器显示的内容：" + file + "（" + why +
         "），签名后可被改动而不被发现 / the seal does not cover what the reader shows: " + file +
         " is not protected by this signature, so it could have changed after signing";
}

void Judge(const RenderGraph& graph, const CoverageInput& in, const ListFiles& lf,
           const std::vector<bool>& verifies, Report& r) {
  const std::vector<ListedSignature>& list = *in.list;
  const size_t i = in.index;
  const ofd::Signature& me = *list[i].signature;
  const bool whole = in.referenced.count(in.signatures_path) > 0;
  r.Info("ofd.signature.mode",
         whole ? "whole-protection mode (整体保护): Signatures.xml is protected, so no later "
                 "signature can be added without breaking this one"
               : "continue mode (继续签章): Signatures.xml is not protected, later signatures may be added")
      .params = {{"mode", whole ? "whole" : "continue"}};

  auto owned_by_other = [&](const std::string& f) {
    auto it = lf.owners.find(f);
    if (it == lf.owners.end()) return false;
    for (size_t j : it->second) {
      if (j != i) return true;
    }
    return false;
  };
  const std::set<std::string> own = {list[i].entry.path, me.signed_value_path};

  FileChecks uncovered(r, "ofd.coverage.uncovered", CheckResult::kIndeterminate);
  FileChecks smuggled(r, "ofd.reference.smuggled", CheckResult::kFail);
  FileChecks unreachable(r, "ofd.coverage.unreachable", CheckResult::kWarning);
  size_t covered = 0, changed = 0, later = 0, earlier = 0, other_document = 0;

  if (!graph.error.empty()) {
    r.Indeterminate("ofd.coverage.graph",
                    "what the reader shows cannot be followed (" + graph.error +
                        "), so nothing proves the seal covers it");
  }
  for (size_t k = 0; k < graph.problems.size() && k < 10; ++k) {
    r.Indeterminate("ofd.coverage.graph",
                    "part of what the reader shows cannot be followed: " + graph.problems[k])
        .params = {{"problem", graph.problems[k]}};
  }

  // The documents this signature answers for: the DocBodies naming its list, and those
  // with no list at all (no other seal covers them).
  std::set<std::string> content;
  std::set<std::string> elsewhere;  // content of documents with their own signatures
  bool mine_found = false;
  for (const RenderDocBody& b : graph.doc_bodies) {
    const bool mine = SameList(b.signatures_path, in.signatures_path);
    mine_found = mine_found || mine;
    (mine || b.signatures_path.empty() ? content : elsewhere).insert(b.files.begin(), b.files.end());
  }
  if (graph.error.empty() && !mine_found) {
    r.Indeterminate("ofd.coverage.graph",
                    "no DocBody of OFD.xml names this signature list (" + in.signatures_path +
                        "), so what the reader shows with it cannot be followed");
  }

  // OFD.xml, and the DocRoot of every DocBody of this list.
  if (!graph.ofd_xml.empty() && graph.error.empty() && !in.verified.count(graph.ofd_xml)) {
    bool all_roots = true;
    for (size_t k = 0; k < graph.doc_bodies.size(); ++k) {
      const RenderDocBody& b = graph.doc_bodies[k];
      if (!SameList(b.signatures_path, in.signatures_path)) continue;
      const std::string& root = b.doc_root_file.empty() ? b.doc_root : b.doc_root_file;
      if (in.referenced.count(root)) continue;
      all_roots = false;
      r.Fail("ofd.coverage.doc_root",
             "阅读器显示的不是所盖章的文档：OFD.xml 未受本签名保护，其 DocRoot 指向 " + root +
                 "，而本签名未保护该文件 / the reader shows another document than the one "
                 "sealed: OFD.xml is not protected by this signature and its DocRoot names " +
                 root + ", which this signature does not protect")
          .params = {{"file", root}, {"doc_body", std::to_string(k)}};
    }
    if (all_roots && !in.referenced.count(graph.ofd_xml)) {
      r.Warn("ofd.reference.unprotected",
             "tolerated: OFD.xml is not protected (KingGrid and GOMAIN leave it out); the "
             "DocRoot of this signature's document is a file the signature protects")
          .params = {{"file", graph.ofd_xml},
                     {"reason", "ofd_xml"},
                     {"tolerance", "ofd_xml_unprotected"}};
    }
  }

  // Everything the reader shows of this signature's document.
  for (const std::string& f : content) {
    if (f == graph.ofd_xml || own.count(f)) {
      ++covered;
      continue;
    }
    if (in.verified.count(f)) {
      ++covered;
      continue;
    }
    if (in.referenced.count(f)) {  // changed or unreadable: FAILED by ofd.reference.digest
      ++changed;
      continue;
    }
    if (f == me.seal_path) continue;  // judged below with the appearance
    auto rf = graph.files.find(f);
    static const RenderFile kNone;
    const RenderFile& named = rf == graph.files.end() ? kNone : rf->second;
    const std::string by = named.named_by.empty() ? "" : named.named_by.front();
    uncovered.Add(UncoveredDetail(f, "由 " + by + " 引用"),
                  {{"file", f}, {"named_by", by}, {"reason", "content"}});
    bool signed_namer = named.more_namers;
    for (const std::string& n : named.named_by) signed_namer = signed_namer || in.referenced.count(n) > 0;
    if (!signed_namer && !lf.owners.count(f)) {
      smuggled.Add(f + " is shown by the reader (named by " + by +
                       ") but no file this signature protects names it, and it belongs to no "
                       "signature: it was added after signing",
                   {{"file", f}, {"named_by", by}});
    }
  }

  // The appearances of the other signatures of the list (签章外观).
  for (size_t j = 0; j < list.size(); ++j) {
    if (j == i || !list[j].signature) continue;
    const ofd::Signature& s = *list[j].signature;
    for (const std::string& f : {list[j].entry.path, s.signed_value_path, s.seal_path}) {
      if (f.empty() || content.count(f) || in.referenced.count(f) || own.count(f)) continue;
      if (j < i) {
        ++earlier;
        continue;
      }
      const std::string& folder = lf.own_folder[j];
      if (!folder.empty() && f.starts_with(folder) && verifies[j]) {
        ++later;
        continue;
      }
      const std::string why = !verifies[j] ? "later signature does not verify"
                                           : "outside the later signature's own folder";
      uncovered.Add(UncoveredDetail(f, "后续签名 " + list[j].entry.id + " 的文件；" +
                                           (!verifies[j] ? "该签名未通过验证"
                                                         : "不在该签名自己的目录中")),
                    {{"file", f}, {"signature", list[j].entry.id}, {"reason", why}});
    }
  }

  // This signature's own seal file.
  if (!me.seal_path.empty() && !in.referenced.count(me.seal_path)) {
    r.Warn("ofd.reference.unprotected",
           "this signature's seal file is not protected; it is compared with the seal inside "
           "the signature value instead")
        .params = {{"file", me.seal_path}, {"reason", "own_seal_file"}};
  }

  // Files no reader reaches and no signature owns.
  std::set<std::string> lists;
  for (const RenderDocBody& b : graph.doc_bodies) {
    if (!b.signatures_path.empty()) lists.insert(b.signatures_path);
  }
  for (const std::string& p : in.package->FilePaths()) {
    if (in.referenced.count(p) || content.count(p) || own.count(p) || p == me.seal_path ||
        p == in.signatures_path || p == graph.ofd_xml || lists.count(p)) {
      continue;
    }
    if (elsewhere.count(p)) {
      ++other_document;
      continue;
    }
    if (lf.owners.count(p)) {
      if (owned_by_other(p)) {
        // Counted with the appearances above unless it is an owned extra file.
        bool counted = false;
        for (size_t j : lf.owners.at(p)) {
          const ofd::Signature* s = list[j].signature ? &*list[j].signature : nullptr;
          counted = counted || p == list[j].entry.path ||
                    (s && (p == s->signed_value_path || p == s->seal_path));
        }
        if (!counted) (lf.owners.at(p).front() < i ? earlier : later)++;
      }
      continue;
    }
    unreachable.Add(p + " is in the package but no reader reaches it and no signature owns "
                        "it; it is not shown, so it forges nothing, but it was not signed",
                    {{"file", p}});
  }

  uncovered.Finish("files the seal does not cover");
  smuggled.Finish("files added after signing");
  unreachable.Finish("unreachable files");
  const size_t shown = content.size();
  r.Info("ofd.reference.coverage",
         std::to_string(in.referenced.size()) + " file(s) protected; the reader reaches " +
             std::to_string(shown) + ", of which " + std::to_string(covered) + " are covered; " +
             std::to_string(later) + " belong to later signatures, " + std::to_string(earlier) +
             " to earlier ones; " + std::to_string(uncovered.count()) + " uncovered, " +
             std::to_string(smuggled.count()) + " smuggled, " +
             std::to_string(unreachable.count()) + " unreachable, " +
             std::to_string(other_document) + " in other signed documents")
      .params = {{"protected", std::to_string(in.referenced.size())},
                 {"reachable", std::to_string(shown)},
                 {"covered", std::to_string(covered)},
                 {"changed", std::to_string(changed)},
                 {"later_signature_files", std::to_string(later)},
                 {"earlier_signature_files", std::to_string(earlier)},
                 {"uncovered", std::to_string(uncovered.count())},
                 {"smuggled", std::to_string(smuggled.count())},
                 {"unreachable", std::to_string(unreachable.count())},
                 {"other_document_files", std::to_string(other_document)}};
}

}  // namespace

void CheckListCoverage(const RenderGraph& graph,
                       const std::vector<std::optional<CoverageInput>>& inputs,
                       const std::vector<Report*>& reports) {
  const CoverageInput* any = nullptr;
  for (const auto& in : inputs) {
    if (in) any = &*in;
  }
  if (any == nullptr) return;
  // Whether each signature verifies, judged before any coverage check is added.
  std::vector<bool> verifies(inputs.size(), false);
  for (size_t j = 0; j < inputs.size() && j < reports.size(); ++j) {
    verifies[j] = inputs[j].has_value() && reports[j] != nullptr &&
                  reports[j]->verdict() != Verdict::kFailed;
  }
  const ListFiles lf = IndexList(*any->list, any->signatures_path);
  for (size_t j = 0; j < inputs.size() && j < reports.size(); ++j) {
    if (inputs[j] && reports[j] != nullptr) Judge(graph, *inputs[j], lf, verifies, *reports[j]);
  }
}

}  // namespace eseal::verify::internal
