#include "hfs/base/text.h"

#include <gtest/gtest.h>

namespace hfs {
namespace {

TEST(TextTest, AsciiLowerChangesOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower("Retry-After: 7S"), "retry-after: 7s");
  EXPECT_EQ(AsciiLower("Ünïcode ÄB"), "Ünïcode Äb");
  EXPECT_EQ(AsciiLower(""), "");
}

}  // namespace
}  // namespace hfs
