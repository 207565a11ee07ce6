// Signing with a seal, the usage register, and use approval.
// Each route: a params parser (unknown fields, wrong types and missing fields are 400s
// naming the field), one use-case call, a renderer (render.h).
#include "eseal/pdf/sniff.h"
#include "routes/common.h"

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
  bool has_position = in.Has("x") || in.Has("y") || in.Has("page");
  bool has_keyword = in.Has("keyword");
  bool has_riding = in.Has("riding");
  std::string filename, keyword, riding, pages, mode = "continue";
  sign::PagePosition pos;
  int occurrence = 0;
  double offset = -1;
  in.Binary("document", &s.document, kReq, &filename)
      .Str("document_name", &s.document_name, kOpt, 255)
      .Secret("password", &s.password, kOpt)  // a vendor with an authorisation key copy signs without it
      .Int("page", &pos.page, kOpt, 1, 100000)
      .Num("x", &pos.x_mm, has_position ? kReq : kOpt)
      .Num("y", &pos.y_mm, has_position ? kReq : kOpt)
      .Str("keyword", &keyword, kOpt, 200)
      .Int("occurrence", &occurrence, kOpt, 0, 100000)
      .Str("riding", &riding, kOpt, 16)
      .Str("pages", &pages, kOpt, 32)
      .Num("offset", &offset, kOpt)
      .Num("width", &s.placement.width_mm, kOpt)
      .Num("height", &s.placement.height_mm, kOpt)
      .Str("mode", &mode, kOpt, 16)
      .Str("usage_request_id", &s.usage_request_id, kOpt, 128);
  Status st = in.Finish();
  WipeBody(ctx);
  RETURN_IF_ERROR(st);
  if (has_position + has_keyword + has_riding != 1) {
    return InvalidArgumentError(
        "give exactly one placement: page with x and y (millimetres), keyword (with occurrence and "
        "pages), or riding (an edge, with pages)");
  }
  if (s.placement.width_mm < 0 || s.placement.height_mm < 0 || s.placement.width_mm > 1000 ||
      s.placement.height_mm > 1000) {
    return InvalidArgumentError("fields 'width' and 'height' must be between 0 and 1000 millimetres");
  }
  if (has_position) {
    if (pos.x_mm < 0 || pos.y_mm < 0 || pos.x_mm > 10000 || pos.y_mm > 10000) {
      return InvalidArgumentError("fields 'x' and 'y' must be between 0 and 10000 millimetres");
    }
    if (!pages.empty() || in.Has("occurrence") || in.Has("offset")) {
      return InvalidArgumentError("fields 'pages', 'occurrence' and 'offset' do not go with x and y");
    }
    s.placement.positions.push_back(pos);
  } else {
    int first = 1, last = 0;
    if (!pages.empty() && !ParsePages(pages, &first, &last)) {
      return InvalidArgumentError("字段“pages”应为页码（如 3）或页码范围（如 2-5，或 2- 表示到末页） / field 'pages' must be a page (3) or a range (2-5, or 2- for the rest)");
    }
    if (has_keyword) {
      if (keyword.empty()) return InvalidArgumentError("字段“keyword”不能为空，请填写要定位的文字 / field 'keyword' must not be empty");
      if (in.Has("offset")) return InvalidArgumentError("field 'offset' goes with riding seals only");
      s.placement.keyword = sign::KeywordPlacement{keyword, occurrence, first, last};
    } else {
      if (in.Has("occurrence")) return InvalidArgumentError("field 'occurrence' goes with keyword only");
      sign::Edge edge;
      if (riding == "left") {
        edge = sign::Edge::kLeft;
      } else if (riding == "right") {
        edge = sign::Edge::kRight;
      } else if (riding == "top") {
        edge = sign::Edge::kTop;
      } else if (riding == "bottom") {
        edge = sign::Edge::kBottom;
      } else {
        return InvalidArgumentError("field 'riding' must be an edge: left, right, top or bottom");
      }
      s.placement.riding = sign::RidingPlacement{edge, first, last, offset};
    }
  }
  if (mode == "continue") {
    s.mode = sign::ProtectMode::kContinue;
  } else if (mode == "whole") {
    s.mode = sign::ProtectMode::kWhole;
  } else {
    return InvalidArgumentError("field 'mode' must be continue or whole");
  }
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
