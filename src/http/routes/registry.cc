// The registry: holders by USCC, impressions, and the administrative areas.
// Each route: a params parser (unknown fields, wrong types and missing fields are 400s
// naming the field), one use-case call, a renderer (render.h).
#include "routes/common.h"

namespace eseal::http::routes {
namespace {

void ReadHolder(Input& in, Platform::HolderInput* h) {
  // Only the fields given change a holder on record (name and legal_rep are needed for a
  // new USCC; the platform says so).
  in.Enum("kind", &h->kind, ParseHolderKind, kOpt)
      .Str("uscc", &h->uscc, kReq, 64)
      .OptStr("name", &h->name, kOpt, 300)
      .OptStr("legal_rep", &h->legal_rep, kOpt, 100)
      .OptStr("area_code", &h->area_code, kOpt, 16)
      .Enum("status", &h->status, ParseHolderStatus, kOpt);
  // Checked here too, so that a batch with one bad code writes nothing.
  if (in.error().ok()) {
    Status st = ValidateUscc(h->uscc);
    if (!st.ok()) in.Fail("uscc", st.message());
  }
}

struct HoldersParams {
  bool batch = false;
  std::vector<Platform::HolderInput> items;
};
Result<HoldersParams> ParseHolders(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  HoldersParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  if (in.Has("holders")) {
    p.batch = true;
    in.Objects(
        "holders",
        [&](Input& item, size_t) {
          Platform::HolderInput h;
          ReadHolder(item, &h);
          p.items.push_back(std::move(h));
        },
        kReq, 1000);
  } else {
    Platform::HolderInput h;
    ReadHolder(in, &h);
    p.items.push_back(std::move(h));
  }
  RETURN_IF_ERROR(in.Finish());
  if (p.items.empty()) return InvalidArgumentError("字段“holders”不能为空，请至少列出一个单位 / field 'holders' must not be empty");
  return p;
}
Result<Reply> UpsertHolders(Ctx& ctx) {
  ASSIGN_OR_RETURN(HoldersParams p, ParseHolders(ctx));
  std::vector<Holder> done;
  for (size_t i = 0; i < p.items.size(); ++i) {
    Result<Holder> h = ctx.services.registry.UpsertHolder(ctx.Who(), p.items[i]);
    if (!h.ok()) {
      if (!p.batch) return h.status();
      return h.status().WithContext("holders[" + std::to_string(i) + "] (" + std::to_string(i) +
                                    " written before it)");
    }
    done.push_back(*std::move(h));
  }
  if (!p.batch) return JsonReply(ToJson(done.front()));
  return JsonReply(ListJson(done));
}

struct ListHoldersParams {
  HolderRepository::Filter filter;
  Page page;
};
Result<ListHoldersParams> ParseListHolders(Ctx& ctx) {
  ListHoldersParams p;
  Input q = Query(ctx);
  q.Enum("kind", &p.filter.kind, ParseHolderKind, kOpt)
      .Enum("status", &p.filter.status, ParseHolderStatus, kOpt)
      .Str("area", &p.filter.area_prefix, kOpt, 16)
      .Str("name", &p.filter.name_contains, kOpt, 300)
      .Str("uscc", &p.filter.uscc, kOpt, 64);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  return p;
}
Result<Reply> ListHolders(Ctx& ctx) {
  ASSIGN_OR_RETURN(ListHoldersParams p, ParseListHolders(ctx));
  ASSIGN_OR_RETURN(PageOf<Holder> items, ctx.services.registry.ListHolders(ctx.Who(), p.filter, p.page));
  return JsonReply(ListJson(items, p.page));
}

Result<Reply> GetHolder(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Holder h, ctx.services.registry.GetHolder(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(h));
}

struct ImpressionParams {
  std::string holder_id, kind;
  Bytes png;
};
Result<ImpressionParams> ParseImpression(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ImpressionParams p;
  p.holder_id = ctx.Param("id");
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("kind", &p.kind, kReq, 64).Binary("image", &p.png, kReq);
  RETURN_IF_ERROR(in.Finish());
  return p;
}
Result<Reply> AttachImpression(Ctx& ctx) {
  ASSIGN_OR_RETURN(ImpressionParams p, ParseImpression(ctx));
  ASSIGN_OR_RETURN(Impression i, ctx.services.registry.AttachImpression(ctx.Who(), p.holder_id, p.kind, p.png));
  return Created(ToJson(i));
}

Result<AreaLevel> ParseAreaLevel(std::string_view s) {
  for (AreaLevel l : {AreaLevel::kRegion, AreaLevel::kCity, AreaLevel::kCounty}) {
    if (Name(l) == s) return l;
  }
  return InvalidArgumentError("unknown area level '" + std::string(s.substr(0, 40)) +
                              "' (one of: region, city, county)");
}

Result<Area> ParsePutArea(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Area a;
  a.code = ctx.Param("code");
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("name", &a.name, kReq, 300)
      .Enum("level", &a.level, ParseAreaLevel, kReq)
      .Str("parent_code", &a.parent_code, kOpt, 16);
  RETURN_IF_ERROR(in.Finish());
  return a;
}
Result<Reply> PutArea(Ctx& ctx) {
  ASSIGN_OR_RETURN(Area a, ParsePutArea(ctx));
  ASSIGN_OR_RETURN(Area out, ctx.services.registry.UpsertArea(ctx.Who(), a));
  return JsonReply(ToJson(out));
}

Result<Reply> ListAreas(Ctx& ctx) {
  ASSIGN_OR_RETURN(PageParams p, ParsePageOnly(ctx));
  ASSIGN_OR_RETURN(PageOf<Area> items, ctx.services.registry.ListAreas(ctx.Who(), p.page));
  return JsonReply(ListJson(items, p.page));
}

}  // namespace

std::vector<Route> RegistryRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"POST", "/api/v1/holders", kAuth, kSmall, kJson, UpsertHolders},
      {"GET", "/api/v1/holders", kAuth, kSmall, kNoBody, ListHolders},
      {"GET", "/api/v1/holders/{id}", kAuth, kSmall, kNoBody, GetHolder},
      {"POST", "/api/v1/holders/{id}/impressions", kAuth, kLarge, kForm, AttachImpression},
      {"PUT", "/api/v1/areas/{code}", kOp, kSmall, kJson, PutArea},
      {"GET", "/api/v1/areas", kAuth, kSmall, kNoBody, ListAreas},
  };
}

}  // namespace eseal::http::routes
