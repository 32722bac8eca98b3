#include "hfs/trace/trace_scope.h"

#include <gtest/gtest.h>

#include "hfs/testing/fake_clock.h"
#include "hfs/testing/in_memory_exporter.h"
#include "hfs/trace/simple_processor.h"
#include "hfs/trace/tracer.h"

namespace hfs::trace {
namespace {

TEST(TraceScopeTest, WithoutTracerNothingRecords) {
  TraceScope scope;
  Span span = scope.Start("hfs.phase.claims");
  EXPECT_FALSE(span.IsRecording());
  TraceScope child = scope.Under(span);
  EXPECT_FALSE(child.parent.IsValid());
}

TEST(TraceScopeTest, UnderMakesChildrenAndKeepsTheTracer) {
  hfs::testing::FakeClock clock;
  auto exporter = std::make_shared<hfs::testing::InMemoryExporter>();
  Tracer tracer(clock, Resource{.service_name = "hfs"});
  tracer.AddProcessor(std::make_shared<SimpleProcessor>(exporter));
  TraceScope root{.tracer = &tracer, .include_content = true};
  Span run = root.Start("hfs.run", {{"hfs.run.id", "r1"}});
  TraceScope in_run = root.Under(run);
  EXPECT_TRUE(in_run.include_content);
  Span phase = in_run.Start("hfs.phase.claims", {}, SpanKind::kInternal);
  EXPECT_EQ(phase.data().parent_span_id, run.data().span_id);
  EXPECT_EQ(phase.data().trace_id, run.data().trace_id);
}

TEST(TraceScopeTest, SpanRecordedAfterTheFactKeepsItsTimes) {
  hfs::testing::FakeClock clock;
  auto exporter = std::make_shared<hfs::testing::InMemoryExporter>();
  Tracer tracer(clock, Resource{.service_name = "hfs"});
  tracer.AddProcessor(std::make_shared<SimpleProcessor>(exporter));
  const Timestamp began = clock.Now();
  clock.Advance(std::chrono::seconds(5));
  Span span = tracer.StartSpan("chat m", {.start_time = began});
  span.EndAt(began + std::chrono::milliseconds(200));
  ASSERT_EQ(exporter->spans().size(), 1u);
  EXPECT_EQ(exporter->spans()[0].start_time, began);
  EXPECT_EQ(exporter->spans()[0].end_time - exporter->spans()[0].start_time,
            std::chrono::milliseconds(200));
}

}  // namespace
}  // namespace hfs::trace
