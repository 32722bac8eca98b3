#include "hfs/base/check.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace hfs::internal {

void CheckFailed(std::string_view condition, std::string_view message, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: HFS_CHECK failed: %.*s: %.*s\n", file, line,
               static_cast<int>(condition.size()), condition.data(),
               static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace hfs::internal
