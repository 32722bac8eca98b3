// hfs/config/internal/builtin_limit_tables.h
//
// The text of config/limits/*.yaml, compiled into the binary by CMake
// (builtin_limit_tables.cc is generated at configure time), so the tables ship with hfs.
//
//   for (const BuiltinLimitTableText& table : kBuiltinLimitTables) Parse(table.yaml);
#pragma once

#include <array>
#include <string_view>

namespace hfs::config::internal {

struct BuiltinLimitTableText {
  std::string_view provider;
  std::string_view yaml;
};

extern const std::array<BuiltinLimitTableText, 4> kBuiltinLimitTables;

}  // namespace hfs::config::internal
