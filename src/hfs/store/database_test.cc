#include "hfs/store/database.h"

#include <gtest/gtest.h>

#include <limits>

namespace hfs::store {
namespace {

TEST(ValueTest, LenientReaders) {
  EXPECT_TRUE(IsNull(Value()));
  EXPECT_TRUE(IsNull(kNull));
  EXPECT_FALSE(IsNull(Value(int64_t{0})));

  EXPECT_EQ(ToInt(Value(int64_t{42})), 42);
  EXPECT_EQ(ToInt(Value(41.9)), 41);
  EXPECT_EQ(ToInt(Value("1234")), 1234);  // MySQL DECIMAL sums arrive as text
  EXPECT_EQ(ToInt(Value("12.75")), 12);
  EXPECT_EQ(ToInt(Value("nope")), 0);
  EXPECT_EQ(ToInt(kNull), 0);
  EXPECT_EQ(ToInt(Value(1e30)), std::numeric_limits<int64_t>::max());

  EXPECT_DOUBLE_EQ(ToDouble(Value(int64_t{3})), 3.0);
  EXPECT_DOUBLE_EQ(ToDouble(Value("2.5")), 2.5);
  EXPECT_DOUBLE_EQ(ToDouble(kNull), 0.0);

  EXPECT_EQ(ToText(Value("abc")), "abc");
  EXPECT_EQ(ToText(Value(int64_t{-7})), "-7");
  EXPECT_EQ(ToText(Value(1.5)), "1.5");
  EXPECT_EQ(ToText(kNull), "");
}

TEST(ValueTest, DialectNames) {
  EXPECT_EQ(DialectName(Dialect::kSqlite), "sqlite");
  EXPECT_EQ(DialectName(Dialect::kMysql), "mysql");
}

}  // namespace
}  // namespace hfs::store
