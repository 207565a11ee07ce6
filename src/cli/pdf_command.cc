// eseal pdf sign / verify / extend / render: PDF sealing (GB/T 38540 or GB/T 35275 in a PDF signature
// dictionary) from the command line, and long-term evidence (a DSS and a document
// timestamp). docs/pdf.md describes what is written and checked.
#include <CLI/CLI.hpp>

#include "eseal/base/file.h"
#include "eseal/cli/cli.h"
#include "eseal/ses/seal.h"
#include "eseal/sign/pdf_extend.h"
#include "eseal/sign/pdf_signer.h"
#include "eseal/verify/pdf_verifier.h"
#include "eseal/verify/summary.h"
#include "internal.h"

namespace eseal::cli {
namespace {

constexpr size_t kMaxDocument = size_t{256} << 20;

struct PdfSignOpts {
  std::string seal, key, password_file, cert, in, out, riding, pages, format = "seal", time, field, reason,
      location, keyword;
  int occurrence = 0;
  std::vector<int> page;
  std::vector<double> x, y;
  double width = 0, height = 0, offset = -1;
  int certify = 0;
  TsaSignOptions tsa;
};

Result<int> Sign(const PdfSignOpts& o, Context& ctx) {
  sign::PdfSignRequest req;
  if (o.format == "seal") {
    req.format = sign::PdfSignatureFormat::kSes;
    if (o.seal.empty()) return InvalidArgumentError("电子签章需要印章文件，请用 --seal 指定 .esl 文件 / --format seal needs --seal");
  } else if (o.format == "sign") {
    req.format = sign::PdfSignatureFormat::kCms;
  } else {
    return InvalidArgumentError("--format 只能是 seal（电子签章）或 sign（数字签名） / --format must be seal (GB/T 38540) or sign (GB/T 35275)");
  }
  if ((o.page.empty() ? 0 : 1) + (o.riding.empty() ? 0 : 1) + (o.keyword.empty() ? 0 : 1) > 1) {
    return InvalidArgumentError("请只选一种盖章位置：--page/--x/--y、--keyword 或 --riding / choose one of --page/--x/--y, --keyword and --riding");
  }
  if (o.page.size() != o.x.size() || o.page.size() != o.y.size()) {
    return InvalidArgumentError("每个签章外观都要同时给出 --page、--x 和 --y / give --page, --x and --y together, once per appearance");
  }
  for (size_t i = 0; i < o.page.size(); ++i) {
    req.placement.positions.push_back(sign::PagePosition{o.page[i], o.x[i], o.y[i]});
  }
  if (!o.keyword.empty()) {
    ASSIGN_OR_RETURN(auto range, ParsePageRange(o.pages));
    req.placement.keyword = sign::KeywordPlacement{o.keyword, o.occurrence, range.first, range.second};
  }
  if (!o.riding.empty()) {
    ASSIGN_OR_RETURN(auto range, ParsePageRange(o.pages));
    sign::Edge e;
    if (o.riding == "left") e = sign::Edge::kLeft;
    else if (o.riding == "right") e = sign::Edge::kRight;
    else if (o.riding == "top") e = sign::Edge::kTop;
    else if (o.riding == "bottom") e = sign::Edge::kBottom;
    else return InvalidArgumentError("--riding 只能是 left、right、top 或 bottom（骑缝边） / --riding must be left, right, top or bottom");
    req.placement.riding = sign::RidingPlacement{e, range.first, range.second, o.offset};
  }
  req.placement.width_mm = o.width;
  req.placement.height_mm = o.height;
  if (o.certify != 0) req.certify = o.certify;
  req.field_name = o.field;
  req.reason = o.reason;
  req.location = o.location;
  std::optional<ses::Seal> seal;
  if (!o.seal.empty()) {
    ASSIGN_OR_RETURN(Bytes seal_der, ReadFile(o.seal, size_t{16} << 20));
    auto parsed = ses::ParseSeal(seal_der);
    if (!parsed.ok()) return parsed.status().WithContext(o.seal);
    seal = *std::move(parsed);
    req.seal = &*seal;
  }
  ASSIGN_OR_RETURN(x509::Certificate cert, LoadCertificate(o.cert));
  ASSIGN_OR_RETURN(crypto::Sm2PrivateKey key, LoadPrivateKey(o.key, o.password_file));
  ASSIGN_OR_RETURN(Bytes doc, ReadFile(o.in, kMaxDocument));
  req.document = doc;
  req.signer_cert_der = cert.der();
  req.signer = &key;
  req.time = ctx.clock.Now();
  if (!o.time.empty()) {
    ASSIGN_OR_RETURN(req.time, ParseTimeOption(o.time, "--time"));
  }
  ASSIGN_OR_RETURN(req.timestamper, MakeTimestamper(o.tsa, ctx));
  auto result = sign::SignPdf(req);
  if (!result.ok()) return result.status().WithContext(o.in);
  RETURN_IF_ERROR(WriteOutput(o.out, result->document));
  ctx.out << "signed " << o.in << ": field " << result->field_name << " ("
          << (req.format == sign::PdfSignatureFormat::kSes ? "GB/T 38540 SES_Signature" : "GB/T 35275 SignedData")
          << (req.certify ? ", certification P=" + std::to_string(*req.certify) : std::string()) << "), "
          << result->appearances << " appearance(s), " << FormatRfc3339(req.time) << "\nwritten to " << o.out << "\n";
  return 0;
}

struct PdfExtendOpts {
  std::string in, out, field;
  std::vector<std::string> certs, crls;
  bool no_document_certs = false;
  TsaSignOptions tsa;
};

Result<int> Extend(const PdfExtendOpts& o, Context& ctx) {
  ASSIGN_OR_RETURN(std::vector<x509::Certificate> certs, LoadCertificates(o.certs));
  ASSIGN_OR_RETURN(std::vector<x509::Crl> crls, LoadCrls(o.crls));
  ASSIGN_OR_RETURN(Bytes doc, ReadFile(o.in, kMaxDocument));
  sign::PdfExtendRequest req;
  req.document = doc;
  for (const x509::Certificate& c : certs) req.certificates.push_back(c.der());
  for (const x509::Crl& c : crls) req.crls.push_back(c.der());
  req.include_document_certificates = !o.no_document_certs;
  req.field_name = o.field;
  ASSIGN_OR_RETURN(req.timestamper, MakeTimestamper(o.tsa, ctx));
  auto result = sign::ExtendPdf(req);
  if (!result.ok()) return result.status().WithContext(o.in);
  RETURN_IF_ERROR(WriteOutput(o.out, result->document));
  ctx.out << "extended " << o.in << ": DSS +" << result->certs_added << " certificate(s), +" << result->crls_added
          << " CRL(s); "
          << (result->field_name.empty() ? std::string("no document timestamp (no TSA given)")
                                         : "document timestamp in field " + result->field_name)
          << "\nwritten to " << o.out << "\n";
  return 0;
}

struct PdfVerifyOpts {
  std::string file;
  bool json = false, verbose = false;
  TrustOptions trust;
};

Result<int> Verify(const PdfVerifyOpts& o, Context& ctx) {
  ASSIGN_OR_RETURN(Bytes doc, ReadFile(o.file, kMaxDocument));
  verify::PdfVerifyOptions options;
  ASSIGN_OR_RETURN(options.policy, BuildValidationPolicy(o.trust, ctx.clock.Now()));
  auto v = verify::VerifyPdf(doc, options);
  if (!v.ok()) {
    ctx.err << "eseal: " << o.file << ": " << v.status().message() << "\n";
    return kExitUsage;
  }
  if (o.json) {
    ctx.out << verify::PdfVerificationToJson(*v) << "\n";
  } else {
    ctx.out << VerdictName(v->verdict()) << "\n";
    auto lines = [&](const Report& r) {
      for (const Check& c : r.checks()) {
        if (!o.verbose && (c.result == CheckResult::kPass || c.result == CheckResult::kInfo)) continue;
        ctx.out << "  " << CheckResultName(c.result) << "  " << c.id << (c.detail.empty() ? "" : ": " + c.detail)
                << "\n";
      }
    };
    lines(v->document);
    for (const verify::PdfSignatureVerification& s : v->signatures) {
      verify::Summary sum = verify::Summarize(s.report);
      ctx.out << "signature " << s.field << " (" << s.format << ", revision " << s.revision
              << "): " << VerdictName(s.report.verdict()) << "\n  " << sum.zh << "\n  " << sum.en << "\n";
      lines(s.report);
    }
  }
  switch (v->verdict()) {
    case Verdict::kPassed: return kExitPassed;
    case Verdict::kFailed: return kExitFailed;
    case Verdict::kIndeterminate: return kExitIndeterminate;
  }
  return kExitFailed;
}

}  // namespace

void AddPdfCommands(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* pdf = app.add_subcommand("pdf", "PDF documents: seal and verify (GB/T 38540, GB/T 35275 in PDF signatures)");
  pdf->require_subcommand(1);

  auto so = std::make_shared<PdfSignOpts>();
  CLI::App* s = pdf->add_subcommand("sign", "seal (GB/T 38540 SES_Signature) or sign (GB/T 35275 SignedData) a PDF "
                                            "as an incremental update");
  s->add_option("--seal", so->seal, "seal file (.esl); its picture is the appearance");
  s->add_option("--key", so->key, "signer private key")->required();
  s->add_option("--password-file", so->password_file, "password of a protected key");
  s->add_option("--cert", so->cert, "signer certificate (must be in the seal for --format seal)")->required();
  s->add_option("--in", so->in, "PDF document to sign")->required();
  s->add_option("--out", so->out, "signed PDF to write")->required();
  s->add_option("--page", so->page, "page (1-based) of an appearance; repeat with --x/--y; none: invisible");
  s->add_option("--x", so->x, "left edge of the stamp box, mm from the page's left");
  s->add_option("--y", so->y, "top edge of the stamp box, mm from the page's top");
  s->add_option("--keyword", so->keyword, "put the seal's centre on this text (found through the fonts' ToUnicode maps)");
  s->add_option("--occurrence", so->occurrence, "with --keyword: the n-th hit (default: every hit)");
  s->add_option("--riding", so->riding, "riding seal (骑缝章) on this edge: left, right, top or bottom");
  s->add_option("--pages", so->pages, "page range A-B for --keyword and --riding (default: all)");
  s->add_option("--offset", so->offset, "with --riding: centre of the seal, mm along the edge (default: middle)");
  s->add_option("--width", so->width, "stamp width in mm (default: the seal picture's)");
  s->add_option("--height", so->height, "stamp height in mm (default: the seal picture's)");
  s->add_option("--format", so->format, "seal (GB/T 38540, default) or sign (GB/T 35275 SignedData)");
  s->add_option("--certify", so->certify,
                "a certification signature (DocMDP): 1 no changes, 2 form filling and signatures, 3 also annotations");
  s->add_option("--field", so->field, "signature field name (default: eseal-N)");
  s->add_option("--reason", so->reason, "reason written in the signature dictionary");
  s->add_option("--location", so->location, "location written in the signature dictionary");
  s->add_option("--time", so->time, "signing time to claim (default: now)");
  AddTsaSignOptions(s, so->tsa);
  s->callback([&, so] { action = [&, so] { return Sign(*so, ctx); }; });

  auto eo = std::make_shared<PdfExtendOpts>();
  CLI::App* e = pdf->add_subcommand("extend", "add long-term evidence (PAdES B-LT/B-LTA shape): a DSS with the "
                                              "certificates and CRLs, then a document timestamp over the whole file");
  e->add_option("--in", eo->in, "signed PDF document")->required();
  e->add_option("--out", eo->out, "extended PDF to write")->required();
  e->add_option("--cert", eo->certs, "certificate for the DSS (PEM or DER; repeat): the chains' CAs, the TSA's chain");
  e->add_option("--crl", eo->crls, "CRL for the DSS (PEM or DER; repeat): current CRLs of every issuer involved");
  e->add_flag("--no-document-certs", eo->no_document_certs,
              "do not copy the certificates the document's signatures and timestamps carry into the DSS");
  e->add_option("--field", eo->field, "document timestamp field name (default: eseal-ts-N)");
  AddTsaSignOptions(e, eo->tsa);
  e->callback([&, eo] { action = [&, eo] { return Extend(*eo, ctx); }; });

  auto vo = std::make_shared<PdfVerifyOpts>();
  CLI::App* v = pdf->add_subcommand("verify", "verify every signature of a PDF; exit 0 all passed, 1 any failed, 3 "
                                              "indeterminate only (e.g. no trust anchor), 2 not a readable PDF");
  v->add_option("document", vo->file, "PDF document")->required();
  v->add_flag("--json", vo->json, "print the report as JSON");
  v->add_flag("--verbose", vo->verbose, "also show passed and informational checks");
  AddTrustOptions(v, vo->trust);
  v->callback([&, vo] { action = [&, vo] { return Verify(*vo, ctx); }; });

  auto ro = std::make_shared<PdfRenderOpts>();
  CLI::App* r = pdf->add_subcommand("render", "draw a page as PNG with its seal appearances (runs poppler's pdftoppm)");
  r->add_option("document", ro->file, "PDF document")->required();
  r->add_option("--page", ro->page, "page to draw (1-based)")->required();
  r->add_option("--out", ro->out, "PNG file to write")->required();
  r->add_option("--dpi", ro->dpi, "resolution (10-1200, default 96)");
  r->callback([&, ro] { action = [&, ro] { return RenderPdf(*ro, ctx); }; });
}

}  // namespace eseal::cli
