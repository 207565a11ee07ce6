// Integration clients: applications for access, the operator's decisions, and vendor
// authorisations.
// Each route: a params parser (unknown fields, wrong types and missing fields are 400s
// naming the field), one use-case call, a renderer (render.h).
#include "routes/common.h"

namespace eseal::http::routes {
namespace {

Result<Platform::ClientApplication> ParseClientApply(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::ClientApplication p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("name", &p.name, kReq, 300)
      .Enum("type", &p.type, ParseClientType, kReq)
      .Str("scenario", &p.scenario, kReq, 2000)
      .Str("contact", &p.contact, kReq, 300)
      .Str("holder_id", &p.holder_id, kOpt, 128);
  RETURN_IF_ERROR(in.Finish());
  return p;
}
Result<Reply> ClientApply(Ctx& ctx) {
  ASSIGN_OR_RETURN(Platform::ClientApplication p, ParseClientApply(ctx));
  ASSIGN_OR_RETURN(Client c, ctx.services.clients.ApplyForAccess(p));
  return Created(ToJson(c));
}

Result<Reply> ListClients(Ctx& ctx) {
  ASSIGN_OR_RETURN(auto p, ParseStatusPage<ClientStatus>(ctx, ParseClientStatus));
  ASSIGN_OR_RETURN(PageOf<Client> items, ctx.services.clients.ListClients(ctx.Who(), p.status, p.page));
  return JsonReply(ListJson(items, p.page));
}

std::string DecisionJson(const Platform::ClientDecision& d) {
  JsonWriter w;
  w.BeginObject().Key("client");
  Write(w, d.client);
  w.OptField("token", d.token).EndObject();
  return w.Take();
}

Result<Reply> ApproveClient(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kOpt));
  ASSIGN_OR_RETURN(Platform::ClientDecision d, ctx.services.clients.ReviewClient(ctx.Who(), ctx.Param("id"), true, p.reason));
  return JsonReply(DecisionJson(d));
}

Result<Reply> RejectClient(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(Platform::ClientDecision d, ctx.services.clients.ReviewClient(ctx.Who(), ctx.Param("id"), false, p.reason));
  return JsonReply(DecisionJson(d));
}

Result<Reply> SuspendClient(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(Client c, ctx.services.clients.SuspendClient(ctx.Who(), ctx.Param("id"), p.reason));
  return JsonReply(ToJson(c));
}

Result<Reply> ResumeClient(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(Client c, ctx.services.clients.ResumeClient(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(c));
}

struct RateLimitParams {
  int per_minute = 0;
};
Result<RateLimitParams> ParseRateLimit(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  RateLimitParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Int("per_minute", &p.per_minute, kReq, 1, 1000000);
  RETURN_IF_ERROR(in.Finish());
  return p;
}
Result<Reply> SetClientRateLimit(Ctx& ctx) {
  ASSIGN_OR_RETURN(RateLimitParams p, ParseRateLimit(ctx));
  ASSIGN_OR_RETURN(Client c, ctx.services.clients.SetClientRateLimit(ctx.Who(), ctx.Param("id"), p.per_minute));
  return JsonReply(ToJson(c));
}

struct AuthoriseParams {
  std::string client_id;
  std::vector<std::string> seal_ids;
  Time valid_until{};
  SecretBytes password;
};
Result<AuthoriseParams> ParseAuthorise(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  AuthoriseParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("client_id", &p.client_id, kReq, 128)
      .StrList("seal_ids", &p.seal_ids, kReq, 1000)
      .Time("valid_until", &p.valid_until, kReq);
  std::string password;
  in.Str("password", &password, kOpt, 256);
  RETURN_IF_ERROR(in.Finish());
  p.password = SecretBytes(std::string_view(password));
  std::fill(password.begin(), password.end(), '\0');
  return p;
}
Result<Reply> Authorise(Ctx& ctx) {
  ASSIGN_OR_RETURN(AuthoriseParams p, ParseAuthorise(ctx));
  ASSIGN_OR_RETURN(VendorAuthorisation a, ctx.services.clients.Authorise(ctx.Who(), p.client_id, p.seal_ids, p.valid_until,
                                                                              p.password));
  return Created(ToJson(a));
}

Result<Reply> ListAuthorisations(Ctx& ctx) {
  ASSIGN_OR_RETURN(PageParams p, ParsePageOnly(ctx));
  ASSIGN_OR_RETURN(PageOf<VendorAuthorisation> items, ctx.services.clients.ListAuthorisations(ctx.Who(), p.page));
  return JsonReply(ListJson(items, p.page));
}

Result<Reply> WithdrawAuthorisation(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(VendorAuthorisation a, ctx.services.clients.WithdrawAuthorisation(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(a));
}

std::string BindingJson(const ClientBinding& b) {
  JsonWriter w;
  w.BeginObject().Field("client_id", b.client_id).Field("holder_id", b.holder_id).Field("status", Name(b.status));
  w.OptField("reason", b.reason).TimeField("requested_at", b.requested_at);
  w.OptField("decided_by", b.decided_by).TimeField("decided_at", b.decided_at).EndObject();
  return w.Take();
}

Result<Reply> ListBindingRequests(Ctx& ctx) {
  ASSIGN_OR_RETURN(auto p, ParseStatusPage<BindingStatus>(ctx, ParseBindingStatus));
  ASSIGN_OR_RETURN(std::vector<ClientBinding> items, ctx.services.clients.ListBindingRequests(ctx.Who(), p.status, p.page));
  std::string out = "{\"items\":[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + BindingJson(items[i]);
  return JsonReply(out + "]}");
}

Result<Reply> ConfirmBinding(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kOpt));
  ASSIGN_OR_RETURN(ClientBinding b, ctx.services.clients.DecideBinding(ctx.Who(), ctx.Param("id"), true, p.reason));
  return JsonReply(BindingJson(b));
}

