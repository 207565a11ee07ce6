// The keys of open signing sessions (签章会话, signing.h), held in this process only.
//
// A session's key is kept as its 32-byte SM2 scalar in a page of its own (mmap), locked in
// RAM with mlock so it is never written to swap, left out of core dumps (MADV_DONTDUMP),
// and wiped before the page is released. mlock can fail (RLIMIT_MEMLOCK, typically 8 MiB
// for an unprivileged process: about 2,000 sessions); the session then still opens, its
// SessionInfo says memory_locked false, and one warning is logged per process. Each
// signature builds a transient Sm2PrivateKey from the scalar for that signature only, as
// the password path does, so the long-lived copy is the locked one.
//
// Session ids are bearer handles bound to the caller that opened them: the map is keyed by
// SM3 of the id, the id itself is never kept, and nothing is written to the database but
// audit entries naming the session by its public reference (the first 16 hex digits of
// that hash). A restart loses every session: keys are never persisted.
//
// Counting: Reserve takes one signature from the count before the signature is made, under
// the registry's mutex, so parallel use never exceeds it; Refund gives it back when the
// signature was not made (a bad document, a refusal).
// Thread-safety: SessionKeys is safe to use from many threads at once.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "eseal/base/bytes.h"
#include "eseal/base/result.h"
#include "eseal/base/time.h"
#include "eseal/crypto/sm2.h"
#include "eseal/platform/caller.h"

namespace eseal::platform {

// A secret copied into a locked, non-dumpable page of its own; wiped and unmapped on
// destruction.
class LockedSecret {
 public:
  // Copies `secret` (at most one page). Fails only when no memory can be mapped.
  static Result<std::unique_ptr<LockedSecret>> Copy(ByteView secret);
  ~LockedSecret();
  LockedSecret(const LockedSecret&) = delete;
  LockedSecret& operator=(const LockedSecret&) = delete;

  ByteView view() const { return ByteView(static_cast<const uint8_t*>(page_), size_); }
  bool locked() const { return locked_; }

 private:
  LockedSecret(void* page, size_t page_size, size_t size, bool locked)
      : page_(page), page_size_(page_size), size_(size), locked_(locked) {}
  void* page_;
  size_t page_size_;
  size_t size_;
  bool locked_;
};

struct SessionEntry {
  std::string hash;  // SM3 hex of the id (the map key)
  std::string ref;   // hash's first 16 hex digits: the public reference
  std::string seal_id;
  std::string esid;
  std::string actor_id;       // Caller::ActorId() of the opener
  std::string credential_id;  // Caller::credential_id of the opener
  std::string copy_of;        // the vendor authorisation whose key copy opened it, or ""
  Time opened_at{};
  Time expires_at{};
  int max_signatures = 0;
  // Guarded by SessionKeys' mutex: signatures reserved (made or in flight), and made.
  int used = 0;
  int made = 0;
  std::unique_ptr<LockedSecret> scalar;
};

class SessionKeys {
 public:
  // SM3 hex of a session id.
  static std::string HashOf(std::string_view id);

  // Adds a session; ResourceExhausted when `limit` sessions are open already.
  Status Add(std::shared_ptr<SessionEntry> e, size_t limit);

  // One signature of session `id` for caller `c` with seal `seal_id` at `now`: the entry
  // and a key to sign with. NotFound for an unknown id, another caller's session or another
  // seal's (the same answer: a stolen id tells nothing); FailedPrecondition when the
  // session is past its time or its count.
  struct Reserved {
    std::shared_ptr<SessionEntry> entry;
    crypto::Sm2PrivateKey key;
  };
  Result<Reserved> Reserve(std::string_view id, const Caller& c, std::string_view seal_id, Time now);
  // Settles a signature Reserve took: made (true) or not (false, given back). Returns true
  // when that was the session's last signature: it is then removed (the caller audits it).
  bool Settle(SessionEntry& e, bool made);
  // Whether the entry is still registered (not closed meanwhile) and within its time.
  bool Live(const SessionEntry& e, Time now) const;

  // The caller's session for `seal` (id or esID; NotFound otherwise), by its id or its
  // public reference, left registered.
  Result<std::shared_ptr<SessionEntry>> Find(std::string_view id, const Caller& c, std::string_view seal_id) const;
  // Removes the entry (false when it was no longer registered); its key is wiped once no signature in flight still holds it.
  bool Remove(const SessionEntry& e);
  // Removes and returns every session past its time at `now`.
  std::vector<std::shared_ptr<SessionEntry>> TakeExpired(Time now);
  // Removes and returns every session of the seal.
  std::vector<std::shared_ptr<SessionEntry>> TakeForSeal(std::string_view seal_id);
  size_t size() const;
  // The entry's counts, read under the mutex.
  int Used(const SessionEntry& e) const;
  int Made(const SessionEntry& e) const;

 private:
  bool Owns(const SessionEntry& e, const Caller& c, std::string_view seal_id) const;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<SessionEntry>, std::less<>> by_hash_;
};

}  // namespace eseal::platform
