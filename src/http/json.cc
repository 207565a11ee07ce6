// The nlohmann-json adapter of the HTTP layer: the only file that includes it. Every call
// that may throw is inside a try block here; nothing escapes.
#include "json.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

#include "eseal/base/log.h"

namespace eseal::http {

using nlohmann::json;

namespace {

// Form fields and query parameters arrive as raw bytes (JSON strings were already checked
// by the parser): text must be well-formed UTF-8, or it would later be stored and echoed
// in JSON that clients and PostgreSQL refuse.
bool ValidUtf8NoNul(std::string_view s) {
  return s.find('\0') == std::string_view::npos && IsValidUtf8(s);
}

void Wipe(std::string& s) {
  if (!s.empty()) SecureZero(s.data(), s.size());
}

std::string TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a number";
    default: return "something else";
  }
}

}  // namespace

struct Input::Impl {
  // JSON: `root` is an object. Multipart: `parts` points at the transport's parts.
  bool is_json = false;
  json root = json::object();
  std::vector<Part>* parts = nullptr;
  std::set<std::string, std::less<>> read;

  const json* Find(std::string_view key) const {
    auto it = root.find(std::string(key));
    if (it == root.end() || it->is_null()) return nullptr;
    return &*it;
  }
  json* FindMutable(std::string_view key) {
    auto it = root.find(std::string(key));
    if (it == root.end() || it->is_null()) return nullptr;
    return &*it;
  }
  std::vector<Part*> PartsNamed(std::string_view key) const {
    std::vector<Part*> out;
    if (parts == nullptr) return out;
    for (Part& p : *parts) {
      if (p.name == key) out.push_back(&p);
    }
    return out;
  }
};

