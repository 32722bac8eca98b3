#include "hfs/state/claim_lease.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hfs/state/agent_registry.h"
#include "hfs/state/testing/fake_process_table.h"
#include "hfs/testing/fake_clock.h"

namespace hfs::state {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;

constexpr char kFull[] =
    "[IP:layout_leader until=2026-01-01T00:30:00Z pid=4242 host=build-01 "
    "start=918273]";

Timestamp At(std::string_view utc) { return ParseUtc(utc).value(); }

TEST(ClaimLeaseTest, ParsesAndRendersTheMarker) {
  Result<ClaimMarker> marker = ParseClaimMarker(
      "layout_leader until=2026-01-01T00:30:00Z pid=4242 host=build-01 start=918273");
  ASSERT_TRUE(marker) << marker.error().message;
  EXPECT_EQ(marker->agent_id, "layout_leader");
  EXPECT_EQ(marker->lease.until, At("2026-01-01T00:30:00Z"));
  ASSERT_TRUE(marker->lease.process);
  EXPECT_EQ(*marker->lease.process, (ProcessRef{.pid = 4242, .host = "build-01", .start = 918273}));
  EXPECT_EQ(RenderClaimMarker(*marker), kFull);
}

TEST(ClaimLeaseTest, AMarkerWithoutLeaseIsTheOriginalOne) {
  Result<ClaimMarker> marker = ParseClaimMarker(" agent-1 ");
  ASSERT_TRUE(marker);
  EXPECT_EQ(marker->lease, ClaimLease{});
  EXPECT_EQ(RenderClaimMarker(*marker), "[IP:agent-1]");
  // Fields in any order; start is optional.
  marker = ParseClaimMarker("a1 host=h pid=7");
  ASSERT_TRUE(marker);
  EXPECT_EQ(RenderClaimMarker(*marker), "[IP:a1 pid=7 host=h]");
}

TEST(ClaimLeaseTest, RejectsWhatItCannotRead) {
  for (const char* inside :
       {"", "Agent ID", "-", "---", ":--", "a1 until=2026-02-30T00:00:00Z", "a1 until=soon",
        "a1 pid=0", "a1 pid=99999999999 host=h", "a1 pid=7", "a1 host=h", "a1 pid=7 host=a/b",
        "a1 colour=red", "a1 until=2026-01-01T00:30:00Z until=2026-01-01T00:30:00Z",
        "a1 pid=7 host=h start=x"}) {
    EXPECT_FALSE(ParseClaimMarker(inside)) << inside;
  }
  EXPECT_THAT(ParseClaimMarker("Agent ID").error().message, HasSubstr("not an agent id"));
}

TEST(ClaimLeaseTest, LeaseFromRoundsUpAndSkipsUnknownParts) {
  Timestamp now = At("2026-01-01T00:00:00Z") + std::chrono::milliseconds(1);
  ClaimLease lease = LeaseFrom(now, seconds(60), {.pid = 7, .host = "h"});
  EXPECT_EQ(lease.until, At("2026-01-01T00:01:01Z"));
  EXPECT_EQ(lease.process, (ProcessRef{.pid = 7, .host = "h"}));
  EXPECT_EQ(LeaseFrom(now, seconds(0), {}), ClaimLease{});
}

TEST(ClaimLeaseTest, StaleWhenTheProcessIsGoneOrTheTimeRanOut) {
  FakeProcessTable processes;
  ClaimLease lease{.until = At("2026-01-01T00:30:00Z"),
                   .process = ProcessRef{.pid = 77, .host = "test-host"}};
  EXPECT_EQ(StaleReason(lease, At("2026-01-01T00:30:00Z"), processes), std::nullopt);
  EXPECT_EQ(StaleReason(lease, At("2026-01-01T00:30:01Z"), processes),
            "its lease ran out at 2026-01-01T00:30:00Z");
  processes.Exit(77);
  EXPECT_EQ(StaleReason(lease, At("2026-01-01T00:00:00Z"), processes),
            "process 77 on test-host is gone");
  // A process on another host is judged by time only; no lease never runs out.
  lease.process->host = "elsewhere";
  EXPECT_EQ(StaleReason(lease, At("2026-01-01T00:00:00Z"), processes), std::nullopt);
  EXPECT_EQ(StaleReason({}, At("2099-01-01T00:00:00Z"), processes), std::nullopt);
}

}  // namespace
}  // namespace hfs::state
