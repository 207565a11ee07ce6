// The route table of the HTTP API (api/openapi.yaml is its contract; a test keeps the two
// equal). Each route has a params parser that validates the request into a typed struct
// (unknown fields, wrong types and missing fields are 400s naming the field), a handler
// that calls one Platform use case, and a renderer (render.h). No SQL, no crypto and no
// policy here: the platform decides who may do what.
#include <algorithm>
#include <cstdio>

#include "api.h"
#include "eseal/base/clock.h"
#include "render.h"

namespace eseal::http {

using platform::Platform;
using namespace platform;  // records, enums, Name() and Parse*()

namespace {

constexpr Need kReq = Need::kRequired;
constexpr Need kOpt = Need::kOptional;

// ---- shared parsing ----------------------------------------------------------------------

// Refuses query parameters on routes that take none.
Status NoQuery(Ctx& ctx) { return Input::FromQuery(&ctx.req.query).Finish(); }

Input Query(Ctx& ctx) { return Input::FromQuery(&ctx.req.query); }

// The body's parameters: multipart fields, or a JSON object (an empty body: none).
Result<Input> Body(Ctx& ctx) {
  if (ctx.req.IsMultipart()) return Input::FromParts(&ctx.req.parts);
  if (ctx.req.body.empty()) return Input::Empty();
  return Input::FromJson(ctx.req.body);
}

// Forgets a body that carried a password once it has been parsed.
void WipeBody(Ctx& ctx) {
  if (!ctx.req.body.empty()) SecureZero(ctx.req.body.data(), ctx.req.body.size());
  for (Part& p : ctx.req.parts) {
    if (!p.data.empty()) SecureZero(p.data.data(), p.data.size());
  }
}

bool IsRawDocument(const Ctx& ctx) {
  std::string mt = ctx.req.MediaType();
  return mt == "application/ofd" || mt == "application/octet-stream";
}

void ReadPage(Input& q, Page* page) {
  q.Int("limit", &page->limit, kOpt, 1, 1000);
  q.Int("offset", &page->offset, kOpt, 0, 1000000000);
}

// A body with only an optional or required "reason".
struct ReasonParams {
  std::string reason;
};
Result<ReasonParams> ParseReason(Ctx& ctx, Need need) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ReasonParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("reason", &p.reason, need, 2000);
  RETURN_IF_ERROR(in.Finish());
  if (need == kReq && p.reason.empty()) return InvalidArgumentError("field 'reason' must not be empty");
  return p;
}

// An action without parameters (an empty body or {}).
Status ParseNothing(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  return in.Finish();
}

// DER from base64 (JSON) or raw bytes (multipart), either of which may be PEM text.
Bytes PemToDerOr(Bytes data, bool* bad) {
  std::string_view text = AsChars(data);
  auto begin = text.find("-----BEGIN");
  if (begin == std::string_view::npos) return data;
  auto body = text.find('\n', begin);
  auto end = text.find("-----END", begin);
  if (body == std::string_view::npos || end == std::string_view::npos || end < body) {
    *bad = true;
    return {};
  }
  auto der = Base64Decode(text.substr(body + 1, end - body - 1));
  if (!der.ok()) {
    *bad = true;
    return {};
  }
  return *der;
}

// The field's bytes: base64 DER or PEM text in JSON, a file in multipart. False when absent
// or refused (the refusal is recorded in `in`).
bool ReadDerOrPemRaw(Input& in, std::string_view key, Bytes* raw, Need need) {
  if (!in.Has(key)) {
    if (need == kReq) in.Fail(key, "is required");
    in.Str(key, nullptr, kOpt);  // marks it known
    return false;
  }
  if (in.is_json()) {
    std::string text;
    in.Str(key, &text, need, size_t{4} << 20);
    if (!in.error().ok()) return false;
    if (text.find("-----BEGIN") != std::string::npos) {
      *raw = ToBytes(text);
    } else {
      auto b = Base64Decode(text);
      if (!b.ok()) {
        in.Fail(key, "must be base64 DER or PEM text");
        return false;
      }
      *raw = std::move(*b);
    }
  } else {
    in.Binary(key, raw, need);
    if (!in.error().ok()) return false;
  }
  return true;
}

void ReadDerOrPem(Input& in, std::string_view key, Bytes* out, Need need) {
  Bytes raw;
  if (!ReadDerOrPemRaw(in, key, &raw, need)) return;
  bool bad = false;
  Bytes der = PemToDerOr(std::move(raw), &bad);
  if (bad) {
    in.Fail(key, "is not well-formed PEM");
    return;
  }
  *out = std::move(der);
}

// Several objects in one field: a PEM bundle (blocks one after another) or a single DER.
void ReadDerOrPemList(Input& in, std::string_view key, std::vector<Bytes>* out, size_t max_items) {
  Bytes raw;
  if (!ReadDerOrPemRaw(in, key, &raw, kOpt)) return;
  std::string text = ToString(raw);
  if (text.find("-----BEGIN") == std::string::npos) {
    out->push_back(std::move(raw));
    return;
  }
  size_t pos = 0;
  while ((pos = text.find("-----BEGIN", pos)) != std::string::npos) {
    size_t end = text.find("-----END", pos);
    size_t close = end == std::string::npos ? end : text.find("-----", end + 8);
    if (close == std::string::npos || out->size() >= max_items) {
      in.Fail(key, close == std::string::npos ? "is not well-formed PEM"
                                              : "holds more than " + std::to_string(max_items) + " objects");
      return;
    }
    bool bad = false;
    Bytes der = PemToDerOr(ToBytes(std::string_view(text).substr(pos, close + 5 - pos)), &bad);
    if (bad) {
      in.Fail(key, "is not well-formed PEM");
      return;
    }
    out->push_back(std::move(der));
    pos = close + 5;
  }
}

// "3", "2-5", "2-" (to the last page) → first and last page (0: the last).
bool ParsePages(std::string_view s, int* first, int* last) {
  auto num = [](std::string_view t, int* out) {
    if (t.empty() || t.size() > 6) return false;
    int v = 0;
    for (char c : t) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    if (v < 1) return false;
    *out = v;
    return true;
  };
  auto dash = s.find('-');
  if (dash == std::string_view::npos) {
    if (!num(s, first)) return false;
    *last = *first;
    return true;
  }
  if (!num(s.substr(0, dash), first)) return false;
  std::string_view rest = s.substr(dash + 1);
  if (rest.empty()) {
    *last = 0;
    return true;
  }
  return num(rest, last) && *last >= *first;
}

// A file name safe to put in Content-Disposition.
std::string Attachment(std::string_view name) {
  std::string ascii;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '-' || c == '_';
    ascii += ok ? c : '_';
  }
  if (ascii.empty()) ascii = "download";
  std::string encoded;
  for (unsigned char c : name) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                 c == '-' || c == '_';
    if (plain) {
      encoded += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      encoded += buf;
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

Reply Binary(std::string content_type, ByteView data) {
  Reply r;
  r.content_type = std::move(content_type);
  r.body = ToString(data);
  return r;
}

Reply Created(std::string json) { return JsonReply(std::move(json), 201); }

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') break;  // not XML
        out += c;
    }
  }
  return out;
}

