#include "hfs/net/http.h"

#include <gtest/gtest.h>

namespace hfs::net {
namespace {

TEST(HeadersTest, LookupIgnoresCase) {
  Headers headers;
  headers.Add("X-RateLimit-Reset", "1700000000000");
  headers.Add("retry-after", "3");
  headers.Add("Retry-After", "4");
  EXPECT_EQ(headers.Get("x-ratelimit-reset"), "1700000000000");
  EXPECT_EQ(headers.Get("RETRY-AFTER"), "3");
  EXPECT_FALSE(headers.Get("x-ratelimit-resets").has_value());
  EXPECT_EQ(headers.all().size(), 3u);
}

}  // namespace
}  // namespace hfs::net
