// Fuzzes the HTTP layer's parameter reader (http::Input, src/http/json.cc). The same bytes
// are read three ways, as a request could bring them: as a JSON body (nlohmann-json under
// the depth and duplicate-key checks), as multipart/form-data fields and as query
// parameters. Each Input is then read with every typed reader the route parsers use
// (text, integers with ranges, numbers, booleans, times, secrets, base64 binary, string
// lists, arrays of nested objects, enums), first with every field optional and then with
// every field required, and finished (unknown fields).
//
// Split format for the form and query readings (cpp-httplib splits real bodies; from the
// parts on, the code is ours): parts are separated by '&'; a part is "name=value" (no '='
// means an empty value), and "name;file=value" gives the part a file name. Query names and
// values are percent-decoded with http::PercentDecode; parts whose escapes are malformed
// are dropped, as the server drops them.
//
// Invariants checked: every refusal is InvalidArgument; a body FromJson accepts is valid
// JSON; values handed out respect the limits asked for; a secret read from a form is wiped
// from the form; a time survives formatting; and JsonWriter output built from arbitrary
// bytes is always valid JSON.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "api.h"
#include "eseal/base/bytes.h"
#include "eseal/base/time.h"
#include "json.h"

namespace {

using eseal::Bytes;
using eseal::Result;
using eseal::SecretBytes;
using eseal::Status;
using eseal::StatusCode;
using eseal::http::Input;
using eseal::http::JsonWriter;
using eseal::http::Need;
using eseal::http::Part;

void Check(bool ok) {
  if (!ok) std::abort();
}

// An enum parser like platform::ParseSealStatus: a few names, an error otherwise.
Result<int> ParseColour(std::string_view s) {
  if (s == "red") return 1;
  if (s == "green") return 2;
  return eseal::InvalidArgumentError("must be red or green");
}

// Reads the fields of one nested object; `depth` bounds the recursion as a route would.
void ReadItem(Input& in, int depth) {
  std::string s;
  int64_t i = 0;
  in.Str("s", &s, Need::kOptional, 16).Int("i", &i, Need::kOptional, 0, 9);
  if (depth < 3) {
    in.Objects("o", [depth](Input& child, size_t) { ReadItem(child, depth + 1); },
               Need::kOptional, 4);
  }
  Check(s.size() <= 16 && i >= 0 && i <= 9);
}

// Reads every kind of field the route parsers read, and checks what comes out.
void ReadAll(Input& in, Need need) {
  std::string s;
  int64_t i = 0;
  int j = 0;
  double n = 0;
  bool b = false;
  eseal::Time t{};
  SecretBytes secret;
  Bytes bin;
  std::string filename;
  std::vector<std::string> list;
  int colour = 0;
  bool had_time = in.Has("t");
  in.Str("s", &s, need, 64)
      .Int("i", &i, need, -1000, 1000)
      .Int("j", &j, need)
      .Num("n", &n, need)
      .Bool("b", &b, need)
      .Time("t", &t, need)
      .Secret("p", &secret, need, 32)
      .Binary("d", &bin, need, &filename)
      .StrList("l", &list, need, 8)
      .Enum("e", &colour, ParseColour, need);
  if (in.is_json()) {
    in.Objects("o", [](Input& child, size_t) { ReadItem(child, 1); }, need, 4);
  }
  Status st = in.Finish();
  if (!st.ok()) {
    Check(st.code() == StatusCode::kInvalidArgument);
    return;
  }
  Check(s.size() <= 64);
  Check(i >= -1000 && i <= 1000);
  Check(std::isfinite(n));
  Check(secret.size() <= 32);
  Check(list.size() <= 8);
  Check(colour == 0 || colour == 1 || colour == 2);
  if (had_time) {
    auto again = eseal::ParseTime(eseal::FormatRfc3339(t));
    Check(again.ok() && *again == t);
  }
  // Whatever was read renders to valid JSON.
  JsonWriter w;
  w.BeginObject().Field("s", s).Field("i", i).Key("n").Double(n).Field("b", b);
  w.TimeField("t", t).Field("d", eseal::Base64Encode(bin)).Field("f", filename);
  w.Key("l").BeginArray();
  for (const std::string& e : list) w.String(e);
  w.EndArray().EndObject();
  Check(eseal::http::IsValidJson(w.str()));
}

// Splits `text` into parts at '&' (see the file comment).
std::vector<Part> Split(std::string_view text, bool query) {
  std::vector<Part> parts;
  size_t pos = 0;
  while (pos <= text.size() && parts.size() < 100) {
    size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) amp = text.size();
    std::string_view item = text.substr(pos, amp - pos);
    pos = amp + 1;
    size_t eq = item.find('=');
    std::string_view name = item.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
    Part p;
    size_t semi = name.find(";file=");
    if (!query && semi != std::string_view::npos) {
      p.filename = std::string(name.substr(semi + 6));
      name = name.substr(0, semi);
    }
    if (query) {
      auto dn = eseal::http::PercentDecode(name);
      auto dv = eseal::http::PercentDecode(value);
      if (!dn || !dv) continue;
      p.name = std::move(*dn);
      p.data = std::move(*dv);
    } else {
      p.name = std::string(name);
      p.data = std::string(value);
    }
    parts.push_back(std::move(p));
  }
  return parts;
}

void ReadParts(std::string_view text, bool query, Need need) {
  std::vector<Part> parts = Split(text, query);
  Input in = query ? Input::FromQuery(&parts) : Input::FromParts(&parts);
  bool one_secret = false;
  size_t secrets = 0;
  for (const Part& p : parts) secrets += p.name == "p";
  one_secret = secrets == 1;
  ReadAll(in, need);
  // A single secret part is always wiped once read, whether it was accepted or refused
  // (unless an earlier field's error stopped the reading before it got there).
  if (one_secret && in.error().ok()) {
    for (const Part& p : parts) {
      if (p.name != "p") continue;
      for (char c : p.data) Check(c == '\0');
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  // JSON body.
  bool valid = eseal::http::IsValidJson(text);
  for (Need need : {Need::kOptional, Need::kRequired}) {
    auto in = Input::FromJson(text);
    if (!in.ok()) {
      Check(in.status().code() == StatusCode::kInvalidArgument);
      break;
    }
    Check(valid);
    Check(in->is_json());
    ReadAll(*in, need);
  }

  // Multipart fields and query parameters.
  ReadParts(text, /*query=*/false, Need::kOptional);
  ReadParts(text, /*query=*/false, Need::kRequired);
  ReadParts(text, /*query=*/true, Need::kOptional);

  // Response JSON from arbitrary bytes is always well formed.
  JsonWriter w;
  w.BeginObject().Field("k", text).Key(text).String(text).EndObject();
  Check(eseal::http::IsValidJson(w.str()));
  return 0;
}
