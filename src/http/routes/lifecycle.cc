// The seal lifecycle: applications and reviews, and the seals themselves (read, suspend,
// resume, revoke, unlock, password change).
// Each route: a params parser (unknown fields, wrong types and missing fields are 400s
// naming the field), one use-case call, a renderer (render.h).
#include "routes/common.h"

namespace eseal::http::routes {
namespace {


Result<Platform::ApplyInput> ParseApply(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::ApplyInput a;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Enum("type", &a.type, ParseApplicationType, kReq)
      .Str("holder_id", &a.holder_id, kOpt, 128)
      .Str("seal_kind", &a.seal_kind, kOpt, 64)
      .Str("seal_id", &a.seal_id, kOpt, 128)
      .Str("seal_name", &a.seal_name, kOpt, 300)
      .Str("reason", &a.reason, kOpt, 2000)
      .Secret("password", &a.password, kOpt);
  Status st = in.Finish();
  WipeBody(ctx);
  RETURN_IF_ERROR(st);
  return a;
}
Result<Reply> Apply(Ctx& ctx) {
  ASSIGN_OR_RETURN(Platform::ApplyInput a, ParseApply(ctx));
  ASSIGN_OR_RETURN(Application app, ctx.services.lifecycle.Apply(ctx.Who(), std::move(a)));
  return Created(ToJson(app));
}

struct ApplicationPasswordParams {
  SecretBytes password;
};
Result<ApplicationPasswordParams> ParseApplicationPassword(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ApplicationPasswordParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Secret("password", &p.password, kReq);
  Status st = in.Finish();
  WipeBody(ctx);
  RETURN_IF_ERROR(st);
  return p;
}
Result<Reply> SetApplicationPassword(Ctx& ctx) {
  ASSIGN_OR_RETURN(ApplicationPasswordParams p, ParseApplicationPassword(ctx));
  ASSIGN_OR_RETURN(Application app, ctx.services.lifecycle.SetApplicationPassword(ctx.Who(), ctx.Param("id"),
                                                                                  std::move(p.password)));
  return JsonReply(ToJson(app));
}

struct ListApplicationsParams {
  ApplicationRepository::Filter filter;
  Page page;
};
Result<ListApplicationsParams> ParseListApplications(Ctx& ctx) {
  ListApplicationsParams p;
  Input q = Query(ctx);
  q.Str("holder_id", &p.filter.holder_id, kOpt, 128)
      .Enum("status", &p.filter.status, ParseApplicationStatus, kOpt)
      .Enum("type", &p.filter.type, ParseApplicationType, kOpt);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  return p;
}
Result<Reply> ListApplications(Ctx& ctx) {
  ASSIGN_OR_RETURN(ListApplicationsParams p, ParseListApplications(ctx));
  ASSIGN_OR_RETURN(PageOf<Application> items, ctx.services.lifecycle.ListApplications(ctx.Who(), p.filter, p.page));
  return JsonReply(ListJson(items, p.page));
}

Result<Reply> GetApplication(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Application a, ctx.services.lifecycle.GetApplication(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(a));
}

Result<Reply> ApproveApplication(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kOpt));
  ASSIGN_OR_RETURN(Application a, ctx.services.lifecycle.Review(ctx.Who(), ctx.Param("id"), true, p.reason));
  return JsonReply(ToJson(a));
}

Result<Reply> RejectApplication(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(Application a, ctx.services.lifecycle.Review(ctx.Who(), ctx.Param("id"), false, p.reason));
  return JsonReply(ToJson(a));
}


Result<Reply> SetAutoApprove(Ctx& ctx) {
  ASSIGN_OR_RETURN(SwitchParams p, ParseSwitch(ctx, "enabled"));
  RETURN_IF_ERROR(ctx.services.lifecycle.SetAutoApprove(ctx.Who(), p.on));
  return JsonReply(p.on ? R"({"enabled":true})" : R"({"enabled":false})");
}

// ---- seals ---------------------------------------------------------------------------------

struct ListSealsParams {
  SealRepository::Filter filter;
  Page page;
};
Result<ListSealsParams> ParseListSeals(Ctx& ctx) {
  ListSealsParams p;
  Input q = Query(ctx);
  q.Str("holder_id", &p.filter.holder_id, kOpt, 128)
      .Str("kind", &p.filter.kind, kOpt, 64)
      .Enum("status", &p.filter.status, ParseSealStatus, kOpt)
      .Enum("origin", &p.filter.origin, ParseSealOrigin, kOpt);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  return p;
}
Result<Reply> ListSeals(Ctx& ctx) {
  ASSIGN_OR_RETURN(ListSealsParams p, ParseListSeals(ctx));
  ASSIGN_OR_RETURN(PageOf<Seal> items, ctx.services.lifecycle.ListSeals(ctx.Who(), p.filter, p.page));
  return JsonReply(ListJson(items, p.page));
}

Result<Reply> GetSeal(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Seal s, ctx.services.lifecycle.GetSeal(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(s));
}

