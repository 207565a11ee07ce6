// Trusted time: the platform's RFC 3161 timestamp authority over HTTP.
// Each route: a params parser (unknown fields, wrong types and missing fields are 400s
// naming the field), one use-case call, a renderer (render.h).
#include "routes/common.h"

namespace eseal::http::routes {
namespace {

// RFC 3161 over HTTP (§3.4): a DER TimeStampReq in, a DER TimeStampResp out. Bad requests
// get a rejection reply (status 200, as the protocol wants); only an empty body is a 400.
Result<Reply> Tsa(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  if (ctx.req.body.empty()) {
    return InvalidArgumentError("请求为空：请发送 DER 编码的时间戳请求（Content-Type: application/timestamp-query）。 / "
                                "请求体为空，请以 application/timestamp-query 发送 DER 编码的时间戳请求 / the body is empty: send a DER TimeStampReq as application/timestamp-query");
  }
  std::string requester = ctx.caller ? ctx.caller->ActorId() : "addr:" + ctx.req.remote_addr;
  ASSIGN_OR_RETURN(Bytes reply, ctx.services.trusted_time.Timestamp(AsBytes(ctx.req.body), requester));
  return Binary("application/timestamp-reply", reply);
}

}  // namespace

std::vector<Route> TrustedTimeRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"POST", "/api/v1/tsa", kPub, kSmall, kTimestampQuery, Tsa},
  };
}

}  // namespace eseal::http::routes
