// Trusted time (时间戳, docs/trusted-time.md): the platform's own timestamp authority
// (时间戳服务机构, TSA), in-process, behind the clock check; the public TSA route; the stamp
// every signature carries; the TSA's token log. A token proves that bytes existed at its
// genTime, so a signature stays provably made in time after its certificate expires.
#include "eseal/base/log.h"
#include "eseal/crypto/sm3.h"
#include "eseal/tsp/timestamp_request.h"
#include "eseal/tsp/timestamp_token.h"
#include "internal.h"

namespace eseal::platform {
namespace {

// Serial, genTime and imprint of a token, as the usage register and the TSA log keep them
// (parsed once, when the token arrives).
Result<PlatformImpl::IssuedToken> Describe(Bytes der, bool own) {
  ASSIGN_OR_RETURN(tsp::TimestampToken t, tsp::ParseTimestampToken(der));
  PlatformImpl::IssuedToken out;
  out.serial_hex = HexEncode(t.info.serial);
  out.gen_time = t.info.gen_time;
  out.imprint_algorithm = t.info.hash_algorithm.ToString();
  out.imprint_hex = HexEncode(t.info.hashed_message);
  out.own = own;
  out.der = std::move(der);
  return out;
}

}  // namespace

std::shared_ptr<const PlatformImpl::TsaState> PlatformImpl::MakeTsaState(KeyedCert keyed) {
  auto state = std::make_shared<TsaState>(TsaState{std::move(keyed), nullptr, nullptr});
  state->serials = std::make_unique<tsp::RandomSerialSource>(*rng_);
  tsp::TsaOptions options;
  options.chain = {id_.issuing.cert};
  auto tsa = tsp::TimestampAuthority::Create(std::make_shared<crypto::Sm2PrivateKey>(state->keyed.key),
                                             state->keyed.cert, std::move(options), *clock_, *state->serials);
  if (tsa.ok()) {
    state->authority = std::make_unique<tsp::TimestampAuthority>(*std::move(tsa));
  } else {
    // Signing refuses (TsaMayIssue) rather than going on without tokens.
    log::Error("tsa.unavailable", {{"reason", tsa.status().message()}});
  }
  return state;
}

std::shared_ptr<const PlatformImpl::TsaState> PlatformImpl::Tsa() const {
  std::lock_guard<std::mutex> lock(tsa_mu_);
  return tsa_;
}

std::vector<x509::Certificate> PlatformImpl::TsaCertificates() const {
  std::lock_guard<std::mutex> lock(tsa_mu_);
  return tsa_history_;
}

Status PlatformImpl::TsaMayIssue() const {
  if (!Tsa()->authority) {
    return InternalError("平台时间戳服务未能启动，暂不能签发时间戳或签章；请查看服务日志。 / The platform's TSA did not start "
                         "(see the server log); no tokens are issued and nothing is signed.");
  }
  if (o_.accept_unsynchronised_clock) return Status::Ok();
  ClockSync sync = o_.clock_sync ? o_.clock_sync() : KernelClockSync();
  if (sync.synchronised) return Status::Ok();
  return UnavailableError(
      "服务器时钟未与标准时间同步，时间戳服务暂停签发，签章也随之暂停；请运维人员检查 NTP/PTP 时间同步后重试。 / "
      "The server clock is not synchronised (" + sync.detail +
      "); the TSA issues no tokens and nothing is signed until it is. Check the host's NTP/PTP service.");
}

Result<PlatformImpl::IssuedToken> PlatformImpl::OwnStamp(ByteView data) {
  RETURN_IF_ERROR(TsaMayIssue());
  std::shared_ptr<const TsaState> tsa = Tsa();
  if (!tsa->authority) return InternalError("the platform's TSA is not available");
  ASSIGN_OR_RETURN(Bytes der, tsa->authority->Stamp(crypto::Sm3Bytes(data), asn1::oids::Sm3()));
  ASSIGN_OR_RETURN(IssuedToken t, Describe(std::move(der), true));
  tokens_issued_.fetch_add(1);
  return t;
}

sign::Timestamper PlatformImpl::SignatureTimestamper(std::optional<IssuedToken>* last) {
  if (o_.timestamper) {
    sign::Timestamper outside = o_.timestamper;
    return [outside, last](ByteView value) -> Result<Bytes> {
      ASSIGN_OR_RETURN(Bytes der, outside(value));
      ASSIGN_OR_RETURN(IssuedToken t, Describe(der, false));
      *last = std::move(t);
      return der;
    };
  }
  return [this, last](ByteView value) -> Result<Bytes> {
    ASSIGN_OR_RETURN(IssuedToken t, OwnStamp(value));
    Bytes der = t.der;
    *last = std::move(t);
    return der;
  };
}

Status PlatformImpl::LogToken(Tx& tx, const IssuedToken& t, std::string_view purpose, std::string_view requester) {
  if (!t.own) return Status::Ok();
  TimestampTokenRecord r;
  r.serial_hex = t.serial_hex;
  r.imprint_algorithm = t.imprint_algorithm;
  r.imprint_hex = t.imprint_hex;
  r.gen_time = t.gen_time;
  r.purpose = std::string(purpose);
  r.requester = std::string(requester).substr(0, 200);
  r.created_at = Now();
  return tx.timestamp_tokens().Insert(r);
}

Result<Bytes> PlatformImpl::Timestamp(ByteView request_der, std::string_view requester) {
  Status may = TsaMayIssue();
  if (!may.ok()) {
    if (may.code() == StatusCode::kUnavailable) {
      return tsp::EncodeRejection(tsp::FailInfo::kTimeNotAvailable,
                                  "服务器时钟未同步，暂停签发时间戳，请稍后重试 / the TSA's clock is not synchronised; "
                                  "no tokens are issued until it is");
    }
    return tsp::EncodeRejection(tsp::FailInfo::kSystemFailure, "时间戳服务内部错误 / the TSA is not available");
  }
  std::shared_ptr<const TsaState> tsa = Tsa();
  if (!tsa->authority) {
    return tsp::EncodeRejection(tsp::FailInfo::kSystemFailure, "时间戳服务内部错误 / the TSA is not available");
  }
  Bytes reply = tsa->authority->Respond(request_der);
  auto parsed = tsp::ParseTimestampResponse(reply);
  if (!parsed.ok() || !parsed->granted() || !parsed->token) return reply;  // a rejection: nothing issued
  auto t = Describe(*parsed->token, true);
  Status logged = t.ok() ? InTx([&](Tx& tx) -> Status {
    RETURN_IF_ERROR(LogToken(tx, *t, "api", requester));
    return Audit(tx, nullptr, "tsa.token_issued", "timestamp_token", t->serial_hex,
                 JsonObject({{"gen_time", FormatRfc3339(t->gen_time)},
                             {"requester", std::string(requester).substr(0, 200)}}));
  })
                         : t.status();
  if (!logged.ok()) {
    // A token nobody can find in the log is not handed out.
    log::Error("tsa.log_failed", {{"reason", logged.message()}});
    return tsp::EncodeRejection(tsp::FailInfo::kSystemFailure,
                                "时间戳服务内部错误，请稍后重试 / the TSA could not record the token; retry later");
  }
  tokens_issued_.fetch_add(1);
  return reply;
}

Platform::TimeStatus PlatformImpl::TimeState() {
  TimeStatus s;
  ClockSync sync = o_.clock_sync ? o_.clock_sync() : KernelClockSync();
  s.clock_synchronised = sync.synchronised;
  s.clock_detail = sync.detail;
  s.unsynchronised_accepted = o_.accept_unsynchronised_clock;
  s.external_tsa = static_cast<bool>(o_.timestamper);
  // The same rule as TsaMayIssue, from the one reading of the clock above.
  s.issuing = Tsa()->authority != nullptr && (sync.synchronised || o_.accept_unsynchronised_clock);
  s.tokens_issued = tokens_issued_.load();
  return s;
}

}  // namespace eseal::platform
