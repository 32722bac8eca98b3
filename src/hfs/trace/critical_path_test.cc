#include "hfs/trace/critical_path.h"

#include <gtest/gtest.h>

#include <vector>

namespace hfs::trace {
namespace {

using std::chrono::milliseconds;

// Spans with ids 1, 2, ... by position; times in ms from 0.
struct Builder {
  std::vector<SpanData> spans;

  size_t Add(std::string name, int parent, int start_ms, int end_ms) {
    SpanData span;
    span.name = std::move(name);
    span.trace_id[15] = 1;
    span.span_id[7] = static_cast<uint8_t>(spans.size() + 1);
    if (parent > 0) span.parent_span_id[7] = static_cast<uint8_t>(parent);
    span.start_time = Timestamp(milliseconds(start_ms));
    span.end_time = Timestamp(milliseconds(end_ms));
    spans.push_back(span);
    return spans.size();
  }
};

TEST(CriticalPathTest, SequentialCallsAddAndParallelOnesDoNot) {
  Builder b;
  int run = static_cast<int>(b.Add("hfs.run", 0, 0, 1000));
  int phase1 = static_cast<int>(b.Add("hfs.phase.deliberation", run, 0, 500));
  int t1 = static_cast<int>(b.Add("hfs.triad.a", phase1, 0, 450));
  int t2 = static_cast<int>(b.Add("hfs.triad.b", phase1, 0, 500));
  b.Add("chat m", t1, 0, 200);  // a: 200 + 200 in sequence
  b.Add("chat m", t1, 210, 410);
  b.Add("chat m", t2, 0, 300);  // b: 300 + 150
  b.Add("chat m", t2, 320, 470);
  int phase2 = static_cast<int>(b.Add("hfs.phase.execution", run, 520, 950));
  b.Add("chat m", phase2, 520, 900);  // 380
  CriticalPath path = ComputeCriticalPath(b.spans);
  EXPECT_EQ(path.wall, milliseconds(1000));
  EXPECT_EQ(path.calls, milliseconds(450 + 380));
  EXPECT_EQ(path.chain_length, 3);
  EXPECT_EQ(path.total_calls, 5);
}

TEST(CriticalPathTest, OverlappingCallsUnderOneParentCountOnce) {
  Builder b;
  int run = static_cast<int>(b.Add("hfs.run", 0, 0, 300));
  b.Add("chat a", run, 0, 250);
  b.Add("chat b", run, 10, 200);
  CriticalPath path = ComputeCriticalPath(b.spans);
  EXPECT_EQ(path.calls, milliseconds(250));
  EXPECT_EQ(path.chain_length, 1);
}

TEST(CriticalPathTest, NoRootIsEmpty) { EXPECT_EQ(ComputeCriticalPath({}).calls, Duration(0)); }

}  // namespace
}  // namespace hfs::trace
