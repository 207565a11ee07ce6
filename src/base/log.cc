#include "eseal/base/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "eseal/base/bytes.h"
#include "eseal/base/clock.h"

namespace eseal {

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    // Copy one well-formed UTF-8 sequence; escape the bytes of anything else one by one
    // (a JSON parser refuses overlong forms, surrogates and bytes F5..FF in a string).
    const size_t len = Utf8SequenceLength(s, i);
    if (len > 0) {
      out.append(s.substr(i, len));
      i += len - 1;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    }
  }
  return out;
}

namespace log {
namespace {
std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_mu;
std::function<void(std::string_view)>& SinkRef() {
  static std::function<void(std::string_view)> sink;
  return sink;
}
const char* LevelName(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}
}  // namespace

void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }

void SetSink(std::function<void(std::string_view)> sink) {
  std::lock_guard<std::mutex> lock(g_mu);
  SinkRef() = std::move(sink);
}

void Write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (static_cast<int>(level) < g_level.load()) return;
  std::string line = "{\"ts\":\"" + FormatRfc3339(SystemClock().Now()) + "\",\"level\":\"" +
                     LevelName(level) + "\",\"event\":\"" + JsonEscape(event) + "\"";
  for (const Field& f : fields) {
    line += ",\"";
    line += JsonEscape(f.first);
    line += "\":\"";
    line += JsonEscape(f.second);
    line += "\"";
  }
  line += "}";
  std::lock_guard<std::mutex> lock(g_mu);
  if (SinkRef()) {
    SinkRef()(line);
  } else {
    line += "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
}

}  // namespace log
}  // namespace eseal
