// OFD signing (OFD 签章): GB/T 33190 §18 package layout as ofdrw writes it
// (reference/ses-formats.md §7.1-§7.5), with an SES_Signature (GB/T 38540) or a GB/T 35275
// SignedData as the signature value.
#include "eseal/sign/ofd_signer.h"

#include <algorithm>
#include <map>
#include <set>

#include "eseal/crypto/sm3.h"
#include "eseal/ofd/ofd_root.h"
#include "eseal/ofd/package_writer.h"
#include "eseal/ofd/path.h"
#include "eseal/ofd/reader.h"
#include "eseal/ofd/signature.h"
#include "eseal/ofd/signatures.h"
#include "eseal/ses/make.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/signed_data.h"
#include "internal.h"

namespace eseal::sign {
namespace {

using internal::Appearance;

std::string FolderName(std::string_view dir_with_slash) {
  std::string_view d = dir_with_slash;
  if (!d.empty() && d.back() == '/') d.remove_suffix(1);
  size_t slash = d.rfind('/');
  return std::string(slash == std::string_view::npos ? d : d.substr(slash + 1));
}

bool StartsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i], b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

// Where the Sign_N folders of this document live: beside the existing ones (GOMAIN, ofdrw,
// iOFD all use <doc>/Signs/Sign_N/), else <doc folder>/Signs/.
std::string SignsDir(const ofd::Reader& reader, const std::optional<ofd::Signatures>& existing) {
  if (existing) {
    for (auto it = existing->entries.rbegin(); it != existing->entries.rend(); ++it) {
      if (it->path.empty()) continue;
      std::string folder = ofd::ParentDir(it->path);
      if (StartsWithIgnoringCase(FolderName(folder), "Sign_") && folder.size() > 1) {
        return ofd::ParentDir(folder.substr(0, folder.size() - 1));
      }
    }
  }
  return ofd::ParentDir(reader.doc_body().doc_root_path) + "Signs/";
}

}  // namespace

