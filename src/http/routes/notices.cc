// Public notices (公示) of government seal changes and revocations: JSON, Atom and HTML.
// Each route: a params parser (unknown fields, wrong types and missing fields are 400s
// naming the field), one use-case call, a renderer (render.h).
#include "routes/common.h"

namespace eseal::http::routes {
namespace {

struct NoticesParams {
  Page page;
};
Result<NoticesParams> ParseNotices(Ctx& ctx) {
  NoticesParams p;
  Input q = Query(ctx);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  // The platform gives at most 500 a page; say so in the echoed limit.
  p.page.limit = std::min(p.page.limit, 500);
  return p;
}

Result<Reply> Notices(Ctx& ctx) {
  ASSIGN_OR_RETURN(NoticesParams p, ParseNotices(ctx));
  ASSIGN_OR_RETURN(PageOf<Platform::Notice> items, ctx.services.verification.PublicNotices(p.page));
  return JsonReply(ListJson(items, p.page));
}

std::string NoticeTitle(const Platform::Notice& n) {
  return std::string(Name(n.event)) + ": " + n.seal_name + " (" + n.holder_name + ")";
}

Result<Reply> NoticesAtom(Ctx& ctx) {
  ASSIGN_OR_RETURN(NoticesParams p, ParseNotices(ctx));
  ASSIGN_OR_RETURN(PageOf<Platform::Notice> items, ctx.services.verification.PublicNotices(p.page));
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
  ASSIGN_OR_RETURN(PageOf<Platform::Notice> items, ctx.services.verification.PublicNotices(p.page));
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

}  // namespace

std::vector<Route> NoticesRoutes() {
  return {
      // method, pattern, access, body limit, bodies, handler
      {"GET", "/api/v1/notices", kPub, kSmall, kNoBody, Notices},
      {"GET", "/api/v1/notices.atom", kPub, kSmall, kNoBody, NoticesAtom},
      {"GET", "/notices", kPub, kSmall, kNoBody, NoticesHtml},
  };
}

}  // namespace eseal::http::routes
