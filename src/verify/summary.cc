// Report summaries (summary.h): each check id family has one plain sentence in Chinese and
// English; the deciding check picks the sentence. Ids stay in the check list below the
// summary, for integrators; a person reads the sentence.
#include "eseal/verify/summary.h"

#include <string_view>
#include <utility>

namespace eseal::verify {
namespace {

struct Reason {
  std::string_view id;  // exact id, or a prefix ending in '.' / a suffix starting with '.'
  std::string_view zh_fail, en_fail;
  std::string_view zh_indet, en_indet;
};

// Longest match wins; ids are matched as exact, as "<prefix>*" or as "*<suffix>".
constexpr Reason kReasons[] = {
    {"ofd.reference.digest", "受保护的文件在签章后被修改", "a protected file was changed after signing", "", ""},
    {"ofd.reference.missing", "受保护的文件已从文档中删除", "a protected file was removed from the document", "", ""},
    {"ofd.reference.smuggled", "签章后文档中加入了未受保护的文件", "a file was added to the document after signing", "", ""},
    {"ofd.coverage.uncovered", "", "", "印章未覆盖阅读器显示的全部内容",
     "the seal does not cover everything a reader shows"},
    {"ofd.coverage.doc_root", "文档入口被替换，阅读器显示的不是被签章的文档",
     "the document entry was redirected: a reader shows another document than the one sealed", "", ""},
    {"ses.signature.value", "签名值验证失败", "the signature value does not verify", "", ""},
    {"sign.value", "签名值验证失败", "the signature value does not verify", "", ""},
    {"ses.signature.data_hash", "签名与被签章的内容不符", "the signature does not match the signed content", "", ""},
    {"sign.data_hash", "签名与被签章的内容不符", "the signature does not match the signed content", "", ""},
    {"ses.seal.maker_signature", "印章的制章人签名验证失败", "the seal maker's signature on the seal does not verify", "", ""},
    {"ses.signature.signer_in_seal", "签章人证书不属于该印章", "the signer certificate is not one of the seal's", "", ""},
    {"ofd.seal.matches_signed_value", "印章文件与签名中的印章不一致", "the seal file differs from the seal inside the signature", "", ""},
    {"maker.role", "印章不是受信任的制章人制作的", "the seal was not made by a trusted seal maker",
     "无法确认印章由受信任的制章人制作", "the seal maker is not trusted for making seals"},
    {"signer.role", "该证书不能用于签章", "the certificate may not sign documents",
     "签章人证书不是受信任的签章证书", "the signer certificate is not trusted for signing"},
    {".cert.revocation", "证书已被吊销", "a certificate was revoked",
     "缺少吊销信息，或无法证明签章早于吊销", "revocation cannot be decided (no revocation data, or nothing proves the signature older than the revocation)"},
    {".cert.chain.anchor", "", "", "证书不能追溯到受信任的根证书", "a certificate does not chain to a trusted anchor"},
    {".cert.path.build", "", "", "证书链不完整，缺少中间证书", "a certificate's issuer is missing (give the intermediate CA)"},
    {".cert.validity", "证书不在有效期内", "a certificate was outside its validity period",
     "证书已过期，且没有时间戳证明签章早于过期", "a certificate has expired and nothing proves the signature is older"},
    {".cert.signature", "证书签名验证失败", "a certificate's signature does not verify", "", ""},
    {".cert.critical_extension", "", "", "证书含无法处理的关键扩展", "a certificate has a critical extension eseal cannot process"},
    {"ses.seal.ext_data.critical", "", "", "印章含无法处理的关键扩展", "the seal has a critical extension eseal cannot process"},
    {"ses.seal.valid_at_time", "印章不在有效期内", "the seal was outside its validity period",
     "印章已过期，且没有时间戳证明签章早于过期", "the seal has expired and nothing proves the signature is older"},
    {"ses.seal.valid_at_signing_time", "声称的签章时间不在印章有效期内", "the claimed signing time is outside the seal's validity", "", ""},
    {".signer_cert.valid_at_signing_time", "声称的签章时间不在签章人证书有效期内",
     "the claimed signing time is outside the signer certificate's validity", "", ""},
    {"time.claim", "声称的签章时间晚于时间戳证明的时间", "the claimed signing time is later than the timestamp proves", "", ""},
    {"pdf.doc_timestamp.tsp.imprint", "文档在加盖文档时间戳之后被修改", "the document was changed after its document timestamp",
     "", ""},
    {"pdf.doc_timestamp.", "文档时间戳无效", "the document timestamp is invalid", "文档时间戳不可信",
     "the document timestamp cannot be trusted"},
    {"tsp.", "签章的时间戳无效", "the signature's timestamp is invalid", "签章的时间戳不可信", "the signature's timestamp cannot be trusted"},
    {"tsa.", "时间戳机构证书无效", "the timestamp authority's certificate is invalid",
     "时间戳机构不可信", "the timestamp authority is not trusted"},
    {"platform.", "与本平台的记录不符", "it contradicts this platform's records", "无法核对本平台的记录", "this platform's records could not be checked"},
    {"verify.budget", "", "", "文档过于复杂，超出验证工作量限制", "the document is too complex to verify within the work limits"},
    {"ofd.signatures.present", "文档中没有签章", "the document has no signature", "", ""},
    {"ofd.root", "文档结构（OFD.xml）无法读取", "the document structure (OFD.xml) is unreadable", "", ""},
};

bool Matches(std::string_view pattern, std::string_view id) {
  if (pattern.front() == '.') return id.ends_with(pattern);
  if (pattern.back() == '.') return id.starts_with(pattern);
  return id == pattern;
}

const Check* Deciding(const Report& r) {
  for (CheckResult want : {CheckResult::kFail, CheckResult::kIndeterminate}) {
    for (const Check& c : r.checks()) {
      if (c.result == want) return &c;
    }
  }
  return nullptr;
}

std::pair<std::string, std::string> Why(const Check& c) {
  const bool fail = c.result == CheckResult::kFail;
  const Reason* best = nullptr;
  for (const Reason& r : kReasons) {
    if (!Matches(r.id, c.id)) continue;
    std::string_view zh = fail ? r.zh_fail : r.zh_indet;
    if (zh.empty()) continue;
    if (best == nullptr || r.id.size() > best->id.size()) best = &r;
  }
  std::string zh, en;
  if (best != nullptr) {
    zh = std::string(fail ? best->zh_fail : best->zh_indet);
    en = std::string(fail ? best->en_fail : best->en_indet);
  } else {
    zh = fail ? "有一项检查未通过" : "有一项检查无法判定";
    en = fail ? "a check failed" : "a check could not be decided";
  }
  for (const auto& [k, v] : c.params) {
    if (k == "file") {
      zh += "（" + v + "）";
      en += " (" + v + ")";
      break;
    }
  }
  return {zh, en};
}

// "判定时间：… / judged at …" from the time.validation check, when there is one.
std::pair<std::string, std::string> TimeBasis(const Report& r) {
  const Check* t = r.Find("time.validation");
  if (t == nullptr) return {};
  std::string when, source;
  for (const auto& [k, v] : t->params) {
    if (k == "time") when = v;
    if (k == "source") source = v;
  }
  if (source == "timestamp") return {"按时间戳证明的时间 " + when + " 判定", "judged at " + when + ", proven by a timestamp"};
  if (source == "usage_register") {
    return {"按本平台用印登记的时间 " + when + " 判定", "judged at " + when + ", proven by this platform's usage register"};
  }
  if (source == "at") return {"按指定时间 " + when + " 判定（--at）", "judged as of " + when + " (--at)"};
  return {"没有时间戳，按验证时间 " + when + " 判定", "no timestamp: judged at the time of verification, " + when};
}

std::string VerdictZh(Verdict v) {
  switch (v) {
    case Verdict::kPassed: return "验证通过";
    case Verdict::kFailed: return "验证失败";
    case Verdict::kIndeterminate: return "无法判定";
  }
  return "";
}

// `document`: the report judged a document, so PASSED also promises coverage of what a
// reader shows; a seal, a detached signature or a timestamp is judged without it.
Summary Compose(Verdict verdict, const std::string& who_zh, const std::string& who_en,
                const Check* deciding, const Report* timed, bool document) {
  Summary s;
  s.zh = VerdictZh(verdict) + "（" + std::string(VerdictName(verdict)) + "）";
  s.en = std::string(VerdictName(verdict));
  if (verdict == Verdict::kPassed && document) {
    s.zh += "：签章完整、有效、可信，证书与印章状态正常，并覆盖所显示的内容";
    s.en += ": intact, valid, trusted for each role, in status, and covering what is shown";
  } else if (verdict == Verdict::kPassed) {
    s.zh += "：完整、有效、可信，状态正常，所有检查均通过";
    s.en += ": intact, valid, trusted for each role and in status; every check passed";
  } else if (deciding != nullptr) {
    auto [zh, en] = Why(*deciding);
    s.zh += "：" + who_zh + zh;
    s.en += ": " + who_en + en;
  }
  if (timed != nullptr) {
    auto [zh, en] = TimeBasis(*timed);
    if (!zh.empty()) {
      s.zh += "。" + zh;
      s.en += "; " + en;
    }
  }
  s.zh += "。";
  s.en += ".";
  return s;
}

}  // namespace

Summary Summarize(const Report& report) {
  bool document = false;
  for (const Check& c : report.checks()) document |= c.id.starts_with("ofd.");
  return Compose(report.verdict(), "", "", Deciding(report), &report, document);
}

Summary Summarize(const OfdVerification& v) {
  const Verdict verdict = v.verdict();
  if (const Check* d = Deciding(v.document); d != nullptr && d->result == CheckResult::kFail) {
    return Compose(verdict, "", "", d, nullptr, true);
  }
  for (size_t i = 0; i < v.signatures.size(); ++i) {
    const SignatureVerification& s = v.signatures[i];
    if (s.report.verdict() == Verdict::kPassed) continue;
    if (verdict == Verdict::kFailed && s.report.verdict() != Verdict::kFailed) continue;
    std::string n = std::to_string(i + 1);
    return Compose(verdict, "第 " + n + " 个签章（ID " + s.id + "），", "signature " + n + " (ID " + s.id + ") — ",
                   Deciding(s.report), &s.report, true);
  }
  const Check* d = Deciding(v.document);
  const Report* timed = v.signatures.empty() ? nullptr : &v.signatures.front().report;
  return Compose(verdict, "", "", d, timed, true);
}

}  // namespace eseal::verify
