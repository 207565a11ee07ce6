// Long-term evidence in a PDF (pdf_extend.h): a DSS, then a document timestamp.
#include "eseal/sign/pdf_extend.h"

#include <set>

#include "eseal/asn1/der.h"
#include "eseal/pdf/document.h"
#include "eseal/pdf/dss_writer.h"
#include "eseal/pdf/signature_writer.h"
#include "eseal/ses/signature.h"
#include "eseal/tsp/timestamp_token.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/crl.h"
#include "eseal/x509/signed_data.h"

namespace eseal::sign {
namespace {

// The id-aa-signatureTimeStampToken values (RFC 3161 Appendix A) among a SignerInfo's
// unsigned attributes; nothing when they do not parse (the verifier reports that).
std::vector<Bytes> SignatureTimestamps(const x509::SignerInfo& si) {
  std::vector<Bytes> out;
  if (!si.unauthenticated_attributes_der) return out;
  static const asn1::Oid kTokenAttr = asn1::MustOid("1.2.840.113549.1.9.16.2.14");
  auto outer = asn1::ParseSingle(*si.unauthenticated_attributes_der);
  if (!outer.ok()) return out;
  asn1::Reader attrs(outer->content);
  while (!attrs.empty()) {
    auto a = attrs.ReadSequence();
    if (!a.ok()) break;
    auto type = a->ReadOid();
    auto values = a->ReadSet();
    if (!type.ok() || !values.ok()) break;
    if (*type != kTokenAttr) continue;
    while (!values->empty()) {
      auto token = values->ReadRaw();
      if (!token.ok()) break;
      out.emplace_back(token->begin(), token->end());
    }
  }
  return out;
}

// Every certificate a signature value carries: a SignedData's own (a document timestamp
// is one too) and its signature timestamps'; an SES_Signature's signer certificate, its
// seal's maker certificate and the certificates of both timestamps. Nothing is checked
// here: the DSS is untrusted material, judged by the verifier's own anchors.
void Harvest(ByteView value, std::vector<Bytes>& out, int depth = 0) {
  if (value.empty() || depth > 2) return;
  auto from_token = [&](const Bytes& token) { Harvest(token, out, depth + 1); };
  if (x509::LooksLikeSignedData(value)) {
    auto sd = x509::ParseSignedData(value);
    if (!sd.ok()) return;
    out.insert(out.end(), sd->certificates.begin(), sd->certificates.end());
    for (const x509::SignerInfo& si : sd->signer_infos) {
      for (const Bytes& t : SignatureTimestamps(si)) from_token(t);
    }
    return;
  }
  auto sig = ses::ParseSignature(value);
  if (!sig.ok()) return;
  out.push_back(ses::SignerCertificate(*sig));
  out.push_back(sig->tbs.seal.maker_cert);
  if (sig->timestamp) from_token(*sig->timestamp);
  if (sig->tbs.seal.timestamp) from_token(*sig->tbs.seal.timestamp);
}

std::string FreeFieldName(const pdf::Document& doc) {
  std::set<std::string> used;
  for (const pdf::SignatureField& s : doc.signatures()) used.insert(s.name);
  for (int n = 1;; ++n) {
    std::string name = "eseal-ts-" + std::to_string(n);
    if (!used.count(name)) return name;
  }
}

}  // namespace

Result<PdfExtendResult> ExtendPdf(const PdfExtendRequest& req) {
  // What the caller gives must at least be what it claims to be: a DSS entry that does not
  // parse is dead weight every verifier skips.
  for (size_t i = 0; i < req.certificates.size(); ++i) {
    if (auto c = x509::Certificate::FromDer(req.certificates[i]); !c.ok()) {
      return InvalidArgumentError("第 " + std::to_string(i + 1) + " 个证书无法解析 / certificate " +
                                  std::to_string(i + 1) +
                                  " does not parse: " + c.status().message());
    }
  }
  for (size_t i = 0; i < req.crls.size(); ++i) {
    if (auto c = x509::Crl::FromDer(req.crls[i]); !c.ok()) {
      return InvalidArgumentError("第 " + std::to_string(i + 1) + " 个证书撤销列表无法解析 / CRL " +
                                  std::to_string(i + 1) +
                                  " does not parse: " + c.status().message());
    }
  }
  ASSIGN_OR_RETURN(pdf::Document doc, pdf::Document::Open(req.document, req.limits));

  pdf::DssAddition add;
  if (req.include_document_certificates) {
    std::vector<Bytes> found;
    for (const pdf::SignatureField& f : doc.signatures()) Harvest(pdf::ContentsValue(f), found);
    for (Bytes& der : found) {
      if (x509::Certificate::FromDer(der).ok()) add.certs.push_back(std::move(der));
    }
  }
  add.certs.insert(add.certs.end(), req.certificates.begin(), req.certificates.end());
  add.crls = req.crls;
  ASSIGN_OR_RETURN(pdf::DssAppended appended, pdf::AppendDss(doc, add));
  const bool dss_added = appended.certs_added + appended.crls_added > 0;
  if (!dss_added && !req.timestamper) {
    return FailedPreconditionError(
        "没有可追加的内容：文档的长期验证数据（DSS）已包含这些证书和撤销列表，且未指定时间戳服务 / "
        "nothing to add: the DSS already holds these certificates and CRLs, and no TSA was "
        "given for a document timestamp");
  }
  PdfExtendResult out;
  out.certs_added = appended.certs_added;
  out.crls_added = appended.crls_added;
  if (!req.timestamper) {
    out.document = std::move(appended.file);
    return out;
  }

  ASSIGN_OR_RETURN(pdf::Document with_dss, pdf::Document::Open(appended.file, req.limits));
  pdf::SignatureSpec spec;
  spec.field_name = req.field_name.empty() ? FreeFieldName(with_dss) : req.field_name;
  spec.type = "DocTimeStamp";
  spec.sub_filter = "ETSI.RFC3161";
  size_t capacity = 8192;
  for (int attempt = 0; attempt < 2; ++attempt) {
    spec.contents_capacity = capacity;
    ASSIGN_OR_RETURN(pdf::PreparedSignature prepared, pdf::PrepareSignature(with_dss, spec));
    // The hook hashes what it is given (SM3), as it does for a signature value.
    ASSIGN_OR_RETURN(Bytes token, TokenOver(prepared.SignedBytes(), req.timestamper));
    if (token.size() > prepared.capacity()) {
      capacity = token.size() + 1024;
      continue;
    }
    RETURN_IF_ERROR(prepared.SetContents(token));
    out.document = prepared.file();
    out.field_name = spec.field_name;
    out.token = std::move(token);
    return out;
  }
  return InternalError("the timestamp token outgrew its placeholder twice");
}

}  // namespace eseal::sign
