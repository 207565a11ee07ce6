// The `eseal` command line: commands for the CA, keys, certificates, seals, detached
// signatures and OFD documents. Exit codes: 0 success or verification PASSED, 1 FAILED,
// 2 bad usage or unreadable input, 3 INDETERMINATE, 4 refused (wrong password, not
// allowed), 5 internal error (base/status.h ExitCodeFor).
// Thread-safety: Run is reentrant apart from the process-wide streams it is given.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "eseal/base/clock.h"

namespace eseal::cli {

// Exit codes for verdicts.
inline constexpr int kExitPassed = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitIndeterminate = 3;

// An extra top-level command contributed by the composition root (apps/), e.g. `serve`,
// which needs a concrete store that the cli module must not link.
struct ExtraCommand {
  std::string name;
  std::string description;
  // Called with the arguments after the command name; returns the exit code.
  std::function<int(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)> run;
};

// Runs one command line (args[0] is the program name).
int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const Clock& clock = SystemClock(), const std::vector<ExtraCommand>& extra = {});

}  // namespace eseal::cli
