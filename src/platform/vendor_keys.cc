// Vendor authorisation key copies (vendor_keys.h).
#include "vendor_keys.h"

#include "eseal/crypto/sm2_encrypt.h"
#include "eseal/crypto/sm3.h"
#include "eseal/crypto/sm4.h"
#include "eseal/platform/binding_records.h"

namespace eseal::platform {
namespace {

constexpr size_t kNonce = 12;

// Binds a copy to its authorisation, seal and client: a row moved to another owner fails.
Bytes CopyContext(std::string_view authorisation, std::string_view seal, std::string_view client) {
  std::string s = std::string(authorisation) + '\0' + std::string(seal) + '\0' + std::string(client);
  return Bytes(s.begin(), s.end());
}

Result<SecretBytes> CopyKey(const crypto::Kek& kek, const AuthorisationKey& k, ByteView r) {
  std::string ctx = "eseal/vendor-copy/v1" + std::string(1, '\0') + k.authorisation_id + '\0' + k.seal_id;
  ASSIGN_OR_RETURN(SecretBytes prf, kek.Derive(AsBytes(ctx)));
  crypto::Sm3Digest d = crypto::HmacSm3(prf.view(), r);
  return SecretBytes(ByteView(d.data(), 16));
}

}  // namespace

SecretBytes ClientUnlockSecret(std::string_view token) {
  crypto::Sm3Digest d = crypto::HmacSm3(AsBytes(std::string_view("eseal/client-unlock/v1")), AsBytes(token));
  return SecretBytes(ByteView(d.data(), d.size()));
}

Result<crypto::Sm2PrivateKey> ClientUnlockKeyFrom(const SecretBytes& unlock) {
  // Out of range happens with probability about 2^-32 per try.
  for (uint8_t i = 0; i < 16; ++i) {
    Bytes msg = Bytes{'e', 's', 'e', 'a', 'l', '/', 'u', 'n', 'l', 'o', 'c', 'k', '-', 'k', 'e', 'y', '/', 'v', '1', i};
    crypto::Sm3Digest d = crypto::HmacSm3(unlock.view(), msg);
    auto key = crypto::Sm2PrivateKey::FromScalar(ByteView(d.data(), d.size()));
    if (key.ok()) return key;
  }
  return InternalError("no SM2 unlock key could be derived from this credential");
}

Status PutClientUnlockKey(PlatformImpl& p, Tx& tx, std::string_view client_id, std::string_view token) {
  ASSIGN_OR_RETURN(crypto::Sm2PrivateKey key, ClientUnlockKeyFrom(ClientUnlockSecret(token)));
  return tx.bindings().PutUnlockKey(ClientUnlockKey{std::string(client_id), key.PublicKey().ToSpkiDer(), p.Now()});
}

Result<AuthorisationKey> MakeKeyCopy(PlatformImpl& p, Tx& tx, const VendorAuthorisation& a, const Seal& seal,
                                     const crypto::Sm2PrivateKey& key) {
  auto unlock = tx.bindings().GetUnlockKey(a.client_id);
  if (!unlock.ok() && unlock.status().code() == StatusCode::kNotFound) {
    return FailedPreconditionError("该接入系统没有可解锁授权密钥的凭据，请由平台运营方重新签发其令牌 / the client has no "
                                   "unlock key for authorisation copies; the operator must issue its credential again");
  }
  if (!unlock.ok()) return unlock.status();
  ASSIGN_OR_RETURN(crypto::Sm2PublicKey pub, crypto::Sm2PublicKey::FromSpkiDer(unlock->public_key));
  const crypto::Kek* kek = p.options().kek;
  if (kek == nullptr) return FailedPreconditionError("the platform has no key-encryption key");
  AuthorisationKey k;
  k.authorisation_id = a.id;
  k.seal_id = seal.id;
  k.client_id = a.client_id;
  k.kek_id = kek->Id();
  k.valid_until = a.valid_until;
  k.created_at = p.Now();
  ASSIGN_OR_RETURN(Bytes r_raw, RandomBytes(p.rng(), 32));
  SecretBytes r(r_raw);
  std::fill(r_raw.begin(), r_raw.end(), 0);
  ASSIGN_OR_RETURN(k.encrypted_secret, crypto::Sm2Encrypt(pub, r.view()));
  ASSIGN_OR_RETURN(SecretBytes ck, CopyKey(*kek, k, r.view()));
  ASSIGN_OR_RETURN(Bytes nonce, RandomBytes(p.rng(), kNonce));
  SecretBytes pkcs8 = key.ToPkcs8Der();
  ASSIGN_OR_RETURN(Bytes sealed, crypto::Sm4GcmSeal(ck.view(), nonce, CopyContext(a.id, seal.id, a.client_id),
                                                    pkcs8.view()));
  k.wrapped_key = std::move(nonce);
  k.wrapped_key.insert(k.wrapped_key.end(), sealed.begin(), sealed.end());
  return k;
}

Result<std::optional<AuthorisationKey>> FindKeyCopy(Tx& tx, const Caller& c, const Seal& seal, Time now) {
  ASSIGN_OR_RETURN(std::vector<VendorAuthorisation> auths, tx.authorisations().List(c.client_id, seal.holder_id));
  for (const VendorAuthorisation& a : auths) {
    if (a.withdrawn_at || now > a.valid_until) continue;
    auto k = tx.bindings().GetKeyCopy(a.id, seal.id);
    if (k.ok()) return std::optional<AuthorisationKey>(*std::move(k));
    if (k.status().code() != StatusCode::kNotFound) return k.status();
  }
  return std::optional<AuthorisationKey>();
}

Result<crypto::Sm2PrivateKey> OpenKeyCopy(PlatformImpl& p, const Caller& c, const AuthorisationKey& k) {
  const Status wrong = UnauthenticatedError(
      "此凭据不能解锁该授权的印章密钥（令牌已更换？请企业管理员重新授权） / this credential cannot unlock the "
      "authorisation's seal key (was the token replaced? the holder's administrator must authorise again)");
  if (!c.unlock || c.client_id != k.client_id) return wrong;
  const crypto::Kek* kek = p.options().kek;
  if (kek == nullptr || kek->Id() != k.kek_id) {
    return FailedPreconditionError("the authorisation's key copy is protected by a key-encryption key this server does not hold");
  }
  ASSIGN_OR_RETURN(crypto::Sm2PrivateKey unlock, ClientUnlockKeyFrom(*c.unlock));
  auto r = crypto::Sm2Decrypt(unlock, k.encrypted_secret);
  if (!r.ok()) return wrong;
  ASSIGN_OR_RETURN(SecretBytes ck, CopyKey(*kek, k, r->view()));
  if (k.wrapped_key.size() <= kNonce) return DataLossError("the authorisation's key copy is truncated");
  ByteView all(k.wrapped_key);
  auto pkcs8 = crypto::Sm4GcmOpen(ck.view(), all.subspan(0, kNonce), CopyContext(k.authorisation_id, k.seal_id, k.client_id),
                                  all.subspan(kNonce));
  if (!pkcs8.ok()) return wrong;
  SecretBytes der(*pkcs8);
  std::fill(pkcs8->begin(), pkcs8->end(), 0);
  return crypto::Sm2PrivateKey::FromPkcs8Der(der.view());
}

}  // namespace eseal::platform
