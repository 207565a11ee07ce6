// Fuzzes the TimeStampReq reader (时间戳请求) and the TSA's Respond: any input must give a
// DER TimeStampResp that parses, "granted" exactly when a token is present and the request
// was version 1, the nonce echoed, and requests that parse must re-encode to the same bytes
// (the reader is strict DER, so there is one encoding per value).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "eseal/crypto/random.h"
#include "eseal/tsp/authority.h"
#include "eseal/tsp/timestamp_token.h"
#include "eseal/x509/ca.h"
#include "eseal/x509/name.h"

namespace {

using namespace eseal;

struct World {
  FixedClock clock{TimeFromUnix(1780000000)};
  tsp::RandomSerialSource serials{crypto::SystemRng()};
  std::unique_ptr<tsp::TimestampAuthority> tsa;

  World() {
    auto root_key = crypto::Sm2PrivateKey::Generate().value();
    auto tsa_key = std::make_shared<crypto::Sm2PrivateKey>(crypto::Sm2PrivateKey::Generate().value());
    Time t0 = TimeFromUnix(1760000000);
    auto root = x509::MakeRootCertificate(x509::Name::Parse("CN=Fuzz Root,C=CN").value(), root_key, t0,
                                          t0 + kDay * 3650, crypto::SystemRng())
                    .value();
    x509::IssueRequest req{x509::Name::Parse("CN=Fuzz TSA,C=CN").value(), tsa_key->PublicKey(),
                           x509::CertificateRole::kTimestamping, t0, t0 + kDay * 3650};
    auto cert = x509::IssueCertificate(root, root_key, req, crypto::SystemRng()).value();
    tsa = std::make_unique<tsp::TimestampAuthority>(
        tsp::TimestampAuthority::Create(tsa_key, cert, {}, clock, serials).value());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = new World();
  ByteView in(data, size);
  auto req = tsp::ReadTimestampRequest(in);
  if (req.ok() && tsp::EncodeTimestampRequest(*req) != Bytes(in.begin(), in.end())) __builtin_trap();
  Bytes resp_der = world->tsa->Respond(in);
  auto resp = tsp::ParseTimestampResponse(resp_der);
  if (!resp.ok()) __builtin_trap();
  if (resp->granted() != resp->token.has_value()) __builtin_trap();
  if (resp->granted()) {
    if (!req.ok() || req->version != 1 || !req->extensions.empty()) __builtin_trap();
    auto token = tsp::ParseTimestampToken(*resp->token);
    if (!token.ok()) __builtin_trap();
    if (token->info.nonce != req->nonce) __builtin_trap();
    if (token->info.hashed_message != req->hashed_message) __builtin_trap();
    if (token->signed_data.certificates.empty() == req->cert_req) __builtin_trap();
  } else if (resp->fail_info == 0) {
    __builtin_trap();
  }
  return 0;
}
