// hfs/base/try.h
//
// Propagation macros for Result<T> (hfs/base/error.h).
//
//   Result<Config> Load(const std::string& path) {
//     std::string text = HFS_TRY(ReadFile(path));     // returns the error if any
//     HFS_RETURN_IF_ERROR(CheckSize(text));          // for Result<void>
//     ...
//   }
//
// HFS_TRY is a GNU statement expression; g++ and clang accept it under -Wpedantic
// thanks to __extension__.
#pragma once

#include <utility>

#include "hfs/base/error.h"

#define HFS_TRY(expr)                                                            \
  __extension__({                                                                \
    auto hfs_try_result_ = (expr);                                               \
    if (!hfs_try_result_.has_value()) {                                          \
      return ::tl::unexpected<::hfs::Error>(std::move(hfs_try_result_).error()); \
    }                                                                            \
    std::move(hfs_try_result_).value();                                          \
  })

#define HFS_RETURN_IF_ERROR(expr)                                            \
  do {                                                                       \
    auto hfs_status_ = (expr);                                               \
    if (!hfs_status_.has_value()) {                                          \
      return ::tl::unexpected<::hfs::Error>(std::move(hfs_status_).error()); \
    }                                                                        \
  } while (false)
