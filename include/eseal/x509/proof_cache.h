// ProofCache: what SM2 verification has already proved, kept so that verifying many
// documents of one seal does not prove it again (issue 13 item 3, docs/verification.md
// "Reusing what was proved").
//
// What it keeps is only what is true whatever the policy, the time or the caller:
//  - "this SM2 signature over these bytes verifies under this public key" (the signature
//    on a certificate under its issuer's key, the signature on a CRL, any other signature
//    a caller asks about), keyed by the exact bytes of the key (SubjectPublicKeyInfo), the
//    signed message and the signature value. Only signatures that verified are kept: a
//    hit answers true exactly when a fresh verification of the same bytes would.
//    The seal maker's signature on a seal is such a proof too: a seal seen once is not
//    verified again, only judged again (its period, its certificate's chain and status).
//  - parsed public keys (SubjectPublicKeyInfo DER -> crypto::Sm2PublicKey), valid ones only.
// Nothing that depends on the validation policy is kept: which path is chosen, whether it
// reaches an anchor, validity periods at the validation time, revocation, key usage and
// roles are decided afresh on every validation from the proofs (x509::ValidateChain). So
// a new anchor set, a new CRL or another time can never be answered from a stale entry,
// and a report is the same with and without the cache, check for check.
//
// Keys are compared byte for byte (the hash only picks a bucket): a certificate that
// merely shares a subject name or key identifier with a cached one never matches it.
//
// Bounded: least recently used entries are dropped beyond `max_entries` or `max_bytes`;
// a single item larger than `max_entry_bytes` is verified but never kept.
// Thread-safety: all members may be called from several threads at once (one mutex; the
// SM2 work of a miss runs outside it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/crypto/sm2.h"

namespace eseal::x509 {

class ProofCache {
 public:
  struct Limits {
    size_t max_entries = 16384;
    size_t max_bytes = size_t{64} << 20;       // key bytes plus a fixed overhead per entry
    size_t max_entry_bytes = size_t{1} << 20;  // larger items are not kept
  };
  struct Stats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t insertions = 0;
    uint64_t evictions = 0;
    size_t entries = 0;
    size_t bytes = 0;
  };

  ProofCache() : ProofCache(Limits{}) {}
  explicit ProofCache(Limits limits);
  ProofCache(const ProofCache&) = delete;
  ProofCache& operator=(const ProofCache&) = delete;

  // The process-wide cache that the validation policy uses by default
  // (verify::ValidationPolicy::proof_cache), shared by the platform, the CLI and archive
  // re-verification in one process.
  static const std::shared_ptr<ProofCache>& Process();

  // Whether the DER SM2 `signature` over `message` verifies under the key `spki` with the
  // default SM2 ID: answered from the cache when exactly these bytes were proved before,
  // otherwise verified (one crypto::Sm2PublicKey::Verify) and kept if it verified.
  bool VerifySm2(ByteView spki, ByteView message, ByteView signature);

  // crypto::VerifySm2DerOrRaw through the cache: `value` DER, or raw 64-byte r||s (a
  // vendor tolerance; *raw says so, as it said when the proof was made).
  bool VerifySm2DerOrRaw(ByteView spki, ByteView message, ByteView value, bool* raw);

  // crypto::Sm2PublicKey::FromSpkiDer, kept when it succeeds.
  Result<crypto::Sm2PublicKey> PublicKey(ByteView spki);

  Stats stats() const;
  const Limits& limits() const { return limits_; }
  void Clear();

 private:
  enum class Kind : unsigned char { kSignature, kSignatureDerOrRaw, kPublicKey };
  // A view of a key: its parts are compared byte for byte.
  struct KeyView {
    Kind kind;
    std::string_view a, b, c;
    bool operator==(const KeyView& o) const {
      return kind == o.kind && a == o.a && b == o.b && c == o.c;
    }
  };
  struct Entry {
    Kind kind;
    std::string a, b, c;  // the key's parts, owned (the index holds views of them)
    std::optional<crypto::Sm2PublicKey> public_key;
    bool raw = false;  // kSignatureDerOrRaw: the value verified as raw r||s
    size_t bytes = 0;
    KeyView view() const { return KeyView{kind, a, b, c}; }
  };
  struct KeyHash {
    size_t operator()(const KeyView& k) const;
  };
  using Lru = std::list<Entry>;

  // Under mu_: the entry for `key`, moved to the front, or nullptr.
  Entry* FindLocked(const KeyView& key);
  // Under mu_: keeps a copy of `key` (and `public_key` for kPublicKey), then evicts.
  void InsertLocked(const KeyView& key, std::optional<crypto::Sm2PublicKey> public_key,
                    bool raw = false);

  Limits limits_;
  mutable std::mutex mu_;
  Lru lru_;                                                    // most recently used first
  std::unordered_map<KeyView, Lru::iterator, KeyHash> index_;  // views into lru_'s entries
  Stats stats_;
};

}  // namespace eseal::x509
