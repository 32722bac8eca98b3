// hfs/base/text.h
//
// Small text helpers shared by the modules.
//
//   if (AsciiLower(header_name) == "retry-after") ...
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace hfs {

// `text` with ASCII letters in lower case; other bytes (UTF-8 included) unchanged.
std::string AsciiLower(std::string_view text);

}  // namespace hfs
