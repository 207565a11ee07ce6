// BM_OfdVerifyFile: verifying a given OFD, e.g. the one the HTTP run verifies, in-process,
// under the trust the platform builds; linked into bench_ofd (bench/CMakeLists.txt).
//
// bench/http_load.sh sets ESEAL_BENCH_OFD_FILE to the OFD that `eseal serve` signed,
// ESEAL_BENCH_OFD_TRUST to the server's trust bundle (PEM, GET /api/v1/trust-bundle: its
// root, issuing CA, seal-maker certificate and TSA certificates) and ESEAL_BENCH_OFD_CRL
// to its CRLs (DER files separated by ':': GET /api/v1/crl gives the issuing CA's; the
// root's, which covers the issuing CA, the script reads from the server's database).
// BM_OfdVerifyFile then verifies that very file under the roles the platform gives its own
// certificates (src/platform/verification.cc ValidationPolicyNow: the root for signers,
// the maker certificate pinned as seal maker, each TSA certificate pinned as TSA, CA
// certificates as intermediates), without the platform's database checks: the core cost
// of one POST /api/v1/verify. Like the platform, it keeps proofs in the process-wide
// proof cache, so every iteration after the first verifies a seen seal. Registered only
// when ESEAL_BENCH_OFD_FILE is set.
//
// (Before, the bundle's root was trusted for makers and signers and the leaves were
// dropped: the platform's documents carry a token from its own TSA, which was then
// trusted by nothing, and the verdict was INDETERMINATE — no in-process rate was printed.)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "eseal/asn1/oid.h"
#include "eseal/base/clock.h"
#include "eseal/base/file.h"
#include "eseal/verify/ofd_verifier.h"
#include "eseal/verify/summary.h"
#include "eseal/x509/certificate.h"
#include "eseal/x509/crl.h"
#include "seal_world.h"

namespace {

using namespace eseal;
using bench::Must;

struct GivenDocument {
  Bytes doc;
  verify::OfdVerifyOptions options;
};

bool IsTsaCertificate(const x509::Certificate& c) {
  static const asn1::Oid time_stamping = asn1::MustOid("1.3.6.1.5.5.7.3.8");
  const auto& eku = c.ext_key_usage();
  return eku && std::find(eku->begin(), eku->end(), time_stamping) != eku->end();
}

void BM_OfdVerifyFile(benchmark::State& state, const GivenDocument* g) {
  for (auto _ : state) {
    auto v = verify::VerifyOfd(g->doc, g->options);
    if (!v.ok()) {
      state.SkipWithError(v.status().message().c_str());
      break;
    }
    if (v->verdict() != Verdict::kPassed) {
      state.SkipWithError(
          ("verdict " + std::string(VerdictName(v->verdict())) + ": " + verify::Summarize(*v).en)
              .c_str());
      break;
    }
    benchmark::DoNotOptimize(v);
  }
  state.counters["ops/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.SetLabel(std::to_string(g->doc.size() / 1024) + " KiB package");
}

[[maybe_unused]] const bool kGivenDocumentRegistered = [] {
  const char* file = std::getenv("ESEAL_BENCH_OFD_FILE");
  if (file == nullptr || *file == '\0') return false;
  auto* g = new GivenDocument;
  g->doc = Must(ReadFile(file));
  g->options.policy.time.now = eseal::SystemClock().Now();
  if (const char* trust = std::getenv("ESEAL_BENCH_OFD_TRUST");
      trust != nullptr && *trust != '\0') {
    for (x509::Certificate& c :
         Must(x509::Certificate::FromPemBundle(ToString(Must(ReadFile(trust)))))) {
      if (c.IsSelfIssued()) {
        g->options.policy.AddAnchor(std::move(c), "given root",
                                    verify::RolesOf(verify::Role::kSigner));
      } else if (c.is_ca()) {
        g->options.policy.intermediates.push_back(std::move(c));
      } else if (IsTsaCertificate(c)) {
        g->options.policy.AddAnchor(std::move(c), "given TSA", verify::RolesOf(verify::Role::kTsa));
      } else {
        g->options.policy.AddAnchor(std::move(c), "given seal maker",
                                    verify::RolesOf(verify::Role::kSealMaker));
      }
    }
  }
  if (const char* crls = std::getenv("ESEAL_BENCH_OFD_CRL"); crls != nullptr) {
    std::string list = crls;
    for (size_t at = 0; at < list.size();) {
      size_t colon = std::min(list.find(':', at), list.size());
      if (colon > at)
        g->options.policy.crls.push_back(
            Must(x509::Crl::FromDer(Must(ReadFile(list.substr(at, colon - at))))));
      at = colon + 1;
    }
  }
  benchmark::RegisterBenchmark("BM_OfdVerifyFile", BM_OfdVerifyFile, g)
      ->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace
