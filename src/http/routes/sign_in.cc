// People sign in (docs/security.md "Credentials"): enrolment with the one-time code, sign-in
// with password and TOTP into a browser session (an HttpOnly, Secure, SameSite=Strict
// cookie, and a CSRF token the page sends back in X-CSRF-Token), sign-out, and changing
// one's own password.
#include "routes/common.h"

namespace eseal::http::routes {
namespace {

// The cookie that carries a session; the API reads it (api.cc) when no bearer token is sent.
// No Max-Age: the browser forgets it when it closes; the platform ends it sooner (idle
// and absolute ends). Clearing sends Max-Age=0.
std::string SessionCookie(std::string_view value, bool clear = false) {
  return std::string(kSessionCookie) + "=" + std::string(value) + "; Path=/; HttpOnly; Secure; SameSite=Strict" +
         (clear ? "; Max-Age=0" : "");
}

Result<Platform::EnrolInput> ParseEnrol(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::EnrolInput e;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("login", &e.login, kReq, 64).Str("enrolment_code", &e.enrolment_code, kReq, 64).Secret("password", &e.password, kReq);
  Status st = in.Finish();
  WipeBody(ctx);
  RETURN_IF_ERROR(st);
  return e;
}
Result<Reply> Enrol(Ctx& ctx) {
  ASSIGN_OR_RETURN(Platform::EnrolInput e, ParseEnrol(ctx));
  ASSIGN_OR_RETURN(Platform::Enrolment out, ctx.services.credentials.Enrol(e));
  JsonWriter w;
  w.BeginObject().Field("totp_required", out.totp_required);
  if (out.totp_required) w.Field("totp_secret", out.totp_secret).Field("otpauth_uri", out.otpauth_uri);
  w.EndObject();
  Reply r = JsonReply(w.Take());
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Result<Platform::SignInInput> ParseSignIn(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::SignInInput s;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("login", &s.login, kReq, 64).Secret("password", &s.password, kReq).Str("totp", &s.totp, kOpt, 8);
  Status st = in.Finish();
  WipeBody(ctx);
  RETURN_IF_ERROR(st);
  s.remote = ctx.req.remote_addr;
  return s;
}
Result<Reply> SignIn(Ctx& ctx) {
  ASSIGN_OR_RETURN(Platform::SignInInput s, ParseSignIn(ctx));
  ASSIGN_OR_RETURN(Platform::NewSession out, ctx.services.credentials.SignIn(s));
  JsonWriter w;
  w.BeginObject().Key("account");
  Write(w, out.account);
  w.Field("csrf_token", out.csrf_token)
      .TimeField("expires_at", out.expires_at)
      .Field("idle_seconds", static_cast<int64_t>(out.idle_seconds))
      .EndObject();
  Reply r = Created(w.Take());
  r.headers.emplace_back("Set-Cookie", SessionCookie(out.token));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Result<Reply> SignOut(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  std::string token = SessionFromCookie(ctx.req);
  if (!token.empty()) RETURN_IF_ERROR(ctx.services.credentials.SignOut(token));
  Reply r = JsonReply(R"({"signed_out":true})");
  r.headers.emplace_back("Set-Cookie", SessionCookie("", true));
  return r;
}

struct OwnPasswordParams {
  SecretBytes old_password, new_password;
};
Result<OwnPasswordParams> ParseOwnPassword(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  OwnPasswordParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Secret("old_password", &p.old_password, kReq).Secret("new_password", &p.new_password, kReq);
  Status st = in.Finish();
  WipeBody(ctx);
  RETURN_IF_ERROR(st);
  return p;
}
Result<Reply> ChangeOwnPassword(Ctx& ctx) {
  ASSIGN_OR_RETURN(OwnPasswordParams p, ParseOwnPassword(ctx));
  RETURN_IF_ERROR(ctx.services.credentials.ChangeOwnPassword(ctx.Who(), p.old_password, p.new_password));
  Reply r = JsonReply(R"({"password_changed":true,"sessions_ended":true})");
  r.headers.emplace_back("Set-Cookie", SessionCookie("", true));
  return r;
}

}  // namespace

std::vector<Route> SignInRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"POST", "/api/v1/enrol", kPub, kSmall, kJson, Enrol},
      {"POST", "/api/v1/session", kPub, kSmall, kJson, SignIn},
      {"POST", "/api/v1/session/end", kPub, kSmall, kJson, SignOut},
      {"POST", "/api/v1/me/password", kAuth, kSmall, kJson, ChangeOwnPassword},
  };
}

}  // namespace eseal::http::routes
