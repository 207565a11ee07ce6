// eseal ts: RFC 3161 timestamps (时间戳) on the command line — make a request, answer one
// from a local TSA key, verify a token or a reply against a TSA root. Requests and replies
// are the DER files `openssl ts` reads and writes (.tsq / .tsr).
#include <CLI/CLI.hpp>

#include "eseal/base/file.h"
#include "eseal/cli/cli.h"
#include "eseal/crypto/random.h"
#include "eseal/tsp/authority.h"
#include "eseal/tsp/timestamp_token.h"
#include "eseal/verify/report_json.h"
#include "internal.h"

namespace eseal::cli {
namespace {

constexpr size_t kMaxData = size_t{512} << 20;
constexpr size_t kMaxToken = size_t{1} << 20;

// The imprint: the hash of --data, or --digest as given (its length must fit the algorithm).
Result<Bytes> Imprint(const std::string& data, const std::string& digest, const asn1::Oid& alg) {
  if (data.empty() == digest.empty()) return InvalidArgumentError("give exactly one of --data and --digest");
  if (!digest.empty()) {
    auto h = HexDecode(digest);
    if (!h.ok() || h->size() != 32) {
      return InvalidArgumentError("--digest must be 64 hex digits (an SM3 or SHA-256 value)");
    }
    return *h;
  }
  ASSIGN_OR_RETURN(Bytes bytes, ReadFile(data, kMaxData));
  return tsp::HashForImprint(alg, bytes);
}

struct QueryOpts {
  std::string data, digest, policy, out;
  bool sha256 = false, no_nonce = false, cert_req = false;
};

Result<int> Query(const QueryOpts& o, Context& ctx) {
  tsp::TimestampRequest q;
  q.hash_algorithm = o.sha256 ? tsp::Sha256() : asn1::oids::Sm3();
  ASSIGN_OR_RETURN(q.hashed_message, Imprint(o.data, o.digest, q.hash_algorithm));
  if (!o.policy.empty()) {
    auto p = asn1::Oid::FromString(o.policy);
    if (!p.ok()) return p.status().WithContext("--policy");
    q.policy = *p;
  }
  if (!o.no_nonce) {
    // 64 random bits, high bit clear so the INTEGER is positive without a sign octet.
    ASSIGN_OR_RETURN(Bytes nonce, RandomBytes(crypto::SystemRng(), 8));
    nonce[0] = static_cast<uint8_t>((nonce[0] & 0x7f) | 0x01);
    q.nonce = nonce;
  }
  q.cert_req = o.cert_req;
  RETURN_IF_ERROR(WriteOutput(o.out, tsp::EncodeTimestampRequest(q)));
  ctx.out << "时间戳请求已写入 / TimeStampReq written to " << o.out << " ("
          << (o.sha256 ? "SHA-256" : "SM3") << " " << HexEncode(q.hashed_message)
          << (q.nonce ? ", nonce 0x" + HexEncode(*q.nonce) : std::string(", no nonce"))
          << (q.cert_req ? ", certReq" : "") << ")\n";
  return kExitPassed;
}

struct ReplyOpts {
  std::string key, cert, password_file, in, out, policy;
  std::vector<std::string> chain;
};

Result<int> Reply(const ReplyOpts& o, Context& ctx) {
  ASSIGN_OR_RETURN(crypto::Sm2PrivateKey key, LoadPrivateKey(o.key, o.password_file));
  ASSIGN_OR_RETURN(x509::Certificate cert, LoadCertificate(o.cert));
  tsp::TsaOptions opts;
  ASSIGN_OR_RETURN(opts.chain, LoadCertificates(o.chain));
  if (!o.policy.empty()) {
    auto p = asn1::Oid::FromString(o.policy);
    if (!p.ok()) return p.status().WithContext("--policy");
    opts.policy = *p;
  }
  tsp::RandomSerialSource serials(crypto::SystemRng());
  ASSIGN_OR_RETURN(tsp::TimestampAuthority tsa,
                   tsp::TimestampAuthority::Create(std::make_shared<crypto::Sm2PrivateKey>(key), cert,
                                                   std::move(opts), ctx.clock, serials));
  // Read a little more than the TSA accepts so that an oversized request is answered with
  // a rejection rather than a file error.
  ASSIGN_OR_RETURN(Bytes request, ReadFile(o.in, tsp::kMaxRequestSize * 4));
  Bytes reply = tsa.Respond(request);
  RETURN_IF_ERROR(WriteOutput(o.out, reply));
  auto parsed = tsp::ParseTimestampResponse(reply);
  if (!parsed.ok()) return InternalError("the TSA wrote a reply it cannot read: " + parsed.status().ToString());
  if (parsed->granted()) {
    auto token = tsp::ParseTimestampToken(*parsed->token);
    ctx.out << "已签发时间戳 / granted: TimeStampResp written to " << o.out;
    if (token.ok()) {
      ctx.out << " (serial " << HexEncode(token->info.serial, true) << ", genTime "
              << FormatRfc3339(token->info.gen_time) << ")";
    }
    ctx.out << "\n";
    return kExitPassed;
  }
  // The rejection is still written: the requester is owed an answer. The exit code says
  // the input was refused (OpenSSL exits 0 here, which hides the failure).
  ctx.err << "请求被拒绝 / rejected: " << (parsed->status_text.empty() ? "" : parsed->status_text[0])
          << "; TimeStampResp (rejection) written to " << o.out << "\n";
  return kExitUsage;
}

struct VerifyOpts {
  std::string token, reply, data, digest;
  bool json = false, verbose = false;
  TrustOptions trust;
};

Result<int> Verify(const VerifyOpts& o, Context& ctx) {
  if (o.token.empty() == o.reply.empty()) return InvalidArgumentError("give exactly one of --token and --reply");
  if (o.data.empty() == o.digest.empty()) return InvalidArgumentError("give exactly one of --data and --digest");
  if (o.trust.tsa_anchors.empty()) return InvalidArgumentError("--tsa-trust is required: the TSA root to judge by");
  Report report;
  Bytes token;
  if (!o.reply.empty()) {
    ASSIGN_OR_RETURN(Bytes der, ReadFile(o.reply, kMaxToken));
    auto resp = tsp::ParseTimestampResponse(der);
    if (!resp.ok()) return resp.status().WithContext(o.reply);
    if (!resp->granted()) {
      report.Fail("tsp.reply.status", "the TSA refused: " +
                                          (resp->status_text.empty() ? std::string("no reason given")
                                                                     : resp->status_text[0]));
      return PrintReport(report, o.json, o.verbose, ctx.out);
    }
    report.Pass("tsp.reply.status", "granted");
    token = *resp->token;
  } else {
    ASSIGN_OR_RETURN(token, ReadFile(o.token, kMaxToken));
  }
  tsp::TimestampVerifyOptions vo;
  ASSIGN_OR_RETURN(auto roots, LoadCertificates(o.trust.tsa_anchors));
  for (size_t i = 0; i < roots.size(); ++i) vo.tsa_anchors.Add(roots[i], "--tsa-trust " + std::to_string(i + 1));
  ASSIGN_OR_RETURN(vo.intermediates, LoadCertificates(o.trust.intermediates));
  ASSIGN_OR_RETURN(vo.crls, LoadCrls(o.trust.crls));
  vo.check_revocation = !o.trust.no_revocation;
  Bytes data;
  if (!o.digest.empty()) {
    ASSIGN_OR_RETURN(vo.expected_imprint, Imprint({}, o.digest, asn1::oids::Sm3()));
  } else {
    ASSIGN_OR_RETURN(data, ReadFile(o.data, kMaxData));
  }
  tsp::TimestampVerification v = tsp::VerifyTimestampToken(token, data, vo);
  report.Merge(v.report);
  if (!o.trust.no_revocation && vo.crls.empty()) {
    // Said here too, because the chain's INDETERMINATE alone does not tell what to add.
    report.Info("tsp.hint", "没有CRL / no CRL given: add --crl, or --no-revocation to opt out");
  }
  if (v.gen_time && !o.json) {
    ctx.out << "时间戳证明的时间 / proven time (genTime): " << FormatRfc3339(*v.gen_time) << "\n";
  }
  return PrintReport(report, o.json, o.verbose, ctx.out);
}

}  // namespace

void AddTsCommands(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* ts = app.add_subcommand("ts", "RFC 3161 / GB/T 20520 timestamps (时间戳): query, reply, verify");
  ts->require_subcommand(1);

  auto qo = std::make_shared<QueryOpts>();
  CLI::App* q = ts->add_subcommand("query", "make a TimeStampReq (.tsq, as openssl ts -query)");
  q->add_option("--data", qo->data, "file to timestamp (hashed here)");
  q->add_option("--digest", qo->digest, "or its hash, 64 hex digits");
  q->add_flag("--sha256", qo->sha256, "SHA-256 imprint instead of SM3");
  q->add_flag("--no-nonce", qo->no_nonce, "leave the nonce out");
  q->add_flag("--cert-req", qo->cert_req, "ask for the TSA certificate in the token");
  q->add_option("--policy", qo->policy, "reqPolicy OID");
  q->add_option("--out", qo->out, "request file to write (DER)")->required();
  q->callback([&, qo] { action = [&, qo] { return Query(*qo, ctx); }; });

  auto ro = std::make_shared<ReplyOpts>();
  CLI::App* r = ts->add_subcommand("reply", "answer one TimeStampReq with a local TSA key (.tsr)");
  r->add_option("--key", ro->key, "TSA private key (SM2)")->required();
  r->add_option("--password-file", ro->password_file, "password of a protected key");
  r->add_option("--cert", ro->cert, "TSA certificate (critical extendedKeyUsage timeStamping)")->required();
  r->add_option("--chain", ro->chain, "CA certificate(s) to send with it when certReq is set; repeatable");
  r->add_option("--policy", ro->policy, "TSA policy OID (default 1.3.6.1.4.1.32473.2.1)");
  r->add_option("--in", ro->in, "request file (DER TimeStampReq)")->required();
  r->add_option("--out", ro->out, "reply file to write (DER TimeStampResp)")->required();
  r->callback([&, ro] { action = [&, ro] { return Reply(*ro, ctx); }; });

  auto vo = std::make_shared<VerifyOpts>();
  CLI::App* v = ts->add_subcommand("verify", "verify a timestamp token or reply over data");
  v->add_option("--token", vo->token, "TimeStampToken (DER)");
  v->add_option("--reply", vo->reply, "or a TimeStampResp (DER .tsr)");
  v->add_option("--data", vo->data, "the stamped file");
  v->add_option("--digest", vo->digest, "or its hash, 64 hex digits");
  v->add_flag("--json", vo->json, "print the report as JSON");
  v->add_flag("--verbose", vo->verbose, "also show passed and informational checks");
  v->add_option("--tsa-trust", vo->trust.tsa_anchors, "TSA root CA (PEM or DER); repeatable");
  v->add_option("--intermediate", vo->trust.intermediates, "intermediate CA certificate(s); repeatable");
  v->add_option("--crl", vo->trust.crls, "CRL (PEM or DER); repeatable");
  v->add_flag("--no-revocation", vo->trust.no_revocation, "do not check revocation (the report says so)");
  v->callback([&, vo] { action = [&, vo] { return Verify(*vo, ctx); }; });
}

}  // namespace eseal::cli
