// ProofCache (proof_cache.h): a least-recently-used map from the exact bytes of what was
// proved to the proof.
#include "eseal/x509/proof_cache.h"

#include <functional>
#include <utility>

namespace eseal::x509 {
namespace {

// What an entry costs besides its key bytes: the list node, the index slot, the strings'
// headers. An estimate; the bound is on the total, so it only needs to be of the right
// size.
constexpr size_t kEntryOverhead = 160;
// A parsed key holds the curve point and whatever the SM2 backend precomputes for it.
constexpr size_t kPublicKeyBytes = 1024;

std::string_view Chars(ByteView b) { return AsChars(b); }

}  // namespace

size_t ProofCache::KeyHash::operator()(const KeyView& k) const {
  std::hash<std::string_view> h;
  size_t x = static_cast<size_t>(k.kind);
  for (std::string_view part : {k.a, k.b, k.c}) {
    // Lengths go in too, so ("ab", "c") and ("a", "bc") land apart (equality compares the
    // parts separately anyway).
    x = x * 1000003u ^ h(part) ^ (part.size() << 1);
  }
  return x;
}

ProofCache::ProofCache(Limits limits) : limits_(limits) {}

const std::shared_ptr<ProofCache>& ProofCache::Process() {
  static const std::shared_ptr<ProofCache> cache = std::make_shared<ProofCache>();
  return cache;
}

ProofCache::Entry* ProofCache::FindLocked(const KeyView& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return &*it->second;
}

void ProofCache::InsertLocked(const KeyView& key, std::optional<crypto::Sm2PublicKey> public_key,
                              bool raw) {
  const size_t bytes = key.a.size() + key.b.size() + key.c.size() + kEntryOverhead +
                       (public_key ? kPublicKeyBytes : 0);
  if (bytes > limits_.max_entry_bytes || bytes > limits_.max_bytes || limits_.max_entries == 0) {
    return;
  }
  if (FindLocked(key) != nullptr) return;  // another thread proved it meanwhile
  lru_.push_front(Entry{key.kind, std::string(key.a), std::string(key.b), std::string(key.c),
                        std::move(public_key), raw, bytes});
  index_.emplace(lru_.front().view(), lru_.begin());
  stats_.insertions++;
  stats_.entries++;
  stats_.bytes += bytes;
  while (stats_.entries > limits_.max_entries || stats_.bytes > limits_.max_bytes) {
    const Entry& last = lru_.back();
    index_.erase(last.view());
    stats_.entries--;
    stats_.bytes -= last.bytes;
    stats_.evictions++;
    lru_.pop_back();
  }
}

bool ProofCache::VerifySm2(ByteView spki, ByteView message, ByteView signature) {
  const KeyView key{Kind::kSignature, Chars(spki), Chars(message), Chars(signature)};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (FindLocked(key) != nullptr) {
      stats_.hits++;
      return true;
    }
    stats_.misses++;
  }
  Result<crypto::Sm2PublicKey> pub = PublicKey(spki);
  if (!pub.ok() || !pub->Verify(message, signature)) return false;  // failures are not kept
  std::lock_guard<std::mutex> lock(mu_);
  InsertLocked(key, std::nullopt);
  return true;
}

bool ProofCache::VerifySm2DerOrRaw(ByteView spki, ByteView message, ByteView value, bool* raw) {
  *raw = false;
  const KeyView key{Kind::kSignatureDerOrRaw, Chars(spki), Chars(message), Chars(value)};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (Entry* e = FindLocked(key)) {
      stats_.hits++;
      *raw = e->raw;
      return true;
    }
    stats_.misses++;
  }
  Result<crypto::Sm2PublicKey> pub = PublicKey(spki);
  if (!pub.ok() || !crypto::VerifySm2DerOrRaw(*pub, message, value, raw)) return false;
  std::lock_guard<std::mutex> lock(mu_);
  InsertLocked(key, std::nullopt, *raw);
  return true;
}

Result<crypto::Sm2PublicKey> ProofCache::PublicKey(ByteView spki) {
  const KeyView key{Kind::kPublicKey, Chars(spki), {}, {}};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (Entry* e = FindLocked(key)) {
      stats_.hits++;
      return *e->public_key;
    }
    stats_.misses++;
  }
  Result<crypto::Sm2PublicKey> pub = crypto::Sm2PublicKey::FromSpkiDer(spki);
  if (!pub.ok()) return pub;
  std::lock_guard<std::mutex> lock(mu_);
  InsertLocked(key, *pub);
  return pub;
}

ProofCache::Stats ProofCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void ProofCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  index_.clear();
  lru_.clear();
  stats_.entries = 0;
  stats_.bytes = 0;
}

}  // namespace eseal::x509
