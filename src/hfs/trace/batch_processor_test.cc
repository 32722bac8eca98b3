#include "hfs/trace/batch_processor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "hfs/testing/fake_clock.h"
#include "hfs/testing/in_memory_exporter.h"
#include "hfs/trace/tracer.h"

namespace hfs::trace {
namespace {

using ::testing::Each;
using ::testing::Le;
using namespace std::chrono_literals;

SpanData MakeSpan(int index) {
  SpanData span;
  span.trace_id = NewTraceId();
  span.span_id = NewSpanId();
  span.name = "span " + std::to_string(index);
  return span;
}

// Blocks every Export until Release(); counts the spans it has been given.
class BlockingExporter final : public SpanExporter {
 public:
  Result<void> Export(std::span<const SpanData> spans) override {
    MutexLock lock(mu_);
    ++exports_started_;
    changed_.NotifyAll();
    changed_.Wait(mu_, [&]() HFS_REQUIRES(mu_) { return released_; });
    exported_ += spans.size();
    return Ok();
  }
  void Shutdown() override {}

  void WaitForExportStarted() {
    MutexLock lock(mu_);
    changed_.Wait(mu_, [&]() HFS_REQUIRES(mu_) { return exports_started_ > 0; });
  }
  void Release() {
    MutexLock lock(mu_);
    released_ = true;
    changed_.NotifyAll();
  }
  size_t exported() {
    MutexLock lock(mu_);
    return exported_;
  }

