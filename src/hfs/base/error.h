// hfs/base/error.h
//
// The error vocabulary of HFS: a canonical ErrorCode (Abseil's meanings), an Error
// carrying a code and a human message, and Result<T>, the return type of every
// fallible function. Result<void> is the status type.
//
//   Result<int> ParsePort(std::string_view text) {
//     if (text.empty()) return Fail(ErrorCode::kInvalidArgument, "port is empty");
//     ...
//   }
//   auto port = HFS_TRY(ParsePort(text));      // see hfs/base/try.h
//
// Messages never contain secrets. This is the only file that includes tl/expected.
// Thread-compatible value types.
#pragma once

#include <string>
#include <string_view>

namespace tl {
template <class T, class E>
class [[nodiscard]] expected;
}  // namespace tl
#include <tl/expected.hpp>

namespace hfs {

// A subset of absl::StatusCode with the same meanings.
enum class ErrorCode {
  kCancelled,
  kInvalidArgument,
  kDeadlineExceeded,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kUnauthenticated,
  kResourceExhausted,
  kFailedPrecondition,
  kAborted,
  kUnimplemented,
  kInternal,
  kUnavailable,
  kDataLoss,
};

// "INVALID_ARGUMENT", "NOT_FOUND", ...
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  // "NOT_FOUND: no model 'x'".
  std::string ToString() const;
  // A copy whose message is "context: message", keeping the code.
  Error WithContext(std::string_view context) const;
};

template <class T>
using Result = tl::expected<T, Error>;

// Builds the unexpected value for `return Fail(...)` in any Result-returning function.
inline tl::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}
inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

// The success value of Result<void>.
inline Result<void> Ok() { return {}; }

}  // namespace hfs
