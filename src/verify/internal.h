// Internal pieces of OFD verification (src/verify), shared by its files and tests.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eseal/base/report.h"
#include "eseal/ofd/package.h"
#include "eseal/ofd/signature.h"
#include "eseal/ofd/signatures.h"
#include "eseal/verify/ofd_verifier.h"

namespace eseal::verify::internal {

// The "checks" array of the report JSON shape (report_json.cc).
nlohmann::ordered_json ChecksJson(const Report& report);

// SM3 digests of package files, computed once per verification.
class DigestCache {
 public:
  explicit DigestCache(const ofd::Package& package) : package_(package) {}
  // NotFound when the file is missing; limits errors pass through.
  Result<Bytes> Sm3(const std::string& path);

 private:
  const ofd::Package& package_;
  std::map<std::string, Result<Bytes>> cache_;
};

// One signature of a Signatures.xml, with its parsed Signature.xml when readable.
struct ListedSignature {
  ofd::SignatureEntry entry;
  std::optional<ofd::Signature> signature;
  Bytes signature_xml;
  std::string error;  // why `signature` is missing
};

// ---- Coverage (保护范围) of what the reader renders: ofd_render_graph.cc, ofd_coverage.cc ----

// One DocBody (文档节点) of the render graph.
struct RenderDocBody {
  std::string doc_root;         // canonical DocRoot as OFD.xml names it
  std::string doc_root_file;    // the package file it resolves to (ignoring case), or empty
  std::string signatures_path;  // canonical Signatures.xml it names, or empty
  // Every package file a reader reaches from this DocBody: DocRoot and everything below it
  // (not OFD.xml, not the signature list).
  std::set<std::string> files;
};

// Who names a reachable file, over all DocBodies, in the order found.
struct RenderFile {
  std::vector<std::string> named_by;  // at most 16 (the first is used in messages)
  bool more_namers = false;           // more files name it than are kept
};

// The render graph (渲染引用图) of a package: what a reader follows from OFD.xml. Files are
// entry paths as stored in the package.
struct RenderGraph {
  std::string ofd_xml;                 // entry path of OFD.xml; empty when absent
  std::string error;                   // why OFD.xml cannot be followed; empty when it can
  std::vector<RenderDocBody> doc_bodies;
  std::map<std::string, RenderFile> files;  // every file some DocBody reaches
  std::vector<std::string> problems;   // parts not followed (a limit, unparsable XML)
  // XML parses while building (ofd::XmlParseCount): OFD.xml twice (its typed model and its
  // tree), every other reachable XML file once.
  uint64_t xml_parses = 0;
};

// Builds the graph; never fails (what cannot be followed is in `error` / `problems`).
RenderGraph BuildRenderGraph(const ofd::Package& package);

// The graph of one package, built on first use and shared by every signature list and
// every signature of the package (so each file is parsed once per verification).
class RenderGraphCache {
 public:
  explicit RenderGraphCache(const ofd::Package& package) : package_(package) {}
  const RenderGraph& Get();

 private:
  const ofd::Package& package_;
  std::optional<RenderGraph> graph_;
};

// What the digest checks of one signature found, for the coverage judgement.
struct CoverageInput {
  const ofd::Package* package = nullptr;
  std::string signatures_path;                // the DocBody's Signatures.xml
  const std::vector<ListedSignature>* list = nullptr;
  size_t index = 0;                           // the signature being judged
  std::set<std::string> verified;             // files it references whose digest matched
  std::set<std::string> referenced;           // every file it references
  const ofd::Limits* limits = nullptr;
};

// Judges every signature of one list, after all of them were verified, because a later
// signature may cover what an earlier one leaves out only if it verifies itself.
// `inputs[i]` belongs to (*list)[i] and is empty for a signature that never reached its
// References (it has already FAILED); `reports[i]` is its report, to which the coverage
// checks are appended. A signature "verifies" here when its report has no FAIL before
// coverage is judged (intact and valid; its trust is its own report's business).
// Adds ofd.signature.mode, ofd.reference.coverage (INFO), ofd.coverage.uncovered
// (INDETERMINATE), ofd.coverage.doc_root and ofd.reference.smuggled (FAIL),
// ofd.coverage.unreachable and ofd.reference.unprotected (WARNING), ofd.coverage.graph
// (INDETERMINATE). docs/verification.md "Coverage" explains each.
void CheckListCoverage(const RenderGraph& graph,
                       const std::vector<std::optional<CoverageInput>>& inputs,
                       const std::vector<Report*>& reports);

// Type="Sign": GB/T 35275 SignedData or a bare SM2 value over Signature.xml. Returns the
// signing time used, when one was found.
std::optional<Time> VerifySignValue(const ofd::Signature& sig, ByteView signature_xml,
                                    ByteView value, const OfdVerifyOptions& options, Report& r);

// SignatureDateTime as vendors write it: "yyyy-MM-dd HH:mm:ss" (China Standard Time, as
// ofdrw and Suwell write it), "yyyyMMddHHmmss" (CST), "yyyyMMddHHmmss[.fff]Z", RFC 3339.
Result<Time> ParseSignatureDateTime(std::string_view text);

// GB/T 35275 SignedData over an original whose SM3 is `digest`; `original` names it in the
// report ("Signature.xml", "the ByteRange bytes"). `claimed_time` reports and returns the
// signer's claimed time when the SignedData has no signingTime attribute. Adds sign.format,
// sign.encoding, sign.signer_info, sign.algorithm, sign.data_hash, sign.time,
// sign.signer_cert, sign.value (.raw_rs), sign.signer_cert.valid_at_signing_time, the
// timestamp's tsp.* checks and signer.* (cms_signature.cc). Returns the claimed time.
std::optional<Time> VerifySignedDataValue(ByteView value, ByteView digest, std::string_view original,
                                          const std::function<std::optional<Time>(Report&)>& claimed_time,
                                          const ValidationPolicy& policy, Report& r);
// A certificate's subject and serial, as check parameters.
std::vector<std::pair<std::string, std::string>> CertParams(const x509::Certificate& c);
// The signer certificate at the claimed time, the time decision (`token` over
// `signature_value`, or now) and the chain to a signer anchor (prefix "signer.").
void CheckSignerAt(const x509::Certificate& cert, std::optional<Time> claimed, const std::optional<Bytes>& token,
                   ByteView signature_value, const std::vector<x509::Certificate>& pool,
                   const ValidationPolicy& policy, Report& r);

}  // namespace eseal::verify::internal
