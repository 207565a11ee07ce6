// Status: the one error type of eseal. Errors are values (DESIGN.md "Habits"): our code
// does not throw; a function that can fail returns Status or Result<T>.
// Thread-safety: Status is a value type; distinct objects may be used from any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace eseal {

// The canonical code set. Keep it small: callers branch on codes, people read messages.
enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument,     // the caller's input is malformed or out of range
  kNotFound,            // the named thing does not exist
  kAlreadyExists,       // creating something that is already there
  kFailedPrecondition,  // the system is not in a state that allows the operation
  kPermissionDenied,    // authenticated, but not allowed
  kUnauthenticated,     // no or wrong credentials (includes a wrong protection password)
  kResourceExhausted,   // a size, count or rate limit was hit
  kDataLoss,            // stored or received data is corrupt
  kUnavailable,         // a dependency is down; retrying may help
  kInternal,            // a bug or an unexpected library failure
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message);

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "InvalidArgument: message", or "OK".
  std::string ToString() const;

  // The same code with "context: " in front of the message.
  Status WithContext(std::string_view context) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status AlreadyExistsError(std::string message);
Status FailedPreconditionError(std::string message);
Status PermissionDeniedError(std::string message);
Status UnauthenticatedError(std::string message);
Status ResourceExhaustedError(std::string message);
Status DataLossError(std::string message);
Status UnavailableError(std::string message);
Status InternalError(std::string message);

// The one table from codes to the outside world (DESIGN.md: "One table maps codes to
// HTTP status and to CLI exit codes").
int HttpStatusFor(StatusCode code);
// CLI exit codes: 0 success, 2 bad usage or unreadable input, 4 refused (permission,
// precondition, authentication), 5 internal or unavailable. 1 and 3 are reserved for
// verification verdicts (FAILED, INDETERMINATE), which are reports, not errors.
int ExitCodeFor(StatusCode code);
// Stable snake_case name used in JSON error bodies, e.g. "invalid_argument".
std::string_view StatusCodeSlug(StatusCode code);

}  // namespace eseal
