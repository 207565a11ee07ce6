// eseal ca init|crl / eseal key gen / eseal cert issue|revoke.
#include <CLI/CLI.hpp>

#include "eseal/base/file.h"
#include "eseal/crypto/key_protection.h"
#include "eseal/crypto/random.h"
#include "eseal/x509/ca.h"
#include "internal.h"

namespace eseal::cli {
namespace {

struct CaInitOpts {
  std::string out, name = "eseal", password_file;
  std::vector<std::string> crl_uris;
};

Result<int> CaInit(const CaInitOpts& o, Context& ctx) {
  x509::CaInitOptions options;
  options.name = o.name;
  options.now = ctx.clock.Now();
  options.crl_distribution_points = o.crl_uris;
  if (!o.password_file.empty()) {
    ASSIGN_OR_RETURN(options.password, ReadSecretFile(o.password_file));
  }
  ASSIGN_OR_RETURN(x509::CaDirectory ca, x509::CaDirectory::Init(o.out, options, crypto::SystemRng()));
  ctx.out << "CA created in " << ca.dir() << "\n"
          << "  root:    " << ca.root().subject().ToString() << "\n"
          << "  issuing: " << ca.issuing().subject().ToString() << "\n"
          << "  keys:    " << ca.dir() << "/private/ ("
          << (o.password_file.empty() ? "unencrypted, mode 0600" : "protected with the password")
          << ")\n"
          << "To verify what this CA's certificates seal and sign, publish its CRL with 'eseal ca "
             "crl --ca "
          << ca.dir() << "', then pass:\n"
          << "  --trust " << ca.dir() << "/root.pem          (signer certificates)\n"
          << "  --maker-trust " << ca.dir() << "/root.pem    (seal-maker certificates, eseal maker policy)\n"
          << "  --intermediate " << ca.dir() << "/issuing.pem\n"
          << "  --crl " << ca.dir() << "/crl.pem --crl " << ca.dir() << "/root-crl.pem\n";
  return 0;
}

struct KeyGenOpts {
  std::string out, pub_out, password_file;
  uint32_t iterations = 200000;
};

Result<int> KeyGen(const KeyGenOpts& o, Context& ctx) {
  ASSIGN_OR_RETURN(crypto::Sm2PrivateKey key, crypto::Sm2PrivateKey::Generate());
  std::string pub_path = o.pub_out;
  if (pub_path.empty()) {
    pub_path = o.out;
    if (pub_path.size() > 4 && pub_path.substr(pub_path.size() - 4) == ".pem") pub_path.resize(pub_path.size() - 4);
    pub_path += ".pub.pem";
  }
  if (o.password_file.empty()) {
    SecretBytes pem = key.ToPem();
    RETURN_IF_ERROR(WriteOutput(o.out, pem.view(), 0600));
  } else {
    ASSIGN_OR_RETURN(SecretBytes password, ReadSecretFile(o.password_file));
    crypto::KeyProtectionOptions kp;
    kp.iterations = o.iterations;
    ASSIGN_OR_RETURN(Bytes blob, crypto::ProtectPrivateKey(key, password.view(), nullptr,
                                                           crypto::SystemRng(), kp));
    RETURN_IF_ERROR(WriteOutput(o.out, AsBytes(crypto::ProtectedKeyToPem(blob)), 0600));
  }
  RETURN_IF_ERROR(WriteOutput(pub_path, AsBytes(key.PublicKey().ToPem())));
  ctx.out << "SM2 key written to " << o.out << " ("
          << (o.password_file.empty() ? "unencrypted, mode 0600" : "protected: PBKDF2-HMAC-SM3 + SM4-GCM")
          << ")\npublic key written to " << pub_path << "\n";
  return 0;
}

struct CertIssueOpts {
  std::string ca, pubkey, subject, role, out, ca_password_file;
  int days = 365;
};

Result<int> CertIssue(const CertIssueOpts& o, Context& ctx) {
  ASSIGN_OR_RETURN(x509::CertificateRole role, x509::ParseCertificateRole(o.role));
  if (role != x509::CertificateRole::kSealMaker && role != x509::CertificateRole::kSigner &&
      role != x509::CertificateRole::kTimestamping) {
    return InvalidArgumentError("--role must be maker, signer or tsa");
  }
  if (o.days < 1 || o.days > 3650) return InvalidArgumentError("--days must be between 1 and 3650");
  ASSIGN_OR_RETURN(x509::Name subject, x509::Name::Parse(o.subject));
  ASSIGN_OR_RETURN(crypto::Sm2PublicKey pub, LoadPublicKey(o.pubkey));
  SecretBytes password;
  if (!o.ca_password_file.empty()) {
    ASSIGN_OR_RETURN(password, ReadSecretFile(o.ca_password_file));
  }
  ASSIGN_OR_RETURN(x509::CaDirectory ca, x509::CaDirectory::Open(o.ca, password.view()));
  Time now = ctx.clock.Now();
  x509::IssueRequest req{subject, pub, role, now, now + std::chrono::days(o.days)};
  ASSIGN_OR_RETURN(x509::Certificate cert, ca.Issue(req, crypto::SystemRng()));
  RETURN_IF_ERROR(WriteOutput(o.out, AsBytes(cert.ToPem())));
  ctx.out << "issued " << x509::CertificateRoleName(role) << " certificate " << cert.SerialHex()
          << " for " << cert.subject().ToString() << ", valid " << FormatRfc3339(cert.not_before())
          << " to " << FormatRfc3339(cert.not_after()) << "\nwritten to " << o.out << "\n";
  return 0;
}

// Publishes the issuing CA's CRL (证书撤销列表): every revoked certificate, signed now, valid
// for --days. Relying parties (another seal platform that registered this CA) need it to
// decide revocation; without one their verdicts stay INDETERMINATE.
struct CaCrlOpts {
  std::string ca, out, ca_password_file;
  int days = 7;
};

Result<int> CaCrl(const CaCrlOpts& o, Context& ctx) {
  if (o.days < 1 || o.days > 365) return InvalidArgumentError("--days must be between 1 and 365");
  SecretBytes password;
  if (!o.ca_password_file.empty()) {
    ASSIGN_OR_RETURN(password, ReadSecretFile(o.ca_password_file));
  }
  ASSIGN_OR_RETURN(x509::CaDirectory ca, x509::CaDirectory::Open(o.ca, password.view()));
  ASSIGN_OR_RETURN(x509::Crl crl, ca.PublishCrl(ctx.clock.Now(), std::chrono::days(o.days)));
  ctx.out << "CRL of " << ca.issuing().subject().ToString() << " with " << crl.entries().size()
          << " revoked certificate(s), valid until "
          << (crl.next_update() ? FormatRfc3339(*crl.next_update()) : std::string("-")) << "\n"
          << "written to " << o.ca << "/crl.der and " << o.ca << "/crl.pem\n";
  if (!o.out.empty()) {
    RETURN_IF_ERROR(WriteOutput(o.out, crl.der()));
    ctx.out << "and to " << o.out << " (DER)\n";
  }
  return 0;
}

struct CertRevokeOpts {
  std::string ca, cert, serial, reason = "unspecified", ca_password_file;
};

Result<int> CertRevoke(const CertRevokeOpts& o, Context& ctx) {
  if (o.cert.empty() == o.serial.empty()) return InvalidArgumentError("give exactly one of --cert and --serial");
  ASSIGN_OR_RETURN(x509::RevocationReason reason, x509::ParseRevocationReason(o.reason));
  Bytes serial;
  if (!o.cert.empty()) {
    ASSIGN_OR_RETURN(x509::Certificate cert, LoadCertificate(o.cert));
    serial = cert.serial();
  } else {
    ASSIGN_OR_RETURN(serial, HexDecode(o.serial));
  }
  SecretBytes password;
  if (!o.ca_password_file.empty()) {
    ASSIGN_OR_RETURN(password, ReadSecretFile(o.ca_password_file));
  }
  ASSIGN_OR_RETURN(x509::CaDirectory ca, x509::CaDirectory::Open(o.ca, password.view()));
  Time now = ctx.clock.Now();
  RETURN_IF_ERROR(ca.Revoke(serial, reason, now));
  ctx.out << "revoked certificate " << HexEncode(serial, true) << " (" << x509::RevocationReasonName(reason)
          << ") at " << FormatRfc3339(now) << "; run 'eseal ca crl' to publish it\n";
  return 0;
}

}  // namespace

void AddCaCommands(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* ca = app.add_subcommand("ca", "the built-in certification authority");
  ca->require_subcommand(1);
  auto init = std::make_shared<CaInitOpts>();
  CLI::App* i = ca->add_subcommand("init", "create an SM2 root CA and issuing CA in a directory");
  i->add_option("--out", init->out, "directory to create")->required();
  i->add_option("--name", init->name, "CA name (used in the CA certificates' CN)");
  i->add_option("--password-file", init->password_file, "protect the CA keys with this password");
  i->add_option("--crl-uri", init->crl_uris, "CRL distribution point URI to put in certificates");
  i->callback([&, init] { action = [&, init] { return CaInit(*init, ctx); }; });

  auto crl = std::make_shared<CaCrlOpts>();
  CLI::App* c = ca->add_subcommand("crl", "publish the issuing CA's certificate revocation list (CRL)");
  c->add_option("--ca", crl->ca, "CA directory made by 'eseal ca init'")->required();
  c->add_option("--days", crl->days, "validity of the CRL in days (nextUpdate; default 7)");
  c->add_option("--ca-password-file", crl->ca_password_file, "password of the CA keys");
  c->add_option("--out", crl->out, "also write the CRL (DER) here");
  c->callback([&, crl] { action = [&, crl] { return CaCrl(*crl, ctx); }; });
}

void AddKeyCommands(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* key = app.add_subcommand("key", "SM2 key pairs");
  key->require_subcommand(1);
  auto gen = std::make_shared<KeyGenOpts>();
  CLI::App* g = key->add_subcommand("gen", "generate an SM2 key pair");
  g->add_option("--out", gen->out, "private key file to write (mode 0600)")->required();
  g->add_option("--pub-out", gen->pub_out, "public key file (default: OUT with .pub.pem)");
  g->add_option("--password-file", gen->password_file,
                "protect the key with the password in this file (PBKDF2-HMAC-SM3 + SM4-GCM)");
  g->add_option("--iterations", gen->iterations, "PBKDF2 iterations")->check(CLI::Range(1000, 10000000));
  g->callback([&, gen] { action = [&, gen] { return KeyGen(*gen, ctx); }; });
}

void AddCertCommands(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* cert = app.add_subcommand("cert", "certificates from the built-in CA");
  cert->require_subcommand(1);
  auto issue = std::make_shared<CertIssueOpts>();
  CLI::App* c = cert->add_subcommand("issue", "issue a seal-maker, signer or TSA certificate (GM/T 0015, RFC 3161)");
  c->add_option("--ca", issue->ca, "CA directory made by 'eseal ca init'")->required();
  c->add_option("--pubkey", issue->pubkey, "the subject's SM2 public key (PEM)")->required();
  c->add_option("--subject", issue->subject, "subject DN, e.g. \"C=CN,O=Example Ltd,CN=Example Ltd\"")
      ->required();
  c->add_option("--role", issue->role, "maker (seal maker, 制章者), signer (签章者) or tsa (时间戳服务机构: "
                "critical extendedKeyUsage timeStamping)")->required();
  c->add_option("--days", issue->days, "validity in days (default 365: a seal lives one year)");
  c->add_option("--ca-password-file", issue->ca_password_file, "password of the CA keys");
  c->add_option("--out", issue->out, "certificate file to write (PEM)")->required();
  c->callback([&, issue] { action = [&, issue] { return CertIssue(*issue, ctx); }; });

  auto revoke = std::make_shared<CertRevokeOpts>();
  CLI::App* r = cert->add_subcommand("revoke", "revoke a certificate issued by the built-in CA");
  r->add_option("--ca", revoke->ca, "CA directory made by 'eseal ca init'")->required();
  r->add_option("--cert", revoke->cert, "the certificate to revoke (PEM or DER)");
  r->add_option("--serial", revoke->serial, "or its serial number in hex");
  r->add_option("--reason", revoke->reason,
                "unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation or "
                "certificateHold");
  r->add_option("--ca-password-file", revoke->ca_password_file, "password of the CA keys");
  r->callback([&, revoke] { action = [&, revoke] { return CertRevoke(*revoke, ctx); }; });
}

}  // namespace eseal::cli
