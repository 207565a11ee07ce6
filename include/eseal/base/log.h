// Structured logging: one JSON object per line on stderr (or a sink a test installs):
//   {"ts":"2026-11-23T09:30:35Z","level":"info","event":"seal.made","esid":"..."}
// Callers pass fields explicitly; nothing is formatted from secret-bearing objects, and
// SecretBytes has no way to be passed here. Thread-safety: safe from any thread.
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace eseal::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

using Field = std::pair<std::string_view, std::string>;

void SetLevel(Level level);
// Replaces the destination of log lines (nullptr restores stderr).
void SetSink(std::function<void(std::string_view line)> sink);

void Write(Level level, std::string_view event, std::initializer_list<Field> fields = {});

inline void Info(std::string_view event, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, event, f);
}
inline void Warn(std::string_view event, std::initializer_list<Field> f = {}) {
  Write(Level::kWarn, event, f);
}
inline void Error(std::string_view event, std::initializer_list<Field> f = {}) {
  Write(Level::kError, event, f);
}
inline void Debug(std::string_view event, std::initializer_list<Field> f = {}) {
  Write(Level::kDebug, event, f);
}

}  // namespace eseal::log

namespace eseal {
// Escapes a string for inclusion inside JSON double quotes (UTF-8 passes through; control
// characters and invalid UTF-8 bytes are escaped as \u00XX).
std::string JsonEscape(std::string_view s);
}  // namespace eseal
