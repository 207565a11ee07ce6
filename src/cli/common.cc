#include <CLI/CLI.hpp>

#include "eseal/base/file.h"
#include "eseal/cli/cli.h"
#include "eseal/crypto/key_protection.h"
#include "eseal/ses/seal_status_response.h"
#include "eseal/verify/report_json.h"
#include "eseal/x509/ca.h"
#include "internal.h"

namespace eseal::cli {
namespace {
constexpr size_t kMaxSmallFile = size_t{4} << 20;  // certificates, keys, CRLs

bool LooksLikePem(ByteView b) {
  std::string_view s = AsChars(b);
  return s.find("-----BEGIN ") != std::string_view::npos;
}
}  // namespace

Result<x509::Certificate> LoadCertificate(const std::string& path) {
  auto bytes = ReadFile(path, kMaxSmallFile);
  if (!bytes.ok()) return bytes.status();
  auto cert = LooksLikePem(*bytes) ? x509::Certificate::FromPem(AsChars(*bytes))
                                   : x509::Certificate::FromDer(*bytes);
  if (!cert.ok()) return cert.status().WithContext(path);
  return cert;
}

Result<std::vector<x509::Certificate>> LoadCertificates(const std::vector<std::string>& paths) {
  std::vector<x509::Certificate> out;
  for (const std::string& p : paths) {
    ASSIGN_OR_RETURN(Bytes bytes, ReadFile(p, kMaxSmallFile));
    if (LooksLikePem(bytes)) {
      auto certs = x509::Certificate::FromPemBundle(AsChars(bytes));
      if (!certs.ok()) return certs.status().WithContext(p);
      if (certs->empty()) return InvalidArgumentError(p + ": no certificate in the file");
      out.insert(out.end(), certs->begin(), certs->end());
    } else {
      auto cert = x509::Certificate::FromDer(bytes);
      if (!cert.ok()) return cert.status().WithContext(p);
      out.push_back(*std::move(cert));
    }
  }
  return out;
}

Result<std::vector<x509::Crl>> LoadCrls(const std::vector<std::string>& paths) {
  std::vector<x509::Crl> out;
  for (const std::string& p : paths) {
    ASSIGN_OR_RETURN(Bytes bytes, ReadFile(p, size_t{64} << 20));
    auto crl = LooksLikePem(bytes) ? x509::Crl::FromPem(AsChars(bytes)) : x509::Crl::FromDer(bytes);
    if (!crl.ok()) return crl.status().WithContext(p);
    out.push_back(*std::move(crl));
  }
  return out;
}

Result<crypto::Sm2PublicKey> LoadPublicKey(const std::string& path) {
  ASSIGN_OR_RETURN(Bytes bytes, ReadFile(path, kMaxSmallFile));
  std::string_view text = AsChars(bytes);
  if (text.find("BEGIN CERTIFICATE") != std::string_view::npos) {
    auto cert = x509::Certificate::FromPem(text);
    if (!cert.ok()) return cert.status().WithContext(path);
    return cert->public_key();
  }
  auto key = LooksLikePem(bytes) ? crypto::Sm2PublicKey::FromPem(text)
                                 : crypto::Sm2PublicKey::FromSpkiDer(bytes);
  if (!key.ok()) return key.status().WithContext(path);
  return key;
}

Result<crypto::Sm2PrivateKey> LoadPrivateKey(const std::string& path,
                                             const std::string& password_file) {
  ASSIGN_OR_RETURN(Bytes bytes, ReadFile(path, kMaxSmallFile));
  SecretBytes password;
  if (!password_file.empty()) {
    ASSIGN_OR_RETURN(password, ReadSecretFile(password_file));
  }
  auto key = crypto::LoadPrivateKeyPem(AsChars(bytes), password.view(), nullptr);
  SecureZero(bytes.data(), bytes.size());
  if (!key.ok()) return key.status().WithContext(path);
  return key;
}

Result<Time> ParseTimeOption(const std::string& text, const std::string& option) {
  auto t = ParseTime(text);
  if (!t.ok()) return t.status().WithContext(option);
  return t;
}

Status WriteOutput(const std::string& path, ByteView data, unsigned mode) {
  return WriteFileAtomic(path, data, mode);
}

void AddTrustOptions(CLI::App* cmd, TrustOptions& t) {
  cmd->add_option("--trust", t.anchors,
                  "CA root trusted for signer (签章人) certificates; PEM (a bundle is fine) or "
                  "DER; repeatable");
  cmd->add_option("--maker-trust", t.maker_anchors,
                  "seal-maker (制章人) trust: a registered maker certificate, or a CA whose maker "
                  "certificates carry a maker policy (eseal's by default, see --maker-policy); "
                  "repeatable");
  cmd->add_option("--maker-policy", t.maker_policies,
                  "certificate policy or extendedKeyUsage OID that maker certificates under a "
                  "--maker-trust CA carry (default: eseal's 1.3.6.1.4.1.32473.1.1); repeatable");
  cmd->add_option("--tsa-trust", t.tsa_anchors,
                  "CA root trusted for timestamp authorities (时间戳); repeatable");
  cmd->add_option("--intermediate", t.intermediates,
                  "untrusted intermediate CA certificate(s) for building paths; repeatable");
  cmd->add_option("--crl", t.crls, "CRL to check revocation with (PEM or DER); repeatable");
  cmd->add_flag("--no-revocation", t.no_revocation,
                "do not check revocation (the report says so); without CRLs the verdict is "
                "otherwise INDETERMINATE");
  cmd->add_option("--at", t.at,
                  "judge as of this time (RFC 3339) when no timestamp proves the signing "
                  "time: what the verdict would have been then");
  cmd->add_option("--seal-status", t.seal_status,
                  "signed seal-status answer (印章状态应答, DER, docs/seal-status.md) from a "
                  "seal's maker, e.g. GET /api/v1/seals/{esid}/status; counts as evidence of "
                  "the seal's status at the signing time; repeatable");
  cmd->add_flag("--tolerate-test-roots", t.tolerate_test_roots,
                "accept CA certificates whose keyUsage lacks keyCertSign (ofdrw's test root); "
                "reported as a warning");
}

Result<verify::ValidationPolicy> BuildValidationPolicy(const TrustOptions& t, Time now) {
  using verify::Role;
  using verify::RolesOf;
  verify::ValidationPolicy p;
  p.time.now = now;
  if (!t.at.empty()) {
    ASSIGN_OR_RETURN(Time at, ParseTimeOption(t.at, "--at"));
    p.time.at = at;
  }
  std::vector<asn1::Oid> maker_policies;
  for (const std::string& text : t.maker_policies) {
    auto oid = asn1::Oid::FromString(text);
    if (!oid.ok()) return oid.status().WithContext("--maker-policy");
    maker_policies.push_back(*oid);
  }
  if (maker_policies.empty()) maker_policies.push_back(x509::SealMakerPolicy());
  ASSIGN_OR_RETURN(auto signer_roots, LoadCertificates(t.anchors));
  for (size_t i = 0; i < signer_roots.size(); ++i) {
    p.AddAnchor(signer_roots[i], "--trust " + std::to_string(i + 1), RolesOf(Role::kSigner));
  }
  ASSIGN_OR_RETURN(auto makers, LoadCertificates(t.maker_anchors));
  for (size_t i = 0; i < makers.size(); ++i) {
    // A CA vouches for the maker leaves carrying the policy; a leaf for itself only.
    p.AddAnchor(makers[i], "--maker-trust " + std::to_string(i + 1), RolesOf(Role::kSealMaker),
                makers[i].is_ca() ? maker_policies : std::vector<asn1::Oid>{});
  }
  ASSIGN_OR_RETURN(auto tsas, LoadCertificates(t.tsa_anchors));
  for (size_t i = 0; i < tsas.size(); ++i) {
    p.AddAnchor(tsas[i], "--tsa-trust " + std::to_string(i + 1), RolesOf(Role::kTsa));
  }
  ASSIGN_OR_RETURN(p.intermediates, LoadCertificates(t.intermediates));
  ASSIGN_OR_RETURN(p.crls, LoadCrls(t.crls));
  for (const std::string& path : t.seal_status) {
    // Refused here when unreadable: an answer that cannot be matched to a seal would be
    // silently ignored by the verifier.
    auto der = ReadFile(path, ses::kMaxSealStatusResponseSize);
    if (!der.ok()) return der.status().WithContext("--seal-status " + path);
    auto answer = ses::ParseSealStatusResponse(*der);
    if (!answer.ok()) return answer.status().WithContext("--seal-status " + path);
    p.seal_status_answers.push_back(*std::move(der));
  }
  p.check_revocation = !t.no_revocation;
  p.tolerances.ca_without_key_cert_sign = t.tolerate_test_roots;
  return p;
}

int PrintReport(const Report& report, bool json, bool verbose, std::ostream& out) {
  if (json) {
    out << verify::ReportToJson(report) << "\n";
  } else {
    out << verify::ReportToText(report, verbose);
  }
  switch (report.verdict()) {
    case Verdict::kPassed: return kExitPassed;
    case Verdict::kFailed: return kExitFailed;
    case Verdict::kIndeterminate: return kExitIndeterminate;
  }
  return kExitFailed;
}

Result<std::pair<int, int>> ParsePageRange(const std::string& text) {
  if (text.empty()) return std::make_pair(1, 0);
  size_t dash = text.find('-');
  auto num = [](const std::string& s, int* out) {
    if (s.empty()) return true;  // open end
    if (s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos) return false;
    *out = std::stoi(s);
    return *out >= 1;
  };
  int a = 1, b = 0;
  if (dash == std::string::npos) {
    if (!num(text, &a) || text.empty()) return InvalidArgumentError("--pages must look like 2-5, 3, or 2-");
    return std::make_pair(a, a);
  }
  if (!num(text.substr(0, dash), &a) || !num(text.substr(dash + 1), &b)) {
    return InvalidArgumentError("--pages must look like 2-5, 3, or 2-");
  }
  return std::make_pair(a, b);
}

}  // namespace eseal::cli