Input::Input(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Input::Input(Input&&) noexcept = default;
Input& Input::operator=(Input&&) noexcept = default;
Input::~Input() = default;

Result<Input> Input::FromJson(std::string_view text) {
  auto impl = std::make_unique<Impl>();
  impl->is_json = true;
  bool too_deep = false;
  std::string duplicate;
  std::vector<std::set<std::string>> keys;
  try {
    json::parser_callback_t cb = [&](int depth, json::parse_event_t ev, json& parsed) -> bool {
      if (depth > kMaxDepth) {
        too_deep = true;
        return false;
      }
      switch (ev) {
        case json::parse_event_t::object_start: keys.emplace_back(); break;
        case json::parse_event_t::object_end:
          if (!keys.empty()) keys.pop_back();
          break;
        case json::parse_event_t::key:
          if (!keys.empty() && parsed.is_string() &&
              !keys.back().insert(parsed.get_ref<const std::string&>()).second && duplicate.empty()) {
            duplicate = parsed.get_ref<const std::string&>();
          }
          break;
        default: break;
      }
      return true;
    };
    impl->root = json::parse(text.begin(), text.end(), cb, /*allow_exceptions=*/true);
  } catch (const json::parse_error& e) {
    return InvalidArgumentError("请求体不是合法的 JSON，请检查格式后重试 / the body is not valid JSON (syntax error at byte " +
                                std::to_string(e.byte) + ")");
  } catch (const std::exception&) {
    return InvalidArgumentError("请求体不是合法的 JSON，请检查格式后重试 / the body is not valid JSON");
  }
  if (too_deep) {
    return InvalidArgumentError("请求体的 JSON 嵌套过深，请简化后重试 / the JSON body nests deeper than " + std::to_string(kMaxDepth) +
                                " levels");
  }
  if (!duplicate.empty()) {
    return InvalidArgumentError("请求体中同一字段出现了两次，请只保留一个 / the JSON body has the field '" + JsonEscape(duplicate.substr(0, 64)) +
                                "' twice");
  }
  if (!impl->root.is_object()) {
    return InvalidArgumentError("请求体须为 JSON 对象（{...}），请修正后重试 / the body must be a JSON object, not " + TypeName(impl->root));
  }
  return Input(std::move(impl));
}

Input Input::FromParts(std::vector<Part>* parts) {
  auto impl = std::make_unique<Impl>();
  impl->parts = parts;
  return Input(std::move(impl));
}

Input Input::FromQuery(std::vector<Part>* params) {
  Input in = FromParts(params);
  in.noun_ = "query parameter";
  return in;
}

Input Input::Empty() {
  auto impl = std::make_unique<Impl>();
  impl->is_json = true;
  return Input(std::move(impl));
}

bool Input::is_json() const { return impl_->is_json; }

bool Input::Has(std::string_view key) const {
  if (impl_->is_json) return impl_->Find(key) != nullptr;
  return !impl_->PartsNamed(key).empty();
}

std::string Input::Label(std::string_view key) const { return prefix_ + std::string(key); }

// The noun in Chinese, for the first half of every message (the English half is the detail
// an integrator needs).
std::string Input::ZhNoun() const { return noun_ == "query parameter" ? "查询参数" : "字段"; }

void Input::Fail(std::string_view key, std::string_view why) {
  if (!error_.ok()) return;
  error_ = InvalidArgumentError("请求中的" + ZhNoun() + "“" + Label(key) + "”有误，请按接口说明修正后重试 / " + noun_ +
                                " '" + Label(key) + "' " + std::string(why));
}

struct Input::Field {
  json* value = nullptr;      // JSON: the field's value
  std::vector<Part*> parts;   // form and query: the parts of that name
};

bool Input::Lookup(std::string_view key, Need need, Field* f, bool allow_repeats) {
  impl_->read.insert(std::string(key));
  if (!error_.ok()) return false;
  if (impl_->is_json) {
    f->value = impl_->FindMutable(key);
  } else {
    f->parts = impl_->PartsNamed(key);
  }
  if (f->value == nullptr && f->parts.empty()) {
    if (need == Need::kRequired) Fail(key, "is required");
    return false;
  }
  if (!allow_repeats && f->parts.size() > 1) {
    Fail(key, "is given more than once");
    return false;
  }
  return true;
}

bool Input::CheckText(std::string_view key, const std::string& value, size_t max_len) {
  if (value.size() > max_len) {
    Fail(key, "is longer than " + std::to_string(max_len) + " bytes");
    return false;
  }
  if (!ValidUtf8NoNul(value)) {
    Fail(key, "must be UTF-8 text without NUL characters");
    return false;
  }
  return true;
}

Input& Input::Str(std::string_view key, std::string* out, Need need, size_t max_len) {
  Field f;
  if (!Lookup(key, need, &f)) return *this;
  std::string value;
  if (f.value != nullptr) {
    if (!f.value->is_string()) {
      Fail(key, "must be a string, not " + TypeName(*f.value));
      return *this;
    }
    value = f.value->get_ref<const std::string&>();
  } else {
    value = f.parts[0]->data;
  }
  if (!CheckText(key, value, max_len)) return *this;
  *out = std::move(value);
  return *this;
}

Input& Input::Int(std::string_view key, int64_t* out, Need need, int64_t min, int64_t max) {
  Field f;
  if (!Lookup(key, need, &f)) return *this;
  int64_t value = 0;
  std::string range = "between " + std::to_string(min) + " and " + std::to_string(max);
  if (const json* v = f.value) {
    if (v->is_number_unsigned()) {
      uint64_t u = v->get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) {
        Fail(key, "must be an integer " + range);
        return *this;
      }
      value = static_cast<int64_t>(u);
    } else if (v->is_number_integer()) {
      value = v->get<int64_t>();
    } else {
      Fail(key, "must be an integer, not " + TypeName(*v));
      return *this;
    }
  } else {
    const std::string& text = f.parts[0]->data;
    if (!CheckText(key, text, 32)) return *this;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p != text.data() + text.size() || text.empty()) {
      Fail(key, "must be an integer");
      return *this;
    }
  }
  if (value < min || value > max) {
    Fail(key, "must be an integer " + range);
    return *this;
  }
  *out = value;
  return *this;
}

Input& Input::Int(std::string_view key, int* out, Need need, int min, int max) {
  int64_t v = 0;
  bool had = Has(key);
  Int(key, &v, need, min, max);
  if (had && error_.ok()) *out = static_cast<int>(v);
  return *this;
}

