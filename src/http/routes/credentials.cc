// Credentials: who the caller is, accounts and their lifecycle (list, disable, enable,
// custodian handover, a fresh enrolment code), and seal grants to a holder's users.
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
      .Str("area_code", &a.area_code, kOpt, 16)
      .Str("login", &a.login, kOpt, 64);
  RETURN_IF_ERROR(in.Finish());
  return a;
}
Result<Reply> CreateAccount(Ctx& ctx) {
  ASSIGN_OR_RETURN(Platform::AccountInput a, ParseCreateAccount(ctx));
  ASSIGN_OR_RETURN(Platform::NewCredential cred, ctx.services.credentials.CreateAccount(ctx.Who(), a));
  JsonWriter w;
  w.BeginObject().Key("account");
  Write(w, cred.account);
  w.Field("token", cred.token)
      .Field("login", cred.login)
      .Field("enrolment_code", cred.enrolment_code)
      .EndObject();
  Reply r = Created(w.Take());
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

struct ListAccountsParams {
  std::string holder_id;
  Page page;
};
Result<ListAccountsParams> ParseListAccounts(Ctx& ctx) {
  ListAccountsParams p;
  Input q = Query(ctx);
  q.Str("holder_id", &p.holder_id, kOpt, 128);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  return p;
}
Result<Reply> ListAccounts(Ctx& ctx) {
  ASSIGN_OR_RETURN(ListAccountsParams p, ParseListAccounts(ctx));
  ASSIGN_OR_RETURN(std::vector<Account> items, ctx.services.credentials.ListAccounts(ctx.Who(), p.holder_id, p.page));
  return JsonReply(ListJson(items));
}

Result<Reply> DisableAccount(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(Account a, ctx.services.credentials.SetAccountDisabled(ctx.Who(), ctx.Param("id"), true, p.reason));
  return JsonReply(ToJson(a));
}
Result<Reply> EnableAccount(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(Account a, ctx.services.credentials.SetAccountDisabled(ctx.Who(), ctx.Param("id"), false, p.reason));
  return JsonReply(ToJson(a));
}

struct HandOverParams {
  std::string to, reason;
};
Result<HandOverParams> ParseHandOver(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  HandOverParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("to_account_id", &p.to, kReq, 128).Str("reason", &p.reason, kReq, 2000);
  RETURN_IF_ERROR(in.Finish());
  return p;
}
Result<Reply> HandOver(Ctx& ctx) {
  ASSIGN_OR_RETURN(HandOverParams p, ParseHandOver(ctx));
  ASSIGN_OR_RETURN(Account to, ctx.services.credentials.HandOver(ctx.Who(), ctx.Param("id"), p.to, p.reason));
  JsonWriter w;
  w.BeginObject().Field("handed_over_from", ctx.Param("id")).Key("to");
  Write(w, to);
  w.EndObject();
  return JsonReply(w.Take());
}

Result<Reply> ResetEnrolment(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(std::string code, ctx.services.credentials.ResetEnrolment(ctx.Who(), ctx.Param("id")));
  JsonWriter w;
  w.BeginObject().Field("account_id", ctx.Param("id")).Field("enrolment_code", code).EndObject();
  Reply r = JsonReply(w.Take());
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
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
      {"GET", "/api/v1/accounts", kAuth, kSmall, kNoBody, ListAccounts},
      {"POST", "/api/v1/accounts/{id}/disable", kAuth, kSmall, kJson, DisableAccount},
      {"POST", "/api/v1/accounts/{id}/enable", kAuth, kSmall, kJson, EnableAccount},
      {"POST", "/api/v1/accounts/{id}/handover", kAuth, kSmall, kJson, HandOver},
      {"POST", "/api/v1/accounts/{id}/enrolment", kAuth, kSmall, kJson, ResetEnrolment},
      {"POST", "/api/v1/seals/{id}/grants", kAuth, kSmall, kJson, GrantSeal},
  };
}

}  // namespace eseal::http::routes
