// OFD verification (OFD 验章): every signature of every DocBody, GB/T 38540 §7.3 through
// ses::VerifySignature plus the OFD checks (reference/ses-formats.md §8, and what ofdrw
// leaves out). docs/ofd-signing.md lists the check ids.
#include "eseal/verify/ofd_verifier.h"

#include <algorithm>
#include <map>
#include <set>

#include "eseal/crypto/sm3.h"
#include "eseal/ofd/document.h"
#include "eseal/ofd/ofd_root.h"
#include "eseal/ofd/path.h"
#include "internal.h"
#include "work_meter.h"

namespace eseal::verify {

Verdict OfdVerification::verdict() const {
  bool indeterminate = false;
  auto take = [&](Verdict v) {
    if (v == Verdict::kIndeterminate) indeterminate = true;
    return v == Verdict::kFailed;
  };
  if (take(document.verdict())) return Verdict::kFailed;
  for (const SignatureVerification& s : signatures) {
    if (take(s.report.verdict())) return Verdict::kFailed;
  }
  return indeterminate ? Verdict::kIndeterminate : Verdict::kPassed;
}

namespace internal {

Result<Bytes> DigestCache::Sm3(const std::string& path) {
  auto it = cache_.find(path);
  if (it != cache_.end()) return it->second;
  Result<Bytes> r = NotFoundError("the package has no file " + path);
  if (const ofd::EntryInfo* e = package_.Find(path)) {
    auto data = package_.ReadEntry(*e, package_.limits().max_entry_size);
    if (data.ok()) {
      r = crypto::Sm3Bytes(*data);
    } else {
      r = data.status();
    }
  }
  cache_.emplace(path, r);
  return r;
}

}  // namespace internal

namespace {

using internal::DigestCache;

// A package refused for its size: what happened, and what to do, in Chinese then English.
std::string TooLarge(const std::string& zh, const std::string& en) {
  return zh + "，文档未验证；请拆分文档后分别验证，或请运营方调整验证上限。 / " + en +
         "; the package is refused: split it, or ask the operator to raise the limit.";
}
using internal::ListedSignature;

constexpr uint64_t kMaxValueSize = uint64_t{64} << 20;

std::string Trim(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string_view::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(a, b - a + 1));
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

bool IsRelative(std::string_view loc) {
  std::string t = Trim(loc);
  return !t.empty() && t[0] != '/';
}

// Reads a file by canonical path, also matching names that differ only by case.
Result<Bytes> ReadFileIn(const ofd::Package& pkg, const std::string& path, uint64_t max) {
  const ofd::EntryInfo* e = pkg.Find(path);
  if (e == nullptr) e = pkg.FindIgnoringCase(path);
  if (e == nullptr) return NotFoundError("the package has no file " + path);
  return pkg.ReadEntry(*e, max);
}

void Tolerance(Report& r, const std::string& name, const std::string& detail) {
  r.Warn("ofd.tolerance." + name, "tolerated: " + detail).params = {{"tolerance", name}};
}

// References@CheckMethod: the SM3 OID, ofdrw's name "SM3", and named tolerances.
// Returns false when the digests cannot be checked.
bool CheckMethod(const std::string& raw, Report& r) {
  std::string cm = Trim(raw);
  Check* c = nullptr;
  if (cm == "1.2.156.10197.1.401") {
    c = &r.Pass("ofd.reference.check_method", "CheckMethod is the SM3 OID");
  } else if (Lower(cm) == "sm3") {
    c = &r.Pass("ofd.reference.check_method", "CheckMethod is the name \"SM3\" (as ofdrw writes it)");
  } else if (cm == "1.2.156.10197.1.401.1") {
    c = &r.Warn("ofd.reference.check_method",
                "tolerated: CheckMethod is the SM3 \"no key\" OID 1.2.156.10197.1.401.1; digests "
                "checked as SM3");
    c->params.emplace_back("tolerance", "check_method_sm3_variant");
  } else if (cm == "1.2.156.10197.1.401.2") {
    c = &r.Warn("ofd.reference.check_method",
                "tolerated: CheckMethod is the HMAC-SM3 OID 1.2.156.10197.1.401.2 (iOFD); "
                "digests checked as plain SM3");
    c->params.emplace_back("tolerance", "check_method_hmac_sm3_oid");
  } else if (cm.empty()) {
    c = &r.Warn("ofd.reference.check_method",
                "tolerated: no CheckMethod (the standard's default would be MD5); digests "
                "checked as SM3");
    c->params.emplace_back("tolerance", "check_method_absent");
  } else {
    r.Fail("ofd.reference.check_method", "unsupported CheckMethod \"" + cm + "\"")
        .params = {{"check_method", cm}};
    return false;
  }
  c->params.emplace_back("check_method", cm);
  return true;
}

struct ListContext {
  const ofd::Package* pkg;
  DigestCache* digests;
  const OfdVerifyOptions* options;
  std::string signatures_path;
  std::vector<ListedSignature>* list;
  std::optional<ofd::Document> document;  // for StampAnnot pages
  std::string document_error;
  // Coverage is judged once the whole list is verified (CheckListCoverage): VerifyOne
  // leaves each signature's digest results here, index for index with `list`.
  std::vector<std::optional<internal::CoverageInput>> coverage;
};

void CheckStampAnnots(const ListContext& ctx, const ofd::Signature& sig, Report& r) {
  if (sig.stamp_annots.empty()) {
    r.Info("ofd.stamp_annot", "the signature has no appearance (StampAnnot)");
    return;
  }
  for (const ofd::StampAnnot& a : sig.stamp_annots) {
    std::vector<std::pair<std::string, std::string>> params = {{"annot", a.id},
                                                               {"page_ref", a.page_ref}};
    if (!a.boundary) {
      r.Warn("ofd.stamp_annot.boundary", "StampAnnot " + a.id + " has no usable Boundary")
          .params = params;
    }
    if (!ctx.document) {
      r.Indeterminate("ofd.stamp_annot.page", "the page list cannot be read (" +
                                                  ctx.document_error + ")")
          .params = params;
      continue;
    }
    bool found = false;
    const std::string ref = Trim(a.page_ref);
    for (size_t i = 0; i < ctx.document->pages.size(); ++i) {
      if (std::to_string(ctx.document->pages[i].id) == ref) {
        params.emplace_back("page", std::to_string(i + 1));
        r.Pass("ofd.stamp_annot.page",
               "StampAnnot " + a.id + " is on page " + std::to_string(i + 1))
            .params = params;
        found = true;
        break;
      }
    }
    if (!found) {
      r.Fail("ofd.stamp_annot.page",
             "StampAnnot " + a.id + " names page \"" + a.page_ref + "\", which the document does not have")
          .params = params;
    }
  }
}

void VerifySealType(const ListContext& ctx, const ofd::Signature& sig, ByteView xml,
                    ByteView value, Report& r, std::optional<ses::Signature>* out) {
  auto parsed = ses::ParseSignature(value);
  if (!parsed.ok()) {
    r.Fail("ofd.signed_value.format",
           "the signature value is not an SES_Signature: " + parsed.status().message());
    return;
  }
  r.Pass("ofd.signed_value.format",
         std::string("SES_Signature ") + std::string(ses::VersionName(parsed->version)));
  const Bytes data_hash = crypto::Sm3Bytes(xml);
  // The platform's records first: its usage register may prove the signing time.
  RecordFacts facts;
  if (ctx.options->on_record) facts = ctx.options->on_record(*parsed);
  r.Merge(VerifySesSignature(*parsed, data_hash, ctx.options->policy, facts.registered));

  // Seal.esl equal to the seal inside the signature value (ofdrw since 1.15.6).
  if (!sig.seal_base_loc.empty()) {
    if (IsRelative(sig.seal_base_loc)) {
      Tolerance(r, "relative_base_loc", "Seal/BaseLoc \"" + sig.seal_base_loc + "\" is relative");
    }
    auto esl = sig.seal_path.empty() ? Result<Bytes>(NotFoundError("unusable BaseLoc"))
                                     : ReadFileIn(*ctx.pkg, sig.seal_path, kMaxValueSize);
    if (!esl.ok()) {
      r.Fail("ofd.seal.file", "the seal file " + sig.seal_base_loc + " cannot be read: " +
                                  esl.status().message())
          .params = {{"file", sig.seal_path}};
      r.Skip("ofd.seal.matches_signed_value", "no seal file");
    } else {
      r.Pass("ofd.seal.file").params = {{"file", sig.seal_path}};
      if (*esl == parsed->tbs.seal.der) {
        r.Pass("ofd.seal.matches_signed_value",
               "the seal file equals the seal inside the signature value");
      } else {
        r.Fail("ofd.seal.matches_signed_value",
               "the seal file differs from the seal inside the signature value")
            .params = {{"file", sig.seal_path}};
      }
    }
  } else {
    r.Info("ofd.seal.file",
           "no <Seal> element: the seal exists only inside the signature value (as on tax "
           "e-invoices)");
  }

  // propertyInfo: the path of the Signature.xml that was signed.
  const std::string& pi = parsed->tbs.property_info;
  auto resolved = ofd::ResolveLoc("/", pi);
  if (pi == sig.path) {
    r.Pass("ofd.signature.property_info", "propertyInfo names this Signature.xml")
        .params = {{"property_info", pi}};
  } else if (resolved.ok() && Lower(*resolved) == Lower(sig.path)) {
    r.Warn("ofd.signature.property_info",
           "tolerated: propertyInfo \"" + pi + "\" names this Signature.xml in another spelling")
        .params = {{"property_info", pi}, {"tolerance", "property_info_spelling"}};
  } else {
    r.Warn("ofd.signature.property_info",
           "propertyInfo \"" + pi + "\" does not name this Signature.xml (" + sig.path +
               "); dataHash still binds the signature to it")
        .params = {{"property_info", pi}};
  }

  const ses::Picture& pic = parsed->tbs.seal.info.picture;
  std::string type = Lower(pic.type);
  if (type == "ofd") {
    Tolerance(r, "picture_type_ofd",
              "the seal picture is an OFD package (type \"ofd\"), as GOMAIN and AntChain write");
  } else if (type == "png" || type == "gif" || type == "jpg" || type == "jpeg" || type == "bmp") {
    r.Pass("ofd.seal.picture", "seal picture type " + pic.type).params = {{"type", pic.type}};
  } else {
    r.Warn("ofd.seal.picture", "unusual seal picture type \"" + pic.type + "\"")
        .params = {{"type", pic.type}};
  }

  for (const Check& c : facts.checks) r.Add(c.id, c.result, c.detail).params = c.params;
  *out = *std::move(parsed);
}

SignatureVerification VerifyOne(ListContext& ctx, size_t index) {
  ListedSignature& ls = (*ctx.list)[index];
  const ofd::SignatureEntry& e = ls.entry;
  SignatureVerification sv;
  sv.id = e.id;
  sv.type = e.type.empty() ? "Seal" : e.type;
  sv.signature_path = e.path;
  Report& r = sv.report;
  r.Info("ofd.signature.entry", "signature " + e.id + " (Type " + sv.type + ") at " + e.base_loc)
      .params = {{"id", e.id}, {"type", sv.type}, {"base_loc", e.base_loc}};
  if (IsRelative(e.base_loc)) {
    Tolerance(r, "relative_base_loc",
              "BaseLoc \"" + e.base_loc + "\" is relative to Signatures.xml (KingGrid)");
  }
  if (e.path.empty()) {
    r.Fail("ofd.signature.xml", "the BaseLoc \"" + e.base_loc + "\" is not a usable package path");
    return sv;
  }
  if (!ls.signature) {
    r.Fail("ofd.signature.xml", "Signature.xml cannot be used: " + ls.error)
        .params = {{"file", e.path}};
    return sv;
  }
  const ofd::Signature& sig = *ls.signature;
  r.Pass("ofd.signature.xml").params = {{"file", e.path}};

  Check& prov = r.Info("ofd.signature.provider",
                       "made by " + sig.provider.provider_name +
                           (sig.provider.company.empty() ? "" : " (" + sig.provider.company + ")") +
                           (sig.provider.version.empty() ? "" : " " + sig.provider.version));
  prov.params = {{"provider", sig.provider.provider_name},
                 {"company", sig.provider.company},
                 {"version", sig.provider.version},
                 {"signature_date_time", sig.signature_date_time}};
  if (sig.provider.as_child_elements) {
    Tolerance(r, "provider_child_elements",
              "the Provider fields are child elements, not attributes (iOFD)");
  }

  const std::string method = Trim(sig.signature_method);
  const std::string lm = Lower(method);
  if (method == "1.2.156.10197.1.501" || lm == "sm3withsm2" || lm == "sm2withsm3" ||
      lm == "sm2-with-sm3") {
    r.Pass("ofd.signature.method", "SignatureMethod is SM2 with SM3").params = {{"method", method}};
  } else if (sv.type == "Seal") {
    r.Warn("ofd.signature.method", "SignatureMethod \"" + method +
                                       "\" is not SM2 with SM3; the SES_Signature names its own algorithm")
        .params = {{"method", method}};
  } else {
    r.Fail("ofd.signature.method", "unsupported SignatureMethod \"" + method + "\"")
        .params = {{"method", method}};
  }

  // References (文件完整性).
  internal::CoverageInput cov;
  cov.package = ctx.pkg;
  cov.signatures_path = ctx.signatures_path;
  cov.list = ctx.list;
  cov.index = index;
  cov.limits = &ctx.pkg->limits();
  bool can_digest = CheckMethod(sig.check_method, r);
  if (sig.references.empty()) {
    r.Fail("ofd.reference.present", "the signature protects no file (no Reference)");
  }
  for (const ofd::Reference& ref : sig.references) {
    std::vector<std::pair<std::string, std::string>> params = {{"file", ref.path.empty() ? ref.file_ref : ref.path}};
    if (ref.path.empty()) {
      r.Fail("ofd.reference.path", "FileRef \"" + ref.file_ref + "\" is not a usable package path")
          .params = params;
      continue;
    }
    cov.referenced.insert(ref.path);
    if (!ctx.pkg->Contains(ref.path)) {
      r.Fail("ofd.reference.missing", "the protected file " + ref.path + " is not in the package")
          .params = params;
      continue;
    }
    if (!can_digest) {
      r.Skip("ofd.reference.digest", "unsupported CheckMethod").params = params;
      continue;
    }
    auto digest = ctx.digests->Sm3(ref.path);
    auto expected = Base64Decode(ref.check_value);
    if (!digest.ok()) {
      r.Fail("ofd.reference.digest", ref.path + " cannot be read: " + digest.status().message())
          .params = params;
    } else if (!expected.ok()) {
      r.Fail("ofd.reference.digest", "the CheckValue of " + ref.path + " is not base64")
          .params = params;
    } else if (*expected == *digest) {
      r.Pass("ofd.reference.digest", ref.path + " is unchanged").params = params;
      cov.verified.insert(ref.path);
    } else {
      params.emplace_back("expected", HexEncode(*expected));
      params.emplace_back("actual", HexEncode(*digest));
      r.Fail("ofd.reference.digest", ref.path + " was changed after signing").params = params;
    }
  }
  if (index < ctx.coverage.size()) ctx.coverage[index] = std::move(cov);

  // The signature value.
  if (sig.signed_value_path.empty()) {
    r.Fail("ofd.signed_value.file", "SignedValue \"" + sig.signed_value + "\" is not a usable path");
    CheckStampAnnots(ctx, sig, r);
    return sv;
  }
  if (IsRelative(sig.signed_value)) {
    Tolerance(r, "relative_base_loc", "SignedValue \"" + sig.signed_value + "\" is relative");
  }
  auto value = ReadFileIn(*ctx.pkg, sig.signed_value_path, kMaxValueSize);
  if (!value.ok()) {
    r.Fail("ofd.signed_value.file", "the signature value cannot be read: " + value.status().message())
        .params = {{"file", sig.signed_value_path}};
    CheckStampAnnots(ctx, sig, r);
    return sv;
  }
  r.Pass("ofd.signed_value.file").params = {{"file", sig.signed_value_path}};
  if (BaseName(sig.signed_value_path) != "SignedValue.dat") {
    Tolerance(r, "signed_value_name",
              "the value file is named " + BaseName(sig.signed_value_path) +
                  ", not SignedValue.dat (DianJu writes SignValue.dat)");
  }
  if (sv.type == "Seal") {
    VerifySealType(ctx, sig, ls.signature_xml, *value, r, &sv.ses);
  } else if (sv.type == "Sign") {
    (void)internal::VerifySignValue(sig, ls.signature_xml, *value, *ctx.options, r);
  } else {
    r.Fail("ofd.signature.type", "unknown signature Type \"" + sv.type + "\"");
  }
  CheckStampAnnots(ctx, sig, r);
  return sv;
}

// Loads every Signature.xml the entries name, each file read and parsed once however many
// entries name it: VerifyOfd hands over one entry per distinct file, and a repeat that
// still arrives here gets no copy of its own (it is skipped). Parse errors are kept per
// entry for VerifyOne to report.
std::vector<ListedSignature> LoadList(const ofd::Package& pkg,
                                      const std::vector<ofd::SignatureEntry>& entries) {
  std::vector<ListedSignature> out;
  out.reserve(entries.size());
  std::set<std::string> loaded;
  for (const ofd::SignatureEntry& e : entries) {
    if (!e.path.empty() && !loaded.insert(e.path).second) continue;
    ListedSignature ls;
    ls.entry = e;
    if (!e.path.empty()) {
      auto raw = ReadFileIn(pkg, e.path, pkg.limits().max_xml_size);
      if (raw.ok()) {
        auto parsed = ofd::ParseSignatureXml(*raw, e.path, pkg.limits());
        if (parsed.ok()) {
          ls.signature_xml = *std::move(raw);
          ls.signature = *std::move(parsed);
        } else {
          ls.error = parsed.status().message();
        }
      } else {
        ls.error = raw.status().message();
      }
    }
    out.push_back(std::move(ls));
  }
  return out;
}

// The key under which a Signatures.xml or Signature.xml is loaded once: the canonical path
// of the package entry it resolves to (names differing only by case are one file, as
// ReadFileIn reads them), else the path as written.
std::string FileKey(const ofd::Package& pkg, const std::string& path) {
  if (const ofd::EntryInfo* e = pkg.FindIgnoringCase(path)) return e->path;
  return path;
}

std::string JoinFirst(const std::vector<std::string>& items, size_t max) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max; ++i) out += (i ? "," : "") + items[i];
  if (items.size() > max) out += ",...";
  return out;
}

}  // namespace

