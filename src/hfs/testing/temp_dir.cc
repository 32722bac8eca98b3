#include "hfs/testing/temp_dir.h"

#include <cstdlib>
#include <string>

#include "hfs/base/check.h"

namespace hfs::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "hfs-test-XXXXXX").string();
  HFS_CHECK(::mkdtemp(pattern.data()) != nullptr, "mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace hfs::testing
