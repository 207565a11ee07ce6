// CaDirectory: the built-in CA's state (内置CA) kept in a directory of PEM and text files.
#include <algorithm>
#include <cstdlib>

#include "eseal/base/file.h"
#include "eseal/crypto/key_protection.h"
#include "eseal/x509/ca.h"
#include "internal.h"

namespace eseal::x509 {
namespace {

constexpr size_t kMaxTextFile = size_t{64} << 20;

std::string Path(const std::string& dir, std::string_view name) {
  return dir + "/" + std::string(name);
}

Time AddYears(Time t, int years) {
  CivilTime c = ToCivil(t);
  c.year += years;
  auto r = FromCivil(c);
  if (r.ok()) return *r;
  c.day = 28;  // 29 February in a year that has none
  return FromCivil(c).value_or(t);
}

// RFC 4514 escaping, so any CA name can become a Name attribute value.
std::string EscapeRfc4514(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (std::string_view(",+\"\\<>;=#/").find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

Result<Name> DefaultName(const std::string& ca_name, std::string_view suffix) {
  std::string cn = ca_name + " " + std::string(suffix);
  return Name::Parse("CN=" + EscapeRfc4514(cn) + ",O=" + EscapeRfc4514(ca_name) + ",C=CN");
}

Status WriteKey(const std::string& path, const crypto::Sm2PrivateKey& key, ByteView password,
                const crypto::KeyProtectionOptions& kp, Rng& rng) {
  if (password.empty()) {
    SecretBytes pem = key.ToPem();
    return WriteFileAtomic(path, pem.view(), 0600);
  }
  ASSIGN_OR_RETURN(Bytes blob, crypto::ProtectPrivateKey(key, password, nullptr, rng, kp));
  return WriteFileAtomic(path, crypto::ProtectedKeyToPem(blob), 0600);
}

struct CaConf {
  std::string name;
  std::vector<std::string> crl_uris;
  bool protected_keys = false;
};

std::string FormatConf(const CaConf& c) {
  std::string out = "# eseal built-in CA configuration\n";
  out += "name=" + c.name + "\n";
  for (const std::string& u : c.crl_uris) out += "crl_uri=" + u + "\n";
  out += std::string("keys=") + (c.protected_keys ? "protected" : "plain") + "\n";
  return out;
}

Result<CaConf> ParseConf(std::string_view text) {
  CaConf c;
  bool keys_seen = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return DataLossError("ca.conf: a line without '='");
    std::string_view key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "name") {
      c.name = std::string(value);
    } else if (key == "crl_uri") {
      c.crl_uris.emplace_back(value);
    } else if (key == "keys") {
      if (value != "protected" && value != "plain")
        return DataLossError("ca.conf: bad keys= value");
      c.protected_keys = value == "protected";
      keys_seen = true;
    }
  }
  if (!keys_seen) return DataLossError("ca.conf has no keys= line");
  return c;
}

std::string Readme(const CaConf& c, const Certificate& root, const Certificate& issuing) {
  std::string out =
      "eseal built-in CA (内置CA): " + c.name +
      "\n\n"
      "root.pem        root CA certificate   " +
      root.subject().ToString() +
      "\n"
      "issuing.pem     issuing CA certificate " +
      issuing.subject().ToString() +
      "\n"
      "chain.pem       issuing + root certificates\n"
      "private/*.key   the CA private keys\n"
      "index.txt       issued certificates: serial, role, notAfter, V(alid)/R(evoked),\n"
      "                revocation time, reason, subject (tab separated)\n"
      "crlnumber       the next CRL number\n"
      "certs/          every issued certificate, by serial\n"
      "crl.pem crl.der the last CRL published by the issuing CA\n"
      "root-crl.pem/.der the root's CRL (empty; valid as long as the issuing CA)\n\n";
  if (c.protected_keys) {
    out +=
        "Keys: private/root.key and private/issuing.key are encrypted with the CA password\n"
        "(eseal key protection: PBKDF2-HMAC-SM3 and SM4-GCM).\n";
  } else {
    out +=
        "Keys: private/root.key and private/issuing.key are UNENCRYPTED PKCS#8 PEM files,\n"
        "protected only by their file mode 0600 (directory 0700). Anyone who can read them\n"
        "can issue certificates. Give a password file for anything beyond development.\n";
  }
  out += "\nAll files are written atomically; use one eseal process at a time on this directory.\n";
  return out;
}

}  // namespace

std::string FormatIndexLine(const IssuedRecord& r) {
  std::string out = internal::UpperHex(r.serial);
  out += "\t" + std::string(CertificateRoleName(r.role));
  out += "\t" + FormatRfc3339(r.not_after);
  out += r.revoked_at ? "\tR\t" + FormatRfc3339(*r.revoked_at) : "\tV\t-";
  out += "\t" + (r.revoked_at ? std::string(RevocationReasonName(r.reason)) : std::string("-"));
  std::string subject;
  for (char c : r.subject) subject.push_back(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
  out += "\t" + subject;
  return out;
}

Result<IssuedRecord> ParseIndexLine(std::string_view line) {
  std::vector<std::string_view> f;
  size_t pos = 0;
  while (f.size() < 6) {
    size_t tab = line.find('\t', pos);
    if (tab == std::string_view::npos)
      return DataLossError("index.txt: a line with too few fields");
    f.push_back(line.substr(pos, tab - pos));
    pos = tab + 1;
  }
  f.push_back(line.substr(pos));
  IssuedRecord r;
  auto serial = HexDecode(f[0]);
  if (!serial.ok() || serial->empty()) return DataLossError("index.txt: bad serial");
  r.serial = std::move(*serial);
  auto role = ParseCertificateRole(f[1]);
  if (!role.ok()) return DataLossError("index.txt: bad role");
  r.role = *role;
  auto not_after = ParseTime(f[2]);
  if (!not_after.ok()) return DataLossError("index.txt: bad notAfter");
  r.not_after = *not_after;
  if (f[3] == "R") {
    auto when = ParseTime(f[4]);
    if (!when.ok()) return DataLossError("index.txt: bad revocation time");
    r.revoked_at = *when;
    auto reason = ParseRevocationReason(f[5]);
    if (!reason.ok()) return DataLossError("index.txt: bad revocation reason");
    r.reason = *reason;
  } else if (f[3] != "V") {
    return DataLossError("index.txt: status must be V or R");
  }
  r.subject = std::string(f[6]);
  return r;
}

Result<CaDirectory> CaDirectory::Init(const std::string& dir, const CaInitOptions& o, Rng& rng) {
  if (FileExists(Path(dir, "ca.conf"))) {
    return AlreadyExistsError("a CA already exists in " + dir);
  }
  if (o.root_years < 1 || o.issuing_years < 1 || o.issuing_years > o.root_years) {
    return InvalidArgumentError(
        "CA lifetimes must be positive, the issuing CA's within the root's");
  }
  RETURN_IF_ERROR(MakeDirs(dir, /*private_dir=*/true));
  RETURN_IF_ERROR(MakeDirs(Path(dir, "private"), /*private_dir=*/true));
  RETURN_IF_ERROR(MakeDirs(Path(dir, "certs")));

  Name root_name, issuing_name;
  if (o.root_subject) {
    root_name = *o.root_subject;
  } else {
    ASSIGN_OR_RETURN(root_name, DefaultName(o.name, "Root CA"));
  }
  if (o.issuing_subject) {
    issuing_name = *o.issuing_subject;
  } else {
    ASSIGN_OR_RETURN(issuing_name, DefaultName(o.name, "Issuing CA"));
  }
  if (root_name == issuing_name)
    return InvalidArgumentError("root and issuing CA names must differ");

  ASSIGN_OR_RETURN(crypto::Sm2PrivateKey root_key, crypto::Sm2PrivateKey::Generate());
  ASSIGN_OR_RETURN(crypto::Sm2PrivateKey issuing_key, crypto::Sm2PrivateKey::Generate());
  ASSIGN_OR_RETURN(Certificate root, MakeRootCertificate(root_name, root_key, o.now,
                                                         AddYears(o.now, o.root_years), rng));
  IssueRequest req{issuing_name,
                   issuing_key.PublicKey(),
                   CertificateRole::kIssuingCa,
                   o.now,
                   AddYears(o.now, o.issuing_years),
                   std::nullopt,
                   {}};
  ASSIGN_OR_RETURN(Certificate issuing, IssueCertificate(root, root_key, req, rng));

  CaConf conf{o.name, o.crl_distribution_points, !o.password.empty()};
  RETURN_IF_ERROR(
      WriteKey(Path(dir, "private/root.key"), root_key, o.password.view(), o.key_protection, rng));
  RETURN_IF_ERROR(WriteKey(Path(dir, "private/issuing.key"), issuing_key, o.password.view(),
                           o.key_protection, rng));
  RETURN_IF_ERROR(WriteFileAtomic(Path(dir, "root.pem"), root.ToPem()));
  RETURN_IF_ERROR(WriteFileAtomic(Path(dir, "issuing.pem"), issuing.ToPem()));
  RETURN_IF_ERROR(WriteFileAtomic(Path(dir, "chain.pem"), issuing.ToPem() + root.ToPem()));
  RETURN_IF_ERROR(WriteFileAtomic(Path(dir, "index.txt"), std::string_view()));
  RETURN_IF_ERROR(WriteFileAtomic(Path(dir, "crlnumber"), std::string_view("1\n")));
  // The root revokes nothing but could revoke the issuing CA: publish its (empty) CRL
  // now, valid as long as the issuing CA, so verifiers anchored at the root can decide
  // the issuing CA's status. The root key is not used again after Init.
  CrlRequest root_crl_req;
  root_crl_req.this_update = o.now;
  root_crl_req.next_update = issuing.not_after();
  root_crl_req.crl_number = {0x01};
  ASSIGN_OR_RETURN(Crl root_crl, MakeCrl(root, root_key, root_crl_req));
  RETURN_IF_ERROR(WriteFileAtomic(Path(dir, "root-crl.der"), root_crl.der()));
  RETURN_IF_ERROR(WriteFileAtomic(Path(dir, "root-crl.pem"), root_crl.ToPem()));
  RETURN_IF_ERROR(WriteFileAtomic(Path(dir, "README.txt"), Readme(conf, root, issuing)));
  // ca.conf last: its presence marks a complete CA.
  RETURN_IF_ERROR(WriteFileAtomic(Path(dir, "ca.conf"), FormatConf(conf)));
  return CaDirectory(dir, std::move(root), std::move(issuing), std::move(issuing_key),
                     conf.crl_uris);
}

Result<CaDirectory> CaDirectory::Open(const std::string& dir, ByteView password) {
  auto conf_text = ReadTextFile(Path(dir, "ca.conf"), 1 << 20);
  if (!conf_text.ok()) {
    if (conf_text.status().code() == StatusCode::kNotFound) {
      return NotFoundError("no CA in " + dir + " (ca.conf is missing); run `eseal ca init` first");
    }
    return conf_text.status();
  }
  ASSIGN_OR_RETURN(CaConf conf, ParseConf(*conf_text));
  if (conf.protected_keys && password.empty()) {
    return FailedPreconditionError("the keys of the CA in " + dir +
                                   " are password-protected; give the CA password file");
  }
  ASSIGN_OR_RETURN(std::string root_pem, ReadTextFile(Path(dir, "root.pem"), 1 << 20));
  ASSIGN_OR_RETURN(std::string issuing_pem, ReadTextFile(Path(dir, "issuing.pem"), 1 << 20));
  auto root = Certificate::FromPem(root_pem);
  if (!root.ok()) return root.status().WithContext(Path(dir, "root.pem"));
  auto issuing = Certificate::FromPem(issuing_pem);
  if (!issuing.ok()) return issuing.status().WithContext(Path(dir, "issuing.pem"));
  auto key_pem = ReadFile(Path(dir, "private/issuing.key"), 1 << 20);
  if (!key_pem.ok()) return key_pem.status();
  auto key = crypto::LoadPrivateKeyPem(AsChars(*key_pem),
                                       conf.protected_keys ? password : ByteView(), nullptr);
  SecureZero(key_pem->data(), key_pem->size());
  if (!key.ok()) return key.status().WithContext("issuing CA key");
  ASSIGN_OR_RETURN(crypto::Sm2PublicKey pub, issuing->public_key());
  if (!(pub == key->PublicKey())) {
    return DataLossError("private/issuing.key does not match issuing.pem in " + dir);
  }
  return CaDirectory(dir, std::move(*root), std::move(*issuing), std::move(*key),
                     std::move(conf.crl_uris));
}

Result<std::vector<IssuedRecord>> CaDirectory::List() const {
  ASSIGN_OR_RETURN(std::string text, ReadTextFile(Path(dir_, "index.txt"), kMaxTextFile));
  std::vector<IssuedRecord> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) continue;
    ASSIGN_OR_RETURN(IssuedRecord r, ParseIndexLine(line));
    out.push_back(std::move(r));
  }
  return out;
}