// ---- public --------------------------------------------------------------------------------

// "ok" while the platform can sign; "degraded" while its TSA issues no tokens (then
// nothing is signed: an unsynchronised clock, docs/trusted-time.md). Still 200: the
// process is alive and verifies; monitors read the fields.
Result<Reply> Healthz(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::TimeStatus t = ctx.platform.TimeState();
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
  Platform::TimeStatus t = ctx.platform.TimeState();
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

// RFC 3161 over HTTP (§3.4): a DER TimeStampReq in, a DER TimeStampResp out. Bad requests
// get a rejection reply (status 200, as the protocol wants); only an empty body is a 400.
Result<Reply> Tsa(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  if (ctx.req.body.empty()) {
    return InvalidArgumentError("请求为空：请发送 DER 编码的时间戳请求（Content-Type: application/timestamp-query）。 / "
                                "the body is empty: send a DER TimeStampReq as application/timestamp-query");
  }
  std::string requester = ctx.caller ? ctx.caller->ActorId() : "addr:" + ctx.req.remote_addr;
  ASSIGN_OR_RETURN(Bytes reply, ctx.platform.Timestamp(AsBytes(ctx.req.body), requester));
  return Binary("application/timestamp-reply", reply);
}

Result<Reply> OpenApi(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Reply r;
  r.content_type = "application/yaml";
  r.body = std::string(OpenApiYaml());
  return r;
}

struct VerifyParams {
  bool detached = false;
  Bytes owned;          // a document or signature read from a form or JSON
  ByteView document;    // the OFD (view of the raw body or of `owned`)
  Bytes data;           // detached: the signed data
};
Result<VerifyParams> ParseVerify(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  VerifyParams p;
  if (IsRawDocument(ctx)) {
    if (ctx.req.body.empty()) return InvalidArgumentError("the body is empty: send the OFD document");
    p.document = AsBytes(ctx.req.body);
    return p;
  }
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  if (in.Has("signature") || in.Has("data")) {
    p.detached = true;
    in.Binary("signature", &p.owned, kReq).Binary("data", &p.data, kReq);
  } else {
    in.Binary("document", &p.owned, kReq);
  }
  RETURN_IF_ERROR(in.Finish());
  p.document = p.owned;
  return p;
}
Result<Reply> Verify(Ctx& ctx) {
  ASSIGN_OR_RETURN(VerifyParams p, ParseVerify(ctx));
  ASSIGN_OR_RETURN(Platform::VerifyOutcome out, p.detached ? ctx.platform.VerifyDetached(p.owned, p.data)
                                                           : ctx.platform.VerifyOfd(p.document));
  ctx.metrics.Verification(VerdictName(out.verdict));
  Reply r = JsonReply(std::move(out.json));
  r.headers.emplace_back("X-Eseal-Verdict", std::string(VerdictName(out.verdict)));
  return r;
}

struct SealStatusParams {
  std::string esid;
  std::optional<Time> at;
  bool der = false;
  std::optional<Bytes> nonce;
};
Result<SealStatusParams> ParseSealStatusQuery(Ctx& ctx) {
  SealStatusParams p;
  p.esid = ctx.Param("esid");
  Input q = Query(ctx);
  Time at{};
  bool has_at = q.Has("at");
  q.Time("at", &at, kOpt);
  std::string format = "json", nonce_hex;
  q.Str("format", &format, kOpt, 8).Str("nonce", &nonce_hex, kOpt, 256);
  RETURN_IF_ERROR(q.Finish());
  if (has_at) p.at = at;
  if (format != "json" && format != "der") {
    return InvalidArgumentError("format 只能是 json 或 der。 / format must be json or der");
  }
  p.der = format == "der";
  if (!p.der && !nonce_hex.empty()) {
    return InvalidArgumentError("nonce 仅用于签名应答（format=der）。 / nonce is for the signed answer (format=der) only");
  }
  if (p.der && has_at) {
    return InvalidArgumentError("签名应答只说明当前状态，不能带 at。 / the signed answer states the status now; "
                                "at is for the JSON status");
  }
  if (!nonce_hex.empty()) {
    auto nonce = HexDecode(nonce_hex);
    if (!nonce.ok() || nonce->empty() || nonce->size() > 128) {
      return InvalidArgumentError("nonce 应为 1 到 128 字节的十六进制数。 / nonce must be 1 to 128 bytes in hex");
    }
    p.nonce = *std::move(nonce);
  }
  return p;
}
// The status of a seal: JSON at any time (default now), or ?format=der the signed answer
// of its maker now (docs/seal-status.md), with ?nonce=HEX echoed.
Result<Reply> GetSealStatus(Ctx& ctx) {
  ASSIGN_OR_RETURN(SealStatusParams p, ParseSealStatusQuery(ctx));
  if (p.der) {
    ASSIGN_OR_RETURN(Bytes answer, ctx.platform.SignedSealStatus(p.esid, std::move(p.nonce)));
    return Binary("application/octet-stream", answer);
  }
  ASSIGN_OR_RETURN(Platform::SealStatusAt s, ctx.platform.SealStatusAtTime(p.esid, p.at));
  return JsonReply(ToJson(s));
}

// The evidence record of a signature the platform made, by SM3 of its value
// (docs/trusted-time.md "Evidence records"): public, like the CRLs it holds.
Result<Reply> GetEvidence(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Bytes der, ctx.platform.Evidence(ctx.Param("sm3")));
  Reply r = Binary("application/octet-stream", der);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"evidence-" + ctx.Param("sm3").substr(0, 64) + ".der\"");
  return r;
}

