#include "hfs/trace/tracer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "hfs/testing/fake_clock.h"
#include "hfs/testing/in_memory_exporter.h"
#include "hfs/trace/simple_processor.h"

namespace hfs::trace {
namespace {

using ::testing::ElementsAre;

class TracerTest : public ::testing::Test {
 protected:
  TracerTest() { tracer_.AddProcessor(std::make_shared<SimpleProcessor>(exporter_)); }

  hfs::testing::FakeClock clock_;
  std::shared_ptr<hfs::testing::InMemoryExporter> exporter_ =
      std::make_shared<hfs::testing::InMemoryExporter>();
  Tracer tracer_{clock_, Resource{.service_name = "hfs", .service_version = "0.1.0"}};
};

TEST_F(TracerTest, RootStartsTraceAndChildrenShareIt) {
  Span root = tracer_.StartSpan("hfs.run");
  Span child = tracer_.StartSpan("hfs.phase.claims", {.parent = root.context()});
  Span other_root = tracer_.StartSpan("hfs.run");
  EXPECT_TRUE(root.data().IsRoot());
  EXPECT_EQ(child.data().trace_id, root.data().trace_id);
  EXPECT_EQ(child.data().parent_span_id, root.data().span_id);
  EXPECT_NE(child.data().span_id, root.data().span_id);
  EXPECT_NE(other_root.data().trace_id, root.data().trace_id);
  EXPECT_TRUE(root.context().IsValid());
}

TEST_F(TracerTest, InvalidParentStartsNewTrace) {
  Span span = tracer_.StartSpan("x", {.parent = SpanContext{}});
  EXPECT_TRUE(span.data().IsRoot());
  EXPECT_FALSE(IsZero(span.data().trace_id));
}

TEST_F(TracerTest, EndStampsClockAndExportsOnce) {
  {
    Span span = tracer_.StartSpan(
        "chat m", {.kind = SpanKind::kClient, .attributes = {{"gen_ai.operation.name", "chat"}}});
    clock_.Advance(std::chrono::milliseconds(1500));
    span.End();
    span.End();  // idempotent
    span.SetAttribute("ignored", true);
  }  // destructor after End does nothing
  std::vector<SpanData> spans = exporter_->spans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].kind, SpanKind::kClient);
  EXPECT_EQ(spans[0].end_time - spans[0].start_time, std::chrono::milliseconds(1500));
  EXPECT_EQ(spans[0].start_time, Timestamp(std::chrono::seconds(1767225600)));
  EXPECT_EQ(FindAttribute(spans[0].attributes, "ignored"), nullptr);
}

TEST_F(TracerTest, DestructorEndsSpanAndMoveTransfersOwnership) {
  {
    Span first = tracer_.StartSpan("first");
    Span moved = std::move(first);
    EXPECT_FALSE(first.IsRecording());  // NOLINT(bugprone-use-after-move)
    EXPECT_TRUE(moved.IsRecording());
    EXPECT_TRUE(exporter_->spans().empty());
    moved = tracer_.StartSpan("second");  // ends "first"
    EXPECT_EQ(exporter_->spans().size(), 1u);
  }
  std::vector<SpanData> spans = exporter_->spans();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].name, "first");
  EXPECT_EQ(spans[1].name, "second");
}

TEST_F(TracerTest, SetAttributeOverloadsPickTheRightType) {
  Span span = tracer_.StartSpan("x");
  const char* text = "groq";
  span.SetAttribute("c_string", text);
  span.SetAttribute("literal", "chat");
  span.SetAttribute("string", std::string("s"));
  span.SetAttribute("bool", false);
  span.SetAttribute("int", 7);
  span.SetAttribute("size", size_t{9});
  span.SetAttribute("double", 0.5);
  span.SetAttribute("strings", std::vector<std::string>{"a", "b"});
  span.SetAttribute("int", 8);  // replaces, keeps position
  const Attributes& a = span.data().attributes;
  ASSERT_EQ(a.size(), 8u);
  EXPECT_EQ(a[0].value, AttributeValue(std::string("groq")));
  EXPECT_EQ(a[1].value, AttributeValue(std::string("chat")));
  EXPECT_EQ(a[3].value, AttributeValue(false));
  EXPECT_EQ(a[4].key, "int");
  EXPECT_EQ(a[4].value, AttributeValue(int64_t{8}));
  EXPECT_EQ(a[5].value, AttributeValue(int64_t{9}));
  EXPECT_EQ(a[6].value, AttributeValue(0.5));
  EXPECT_EQ(a[7].value, AttributeValue(std::vector<std::string>{"a", "b"}));
}

TEST_F(TracerTest, RecordErrorSetsStatusEventAndErrorType) {
  Span span = tracer_.StartSpan("x");
  clock_.Advance(std::chrono::seconds(2));
  span.RecordError(Error{ErrorCode::kUnavailable, "provider down"});
  const SpanData& data = span.data();
  EXPECT_EQ(data.status.code, StatusCode::kError);
  EXPECT_EQ(data.status.message, "UNAVAILABLE: provider down");
  ASSERT_EQ(data.events.size(), 1u);
  EXPECT_EQ(data.events[0].name, "exception");
  EXPECT_EQ(data.events[0].time, data.start_time + std::chrono::seconds(2));
  EXPECT_THAT(data.events[0].attributes,
              ElementsAre(Attribute("exception.type", "UNAVAILABLE"),
                          Attribute("exception.message", "provider down")));
  EXPECT_EQ(*FindAttribute(data.attributes, "error.type"),
            AttributeValue(std::string("UNAVAILABLE")));
}

TEST_F(TracerTest, OkStatusIsFinalAndUnsetIgnored) {
  Span span = tracer_.StartSpan("x");
  span.SetStatus(StatusCode::kError, "bad");
  span.SetStatus(StatusCode::kUnset);
  EXPECT_EQ(span.data().status.code, StatusCode::kError);
  span.SetStatus(StatusCode::kOk, "ignored message");
  span.SetStatus(StatusCode::kError, "later");
  EXPECT_EQ(span.data().status, (SpanStatus{StatusCode::kOk, ""}));
}

TEST_F(TracerTest, SpansEndedAfterShutdownAreDropped) {
  Span span = tracer_.StartSpan("late");
  ASSERT_TRUE(tracer_.Shutdown().has_value());
  span.End();
  EXPECT_TRUE(exporter_->spans().empty());
  EXPECT_TRUE(exporter_->is_shut_down());
}

TEST_F(TracerTest, EightThreadsExportEverySpanExactlyOnce) {
  constexpr int kThreads = 8;
  constexpr int kSpansPerThread = 200;
  Span root = tracer_.StartSpan("hfs.run");
  SpanContext parent = root.context();
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kSpansPerThread; ++i) {
          Span span = tracer_.StartSpan("hfs.triad.t" + std::to_string(t), {.parent = parent});
          span.SetAttribute("hfs.index", i);
        }
      });
    }
  }
  root.End();
  std::vector<SpanData> spans = exporter_->spans();
  ASSERT_EQ(spans.size(), size_t{kThreads * kSpansPerThread + 1});
  std::set<std::string> ids;
  for (const SpanData& span : spans) {
    ids.insert(ToHex(span.span_id));
    EXPECT_EQ(span.trace_id, root.data().trace_id);
  }
  EXPECT_EQ(ids.size(), spans.size());
}

}  // namespace
}  // namespace hfs::trace