Result<Reply> RefuseBinding(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(ClientBinding b, ctx.services.clients.DecideBinding(ctx.Who(), ctx.Param("id"), false, p.reason));
  return JsonReply(BindingJson(b));
}

std::string MakerJson(const VendorMaker& m) {
  JsonWriter w;
  w.BeginObject().Field("client_id", m.client_id).Field("anchor_id", m.anchor_id).Field("created_by", m.created_by);
  w.TimeField("created_at", m.created_at).EndObject();
  return w.Take();
}

struct MakerParams {
  std::string anchor_id;
};
Result<MakerParams> ParseMaker(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  MakerParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("anchor_id", &p.anchor_id, kReq, 128);
  RETURN_IF_ERROR(in.Finish());
  return p;
}
Result<Reply> RegisterVendorMaker(Ctx& ctx) {
  ASSIGN_OR_RETURN(MakerParams p, ParseMaker(ctx));
  ASSIGN_OR_RETURN(VendorMaker m, ctx.services.clients.RegisterVendorMaker(ctx.Who(), ctx.Param("id"), p.anchor_id));
  return Created(MakerJson(m));
}
Result<Reply> ListVendorMakers(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(std::vector<VendorMaker> items, ctx.services.clients.ListVendorMakers(ctx.Who(), ctx.Param("id")));
  std::string out = "{\"items\":[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + MakerJson(items[i]);
  return JsonReply(out + "]}");
}

}  // namespace

std::vector<Route> ClientsRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"POST", "/api/v1/clients/apply", kPub, kSmall, kJson, ClientApply},
      {"GET", "/api/v1/clients", kOp, kSmall, kNoBody, ListClients},
      {"POST", "/api/v1/clients/{id}/approve", kOp, kSmall, kJson, ApproveClient},
      {"POST", "/api/v1/clients/{id}/reject", kOp, kSmall, kJson, RejectClient},
      {"POST", "/api/v1/clients/{id}/suspend", kOp, kSmall, kJson, SuspendClient},
      {"POST", "/api/v1/clients/{id}/resume", kOp, kSmall, kJson, ResumeClient},
      {"PUT", "/api/v1/clients/{id}/rate-limit", kOp, kSmall, kJson, SetClientRateLimit},
      {"GET", "/api/v1/client-bindings", kAuth, kSmall, kNoBody, ListBindingRequests},
      {"POST", "/api/v1/clients/{id}/binding/confirm", kAuth, kSmall, kJson, ConfirmBinding},
      {"POST", "/api/v1/clients/{id}/binding/refuse", kAuth, kSmall, kJson, RefuseBinding},
      {"POST", "/api/v1/clients/{id}/makers", kOp, kSmall, kJson, RegisterVendorMaker},
      {"GET", "/api/v1/clients/{id}/makers", kAuth, kSmall, kNoBody, ListVendorMakers},
      {"POST", "/api/v1/authorisations", kAuth, kSmall, kJson, Authorise},
      {"GET", "/api/v1/authorisations", kAuth, kSmall, kNoBody, ListAuthorisations},
      {"POST", "/api/v1/authorisations/{id}/withdraw", kAuth, kSmall, kJson, WithdrawAuthorisation},
  };
}

}  // namespace eseal::http::routes