Result<Reply> Crl(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Bytes crl, ctx.platform.CurrentCrl());
  return Binary("application/pkix-crl", crl);
}

Result<Reply> RootCrl(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Bytes crl, ctx.platform.RootCrl());
  return Binary("application/pkix-crl", crl);
}

Result<Reply> TrustBundle(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(std::string pem, ctx.platform.TrustBundlePem());
  Reply r;
  r.content_type = "application/x-pem-file";
  r.body = std::move(pem);
  return r;
}

struct NoticesParams {
  int limit = 100;
};
Result<NoticesParams> ParseNotices(Ctx& ctx) {
  NoticesParams p;
  Input q = Query(ctx);
  q.Int("limit", &p.limit, kOpt, 1, 1000);
  RETURN_IF_ERROR(q.Finish());
  return p;
}

Result<Reply> Notices(Ctx& ctx) {
  ASSIGN_OR_RETURN(NoticesParams p, ParseNotices(ctx));
  ASSIGN_OR_RETURN(std::vector<Platform::Notice> items, ctx.platform.PublicNotices(p.limit));
  return JsonReply(ListJson(items));
}

std::string NoticeTitle(const Platform::Notice& n) {
  return std::string(Name(n.event)) + ": " + n.seal_name + " (" + n.holder_name + ")";
}

Result<Reply> NoticesAtom(Ctx& ctx) {
  ASSIGN_OR_RETURN(NoticesParams p, ParseNotices(ctx));
  ASSIGN_OR_RETURN(std::vector<Platform::Notice> items, ctx.platform.PublicNotices(p.limit));
  Time updated = SystemClock().Now();
  if (!items.empty()) {
    updated = items.front().at;
    for (const auto& n : items) updated = std::max(updated, n.at);
  }
  std::string x = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  x += "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  x += "  <title>Electronic seal public notices (电子印章公示)</title>\n";
  x += "  <id>urn:eseal:notices</id>\n";
  x += "  <link rel=\"self\" href=\"/api/v1/notices.atom\"/>\n";
  x += "  <link rel=\"alternate\" type=\"text/html\" href=\"/notices\"/>\n";
  x += "  <updated>" + FormatRfc3339(updated) + "</updated>\n";
  x += "  <author><name>eseal</name></author>\n";
  for (const auto& n : items) {
    x += "  <entry>\n";
    x += "    <title>" + XmlEscape(NoticeTitle(n)) + "</title>\n";
    x += "    <id>urn:eseal:notice:" + XmlEscape(n.esid) + ":" + std::string(Name(n.event)) + ":" +
         std::to_string(ToUnix(n.at)) + "</id>\n";
    x += "    <updated>" + FormatRfc3339(n.at) + "</updated>\n";
    x += "    <content type=\"text\">" +
         XmlEscape("seal " + n.esid + " (" + n.kind + ") of " + n.holder_name + ": " +
                   std::string(Name(n.event)) + (n.reason.empty() ? "" : "; reason: " + n.reason)) +
         "</content>\n";
    x += "  </entry>\n";
  }
  x += "</feed>\n";
  Reply r;
  r.content_type = "application/atom+xml; charset=utf-8";
  r.body = std::move(x);
  return r;
}

Result<Reply> NoticesHtml(Ctx& ctx) {
  ASSIGN_OR_RETURN(NoticesParams p, ParseNotices(ctx));
  ASSIGN_OR_RETURN(std::vector<Platform::Notice> items, ctx.platform.PublicNotices(p.limit));
  std::string h =
      "<!doctype html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
      "<title>电子印章公示 — public notices</title></head><body>\n"
      "<h1>电子印章公示 <small>public notices of government seal changes and revocations</small></h1>\n"
      "<p><a href=\"/api/v1/notices.atom\">Atom feed</a> · <a href=\"/api/v1/notices\">JSON</a></p>\n";
  if (items.empty()) {
    h += "<p>No notices.</p>\n";
  } else {
    h += "<table border=\"1\" cellpadding=\"4\"><thead><tr><th>date</th><th>event</th><th>seal</th>"
         "<th>esID</th><th>kind</th><th>holder</th><th>reason</th></tr></thead><tbody>\n";
    for (const auto& n : items) {
      h += "<tr><td>" + FormatRfc3339(n.at) + "</td><td>" + std::string(Name(n.event)) + "</td><td>" +
           XmlEscape(n.seal_name) + "</td><td>" + XmlEscape(n.esid) + "</td><td>" + XmlEscape(n.kind) +
           "</td><td>" + XmlEscape(n.holder_name) + "</td><td>" + XmlEscape(n.reason) + "</td></tr>\n";
    }
    h += "</tbody></table>\n";
  }
  h += "</body></html>\n";
  Reply r;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(h);
  r.headers.emplace_back("Content-Security-Policy", "default-src 'none'");
  return r;
}

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
  ASSIGN_OR_RETURN(Client c, ctx.platform.ApplyForAccess(p));
  return Created(ToJson(c));
}

// ---- identity and registry -----------------------------------------------------------------

