// Shared pieces of the CLI commands. CLI11 is used only in app.cc (it throws on bad
// usage; that file catches); commands see plain option structs and return Result<int>.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/clock.h"
#include "eseal/base/report.h"
#include "eseal/crypto/sm2.h"
#include "eseal/ofd/reader.h"
#include "eseal/render/render.h"
#include "eseal/sign/timestamper.h"
#include "eseal/verify/policy.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/crl.h"

namespace CLI {
class App;
}
namespace eseal::verify {
struct OfdVerification;
}

namespace eseal::cli {

struct Context {
  std::ostream& out;
  std::ostream& err;
  const Clock& clock;
};

// A command's work, run after parsing; returns the process exit code.
using Action = std::function<Result<int>()>;

// Each command group registers its subcommands; when one is chosen, it sets `action`.
void AddCaCommands(CLI::App& app, Context& ctx, Action& action);
void AddKeyCommands(CLI::App& app, Context& ctx, Action& action);
void AddCertCommands(CLI::App& app, Context& ctx, Action& action);
void AddSealCommands(CLI::App& app, Context& ctx, Action& action);
void AddSignCommands(CLI::App& app, Context& ctx, Action& action);
void AddOfdCommands(CLI::App& app, Context& ctx, Action& action);
void AddPdfCommands(CLI::App& app, Context& ctx, Action& action);
// eseal pdf render (pdf_render.cc).
struct PdfRenderOpts {
  std::string file, out;
  int page = 1;
  double dpi = 96;
};
Result<int> RenderPdf(const PdfRenderOpts& o, Context& ctx);
// "--pages" text: "2-5", "3" or "2-" (to the end: second = 0); empty means all (1, 0).
Result<std::pair<int, int>> ParsePageRange(const std::string& text);
void AddTsCommands(CLI::App& app, Context& ctx, Action& action);
void AddEvidenceCommands(CLI::App& app, Context& ctx, Action& action);

// ---- helpers (common.cc) ----
Result<x509::Certificate> LoadCertificate(const std::string& path);
Result<std::vector<x509::Certificate>> LoadCertificates(const std::vector<std::string>& paths);
Result<std::vector<x509::Crl>> LoadCrls(const std::vector<std::string>& paths);
Result<crypto::Sm2PublicKey> LoadPublicKey(const std::string& path);
// A key file: protected (needs the password file) or unencrypted PEM.
Result<crypto::Sm2PrivateKey> LoadPrivateKey(const std::string& path,
                                             const std::string& password_file);
Result<Time> ParseTimeOption(const std::string& text, const std::string& option);
Status WriteOutput(const std::string& path, ByteView data, unsigned mode = 0644);

// The validation policy's inputs on the command line (docs/verification.md), the same on
// `seal verify`, `verify` and `ofd verify`.
struct TrustOptions {
  std::vector<std::string> anchors;        // --trust: signer CA roots
  std::vector<std::string> maker_anchors;  // --maker-trust: maker certificates or maker CAs
  std::vector<std::string> maker_policies; // --maker-policy: OIDs maker leaves of a maker CA carry
  std::vector<std::string> tsa_anchors;    // --tsa-trust: TSA roots
  std::vector<std::string> intermediates;
  std::vector<std::string> crls;
  bool no_revocation = false;
  bool tolerate_test_roots = false;
  std::string at;  // --at
  std::vector<std::string> seal_status;  // --seal-status: signed seal-status answers (DER)
};
void AddTrustOptions(CLI::App* cmd, TrustOptions& t);
// `now` is the clock's time; --at, when given, is put in the policy's time rule.
Result<verify::ValidationPolicy> BuildValidationPolicy(const TrustOptions& t, Time now);

// --evidence FILE on `verify` and `ofd verify` (evidence_command.cc): evidence records
// (验证证据记录, verify/evidence_record.h) kept by the signing platform. Each adds only
// untrusted material to the policy — the anchors stay the relying party's own.
void AddEvidenceOption(CLI::App* cmd, std::vector<std::string>& files);
struct AppliedEvidence {
  std::string file;
  Bytes signature_hash;  // SM3 of the signature value the record is for
  Report report;         // verify::ApplyEvidence's checks
};
// Reads and parses every file first (an unusable one is an error naming --evidence and the
// file: exit 2), then applies each to `policy`.
Result<std::vector<AppliedEvidence>> ApplyEvidenceFiles(const std::vector<std::string>& files,
                                                        verify::ValidationPolicy& policy);
// A signature of the document being verified and SM3 of its value.
struct SignatureHash {
  std::string label;  // how the report names it
  Bytes sm3;
};
// SM3 of each OFD signature's value: the SES_Signature DER of a Type="Seal" signature and
// the SignedValue file's bytes, for every signature in `v`.
std::vector<SignatureHash> OfdSignatureHashes(ByteView document, const verify::OfdVerification& v);
// Appends each record's checks to `into` (params "evidence_file"), and evidence.signature:
// PASS naming the signature the record is for, INDETERMINATE when it is for none of them.
void AddEvidenceChecks(const std::vector<AppliedEvidence>& evidence,
                       const std::vector<SignatureHash>& signatures, Report& into);

// --tsa-key/--tsa-cert/--tsa-chain/--tsa-password-file on the signing commands (`sign`,
// `ofd sign`; sign_command.cc): stamp each signature with a local TSA — eseal's own
// tsp::TimestampAuthority on the CLI's clock. Or --tsa-url (with --tsa-url-trust,
// --tsa-timeout): ask a TSA over HTTP (sign/tsa_client.h), checking its reply before use.
// No option given: no timestamp, output unchanged.
struct TsaSignOptions {
  std::string key, cert, password_file;
  std::vector<std::string> chain;
  std::string url;                     // --tsa-url
  std::vector<std::string> url_trust;  // --tsa-url-trust: TSA roots the reply must chain to
  double timeout_seconds = 0;          // --tsa-timeout: 0 keeps the client's defaults
};
void AddTsaSignOptions(CLI::App* cmd, TsaSignOptions& t);
// An empty Timestamper when no option was given; the returned one owns its TSA.
Result<sign::Timestamper> MakeLocalTimestamper(const TsaSignOptions& t, const Clock& clock);
// The local TSA, the HTTP one (--tsa-url; exclusive with --tsa-key/--tsa-cert), or none.
// A note goes to ctx.err when --tsa-url comes without --tsa-url-trust.
Result<sign::Timestamper> MakeTimestamper(const TsaSignOptions& t, Context& ctx);

// The seal appearances on page `page_index` as render overlays (ofd_overlays.cc): PNG
// pictures as they are, "ofd" pictures rendered, anything else as a marked placeholder.
Result<std::vector<render::Overlay>> SealOverlays(const ofd::Reader& reader, size_t page_index);

// Prints a report (text or JSON) and returns the exit code for its verdict.
int PrintReport(const Report& report, bool json, bool verbose, std::ostream& out);

}  // namespace eseal::cli
