#include "hfs/base/check.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace hfs::internal {

void CheckFailed(std::string_view condition, std::string_view message,
                 std::source_location location) {
  std::fprintf(stderr, "%s:%u: HFS_CHECK failed: %.*s: %.*s\n", location.file_name(),
               static_cast<unsigned>(location.line()), static_cast<int>(condition.size()),
               condition.data(), static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace hfs::internal
