// Protection-password attempts (保护口令尝试), counted under the seal's row lock (DESIGN.md
// "Concurrency", "Key custody"). An attempt is reserved — counted as a failure and
// committed — before the key is derived, so parallel guesses from any number of processes
// evaluate at most `password_attempt_limit` derivations between two right answers; the
// derivation itself runs outside any transaction (PBKDF2 is slow), and a right answer
// clears the count afterwards. A wrong password and a locked seal get the one answer
// (WrongPasswordOrLocked), so a guess tried after the lock tripped tells the guesser
// nothing; the audit log says which it was.
//
// Counting rule: failed_attempts is wrong answers since the last right one plus attempts
// in flight. No attempt starts once it reaches the limit; the seal locks when a wrong
// answer settles at the limit. Sequential attempts lock exactly on the limit-th wrong one;
// with attempts in flight the rule errs towards locking, never towards one more guess.
// Thread-safety: free functions over a PlatformImpl; each runs its own transactions.
#pragma once

#include <string_view>

#include "eseal/crypto/sm2.h"
#include "internal.h"

namespace eseal::platform {

// The answer to a wrong password and to a locked seal alike (Unauthenticated).
Status WrongPasswordOrLocked(const PlatformOptions& o);

// Locks the seal, and either reserves one attempt (commits the raised count and returns the
// seal as read under the lock: its protected key is the one to try) or refuses with
// WrongPasswordOrLocked (audited seal.password_refused, committed). `during` names the use
// case in the audit entry ("signing", "password change").
Result<Seal> ReserveAttempt(PlatformImpl& p, const Caller& c, std::string_view seal_id, std::string_view during);

// Derives the seal's private key from `password` for an attempt ReserveAttempt reserved,
// then settles the attempt under the seal's lock: a wrong password is audited
// (seal.password_wrong, and seal.locked when it trips the limit) and answered with
// WrongPasswordOrLocked; a right one clears the count, unless the seal locked meanwhile
// (then the same answer, audited as a refusal).
Result<crypto::Sm2PrivateKey> UnlockReserved(PlatformImpl& p, const Caller& c, const Seal& reserved,
                                             const SecretBytes& password, std::string_view during);

}  // namespace eseal::platform
