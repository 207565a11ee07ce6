// The platform's own identity (平台身份): on first start on an empty store, a built-in CA
// (SM2 root and issuing CA), the seal-maker (制章者) key and certificate that signs every seal,
// a platform signing key for audit checkpoints, filing exports and archives, the timestamp
// authority's key and certificate, and the first operator account. Keys are stored only protected by the KEK (key_protection.h); the
// protection password of platform keys is a fixed label, so the KEK alone guards them.
#include "eseal/crypto/key_protection.h"
#include "eseal/crypto/random.h"
#include "eseal/x509/ca.h"
#include "internal.h"

namespace eseal::platform {
namespace {

constexpr std::string_view kPlatformKeyLabel = "eseal platform key";
constexpr uint32_t kPlatformKeyIterations = 1000;  // the password is public; the KEK protects

Result<KeyedCert> LoadKey(Tx& tx, std::string_view name, const crypto::Kek* kek) {
  ASSIGN_OR_RETURN(PlatformKey k, tx.platform_keys().Get(name));
  if (k.kek_id != kek->Id()) {
    return FailedPreconditionError("the platform key '" + std::string(name) +
                                   "' is protected by another key-encryption key (" + k.kek_id +
                                   "), not the one configured (" + kek->Id() + ")");
  }
  auto key = crypto::UnprotectPrivateKey(k.protected_key, AsBytes(kPlatformKeyLabel), kek);
  if (!key.ok()) return key.status().WithContext("platform key '" + std::string(name) + "'");
  ASSIGN_OR_RETURN(x509::Certificate cert, x509::Certificate::FromDer(k.cert_der));
  return KeyedCert{std::move(cert), *std::move(key)};
}

Status StoreKey(Tx& tx, std::string_view name, const x509::Certificate& cert,
                const crypto::Sm2PrivateKey& key, const crypto::Kek* kek, Rng& rng, Time now) {
  crypto::KeyProtectionOptions kp;
  kp.iterations = kPlatformKeyIterations;
  ASSIGN_OR_RETURN(Bytes blob, crypto::ProtectPrivateKey(key, AsBytes(kPlatformKeyLabel), kek, rng, kp));
  PlatformKey k{std::string(name), cert.der(), std::move(blob), kek->Id(), now};
  RETURN_IF_ERROR(tx.platform_keys().Insert(k));
  IssuedCertificate ic;
  ic.serial_hex = cert.SerialHex();
  ic.role = std::string(name);
  ic.subject = cert.subject().ToString();
  ic.der = cert.der();
  ic.not_after = cert.not_after();
  return tx.certificates().Insert(ic);
}

Result<x509::Name> NameFor(const std::string& org, const std::string& cn) {
  // Name::Parse takes RFC 4514 order (most specific first).
  std::string text = "CN=" + cn + ",O=" + org + ",C=CN";
  return x509::Name::Parse(text);
}

// A fresh key and a certificate for it from `issuer`.
Result<KeyedCert> IssueKeyed(const PlatformOptions& o, std::string_view cn, x509::CertificateRole role,
                             int years, const x509::Certificate& issuer, const crypto::Sm2PrivateKey& issuer_key,
                             std::vector<std::string> dp, Time now) {
  ASSIGN_OR_RETURN(crypto::Sm2PrivateKey key, crypto::Sm2PrivateKey::Generate());
  ASSIGN_OR_RETURN(x509::Name name, NameFor(o.name, std::string(cn)));
  x509::IssueRequest req{name, key.PublicKey(), role, now, now + std::chrono::days(365 * years)};
  req.crl_distribution_points = std::move(dp);
  ASSIGN_OR_RETURN(x509::Certificate cert, x509::IssueCertificate(issuer, issuer_key, req, *o.rng));
  return KeyedCert{std::move(cert), std::move(key)};
}

std::vector<std::string> CrlPoints(const PlatformOptions& o) {
  std::vector<std::string> crl_dp;
  if (!o.public_base_url.empty()) crl_dp.push_back(o.public_base_url + "/api/v1/crl");
  return crl_dp;
}

std::vector<std::string> SplitNames(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// The timestamp authority's key and certificate (时间戳服务机构): timeStamping the only,
// critical, extended key usage (x509 kTimestamping). Made on first start, on the first
// start of a platform created before it had a TSA, and again a year before the current
// one ends (RotateTsaIfDue). Five years. The keys are named in settings: `tsa_key` the
// current one, `tsa_keys` every one so far (old tokens keep verifying under the old
// certificates, which stay TSA anchors of the platform's own verifier).
Result<KeyedCert> MakeTsa(Tx& tx, const PlatformOptions& o, const KeyedCert& issuing, Time now) {
  ASSIGN_OR_RETURN(std::optional<std::string> names, tx.settings().Get("tsa_keys"));
  std::string name = names ? std::string(kTsaKey) + "-" + std::to_string(ToUnix(now)) : std::string(kTsaKey);
  ASSIGN_OR_RETURN(KeyedCert tsa, IssueKeyed(o, o.name + " Timestamp Authority", x509::CertificateRole::kTimestamping,
                                             5, issuing.cert, issuing.key, CrlPoints(o), now));
  RETURN_IF_ERROR(StoreKey(tx, name, tsa.cert, tsa.key, o.kek, *o.rng, now));
  RETURN_IF_ERROR(tx.settings().Put("tsa_key", name));
  RETURN_IF_ERROR(tx.settings().Put("tsa_keys", names ? *names + "," + name : name));
  return tsa;
}

// The current TSA and the certificates of every TSA so far (oldest first).
Status LoadTsa(Tx& tx, const PlatformOptions& o, std::optional<KeyedCert>* current,
               std::vector<x509::Certificate>* history) {
  ASSIGN_OR_RETURN(std::optional<std::string> name, tx.settings().Get("tsa_key"));
  ASSIGN_OR_RETURN(std::optional<std::string> names, tx.settings().Get("tsa_keys"));
  ASSIGN_OR_RETURN(*current, LoadKey(tx, name ? *name : kTsaKey, o.kek));
  history->clear();
  for (const std::string& n : SplitNames(names.value_or(std::string(kTsaKey)))) {
    ASSIGN_OR_RETURN(PlatformKey k, tx.platform_keys().Get(n));
    ASSIGN_OR_RETURN(x509::Certificate c, x509::Certificate::FromDer(k.cert_der));
    history->push_back(std::move(c));
  }
  if (history->empty() || !(history->back() == (*current)->cert)) history->push_back((*current)->cert);
  return Status::Ok();
}

}  // namespace

Result<Identity> PlatformImpl::LoadOrCreateIdentity(const PlatformOptions& o, Bootstrap* bootstrap) {
  std::optional<x509::Certificate> root_cert;
  std::optional<KeyedCert> issuing, maker, signer, tsa;
  std::vector<x509::Certificate> tsa_history;
  bool created = false;
  std::string operator_token, enrolment_code;
  Rng& rng = *o.rng;
  ASSIGN_OR_RETURN(CredentialHasher hasher, CredentialHasher::FromKek(*o.kek));
  Status st = [&]() -> Status {
    ASSIGN_OR_RETURN(std::unique_ptr<Tx> tx, o.store->Begin());
    auto root = tx->platform_keys().Get(kRootCaKey);
    if (root.ok()) {
      ASSIGN_OR_RETURN(root_cert, x509::Certificate::FromDer(root->cert_der));
      ASSIGN_OR_RETURN(issuing, LoadKey(*tx, kIssuingCaKey, o.kek));
      ASSIGN_OR_RETURN(maker, LoadKey(*tx, kSealMakerKey, o.kek));
      ASSIGN_OR_RETURN(signer, LoadKey(*tx, kPlatformSignerKey, o.kek));
      Status t = LoadTsa(*tx, o, &tsa, &tsa_history);
      if (t.ok()) return Status::Ok();
      if (t.code() != StatusCode::kNotFound) return t;
      ASSIGN_OR_RETURN(tsa, MakeTsa(*tx, o, *issuing, o.clock->Now()));
      tsa_history = {tsa->cert};
      return tx->Commit();
    }
    if (root.status().code() != StatusCode::kNotFound) return root.status();

    // First start: make the identity.
    Time now = o.clock->Now();
    std::vector<std::string> crl_dp = CrlPoints(o);
    ASSIGN_OR_RETURN(crypto::Sm2PrivateKey root_key, crypto::Sm2PrivateKey::Generate());
    ASSIGN_OR_RETURN(x509::Name root_name, NameFor(o.name, o.name + " Root CA"));
    ASSIGN_OR_RETURN(root_cert, x509::MakeRootCertificate(root_name, root_key, now,
                                                          now + std::chrono::days(365 * 20), rng));
    auto issue = [&](std::string_view cn, x509::CertificateRole role, int years,
                     const x509::Certificate& issuer, const crypto::Sm2PrivateKey& issuer_key,
                     std::vector<std::string> dp) -> Result<KeyedCert> {
      return IssueKeyed(o, cn, role, years, issuer, issuer_key, std::move(dp), now);
    };
    ASSIGN_OR_RETURN(issuing, issue(o.name + " Issuing CA", x509::CertificateRole::kIssuingCa, 10,
                                    *root_cert, root_key, {}));
    ASSIGN_OR_RETURN(maker, issue(o.name + " Seal Maker", x509::CertificateRole::kSealMaker, 10,
                                  issuing->cert, issuing->key, crl_dp));
    ASSIGN_OR_RETURN(signer, issue(o.name + " Platform Signer", x509::CertificateRole::kSigner, 10,
                                   issuing->cert, issuing->key, crl_dp));
    RETURN_IF_ERROR(StoreKey(*tx, kRootCaKey, *root_cert, root_key, o.kek, rng, now));
    RETURN_IF_ERROR(StoreKey(*tx, kIssuingCaKey, issuing->cert, issuing->key, o.kek, rng, now));
    RETURN_IF_ERROR(StoreKey(*tx, kSealMakerKey, maker->cert, maker->key, o.kek, rng, now));
    RETURN_IF_ERROR(StoreKey(*tx, kPlatformSignerKey, signer->cert, signer->key, o.kek, rng, now));
    ASSIGN_OR_RETURN(tsa, MakeTsa(*tx, o, *issuing, now));
    tsa_history = {tsa->cert};

    // The root never revokes the issuing CA here; its CRL is made once, valid as long as
    // the issuing CA, so verifiers anchored at the root can decide revocation.
    x509::CrlRequest root_crl{now, issuing->cert.not_after(), Bytes{0x01}, {}};
    ASSIGN_OR_RETURN(x509::Crl crl, x509::MakeCrl(*root_cert, root_key, root_crl));
    RETURN_IF_ERROR(tx->settings().Put("root_crl", HexEncode(crl.der())));
    RETURN_IF_ERROR(tx->settings().Put("crl_number", "1"));

    // The first operator.
    ASSIGN_OR_RETURN(Bytes raw_id, RandomBytes(rng, 10));
    ASSIGN_OR_RETURN(Bytes raw_token, RandomBytes(rng, 32));
    Account op{"acc_" + HexEncode(raw_id), "operator", Role::kOperator, "", "", false, now};
    RETURN_IF_ERROR(tx->accounts().Insert(op));
    operator_token = "esk_" + Base64UrlEncode(raw_token);
    Credential token{hasher.Secret(operator_token), op.id, "", now, {}};
    token.id = "tok_" + HexEncode(raw_id);
    token.label = "bootstrap";
    token.expires_at = now + std::chrono::hours(24) * o.token_validity_days;
    RETURN_IF_ERROR(tx->credentials().Insert(token));
    // The operator signs in as "operator" after enrolling with this one-time code.
    ASSIGN_OR_RETURN(Login login, NewLoginRow(hasher, rng, op, "operator", std::chrono::hours(24 * 30), now,
                                              &enrolment_code));
    RETURN_IF_ERROR(tx->logins().Insert(login));
    RETURN_IF_ERROR(tx->settings().Put("credential_hashing", kCredentialHashing));
    created = true;
    return tx->Commit();
  }();
  if (!st.ok()) return st;
  if (bootstrap) {
    bootstrap->created = created;
    bootstrap->operator_token = operator_token;
    if (created) {
      bootstrap->operator_login = "operator";
      bootstrap->operator_enrolment_code = enrolment_code;
    }
  }
  return Identity{*std::move(root_cert), *std::move(issuing), *std::move(maker), *std::move(signer),
                  *std::move(tsa), std::move(tsa_history), std::move(hasher)};
}

Result<std::unique_ptr<Platform>> Platform::Open(const PlatformOptions& options, Bootstrap* bootstrap) {
  PlatformOptions o = options;
  if (!o.store || !o.kek) return InvalidArgumentError("the platform needs a store and a key-encryption key");
  if (!o.clock) o.clock = &SystemClock();
  if (!o.rng) o.rng = &crypto::SystemRng();
  ASSIGN_OR_RETURN(Identity id, PlatformImpl::LoadOrCreateIdentity(o, bootstrap));
  auto p = std::make_unique<PlatformImpl>(o, std::move(id));
  RETURN_IF_ERROR(p->StartAuditMac());
  RETURN_IF_ERROR(p->StartAuditExport());
  // A database from before keyed credential hashes: key its rows once (credential_hash.h).
  RETURN_IF_ERROR(p->InTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(std::optional<std::string> done, tx.settings().Get("credential_hashing"));
    if (done) return RekeyCredentials(tx, p->hasher(), p->Now());  // checks the value
    RETURN_IF_ERROR(RekeyCredentials(tx, p->hasher(), p->Now()));
    return p->Audit(tx, nullptr, "credentials.rekeyed", "platform", o.name,
                    JsonObject({{"hashing", std::string(kCredentialHashing)}}));
  }));
  if (bootstrap && bootstrap->created) {
    RETURN_IF_ERROR(p->InTx([&](Tx& tx) -> Status {
      return p->Audit(tx, nullptr, "platform.created", "platform", o.name,
                      JsonObject({{"root", p->identity().root.subject().ToString()},
                                  {"seal_maker", p->identity().maker.cert.subject().ToString()}}));
    }));
  }
  RETURN_IF_ERROR(p->InTx([&](Tx& tx) { return p->RefreshCrl(tx); }));
  RETURN_IF_ERROR(p->RotateTsaIfDue());
  return std::unique_ptr<Platform>(std::move(p));
}

