// `eseal serve`: the composition root of the seal platform's HTTP server. It opens the
// store (SQLite or PostgreSQL), the key-encryption key (key file or PKCS#11 token), the
// platform, and the HTTP server, writes the first operator's token to a 0600 file, and
// runs until SIGINT or SIGTERM, with a periodic audit checkpoint and seal expiry sweep.
// Only apps/ links the store (DESIGN.md "Layers").
// Thread-safety: RunServe is called once per process.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace eseal::apps {

// `args` are the arguments after "serve". Returns the process exit code.
int RunServe(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace eseal::apps
