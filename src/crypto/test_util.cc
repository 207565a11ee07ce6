#include "test_util.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

namespace eseal::crypto::testing {
namespace {

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

std::vector<VectorRecord> ReadVectors(const std::string& name) {
  std::string path = std::string(ESEAL_TESTDATA) + "/crypto/" + name;
  std::ifstream in(path);
  std::vector<VectorRecord> out;
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return out;
  }
  VectorRecord cur;
  std::string line;
  while (std::getline(in, line)) {
    std::string t = Trim(line);
    if (!t.empty() && t[0] == '#') continue;
    if (t.empty()) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    size_t eq = t.find('=');
    if (eq == std::string::npos) {
      ADD_FAILURE() << path << ": bad line: " << t;
      continue;
    }
    cur[Trim(t.substr(0, eq))] = Trim(t.substr(eq + 1));
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  if (out.empty()) ADD_FAILURE() << path << " has no records";
  return out;
}

Bytes Hex(std::string_view hex) {
  auto b = HexDecode(hex);
  if (!b.ok()) {
    ADD_FAILURE() << "bad hex in test: " << hex;
    return {};
  }
  return *b;
}

std::string ReadShared(const std::string& relative_path) {
  std::string path = std::string(ESEAL_SHARED_TESTDATA) + "/" + relative_path;
  std::ifstream in(path, std::ios::binary);
  if (!in) ADD_FAILURE() << "cannot open " << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "eseal-crypto-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void WriteBytes(const std::string& path, ByteView data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  if (!out) ADD_FAILURE() << "cannot write " << path;
}

Bytes ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) ADD_FAILURE() << "cannot read " << path;
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

CommandResult RunCommand(const std::string& command) {
  CommandResult r;
  std::string full = command + " 2>&1";
  FILE* p = ::popen(full.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace eseal::crypto::testing
