// Verification for anyone: documents and detached signatures, seal status (plain and
// signed), CRLs, the trust bundle and evidence records.
// Each route: a params parser (unknown fields, wrong types and missing fields are 400s
// naming the field), one use-case call, a renderer (render.h).
#include "eseal/pdf/sniff.h"
#include "routes/common.h"

namespace eseal::http::routes {
namespace {

struct VerifyParams {
  bool detached = false;
  Bytes owned;          // a document or signature read from a form or JSON
  ByteView document;    // the OFD (view of the raw body or of `owned`)
  Bytes data;           // detached: the signed data
};
Result<VerifyParams> ParseVerify(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  VerifyParams p;
  if (IsRawDocument(ctx)) {
    if (ctx.req.body.empty()) {
      return InvalidArgumentError("请求体为空，请上传要验证的 OFD 或 PDF 文件 / the body is empty: send the OFD or PDF document");
    }
    p.document = AsBytes(ctx.req.body);
    return p;
  }
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  if (in.Has("signature") || in.Has("data")) {
    p.detached = true;
    in.Binary("signature", &p.owned, kReq).Binary("data", &p.data, kReq);
  } else {
    in.Binary("document", &p.owned, kReq);
  }
  RETURN_IF_ERROR(in.Finish());
  p.document = p.owned;
  return p;
}
Result<Reply> Verify(Ctx& ctx) {
  ASSIGN_OR_RETURN(VerifyParams p, ParseVerify(ctx));
  // OFD or PDF by what the bytes are, whatever the Content-Type said.
  const bool pdf = !p.detached && pdf::LooksLikePdf(p.document);
  ASSIGN_OR_RETURN(Platform::VerifyOutcome out, p.detached ? ctx.services.verification.VerifyDetached(p.owned, p.data)
                                                : pdf      ? ctx.services.verification.VerifyPdf(p.document)
                                                           : ctx.services.verification.VerifyOfd(p.document));
  ctx.metrics.Verification(VerdictName(out.verdict));
  Reply r = JsonReply(std::move(out.json));
  r.headers.emplace_back("X-Eseal-Verdict", std::string(VerdictName(out.verdict)));
  return r;
}

struct SealStatusParams {
  std::string esid;
  std::optional<Time> at;
  bool der = false;
  std::optional<Bytes> nonce;
};
Result<SealStatusParams> ParseSealStatusQuery(Ctx& ctx) {
  SealStatusParams p;
  p.esid = ctx.Param("esid");
  Input q = Query(ctx);
  Time at{};
  bool has_at = q.Has("at");
  q.Time("at", &at, kOpt);
  std::string format = "json", nonce_hex;
  q.Str("format", &format, kOpt, 8).Str("nonce", &nonce_hex, kOpt, 256);
  RETURN_IF_ERROR(q.Finish());
  if (has_at) p.at = at;
  if (format != "json" && format != "der") {
    return InvalidArgumentError("format 只能是 json 或 der。 / format must be json or der");
  }
  p.der = format == "der";
  if (!p.der && !nonce_hex.empty()) {
    return InvalidArgumentError("nonce 仅用于签名应答（format=der）。 / nonce is for the signed answer (format=der) only");
  }
  if (p.der && has_at) {
    return InvalidArgumentError("签名应答只说明当前状态，不能带 at。 / the signed answer states the status now; "
                                "at is for the JSON status");
  }
  if (!nonce_hex.empty()) {
    auto nonce = HexDecode(nonce_hex);
    if (!nonce.ok() || nonce->empty() || nonce->size() > 128) {
      return InvalidArgumentError("nonce 应为 1 到 128 字节的十六进制数。 / nonce must be 1 to 128 bytes in hex");
    }
    p.nonce = *std::move(nonce);
  }
  return p;
}
// The status of a seal: JSON at any time (default now), or ?format=der the signed answer
// of its maker now (docs/seal-status.md), with ?nonce=HEX echoed.
Result<Reply> GetSealStatus(Ctx& ctx) {
  ASSIGN_OR_RETURN(SealStatusParams p, ParseSealStatusQuery(ctx));
  if (p.der) {
    ASSIGN_OR_RETURN(Bytes answer, ctx.services.trusted_time.SignedSealStatus(p.esid, std::move(p.nonce)));
    return Binary("application/octet-stream", answer);
  }
  ASSIGN_OR_RETURN(Platform::SealStatusAt s, ctx.services.verification.SealStatusAtTime(p.esid, p.at));
  return JsonReply(ToJson(s));
}

// The evidence record of a signature the platform made, by SM3 of its value
// (docs/trusted-time.md "Evidence records"): public, like the CRLs it holds.
Result<Reply> GetEvidence(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Bytes der, ctx.services.trusted_time.Evidence(ctx.Param("sm3")));
  Reply r = Binary("application/octet-stream", der);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"evidence-" + ctx.Param("sm3").substr(0, 64) + ".der\"");
  return r;
}

Result<Reply> Crl(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Bytes crl, ctx.services.verification.CurrentCrl());
  return Binary("application/pkix-crl", crl);
}

Result<Reply> RootCrl(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Bytes crl, ctx.services.verification.RootCrl());
  return Binary("application/pkix-crl", crl);
}

Result<Reply> TrustBundle(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(std::string pem, ctx.services.verification.TrustBundlePem());
  Reply r;
  r.content_type = "application/x-pem-file";
  r.body = std::move(pem);
  return r;
}

}  // namespace

std::vector<Route> VerificationRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"POST", "/api/v1/verify", kPub, kLarge, kDoc, Verify},
      {"GET", "/api/v1/seals/{esid}/status", kPub, kSmall, kNoBody, GetSealStatus},
      {"GET", "/api/v1/crl", kPub, kSmall, kNoBody, Crl},
      {"GET", "/api/v1/crl/root", kPub, kSmall, kNoBody, RootCrl},
      {"GET", "/api/v1/trust-bundle", kPub, kSmall, kNoBody, TrustBundle},
      {"GET", "/api/v1/evidence/{sm3}", kPub, kSmall, kNoBody, GetEvidence},
  };
}

}  // namespace eseal::http::routes