Result<Reply> Me(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  return JsonReply(ToJson(ctx.Who()));
}

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
  if (p.items.empty()) return InvalidArgumentError("field 'holders' must not be empty");
  return p;
}
Result<Reply> UpsertHolders(Ctx& ctx) {
  ASSIGN_OR_RETURN(HoldersParams p, ParseHolders(ctx));
  std::vector<Holder> done;
  for (size_t i = 0; i < p.items.size(); ++i) {
    Result<Holder> h = ctx.platform.UpsertHolder(ctx.Who(), p.items[i]);
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
      .Str("name", &p.filter.name_contains, kOpt, 300);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  return p;
}
Result<Reply> ListHolders(Ctx& ctx) {
  ASSIGN_OR_RETURN(ListHoldersParams p, ParseListHolders(ctx));
  ASSIGN_OR_RETURN(std::vector<Holder> items, ctx.platform.ListHolders(ctx.Who(), p.filter, p.page));
  return JsonReply(ListJson(items, p.page));
}

Result<Reply> GetHolder(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Holder h, ctx.platform.GetHolder(ctx.Who(), ctx.Param("id")));
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
  ASSIGN_OR_RETURN(Impression i, ctx.platform.AttachImpression(ctx.Who(), p.holder_id, p.kind, p.png));
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
  ASSIGN_OR_RETURN(Area out, ctx.platform.UpsertArea(ctx.Who(), a));
  return JsonReply(ToJson(out));
}

Result<Reply> ListAreas(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(std::vector<Area> items, ctx.platform.ListAreas(ctx.Who()));
  return JsonReply(ListJson(items));
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
  ASSIGN_OR_RETURN(Platform::NewCredential cred, ctx.platform.CreateAccount(ctx.Who(), a));
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
  RETURN_IF_ERROR(ctx.platform.GrantSeal(ctx.Who(), g));
  return JsonReply(ToJson(g));
}

// ---- applications --------------------------------------------------------------------------

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
  ASSIGN_OR_RETURN(Application app, ctx.platform.Apply(ctx.Who(), std::move(a)));
  return Created(ToJson(app));
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
  ASSIGN_OR_RETURN(std::vector<Application> items, ctx.platform.ListApplications(ctx.Who(), p.filter, p.page));
  return JsonReply(ListJson(items, p.page));
}

Result<Reply> GetApplication(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Application a, ctx.platform.GetApplication(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(a));
}

Result<Reply> ApproveApplication(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kOpt));
  ASSIGN_OR_RETURN(Application a, ctx.platform.Review(ctx.Who(), ctx.Param("id"), true, p.reason));
  return JsonReply(ToJson(a));
}

Result<Reply> RejectApplication(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(Application a, ctx.platform.Review(ctx.Who(), ctx.Param("id"), false, p.reason));
  return JsonReply(ToJson(a));
}

struct SwitchParams {
  bool on = false;
};
Result<SwitchParams> ParseSwitch(Ctx& ctx, std::string_view key) {
  RETURN_IF_ERROR(NoQuery(ctx));
  SwitchParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Bool(key, &p.on, kReq);
  RETURN_IF_ERROR(in.Finish());
  return p;
}
Result<Reply> SetAutoApprove(Ctx& ctx) {
  ASSIGN_OR_RETURN(SwitchParams p, ParseSwitch(ctx, "enabled"));
  RETURN_IF_ERROR(ctx.platform.SetAutoApprove(ctx.Who(), p.on));
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
  ASSIGN_OR_RETURN(std::vector<Seal> items, ctx.platform.ListSeals(ctx.Who(), p.filter, p.page));
  return JsonReply(ListJson(items, p.page));
}

Result<Reply> GetSeal(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Seal s, ctx.platform.GetSeal(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(s));
}

Result<Reply> GetSealEsl(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Seal s, ctx.platform.GetSeal(ctx.Who(), ctx.Param("id")));
  Reply r = Binary("application/octet-stream", s.seal_der);
  r.headers.emplace_back("Content-Disposition", Attachment((s.esid.empty() ? s.id : s.esid) + ".esl"));
  return r;
}

Result<Reply> GetSealImage(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Seal s, ctx.platform.GetSeal(ctx.Who(), ctx.Param("id")));
  if (s.image_png.empty()) return NotFoundError("this seal has no PNG image");
  return Binary("image/png", s.image_png);
}

Result<Reply> SuspendSeal(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(Seal s, ctx.platform.Suspend(ctx.Who(), ctx.Param("id"), p.reason));
  return JsonReply(ToJson(s));
}

Result<Reply> ResumeSeal(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kOpt));
  ASSIGN_OR_RETURN(Seal s, ctx.platform.Resume(ctx.Who(), ctx.Param("id"), p.reason));
  return JsonReply(ToJson(s));
}

Result<Reply> RevokeSeal(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(Seal s, ctx.platform.Revoke(ctx.Who(), ctx.Param("id"), p.reason));
  return JsonReply(ToJson(s));
}

Result<Reply> UnlockSeal(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(Seal s, ctx.platform.Unlock(ctx.Who(), ctx.Param("id")));
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
  ASSIGN_OR_RETURN(Application app, ctx.platform.GetApplication(ctx.Who(), p.application_id));
  std::string_view path_seal = ctx.Param("id");
  if (app.seal_id.empty() || app.seal_id != path_seal) {
    Result<Seal> s = ctx.platform.GetSeal(ctx.Who(), path_seal);
    if (!s.ok() && s.status().code() != StatusCode::kNotFound) return s.status();
    if (app.seal_id.empty() || !s.ok() || s->id != app.seal_id) {
      return InvalidArgumentError("application " + p.application_id + " is not for seal " + std::string(path_seal));
    }
  }
  RETURN_IF_ERROR(ctx.platform.ChangePassword(ctx.Who(), p.application_id, p.old_password, p.new_password));
  JsonWriter w;
  w.BeginObject().Field("seal_id", app.seal_id).Field("application_id", p.application_id);
  w.Field("password_changed", true).EndObject();
  return JsonReply(w.Take());
}

Result<Reply> SetApprovalRequired(Ctx& ctx) {
  ASSIGN_OR_RETURN(SwitchParams p, ParseSwitch(ctx, "required"));
  ASSIGN_OR_RETURN(Seal s, ctx.platform.SetRequiresApproval(ctx.Who(), ctx.Param("id"), p.on));
  return JsonReply(ToJson(s));
}

