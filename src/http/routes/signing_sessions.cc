// Signing sessions (签章会话): open with the protection password, read, close. A session's
// id is returned once, when it opens; it signs (field `session` of /sign and /sign-batch)
// only for the credential that opened it. Reading and closing name it by its public
// reference (`ref`), so the id never appears in a URL.
#include "routes/common.h"

namespace eseal::http::routes {
namespace {

void WriteSession(JsonWriter& w, const Platform::SessionInfo& s) {
  w.BeginObject();
  if (!s.id.empty()) w.Field("id", s.id);
  w.Field("ref", s.ref).Field("seal_id", s.seal_id);
  w.TimeField("opened_at", s.opened_at).TimeField("expires_at", s.expires_at);
  w.Field("max_signatures", s.max_signatures).Field("remaining", s.remaining);
  w.Field("memory_locked", s.memory_locked);
  w.EndObject();
}

std::string SessionJson(const Platform::SessionInfo& s) {
  JsonWriter w;
  WriteSession(w, s);
  return w.Take();
}

Result<Platform::OpenSessionInput> ParseOpen(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::OpenSessionInput o;
  o.seal = ctx.Param("id");
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Secret("password", &o.password, kOpt)  // a vendor with an authorisation key copy opens without it
      .Int("ttl_seconds", &o.ttl_seconds, kOpt, 1, 7 * 24 * 3600)
      .Int("max_signatures", &o.max_signatures, kOpt, 1, 10000000);
  Status st = in.Finish();
  WipeBody(ctx);
  RETURN_IF_ERROR(st);
  return o;
}

Result<Reply> OpenSession(Ctx& ctx) {
  ASSIGN_OR_RETURN(Platform::OpenSessionInput in, ParseOpen(ctx));
  ASSIGN_OR_RETURN(Platform::SessionInfo s, ctx.services.signing.OpenSigningSession(ctx.Who(), std::move(in)));
  return Created(SessionJson(s));
}

Result<Reply> GetSession(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Platform::SessionInfo s,
                   ctx.services.signing.GetSigningSession(ctx.Who(), ctx.Param("id"), ctx.Param("ref")));
  return JsonReply(SessionJson(s));
}

Result<Reply> CloseSession(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  RETURN_IF_ERROR(ctx.services.signing.CloseSigningSession(ctx.Who(), ctx.Param("id"), ctx.Param("ref")));
  JsonWriter w;
  w.BeginObject().Field("ref", ctx.Param("ref")).Field("closed", true).EndObject();
  return JsonReply(w.Take());
}

}  // namespace

std::vector<Route> SigningSessionRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"POST", "/api/v1/seals/{id}/signing-sessions", kAuth, kSmall, kJson, OpenSession},
      {"GET", "/api/v1/seals/{id}/signing-sessions/{ref}", kAuth, kSmall, kNoBody, GetSession},
      // An action on the session, as the other routes do actions (…/revoke): no DELETE.
      {"POST", "/api/v1/seals/{id}/signing-sessions/{ref}/close", kAuth, kSmall, kJson, CloseSession},
  };
}

}  // namespace eseal::http::routes
