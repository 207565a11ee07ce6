// Operations: liveness and the clock and TSA state (/healthz), Prometheus metrics, and the
// API contract itself.
// Each route: a params parser (unknown fields, wrong types and missing fields are 400s
// naming the field), one use-case call, a renderer (render.h).
#include "routes/common.h"

namespace eseal::http::routes {
namespace {


// "ok" while the platform can sign; "degraded" while its TSA issues no tokens (then
// nothing is signed: an unsynchronised clock, docs/trusted-time.md). Still 200: the
// process is alive and verifies; monitors read the fields.
Result<Reply> Healthz(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::TimeStatus t = ctx.services.trusted_time.TimeState();
  bool signing = t.external_tsa || t.issuing;
  JsonWriter w;
  w.BeginObject().Field("status", signing ? "ok" : "degraded");
  w.Key("clock").BeginObject().Field("synchronised", t.clock_synchronised)
      .Field("unsynchronised_accepted", t.unsynchronised_accepted).Field("detail", t.clock_detail).EndObject();
  w.Key("tsa").BeginObject().Field("mode", t.external_tsa ? "external" : "in-process")
      .Field("issuing", t.issuing).EndObject();
  w.EndObject();
  return JsonReply(w.Take());
}

Result<Reply> MetricsText(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::TimeStatus t = ctx.services.trusted_time.TimeState();
  Reply r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = ctx.metrics.Render();
  r.body += "# HELP eseal_clock_synchronised Whether the kernel reports the clock synchronised (NTP/PTP).\n"
            "# TYPE eseal_clock_synchronised gauge\n"
            "eseal_clock_synchronised " + std::string(t.clock_synchronised ? "1" : "0") + "\n"
            "# HELP eseal_clock_unsynchronised_accepted Whether the server was told to accept an unsynchronised clock.\n"
            "# TYPE eseal_clock_unsynchronised_accepted gauge\n"
            "eseal_clock_unsynchronised_accepted " + std::string(t.unsynchronised_accepted ? "1" : "0") + "\n"
            "# HELP eseal_tsa_issuing Whether the platform's own TSA issues tokens now.\n"
            "# TYPE eseal_tsa_issuing gauge\n"
            "eseal_tsa_issuing " + std::string(t.issuing ? "1" : "0") + "\n"
            "# HELP eseal_tsa_tokens_issued_total Tokens the platform's own TSA issued since start.\n"
            "# TYPE eseal_tsa_tokens_issued_total counter\n"
            "eseal_tsa_tokens_issued_total " + std::to_string(t.tokens_issued) + "\n";
  return r;
}


Result<Reply> OpenApi(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Reply r;
  r.content_type = "application/yaml";
  r.body = std::string(OpenApiYaml());
  return r;
}

}  // namespace

std::vector<Route> OperationsRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"GET", "/healthz", kPub, kSmall, kNoBody, Healthz},
      {"GET", "/metrics", kPub, kSmall, kNoBody, MetricsText},
      {"GET", "/api/v1/openapi.yaml", kPub, kSmall, kNoBody, OpenApi},
  };
}

}  // namespace eseal::http::routes