Result<Platform::SignInput> ParseSign(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::SignInput s;
  s.seal = ctx.Param("id");
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  bool has_position = in.Has("x") || in.Has("y") || in.Has("page");
  bool has_keyword = in.Has("keyword");
  bool has_riding = in.Has("riding");
  std::string filename, keyword, riding, pages, mode = "continue";
  sign::PagePosition pos;
  int occurrence = 0;
  double offset = -1;
  in.Binary("document", &s.document, kReq, &filename)
      .Str("document_name", &s.document_name, kOpt, 255)
      .Secret("password", &s.password, kReq)
      .Int("page", &pos.page, kOpt, 1, 100000)
      .Num("x", &pos.x_mm, has_position ? kReq : kOpt)
      .Num("y", &pos.y_mm, has_position ? kReq : kOpt)
      .Str("keyword", &keyword, kOpt, 200)
      .Int("occurrence", &occurrence, kOpt, 0, 100000)
      .Str("riding", &riding, kOpt, 16)
      .Str("pages", &pages, kOpt, 32)
      .Num("offset", &offset, kOpt)
      .Num("width", &s.placement.width_mm, kOpt)
      .Num("height", &s.placement.height_mm, kOpt)
      .Str("mode", &mode, kOpt, 16)
      .Str("usage_request_id", &s.usage_request_id, kOpt, 128);
  Status st = in.Finish();
  WipeBody(ctx);
  RETURN_IF_ERROR(st);
  if (has_position + has_keyword + has_riding != 1) {
    return InvalidArgumentError(
        "give exactly one placement: page with x and y (millimetres), keyword (with occurrence and "
        "pages), or riding (an edge, with pages)");
  }
  if (s.placement.width_mm < 0 || s.placement.height_mm < 0 || s.placement.width_mm > 1000 ||
      s.placement.height_mm > 1000) {
    return InvalidArgumentError("fields 'width' and 'height' must be between 0 and 1000 millimetres");
  }
  if (has_position) {
    if (pos.x_mm < 0 || pos.y_mm < 0 || pos.x_mm > 10000 || pos.y_mm > 10000) {
      return InvalidArgumentError("fields 'x' and 'y' must be between 0 and 10000 millimetres");
    }
    if (!pages.empty() || in.Has("occurrence") || in.Has("offset")) {
      return InvalidArgumentError("fields 'pages', 'occurrence' and 'offset' do not go with x and y");
    }
    s.placement.positions.push_back(pos);
  } else {
    int first = 1, last = 0;
    if (!pages.empty() && !ParsePages(pages, &first, &last)) {
      return InvalidArgumentError("field 'pages' must be a page (3) or a range (2-5, or 2- for the rest)");
    }
    if (has_keyword) {
      if (keyword.empty()) return InvalidArgumentError("field 'keyword' must not be empty");
      if (in.Has("offset")) return InvalidArgumentError("field 'offset' goes with riding seals only");
      s.placement.keyword = sign::KeywordPlacement{keyword, occurrence, first, last};
    } else {
      if (in.Has("occurrence")) return InvalidArgumentError("field 'occurrence' goes with keyword only");
      sign::Edge edge;
      if (riding == "left") {
        edge = sign::Edge::kLeft;
      } else if (riding == "right") {
        edge = sign::Edge::kRight;
      } else if (riding == "top") {
        edge = sign::Edge::kTop;
      } else if (riding == "bottom") {
        edge = sign::Edge::kBottom;
      } else {
        return InvalidArgumentError("field 'riding' must be an edge: left, right, top or bottom");
      }
      s.placement.riding = sign::RidingPlacement{edge, first, last, offset};
    }
  }
  if (mode == "continue") {
    s.mode = sign::ProtectMode::kContinue;
  } else if (mode == "whole") {
    s.mode = sign::ProtectMode::kWhole;
  } else {
    return InvalidArgumentError("field 'mode' must be continue or whole");
  }
  if (s.document_name.empty()) s.document_name = filename.empty() ? "document.ofd" : filename;
  return s;
}
Result<Reply> SignDocument(Ctx& ctx) {
  ASSIGN_OR_RETURN(Platform::SignInput in, ParseSign(ctx));
  std::string name = in.document_name;
  ASSIGN_OR_RETURN(Platform::SignOutcome out, ctx.platform.SignOfd(ctx.Who(), std::move(in)));
  ctx.metrics.SignatureMade();
  Reply r = Binary("application/ofd", out.document);
  r.headers.emplace_back("X-Eseal-Signature-Id", out.record.id);
  r.headers.emplace_back("X-Eseal-Document-Hash", out.record.document_hash);
  r.headers.emplace_back("X-Eseal-Signed-Hash", out.record.signed_hash);
  std::string base = name;
  if (base.size() > 4 && base.substr(base.size() - 4) == ".ofd") base.resize(base.size() - 4);
  r.headers.emplace_back("Content-Disposition", Attachment(base + "-signed.ofd"));
  return r;
}

struct ListSignaturesParams {
  SignatureRepository::Filter filter;
  Page page;
};
Result<ListSignaturesParams> ParseListSignatures(Ctx& ctx) {
  ListSignaturesParams p;
  Input q = Query(ctx);
  q.Str("seal_id", &p.filter.seal_id, kOpt, 128)
      .Str("holder_id", &p.filter.holder_id, kOpt, 128)
      .Str("signed_hash", &p.filter.signed_hash, kOpt, 128);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  return p;
}
Result<Reply> ListSignatures(Ctx& ctx) {
  ASSIGN_OR_RETURN(ListSignaturesParams p, ParseListSignatures(ctx));
  ASSIGN_OR_RETURN(std::vector<SignatureRecord> items, ctx.platform.ListSignatures(ctx.Who(), p.filter, p.page));
  return JsonReply(ListJson(items, p.page));
}

// ---- use approval --------------------------------------------------------------------------

Result<Platform::UseRequestInput> ParseRequestUse(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  Platform::UseRequestInput u;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("seal_id", &u.seal_id, kReq, 128)
      .Str("document_hash", &u.document_hash, kReq, 64)
      .Str("purpose", &u.purpose, kReq, 2000);
  RETURN_IF_ERROR(in.Finish());
  bool hex = u.document_hash.size() == 64 &&
             std::all_of(u.document_hash.begin(), u.document_hash.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
             });
  if (!hex) return InvalidArgumentError("field 'document_hash' must be the SM3 hash of the document in hex (64 digits)");
  std::transform(u.document_hash.begin(), u.document_hash.end(), u.document_hash.begin(),
                 [](char c) { return static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c); });
  return u;
}
Result<Reply> RequestUse(Ctx& ctx) {
  ASSIGN_OR_RETURN(Platform::UseRequestInput u, ParseRequestUse(ctx));
  ASSIGN_OR_RETURN(UsageRequest r, ctx.platform.RequestUse(ctx.Who(), u));
  return Created(ToJson(r));
}

