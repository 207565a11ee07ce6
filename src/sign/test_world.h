// Test helper shared by the sign and verify tests: a small PKI (an SM2 root CA, a seal
// maker and a signer certificate), a seal made with it (v4 or v1, with a real red seal
// picture from sealimg), and the shared ofdrw sample paths. The maker and signer
// certificates carry eseal's role policies (x509/ca.h), as the platform's CA issues them.
#pragma once

#include <string>

#include "eseal/crypto/sm2.h"
#include "eseal/ses/seal.h"
#include "eseal/sign/ofd_signer.h"
#include "eseal/x509/certificate.h"

namespace eseal::sign::testing {

struct World {
  crypto::Sm2PrivateKey root_key, maker_key, signer_key;
  x509::Certificate root, maker, signer;
  ses::Seal seal;
  Time sign_time{};  // inside every validity period
};

// Certificates valid 2026-01-01..2036-01-01, seal valid 2026-01-01..2030-01-01, signing
// time 2026-11-23T09:30:35Z. `version` is the seal version (v4 or v1).
World MakeWorld(ses::Version version = ses::Version::kV4);

// A request for `doc` with the world's seal, signer and time (placement left empty).
OfdSignRequest Request(const World& w, ByteView doc);

std::string Shared(const std::string& rel);  // ESEAL_SHARED_TESTDATA/rel
std::string Own(const std::string& rel);     // ESEAL_TESTDATA/rel
Bytes MustRead(const std::string& path);

}  // namespace eseal::sign::testing
