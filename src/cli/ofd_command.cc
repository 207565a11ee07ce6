// eseal ofd sign / verify / render: OFD sealing (GB/T 33190 §18, GB/T 38540) from the
// command line. docs/ofd-signing.md describes what is written and checked.
#include <CLI/CLI.hpp>

#include <cmath>

#include "eseal/base/file.h"
#include "eseal/cli/cli.h"
#include "eseal/ofd/reader.h"
#include "eseal/render/render.h"
#include "eseal/ses/seal.h"
#include "eseal/sign/ofd_signer.h"
#include "eseal/tsp/timestamp_token.h"
#include "eseal/verify/ofd_appearances.h"
#include "eseal/verify/ofd_verifier.h"
#include "internal.h"

namespace eseal::cli {
namespace {

constexpr size_t kMaxDocument = size_t{512} << 20;

struct SignOpts {
  std::string seal, key, password_file, cert, in, out, keyword, riding, pages, mode = "continue",
      format = "seal", time, provider = "eseal";
  std::vector<int> page;
  std::vector<double> x, y;
  int occurrence = 0;
  double width = 0, height = 0, offset = -1;
  TsaSignOptions tsa;
};

Result<int> Sign(const SignOpts& o, Context& ctx) {
  sign::OfdSignRequest req;
  int modes = (o.page.empty() ? 0 : 1) + (o.keyword.empty() ? 0 : 1) + (o.riding.empty() ? 0 : 1);
  if (modes > 1) return InvalidArgumentError("choose one of --page/--x/--y, --keyword and --riding");
  if (o.format == "seal") {
    req.type = sign::SignatureType::kSeal;
    if (o.seal.empty()) return InvalidArgumentError("--format seal needs --seal");
    if (modes == 0) {
      return InvalidArgumentError("say where the seal goes: --page N --x MM --y MM, --keyword TEXT or --riding EDGE");
    }
  } else if (o.format == "sign") {
    req.type = sign::SignatureType::kSign;
  } else {
    return InvalidArgumentError("--format must be seal or sign");
  }
  if (o.mode == "continue") {
    req.mode = sign::ProtectMode::kContinue;
  } else if (o.mode == "whole") {
    req.mode = sign::ProtectMode::kWhole;
  } else {
    return InvalidArgumentError("--mode must be continue or whole");
  }
  if (o.page.size() != o.x.size() || o.page.size() != o.y.size()) {
    return InvalidArgumentError("give --page, --x and --y together, once per appearance");
  }
  for (size_t i = 0; i < o.page.size(); ++i) {
    req.placement.positions.push_back(sign::PagePosition{o.page[i], o.x[i], o.y[i]});
  }
  ASSIGN_OR_RETURN(auto range, ParsePageRange(o.pages));
  if (!o.keyword.empty()) {
    req.placement.keyword = sign::KeywordPlacement{o.keyword, o.occurrence, range.first, range.second};
  }
  if (!o.riding.empty()) {
    sign::Edge e;
    if (o.riding == "left") {
      e = sign::Edge::kLeft;
    } else if (o.riding == "right") {
      e = sign::Edge::kRight;
    } else if (o.riding == "top") {
      e = sign::Edge::kTop;
    } else if (o.riding == "bottom") {
      e = sign::Edge::kBottom;
    } else {
      return InvalidArgumentError("--riding must be left, right, top or bottom");
    }
    req.placement.riding = sign::RidingPlacement{e, range.first, range.second, o.offset};
  }
  req.placement.width_mm = o.width;
  req.placement.height_mm = o.height;

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
  req.provider_name = o.provider;
  ASSIGN_OR_RETURN(sign::Timestamper timestamper, MakeTimestamper(o.tsa, ctx));
  // Kept to report the token's genTime; SignOfd checks the token before using it.
  std::optional<Bytes> token;
  if (timestamper) {
    req.timestamper = [&timestamper, &token](ByteView value) -> Result<Bytes> {
      auto t = timestamper(value);
      if (t.ok()) token = *t;
      return t;
    };
  }
  auto result = sign::SignOfd(req);
  if (!result.ok()) return result.status().WithContext(o.in);
  RETURN_IF_ERROR(WriteOutput(o.out, result->document));
  ctx.out << "signed " << o.in << ": signature " << result->signature_id << " (Type "
          << (req.type == sign::SignatureType::kSeal ? "Seal" : "Sign") << ", " << o.mode
          << " mode) at " << result->signature_path << ", " << result->appearances
          << " appearance(s), " << FormatRfc3339(req.time) << "\nwritten to " << o.out << "\n";
  if (token) {
    auto parsed = tsp::ParseTimestampToken(*token);
    if (parsed.ok()) {
      ctx.out << "时间戳 / timestamp: genTime " << FormatRfc3339(parsed->info.gen_time) << ", serial "
              << HexEncode(parsed->info.serial, true) << "\n";
    }
  }
  return 0;
}

struct VerifyOpts {
  std::string file;
  std::vector<std::string> sign_certs;
  bool json = false, verbose = false;
  TrustOptions trust;
  std::vector<std::string> evidence;
};

Result<int> Verify(const VerifyOpts& o, Context& ctx) {
  ASSIGN_OR_RETURN(Bytes doc, ReadFile(o.file, kMaxDocument));
  verify::OfdVerifyOptions options;
  ASSIGN_OR_RETURN(options.policy, BuildValidationPolicy(o.trust, ctx.clock.Now()));
  ASSIGN_OR_RETURN(options.policy.sign_certs, LoadCertificates(o.sign_certs));
  ASSIGN_OR_RETURN(std::vector<AppliedEvidence> evidence,
                   ApplyEvidenceFiles(o.evidence, options.policy));
  auto v = verify::VerifyOfd(doc, options);
  if (!v.ok()) {
    // Not an OFD, or one that breaks the limits: exit 2 whatever the code.
    ctx.err << "eseal: " << o.file << ": " << v.status().message() << "\n";
    return kExitUsage;
  }
  // Document-level checks: they count in the verdict like the package's own.
  if (!evidence.empty()) AddEvidenceChecks(evidence, OfdSignatureHashes(doc, *v), v->document);
  if (o.json) {
    ctx.out << verify::OfdVerificationToJson(*v) << "\n";
  } else {
    ctx.out << verify::OfdVerificationToText(*v, o.verbose);
  }
  switch (v->verdict()) {
    case Verdict::kPassed: return kExitPassed;
    case Verdict::kFailed: return kExitFailed;
    case Verdict::kIndeterminate: return kExitIndeterminate;
  }
  return kExitFailed;
}

struct RenderOpts {
  std::string file, out;
  int page = 1;
  double dpi = 96;
  bool no_seals = false;
};

Result<int> Render(const RenderOpts& o, Context& ctx) {
  ASSIGN_OR_RETURN(Bytes doc, ReadFile(o.file, kMaxDocument));
  auto reader = ofd::Reader::OpenBytes(std::move(doc));
  if (!reader.ok()) return reader.status().WithContext(o.file);
  if (o.page < 1 || static_cast<size_t>(o.page) > reader->page_count()) {
    return InvalidArgumentError("--page " + std::to_string(o.page) + " is out of range (the document has " +
                                std::to_string(reader->page_count()) + " pages)");
  }
  render::RenderOptions ro;
  ro.dpi = o.dpi;
  size_t drawn = 0;
  if (!o.no_seals) {
    ASSIGN_OR_RETURN(ro.overlays, SealOverlays(*reader, static_cast<size_t>(o.page - 1)));
    drawn = ro.overlays.size();
  }
  ASSIGN_OR_RETURN(Bytes png, render::RenderPagePng(*reader, static_cast<size_t>(o.page - 1), ro));
  RETURN_IF_ERROR(WriteOutput(o.out, png));
  ctx.out << "page " << o.page << " of " << reader->page_count() << " with " << drawn
          << " seal appearance(s) written to " << o.out << "\n";
  return 0;
}

}  // namespace

void AddOfdCommands(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* ofd = app.add_subcommand("ofd", "OFD documents: seal, verify, render (GB/T 33190 §18, GB/T 38540)");
  ofd->require_subcommand(1);

  auto so = std::make_shared<SignOpts>();
  CLI::App* s = ofd->add_subcommand(
      "sign", "seal (Type=Seal, SES_Signature) or sign (Type=Sign, GB/T 35275) an OFD document");
  s->add_option("--seal", so->seal, "seal file (.esl); its picture is the appearance");
  s->add_option("--key", so->key, "signer private key")->required();
  s->add_option("--password-file", so->password_file, "password of a protected key");
  s->add_option("--cert", so->cert, "signer certificate (must be in the seal for --format seal)")->required();
  s->add_option("--in", so->in, "OFD document to sign")->required();
  s->add_option("--out", so->out, "signed OFD to write")->required();
  s->add_option("--page", so->page, "page (1-based) of an appearance; repeat with --x/--y for several");
  s->add_option("--x", so->x, "left edge of the stamp box, mm from the page's left");
  s->add_option("--y", so->y, "top edge of the stamp box, mm from the page's top");
  s->add_option("--keyword", so->keyword, "put the seal's centre on this text");
  s->add_option("--occurrence", so->occurrence, "with --keyword: the n-th hit (default: every hit)");
  s->add_option("--riding", so->riding, "riding seal (骑缝章) on this edge: left, right, top or bottom");
  s->add_option("--pages", so->pages, "page range A-B for --keyword and --riding (default: all)");
  s->add_option("--offset", so->offset, "with --riding: centre of the seal, mm along the edge (default: middle)");
  s->add_option("--width", so->width, "stamp width in mm (default: the seal picture's)");
  s->add_option("--height", so->height, "stamp height in mm (default: the seal picture's)");
  s->add_option("--mode", so->mode,
                "continue (later signatures allowed, default) or whole (Signatures.xml protected: "
                "no later signature)");
  s->add_option("--format", so->format, "seal (Type=Seal, default) or sign (Type=Sign)");
  s->add_option("--time", so->time, "signing time to claim (default: now)");
  s->add_option("--provider", so->provider, "Provider name written in Signature.xml");
  AddTsaSignOptions(s, so->tsa);
  s->callback([&, so] { action = [&, so] { return Sign(*so, ctx); }; });

  auto vo = std::make_shared<VerifyOpts>();
  CLI::App* v = ofd->add_subcommand(
      "verify",
      "verify every signature of an OFD document; exit 0 all passed, 1 any failed, 3 "
      "indeterminate only (e.g. no trust anchor), 2 not an OFD");
  v->add_option("document", vo->file, "OFD document")->required();
  v->add_option("--sign-cert", vo->sign_certs,
                "certificate to check bare SM2 Type=Sign values with (they carry none); repeatable");
  v->add_flag("--json", vo->json, "print the report as JSON");
  v->add_flag("--verbose", vo->verbose, "also show informational checks");
  AddTrustOptions(v, vo->trust);
  AddEvidenceOption(v, vo->evidence);
  v->callback([&, vo] { action = [&, vo] { return Verify(*vo, ctx); }; });

  auto ro = std::make_shared<RenderOpts>();
  CLI::App* r = ofd->add_subcommand(
      "render", "draw a page as PNG with the seal appearances where they stand");
  r->add_option("document", ro->file, "OFD document")->required();
  r->add_option("--page", ro->page, "page to draw (1-based)")->required();
  r->add_option("--out", ro->out, "PNG file to write")->required();
  r->add_option("--dpi", ro->dpi, "resolution (10-1200, default 96)");
  r->add_flag("--no-seals", ro->no_seals, "draw the page without the seal appearances");
  r->callback([&, ro] { action = [&, ro] { return Render(*ro, ctx); }; });
}

}  // namespace eseal::cli