struct ListUsageParams {
  std::string seal_id;
  Page page;
};
Result<ListUsageParams> ParseListUsage(Ctx& ctx) {
  ListUsageParams p;
  Input q = Query(ctx);
  q.Str("seal_id", &p.seal_id, kOpt, 128);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  return p;
}
Result<Reply> ListUsageRequests(Ctx& ctx) {
  ASSIGN_OR_RETURN(ListUsageParams p, ParseListUsage(ctx));
  ASSIGN_OR_RETURN(std::vector<UsageRequest> items, ctx.platform.ListUsageRequests(ctx.Who(), p.seal_id, p.page));
  return JsonReply(ListJson(items, p.page));
}

struct DecideUseParams {
  std::string reason;
  Time window_end{};  // unset: the platform's default window
};
Result<DecideUseParams> ParseApproveUse(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  DecideUseParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("reason", &p.reason, kOpt, 2000).Time("window_end", &p.window_end, kOpt);
  RETURN_IF_ERROR(in.Finish());
  return p;
}
Result<Reply> ApproveUse(Ctx& ctx) {
  ASSIGN_OR_RETURN(DecideUseParams p, ParseApproveUse(ctx));
  ASSIGN_OR_RETURN(UsageRequest r, ctx.platform.DecideUse(ctx.Who(), ctx.Param("id"), true, p.reason, p.window_end));
  return JsonReply(ToJson(r));
}

Result<Reply> RejectUse(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(UsageRequest r, ctx.platform.DecideUse(ctx.Who(), ctx.Param("id"), false, p.reason, Time{}));
  return JsonReply(ToJson(r));
}

// ---- audit ---------------------------------------------------------------------------------

struct ListAuditParams {
  int64_t after_seq = 0;
  int limit = 100;
};
Result<ListAuditParams> ParseListAudit(Ctx& ctx) {
  ListAuditParams p;
  Input q = Query(ctx);
  q.Int("after_seq", &p.after_seq, kOpt, 0).Int("limit", &p.limit, kOpt, 1, 1000);
  RETURN_IF_ERROR(q.Finish());
  return p;
}
Result<Reply> ListAudit(Ctx& ctx) {
  ASSIGN_OR_RETURN(ListAuditParams p, ParseListAudit(ctx));
  ASSIGN_OR_RETURN(std::vector<AuditEntry> items, ctx.platform.ListAudit(ctx.Who(), p.after_seq, p.limit));
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const AuditEntry& e : items) Write(w, e);
  w.EndArray().Key("next_after_seq");
  if (static_cast<int>(items.size()) >= p.limit) {
    w.Int(items.back().seq);
  } else {
    w.Null();
  }
  w.EndObject();
  return JsonReply(w.Take());
}

Result<Reply> VerifyAudit(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Platform::AuditVerification v, ctx.platform.VerifyAudit(ctx.Who()));
  return JsonReply(ToJson(v));
}

// ---- clients -------------------------------------------------------------------------------

struct ListClientsParams {
  std::optional<ClientStatus> status;
  Page page;
};
Result<ListClientsParams> ParseListClients(Ctx& ctx) {
  ListClientsParams p;
  Input q = Query(ctx);
  q.Enum("status", &p.status, ParseClientStatus, kOpt);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  return p;
}
Result<Reply> ListClients(Ctx& ctx) {
  ASSIGN_OR_RETURN(ListClientsParams p, ParseListClients(ctx));
  ASSIGN_OR_RETURN(std::vector<Client> items, ctx.platform.ListClients(ctx.Who(), p.status, p.page));
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
  ASSIGN_OR_RETURN(Platform::ClientDecision d, ctx.platform.ReviewClient(ctx.Who(), ctx.Param("id"), true, p.reason));
  return JsonReply(DecisionJson(d));
}

Result<Reply> RejectClient(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(Platform::ClientDecision d, ctx.platform.ReviewClient(ctx.Who(), ctx.Param("id"), false, p.reason));
  return JsonReply(DecisionJson(d));
}

Result<Reply> SuspendClient(Ctx& ctx) {
  ASSIGN_OR_RETURN(ReasonParams p, ParseReason(ctx, kReq));
  ASSIGN_OR_RETURN(Client c, ctx.platform.SuspendClient(ctx.Who(), ctx.Param("id"), p.reason));
  return JsonReply(ToJson(c));
}

Result<Reply> ResumeClient(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(Client c, ctx.platform.ResumeClient(ctx.Who(), ctx.Param("id")));
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
  ASSIGN_OR_RETURN(Client c, ctx.platform.SetClientRateLimit(ctx.Who(), ctx.Param("id"), p.per_minute));
  return JsonReply(ToJson(c));
}

struct AuthoriseParams {
  std::string client_id;
  std::vector<std::string> seal_ids;
  Time valid_until{};
};
Result<AuthoriseParams> ParseAuthorise(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  AuthoriseParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Str("client_id", &p.client_id, kReq, 128)
      .StrList("seal_ids", &p.seal_ids, kReq, 1000)
      .Time("valid_until", &p.valid_until, kReq);
  RETURN_IF_ERROR(in.Finish());
  return p;
}
Result<Reply> Authorise(Ctx& ctx) {
  ASSIGN_OR_RETURN(AuthoriseParams p, ParseAuthorise(ctx));
  ASSIGN_OR_RETURN(VendorAuthorisation a, ctx.platform.Authorise(ctx.Who(), p.client_id, p.seal_ids, p.valid_until));
  return Created(ToJson(a));
}

Result<Reply> ListAuthorisations(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(std::vector<VendorAuthorisation> items, ctx.platform.ListAuthorisations(ctx.Who()));
  return JsonReply(ListJson(items));
}

