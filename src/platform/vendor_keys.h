// Vendor authorisation key copies (docs/security.md "Bindings and vendor authorisations").
//
// A vendor client's credential is a bearer token the server sees on every request but
// stores only hashed. From it:
//   unlock secret  u = HMAC-SM3("eseal/client-unlock/v1", token)       (per request, never stored)
//   unlock key     d = first HMAC-SM3(u, "eseal/unlock-key/v1" || i) in [1, n-2]; only
//                  the public key dG is stored (client_unlock_keys), made when the token is issued.
// When a holder admin authorises the vendor with a seal's protection password, the seal's
// key is unwrapped once and kept for that authorisation only:
//   r              32 random bytes; encrypted_secret = SM2Encrypt(dG, r)
//   k              HMAC-SM3(KEK.Derive("eseal/vendor-copy/v1" || authorisation || seal), r)
//   wrapped_key    SM4-GCM(k[0..16], nonce, aad = authorisation || seal || client, PKCS#8)
// so the copy opens only with the KEK (HSM) and the vendor's token together: the database
// alone, the KEK alone, or another client's token open nothing. Withdrawal and expiry
// delete the row.
// Thread-safety: free functions over a PlatformImpl.
#pragma once

#include <optional>
#include <string_view>

#include "eseal/crypto/sm2.h"
#include "eseal/platform/binding_records.h"
#include "eseal/ses/seal.h"
#include "internal.h"

namespace eseal::platform {

SecretBytes ClientUnlockSecret(std::string_view token);
// The client's unlock key from its unlock secret.
Result<crypto::Sm2PrivateKey> ClientUnlockKeyFrom(const SecretBytes& unlock);
// Records the unlock key of a token just issued to a vendor or agency client (the public
// half only), replacing an older one: key copies made for the older token no longer open.
Status PutClientUnlockKey(PlatformImpl& p, Tx& tx, std::string_view client_id, std::string_view token);
// A copy of `key` for one authorisation, to the client's recorded unlock key.
Result<AuthorisationKey> MakeKeyCopy(PlatformImpl& p, Tx& tx, const VendorAuthorisation& a, const Seal& seal,
                                     const crypto::Sm2PrivateKey& key);
// The key copy a client signs with when it gives no password: one kept by a live
// authorisation of the caller's for `seal` (nullopt when there is none).
Result<std::optional<AuthorisationKey>> FindKeyCopy(Tx& tx, const Caller& c, const Seal& seal, Time now);
// Opens the copy with the caller's unlock secret. Unauthenticated when the caller's token is
// not the one the copy was made for.
Result<crypto::Sm2PrivateKey> OpenKeyCopy(PlatformImpl& p, const Caller& c, const AuthorisationKey& k);

// Filing (bindings.cc): a vendor files only seals from a maker the operator registered it
// for (PermissionDenied otherwise); the operator from any registered maker.
Status CheckVendorMayFile(Tx& tx, const Caller& c, std::string_view anchor_id);
// The kind asked for must be the seal's own: its esType, and its name the registry's
// (the holder's name; a legal representative's seal, the representative's).
Status CheckFiledKind(const ses::Seal& seal, std::string_view kind, const Holder& h);

}  // namespace eseal::platform
