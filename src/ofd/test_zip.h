// Test helper: builds zip files byte by byte, including hostile ones that libzip's writer
// would refuse to make (duplicate names, traversal names, lying sizes, encryption flags),
// and large zero-filled entries deflated by streaming so the test never holds them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "eseal/base/bytes.h"

namespace eseal::ofd::testing {

struct ZipEntrySpec {
  std::string name;
  Bytes data;              // content, unless `zeros` is set
  uint64_t zeros = 0;      // content: this many zero bytes (deflated by streaming)
  uint16_t method = 8;     // 0 stored, 8 deflate; any other value is written as is (data stored)
  bool encrypted = false;  // sets general purpose bit 0
  std::optional<uint64_t> declared_size;  // lie about the uncompressed size
};

Bytes BuildZip(const std::vector<ZipEntrySpec>& entries);

// A zip of (name, text content) pairs, deflated.
Bytes BuildZipFiles(const std::vector<std::pair<std::string, std::string>>& files);

// A minimal valid one-page OFD package; `extra` files are added, replacing same-named ones.
Bytes MinimalOfd(const std::vector<std::pair<std::string, std::string>>& extra = {});

// Peak resident set size of this process so far, in bytes.
uint64_t PeakRssBytes();

}  // namespace eseal::ofd::testing