Input& Input::Num(std::string_view key, double* out, Need need) {
  Field f;
  if (!Lookup(key, need, &f)) return *this;
  double value = 0;
  if (const json* v = f.value) {
    if (!v->is_number()) {
      Fail(key, "must be a number, not " + TypeName(*v));
      return *this;
    }
    value = v->get<double>();
  } else {
    const std::string& text = f.parts[0]->data;
    if (!CheckText(key, text, 32)) return *this;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p != text.data() + text.size() || text.empty()) {
      Fail(key, "must be a number");
      return *this;
    }
  }
  if (!std::isfinite(value)) {
    Fail(key, "must be a finite number");
    return *this;
  }
  *out = value;
  return *this;
}

Input& Input::Bool(std::string_view key, bool* out, Need need) {
  Field f;
  if (!Lookup(key, need, &f)) return *this;
  if (const json* v = f.value) {
    if (!v->is_boolean()) {
      Fail(key, "must be true or false, not " + TypeName(*v));
      return *this;
    }
    *out = v->get<bool>();
    return *this;
  }
  const std::string& text = f.parts[0]->data;
  if (text == "true") {
    *out = true;
  } else if (text == "false") {
    *out = false;
  } else {
    Fail(key, "must be true or false");
  }
  return *this;
}

Input& Input::Time(std::string_view key, eseal::Time* out, Need need) {
  std::string text;
  bool had = Has(key);
  Str(key, &text, need, 64);
  if (!had || !error_.ok()) return *this;
  auto t = ParseTime(text);
  if (!t.ok()) {
    Fail(key, "must be a time such as 2026-11-23T09:30:00Z (RFC 3339)");
    return *this;
  }
  *out = *t;
  return *this;
}

Input& Input::Secret(std::string_view key, SecretBytes* out, Need need, size_t max_len) {
  Field f;
  if (!Lookup(key, need, &f, /*allow_repeats=*/true)) return *this;
  std::string* source = nullptr;
  if (f.value != nullptr) {
    if (!f.value->is_string()) {
      Fail(key, "must be a string, not " + TypeName(*f.value));
      return *this;
    }
    source = &f.value->get_ref<std::string&>();
  } else {
    if (f.parts.size() > 1) {
      for (Part* p : f.parts) Wipe(p->data);
      Fail(key, "is given more than once");
      return *this;
    }
    source = &f.parts[0]->data;
  }
  if (source->size() > max_len) {
    Wipe(*source);
    Fail(key, "is longer than " + std::to_string(max_len) + " bytes");
    return *this;
  }
  if (source->find('\0') != std::string::npos) {
    Wipe(*source);
    Fail(key, "must not contain NUL characters");
    return *this;
  }
  *out = SecretBytes(std::string_view(*source));
  Wipe(*source);
  return *this;
}

Input& Input::Binary(std::string_view key, Bytes* out, Need need, std::string* filename) {
  Field f;
  if (!Lookup(key, need, &f)) return *this;
  if (const json* v = f.value) {
    if (!v->is_string()) {
      Fail(key, "must be a base64 string, not " + TypeName(*v));
      return *this;
    }
    auto b = Base64Decode(v->get_ref<const std::string&>());
    if (!b.ok()) {
      Fail(key, "must be base64 (RFC 4648, with padding)");
      return *this;
    }
    *out = std::move(*b);
    return *this;
  }
  *out = Bytes(f.parts[0]->data.begin(), f.parts[0]->data.end());
  if (filename != nullptr) *filename = f.parts[0]->filename;
  return *this;
}

Input& Input::StrList(std::string_view key, std::vector<std::string>* out, Need need,
                      size_t max_items) {
  Field f;
  if (!Lookup(key, need, &f, /*allow_repeats=*/true)) return *this;
  std::vector<std::string> values;
  if (const json* v = f.value) {
    if (!v->is_array()) {
      Fail(key, "must be an array of strings, not " + TypeName(*v));
      return *this;
    }
    for (const json& e : *v) {
      if (!e.is_string()) {
        Fail(key, "must be an array of strings");
        return *this;
      }
      values.push_back(e.get_ref<const std::string&>());
    }
  } else {
    for (Part* p : f.parts) values.push_back(p->data);
  }
  if (values.size() > max_items) {
    Fail(key, "has more than " + std::to_string(max_items) + " items");
    return *this;
  }
  for (const std::string& s : values) {
    if (s.size() > 4096 || !ValidUtf8NoNul(s)) {
      Fail(key, "must hold UTF-8 text items without NUL characters");
      return *this;
    }
  }
  *out = std::move(values);
  return *this;
}

