// Shared parsing and reply helpers of the route files (common.h).
#include "routes/common.h"

#include <cstdio>

namespace eseal::http::routes {

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
  return mt == "application/ofd" || mt == "application/pdf" || mt == "application/octet-stream";
}

void ReadPage(Input& q, Page* page) {
  q.Int("limit", &page->limit, kOpt, 1, 1000);
  q.Int("offset", &page->offset, kOpt, 0, 1000000000);
}

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
namespace {

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

}  // namespace

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

Result<SwitchParams> ParseSwitch(Ctx& ctx, std::string_view key) {
  RETURN_IF_ERROR(NoQuery(ctx));
  SwitchParams p;
  ASSIGN_OR_RETURN(Input in, Body(ctx));
  in.Bool(key, &p.on, kReq);
  RETURN_IF_ERROR(in.Finish());
  return p;
}

Result<PageParams> ParsePageOnly(Ctx& ctx) {
  PageParams p;
  Input q = Query(ctx);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  return p;
}

}  // namespace eseal::http::routes
