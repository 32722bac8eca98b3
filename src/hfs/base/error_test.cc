#include "hfs/base/error.h"

#include <gtest/gtest.h>

#include <memory>

#include "hfs/base/check.h"
#include "hfs/base/try.h"

namespace hfs {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Fail(ErrorCode::kInvalidArgument, "odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  int half = HFS_TRY(Half(x));
  return HFS_TRY(Half(half));
}

Result<void> CheckEven(int x) {
  HFS_RETURN_IF_ERROR(Half(x));
  return Ok();
}

Result<std::unique_ptr<int>> MakeBox(int x) { return std::make_unique<int>(x); }

Result<int> Unbox(int x) {
  std::unique_ptr<int> box = HFS_TRY(MakeBox(x));
  return *box;
}

TEST(ErrorTest, TryPropagatesTheFirstError) {
  EXPECT_EQ(Quarter(8).value(), 2);
  Result<int> odd = Quarter(6);
  ASSERT_FALSE(odd.has_value());
  EXPECT_EQ(odd.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(odd.error().message, "odd");
}

TEST(ErrorTest, ReturnIfErrorPassesSuccessThrough) {
  EXPECT_TRUE(CheckEven(4).has_value());
  EXPECT_EQ(CheckEven(3).error().code, ErrorCode::kInvalidArgument);
}

TEST(ErrorTest, TryWorksWithMoveOnlyValues) { EXPECT_EQ(Unbox(7).value(), 7); }

TEST(ErrorTest, ToStringAndContext) {
  Error error{ErrorCode::kNotFound, "no model 'x'"};
  EXPECT_EQ(error.ToString(), "NOT_FOUND: no model 'x'");
  Error wrapped = error.WithContext("loading tiers");
  EXPECT_EQ(wrapped.code, ErrorCode::kNotFound);
  EXPECT_EQ(wrapped.message, "loading tiers: no model 'x'");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kResourceExhausted), "RESOURCE_EXHAUSTED");
}

TEST(ErrorDeathTest, CheckAbortsWithLocation) {
  EXPECT_DEATH(HFS_CHECK(1 + 1 == 3, "math is broken"), "error_test.cc:.*math is broken");
}

}  // namespace
}  // namespace hfs