Result<OfdSignResult> SignOfd(const OfdSignRequest& req) {
  if (req.document.empty()) return InvalidArgumentError("the document is empty");
  if (req.signer == nullptr) return InvalidArgumentError("no signing key was given");
  if (req.type == SignatureType::kSeal) {
    if (req.seal == nullptr) return InvalidArgumentError("sealing (Type=\"Seal\") needs a seal");
    if (req.seal->der.empty()) return InvalidArgumentError("the seal has no encoding");
    bool listed = std::find(req.seal->info.property.certs.begin(), req.seal->info.property.certs.end(),
                            Bytes(req.signer_cert_der.begin(), req.signer_cert_der.end())) !=
                  req.seal->info.property.certs.end();
    if (!listed) {
      return FailedPreconditionError(
          "the signer certificate is not one of the seal's signer certificates");
    }
  }
  if (req.provider_name.empty()) return InvalidArgumentError("the provider name is empty");
  ASSIGN_OR_RETURN(x509::Certificate signer_cert, x509::Certificate::FromDer(req.signer_cert_der));
  {
    ASSIGN_OR_RETURN(crypto::Sm2PublicKey pub, signer_cert.public_key());
    if (!(pub == req.signer->PublicKey())) {
      return FailedPreconditionError("the signing key does not belong to the signer certificate");
    }
  }

  ASSIGN_OR_RETURN(ofd::Reader reader, ofd::Reader::OpenBytes(
                                           Bytes(req.document.begin(), req.document.end()),
                                           req.limits, req.doc_index));
  const ofd::Package& pkg = reader.package();
  const ofd::Limits& limits = reader.limits();

  // Existing signatures; refuse if one of them protects Signatures.xml (whole-protection
  // mode, ofdrw's preChecker()).
  std::optional<ofd::Signatures> existing;
  Bytes signatures_xml;
  std::string signatures_path = reader.doc_body().signatures_path;
  if (reader.has_signatures()) {
    auto raw = reader.ReadXmlFile(signatures_path);
    if (raw.ok()) {
      signatures_xml = *std::move(raw);
      ASSIGN_OR_RETURN(ofd::Signatures parsed,
                       ofd::ParseSignaturesXml(signatures_xml, signatures_path, limits));
      existing = std::move(parsed);
    } else if (raw.status().code() != StatusCode::kNotFound) {
      return raw.status();
    }
  }
  if (existing) {
    for (const ofd::SignatureEntry& e : existing->entries) {
      auto sig = reader.LoadSignature(e);
      if (!sig.ok()) continue;
      for (const ofd::Reference& r : sig->references) {
        if (!r.path.empty() && r.path == signatures_path) {
          return FailedPreconditionError(
              "the document is closed to further signatures: signature " + e.id +
              " protects Signatures.xml (whole-protection mode, 整体保护)");
        }
      }
    }
  }

  // Appearances.
  double w = req.placement.width_mm, h = req.placement.height_mm;
  if (w <= 0) w = req.seal ? static_cast<double>(req.seal->info.picture.width_mm) : 40;
  if (h <= 0) h = req.seal ? static_cast<double>(req.seal->info.picture.height_mm) : 40;
  ASSIGN_OR_RETURN(std::vector<Appearance> appearances,
                   internal::ComputeAppearances(reader, req.placement, w, h));
  if (req.type == SignatureType::kSeal && appearances.empty()) {
    return InvalidArgumentError("a seal needs a placement (page and position, keyword or riding)");
  }

  // Paths and IDs.
  const std::string signs_dir = SignsDir(reader, existing);
  const std::string folder = ofd::NextSignFolder(pkg, signs_dir);
  const std::string signature_path = folder + "Signature.xml";
  const std::string signed_value_path = folder + "SignedValue.dat";
  const std::string seal_path = folder + "Seal.esl";
  const bool new_signatures_file = !existing.has_value();
  if (signatures_path.empty()) signatures_path = signs_dir + "Signatures.xml";

  uint64_t next = existing ? ofd::LargestSignId(*existing) + 1 : 1;
  std::string style = "1";
  if (existing && !existing->entries.empty()) style = existing->entries.back().id;
  const std::string sign_id = internal::FormatSignId(next, style);
  std::vector<std::string> annot_ids;
  for (size_t i = 0; i < appearances.size(); ++i) {
    annot_ids.push_back(internal::FormatSignId(next + 1 + i, style));
  }
  const std::string max_sign_id = annot_ids.empty() ? sign_id : annot_ids.back();

  // Files this signature changes or adds, before its own Signature.xml and value.
  std::map<std::string, Bytes> changes;
  ofd::SignatureEntry entry;
  entry.id = sign_id;
  entry.type = req.type == SignatureType::kSeal ? "Seal" : "Sign";
  entry.base_loc = signature_path;
  if (new_signatures_file) {
    ofd::Signatures list;
    list.max_sign_id = max_sign_id;
    list.entries.push_back(entry);
    ASSIGN_OR_RETURN(changes[signatures_path], ofd::SerializeSignatures(list));
    if (!reader.has_signatures()) {
      const ofd::EntryInfo* main = pkg.FindIgnoringCase(ofd::kOfdXmlPath);
      if (main == nullptr) return InvalidArgumentError("not an OFD package: it has no OFD.xml");
      ASSIGN_OR_RETURN(Bytes ofd_xml, pkg.ReadEntry(*main, limits.max_xml_size));
      ASSIGN_OR_RETURN(changes[main->path], ofd::AddSignaturesToOfdXml(ofd_xml, req.doc_index,
                                                                        signatures_path, limits));
    }
  } else {
    ASSIGN_OR_RETURN(changes[signatures_path],
                     ofd::AddSignatureToSignaturesXml(signatures_xml, entry, max_sign_id, limits));
  }
  if (req.type == SignatureType::kSeal) changes[seal_path] = req.seal->der;

  // References: every file of the package as it will be, less this signature's own
  // Signature.xml and SignedValue.dat, and less Signatures.xml in continue mode.
  std::vector<std::string> files;
  std::set<std::string> seen;
  for (const ofd::EntryInfo& e : pkg.entries()) {
    if (e.is_directory || !seen.insert(e.path).second) continue;
    files.push_back(e.path);
  }
  for (const auto& [path, data] : changes) {
    if (seen.insert(path).second) files.push_back(path);
  }
  ofd::Signature sig;
  sig.path = signature_path;
  sig.provider.provider_name = req.provider_name;
  sig.provider.company = req.company;
  sig.provider.version = req.provider_version;
  sig.signature_method = std::string(ofd::kSm2WithSm3Oid);
  sig.signature_date_time = internal::FormatSignatureDateTime(req.time);
  sig.check_method = std::string(ofd::kSm3Oid);
  for (const std::string& path : files) {
    if (path == signature_path || path == signed_value_path) continue;
    if (path == signatures_path && req.mode == ProtectMode::kContinue) continue;
    Bytes digest;
    if (auto it = changes.find(path); it != changes.end()) {
      digest = crypto::Sm3Bytes(it->second);
    } else {
      const ofd::EntryInfo* e = pkg.Find(path);
      if (e == nullptr) return InternalError("package entry vanished: " + path);
      ASSIGN_OR_RETURN(Bytes data, pkg.ReadEntry(*e, limits.max_entry_size));
      digest = crypto::Sm3Bytes(data);
    }
    ofd::Reference ref;
    ref.file_ref = path;
    ref.path = path;
    ref.check_value = Base64Encode(digest);
    sig.references.push_back(std::move(ref));
  }
  const std::vector<ofd::PageEntry>& pages = reader.document().pages;
  for (size_t i = 0; i < appearances.size(); ++i) {
    ofd::StampAnnot a;
    a.id = annot_ids[i];
    a.page_ref = std::to_string(pages[appearances[i].page_index].id);
    a.boundary = appearances[i].boundary;
    a.clip = appearances[i].clip;
    sig.stamp_annots.push_back(std::move(a));
  }
  if (req.type == SignatureType::kSeal) sig.seal_base_loc = seal_path;
  sig.signed_value = signed_value_path;
  ASSIGN_OR_RETURN(Bytes signature_xml, ofd::SerializeSignature(sig));
  const Bytes data_hash = crypto::Sm3Bytes(signature_xml);

  Bytes value;
  if (req.type == SignatureType::kSeal) {
    ses::SignSpec spec;
    spec.time = req.time;
    spec.data_hash = data_hash;
    spec.property_info = signature_path;
    ASSIGN_OR_RETURN(ses::Signature ses_sig,
                     ses::SignWithSeal(*req.seal, req.signer_cert_der, *req.signer, spec));
    if (req.timestamper) RETURN_IF_ERROR(StampSesSignature(ses_sig, req.timestamper));
    value = std::move(ses_sig.der);
  } else {
    x509::SignedDataSpec spec;
    spec.form = x509::SignedDataSpec::Form::kAttributes;
    spec.signing_time = req.time;
    ASSIGN_OR_RETURN(x509::SignedData sd,
                     x509::MakeSignedData(data_hash, signer_cert, *req.signer, spec));
    if (req.timestamper) RETURN_IF_ERROR(StampSignedData(sd, req.timestamper));
    value = std::move(sd.der);
  }
  changes[signature_path] = std::move(signature_xml);
  changes[signed_value_path] = value;

  ofd::PackageWriter writer(pkg);
  writer.SetModificationTime(req.time);
  for (auto& [path, data] : changes) {
    // Seal.esl and the signature value are mostly an already-compressed seal picture and
    // SM2 values: stored, not deflated (deflating them was over half the signing time).
    bool binary = path == signed_value_path || path == seal_path;
    RETURN_IF_ERROR(writer.Put(path, std::move(data),
                               binary ? ofd::PackageWriter::Compression::kStore
                                      : ofd::PackageWriter::Compression::kDeflate));
  }
  OfdSignResult result;
  ASSIGN_OR_RETURN(result.document, writer.Write());
  result.signature_id = sign_id;
  result.signature_path = signature_path;
  result.appearances = static_cast<int>(appearances.size());
  result.signed_value = std::move(value);
  return result;
}

}  // namespace eseal::sign