 private:
  Mutex mu_;
  CondVar changed_;
  int exports_started_ HFS_GUARDED_BY(mu_) = 0;
  bool released_ HFS_GUARDED_BY(mu_) = false;
  size_t exported_ HFS_GUARDED_BY(mu_) = 0;
};

class FailingExporter final : public SpanExporter {
 public:
  Result<void> Export(std::span<const SpanData>) override {
    return Fail(ErrorCode::kUnavailable, "cannot write /nowhere/trace.jsonl");
  }
  void Shutdown() override {}
};

TEST(BatchProcessorTest, ShutdownExportsEverythingQueued) {
  auto exporter = std::make_shared<hfs::testing::InMemoryExporter>();
  BatchProcessor processor(exporter, {.schedule_delay = 1h});
  for (int i = 0; i < 10; ++i) processor.OnEnd(MakeSpan(i));
  ASSERT_TRUE(processor.Shutdown().has_value());
  std::vector<SpanData> spans = exporter->spans();
  ASSERT_EQ(spans.size(), 10u);
  EXPECT_EQ(spans[9].name, "span 9");
  EXPECT_TRUE(exporter->is_shut_down());
  processor.OnEnd(MakeSpan(10));  // after shutdown: dropped
  EXPECT_EQ(processor.dropped_count(), 1u);
  EXPECT_TRUE(processor.Shutdown().has_value());  // idempotent
}

TEST(BatchProcessorTest, ForceFlushWaitsForQueuedSpans) {
  auto exporter = std::make_shared<hfs::testing::InMemoryExporter>();
  BatchProcessor processor(exporter, {.schedule_delay = 1h});
  for (int i = 0; i < 5; ++i) processor.OnEnd(MakeSpan(i));
  ASSERT_TRUE(processor.ForceFlush().has_value());
  EXPECT_EQ(exporter->spans().size(), 5u);
  EXPECT_FALSE(exporter->is_shut_down());
  ASSERT_TRUE(processor.ForceFlush().has_value());  // nothing queued: returns at once
  EXPECT_EQ(exporter->spans().size(), 5u);
}

TEST(BatchProcessorTest, BatchesAreAtMostMaxBatchSize) {
  auto exporter = std::make_shared<hfs::testing::InMemoryExporter>();
  BatchProcessor processor(exporter, {.max_batch_size = 3, .schedule_delay = 1h});
  for (int i = 0; i < 10; ++i) processor.OnEnd(MakeSpan(i));
  ASSERT_TRUE(processor.ForceFlush().has_value());
  std::vector<size_t> sizes = exporter->batch_sizes();
  EXPECT_THAT(sizes, Each(Le(3u)));
  EXPECT_GE(sizes.size(), 4u);
  EXPECT_EQ(exporter->spans().size(), 10u);
}

TEST(BatchProcessorTest, FullBatchIsExportedWithoutWaitingForTheDelay) {
  auto exporter = std::make_shared<hfs::testing::InMemoryExporter>();
  BatchProcessor processor(exporter, {.max_batch_size = 2, .schedule_delay = 1h});
  processor.OnEnd(MakeSpan(0));
  processor.OnEnd(MakeSpan(1));
  // ForceFlush is not called: only the full batch can wake the worker within the test.
  EXPECT_TRUE(exporter->WaitForSpans(2, 10s));
  EXPECT_EQ(exporter->batch_sizes(), std::vector<size_t>{2});
}

TEST(BatchProcessorTest, ScheduleDelayExportsAPartialBatch) {
  auto exporter = std::make_shared<hfs::testing::InMemoryExporter>();
  BatchProcessor processor(exporter, {.schedule_delay = 20ms});
  processor.OnEnd(MakeSpan(0));
  EXPECT_TRUE(exporter->WaitForSpans(1, 10s));
}

TEST(BatchProcessorTest, DropsAndCountsWhenQueueIsFull) {
  auto exporter = std::make_shared<BlockingExporter>();
  BatchProcessor processor(exporter, {.max_queue_size = 4, .max_batch_size = 2});
  processor.OnEnd(MakeSpan(0));
  processor.OnEnd(MakeSpan(1));
  exporter->WaitForExportStarted();  // the worker holds spans 0-1 and blocks
  for (int i = 2; i < 9; ++i) processor.OnEnd(MakeSpan(i));  // 4 fit, 3 dropped
  EXPECT_EQ(processor.dropped_count(), 3u);
  exporter->Release();
  ASSERT_TRUE(processor.Shutdown().has_value());
  EXPECT_EQ(exporter->exported(), 6u);
  EXPECT_EQ(processor.dropped_count(), 3u);
}

TEST(BatchProcessorTest, ExportErrorIsReturnedByForceFlushOnce) {
  BatchProcessor processor(std::make_shared<FailingExporter>(), {.schedule_delay = 1h});
  processor.OnEnd(MakeSpan(0));
  Result<void> flushed = processor.ForceFlush();
  ASSERT_FALSE(flushed.has_value());
  EXPECT_EQ(flushed.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(flushed.error().message, ::testing::HasSubstr("/nowhere/trace.jsonl"));
  EXPECT_TRUE(processor.ForceFlush().has_value());
}

TEST(BatchProcessorTest, EightThreadsThroughTracerExportEachSpanOnce) {
  constexpr int kThreads = 8;
  constexpr int kSpansPerThread = 500;
  hfs::testing::FakeClock clock;
  auto exporter = std::make_shared<hfs::testing::InMemoryExporter>();
  Tracer tracer(clock, Resource{});
  tracer.AddProcessor(std::make_shared<BatchProcessor>(
      exporter, BatchOptions{.max_queue_size = 100000, .max_batch_size = 64}));
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < kSpansPerThread; ++i) tracer.StartSpan("s").End();
      });
    }
  }
  ASSERT_TRUE(tracer.Shutdown().has_value());
  std::vector<SpanData> spans = exporter->spans();
  std::set<std::string> ids;
  for (const SpanData& span : spans) ids.insert(ToHex(span.span_id));
  EXPECT_EQ(spans.size(), size_t{kThreads * kSpansPerThread});
  EXPECT_EQ(ids.size(), spans.size());
  EXPECT_THAT(exporter->batch_sizes(), Each(Le(64u)));
}

}  // namespace
}  // namespace hfs::trace
