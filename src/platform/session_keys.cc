// The in-memory registry of signing-session keys (session_keys.h).
#include "session_keys.h"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

#include "eseal/base/log.h"
#include "eseal/crypto/sm3.h"

namespace eseal::platform {
namespace {

std::atomic<bool> warned_unlocked{false};

std::string_view AsView(const std::string& s) { return s; }

}  // namespace

Result<std::unique_ptr<LockedSecret>> LockedSecret::Copy(ByteView secret) {
  long ps = sysconf(_SC_PAGESIZE);
  size_t page_size = ps > 0 ? static_cast<size_t>(ps) : 4096;
  if (secret.size() > page_size) return InvalidArgumentError("a locked secret holds at most one page");
  void* page = mmap(nullptr, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return ResourceExhaustedError("no memory for a session key");
  // Never in a core dump, never copied into a child by fork.
  (void)madvise(page, page_size, MADV_DONTDUMP);
  (void)madvise(page, page_size, MADV_DONTFORK);
  bool locked = mlock(page, page_size) == 0;
  if (!locked && !warned_unlocked.exchange(true)) {
    log::Warn("signing_session.mlock_failed",
              {{"detail", "session keys are kept in memory that could be swapped out: raise RLIMIT_MEMLOCK "
                          "(LimitMEMLOCK= in systemd) to keep them locked"}});
  }
  if (!secret.empty()) std::memcpy(page, secret.data(), secret.size());
  return std::unique_ptr<LockedSecret>(new LockedSecret(page, page_size, secret.size(), locked));
}

LockedSecret::~LockedSecret() {
  SecureZero(page_, page_size_);
  if (locked_) munlock(page_, page_size_);
  munmap(page_, page_size_);
}

std::string SessionKeys::HashOf(std::string_view id) {
  return HexEncode(crypto::Sm3Bytes(ByteView(reinterpret_cast<const uint8_t*>(id.data()), id.size())));
}

Status SessionKeys::Add(std::shared_ptr<SessionEntry> e, size_t limit) {
  std::lock_guard<std::mutex> l(mu_);
  if (by_hash_.size() >= limit) {
    return ResourceExhaustedError("本服务器同时打开的签章会话已达上限，请先结束不用的会话 / too many signing sessions are "
                                  "open on this server; close the ones no longer needed");
  }
  std::string key = e->hash;
  by_hash_.emplace(std::move(key), std::move(e));
  return Status::Ok();
}

bool SessionKeys::Owns(const SessionEntry& e, const Caller& c, std::string_view seal_id) const {
  // The session belongs to the credential that opened it: the same account or client
  // through the same token or browser session, and to one seal.
  return e.actor_id == c.ActorId() && e.credential_id == c.credential_id &&
         (e.seal_id == seal_id || e.esid == seal_id);
}

Result<std::shared_ptr<SessionEntry>> SessionKeys::Find(std::string_view id, const Caller& c,
                                                        std::string_view seal_id) const {
  std::lock_guard<std::mutex> l(mu_);
  if (id.size() == 16 && id.substr(0, 4) != "sgs_") {
    // A public reference: names one of the caller's own sessions, never signs.
    for (const auto& [hash, e] : by_hash_) {
      if (e->ref == id && Owns(*e, c, seal_id)) return e;
    }
  } else {
    auto it = by_hash_.find(HashOf(id));
    if (it != by_hash_.end() && Owns(*it->second, c, seal_id)) return it->second;
  }
  return NotFoundError("没有这个签章会话，或它已结束 / no such signing session, or it has ended");
}

Result<SessionKeys::Reserved> SessionKeys::Reserve(std::string_view id, const Caller& c, std::string_view seal_id,
                                                   Time now) {
  std::shared_ptr<SessionEntry> e;
  {
    // Only the session's id signs; its public reference does not.
    if (id.substr(0, 4) != "sgs_") {
      return NotFoundError("没有这个签章会话，或它已结束 / no such signing session, or it has ended");
    }
    ASSIGN_OR_RETURN(e, Find(id, c, seal_id));
    std::lock_guard<std::mutex> l(mu_);
    if (now >= e->expires_at) {
      return FailedPreconditionError("签章会话已到期，请重新用保护口令打开 / the signing session has expired; open a new "
                                     "one with the protection password");
    }
    if (e->used >= e->max_signatures) {
      return FailedPreconditionError("签章会话的签章次数已用完，请重新用保护口令打开 / the signing session has made all "
                                     "the signatures it allows; open a new one with the protection password");
    }
    ++e->used;
  }
  auto key = crypto::Sm2PrivateKey::FromScalar(e->scalar->view());
  if (!key.ok()) {
    Settle(*e, false);
    return InternalError("the session's key could not be used");
  }
  return Reserved{std::move(e), *std::move(key)};
}

bool SessionKeys::Settle(SessionEntry& e, bool made) {
  std::lock_guard<std::mutex> l(mu_);
  if (!made) {
    if (e.used > 0) --e.used;
    return false;
  }
  ++e.made;
  if (e.made < e.max_signatures) return false;
  auto it = by_hash_.find(AsView(e.hash));
  if (it == by_hash_.end() || it->second.get() != &e) return false;  // closed meanwhile: audited there
  by_hash_.erase(it);
  return true;
}

bool SessionKeys::Live(const SessionEntry& e, Time now) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_hash_.find(AsView(e.hash));
  return it != by_hash_.end() && it->second.get() == &e && now < e.expires_at;
}

bool SessionKeys::Remove(const SessionEntry& e) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_hash_.find(AsView(e.hash));
  if (it == by_hash_.end() || it->second.get() != &e) return false;
  by_hash_.erase(it);
  return true;
}

std::vector<std::shared_ptr<SessionEntry>> SessionKeys::TakeExpired(Time now) {
  std::vector<std::shared_ptr<SessionEntry>> out;
  std::lock_guard<std::mutex> l(mu_);
  for (auto it = by_hash_.begin(); it != by_hash_.end();) {
    if (now >= it->second->expires_at) {
      out.push_back(std::move(it->second));
      it = by_hash_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::vector<std::shared_ptr<SessionEntry>> SessionKeys::TakeForSeal(std::string_view seal_id) {
  std::vector<std::shared_ptr<SessionEntry>> out;
  std::lock_guard<std::mutex> l(mu_);
  for (auto it = by_hash_.begin(); it != by_hash_.end();) {
    if (it->second->seal_id == seal_id) {
      out.push_back(std::move(it->second));
      it = by_hash_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

size_t SessionKeys::size() const {
  std::lock_guard<std::mutex> l(mu_);
  return by_hash_.size();
}

int SessionKeys::Used(const SessionEntry& e) const {
  std::lock_guard<std::mutex> l(mu_);
  return e.used;
}

int SessionKeys::Made(const SessionEntry& e) const {
  std::lock_guard<std::mutex> l(mu_);
  return e.made;
}

}  // namespace eseal::platform