Input& Input::Objects(std::string_view key, const std::function<void(Input&, size_t)>& each,
                      Need need, size_t max_items) {
  if (!impl_->is_json) {
    impl_->read.insert(std::string(key));
    Fail(key, "needs a JSON body");
    return *this;
  }
  Field f;
  if (!Lookup(key, need, &f)) return *this;
  json* v = f.value;
  if (!v->is_array()) {
    Fail(key, "must be an array of objects, not " + TypeName(*v));
    return *this;
  }
  if (v->size() > max_items) {
    Fail(key, "has more than " + std::to_string(max_items) + " items");
    return *this;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    json& e = (*v)[i];
    if (!e.is_object()) {
      Fail(key, "must be an array of objects (item " + std::to_string(i) + " is " + TypeName(e) + ")");
      return *this;
    }
    auto impl = std::make_unique<Impl>();
    impl->is_json = true;
    impl->root = std::move(e);
    Input child(std::move(impl));
    child.prefix_ = Label(key) + "[" + std::to_string(i) + "].";
    each(child, i);
    Status st = child.Finish();
    if (!st.ok()) {
      error_ = st;
      return *this;
    }
  }
  return *this;
}

Status Input::Finish() {
  if (!error_.ok()) return error_;
  if (impl_->is_json) {
    for (auto it = impl_->root.begin(); it != impl_->root.end(); ++it) {
      if (impl_->read.find(it.key()) == impl_->read.end()) {
        const std::string name = prefix_ + JsonEscape(it.key().substr(0, 64));
        return InvalidArgumentError("请求中有本接口不认识的字段“" + name + "”，请检查拼写或删去 / unknown field '" +
                                    name + "'");
      }
    }
    return Status::Ok();
  }
  if (impl_->parts != nullptr) {
    for (const Part& p : *impl_->parts) {
      if (impl_->read.find(p.name) == impl_->read.end()) {
        const std::string name = JsonEscape(p.name.substr(0, 64));
        return InvalidArgumentError("请求中有本接口不认识的" + ZhNoun() + "“" + name + "”，请检查拼写或删去 / unknown " +
                                    noun_ + " '" + name + "'");
      }
    }
  }
  return Status::Ok();
}

bool IsValidJson(std::string_view text) {
  try {
    return json::accept(text.begin(), text.end());
  } catch (const std::exception&) {
    return false;
  }
}

// ---- JsonWriter ----

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_ += '{';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_ += '}';
  if (!first_.empty()) first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_ += '[';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_ += ']';
  if (!first_.empty()) first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  BeforeValue();
  out_ += '"';
  out_ += JsonEscape(key);
  out_ += "\":";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view v) {
  BeforeValue();
  out_ += '"';
  out_ += JsonEscape(v);
  out_ += '"';
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  BeforeValue();
  out_ += std::to_string(v);
  return *this;
}

JsonWriter& JsonWriter::Double(double v) {
  BeforeValue();
  if (!std::isfinite(v)) {
    out_ += "null";
    return *this;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  out_ += buf;
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  BeforeValue();
  out_ += v ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json_text) {
  BeforeValue();
  out_ += json_text;
  return *this;
}

JsonWriter& JsonWriter::TimeField(std::string_view key, eseal::Time t) {
  Key(key);
  if (t == eseal::Time{}) return Null();
  return String(FormatRfc3339(t));
}

JsonWriter& JsonWriter::TimeField(std::string_view key, const std::optional<eseal::Time>& t) {
  if (!t) return Key(key).Null();
  return TimeField(key, *t);
}

JsonWriter& JsonWriter::OptField(std::string_view key, std::string_view v) {
  Key(key);
  if (v.empty()) return Null();
  return String(v);
}

}  // namespace eseal::http
