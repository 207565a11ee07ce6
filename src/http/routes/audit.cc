// The audit trail: listing and verification (operators); one seal's trail (its holder).
// Each route: a params parser (unknown fields, wrong types and missing fields are 400s
// naming the field), one use-case call, a renderer (render.h).
#include "routes/common.h"

namespace eseal::http::routes {
namespace {


struct ListAuditParams {
  int64_t after_seq = 0;
  int limit = 100;
};
Result<ListAuditParams> ParseListAudit(Ctx& ctx) {
  ListAuditParams p;
  Input q = Query(ctx);
  q.Int("after_seq", &p.after_seq, kOpt, 0).Int("limit", &p.limit, kOpt, 1, 1000);
  RETURN_IF_ERROR(q.Finish());
  return p;
}
Result<Reply> ListAudit(Ctx& ctx) {
  ASSIGN_OR_RETURN(ListAuditParams p, ParseListAudit(ctx));
  ASSIGN_OR_RETURN(PageOf<AuditEntry> items, ctx.services.audit.ListAudit(ctx.Who(), p.after_seq, p.limit));
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const AuditEntry& e : items) Write(w, e);
  // The total is the number of entries in the log; seqs run from 1 without gaps, so entries
  // follow this page while its last seq is below the total.
  int64_t last = items.empty() ? p.after_seq : items.back().seq;
  bool more = last < items.total;
  w.EndArray().Field("total", items.total).Field("has_more", more);
  w.Field("limit", p.limit).Field("after_seq", p.after_seq).Key("next_after_seq");
  if (more && !items.empty()) {
    w.Int(items.back().seq);
  } else {
    w.Null();
  }
  w.EndObject();
  return JsonReply(w.Take());
}

// One seal's trail for its holder (and operators), paged by offset.
Result<Reply> ListSealAudit(Ctx& ctx) {
  ASSIGN_OR_RETURN(PageParams p, ParsePageOnly(ctx));
  ASSIGN_OR_RETURN(std::vector<AuditEntry> items, ctx.services.audit.ListSealAudit(ctx.Who(), ctx.Param("id"), p.page));
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const AuditEntry& e : items) Write(w, e);
  w.EndArray().Field("limit", p.page.limit).Field("offset", p.page.offset).Key("next_offset");
  if (static_cast<int>(items.size()) >= p.page.limit) {
    w.Int(static_cast<int64_t>(p.page.offset) + p.page.limit);
  } else {
    w.Null();
  }
  w.EndObject();
  return JsonReply(w.Take());
}

Result<Reply> VerifyAudit(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Platform::AuditVerification v, ctx.services.audit.VerifyAudit(ctx.Who()));
  return JsonReply(ToJson(v));
}

}  // namespace

std::vector<Route> AuditRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"GET", "/api/v1/audit", kOp, kSmall, kNoBody, ListAudit},
      {"GET", "/api/v1/audit/verify", kOp, kSmall, kNoBody, VerifyAudit},
      {"GET", "/api/v1/seals/{id}/audit", kAuth, kSmall, kNoBody, ListSealAudit},
  };
}

}  // namespace eseal::http::routes
