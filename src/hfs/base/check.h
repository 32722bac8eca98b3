// hfs/base/check.h
//
// HFS_CHECK(condition, message) aborts the process with file:line and the message
// when a precondition or invariant is broken. It is for bugs, never for bad input:
// bad input returns an Error (hfs/base/error.h). Always on, also in release builds.
//
//   HFS_CHECK(!keys.empty(), "KeyPool needs at least one key");
#pragma once

#include <string_view>

namespace hfs::internal {
// clang 14 has no std::source_location, so the location is passed as file and line.
[[noreturn]] void CheckFailed(std::string_view condition, std::string_view message,
                              const char* file, int line);
}  // namespace hfs::internal

#define HFS_CHECK(condition, message)                                          \
  do {                                                                         \
    if (!(condition)) {                                                        \
      ::hfs::internal::CheckFailed(#condition, (message), __FILE__, __LINE__); \
    }                                                                          \
  } while (false)

// Unwraps a Result or aborts: the one escape hatch, named to be found by grep.
#define HFS_VALUE_OR_DIE(expr)                                                  \
  __extension__({                                                               \
    auto hfs_die_result_ = (expr);                                              \
    HFS_CHECK(hfs_die_result_.has_value(), hfs_die_result_.error().ToString()); \
    std::move(hfs_die_result_).value();                                         \
  })
