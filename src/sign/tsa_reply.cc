// Checking a TSA's reply before its token goes into a signature (时间戳应答检查,
// tsa_client.h): a token is written once and read for decades, so one that does not
// answer our request, over our bytes, signed by a TSA we accept, at a plausible time, is
// refused here rather than discovered by a verifier later.
#include <chrono>

#include "eseal/crypto/sm3.h"
#include "eseal/tsp/timestamp_token.h"
#include "tsa_internal.h"

namespace eseal::sign::internal {
namespace {

const char* const kStatusNames[] = {"granted", "grantedWithMods",   "rejection",
                                    "waiting", "revocationWarning", "revocationNotification"};

// A reply that cannot be used: what was wrong and what to do, Chinese then English.
Status Unusable(
    const TsaClientState& s, const std::string& zh, const std::string& en,
    const std::string& todo_zh = "请检查时间戳服务地址（--tsa-url）或联系时间戳服务提供方",
    const std::string& todo_en = "check the TSA URL (--tsa-url) or contact the TSA's operator") {
  return DataLossError("时间戳服务的应答未通过检查，未使用：" + zh + "；" + todo_zh +
                       " / the reply from " + s.url.text +
                       " failed a check and was not used: " + en + "; " + todo_en);
}

std::string StatusName(int64_t status) {
  if (status >= 0 && status < static_cast<int64_t>(std::size(kStatusNames))) {
    return kStatusNames[status];
  }
  return "status " + std::to_string(status);
}

// "unacceptedPolicy, badAlg" from the failInfo bits.
std::string FailInfoNames(uint32_t bits) {
  std::string out;
  for (int b = 0; b < 32; ++b) {
    if (((bits >> b) & 1u) == 0) continue;
    if (!out.empty()) out += ", ";
    out += tsp::FailInfoName(static_cast<tsp::FailInfo>(b));
  }
  return out;
}

Status Refusal(const TsaClientState& s, const tsp::TimestampResponse& r) {
  std::string reason = StatusName(r.status);
  if (r.fail_info != 0) reason += ", failInfo " + FailInfoNames(r.fail_info);
  for (const std::string& t : r.status_text) reason += ", \"" + Printable(t) + "\"";
  return FailedPreconditionError(
      "时间戳服务拒绝签发时间戳（" + reason +
      "）；请按原因检查配置，或联系时间戳服务提供方 / the TSA at " + s.url.text +
      " refused to stamp (" + reason +
      "); check the configuration against the reason or contact the TSA's operator");
}

// The verifier's checks that keep the token from use: any FAIL, and any INDETERMINATE
// except, when no anchors were given, those of the TSA's chain (there is nothing to judge
// it by at signing time; the verifier will, with its own policy).
std::string Problems(const Report& r, bool chain_judged, bool* only_chain) {
  std::string out;
  int n = 0;
  *only_chain = true;
  for (const Check& c : r.checks()) {
    const bool chain = c.id.starts_with("tsa.cert.");
    const bool bad = c.result == CheckResult::kFail ||
                     (c.result == CheckResult::kIndeterminate && (chain_judged || !chain));
    if (!bad) continue;
    if (!chain) *only_chain = false;
    if (++n > 3) continue;
    if (!out.empty()) out += "; ";
    out += c.id + (c.detail.empty() ? "" : " (" + Printable(c.detail) + ")");
  }
  if (n > 3) out += "; +" + std::to_string(n - 3) + " more";
  return out;
}

}  // namespace

std::string FormatSeconds(std::chrono::milliseconds d) {
  const auto ms = d.count();
  std::string out = std::to_string(ms / 1000);
  if (ms % 1000 != 0) {
    std::string frac = std::to_string(1000 + ms % 1000).substr(1);
    while (frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  return out + " s";
}

std::string Printable(const std::string& s) {
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(c < 0x20 || c == 0x7f ? '?' : ch);
  }
  if (out.size() > 200) {
    size_t cut = 200;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;
    out = out.substr(0, cut) + "...";
  }
  return out;
}

Result<Bytes> CheckTsaReply(const TsaClientState& s, ByteView reply, ByteView value,
                            const tsp::TimestampRequest& request) {
  const TsaClientOptions& o = s.options;
  auto resp = tsp::ParseTimestampResponse(reply);
  if (!resp.ok()) {
    return Unusable(s,
                    "不是 DER 编码的 TimeStampResp（" + Printable(resp.status().message()) + "）",
                    "not a DER TimeStampResp (" + Printable(resp.status().message()) + ")");
  }
  if (!resp->granted() || !resp->token) return Refusal(s, *resp);
  const Bytes& token_der = *resp->token;
  auto token = tsp::ParseTimestampToken(token_der);
  if (!token.ok()) {
    return Unusable(s, "时间戳令牌无法解析（" + Printable(token.status().message()) + "）",
                    "the token does not parse (" + Printable(token.status().message()) + ")");
  }
  const tsp::TstInfo& info = token->info;
  if (!(info.hash_algorithm == asn1::oids::Sm3())) {
    return Unusable(s, "令牌的摘要算法不是所请求的 SM3（" + info.hash_algorithm.ToString() + "）",
                    "the token's imprint algorithm is " + info.hash_algorithm.ToString() +
                        ", not the SM3 that was asked for");
  }
  if (info.hashed_message != request.hashed_message) {
    return Unusable(
        s, "令牌所盖时间的数据不是本次签名值（消息摘要不符）",
        "the token's messageImprint is not SM3 of this signature value (it stamps other data)");
  }
  if (!info.nonce || *info.nonce != *request.nonce) {
    return Unusable(s, "令牌的随机数（nonce）与本次请求不符，可能是重放的旧应答",
                    "the token's nonce is not this request's (" +
                        (info.nonce ? "0x" + HexEncode(*info.nonce) : std::string("none")) +
                        " for 0x" + HexEncode(*request.nonce) + "): a stale or replayed reply");
  }
  if (request.policy && !(info.policy == *request.policy)) {
    return Unusable(
        s, "令牌的策略 " + info.policy.ToString() + " 不是所请求的 " + request.policy->ToString(),
        "the token's policy " + info.policy.ToString() + " is not the requested " +
            request.policy->ToString());
  }

  tsp::TimestampVerifyOptions vo;
  vo.tsa_anchors = o.tsa_anchors;
  vo.intermediates = o.intermediates;
  vo.crls = o.crls;
  vo.check_revocation = o.check_revocation;
  vo.tolerate_ca_without_key_cert_sign = o.tolerate_ca_without_key_cert_sign;
  const tsp::TimestampVerification v = tsp::VerifyTimestampToken(token_der, value, vo);
  bool only_chain = false;
  const std::string problems = Problems(v.report, !o.tsa_anchors.empty(), &only_chain);
  if (!problems.empty()) {
    if (only_chain) {
      return Unusable(s, "时间戳服务的证书链未通过验证（" + problems + "）",
                      "the TSA's certificate chain did not validate (" + problems + ")",
                      "请确认所配置的时间戳服务根证书（--tsa-url-trust）是该服务的根证书",
                      "check that the configured TSA root (--tsa-url-trust) is this TSA's root");
    }
    return Unusable(s, "时间戳令牌验证失败（" + problems + "）",
                    "the token did not verify (" + problems + ")");
  }

  const Time now = (o.clock != nullptr ? *o.clock : SystemClock()).Now();
  const auto skew = info.gen_time > now ? info.gen_time - now : now - info.gen_time;
  if (skew > o.max_clock_skew) {
    return Unusable(s,
                    "令牌时间 " + FormatRfc3339(info.gen_time) + " 与本机时间 " +
                        FormatRfc3339(now) + " 相差超过 " +
                        std::to_string(o.max_clock_skew.count()) + " 秒",
                    "the token's genTime " + FormatRfc3339(info.gen_time) + " is more than " +
                        std::to_string(o.max_clock_skew.count()) +
                        " s from this machine's clock (" + FormatRfc3339(now) + ")",
                    "请检查本机与时间戳服务的时钟", "check this machine's clock and the TSA's");
  }
  return token_der;
}

}  // namespace eseal::sign::internal
