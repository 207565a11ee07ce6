// What the route files (src/http/routes/<capability>.cc) share: reading query parameters
// and bodies, DER/PEM fields, page ranges, and the reply shapes. Each route file returns
// its capability's part of the route table; table.cc puts them together.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api.h"
#include "eseal/base/clock.h"
#include "render.h"

namespace eseal::http::routes {

using platform::Platform;
using namespace platform;  // records, enums, Name() and Parse*()

inline constexpr Need kReq = Need::kRequired;
inline constexpr Need kOpt = Need::kOptional;

inline constexpr Access kPub = Access::kPublic;
inline constexpr Access kAuth = Access::kAuthenticated;
inline constexpr Access kOp = Access::kOperator;
inline constexpr BodyLimit kSmall = BodyLimit::kJson;
inline constexpr BodyLimit kLarge = BodyLimit::kDocument;
inline constexpr unsigned kJson = kJsonBody;
inline constexpr unsigned kForm = kJsonBody | kMultipartBody;
inline constexpr unsigned kDoc = kJsonBody | kMultipartBody | kRawDocument;

// Refuses query parameters on routes that take none.
Status NoQuery(Ctx& ctx);
Input Query(Ctx& ctx);
// The body's parameters: multipart fields, or a JSON object (an empty body: none).
Result<Input> Body(Ctx& ctx);
// Forgets a body that carried a password once it has been parsed.
void WipeBody(Ctx& ctx);
bool IsRawDocument(const Ctx& ctx);
// limit (1..1000) and offset.
void ReadPage(Input& q, Page* page);

// A list's query: an optional "status" read by `parse` (e.g. platform::ParseClientStatus)
// and the page, nothing else.
template <typename E>
struct StatusPageParams {
  std::optional<E> status;
  Page page;
};
template <typename E, typename Parser>
Result<StatusPageParams<E>> ParseStatusPage(Ctx& ctx, Parser parse) {
  StatusPageParams<E> p;
  Input q = Query(ctx);
  q.Enum("status", &p.status, parse, kOpt);
  ReadPage(q, &p.page);
  RETURN_IF_ERROR(q.Finish());
  return p;
}

// A body with only an optional or required "reason".
struct ReasonParams {
  std::string reason;
};
Result<ReasonParams> ParseReason(Ctx& ctx, Need need);
// An action without parameters (an empty body or {}).
Status ParseNothing(Ctx& ctx);
// A body with one required boolean.
struct SwitchParams {
  bool on = false;
};
Result<SwitchParams> ParseSwitch(Ctx& ctx, std::string_view key);
// A query with only limit and offset.
struct PageParams {
  Page page;
};
Result<PageParams> ParsePageOnly(Ctx& ctx);

// A DER object from base64 DER or PEM text (JSON) or a file (multipart).
void ReadDerOrPem(Input& in, std::string_view key, Bytes* out, Need need);
// Several objects in one field: a PEM bundle (blocks one after another) or a single DER.
void ReadDerOrPemList(Input& in, std::string_view key, std::vector<Bytes>* out, size_t max_items);
// "3", "2-5", "2-" (to the last page) → first and last page (0: the last).
bool ParsePages(std::string_view s, int* first, int* last);

// A file name safe to put in Content-Disposition.
std::string Attachment(std::string_view name);
Reply Binary(std::string content_type, ByteView data);
Reply Created(std::string json);
std::string XmlEscape(std::string_view s);

// The route table, one part per capability (routes/<capability>.cc).
std::vector<Route> OperationsRoutes();
std::vector<Route> VerificationRoutes();
std::vector<Route> TrustedTimeRoutes();
std::vector<Route> NoticesRoutes();
std::vector<Route> CredentialsRoutes();
std::vector<Route> SignInRoutes();
std::vector<Route> TokensRoutes();
std::vector<Route> RegistryRoutes();
std::vector<Route> LifecycleRoutes();
std::vector<Route> SigningRoutes();
std::vector<Route> SigningSessionRoutes();
std::vector<Route> SignBatchRoutes();
std::vector<Route> AuditRoutes();
std::vector<Route> ClientsRoutes();
std::vector<Route> RecognitionRoutes();
std::vector<Route> ArchivesRoutes();

}  // namespace eseal::http::routes
