// Fuzzes the signed seal-status answer (docs/seal-status.md). Invariants: whatever parses
// re-encodes from its fields to exactly the input (the format has one encoding), and
// verifying it against a fixed seal with no trust anchors builds a report without ever
// passing: no anchor, and a random answer is not the seal maker's signature.
#include <cstdlib>

#include "eseal/ses/seal_status_response.h"
#include "eseal/verify/seal_status_check.h"

namespace {

const eseal::ses::Seal& FixedSeal() {
  static const eseal::ses::Seal seal = [] {
    eseal::ses::Seal s;
    s.info.esid = "4501000000000001";
    s.der = {0x30, 0x00};
    return s;
  }();
  return seal;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  eseal::ByteView in(data, size);
  auto answer = eseal::ses::ParseSealStatusResponse(in);
  if (answer.ok()) {
    auto again = eseal::ses::EncodeSealStatusResponse(*answer);
    if (!again.ok() || *again != answer->der) std::abort();
    if (answer->der != eseal::Bytes(in.begin(), in.end())) std::abort();
  }
  eseal::verify::ValidationPolicy policy;
  policy.time.now = eseal::TimeFromUnix(1795000000);
  const eseal::Bytes nonce = {1, 2, 3};
  eseal::Report r = eseal::verify::VerifySealStatusResponse(
      in, FixedSeal(), policy.time.now, size % 2 == 0, policy,
      size % 3 == 0 ? std::optional<eseal::ByteView>(nonce) : std::nullopt);
  if (r.verdict() == eseal::Verdict::kPassed) std::abort();
  policy.seal_status_answers = {eseal::Bytes(in.begin(), in.end())};
  (void)eseal::verify::FindSealStatusAnswer(policy.seal_status_answers, FixedSeal());
  return 0;
}
