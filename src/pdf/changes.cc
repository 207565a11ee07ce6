// Classifying the revisions after a signature (changes.h).
#include "eseal/pdf/changes.h"

#include <qpdf/Buffer.hh>
#include <qpdf/QPDFExc.hh>

#include <algorithm>
#include <map>
#include <set>

#include "internal.h"

namespace eseal::pdf {
namespace {

std::string NameOf(QPDFObjectHandle h) { return h.isName() ? h.getName() : ""; }

// An object's text for comparison: its resolved form and, for a stream, its raw data.
std::string Fingerprint(QPDFObjectHandle o, const Limits& limits) {
  if (o.isStream()) {
    std::string t = o.getDict().unparseResolved();
    std::shared_ptr<Buffer> b = o.getRawStreamData();
    if (b->getSize() > limits.max_stream_bytes) return t + "\n<too large:" + std::to_string(b->getSize()) + ">";
    t.append("\nstream\n");
    t.append(reinterpret_cast<const char*>(b->getBuffer()), b->getSize());
    return t;
  }
  return o.unparseResolved();
}

bool IsSigWidgetOrField(QPDFObjectHandle d) {
  if (!d.isDictionary()) return false;
  for (int depth = 0; d.isDictionary() && depth < 8; ++depth) {
    if (NameOf(Get(d, "/FT")) == "/Sig") return true;
    d = Get(d, "/Parent");
  }
  return false;
}

bool IsAnnotation(QPDFObjectHandle d) {
  return d.isDictionary() && (NameOf(Get(d, "/Type")) == "/Annot" || Get(d, "/Subtype").isName()) &&
         Get(d, "/Rect").isArray();
}

// Keys whose values differ between two dictionaries (absent on one side counts).
std::set<std::string> DifferentKeys(QPDFObjectHandle a, QPDFObjectHandle b) {
  std::set<std::string> keys, out;
  for (const std::string& k : a.getKeys()) keys.insert(k);
  for (const std::string& k : b.getKeys()) keys.insert(k);
  for (const std::string& k : keys) {
    QPDFObjectHandle x = a.getKey(k), y = b.getKey(k);
    if (x.unparse() != y.unparse()) out.insert(k);
  }
  return out;
}

bool OnlyKeys(const std::set<std::string>& changed, std::initializer_list<const char*> allowed) {
  for (const std::string& k : changed) {
    if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; }) == allowed.end()) return false;
  }
  return true;
}

// Whether the array `after` keeps every item of `before` (by reference text).
bool Keeps(QPDFObjectHandle before, QPDFObjectHandle after) {
  std::multiset<std::string> have;
  for (int i = 0; after.isArray() && i < after.getArrayNItems(); ++i) have.insert(after.getArrayItem(i).unparse());
  for (int i = 0; before.isArray() && i < before.getArrayNItems(); ++i) {
    auto it = have.find(before.getArrayItem(i).unparse());
    if (it == have.end()) return false;
    have.erase(it);
  }
  return true;
}

// Classifies the annotations `after` has beyond `before`.
void ClassifyAddedAnnots(QPDFObjectHandle before, QPDFObjectHandle after, std::set<ChangeKind>* kinds) {
  std::set<std::string> old;
  for (int i = 0; before.isArray() && i < before.getArrayNItems(); ++i) old.insert(before.getArrayItem(i).unparse());
  for (int i = 0; after.isArray() && i < after.getArrayNItems(); ++i) {
    QPDFObjectHandle a = after.getArrayItem(i);
    if (old.count(a.unparse())) continue;
    kinds->insert(IsSigWidgetOrField(a) ? ChangeKind::kSignature : ChangeKind::kAnnotations);
  }
}

}  // namespace

bool RevisionChanges::Has(ChangeKind k) const { return std::find(kinds.begin(), kinds.end(), k) != kinds.end(); }

const char* ChangeKindName(ChangeKind k) {
  switch (k) {
    case ChangeKind::kSignature: return "signature";
    case ChangeKind::kDocTimestamp: return "doc_timestamp";
    case ChangeKind::kDss: return "dss";
    case ChangeKind::kAnnotations: return "annotations";
    case ChangeKind::kFormFill: return "form_fill";
    case ChangeKind::kMetadata: return "metadata";
    case ChangeKind::kOther: return "other";
  }
  return "other";
}

Result<std::vector<RevisionChanges>> ChangesAfter(const Document& doc, uint64_t signed_end) {
  const Document::Impl& d = doc.impl();
  std::vector<RevisionChanges> out;
  uint64_t budget = d.limits.max_compared_objects;
  // The state at the end of each revision, opened on its own (recovery off, as the whole).
  auto open = [&](uint64_t end) { return OpenQpdf(ByteView(d.bytes.data(), end), d.limits); };
  size_t first = 0;
  while (first < d.revisions.size() && d.revisions[first].end <= signed_end) ++first;
  if (first == d.revisions.size()) return out;
  if (first == 0) return InvalidArgumentError("the signature ends after no revision");
  try {
    ASSIGN_OR_RETURN(std::unique_ptr<QPDF> prev, open(d.revisions[first - 1].end));
    for (size_t k = first; k < d.revisions.size(); ++k) {
      ASSIGN_OR_RETURN(std::unique_ptr<QPDF> cur, open(d.revisions[k].end));
      RevisionChanges rc;
      rc.revision = k;
      std::set<ChangeKind> kinds;
      std::map<QPDFObjGen, QPDFXRefEntry> before = prev->getXRefTable(), after = cur->getXRefTable();
      if (before.size() + after.size() > budget) {
        return ResourceExhaustedError("PDF 修订过多或对象过多，无法逐一比对 / too many objects to compare the "
                                      "revisions after a signature");
      }
      budget -= before.size() + after.size();
      QPDFObjectHandle root_before = prev->getRoot(), root_after = cur->getRoot();
      QPDFObjGen info_og = cur->getTrailer().getKey("/Info").getObjGen();
      auto other = [&](QPDFObjGen og, const std::string& why) {
        kinds.insert(ChangeKind::kOther);
        if (rc.other_objects.size() < 20) rc.other_objects.push_back(og.unparse(' '));
        if (rc.detail.empty()) rc.detail = why;
      };
      if (root_before.getObjGen() != root_after.getObjGen()) {
        other(root_after.getObjGen(), "the trailer names another document catalog (the whole document replaced)");
      }
      for (const auto& [og, entry] : before) {
        if (!after.count(og)) other(og, "object " + og.unparse(' ') + " was removed");
      }
      for (const auto& [og, entry] : after) {
        QPDFObjectHandle now = cur->getObjectByObjGen(og);
        auto was_it = before.find(og);
        if (was_it == before.end()) {
          // New objects: harmless unless something earlier now points at them, which shows
          // as a change of that earlier object. Named by what they are.
          if (now.isDictionary()) {
            std::string type = NameOf(Get(now, "/Type"));
            if (type == "/DocTimeStamp") kinds.insert(ChangeKind::kDocTimestamp);
            else if (type == "/Sig") kinds.insert(ChangeKind::kSignature);
          }
          continue;
        }
        QPDFObjectHandle then = prev->getObjectByObjGen(og);
        if (Fingerprint(then, d.limits) == Fingerprint(now, d.limits)) continue;
        if (now.isStream()) {
          std::string type = NameOf(Get(now.getDict(), "/Type"));
          if (type == "/XRef" || type == "/ObjStm") continue;
          other(og, "stream " + og.unparse(' ') + " changed (page content, an image, a font or other resource)");
          continue;
        }
        if (og == info_og) {
          kinds.insert(ChangeKind::kMetadata);
          continue;
        }
        if (!then.isDictionary() || !now.isDictionary()) {
          if (then.isArray() && now.isArray() && Keeps(then, now)) {
            // An indirect /Annots or /Fields array that grew.
            ClassifyAddedAnnots(then, now, &kinds);
            continue;
          }
          other(og, "object " + og.unparse(' ') + " changed");
          continue;
        }
        std::set<std::string> keys = DifferentKeys(then, now);
        if (og == root_after.getObjGen()) {
          if (!OnlyKeys(keys, {"/AcroForm", "/DSS", "/Extensions"})) {
            other(og, "the document catalog changed beyond its form and DSS");
            continue;
          }
          if (keys.count("/DSS")) kinds.insert(ChangeKind::kDss);
          if (keys.count("/AcroForm") && !Keeps(Get(then.getKey("/AcroForm"), "/Fields"),
                                                 Get(now.getKey("/AcroForm"), "/Fields"))) {
            other(og, "form fields were removed");
          }
          continue;
        }
        if (NameOf(Get(now, "/Type")) == "/Page") {
          if (!OnlyKeys(keys, {"/Annots"}) || !Keeps(then.getKey("/Annots"), now.getKey("/Annots"))) {
            other(og, "page object " + og.unparse(' ') + " changed beyond its annotations");
            continue;
          }
          ClassifyAddedAnnots(then.getKey("/Annots"), now.getKey("/Annots"), &kinds);
          continue;
        }
        if (now.hasKey("/Fields") && !now.hasKey("/Type")) {  // the AcroForm dictionary
          if (!OnlyKeys(keys, {"/Fields", "/SigFlags", "/DR", "/DA"}) || !Keeps(then.getKey("/Fields"), now.getKey("/Fields"))) {
            other(og, "the interactive form dictionary changed beyond its fields");
          }
          continue;
        }
        if (IsSigWidgetOrField(now) && !then.hasKey("/V") && OnlyKeys(keys, {"/V", "/AP", "/AS", "/SV", "/Lock"})) {
          kinds.insert(ChangeKind::kSignature);  // an empty signature field signed
          continue;
        }
        if (now.hasKey("/FT") && !IsSigWidgetOrField(now) && OnlyKeys(keys, {"/V", "/AP", "/AS"})) {
          kinds.insert(ChangeKind::kFormFill);
          continue;
        }
        if (IsAnnotation(now) && !IsSigWidgetOrField(now) && NameOf(Get(now, "/Subtype")) != "/Widget") {
          kinds.insert(ChangeKind::kAnnotations);
          continue;
        }
        if (root_after.getKey("/DSS").isIndirect() && og == root_after.getKey("/DSS").getObjGen()) {
          kinds.insert(ChangeKind::kDss);
          continue;
        }
        other(og, "object " + og.unparse(' ') + " changed");
      }
      for (ChangeKind kk : {ChangeKind::kSignature, ChangeKind::kDocTimestamp, ChangeKind::kDss, ChangeKind::kAnnotations,
                            ChangeKind::kFormFill, ChangeKind::kMetadata, ChangeKind::kOther}) {
        if (kinds.count(kk)) rc.kinds.push_back(kk);
      }
      out.push_back(std::move(rc));
      prev = std::move(cur);
    }
  } catch (const QPDFExc& e) {
    return InvalidArgumentError("PDF 的某次修订无法单独读取 / a revision of the PDF cannot be read on its own: " +
                                e.getMessageDetail());
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("PDF 的某次修订无法单独读取 / a revision of the PDF cannot be read on its own: ") +
                                e.what());
  }
  return out;
}

}  // namespace eseal::pdf
