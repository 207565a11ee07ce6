// Signing with a seal, the usage register, and use approval.
// Each route: a params parser (unknown fields, wrong types and missing fields are 400s
// naming the field), one use-case call, a renderer (render.h).
#include "eseal/pdf/sniff.h"
#include "routes/common.h"
#include "routes/sign_params.h"

namespace eseal::http::routes {
namespace {

Result<Reply> SetApprovalRequired(Ctx& ctx) {
  ASSIGN_OR_RETURN(SwitchParams p, ParseSwitch(ctx, "required"));
  ASSIGN_OR_RETURN(Seal s, ctx.services.signing.SetRequiresApproval(ctx.Who(), ctx.Param("id"), p.on));
  return JsonReply(ToJson(s));
}

Result<Platform::SignInput> ParseSign(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::SignInput s;
  s.seal = ctx.Param("id");
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  std::string filename;
  PlacementFields pf;
  in.Binary("document", &s.document, kReq, &filename)
      .Str("document_name", &s.document_name, kOpt, 255)
      .Secret("password", &s.password, kOpt)  // a vendor with an authorisation key copy signs without it
      .Str("session", &s.session, kOpt, 128)  // a signing session instead of the password
      .Str("usage_request_id", &s.usage_request_id, kOpt, 128);
  ReadPlacementFields(in, &pf);
  Status st = in.Finish();
  WipeBody(ctx);
  RETURN_IF_ERROR(st);
  RETURN_IF_ERROR(MakePlacement(in, pf, &s.placement, &s.mode));
  if (s.document_name.empty()) {
    s.document_name = filename.empty() ? (pdf::LooksLikePdf(s.document) ? "document.pdf" : "document.ofd") : filename;
  }
  return s;
}
Result<Reply> SignDocument(Ctx& ctx) {
  ASSIGN_OR_RETURN(Platform::SignInput in, ParseSign(ctx));
  std::string name = in.document_name;
  ASSIGN_OR_RETURN(Platform::SignOutcome out, ctx.services.signing.SignDocument(ctx.Who(), std::move(in)));
  ctx.metrics.SignatureMade();
  const bool pdf = out.record.format == "pdf";
  Reply r = Binary(pdf ? "application/pdf" : "application/ofd", out.document);
  r.headers.emplace_back("X-Eseal-Signature-Id", out.record.id);
  r.headers.emplace_back("X-Eseal-Document-Hash", out.record.document_hash);
  r.headers.emplace_back("X-Eseal-Signed-Hash", out.record.signed_hash);
  std::string base = name;
  const std::string ext = pdf ? ".pdf" : ".ofd";
  if (base.size() > 4 && base.substr(base.size() - 4) == ext) base.resize(base.size() - 4);
  r.headers.emplace_back("Content-Disposition", Attachment(base + "-signed" + ext));
  return r;
}

struct ListSignaturesParams {
  SignatureRepository::Filter filter;
  Page page;
};
Result<ListSignaturesParams> ParseListSignatures(Ctx& ctx) {
  ListSignaturesParams p;
  Input q = Query(ctx);
  q.Str("seal_id", &p.filter.seal_id, kOpt, 128)
      .Str("holder_id", &p.filter.holder_id, kOpt, 128)
      .Str("signed_hash", &p.filter.signed_hash, kOpt, 128);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  return p;
}
Result<Reply> ListSignatures(Ctx& ctx) {
  ASSIGN_OR_RETURN(ListSignaturesParams p, ParseListSignatures(ctx));
  ASSIGN_OR_RETURN(PageOf<SignatureRecord> items, ctx.services.signing.ListSignatures(ctx.Who(), p.filter, p.page));
  return JsonReply(ListJson(items, p.page));
}

// ---- use approval --------------------------------------------------------------------------

Result<Platform::UseRequestInput> ParseRequestUse(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::UseRequestInput u;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("seal_id", &u.seal_id, kReq, 128)
      .Str("document_hash", &u.document_hash, kReq, 64)
      .Str("purpose", &u.purpose, kReq, 2000);
  RETURN_IF_ERROR(in.Finish());
  bool hex = u.document_hash.size() == 64 &&
             std::all_of(u.document_hash.begin(), u.document_hash.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
             });
  if (!hex) return InvalidArgumentError("field 'document_hash' must be the SM3 hash of the document in hex (64 digits)");
  std::transform(u.document_hash.begin(), u.document_hash.end(), u.document_hash.begin(),
                 [](char c) { return static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c); });
  return u;
}
Result<Reply> RequestUse(Ctx& ctx) {
  ASSIGN_OR_RETURN(Platform::UseRequestInput u, ParseRequestUse(ctx));
  ASSIGN_OR_RETURN(UsageRequest r, ctx.services.signing.RequestUse(ctx.Who(), u));
  return Created(ToJson(r));
}

struct ListUsageParams {
  std::string seal_id;
  Page page;
};
Result<ListUsageParams> ParseListUsage(Ctx& ctx) {
  ListUsageParams p;
  Input q = Query(ctx);
  q.Str("seal_id", &p.seal_id, kOpt, 128);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  return p;
}
Result<Reply> ListUsageRequests(Ctx& ctx) {
  ASSIGN_OR_RETURN(ListUsageParams p, ParseListUsage(ctx));
  ASSIGN_OR_RETURN(PageOf<UsageRequest> items, ctx.services.signing.ListUsageRequests(ctx.Who(), p.seal_id, p.page));
  return JsonReply(ListJson(items, p.page));
}

struct DecideUseParams {
  std::string reason;
  Time window_end{};  // unset: the platform's default window
};
Result<DecideUseParams> ParseApproveUse(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  DecideUseParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("reason", &p.reason, kOpt, 2000).Time("window_end", &p.window_end, kOpt);
  RETURN_IF_ERROR(in.Finish());
  return p;
}
Result<Reply> ApproveUse(Ctx& ctx) {
  ASSIGN_OR_RETURN(DecideUseParams p, ParseApproveUse(ctx));
  ASSIGN_OR_RETURN(UsageRequest r, ctx.services.signing.DecideUse(ctx.Who(), ctx.Param("id"), true, p.reason, p.window_end));
  return JsonReply(ToJson(r));
}

Result<Reply> RejectUse(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(UsageRequest r, ctx.services.signing.DecideUse(ctx.Who(), ctx.Param("id"), false, p.reason, Time{}));
  return JsonReply(ToJson(r));
}

}  // namespace

std::vector<Route> SigningRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"PUT", "/api/v1/seals/{id}/approval-required", kAuth, kSmall, kJson, SetApprovalRequired},
      {"POST", "/api/v1/seals/{id}/sign", kAuth, kLarge, kForm, SignDocument},
      {"GET", "/api/v1/signatures", kAuth, kSmall, kNoBody, ListSignatures},
      {"POST", "/api/v1/usage-requests", kAuth, kSmall, kJson, RequestUse},
      {"GET", "/api/v1/usage-requests", kAuth, kSmall, kNoBody, ListUsageRequests},
      {"POST", "/api/v1/usage-requests/{id}/approve", kAuth, kSmall, kJson, ApproveUse},
      {"POST", "/api/v1/usage-requests/{id}/reject", kAuth, kSmall, kJson, RejectUse},
  };
}

}  // namespace eseal::http::routes
