// How a platform is opened (Platform::Open): the store, the KEK, the clock and the policy
// settings an operator chooses at `eseal serve`.
// Thread-safety: implementations are safe to use from many threads at once.
#pragma once

#include <cstdint>
#include <string>

#include "eseal/base/clock.h"
#include "eseal/base/clock_sync.h"
#include "eseal/base/rng.h"
#include "eseal/crypto/kek.h"
#include "eseal/platform/repository.h"
#include "eseal/sign/timestamper.h"

namespace eseal::platform {

struct PlatformOptions {
  Store* store = nullptr;           // required
  const crypto::Kek* kek = nullptr; // required: protects every key at rest
  const Clock* clock = nullptr;     // default: SystemClock()
  Rng* rng = nullptr;               // default: crypto::SystemRng()
  std::string name = "eseal";       // CA and maker names
  std::string public_base_url;      // for CRL distribution points, e.g. https://seal.example
  int password_attempt_limit = 5;   // wrong passwords in a row before a seal locks
  uint32_t pbkdf2_iterations = 200000;
  int renewal_window_days = 30;     // S4
  int seal_validity_days = 365;     // S4: one year, equal to the certificate
  // Trusted time (docs/trusted-time.md). Every signature the platform makes carries a
  // timestamp token; without one nothing is signed. Empty: the platform's own TSA,
  // in-process. Set: this one instead (a licensed TSA, sign::HttpTimestamper); its root
  // must then be registered as an anchor with the tsa role for the platform to verify it.
  sign::Timestamper timestamper;
  // Whether the host clock is synchronised (default: KernelClockSync). The platform's TSA
  // issues no token while it is not, unless accept_unsynchronised_clock (demos, tests).
  ClockSyncProbe clock_sync;
  bool accept_unsynchronised_clock = false;
  // The audit trail outside the database (docs/storage.md "Audit"): every checkpoint is
  // also appended to this file (empty: none) and, with audit_syslog, sent to syslog.
  // VerifyAudit reads the file back: a checkpoint it holds must be in the database as it
  // was written, and the log may not end before it.
  std::string audit_export_path;
  bool audit_syslog = false;
  // Seconds between checkpoints (eseal serve --checkpoint-interval). When set, VerifyAudit
  // fails if entries older than twice this stand uncovered by any checkpoint (checkpoints
  // stopped, or were removed). 0: not checked.
  int checkpoint_interval_seconds = 0;
  // Credentials (docs/security.md): browser sessions end after this long unused, and at
  // the latest this long after sign-in; sign-in locks after this many failures in a row,
  // for this long; API tokens made with an account or a client's approval last this long.
  int session_idle_seconds = 15 * 60;
  int session_max_seconds = 8 * 3600;
  int sign_in_attempt_limit = 5;
  int sign_in_lock_seconds = 15 * 60;
  int token_validity_days = 365;
  // Signing sessions (签章会话, signing.h): how long one lasts and how many signatures it
  // makes when the caller does not say, and the most a caller may ask for.
  int signing_session_seconds = 15 * 60;
  int signing_session_max_seconds = 8 * 3600;
  int signing_session_signatures = 1000;
  int signing_session_max_signatures = 100000;
  // Sessions open at once in this process (each holds a key in locked memory).
  int signing_session_limit = 1000;
};

// What the first start made (DESIGN: "operator credential written to a 0600 file").
struct Bootstrap {
  bool created = false;
  std::string operator_token;  // only when created; shown once
  std::string operator_login;           // only when created
  std::string operator_enrolment_code;  // only when created; shown once (valid 30 days)
};

}  // namespace eseal::platform