Result<OfdVerification> VerifyOfd(ByteView document, const OfdVerifyOptions& options) {
  const Budget& budget = options.policy.budget;
  internal::WorkMeter meter(budget);
  ASSIGN_OR_RETURN(ofd::Package pkg,
                   ofd::Package::Open(Bytes(document.begin(), document.end()), options.limits));
  const ofd::EntryInfo* main = pkg.FindIgnoringCase(ofd::kOfdXmlPath);
  if (main == nullptr) return InvalidArgumentError("not an OFD package: it has no OFD.xml");
  OfdVerification v;
  v.document.Pass("ofd.package", "the OFD package opens safely").params = {
      {"entries", std::to_string(pkg.entries().size())}};

  // The signature lists: from OFD.xml, or, when OFD.xml itself is unreadable (it may have
  // been tampered with), every file named Signatures.xml.
  struct ListRef {
    size_t doc_index;
    std::string signatures_path;
    std::string doc_root_path;
  };
  std::vector<ListRef> lists;
  auto ofd_xml = pkg.ReadEntry(*main, pkg.limits().max_xml_size);
  Result<ofd::OfdRoot> root = ofd_xml.ok() ? ofd::ParseOfdXml(*ofd_xml, pkg.limits())
                                           : Result<ofd::OfdRoot>(ofd_xml.status());
  if (root.ok()) {
    if (root->doc_bodies.size() > budget.max_doc_bodies) {
      return ResourceExhaustedError(TooLarge(
          "文档包含 " + std::to_string(root->doc_bodies.size()) + " 个文档，超过单个文件 " +
              std::to_string(budget.max_doc_bodies) + " 个的上限",
          "OFD.xml has " + std::to_string(root->doc_bodies.size()) +
              " DocBody elements, more than the limit of " + std::to_string(budget.max_doc_bodies) +
              " documents in one package"));
    }
    v.document.Pass("ofd.root",
                    "OFD.xml names " + std::to_string(root->doc_bodies.size()) + " document(s)");
    for (size_t i = 0; i < root->doc_bodies.size(); ++i) {
      const ofd::DocBody& b = root->doc_bodies[i];
      if (!b.signatures_path.empty()) lists.push_back({i, b.signatures_path, b.doc_root_path});
    }
  } else {
    if (root.status().code() == StatusCode::kResourceExhausted) return root.status();
    v.document.Fail("ofd.root", "OFD.xml is unreadable: " + root.status().message() +
                                    "; looking for signature lists by name");
    for (const std::string& p : pkg.FilePaths()) {
      if (BaseName(p) == "Signatures.xml") lists.push_back({0, p, ""});
    }
    // Nothing signed to report on: this is not a readable OFD.
    if (lists.empty()) return root.status().WithContext("not a readable OFD package");
    if (lists.size() > budget.max_doc_bodies) {
      return ResourceExhaustedError(TooLarge(
          "文档包含 " + std::to_string(lists.size()) + " 个签名列表，超过单个文件 " +
              std::to_string(budget.max_doc_bodies) + " 个文档的上限",
          "the package has " + std::to_string(lists.size()) +
              " files named Signatures.xml, more than the limit of " +
              std::to_string(budget.max_doc_bodies) + " documents in one package"));
    }
  }
  if (lists.empty()) {
    v.document.Fail("ofd.signatures.present", "the document has no signatures");
    return v;
  }

  // 1. Read every signature list once (DocBodies naming the same Signatures.xml share it)
  // and keep one entry per distinct Signature.xml in the whole package: a Signature.xml
  // named again (in this list or another) is verified once, under its first entry, and the
  // repeats are reported together as ofd.signatures.duplicate_base_loc (WARNING) with the
  // count and the IDs that named it — no report of their own.
  struct PlannedList {
    ListRef ref;
    std::vector<ofd::SignatureEntry> entries;  // distinct Signature.xml files, in list order
  };
  struct Repeat {
    std::string list_path;  // the Signatures.xml of the first repeat
    std::string base_loc;
    std::string first_id;
    size_t count = 1;              // entries naming the file, the verified one included
    std::vector<std::string> ids;  // IDs of the repeats (first few are reported)
  };
  std::vector<PlannedList> planned;
  std::map<std::string, size_t> list_keys;      // Signatures.xml key -> planned index
  std::map<std::string, std::string> sig_keys;  // Signature.xml key -> first entry's ID
  std::map<std::string, Repeat> repeats;        // Signature.xml key -> its repeats
  std::vector<std::string> repeat_order;
  size_t distinct = 0;
  for (const ListRef& lr : lists) {
    const std::string list_key = FileKey(pkg, lr.signatures_path);
    if (auto it = list_keys.find(list_key); it != list_keys.end()) {
      const ListRef& first = planned[it->second].ref;
      v.document
          .Warn("ofd.signatures.shared_list",
                "DocBody " + std::to_string(lr.doc_index) + " names the signature list " +
                    lr.signatures_path + " that DocBody " + std::to_string(first.doc_index) +
                    " names too; its signatures are verified once, with that document")
          .params = {{"file", lr.signatures_path},
                     {"document", std::to_string(lr.doc_index)},
                     {"verified_with_document", std::to_string(first.doc_index)}};
      continue;
    }
    auto raw = ReadFileIn(pkg, lr.signatures_path, pkg.limits().max_xml_size);
    if (!raw.ok()) {
      if (raw.status().code() == StatusCode::kResourceExhausted) return raw.status();
      v.document
          .Fail("ofd.signatures.list", "the signature list " + lr.signatures_path +
                                           " cannot be read: " + raw.status().message())
          .params = {{"file", lr.signatures_path}};
      continue;
    }
    auto list = ofd::ParseSignaturesXml(*raw, lr.signatures_path, pkg.limits());
    if (!list.ok()) {
      if (list.status().code() == StatusCode::kResourceExhausted) return list.status();
      v.document
          .Fail("ofd.signatures.list", "the signature list " + lr.signatures_path +
                                           " is malformed: " + list.status().message())
          .params = {{"file", lr.signatures_path}};
      continue;
    }
    list_keys.emplace(list_key, planned.size());
    Check& c = v.document.Pass(
        "ofd.signatures.list",
        lr.signatures_path + " lists " + std::to_string(list->entries.size()) + " signature(s)");
    c.params = {{"file", lr.signatures_path}, {"count", std::to_string(list->entries.size())}};
    if (lr.doc_index > 0) c.params.emplace_back("document", std::to_string(lr.doc_index));
    PlannedList pl{lr, {}};
    std::set<std::string> ids;
    for (ofd::SignatureEntry& e : list->entries) {
      // An unusable BaseLoc has no path: the same text written again is the same entry.
      const std::string key = e.path.empty() ? "?" + Trim(e.base_loc) : FileKey(pkg, e.path);
      if (auto it = sig_keys.find(key); it != sig_keys.end()) {
        auto [rep, fresh] = repeats.try_emplace(key);
        if (fresh) {
          rep->second.list_path = lr.signatures_path;
          rep->second.base_loc = e.base_loc;
          rep->second.first_id = it->second;
          repeat_order.push_back(key);
        }
        ++rep->second.count;
        if (rep->second.ids.size() < 16) rep->second.ids.push_back(e.id);
        continue;
      }
      sig_keys.emplace(key, e.id);
      if (!ids.insert(e.id).second) {
        v.document.Warn("ofd.signatures.duplicate_id", "signature ID " + e.id + " is used twice")
            .params = {{"id", e.id}};
      }
      pl.entries.push_back(std::move(e));
      if (++distinct > budget.max_signatures) {
        return ResourceExhaustedError(TooLarge(
            "文档中不同的签章超过 " + std::to_string(budget.max_signatures) + " 个的上限",
            "the package has more than " + std::to_string(budget.max_signatures) +
                " distinct signatures, the limit for one package"));
      }
    }
    planned.push_back(std::move(pl));
  }
  for (const std::string& key : repeat_order) {
    const Repeat& rep = repeats[key];
    const std::string shown = key.starts_with("?") ? rep.base_loc : key;
    v.document
        .Warn("ofd.signatures.duplicate_base_loc",
              "the signature lists name " + shown + " " + std::to_string(rep.count) +
                  " times; it is verified once, as signature " + rep.first_id +
                  ", and the other entries get no report of their own")
        .params = {{"file", rep.list_path},
                   {"base_loc", rep.base_loc},
                   {"path", shown},
                   {"count", std::to_string(rep.count)},
                   {"verified_id", rep.first_id},
                   {"ids", JoinFirst(rep.ids, 16)}};
  }

  // 2. Verify each distinct signature, within the work budget.
  DigestCache digests(pkg);
  internal::RenderGraphCache render_graph(pkg);  // coverage: built once per package
  size_t total = 0;
  bool stopped = false;
  for (const PlannedList& pl : planned) {
    const ListRef& lr = pl.ref;
    if (meter.Exhausted()) {
      stopped = true;
      break;
    }
    std::vector<ListedSignature> listed = LoadList(pkg, pl.entries);
    ListContext ctx{&pkg, &digests, &options, lr.signatures_path, &listed, std::nullopt, ""};
    ctx.coverage.resize(listed.size());
    const size_t first_of_list = v.signatures.size();
    if (!lr.doc_root_path.empty()) {
      auto doc_xml = ReadFileIn(pkg, lr.doc_root_path, pkg.limits().max_xml_size);
      auto doc = doc_xml.ok() ? ofd::ParseDocumentXml(*doc_xml, lr.doc_root_path, pkg.limits())
                              : Result<ofd::Document>(doc_xml.status());
      if (doc.ok()) {
        ctx.document = *std::move(doc);
      } else if (doc.status().code() == StatusCode::kResourceExhausted) {
        return doc.status();
      } else {
        ctx.document_error = doc.status().message();
      }
    } else {
      ctx.document_error = "OFD.xml is unreadable";
    }
    for (size_t i = 0; i < listed.size(); ++i) {
      if (meter.Exhausted()) {
        stopped = true;
        break;
      }
      SignatureVerification sv = VerifyOne(ctx, i);
      sv.doc_index = lr.doc_index;
      meter.AddChecks(sv.report.checks().size());
      v.signatures.push_back(std::move(sv));
      ++total;
    }
    // Coverage of what the reader renders, now that every signature of the list is known.
    std::vector<Report*> reports(listed.size(), nullptr);
    for (size_t i = 0; first_of_list + i < v.signatures.size() && i < reports.size(); ++i) {
      reports[i] = &v.signatures[first_of_list + i].report;
    }
    internal::CheckListCoverage(render_graph.Get(), ctx.coverage, reports);
    if (stopped) break;
  }
  if (stopped) {
    Check& b = meter.AddBudgetCheck(v.document);
    b.params.emplace_back("signatures_verified", std::to_string(total));
    b.params.emplace_back("signatures_listed", std::to_string(distinct));
  }
  if (total == 0 && !stopped) {
    v.document.Fail("ofd.signatures.present", "the signature lists hold no signature");
  } else if (total > 0) {
    v.document.Pass("ofd.signatures.present", std::to_string(total) + " signature(s)");
  }
  return v;
}

}  // namespace eseal::verify
