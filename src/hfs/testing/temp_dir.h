// hfs/testing/temp_dir.h
//
// TempDir: a fresh directory under the system temp folder, removed with everything in
// it when the TempDir goes out of scope.
//
//   testing::TempDir dir;
//   WriteFileAtomic(dir.path() / "state.md", text);
//
// Thread-compatible.
#pragma once

#include <filesystem>

namespace hfs::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace hfs::testing
