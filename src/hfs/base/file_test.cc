#include "hfs/base/file.h"

#include <gtest/gtest.h>

#include "hfs/testing/temp_dir.h"

namespace hfs {
namespace {

TEST(FileTest, WriteAtomicThenRead) {
  testing::TempDir dir;
  auto path = dir.path() / "nested" / "out.txt";
  ASSERT_TRUE(WriteFileAtomic(path, "first"));
  ASSERT_TRUE(WriteFileAtomic(path, "second"));
  EXPECT_EQ(ReadFile(path).value(), "second");
  // No temporary files are left beside it.
  int entries = 0;
  for ([[maybe_unused]] auto& entry : std::filesystem::directory_iterator(path.parent_path())) {
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(FileTest, ReadErrorsNameThePath) {
  testing::TempDir dir;
  auto missing = ReadFile(dir.path() / "nope.yaml");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("nope.yaml"), std::string::npos);
  EXPECT_EQ(ReadFile(dir.path()).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace hfs
