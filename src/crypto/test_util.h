// Helpers for the crypto tests: vector files from testdata/crypto, temporary folders, and
// running the `openssl` command line for differential tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/rng.h"

namespace eseal::crypto::testing {

using VectorRecord = std::map<std::string, std::string>;

// Reads testdata/crypto/<name>: records separated by blank lines, lines `key = value`,
// `#` comments. Fails the calling test if the file is missing or empty.
std::vector<VectorRecord> ReadVectors(const std::string& name);

// Hex to bytes; fails the calling test on bad hex.
Bytes Hex(std::string_view hex);

std::string ReadShared(const std::string& relative_path);  // from ESEAL_SHARED_TESTDATA

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

void WriteBytes(const std::string& path, ByteView data);
Bytes ReadBytes(const std::string& path);

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};
CommandResult RunCommand(const std::string& command);
std::string Quote(const std::string& s);  // single-quoted for /bin/sh

// A deterministic Rng: a counter-based byte stream, for reproducible salts and nonces.
class CountingRng final : public Rng {
 public:
  Status Fill(std::span<uint8_t> out) override {
    for (auto& b : out) b = next_++;
    return Status::Ok();
  }

 private:
  uint8_t next_ = 1;
};

// An Rng that always fails.
class FailingRng final : public Rng {
 public:
  Status Fill(std::span<uint8_t>) override { return UnavailableError("no randomness today"); }
};

}  // namespace eseal::crypto::testing