Status CaDirectory::WriteIndex(const std::vector<IssuedRecord>& records) const {
  std::string text;
  for (const IssuedRecord& r : records) text += FormatIndexLine(r) + "\n";
  return WriteFileAtomic(Path(dir_, "index.txt"), text);
}

Result<Certificate> CaDirectory::Issue(IssueRequest request, Rng& rng) {
  if (request.role != CertificateRole::kSealMaker && request.role != CertificateRole::kSigner &&
      request.role != CertificateRole::kTimestamping) {
    return InvalidArgumentError("the issuing CA issues seal-maker, signer and TSA certificates only");
  }
  if (request.crl_distribution_points.empty()) request.crl_distribution_points = crl_uris_;
  ASSIGN_OR_RETURN(std::vector<IssuedRecord> records, List());
  if (!request.serial) {
    ASSIGN_OR_RETURN(request.serial, RandomSerial(rng));
  }
  for (const IssuedRecord& r : records) {
    if (r.serial == *request.serial) {
      return AlreadyExistsError("serial " + internal::UpperHex(r.serial) + " was already issued");
    }
  }
  ASSIGN_OR_RETURN(Certificate cert, IssueCertificate(issuing_, issuing_key_, request, rng));
  RETURN_IF_ERROR(WriteFileAtomic(Path(dir_, "certs/" + cert.SerialHex() + ".pem"), cert.ToPem()));
  records.push_back(IssuedRecord{cert.serial(), request.role, cert.not_after(), std::nullopt,
                                 RevocationReason::kUnspecified, cert.subject().ToRfc4514()});
  RETURN_IF_ERROR(WriteIndex(records));
  return cert;
}

