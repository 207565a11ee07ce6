// The composition root of the `eseal` binary: the CLI, plus `eseal serve` (apps/serve.cc),
// which wires a concrete store into the platform (only apps/ links the store), and
// `eseal backup` (apps/backup.cc), the online copy of the SQLite store.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "eseal/base/clock.h"
#include "eseal/cli/cli.h"
#ifdef ESEAL_WITH_SERVE
#include "backup.h"
#include "audit_command.h"
#include "serve.h"
#endif

int main(int argc, char** argv) {
  // With TZ unset, glibc's mktime re-reads /etc/localtime on every call, and libzip calls it
  // for every entry of every OFD package it opens (6.5% of verifying a 1-page OFD). Naming
  // the same zone explicitly lets glibc read it once; nothing else changes.
  setenv("TZ", ":/etc/localtime", /*overwrite=*/0);
  std::vector<std::string> args(argv, argv + argc);
  std::vector<eseal::cli::ExtraCommand> extra;
#ifdef ESEAL_WITH_SERVE
  extra.push_back({"serve", "run the seal platform's HTTP API (eseal serve --help)", eseal::apps::RunServe});
  extra.push_back({"audit", "check the audit trail offline against its export file (eseal audit verify --help)",
                   eseal::apps::RunAudit});
  extra.push_back({"backup", "consistent online backup of the SQLite store (eseal backup --help)",
                   eseal::apps::RunBackup});
#endif
  return eseal::cli::Run(args, std::cout, std::cerr, eseal::SystemClock(), extra);
}
