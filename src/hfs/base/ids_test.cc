#include "hfs/base/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace hfs {
namespace {

TEST(IdsTest, TraceAndSpanIdsAreHexOfTheRightLength) {
  std::string trace = ToHex(NewTraceId());
  std::string span = ToHex(NewSpanId());
  EXPECT_TRUE(std::regex_match(trace, std::regex("[0-9a-f]{32}"))) << trace;
  EXPECT_TRUE(std::regex_match(span, std::regex("[0-9a-f]{16}"))) << span;
}

TEST(IdsTest, IdsAreDistinctAndNeverZero) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    SpanId id = NewSpanId();
    EXPECT_FALSE(IsZero(id));
    seen.insert(ToHex(id));
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(IdsTest, HexRoundTrips) {
  TraceId trace = NewTraceId();
  EXPECT_EQ(TraceIdFromHex(ToHex(trace)), trace);
  EXPECT_EQ(ToHex(*SpanIdFromHex("00F067AA0BA902B7")), "00f067aa0ba902b7");
  EXPECT_FALSE(SpanIdFromHex("00f067aa0ba902b").has_value());
  EXPECT_FALSE(SpanIdFromHex("00f067aa0ba902bz").has_value());
}

TEST(IdsTest, RunIdCarriesUtcTime) {
  Timestamp t{std::chrono::seconds(1764000000)};  // 2025-11-24 16:00:00 UTC
  std::string id = NewRunId(t);
  EXPECT_TRUE(std::regex_match(id, std::regex("20251124-160000-[0-9a-f]{6}"))) << id;
}

}  // namespace
}  // namespace hfs
