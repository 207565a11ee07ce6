// Validation policies for the verify tests: the test world's PKI trusted by role, with a
// real (empty) CRL from its root, judged at a fixed "now" after the world's signing time.
#pragma once

#include <chrono>

#include "eseal/verify/ofd_verifier.h"
#include "eseal/verify/policy.h"
#include "eseal/x509/ca.h"
#include "test_token.h"
#include "test_world.h"

namespace eseal::verify::testing {

// An empty CRL from `issuer`, valid over the whole test period.
inline x509::Crl EmptyCrl(const x509::Certificate& issuer, const crypto::Sm2PrivateKey& key) {
  x509::CrlRequest req;
  req.this_update = *ParseTime("2026-01-01T00:00:00Z");
  req.next_update = *ParseTime("2035-01-01T00:00:00Z");
  req.crl_number = {0x01};
  return x509::MakeCrl(issuer, key, req).value();
}

// The world's root for signers and makers (eseal maker policy), its CRL, now = an hour
// after the signing time.
inline ValidationPolicy WorldPolicy(const sign::testing::World& w) {
  ValidationPolicy p;
  p.AddAnchor(w.root, "test root", RolesOf(Role::kSigner) | RolesOf(Role::kSealMaker),
              {x509::SealMakerPolicy()});
  p.crls.push_back(EmptyCrl(w.root, w.root_key));
  p.time.now = w.sign_time + std::chrono::hours(1);
  return p;
}

inline OfdVerifyOptions WorldOptions(const sign::testing::World& w) {
  OfdVerifyOptions o;
  o.policy = WorldPolicy(w);
  return o;
}

// The timestamp tests' world: the root and the TSA root (role TSA) trusted, both with a
// current CRL, judged on 2026-12-01; with `compromised`, the root's CRL says the signer's
// key was compromised on 2026-11-24 (after the world's signing time).
inline OfdVerifyOptions WorldWithTsa(const sign::testing::World& w, const tsp::testing::Pki& tsa,
                                     bool compromised) {
  OfdVerifyOptions o = WorldOptions(w);
  if (compromised) {
    x509::CrlRequest crl{*ParseTime("2026-11-30T00:00:00Z"), *ParseTime("2026-12-30T00:00:00Z"), {0x09},
                         {{w.signer.serial(), *ParseTime("2026-11-24T00:00:00Z"),
                           x509::RevocationReason::kKeyCompromise, std::nullopt}}};
    o.policy.crls = {x509::MakeCrl(w.root, w.root_key, crl).value()};
  }
  o.policy.AddAnchor(tsa.root, "TSA root", RolesOf(Role::kTsa));
  x509::CrlRequest tcrl{*ParseTime("2026-11-01T00:00:00Z"), *ParseTime("2026-12-30T00:00:00Z"), {0x04}, {}};
  o.policy.crls.push_back(x509::MakeCrl(tsa.root, tsa.root_key, tcrl).value());
  o.policy.time.now = *ParseTime("2026-12-01T00:00:00Z");
  return o;
}

// Where the first signature's time came from (time.validation's "source").
inline std::string TimeSource(const OfdVerification& v) {
  const Check* c = v.signatures.empty() ? nullptr : v.signatures[0].report.Find("time.validation");
  if (c == nullptr) return "<none>";
  for (const auto& [k, val] : c->params) {
    if (k == "source") return val;
  }
  return "<none>";
}

}  // namespace eseal::verify::testing