Result<Reply> WithdrawAuthorisation(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(VendorAuthorisation a, ctx.platform.WithdrawAuthorisation(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(a));
}

// ---- filing of other systems' seals, mutual recognition ----------------------------------

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
  ASSIGN_OR_RETURN(Seal s, ctx.platform.FileSeal(ctx.Who(), p.seal, p.holder_uscc, p.seal_kind));
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
  ASSIGN_OR_RETURN(TrustAnchorRecord r, ctx.platform.RegisterAnchor(ctx.Who(), a));
  return Created(ToJson(r));
}

Result<Reply> ListAnchors(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(std::vector<TrustAnchorRecord> items, ctx.platform.ListAnchors(ctx.Who()));
  return JsonReply(ListJson(items));
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
  ASSIGN_OR_RETURN(TrustAnchorRecord r, ctx.platform.UpdateAnchorCrl(ctx.Who(), ctx.Param("id"), crl));
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
                   ctx.platform.SetAnchorRoles(ctx.Who(), ctx.Param("id"), p.roles, p.maker_policies));
  return JsonReply(ToJson(r));
}

Result<Reply> DeactivateAnchor(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(TrustAnchorRecord r, ctx.platform.DeactivateAnchor(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(r));
}

// ---- filing with the national platform -----------------------------------------------------

struct ListFilingsParams {
  std::optional<FilingStatus> status;
  Page page;
};
Result<ListFilingsParams> ParseListFilings(Ctx& ctx) {
  ListFilingsParams p;
  Input q = Query(ctx);
  q.Enum("status", &p.status, ParseFilingStatus, kOpt);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  return p;
}
Result<Reply> ListFilings(Ctx& ctx) {
  ASSIGN_OR_RETURN(ListFilingsParams p, ParseListFilings(ctx));
  ASSIGN_OR_RETURN(std::vector<FilingRecord> items, ctx.platform.ListFilings(ctx.Who(), p.status, p.page));
  return JsonReply(ListJson(items, p.page));
}

Result<Reply> ExportFilings(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(FilingBatch b, ctx.platform.ExportFilings(ctx.Who()));
  return Created(ToJson(b));
}

Result<Reply> GetFilingBatch(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(FilingBatch b, ctx.platform.GetFilingBatch(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(b));
}

Result<Reply> AcknowledgeFilingBatch(Ctx& ctx) {
  RETURN_IF_ERROR(ParseNothing(ctx));
  ASSIGN_OR_RETURN(FilingBatch b, ctx.platform.AcknowledgeFilingBatch(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(b));
}

// ---- archives ------------------------------------------------------------------------------

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
    if (ctx.req.body.empty()) return InvalidArgumentError("the body is empty: send the signed OFD document");
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
  ASSIGN_OR_RETURN(ArchiveEntry e, ctx.platform.Archive(ctx.Who(), p.document, p.name));
  return Created(ToJson(e));
}

struct PageParams {
  Page page;
};
Result<PageParams> ParsePageOnly(Ctx& ctx) {
  PageParams p;
  Input q = Query(ctx);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  return p;
}
Result<Reply> ListArchives(Ctx& ctx) {
  ASSIGN_OR_RETURN(PageParams p, ParsePageOnly(ctx));
  ASSIGN_OR_RETURN(std::vector<ArchiveEntry> items, ctx.platform.ListArchives(ctx.Who(), p.page));
  return JsonReply(ListJson(items, p.page));
}

Result<Reply> GetArchive(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(ArchiveEntry e, ctx.platform.GetArchive(ctx.Who(), ctx.Param("id")));
  JsonWriter w;
  WriteArchive(w, e, /*with_document=*/true);
  return JsonReply(w.Take());
}

Result<Reply> VerifyArchive(Ctx& ctx) {
  RETURN_IF_ERROR(NoQuery(ctx));
  ASSIGN_OR_RETURN(Report r, ctx.platform.VerifyArchive(ctx.Who(), ctx.Param("id")));
  return JsonReply(ToJson(r));
}

constexpr Access kPub = Access::kPublic;
constexpr Access kAuth = Access::kAuthenticated;
constexpr Access kOp = Access::kOperator;
constexpr BodyLimit kSmall = BodyLimit::kJson;
constexpr BodyLimit kLarge = BodyLimit::kDocument;
constexpr unsigned kJson = kJsonBody;
constexpr unsigned kForm = kJsonBody | kMultipartBody;
constexpr unsigned kDoc = kJsonBody | kMultipartBody | kRawDocument;

}  // namespace

const std::vector<Route>& RouteTable() {
  static const std::vector<Route> kRoutes = {
      // method, pattern, access, body limit, bodies, handler
      // ---- public ----
      {"GET", "/healthz", kPub, kSmall, kNoBody, Healthz},
      {"GET", "/metrics", kPub, kSmall, kNoBody, MetricsText},
      {"GET", "/api/v1/openapi.yaml", kPub, kSmall, kNoBody, OpenApi},
      {"POST", "/api/v1/verify", kPub, kLarge, kDoc, Verify},
      {"GET", "/api/v1/seals/{esid}/status", kPub, kSmall, kNoBody, GetSealStatus},
      {"GET", "/api/v1/crl", kPub, kSmall, kNoBody, Crl},
      {"GET", "/api/v1/crl/root", kPub, kSmall, kNoBody, RootCrl},
      {"GET", "/api/v1/trust-bundle", kPub, kSmall, kNoBody, TrustBundle},
      {"POST", "/api/v1/tsa", kPub, kSmall, kTimestampQuery, Tsa},
      {"GET", "/api/v1/evidence/{sm3}", kPub, kSmall, kNoBody, GetEvidence},
      {"GET", "/api/v1/notices", kPub, kSmall, kNoBody, Notices},
      {"GET", "/api/v1/notices.atom", kPub, kSmall, kNoBody, NoticesAtom},
      {"GET", "/notices", kPub, kSmall, kNoBody, NoticesHtml},
      {"POST", "/api/v1/clients/apply", kPub, kSmall, kJson, ClientApply},
      // ---- identity and registry ----
      {"GET", "/api/v1/me", kAuth, kSmall, kNoBody, Me},
      {"POST", "/api/v1/holders", kAuth, kSmall, kJson, UpsertHolders},
      {"GET", "/api/v1/holders", kAuth, kSmall, kNoBody, ListHolders},
      {"GET", "/api/v1/holders/{id}", kAuth, kSmall, kNoBody, GetHolder},
      {"POST", "/api/v1/holders/{id}/impressions", kAuth, kLarge, kForm, AttachImpression},
      {"PUT", "/api/v1/areas/{code}", kOp, kSmall, kJson, PutArea},
      {"GET", "/api/v1/areas", kAuth, kSmall, kNoBody, ListAreas},
      {"POST", "/api/v1/accounts", kAuth, kSmall, kJson, CreateAccount},
      {"POST", "/api/v1/seals/{id}/grants", kAuth, kSmall, kJson, GrantSeal},
      // ---- applications and reviews ----
      {"POST", "/api/v1/applications", kAuth, kSmall, kJson, Apply},
      {"GET", "/api/v1/applications", kAuth, kSmall, kNoBody, ListApplications},
      {"GET", "/api/v1/applications/{id}", kAuth, kSmall, kNoBody, GetApplication},
      {"POST", "/api/v1/applications/{id}/approve", kAuth, kSmall, kJson, ApproveApplication},
      {"POST", "/api/v1/applications/{id}/reject", kAuth, kSmall, kJson, RejectApplication},
      {"PUT", "/api/v1/settings/auto-approve", kOp, kSmall, kJson, SetAutoApprove},
      // ---- seals ----
      {"GET", "/api/v1/seals", kAuth, kSmall, kNoBody, ListSeals},
      {"GET", "/api/v1/seals/{id}", kAuth, kSmall, kNoBody, GetSeal},
      {"GET", "/api/v1/seals/{id}/seal.esl", kAuth, kSmall, kNoBody, GetSealEsl},
      {"GET", "/api/v1/seals/{id}/image.png", kAuth, kSmall, kNoBody, GetSealImage},
      {"POST", "/api/v1/seals/{id}/suspend", kAuth, kSmall, kJson, SuspendSeal},
      {"POST", "/api/v1/seals/{id}/resume", kAuth, kSmall, kJson, ResumeSeal},
      {"POST", "/api/v1/seals/{id}/revoke", kAuth, kSmall, kJson, RevokeSeal},
      {"POST", "/api/v1/seals/{id}/unlock", kOp, kSmall, kJson, UnlockSeal},
      {"POST", "/api/v1/seals/{id}/password", kAuth, kSmall, kJson, ChangePassword},
      {"PUT", "/api/v1/seals/{id}/approval-required", kAuth, kSmall, kJson, SetApprovalRequired},
      {"POST", "/api/v1/seals/{id}/sign", kAuth, kLarge, kForm, SignDocument},
      {"GET", "/api/v1/signatures", kAuth, kSmall, kNoBody, ListSignatures},
      // ---- use approval ----
      {"POST", "/api/v1/usage-requests", kAuth, kSmall, kJson, RequestUse},
      {"GET", "/api/v1/usage-requests", kAuth, kSmall, kNoBody, ListUsageRequests},
      {"POST", "/api/v1/usage-requests/{id}/approve", kAuth, kSmall, kJson, ApproveUse},
      {"POST", "/api/v1/usage-requests/{id}/reject", kAuth, kSmall, kJson, RejectUse},
      // ---- audit ----
      {"GET", "/api/v1/audit", kOp, kSmall, kNoBody, ListAudit},
      {"GET", "/api/v1/audit/verify", kOp, kSmall, kNoBody, VerifyAudit},
      // ---- integration clients ----
      {"GET", "/api/v1/clients", kOp, kSmall, kNoBody, ListClients},
      {"POST", "/api/v1/clients/{id}/approve", kOp, kSmall, kJson, ApproveClient},
      {"POST", "/api/v1/clients/{id}/reject", kOp, kSmall, kJson, RejectClient},
      {"POST", "/api/v1/clients/{id}/suspend", kOp, kSmall, kJson, SuspendClient},
      {"POST", "/api/v1/clients/{id}/resume", kOp, kSmall, kJson, ResumeClient},
      {"PUT", "/api/v1/clients/{id}/rate-limit", kOp, kSmall, kJson, SetClientRateLimit},
      {"POST", "/api/v1/authorisations", kAuth, kSmall, kJson, Authorise},
      {"GET", "/api/v1/authorisations", kAuth, kSmall, kNoBody, ListAuthorisations},
      {"POST", "/api/v1/authorisations/{id}/withdraw", kAuth, kSmall, kJson, WithdrawAuthorisation},
      // ---- filing of other systems' seals, mutual recognition ----
      {"POST", "/api/v1/filed-seals", kAuth, kLarge, kForm, FileSeal},
      {"POST", "/api/v1/anchors", kOp, kLarge, kForm, RegisterAnchor},
      {"GET", "/api/v1/anchors", kAuth, kSmall, kNoBody, ListAnchors},
      {"PUT", "/api/v1/anchors/{id}/roles", kOp, kSmall, kJson, SetAnchorRoles},
      {"POST", "/api/v1/anchors/{id}/deactivate", kOp, kSmall, kJson, DeactivateAnchor},
      {"POST", "/api/v1/anchors/{id}/crl", kOp, kLarge, kForm, UpdateAnchorCrl},
      // ---- filing with the national platform ----
      {"GET", "/api/v1/filings", kOp, kSmall, kNoBody, ListFilings},
      {"POST", "/api/v1/filings/export", kOp, kSmall, kJson, ExportFilings},
      {"GET", "/api/v1/filings/batches/{id}", kOp, kSmall, kNoBody, GetFilingBatch},
      {"POST", "/api/v1/filings/batches/{id}/acknowledge", kOp, kSmall, kJson, AcknowledgeFilingBatch},
      // ---- archives ----
      {"POST", "/api/v1/archives", kAuth, kLarge, kDoc, CreateArchive},
      {"GET", "/api/v1/archives", kAuth, kSmall, kNoBody, ListArchives},
      {"GET", "/api/v1/archives/{id}", kAuth, kSmall, kNoBody, GetArchive},
      {"GET", "/api/v1/archives/{id}/verify", kAuth, kSmall, kNoBody, VerifyArchive},
  };
  return kRoutes;
}

}  // namespace eseal::http
