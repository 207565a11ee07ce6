// Validation policies for the verify tests: the test world's PKI trusted by role, with a
// real (empty) CRL from its root, judged at a fixed "now" after the world's signing time.
#pragma once

#include <chrono>

#include "eseal/verify/ofd_verifier.h"
#include "eseal/verify/policy.h"
#include "eseal/x509/ca.h"
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

}  // namespace eseal::verify::testing
