// Mutual recognition and filing: seals filed from other systems, trust anchors and their
// CRLs, and filing batches for the national platform.
// Each route: a params parser (unknown fields, wrong types and missing fields are 400s
// naming the field), one use-case call, a renderer (render.h).
#include "routes/common.h"

namespace eseal::http::routes {
namespace {


struct FileSealParams {
  Bytes seal;
  std::string holder_uscc, seal_kind;
};
Result<FileSealParams> ParseFileSeal(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  FileSealParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Binary("seal", &p.seal, kReq).Str("holder_uscc", &p.holder_uscc, kReq, 64).Str("seal_kind", &p.seal_kind, kReq, 64);
  RETURN_IF_ERROR(in.Finish());
  return p;
}
Result<Reply> FileSeal(Ctx& ctx) {
  ASSIGN_OR_RETURN(FileSealParams p, ParseFileSeal(ctx));
  ASSIGN_OR_RETURN(Seal s, ctx.services.recognition.FileSeal(ctx.Who(), p.seal, p.holder_uscc, p.seal_kind));
  return Created(ToJson(s));
}

// `roles`: a list of role names (JSON array, or repeated form fields), each item possibly
// comma-separated ("seal_maker,signer"). Absent leaves `out` unset.
void ReadAnchorRoles(Input& in, std::optional<AnchorRoles>* out, Need need) {
  bool had = in.Has("roles");
  std::vector<std::string> items;
  in.StrList("roles", &items, need, 8);
  if (!had || !in.error().ok()) return;
  AnchorRoles roles = 0;
  for (const std::string& item : items) {
    Result<AnchorRoles> r = ParseAnchorRoles(item);
    if (!r.ok()) return in.Fail("roles", r.status().message());
    roles |= *r;
  }
  *out = roles;
}
// `maker_policies`: dotted OIDs, a list, each item possibly comma- or space-separated.
void ReadMakerPolicies(Input& in, std::optional<std::vector<std::string>>* out) {
  bool had = in.Has("maker_policies");
  std::vector<std::string> items;
  in.StrList("maker_policies", &items, kOpt, 16);
  if (!had || !in.error().ok()) return;
  std::vector<std::string> oids;
  for (const std::string& item : items) {
    size_t start = 0;
    while (start < item.size()) {
      size_t end = item.find_first_of(", \t\r\n", start);
      if (end == std::string::npos) end = item.size();
      if (end > start) oids.push_back(item.substr(start, end - start));
      start = end + 1;
    }
  }
  *out = std::move(oids);
}

Result<Platform::AnchorInput> ParseAnchor(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::AnchorInput a;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("system_name", &a.system_name, kReq, 300).Enum("kind", &a.kind, ParseAnchorKind, kReq);
  ReadDerOrPem(in, "certificate", &a.cert_der, kReq);
  ReadDerOrPem(in, "crl", &a.crl_der, kOpt);
  ReadDerOrPemList(in, "intermediates", &a.intermediates, 8);
  in.Str("crl_url", &a.crl_url, kOpt, 2000).Str("status_url", &a.status_url, kOpt, 2000);
  ReadAnchorRoles(in, &a.roles, kOpt);
  ReadMakerPolicies(in, &a.maker_policies);
  RETURN_IF_ERROR(in.Finish());
  return a;
}
Result<Reply> RegisterAnchor(Ctx& ctx) {
  ASSIGN_OR_RETURN(Platform::AnchorInput a, ParseAnchor(ctx));
  ASSIGN_OR_RETURN(TrustAnchorRecord r, ctx.services.recognition.RegisterAnchor(ctx.Who(), a));
  return Created(ToJson(r));
}

Result<Reply> ListAnchors(Ctx& ctx) {
  ASSIGN_OR_RETURN(PageParams p, ParsePageOnly(ctx));
  ASSIGN_OR_RETURN(PageOf<TrustAnchorRecord> items, ctx.services.recognition.ListAnchors(ctx.Who(), p.page));
  return JsonReply(ListJson(items, p.page));
}

Result<Bytes> ParseAnchorCrl(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Bytes crl;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  ReadDerOrPem(in, "crl", &crl, kReq);
  RETURN_IF_ERROR(in.Finish());
  return crl;
}
Result<Reply> UpdateAnchorCrl(Ctx& ctx) {
  ASSIGN_OR_RETURN(Bytes crl, ParseAnchorCrl(ctx));
  ASSIGN_OR_RETURN(TrustAnchorRecord r, ctx.services.recognition.UpdateAnchorCrl(ctx.Who(), ctx.Param("id"), crl));
  return JsonReply(ToJson(r));
}

struct AnchorRolesParams {
  AnchorRoles roles = 0;
  std::optional<std::vector<std::string>> maker_policies;
};
Result<AnchorRolesParams> ParseAnchorRolesBody(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  AnchorRolesParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  std::optional<AnchorRoles> roles;
  ReadAnchorRoles(in, &roles, kReq);
  ReadMakerPolicies(in, &p.maker_policies);
  RETURN_IF_ERROR(in.Finish());
  p.roles = roles.value_or(0);
  return p;
}
Result<Reply> SetAnchorRoles(Ctx& ctx) {
  ASSIGN_OR_RETURN(AnchorRolesParams p, ParseAnchorRolesBody(ctx));
  ASSIGN_OR_RETURN(TrustAnchorRecord r,
                   ctx.services.recognition.SetAnchorRoles(ctx.Who(), ctx.Param("id"), p.roles, p.maker_policies));
  return JsonReply(ToJson(r));
}

Result<Reply> DeactivateAnchor(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(TrustAnchorRecord r, ctx.services.recognition.DeactivateAnchor(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(r));
}

// ---- filing with the national platform -----------------------------------------------------

Result<Reply> ListFilings(Ctx& ctx) {
  ASSIGN_OR_RETURN(auto p, ParseStatusPage<FilingStatus>(ctx, ParseFilingStatus));
  ASSIGN_OR_RETURN(PageOf<FilingRecord> items, ctx.services.recognition.ListFilings(ctx.Who(), p.status, p.page));
  return JsonReply(ListJson(items, p.page));
}

Result<Reply> ExportFilings(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(FilingBatch b, ctx.services.recognition.ExportFilings(ctx.Who()));
  return Created(ToJson(b));
}

Result<Reply> GetFilingBatch(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(FilingBatch b, ctx.services.recognition.GetFilingBatch(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(b));
}

Result<Reply> AcknowledgeFilingBatch(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(FilingBatch b, ctx.services.recognition.AcknowledgeFilingBatch(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(b));
}

}  // namespace

std::vector<Route> RecognitionRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"POST", "/api/v1/filed-seals", kAuth, kLarge, kForm, FileSeal},
      {"POST", "/api/v1/anchors", kOp, kLarge, kForm, RegisterAnchor},
      {"GET", "/api/v1/anchors", kAuth, kSmall, kNoBody, ListAnchors},
      {"PUT", "/api/v1/anchors/{id}/roles", kOp, kSmall, kJson, SetAnchorRoles},
      {"POST", "/api/v1/anchors/{id}/deactivate", kOp, kSmall, kJson, DeactivateAnchor},
      {"POST", "/api/v1/anchors/{id}/crl", kOp, kLarge, kForm, UpdateAnchorCrl},
      {"GET", "/api/v1/filings", kOp, kSmall, kNoBody, ListFilings},
      {"POST", "/api/v1/filings/export", kOp, kSmall, kJson, ExportFilings},
      {"GET", "/api/v1/filings/batches/{id}", kOp, kSmall, kNoBody, GetFilingBatch},
      {"POST", "/api/v1/filings/batches/{id}/acknowledge", kOp, kSmall, kJson, AcknowledgeFilingBatch},
  };
}

}  // namespace eseal::http::routes
