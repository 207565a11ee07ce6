// API tokens for clients and automation: create (for oneself), list, revoke, rotate. A
// token is shown once, when made; lists show its id, label, scopes and times.
#include "routes/common.h"

namespace eseal::http::routes {
namespace {

void WriteToken(JsonWriter& w, const Credential& c) {
  w.BeginObject()
      .Field("id", c.id)
      .Field("label", c.label)
      .Field("scopes", c.scopes)
      .Field("owner", c.account_id.empty() ? c.client_id : c.account_id)
      .TimeField("created_at", c.created_at)
      .TimeField("expires_at", c.expires_at)
      .TimeField("revoked_at", c.revoked_at)
      .EndObject();
}

Reply NewTokenReply(const Platform::NewToken& t) {
  JsonWriter w;
  w.BeginObject().Key("credential");
  WriteToken(w, t.credential);
  w.Field("token", t.token).EndObject();
  Reply r = Created(w.Take());
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Result<Platform::TokenInput> ParseCreateToken(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::TokenInput t;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("label", &t.label, kReq, 100).Str("scopes", &t.scopes, kReq, 64).Int("valid_days", &t.valid_days, kOpt, 1, 365);
  RETURN_IF_ERROR(in.Finish());
  return t;
}
Result<Reply> CreateToken(Ctx& ctx) {
  ASSIGN_OR_RETURN(Platform::TokenInput t, ParseCreateToken(ctx));
  ASSIGN_OR_RETURN(Platform::NewToken out, ctx.services.credentials.CreateToken(ctx.Who(), t));
  return NewTokenReply(out);
}

Result<Reply> ListTokens(Ctx& ctx) {
  std::string account_id;
  Input q = Query(ctx);
  q.Str("account_id", &account_id, kOpt, 128);
  RETURN_IF_ERROR(q.Finish());
  ASSIGN_OR_RETURN(std::vector<Credential> items, ctx.services.credentials.ListTokens(ctx.Who(), account_id));
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const Credential& c : items) WriteToken(w, c);
  w.EndArray().Field("total", static_cast<int64_t>(items.size())).Field("has_more", false).EndObject();
  return JsonReply(w.Take());
}

Result<Reply> RevokeToken(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(Credential c, ctx.services.credentials.RevokeToken(ctx.Who(), ctx.Param("id")));
  JsonWriter w;
  WriteToken(w, c);
  return JsonReply(w.Take());
}

Result<Reply> RotateToken(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(Platform::NewToken out, ctx.services.credentials.RotateToken(ctx.Who(), ctx.Param("id")));
  return NewTokenReply(out);
}

}  // namespace

std::vector<Route> TokensRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"POST", "/api/v1/tokens", kAuth, kSmall, kJson, CreateToken},
      {"GET", "/api/v1/tokens", kAuth, kSmall, kNoBody, ListTokens},
      {"POST", "/api/v1/tokens/{id}/revoke", kAuth, kSmall, kJson, RevokeToken},
      {"POST", "/api/v1/tokens/{id}/rotate", kAuth, kSmall, kJson, RotateToken},
  };
}

}  // namespace eseal::http::routes
