// Archives of signed government documents.
// Each route: a params parser (unknown fields, wrong types and missing fields are 400s
// naming the field), one use-case call, a renderer (render.h).
#include "routes/common.h"

namespace eseal::http::routes {
namespace {


struct ArchiveParams {
  Bytes owned;
  ByteView document;
  std::string name;
};
Result<ArchiveParams> ParseArchive(Ctx& ctx) {
  ArchiveParams p;
  if (IsRawDocument(ctx)) {
    Input q = Query(ctx);
    q.Str("name", &p.name, kOpt, 255);
    RETURN_IF_ERROR(q.Finish());
    if (ctx.req.body.empty()) return InvalidArgumentError("请求体为空，请上传已签章的 OFD 文件 / the body is empty: send the signed OFD document");
    p.document = AsBytes(ctx.req.body);
  } else {
    RETURN_IF_ERROR(NoQuery(ctx));
    ASSIGN_OR_RETURN(Input in, Body(ctx));
    std::string filename;
    in.Binary("document", &p.owned, kReq, &filename).Str("name", &p.name, kOpt, 255);
    RETURN_IF_ERROR(in.Finish());
    if (p.name.empty()) p.name = filename;
    p.document = p.owned;
  }
  if (p.name.empty()) p.name = "document.ofd";
  return p;
}
Result<Reply> CreateArchive(Ctx& ctx) {
  ASSIGN_OR_RETURN(ArchiveParams p, ParseArchive(ctx));
  ASSIGN_OR_RETURN(ArchiveEntry e, ctx.services.archives.Archive(ctx.Who(), p.document, p.name));
  return Created(ToJson(e));
}


Result<Reply> ListArchives(Ctx& ctx) {
  ASSIGN_OR_RETURN(PageParams p, ParsePageOnly(ctx));
  ASSIGN_OR_RETURN(PageOf<ArchiveEntry> items, ctx.services.archives.ListArchives(ctx.Who(), p.page));
  return JsonReply(ListJson(items, p.page));
}

Result<Reply> GetArchive(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(ArchiveEntry e, ctx.services.archives.GetArchive(ctx.Who(), ctx.Param("id")));
  JsonWriter w;
  WriteArchive(w, e, /*with_document=*/true);
  return JsonReply(w.Take());
}

Result<Reply> VerifyArchive(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Report r, ctx.services.archives.VerifyArchive(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(r));
}

}  // namespace

std::vector<Route> ArchivesRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"POST", "/api/v1/archives", kAuth, kLarge, kDoc, CreateArchive},
      {"GET", "/api/v1/archives", kAuth, kSmall, kNoBody, ListArchives},
      {"GET", "/api/v1/archives/{id}", kAuth, kSmall, kNoBody, GetArchive},
      {"GET", "/api/v1/archives/{id}/verify", kAuth, kSmall, kNoBody, VerifyArchive},
  };
}

}  // namespace eseal::http::routes
