// The CLI11 adapter: builds the command tree, parses (CLI11 throws on bad usage; caught
// here and turned into exit code 2 with one line), then runs the chosen action.
#include <CLI/CLI.hpp>

#include "eseal/cli/cli.h"
#include "eseal/crypto/sm2.h"
#include "internal.h"

namespace eseal::cli {

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const Clock& clock, const std::vector<ExtraCommand>& extra) {
  Context ctx{out, err, clock};
  Action action;
  CLI::App app{"eseal: electronic seals (GB/T 38540, SM2/SM3) and the seal platform", "eseal"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "eseal 0.1.0");
  // Global, before the command: `eseal --crypto openssl serve ...`. The environment variable
  // ESEAL_CRYPTO gives the default (crypto/sm2.h).
  std::string crypto_backend;
  app.add_option("--crypto", crypto_backend,
                 "SM2 implementation: eseal (our own, constant time; the default) or openssl");
  AddCaCommands(app, ctx, action);
  AddKeyCommands(app, ctx, action);
  AddCertCommands(app, ctx, action);
  AddSealCommands(app, ctx, action);
  AddSignCommands(app, ctx, action);
  AddOfdCommands(app, ctx, action);
  AddPdfCommands(app, ctx, action);
  AddTsCommands(app, ctx, action);
  AddEvidenceCommands(app, ctx, action);

  const ExtraCommand* chosen_extra = nullptr;
  std::vector<CLI::App*> extra_apps;
  for (const ExtraCommand& e : extra) {
    CLI::App* sub = app.add_subcommand(e.name, e.description);
    sub->prefix_command();
    sub->set_help_flag();  // the extra command prints its own help
    extra_apps.push_back(sub);
  }

  std::vector<std::string> argv_rev(args.rbegin(), args.rend() - (args.empty() ? 0 : 1));
  try {
    app.parse(argv_rev);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp& e) {
    out << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::Success& e) {
    // --version
    out << "eseal 0.1.0\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    // Help for a subcommand is reported through CallForHelp with the subcommand's help text.
    std::string what = e.what();
    err << "eseal: " << what << "\n";
    err << "run 'eseal --help' or 'eseal <command> --help' for usage\n";
    return kExitUsage;
  }
  if (!crypto_backend.empty()) {
    // Checked here rather than by CLI11, whose refusal would be English only.
    Result<crypto::Sm2Backend> backend = crypto::ParseSm2Backend(crypto_backend);
    if (!backend.ok()) {
      err << "eseal: " << backend.status().message() << "\n";
      return kExitUsage;
    }
    crypto::SetSm2Backend(*backend);
  }
  for (size_t i = 0; i < extra_apps.size(); ++i) {
    if (extra_apps[i]->parsed()) chosen_extra = &extra[i];
  }
  if (chosen_extra) {
    std::vector<std::string> rest;
    for (CLI::App* sub : extra_apps) {
      if (sub->parsed()) rest = sub->remaining();
    }
    return chosen_extra->run(rest, out, err);
  }
  if (!action) {
    err << "eseal: choose a command; run 'eseal --help'\n";
    return kExitUsage;
  }
  Result<int> code = action();
  if (!code.ok()) {
    err << "eseal: " << code.status().message() << "\n";
    return ExitCodeFor(code.status().code());
  }
  return *code;
}

}  // namespace eseal::cli
