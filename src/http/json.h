// Request parameters and response JSON for the HTTP layer.
//
// Input reads the parameters of one request — a JSON object, or the fields and files of a
// multipart/form-data body — into typed values, and collects the first problem as a
// Status naming the field: a required field that is missing, a value of the wrong type, a
// value out of range, or (at Finish) a field the route does not know. The JSON parser is
// nlohmann-json, used only inside json.cc, which catches everything it throws.
//
// JsonWriter builds response JSON by hand (no exceptions, no library), escaping strings
// with eseal::JsonEscape.
//
// Thread-safety: values; an Input or a JsonWriter is used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/time.h"

namespace eseal::http {

// One field or file of a multipart/form-data body.
struct Part {
  std::string name;
  std::string filename;
  std::string content_type;
  std::string data;
};

enum class Need { kOptional, kRequired };

class Input {
 public:
  // Most nesting a request body may have.
  static constexpr int kMaxDepth = 32;

  // Parses `text`, which must be one JSON object (InvalidArgument otherwise, with the byte
  // offset of a syntax error but never the text around it: it may hold a password).
  // Duplicate keys are refused.
  static Result<Input> FromJson(std::string_view text);
  // The fields of a multipart body. `parts` must outlive the Input; fields read with
  // Secret() are wiped in place.
  static Input FromParts(std::vector<Part>* parts);
  // The parameters of a query string (name/value pairs as parts); messages say
  // "query parameter" instead of "field".
  static Input FromQuery(std::vector<Part>* params);
  // No parameters at all (an empty body).
  static Input Empty();

  Input(Input&&) noexcept;
  Input& operator=(Input&&) noexcept;
  ~Input();

  bool is_json() const;
  // True if the field is present (and, in JSON, not null).
  bool Has(std::string_view key) const;

  // Text: valid UTF-8 without NUL, at most `max_len` bytes.
  Input& Str(std::string_view key, std::string* out, Need need, size_t max_len = 4096);
  // The same, leaving `out` nullopt when the field is absent (or null in JSON): for updates
  // that change only what they are given.
  Input& OptStr(std::string_view key, std::optional<std::string>* out, Need need, size_t max_len = 4096) {
    std::string v;
    bool had = Has(key);
    Str(key, &v, need, max_len);
    if (had && error_.ok()) *out = std::move(v);
    return *this;
  }
  Input& Int(std::string_view key, int64_t* out, Need need, int64_t min = INT64_MIN,
             int64_t max = INT64_MAX);
  Input& Int(std::string_view key, int* out, Need need, int min = INT32_MIN, int max = INT32_MAX);
  Input& Num(std::string_view key, double* out, Need need);
  Input& Bool(std::string_view key, bool* out, Need need);
  // RFC 3339 (or the other forms eseal::ParseTime reads).
  Input& Time(std::string_view key, eseal::Time* out, Need need);
  // A password or PIN: read straight into SecretBytes, and the source wiped.
  Input& Secret(std::string_view key, SecretBytes* out, Need need, size_t max_len = 1024);
  // Binary: base64 in JSON, the raw part in multipart (a file or a field). `filename`
  // receives the part's file name (multipart only).
  Input& Binary(std::string_view key, Bytes* out, Need need, std::string* filename = nullptr);
  // A list of strings: a JSON array, or repeated multipart fields.
  Input& StrList(std::string_view key, std::vector<std::string>* out, Need need,
                 size_t max_items = 1000);
  // A JSON array of objects, each read by `each` with an Input whose messages name
  // "key[i].field". JSON only.
  Input& Objects(std::string_view key, const std::function<void(Input&, size_t)>& each,
                 Need need, size_t max_items = 1000);
  // A string mapped through a parser such as platform::ParseSealStatus.
  template <typename E, typename Parser>
  Input& Enum(std::string_view key, E* out, Parser parse, Need need) {
    std::string s;
    bool had = Has(key);
    Str(key, &s, need, 64);
    if (!had || !error_.ok()) return *this;
    auto r = parse(s);
    if (!r.ok()) {
      Fail(key, r.status().message());
      return *this;
    }
    *out = *r;
    return *this;
  }
  template <typename E, typename Parser>
  Input& Enum(std::string_view key, std::optional<E>* out, Parser parse, Need need) {
    E v{};
    bool had = Has(key);
    Enum(key, &v, parse, need);
    if (had && error_.ok()) *out = v;
    return *this;
  }

  // Records a problem with a field ("field 'x': <why>") unless one is recorded already.
  void Fail(std::string_view key, std::string_view why);
  // The first problem so far.
  const Status& error() const { return error_; }
  // The first problem, or InvalidArgument naming a field nobody read.
  Status Finish();

 private:
  struct Impl;
  struct Field;  // a field's JSON value or its form parts (json.cc)
  explicit Input(std::unique_ptr<Impl> impl);
  // The first step of every typed reader: marks `key` read and finds it. False when there is
  // nothing more to do: an earlier problem, an absent field (a problem if it is required),
  // or a form field given more than once where that is not allowed.
  bool Lookup(std::string_view key, Need need, Field* f, bool allow_repeats = false);
  // Form text is raw bytes: at most `max_len` of them, well-formed UTF-8, no NUL.
  bool CheckText(std::string_view key, const std::string& value, size_t max_len);
  std::string Label(std::string_view key) const;
  std::string ZhNoun() const;
  std::unique_ptr<Impl> impl_;
  std::string prefix_;
  std::string noun_ = "field";
  Status error_;
};

// True if `text` is one well-formed JSON value.
bool IsValidJson(std::string_view text);

// Builds compact JSON. Keys and strings are escaped; Raw() inserts text the caller vouches
// for (IsValidJson).
class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view v);
  JsonWriter& Int(int64_t v);
  JsonWriter& Double(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  JsonWriter& Raw(std::string_view json);

  // Shorthands for a key and its value.
  JsonWriter& Field(std::string_view key, std::string_view v) { return Key(key).String(v); }
  JsonWriter& Field(std::string_view key, const char* v) { return Key(key).String(v); }
  JsonWriter& Field(std::string_view key, const std::string& v) { return Key(key).String(v); }
  JsonWriter& Field(std::string_view key, int64_t v) { return Key(key).Int(v); }
  JsonWriter& Field(std::string_view key, int v) { return Key(key).Int(v); }
  JsonWriter& Field(std::string_view key, bool v) { return Key(key).Bool(v); }
  JsonWriter& TimeField(std::string_view key, eseal::Time t);
  JsonWriter& TimeField(std::string_view key, const std::optional<eseal::Time>& t);
  // Empty text as null (optional references).
  JsonWriter& OptField(std::string_view key, std::string_view v);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace eseal::http
