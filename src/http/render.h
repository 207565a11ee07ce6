// JSON renderings of the platform's records: one function per record type, used by every
// route that returns it, so a seal looks the same wherever it appears. Secrets (protected
// keys, token hashes) and large blobs (documents, seal DER, images) are never included;
// those have routes of their own. Binary values are base64; times RFC 3339; empty optional
// references null.
// Thread-safety: reentrant functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eseal/base/report.h"
#include "eseal/platform/platform.h"
#include "json.h"

namespace eseal::http {

void Write(JsonWriter& w, const platform::Holder& h);
void Write(JsonWriter& w, const platform::Area& a);
void Write(JsonWriter& w, const platform::Impression& i);
void Write(JsonWriter& w, const platform::Account& a);
void Write(JsonWriter& w, const platform::Caller& c);
void Write(JsonWriter& w, const platform::Application& a);
void Write(JsonWriter& w, const platform::Seal& s);
void Write(JsonWriter& w, const platform::SealGrant& g);
void Write(JsonWriter& w, const platform::SignatureRecord& r);
void Write(JsonWriter& w, const platform::UsageRequest& r);
void Write(JsonWriter& w, const platform::Client& c);
void Write(JsonWriter& w, const platform::VendorAuthorisation& a);
void Write(JsonWriter& w, const platform::TrustAnchorRecord& a);
void Write(JsonWriter& w, const platform::FilingRecord& r);
void Write(JsonWriter& w, const platform::FilingBatch& b);  // with the export (base64)
void Write(JsonWriter& w, const platform::AuditEntry& e);
void Write(JsonWriter& w, const platform::Platform::AuditVerification& v);
void Write(JsonWriter& w, const platform::Platform::SealStatusAt& s);
void Write(JsonWriter& w, const platform::Platform::Notice& n);
// Archives: metadata, report and evidence; the document only when `with_document`.
void WriteArchive(JsonWriter& w, const platform::ArchiveEntry& e, bool with_document);
void Write(JsonWriter& w, const platform::ArchiveEntry& e);  // without the document
// A report in the shape of verify/report_json.h: {"verdict", "checks": [...]}.
void Write(JsonWriter& w, const Report& r);

// Text that should be JSON (made by the platform) embedded as JSON, or as a string if it
// is not well-formed.
void WriteEmbeddedJson(JsonWriter& w, std::string_view text);

// One record as a JSON document.
template <typename T>
std::string ToJson(const T& v) {
  JsonWriter w;
  Write(w, v);
  return w.Take();
}

// {"items": [...]} (a batch's results, not a list that pages).
template <typename T>
std::string ListJson(const std::vector<T>& items) {
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const T& item : items) Write(w, item);
  w.EndArray();
  w.EndObject();
  return w.Take();
}

// A page of a list: {"items": [...], "total", "has_more", "limit", "offset",
// "next_offset"} — total is how many match the filter in all (counted in SQL), has_more
// whether rows follow this page, next_offset the offset of the next page (null on the last).
template <typename T>
std::string ListJson(const platform::PageOf<T>& p, platform::Page page) {
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const T& item : p.items) Write(w, item);
  w.EndArray();
  int64_t end = static_cast<int64_t>(page.offset) + static_cast<int64_t>(p.items.size());
  bool more = end < p.total;
  w.Field("total", p.total).Field("has_more", more);
  w.Field("limit", page.limit).Field("offset", page.offset);
  w.Key("next_offset");
  if (more) {
    w.Int(end);
  } else {
    w.Null();
  }
  w.EndObject();
  return w.Take();
}

}  // namespace eseal::http
