// Helpers shared by the x509 tests: data files, times, temporary folders, the openssl CLI,
// and a small set of keys and certificates built with builder.h.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "eseal/base/file.h"
#include "eseal/base/time.h"
#include "eseal/crypto/random.h"
#include "eseal/crypto/sm2.h"
#include "eseal/x509/builder.h"
#include "eseal/x509/certificate.h"

namespace eseal::x509::testing {

inline std::string Shared(const std::string& rel) {
  return std::string(ESEAL_SHARED_TESTDATA) + "/" + rel;
}
inline std::string Own(const std::string& rel) { return std::string(ESEAL_TESTDATA) + "/" + rel; }

inline Bytes MustRead(const std::string& path) {
  auto b = ReadFile(path);
  EXPECT_TRUE(b.ok()) << path << ": " << b.status().ToString();
  return b.ok() ? *b : Bytes{};
}
inline std::string MustReadText(const std::string& path) {
  auto b = ReadTextFile(path);
  EXPECT_TRUE(b.ok()) << path << ": " << b.status().ToString();
  return b.ok() ? *b : std::string{};
}
inline Certificate MustCertPem(const std::string& path) {
  auto c = Certificate::FromPem(MustReadText(path));
  EXPECT_TRUE(c.ok()) << path << ": " << c.status().ToString();
  return c.ok() ? *c : Certificate{};
}

inline Time T(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return FromCivil(CivilTime{y, mo, d, h, mi, s}).value();
}

// A fresh, empty folder under the system temp directory.
inline std::string TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "eseal_x509_XXXXXX").string();
  char* d = ::mkdtemp(tmpl.data());
  EXPECT_NE(d, nullptr);
  return tmpl;
}

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};
inline CommandResult RunCommand(const std::string& command) {
  CommandResult r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}
inline bool HaveOpenSsl() {
  static const bool have = RunCommand("openssl version").exit_code == 0;
  return have;
}

inline crypto::Sm2PrivateKey NewKey() { return crypto::Sm2PrivateKey::Generate().value(); }

inline Name N(std::string_view text) { return Name::Parse(text).value(); }

// Parameters of a CA or end-entity certificate, ready to be adjusted by a test.
inline CertificateParams CaParams(const Name& issuer, const Name& subject,
                                  const crypto::Sm2PublicKey& key,
                                  const crypto::Sm2PublicKey& issuer_key,
                                  std::optional<int> path_len = std::nullopt) {
  CertificateParams p;
  p.serial = {0x10, static_cast<uint8_t>(subject.der().size())};
  p.issuer = issuer;
  p.subject = subject;
  p.not_before = T(2020, 1, 1);
  p.not_after = T(2040, 1, 1);
  p.spki_der = key.ToSpkiDer();
  p.basic_constraints = BasicConstraintsParams{true, path_len, true};
  p.key_usage = kKeyCertSign | kCrlSign;
  p.subject_key_id = KeyIdentifier(key);
  p.authority_key_id = KeyIdentifier(issuer_key);
  return p;
}
inline CertificateParams LeafParams(const Name& issuer, const Name& subject,
                                    const crypto::Sm2PublicKey& key,
                                    const crypto::Sm2PublicKey& issuer_key) {
  CertificateParams p;
  p.serial = {0x20, 0x01};
  p.issuer = issuer;
  p.subject = subject;
  p.not_before = T(2026, 1, 1);
  p.not_after = T(2027, 1, 1);
  p.spki_der = key.ToSpkiDer();
  p.key_usage = kDigitalSignature | kNonRepudiation;
  p.subject_key_id = KeyIdentifier(key);
  p.authority_key_id = KeyIdentifier(issuer_key);
  return p;
}
inline Certificate Build(const CertificateParams& p, const crypto::Sm2Signer& signer) {
  auto der = BuildCertificate(p, signer);
  EXPECT_TRUE(der.ok()) << der.status().ToString();
  auto c = Certificate::FromDer(der.value());
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.value();
}

}  // namespace eseal::x509::testing