PlatformImpl::PlatformImpl(const PlatformOptions& o, Identity id)
    : o_(o), store_(o.store), kek_(o.kek), clock_(o.clock), rng_(o.rng), id_(std::move(id)) {
  tsa_ = MakeTsaState(id_.tsa);
  tsa_history_ = id_.tsa_history;
}

Status PlatformImpl::RotateTsaIfDue() {
  // A year's margin: evidence renewal (180 days before a TSA certificate ends) must find a
  // TSA that outlives the one it replaces.
  constexpr std::chrono::days kRotateBefore{365};
  const Time now = Now();
  if (Tsa()->keyed.cert.not_after() - kRotateBefore > now) return Status::Ok();
  std::optional<KeyedCert> fresh;
  RETURN_IF_ERROR(InTx([&](Tx& tx) -> Status {
    // Another process may have rotated already: take its key rather than make a second.
    std::optional<KeyedCert> current;
    std::vector<x509::Certificate> history;
    RETURN_IF_ERROR(LoadTsa(tx, o_, &current, &history));
    if (current->cert.not_after() - kRotateBefore > now) {
      fresh = std::move(current);
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(fresh, MakeTsa(tx, o_, id_.issuing, now));
    return Audit(tx, nullptr, "tsa.rotated", "certificate", fresh->cert.SerialHex(),
                 JsonObject({{"subject", fresh->cert.subject().ToString()},
                             {"not_after", FormatRfc3339(fresh->cert.not_after())},
                             {"previous", current->cert.SerialHex()}}));
  }));
  std::shared_ptr<const TsaState> state = MakeTsaState(*fresh);
  std::lock_guard<std::mutex> lock(tsa_mu_);
  tsa_ = std::move(state);
  if (tsa_history_.empty() || !(tsa_history_.back() == fresh->cert)) tsa_history_.push_back(fresh->cert);
  return Status::Ok();
}

Status PlatformImpl::InTx(const std::function<Status(Tx&)>& body) {
  ASSIGN_OR_RETURN(std::unique_ptr<Tx> tx, store_->Begin());
  // The transaction's audit entries are held back and appended as its last statements
  // (audit.cc), so the global audit-head lock is held from there to COMMIT only.
  std::vector<AuditEntry> audit;
  {
    DeferAudit defer(&audit);
    RETURN_IF_ERROR(body(*tx));
  }
  RETURN_IF_ERROR(AppendAudit(*tx, audit));
  return tx->Commit();
}

Status PlatformImpl::InReadTx(const std::function<Status(Tx&)>& body) {
  ASSIGN_OR_RETURN(std::unique_ptr<Tx> tx, store_->BeginRead());
  return body(*tx);
}

Status PlatformImpl::RefreshCrl(Tx& tx) {
  // The crl_number row is the CRL's lock (DESIGN.md "Concurrency"): taken before the revoked
  // list is read, so a revocation committed by another process while this one waited is on
  // this CRL (READ COMMITTED reads afresh after the wait), and no two CRLs share a number.
  // Callers lock their seal and certificate rows before this and audit after it.
  ASSIGN_OR_RETURN(std::string number, tx.settings().GetForUpdate("crl_number", "0"));
  int64_t n = std::atoll(number.c_str()) + 1;
  ASSIGN_OR_RETURN(std::vector<IssuedCertificate> revoked, tx.certificates().ListRevoked());
  RETURN_IF_ERROR(tx.settings().Put("crl_number", std::to_string(n)));
  x509::CrlRequest req;
  req.this_update = Now();
  req.next_update = Now() + std::chrono::days(7);
  for (int64_t v = n; v > 0; v >>= 8) req.crl_number.insert(req.crl_number.begin(), static_cast<uint8_t>(v & 0xff));
  for (const IssuedCertificate& c : revoked) {
    if (!c.revoked_at) continue;
    ASSIGN_OR_RETURN(Bytes serial, HexDecode(c.serial_hex));
    x509::CrlEntryParams e;
    e.serial = std::move(serial);
    e.revocation_date = *c.revoked_at;
    if (c.revocation_reason != 0) e.reason = static_cast<x509::RevocationReason>(c.revocation_reason);
    req.revoked.push_back(std::move(e));
  }
  ASSIGN_OR_RETURN(x509::Crl crl, x509::MakeCrl(id_.issuing.cert, id_.issuing.key, req));
  RETURN_IF_ERROR(tx.settings().Put("issuing_crl", HexEncode(crl.der())));
  return tx.settings().Put("issuing_crl_at", std::to_string(ToUnix(req.this_update)));
}

Result<std::vector<Bytes>> PlatformImpl::Crls(Tx& tx) {
  std::vector<Bytes> out;
  for (const char* key : {"root_crl", "issuing_crl"}) {
    ASSIGN_OR_RETURN(std::optional<std::string> hex, tx.settings().Get(key));
    if (!hex) return InternalError(std::string("the platform has no ") + key);
    ASSIGN_OR_RETURN(Bytes der, HexDecode(*hex));
    out.push_back(std::move(der));
  }
  return out;
}

Result<Bytes> PlatformImpl::CurrentCrl() {
  std::vector<Bytes> crls;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(crls, Crls(tx));
    return Status::Ok();
  }));
  return crls[1];
}

Result<Bytes> PlatformImpl::RootCrl() {
  std::vector<Bytes> crls;
  RETURN_IF_ERROR(InReadTx([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(crls, Crls(tx));
    return Status::Ok();
  }));
  return crls[0];
}

Result<std::string> PlatformImpl::TrustBundlePem() {
  std::string pem = id_.root.ToPem() + id_.issuing.cert.ToPem() + id_.maker.cert.ToPem();
  std::vector<x509::Certificate> tsas = TsaCertificates();
  // The current TSA first, then older ones (their tokens are still in documents).
  for (auto it = tsas.rbegin(); it != tsas.rend(); ++it) pem += it->ToPem();
  return pem;
}

}  // namespace eseal::platform
