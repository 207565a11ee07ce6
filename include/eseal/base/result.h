// Result<T>: a value or the Status that explains why there is none (abseil's StatusOr).
// Thread-safety: a value type; distinct objects may be used from any thread.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "eseal/base/status.h"

namespace eseal {

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Status>, "use Status, not Result<Status>");

 public:
  // NOLINTNEXTLINE(google-explicit-constructor): implicit so `return value;` works.
  Result(T value) : v_(std::in_place_index<1>, std::move(value)) {}
  template <typename U,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, Status> &&
                                        !std::is_same_v<std::decay_t<U>, Result<T>>>>
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(U&& value) : v_(std::in_place_index<1>, T(std::forward<U>(value))) {}
  // NOLINTNEXTLINE(google-explicit-constructor): implicit so `return SomeError(...);` works.
  Result(Status status) : v_(std::in_place_index<0>, std::move(status)) {
    if (std::get<0>(v_).ok()) {
      v_.template emplace<0>(StatusCode::kInternal, "Result constructed from an OK status");
    }
  }

  bool ok() const { return v_.index() == 1; }

  // OK when a value is held.
  Status status() const { return ok() ? Status() : std::get<0>(v_); }

  T& value() & {
    assert(ok());
    return std::get<1>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<1>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<1>(std::move(v_));
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The value, or `fallback` on error.
  T value_or(T fallback) const& { return ok() ? std::get<1>(v_) : std::move(fallback); }

 private:
  std::variant<Status, T> v_;
};

namespace internal {
inline Status AsStatus(const Status& s) { return s; }
inline Status AsStatus(Status&& s) { return std::move(s); }
template <typename T>
Status AsStatus(const Result<T>& r) {
  return r.status();
}
}  // namespace internal

}  // namespace eseal

#define ESEAL_CONCAT_INNER(a, b) a##b
#define ESEAL_CONCAT(a, b) ESEAL_CONCAT_INNER(a, b)

// Returns from the enclosing function if `expr` (a Status or Result) is not OK. Each use
// gets its own variable name, so uses nested inside lambdas in `expr` don't shadow.
#define RETURN_IF_ERROR(expr) ESEAL_RETURN_IF_ERROR_IMPL(ESEAL_CONCAT(eseal_status_, __COUNTER__), expr)
#define ESEAL_RETURN_IF_ERROR_IMPL(var, expr)                      \
  do {                                                             \
    ::eseal::Status var = ::eseal::internal::AsStatus((expr));     \
    if (!var.ok()) return var;                                     \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, F());` or `ASSIGN_OR_RETURN(x, F());`
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  ESEAL_ASSIGN_OR_RETURN_IMPL(ESEAL_CONCAT(eseal_result_, __COUNTER__), lhs, rexpr)
#define ESEAL_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