Status CaDirectory::Revoke(ByteView serial, RevocationReason reason, Time when) {
  if (reason == RevocationReason::kRemoveFromCrl) {
    return InvalidArgumentError("removeFromCRL is only for delta CRLs");
  }
  ASSIGN_OR_RETURN(std::vector<IssuedRecord> records, List());
  ByteView s = serial;
  while (s.size() > 1 && s[0] == 0) s = s.subspan(1);
  for (IssuedRecord& r : records) {
    if (!std::equal(r.serial.begin(), r.serial.end(), s.begin(), s.end())) continue;
    if (r.revoked_at) {
      return FailedPreconditionError("certificate " + internal::UpperHex(r.serial) +
                                     " is already revoked");
    }
    r.revoked_at = when;
    r.reason = reason;
    return WriteIndex(records);
  }
  return NotFoundError("no certificate with serial " + internal::UpperHex(s) +
                       " was issued by this CA");
}

Result<std::vector<Crl>> CaDirectory::Crls() const {
  std::vector<Crl> out;
  for (const char* name : {"root-crl.der", "crl.der"}) {
    std::string path = Path(dir_, name);
    if (!FileExists(path)) continue;
    ASSIGN_OR_RETURN(Bytes der, ReadFile(path, kMaxTextFile));
    auto crl = Crl::FromDer(der);
    if (!crl.ok()) return crl.status().WithContext(path);
    out.push_back(std::move(*crl));
  }
  return out;
}

