#include <CLI/CLI.hpp>

#include "eseal/base/file.h"
#include "eseal/cli/cli.h"
#include "eseal/crypto/key_protection.h"
#include "eseal/verify/report_json.h"
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
                  "trust anchor certificate (CA root or registered seal-maker certificate), PEM "
                  "or DER; repeatable");
  cmd->add_option("--intermediate", t.intermediates, "untrusted intermediate CA certificate");
  cmd->add_option("--crl", t.crls, "CRL to check revocation with (PEM or DER); repeatable");
  cmd->add_flag("--tolerate-test-roots", t.tolerate_test_roots,
                "accept CA certificates whose keyUsage lacks keyCertSign (ofdrw's test root); "
                "reported as a warning");
}

Result<ses::TrustPolicy> BuildTrustPolicy(const TrustOptions& t) {
  ses::TrustPolicy p;
  ASSIGN_OR_RETURN(auto anchors, LoadCertificates(t.anchors));
  for (size_t i = 0; i < anchors.size(); ++i) p.anchors.Add(anchors[i], "--trust " + std::to_string(i + 1));
  ASSIGN_OR_RETURN(p.intermediates, LoadCertificates(t.intermediates));
  ASSIGN_OR_RETURN(p.crls, LoadCrls(t.crls));
  p.tolerate_ca_without_key_cert_sign = t.tolerate_test_roots;
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

}  // namespace eseal::cli
