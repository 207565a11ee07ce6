// eseal evidence show / renew, and --evidence on the verify commands: evidence records
// (验证证据记录, include/eseal/verify/evidence_record.h) on the command line. A record
// brings only untrusted material — certificates as intermediates, CRLs, a signed
// seal-status answer — and only once its archive timestamps verify under the relying
// party's own --tsa-trust; the anchors are always the relying party's, so a record can
// decide revocation at the proven signing time but never make anything trusted.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "eseal/base/file.h"
#include "eseal/cli/cli.h"
#include "eseal/crypto/sm3.h"
#include "eseal/ofd/package.h"
#include "eseal/ofd/signature.h"
#include "eseal/tsp/timestamp_token.h"
#include "eseal/verify/evidence_record.h"
#include "eseal/verify/ofd_verifier.h"
#include "internal.h"

namespace eseal::cli {
namespace {

// `option` names the flag the file came with, so the message says which input was bad.
Result<verify::EvidenceRecord> ReadEvidence(const std::string& path, const std::string& option) {
  const std::string where = option + " " + path;
  auto der = ReadFile(path, verify::kMaxEvidenceBytes);
  if (!der.ok()) {
    return der.status().WithContext(
        where + ": 无法读取证据记录文件 / cannot read the evidence record file");
  }
  auto e = verify::ParseEvidenceRecord(*der);
  if (!e.ok()) return e.status().WithContext(where);
  return e;
}

bool Contains(const std::vector<Bytes>& list, const Bytes& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// What `evidence show` prints of one token; nothing here is verified.
struct TokenFacts {
  std::string error;  // non-empty when the token does not parse
  std::string gen_time, serial, tsa;
};

TokenFacts DescribeToken(ByteView der, const std::vector<x509::Certificate>& pool) {
  TokenFacts f;
  auto t = tsp::ParseTimestampToken(der);
  if (!t.ok()) {
    f.error = t.status().message();
    return f;
  }
  f.gen_time = FormatRfc3339(t->info.gen_time);
  f.serial = HexEncode(t->info.serial, true);
  f.tsa = t->info.tsa_name_text;
  // The signer's certificate names the TSA better than the optional tsa field.
  if (!t->signed_data.signer_infos.empty()) {
    const auto& si = t->signed_data.signer_infos[0];
    std::vector<x509::Certificate> candidates;
    for (const Bytes& c : t->signed_data.certificates) {
      auto cert = x509::Certificate::FromDer(c);
      if (cert.ok()) candidates.push_back(*std::move(cert));
    }
    candidates.insert(candidates.end(), pool.begin(), pool.end());
    for (const x509::Certificate& c : candidates) {
      if (c.serial() == si.serial && c.issuer().der() == si.issuer_der) {
        f.tsa = c.subject().ToString();
        break;
      }
    }
  }
  return f;
}

nlohmann::ordered_json TokenJson(const TokenFacts& f) {
  if (!f.error.empty()) return {{"error", f.error}};
  return {{"gen_time", f.gen_time}, {"serial", f.serial}, {"tsa", f.tsa}};
}

std::string TokenText(const TokenFacts& f) {
  if (!f.error.empty()) return "无法读取 / unreadable: " + f.error;
  return "genTime " + f.gen_time + ", TSA " + (f.tsa.empty() ? "?" : f.tsa) + ", serial " +
         f.serial;
}

struct ShowOpts {
  std::string file;
  bool json = false;
};

Result<int> Show(const ShowOpts& o, Context& ctx) {
  ASSIGN_OR_RETURN(verify::EvidenceRecord e, ReadEvidence(o.file, "evidence show"));
  std::vector<x509::Certificate> pool;
  auto collect = [&](const std::vector<Bytes>& ders) {
    for (const Bytes& d : ders) {
      auto c = x509::Certificate::FromDer(d);
      if (c.ok()) pool.push_back(*std::move(c));
    }
  };
  collect(e.certificates);
  for (const verify::ArchiveTimestamp& a : e.archive_timestamps) collect(a.certificates);
  std::optional<TokenFacts> signature_token;
  if (e.signature_timestamp) signature_token = DescribeToken(*e.signature_timestamp, pool);

  if (o.json) {
    nlohmann::ordered_json j;
    j["signature_hash"] = HexEncode(e.signature_hash);
    j["signed_at"] = FormatRfc3339(e.signed_at);
    j["certificates"] = e.certificates.size();
    j["crls"] = e.crls.size();
    j["seal_status"] = e.seal_status.has_value();
    j["signature_timestamp"] =
        signature_token ? TokenJson(*signature_token) : nlohmann::ordered_json();
    j["archive_timestamps"] = nlohmann::ordered_json::array();
    for (const verify::ArchiveTimestamp& a : e.archive_timestamps) {
      nlohmann::ordered_json aj = TokenJson(DescribeToken(a.token, pool));
      aj["crls"] = a.crls.size();
      aj["certificates"] = a.certificates.size();
      j["archive_timestamps"].push_back(std::move(aj));
    }
    ctx.out << j.dump(2) << "\n";
    return 0;
  }
  ctx.out << "证据记录 / evidence record: " << o.file << "\n"
          << "  签名值 SM3 / signature hash:      " << HexEncode(e.signature_hash) << "\n"
          << "  签章时间 / signedAt:              " << FormatRfc3339(e.signed_at) << "\n"
          << "  证书 / certificates:              " << e.certificates.size() << "\n"
          << "  证书撤销列表 / CRLs:              " << e.crls.size() << "\n"
          << "  印章状态应答 / seal-status answer: "
          << (e.seal_status ? "有 / present" : "无 / absent") << "\n"
          << "  签名时间戳 / signature timestamp: "
          << (signature_token ? TokenText(*signature_token) : std::string("无 / absent")) << "\n"
          << "  存档时间戳 / archive timestamps:  " << e.archive_timestamps.size() << "\n";
  for (size_t i = 0; i < e.archive_timestamps.size(); ++i) {
    const verify::ArchiveTimestamp& a = e.archive_timestamps[i];
    ctx.out << "    " << i + 1 << ". " << TokenText(DescribeToken(a.token, pool)) << "; "
            << a.crls.size() << " CRL(s), " << a.certificates.size() << " certificate(s)\n";
  }
  ctx.out << "（未验证；验证请用 verify / ofd verify --evidence） / (not verified: use verify or "
             "ofd verify "
             "with --evidence)\n";
  return 0;
}

struct RenewOpts {
  std::string in, out;
  std::vector<std::string> crls;
  TsaSignOptions tsa;
};

Result<int> Renew(const RenewOpts& o, Context& ctx) {
  ASSIGN_OR_RETURN(verify::EvidenceRecord e, ReadEvidence(o.in, "--in"));
  ASSIGN_OR_RETURN(std::vector<x509::Crl> crls, LoadCrls(o.crls));
  ASSIGN_OR_RETURN(sign::Timestamper stamper, MakeTimestamper(o.tsa, ctx));
  if (!stamper) {
    return InvalidArgumentError(
        "续期需要时间戳服务：--tsa-key 与 --tsa-cert，或 --tsa-url / renewing needs a TSA: "
        "--tsa-key and --tsa-cert, or --tsa-url");
  }
  std::vector<Bytes> crl_der;
  for (const x509::Crl& c : crls) crl_der.push_back(c.der());
  // A local TSA's chain goes in beside its token (the token may not carry it), unless the
  // record holds it already.
  std::vector<Bytes> known = e.certificates;
  for (const verify::ArchiveTimestamp& a : e.archive_timestamps) {
    known.insert(known.end(), a.certificates.begin(), a.certificates.end());
  }
  std::vector<std::string> cert_files;
  if (!o.tsa.cert.empty()) cert_files.push_back(o.tsa.cert);
  cert_files.insert(cert_files.end(), o.tsa.chain.begin(), o.tsa.chain.end());
  ASSIGN_OR_RETURN(std::vector<x509::Certificate> certs, LoadCertificates(cert_files));
  std::vector<Bytes> cert_der;
  for (const x509::Certificate& c : certs) {
    if (!Contains(known, c.der()) && !Contains(cert_der, c.der())) cert_der.push_back(c.der());
  }
  auto renewed = verify::RenewEvidence(e, stamper, std::move(crl_der), std::move(cert_der));
  if (!renewed.ok()) {
    return renewed.WithContext(
        "证据记录续期失败，未写出 / renewing the evidence record failed, nothing written");
  }
  // Atomic: a reader of --out sees the old record or the renewed one, never a part.
  RETURN_IF_ERROR(WriteOutput(o.out, verify::EncodeEvidenceRecord(e)));
  const verify::ArchiveTimestamp& added = e.archive_timestamps.back();
  ctx.out << "存档时间戳 " << e.archive_timestamps.size() << " 已添加 / archive timestamp "
          << e.archive_timestamps.size()
          << " added: " << TokenText(DescribeToken(added.token, certs)) << "; " << added.crls.size()
          << " CRL(s), " << added.certificates.size() << " certificate(s)\nwritten to " << o.out
          << "\n";
  return 0;
}

}  // namespace

void AddEvidenceOption(CLI::App* cmd, std::vector<std::string>& files) {
  cmd->add_option(
      "--evidence", files,
      "evidence record (验证证据记录, DER) of a signature, e.g. GET /api/v1/evidence/{sm3}; its "
      "certificates, CRLs and seal-status answer count once its archive timestamps verify under "
      "--tsa-trust; repeatable");
}

Result<std::vector<AppliedEvidence>> ApplyEvidenceFiles(const std::vector<std::string>& files,
                                                        verify::ValidationPolicy& policy) {
  // Every file is read before any is applied: a bad one stops the command before it prints.
  std::vector<verify::EvidenceRecord> records;
  for (const std::string& f : files) {
    ASSIGN_OR_RETURN(verify::EvidenceRecord e, ReadEvidence(f, "--evidence"));
    records.push_back(std::move(e));
  }
  std::vector<AppliedEvidence> out;
  for (size_t i = 0; i < records.size(); ++i) {
    Report r = verify::ApplyEvidence(records[i], policy);
    out.push_back(AppliedEvidence{files[i], records[i].signature_hash, std::move(r)});
  }
  return out;
}

std::vector<SignatureHash> OfdSignatureHashes(ByteView document, const verify::OfdVerification& v) {
  std::vector<SignatureHash> out;
  auto package = ofd::Package::Open(Bytes(document.begin(), document.end()));
  for (const verify::SignatureVerification& s : v.signatures) {
    const std::string label = "signature " + s.id + " (" + s.signature_path + ")";
    if (s.ses) out.push_back({label, crypto::Sm3Bytes(s.ses->der)});
    // The value file as it is, too: a Type="Sign" value, or one a tolerance decoded.
    if (!package.ok()) continue;
    auto xml = package->Read(s.signature_path);
    if (!xml.ok()) continue;
    auto parsed = ofd::ParseSignatureXml(*xml, s.signature_path);
    if (!parsed.ok() || parsed->signed_value_path.empty()) continue;
    auto value = package->Read(parsed->signed_value_path);
    if (value.ok()) out.push_back({label, crypto::Sm3Bytes(*value)});
  }
  return out;
}

void AddEvidenceChecks(const std::vector<AppliedEvidence>& evidence,
                       const std::vector<SignatureHash>& signatures, Report& into) {
  for (const AppliedEvidence& a : evidence) {
    for (const Check& c : a.report.checks()) {
      Check& added = into.Add(c.id, c.result, c.detail);
      added.params = c.params;
      added.params.emplace_back("evidence_file", a.file);
    }
    auto match = std::find_if(signatures.begin(), signatures.end(),
                              [&](const SignatureHash& s) { return s.sm3 == a.signature_hash; });
    Check& c = match != signatures.end()
                   ? into.Pass("evidence.signature",
                               "证据记录属于 / the evidence record is for " + match->label)
                   : into.Indeterminate(
                         "evidence.signature",
                         "证据记录属于另一个签名（签名值 SM3 " + HexEncode(a.signature_hash) +
                             "），不能用于本文件 / this record is for another signature, not one "
                             "being verified");
    c.params = {{"signature_hash", HexEncode(a.signature_hash)}, {"evidence_file", a.file}};
  }
}

void AddEvidenceCommands(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* ev = app.add_subcommand(
      "evidence", "evidence records (验证证据记录) for offline re-verification: show, renew");
  ev->require_subcommand(1);

  auto so = std::make_shared<ShowOpts>();
  CLI::App* s =
      ev->add_subcommand("show", "print what an evidence record holds (nothing is verified)");
  s->add_option("file", so->file, "evidence record (DER)")->required();
  s->add_flag("--json", so->json, "print as JSON");
  s->callback([&, so] { action = [&, so] { return Show(*so, ctx); }; });

  auto ro = std::make_shared<RenewOpts>();
  CLI::App* r = ev->add_subcommand(
      "renew",
      "add an archive timestamp over the record and every earlier one (before the last TSA "
      "certificate expires)");
  r->add_option("--in", ro->in, "evidence record to renew (DER)")->required();
  r->add_option("--out", ro->out, "renewed record to write (may be --in; written atomically)")
      ->required();
  r->add_option("--crl", ro->crls,
                "CRL current now, recorded with the new archive timestamp; repeatable");
  AddTsaSignOptions(r, ro->tsa);
  r->callback([&, ro] { action = [&, ro] { return Renew(*ro, ctx); }; });
}

}  // namespace eseal::cli
