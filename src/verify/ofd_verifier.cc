// OFD verification (OFD 验章): every signature of every DocBody, GB/T 38540 §7.3 through
// ses::VerifySignature plus the OFD checks (reference/ses-formats.md §8, and what ofdrw
// leaves out). docs/ofd-signing.md lists the check ids.
#include "eseal/verify/ofd_verifier.h"

#include <algorithm>

#include "eseal/crypto/sm3.h"
#include "eseal/ofd/document.h"
#include "eseal/ofd/ofd_root.h"
#include "eseal/ofd/path.h"
#include "eseal/x509/chain.h"
#include "internal.h"

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

// Named tolerance "maker_cert_after_seal_creation": GOMAIN's Jiangsu tax seal
// (signedFile.ofd) says it was created on 2019-10-11, five days before its maker
// certificate's notBefore. The maker's signature carries no time of its own; what can be
// checked is that the maker certificate was valid when the document was signed (the seal
// existed then). So when the maker certificate began after createDate and was valid at the
// signing time, the creation-time checks become a WARNING and the maker chain is judged at
// the signing time instead. A maker certificate that had expired (or not begun) by the
// signing time still fails.
Report MakerCertTolerance(Report in, const ses::Signature& sig, const ses::TrustPolicy& trust) {
  if (in.ResultOf("ses.seal.maker_cert.valid_at_creation") != CheckResult::kFail) return in;
  auto maker = x509::Certificate::FromDer(sig.tbs.seal.maker_cert);
  const Time created = sig.tbs.seal.info.property.create_date;
  const Time signed_at = sig.tbs.time;
  if (!maker.ok() || !(maker->not_before() > created) || !maker->ValidAt(signed_at)) return in;
  Report out;
  for (const Check& c : in.checks()) {
    if (c.id == "ses.seal.maker_cert.valid_at_creation" || c.id.starts_with("maker.")) continue;
    out.Add(c.id, c.result, c.detail).params = c.params;
  }
  out.Warn("ses.seal.maker_cert.valid_at_creation",
           "tolerated: the maker certificate begins " + FormatRfc3339(maker->not_before()) +
               ", after the seal's creation date " + FormatRfc3339(created) +
               "; it was valid when the document was signed (" + FormatRfc3339(signed_at) +
               "), and the maker chain is judged then")
      .params = {{"tolerance", "maker_cert_after_seal_creation"}};
  x509::ChainOptions co;
  co.check_revocation = !trust.crls.empty();
  co.tolerate_ca_without_key_cert_sign = trust.tolerate_ca_without_key_cert_sign;
  co.leaf_purpose = x509::LeafPurpose::kSigning;
  out.Merge(x509::ValidateChain(*maker, trust.intermediates, trust.anchors, trust.crls, signed_at, co)
                .report,
            "maker.");
  return out;
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
  r.Merge(MakerCertTolerance(ses::VerifySignature(*parsed, data_hash, ctx.options->trust),
                             *parsed, ctx.options->trust));

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

  if (ctx.options->platform_checks) {
    for (const Check& c : ctx.options->platform_checks(*parsed)) {
      r.Add(c.id, c.result, c.detail).params = c.params;
    }
  }
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
  internal::CheckCoverage(cov, r);

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

// Loads the list and every Signature.xml in it.
std::vector<ListedSignature> LoadList(const ofd::Package& pkg, const ofd::Signatures& list) {
  std::vector<ListedSignature> out;
  for (const ofd::SignatureEntry& e : list.entries) {
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

}  // namespace

Result<OfdVerification> VerifyOfd(ByteView document, const OfdVerifyOptions& options) {
  ASSIGN_OR_RETURN(ofd::Package pkg,
                   ofd::Package::Open(Bytes(document.begin(), document.end()), options.limits));
  const ofd::EntryInfo* main = pkg.FindIgnoringCase(ofd::kOfdXmlPath);
  if (main == nullptr) return InvalidArgumentError("not an OFD package: it has no OFD.xml");
  OfdVerification v;
  v.document.Pass("ofd.package", "the OFD package opens safely")
      .params = {{"entries", std::to_string(pkg.entries().size())}};

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
    v.document.Pass("ofd.root", "OFD.xml names " + std::to_string(root->doc_bodies.size()) +
                                    " document(s)");
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
  }
  if (lists.empty()) {
    v.document.Fail("ofd.signatures.present", "the document has no signatures");
    return v;
  }

  DigestCache digests(pkg);
  size_t total = 0;
  for (const ListRef& lr : lists) {
    auto raw = ReadFileIn(pkg, lr.signatures_path, pkg.limits().max_xml_size);
    if (!raw.ok()) {
      if (raw.status().code() == StatusCode::kResourceExhausted) return raw.status();
      v.document.Fail("ofd.signatures.list", "the signature list " + lr.signatures_path +
                                                 " cannot be read: " + raw.status().message())
          .params = {{"file", lr.signatures_path}};
      continue;
    }
    auto list = ofd::ParseSignaturesXml(*raw, lr.signatures_path, pkg.limits());
    if (!list.ok()) {
      if (list.status().code() == StatusCode::kResourceExhausted) return list.status();
      v.document.Fail("ofd.signatures.list", "the signature list " + lr.signatures_path +
                                                 " is malformed: " + list.status().message())
          .params = {{"file", lr.signatures_path}};
      continue;
    }
    Check& c = v.document.Pass("ofd.signatures.list", lr.signatures_path + " lists " +
                                                          std::to_string(list->entries.size()) +
                                                          " signature(s)");
    c.params = {{"file", lr.signatures_path}, {"count", std::to_string(list->entries.size())}};
    if (lr.doc_index > 0) c.params.emplace_back("document", std::to_string(lr.doc_index));
    std::set<std::string> ids;
    for (const ofd::SignatureEntry& e : list->entries) {
      if (!ids.insert(e.id).second) {
        v.document.Warn("ofd.signatures.duplicate_id", "signature ID " + e.id + " is used twice")
            .params = {{"id", e.id}};
      }
    }
    std::vector<ListedSignature> listed = LoadList(pkg, *list);
    ListContext ctx{&pkg, &digests, &options, lr.signatures_path, &listed, std::nullopt, ""};
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
      SignatureVerification sv = VerifyOne(ctx, i);
      sv.doc_index = lr.doc_index;
      v.signatures.push_back(std::move(sv));
      ++total;
    }
  }
  if (total == 0) {
    v.document.Fail("ofd.signatures.present", "the signature lists hold no signature");
  } else {
    v.document.Pass("ofd.signatures.present", std::to_string(total) + " signature(s)");
  }
  return v;
}

}  // namespace eseal::verify
