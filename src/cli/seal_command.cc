// eseal seal image / make / inspect / verify.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cmath>

#include "eseal/base/file.h"
#include "eseal/crypto/random.h"
#include "eseal/sealimg/png_info.h"
#include "eseal/sealimg/seal_image.h"
#include "eseal/ses/make.h"
#include "eseal/ses/seal.h"
#include "eseal/verify/ses_verify.h"
#include "internal.h"

namespace eseal::cli {
namespace {

constexpr size_t kMaxSealFile = size_t{16} << 20;

int64_t SealTypeFor(sealimg::Kind k) {
  switch (k) {
    case sealimg::Kind::kLegalName: return ses::kTypeLegalName;
    case sealimg::Kind::kContract: return ses::kTypeContract;
    case sealimg::Kind::kFinance: return ses::kTypeFinance;
    case sealimg::Kind::kInvoice: return ses::kTypeInvoice;
    case sealimg::Kind::kBusiness: return ses::kTypeBusiness;
    case sealimg::Kind::kLegalRep: return ses::kTypeLegalRep;
    case sealimg::Kind::kGovService: return ses::kTypeGovService;
  }
  return ses::kTypeBusiness;
}

struct ImageOpts {
  std::string kind, name, code, function, center, shape, out;
  int dpi = 300;
};

Result<sealimg::Style> StyleFor(sealimg::Kind kind, const std::string& shape) {
  if (shape.empty()) return sealimg::DefaultStyle(kind);
  sealimg::Shape s;
  if (shape == "round") {
    s = sealimg::Shape::kRound;
  } else if (shape == "oval") {
    s = sealimg::Shape::kOval;
  } else if (shape == "square") {
    s = sealimg::Shape::kSquare;
  } else {
    return InvalidArgumentError("--shape must be round, oval or square");
  }
  return sealimg::DefaultStyle(kind, s);
}

sealimg::SealText TextFor(sealimg::Kind kind, const std::string& name, const std::string& code,
                          const std::string& function, const std::string& center) {
  sealimg::SealText t;
  t.name = name;
  t.function_text = function;
  t.center_text = center;
  // On the invoice seal the code in the middle is the taxpayer ID.
  if (kind == sealimg::Kind::kInvoice && center.empty()) {
    t.center_text = code;
  } else {
    t.code = code;
  }
  return t;
}

Result<int> Image(const ImageOpts& o, Context& ctx) {
  ASSIGN_OR_RETURN(sealimg::Kind kind, sealimg::ParseKind(o.kind));
  ASSIGN_OR_RETURN(sealimg::Style style, StyleFor(kind, o.shape));
  ASSIGN_OR_RETURN(Bytes png, sealimg::RenderPng(kind, TextFor(kind, o.name, o.code, o.function, o.center),
                                                 style, o.dpi));
  RETURN_IF_ERROR(WriteOutput(o.out, png));
  ctx.out << "seal image (" << sealimg::KindName(kind) << ", " << style.width_mm << "x"
          << style.height_mm << " mm, " << o.dpi << " dpi) written to " << o.out << "\n";
  return 0;
}

struct MakeOpts {
  std::string maker_cert, maker_key, maker_password_file, kind, name, id, image = "generated",
      code, function, center, valid_from, valid_to, format = "v4", vid = "ESEAL", out;
  std::vector<std::string> signer_certs;
};

Result<int> Make(const MakeOpts& o, Context& ctx) {
  ASSIGN_OR_RETURN(sealimg::Kind kind, sealimg::ParseKind(o.kind));
  ses::SealSpec spec;
  if (o.format == "v4") {
    spec.version = ses::Version::kV4;
  } else if (o.format == "v1") {
    spec.version = ses::Version::kV1;
  } else {
    return InvalidArgumentError("--format must be v4 or v1");
  }
  ASSIGN_OR_RETURN(x509::Certificate maker_cert, LoadCertificate(o.maker_cert));
  ASSIGN_OR_RETURN(crypto::Sm2PrivateKey maker_key, LoadPrivateKey(o.maker_key, o.maker_password_file));
  ASSIGN_OR_RETURN(std::vector<x509::Certificate> signers, LoadCertificates(o.signer_certs));
  for (const x509::Certificate& c : signers) spec.signer_certs.push_back(c.der());

  sealimg::Style style = sealimg::DefaultStyle(kind);
  if (o.image == "generated") {
    ASSIGN_OR_RETURN(spec.picture.data,
                     sealimg::RenderPng(kind, TextFor(kind, o.name, o.code, o.function, o.center), style));
  } else {
    ASSIGN_OR_RETURN(spec.picture.data, ReadFile(o.image, size_t{16} << 20));
    auto info = sealimg::ProbePng(spec.picture.data);
    if (!info.ok()) return info.status().WithContext(o.image);
  }
  spec.picture.type = "PNG";
  spec.picture.width_mm = std::lround(style.width_mm);
  spec.picture.height_mm = std::lround(style.height_mm);

  Time now = ctx.clock.Now();
  spec.create_date = now;
  spec.valid_start = now;
  spec.valid_end = now + std::chrono::days(365);
  if (!o.valid_from.empty()) {
    ASSIGN_OR_RETURN(spec.valid_start, ParseTimeOption(o.valid_from, "--valid-from"));
  }
  if (!o.valid_to.empty()) {
    ASSIGN_OR_RETURN(spec.valid_end, ParseTimeOption(o.valid_to, "--valid-to"));
  }
  spec.vid = o.vid;
  spec.esid = o.id;
  spec.type = SealTypeFor(kind);
  spec.name = o.name;
  ASSIGN_OR_RETURN(ses::Seal seal, ses::MakeSeal(spec, maker_cert.der(), maker_key));
  RETURN_IF_ERROR(WriteOutput(o.out, seal.der));
  ctx.out << "seal " << ses::VersionName(seal.version) << " '" << spec.name << "' (" << spec.esid
          << ") valid " << FormatRfc3339(spec.valid_start) << " to " << FormatRfc3339(spec.valid_end)
          << ", " << spec.signer_certs.size() << " signer certificate(s)\nwritten to " << o.out << "\n";
  return 0;
}

struct InspectOpts {
  std::string file, image_out;
  bool json = false;
};

std::string CertSummary(ByteView der) {
  auto c = x509::Certificate::FromDer(der);
  if (!c.ok()) return "(unreadable: " + c.status().message() + ")";
  return c->subject().ToString() + " (serial " + c->SerialHex() + ", valid " +
         FormatRfc3339(c->not_before()) + " to " + FormatRfc3339(c->not_after()) + ")";
}

Result<int> Inspect(const InspectOpts& o, Context& ctx) {
  ASSIGN_OR_RETURN(Bytes der, ReadFile(o.file, kMaxSealFile));
  auto parsed = ses::ParseSeal(der);
  if (!parsed.ok()) return parsed.status().WithContext(o.file);
  const ses::Seal& s = *parsed;
  const ses::PropertyInfo& p = s.info.property;
  if (!o.image_out.empty()) RETURN_IF_ERROR(WriteOutput(o.image_out, s.info.picture.data));
  if (o.json) {
    nlohmann::ordered_json j;
    j["version"] = std::string(ses::VersionName(s.version));
    j["header"] = {{"id", s.info.header.id}, {"version", s.info.header.version}, {"vid", s.info.header.vid}};
    j["esid"] = s.info.esid;
    j["name"] = p.name;
    j["type"] = p.type;
    j["create_date"] = FormatRfc3339(p.create_date);
    j["valid_start"] = FormatRfc3339(p.valid_start);
    j["valid_end"] = FormatRfc3339(p.valid_end);
    j["maker_certificate"] = CertSummary(s.maker_cert);
    nlohmann::ordered_json signers = nlohmann::ordered_json::array();
    for (const Bytes& c : p.certs) signers.push_back(CertSummary(c));
    j["cert_list_type"] = p.cert_list_type;
    j["signer_certificates"] = signers;
    j["picture"] = {{"type", s.info.picture.type},
                    {"bytes", s.info.picture.data.size()},
                    {"width_mm", s.info.picture.width_mm},
                    {"height_mm", s.info.picture.height_mm}};
    j["ext_datas"] = s.info.ext_datas ? s.info.ext_datas->size() : 0;
    j["signature_algorithm"] = s.signature_algorithm.ToString();
    ctx.out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  ctx.out << "version:      " << ses::VersionName(s.version) << " (header " << s.info.header.id << "/"
          << s.info.header.version << "/" << s.info.header.vid << ")\n"
          << "esID:         " << s.info.esid << "\n"
          << "name:         " << p.name << "\n"
          << "type:         " << p.type << "\n"
          << "created:      " << FormatRfc3339(p.create_date) << "\n"
          << "valid:        " << FormatRfc3339(p.valid_start) << " to " << FormatRfc3339(p.valid_end) << "\n"
          << "maker:        " << CertSummary(s.maker_cert) << "\n";
  for (const Bytes& c : p.certs) ctx.out << "signer:       " << CertSummary(c) << "\n";
  for (const ses::CertDigest& d : p.cert_digests) {
    ctx.out << "signer digest: " << d.type << " " << HexEncode(d.value) << "\n";
  }
  ctx.out << "picture:      " << s.info.picture.type << ", " << s.info.picture.data.size() << " bytes, "
          << s.info.picture.width_mm << "x" << s.info.picture.height_mm << " mm\n";
  if (!o.image_out.empty()) ctx.out << "picture written to " << o.image_out << "\n";
  return 0;
}

struct VerifyOpts {
  std::string file;
  bool json = false, verbose = false;
  TrustOptions trust;
};

Result<int> Verify(const VerifyOpts& o, Context& ctx) {
  ASSIGN_OR_RETURN(Bytes der, ReadFile(o.file, kMaxSealFile));
  auto seal = ses::ParseSeal(der);
  if (!seal.ok()) return seal.status().WithContext(o.file);
  ASSIGN_OR_RETURN(verify::ValidationPolicy policy, BuildValidationPolicy(o.trust, ctx.clock.Now()));
  return PrintReport(verify::VerifySeal(*seal, policy.time.ValidationNow(), policy), o.json,
                     o.verbose, ctx.out);
}

}  // namespace

void AddSealCommands(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* seal = app.add_subcommand("seal", "electronic seals (GB/T 38540 SES_Seal)");
  seal->require_subcommand(1);
  const std::string kinds = "legal-name|contract|finance|invoice|business|legal-rep|gov-service";

  auto img = std::make_shared<ImageOpts>();
  CLI::App* i = seal->add_subcommand("image", "draw a seal image (PNG) to the standard pattern");
  i->add_option("--kind", img->kind, kinds)->required();
  i->add_option("--name", img->name, "holder name (along the arc) or person's name (legal-rep)")->required();
  i->add_option("--code", img->code, "seal code along the bottom arc; taxpayer ID for invoice seals");
  i->add_option("--function", img->function, "function text, e.g. 合同专用章 (defaults by kind)");
  i->add_option("--center", img->center, "text across the centre (invoice: taxpayer ID)");
  i->add_option("--shape", img->shape, "round, oval or square, where the kind allows");
  i->add_option("--dpi", img->dpi, "resolution")->check(CLI::Range(72, 1200));
  i->add_option("--out", img->out, "PNG file to write")->required();
  i->callback([&, img] { action = [&, img] { return Image(*img, ctx); }; });

  auto mk = std::make_shared<MakeOpts>();
  CLI::App* m = seal->add_subcommand("make", "make a seal signed by the seal maker");
  m->add_option("--maker-cert", mk->maker_cert, "seal maker (制章者) certificate")->required();
  m->add_option("--maker-key", mk->maker_key, "seal maker private key")->required();
  m->add_option("--maker-password-file", mk->maker_password_file, "password of a protected maker key");
  m->add_option("--signer-cert", mk->signer_certs, "certificate allowed to sign with the seal; repeatable")
      ->required();
  m->add_option("--kind", mk->kind, kinds)->required();
  m->add_option("--name", mk->name, "seal name (印章名称), usually the holder's legal name")->required();
  m->add_option("--id", mk->id, "seal code (esID), ASCII")->required();
  m->add_option("--image", mk->image, "PNG of the physical seal impression, or 'generated'");
  m->add_option("--code", mk->code, "for generated images: seal code / taxpayer ID");
  m->add_option("--function", mk->function, "for generated images: function text");
  m->add_option("--center", mk->center, "for generated images: centre text");
  m->add_option("--valid-from", mk->valid_from, "start of validity (default: now)");
  m->add_option("--valid-to", mk->valid_to, "end of validity (default: one year from now)");
  m->add_option("--format", mk->format, "v4 (GB/T 38540-2020, default) or v1 (GM/T 0031-2014)");
  m->add_option("--vid", mk->vid, "vendor id written in the seal header");
  m->add_option("--out", mk->out, "seal file to write (.esl)")->required();
  m->callback([&, mk] { action = [&, mk] { return Make(*mk, ctx); }; });

  auto in = std::make_shared<InspectOpts>();
  CLI::App* n = seal->add_subcommand("inspect", "show what a seal holds");
  n->add_option("seal", in->file, "seal file (.esl, DER)")->required();
  n->add_flag("--json", in->json, "print JSON");
  n->add_option("--image-out", in->image_out, "write the seal picture to this file");
  n->callback([&, in] { action = [&, in] { return Inspect(*in, ctx); }; });

  auto ver = std::make_shared<VerifyOpts>();
  CLI::App* v = seal->add_subcommand("verify", "verify a seal (GB/T 38540 §6.3) at a time");
  v->add_option("seal", ver->file, "seal file (.esl, DER)")->required();
  v->add_flag("--json", ver->json, "print the report as JSON");
  v->add_flag("--verbose", ver->verbose, "also show informational checks");
  AddTrustOptions(v, ver->trust);
  v->callback([&, ver] { action = [&, ver] { return Verify(*ver, ctx); }; });
}

}  // namespace eseal::cli
