// Credentials: who the caller is, accounts, and seal grants to a holder's users.
// Each route: a params parser (unknown fields, wrong types and missing fields are 400s
// naming the field), one use-case call, a renderer (render.h).
#include "routes/common.h"

namespace eseal::http::routes {
namespace {


Result<Reply> Me(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  return JsonReply(ToJson(ctx.Who()));
}


Result<Platform::AccountInput> ParseCreateAccount(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::AccountInput a;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("name", &a.name, kReq, 300)
      .Enum("role", &a.role, ParseRole, kReq)
      .Str("holder_id", &a.holder_id, kOpt, 128)
      .Str("area_code", &a.area_code, kOpt, 16);
  RETURN_IF_ERROR(in.Finish());
  return a;
}
Result<Reply> CreateAccount(Ctx& ctx) {
  ASSIGN_OR_RETURN(Platform::AccountInput a, ParseCreateAccount(ctx));
  ASSIGN_OR_RETURN(Platform::NewCredential cred, ctx.services.credentials.CreateAccount(ctx.Who(), a));
  JsonWriter w;
  w.BeginObject().Key("account");
  Write(w, cred.account);
  w.Field("token", cred.token).EndObject();
  return Created(w.Take());
}

Result<SealGrant> ParseGrant(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  SealGrant g;
  g.seal_id = ctx.Param("id");
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("account_id", &g.account_id, kReq, 128)
      .Bool("can_use", &g.can_use, kOpt)
      .Bool("can_approve", &g.can_approve, kOpt);
  RETURN_IF_ERROR(in.Finish());
  return g;
}
Result<Reply> GrantSeal(Ctx& ctx) {
  ASSIGN_OR_RETURN(SealGrant g, ParseGrant(ctx));
  RETURN_IF_ERROR(ctx.services.credentials.GrantSeal(ctx.Who(), g));
  return JsonReply(ToJson(g));
}

}  // namespace

std::vector<Route> CredentialsRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"GET", "/api/v1/me", kAuth, kSmall, kNoBody, Me},
      {"POST", "/api/v1/accounts", kAuth, kSmall, kJson, CreateAccount},
      {"POST", "/api/v1/seals/{id}/grants", kAuth, kSmall, kJson, GrantSeal},
  };
}

}  // namespace eseal::http::routes