Result<Crl> CaDirectory::PublishCrl(Time now, std::chrono::seconds validity) {
  if (validity.count() <= 0) return InvalidArgumentError("CRL validity must be positive");
  ASSIGN_OR_RETURN(std::string number_text, ReadTextFile(Path(dir_, "crlnumber"), 64));
  char* end = nullptr;
  unsigned long long number = std::strtoull(number_text.c_str(), &end, 10);
  if (number == 0 || end == number_text.c_str()) return DataLossError("crlnumber is not a number");
  ASSIGN_OR_RETURN(std::vector<IssuedRecord> records, List());
  CrlRequest req;
  req.this_update = now;
  req.next_update = now + validity;
  for (int i = 7; i >= 0; --i) req.crl_number.push_back(static_cast<uint8_t>(number >> (8 * i)));
  for (const IssuedRecord& r : records) {
    if (r.revoked_at) req.revoked.push_back(CrlEntryParams{r.serial, *r.revoked_at, r.reason});
  }
  ASSIGN_OR_RETURN(Crl crl, MakeCrl(issuing_, issuing_key_, req));
  // Advance the number first: a number skipped after a crash is harmless, one reused is not.
  RETURN_IF_ERROR(WriteFileAtomic(Path(dir_, "crlnumber"), std::to_string(number + 1) + "\n"));
  RETURN_IF_ERROR(WriteFileAtomic(Path(dir_, "crl.der"), crl.der()));
  RETURN_IF_ERROR(WriteFileAtomic(Path(dir_, "crl.pem"), crl.ToPem()));
  return crl;
}

}  // namespace eseal::x509