Result<Reply> GetSealEsl(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Seal s, ctx.services.lifecycle.GetSeal(ctx.Who(), ctx.Param("id")));
  Reply r = Binary("application/octet-stream", s.seal_der);
  r.headers.emplace_back("Content-Disposition", Attachment((s.esid.empty() ? s.id : s.esid) + ".esl"));
  return r;
}

Result<Reply> GetSealImage(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Seal s, ctx.services.lifecycle.GetSeal(ctx.Who(), ctx.Param("id")));
  if (s.image_png.empty()) return NotFoundError("this seal has no PNG image");
  return Binary("image/png", s.image_png);
}

Result<Reply> SuspendSeal(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(Seal s, ctx.services.lifecycle.Suspend(ctx.Who(), ctx.Param("id"), p.reason));
  return JsonReply(ToJson(s));
}

Result<Reply> ResumeSeal(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kOpt));
  ASSIGN_OR_RETURN(Seal s, ctx.services.lifecycle.Resume(ctx.Who(), ctx.Param("id"), p.reason));
  return JsonReply(ToJson(s));
}

Result<Reply> RevokeSeal(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(Seal s, ctx.services.lifecycle.Revoke(ctx.Who(), ctx.Param("id"), p.reason));
  return JsonReply(ToJson(s));
}

Result<Reply> UnlockSeal(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(Seal s, ctx.services.lifecycle.Unlock(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(s));
}

struct PasswordParams {
  std::string application_id;
  SecretBytes old_password, new_password;
};
Result<PasswordParams> ParsePassword(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  PasswordParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("application_id", &p.application_id, kReq, 128)
      .Secret("old_password", &p.old_password, kReq)
      .Secret("new_password", &p.new_password, kReq);
  Status st = in.Finish();
  WipeBody(ctx);
  RETURN_IF_ERROR(st);
  return p;
}
Result<Reply> ChangePassword(Ctx& ctx) {
  ASSIGN_OR_RETURN(PasswordParams p, ParsePassword(ctx));
  // The application names the seal; {id} (its id or ESID) must be that seal, so that the
  // answer never names a seal whose password did not change.
  ASSIGN_OR_RETURN(Application app, ctx.services.lifecycle.GetApplication(ctx.Who(), p.application_id));
  std::string_view path_seal = ctx.Param("id");
  if (app.seal_id.empty() || app.seal_id != path_seal) {
    Result<Seal> s = ctx.services.lifecycle.GetSeal(ctx.Who(), path_seal);
    if (!s.ok() && s.status().code() != StatusCode::kNotFound) return s.status();
    if (app.seal_id.empty() || !s.ok() || s->id != app.seal_id) {
      return InvalidArgumentError("application " + p.application_id + " is not for seal " + std::string(path_seal));
    }
  }
  RETURN_IF_ERROR(ctx.services.lifecycle.ChangePassword(ctx.Who(), p.application_id, p.old_password, p.new_password));
  JsonWriter w;
  w.BeginObject().Field("seal_id", app.seal_id).Field("application_id", p.application_id);
  w.Field("password_changed", true).EndObject();
  return JsonReply(w.Take());
}

}  // namespace

std::vector<Route> LifecycleRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"POST", "/api/v1/applications", kAuth, kSmall, kJson, Apply},
      {"GET", "/api/v1/applications", kAuth, kSmall, kNoBody, ListApplications},
      {"GET", "/api/v1/applications/{id}", kAuth, kSmall, kNoBody, GetApplication},
      {"POST", "/api/v1/applications/{id}/password", kAuth, kSmall, kJson, SetApplicationPassword},
      {"POST", "/api/v1/applications/{id}/approve", kAuth, kSmall, kJson, ApproveApplication},
      {"POST", "/api/v1/applications/{id}/reject", kAuth, kSmall, kJson, RejectApplication},
      {"PUT", "/api/v1/settings/auto-approve", kOp, kSmall, kJson, SetAutoApprove},
      {"GET", "/api/v1/seals", kAuth, kSmall, kNoBody, ListSeals},
      {"GET", "/api/v1/seals/{id}", kAuth, kSmall, kNoBody, GetSeal},
      {"GET", "/api/v1/seals/{id}/seal.esl", kAuth, kSmall, kNoBody, GetSealEsl},
      {"GET", "/api/v1/seals/{id}/image.png", kAuth, kSmall, kNoBody, GetSealImage},
      {"POST", "/api/v1/seals/{id}/suspend", kAuth, kSmall, kJson, SuspendSeal},
      {"POST", "/api/v1/seals/{id}/resume", kAuth, kSmall, kJson, ResumeSeal},
      {"POST", "/api/v1/seals/{id}/revoke", kAuth, kSmall, kJson, RevokeSeal},
      {"POST", "/api/v1/seals/{id}/unlock", kOp, kSmall, kJson, UnlockSeal},
      {"POST", "/api/v1/seals/{id}/password", kAuth, kSmall, kJson, ChangePassword},
  };
}

}  // namespace eseal::http::routes
