// Archives (归档): signed government documents kept with the evidence to re-verify them.
// Thread-safety: implementations are safe to use from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/report.h"
#include "eseal/base/result.h"
#include "eseal/base/bytes.h"
#include "eseal/platform/caller.h"
#include "eseal/platform/model.h"
#include "eseal/platform/repository.h"

namespace eseal::platform {

// The archives capability (archive.cc).
class Archives {
 public:
  virtual ~Archives() = default;

  // ---- archiving (归档, G20) ----
  // A signed government document with its verification report and the evidence to
  // re-verify it later (certificates, CRL, seal status at signing time), fixed once written.
  virtual Result<ArchiveEntry> Archive(const Caller& c, ByteView document, std::string_view name) = 0;
  virtual Result<ArchiveEntry> GetArchive(const Caller& c, std::string_view id) = 0;
  virtual Result<PageOf<ArchiveEntry>> ListArchives(const Caller& c, Page page) = 0;
  // Recomputes the entry hash and checks the platform signature: is it still as written?
  virtual Result<Report> VerifyArchive(const Caller& c, std::string_view id) = 0;
};

}  // namespace eseal::platform
