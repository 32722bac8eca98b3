// hfs/store/span_store_contract_test.h
//
// Test-only: the behaviour every SpanStore backend must show, as a type-parameterized
// GoogleTest suite over the same Backend types as usage_store_contract_test.h (a default
// constructor that prepares an empty database, Open(), SkipReason(), SetUpError()).
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, SpanStoreContract, SqliteBackend);
//
// Included by span_store_test.cc (SQLite) and mariadb_usage_store_test.cc (MariaDB).
#pragma once

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hfs/store/span_store.h"

namespace hfs::store::span_contract {

// 2026-01-01T00:00:00Z.
inline Timestamp SpanBaseTime() { return Timestamp(std::chrono::seconds(1767225600)); }

inline TraceId TestTraceId(int n) {
  TraceId id{};
  id[0] = 0xab;
  id[15] = static_cast<uint8_t>(n);
  return id;
}

inline SpanId TestSpanId(int n) {
  SpanId id{};
  id[0] = 0x5a;
  id[6] = static_cast<uint8_t>(n >> 8);
  id[7] = static_cast<uint8_t>(n);
  return id;
}

// A span of trace `trace` starting `start_ms` after the base time and lasting `ms`.
inline trace::SpanData MakeSpan(int trace, int id, int parent, std::string name, int start_ms,
                                int ms) {
  trace::SpanData span;
  span.trace_id = TestTraceId(trace);
  span.span_id = TestSpanId(id);
  if (parent != 0) span.parent_span_id = TestSpanId(parent);
  span.name = std::move(name);
  span.start_time = SpanBaseTime() + std::chrono::milliseconds(start_ms);
  span.end_time = span.start_time + std::chrono::milliseconds(ms);
  return span;
}

// One small run as the pipeline makes it: hfs.run > phase > triad > agent > chat, tool.
inline std::vector<trace::SpanData> MakeRun(int trace, std::string run_id) {
  int base = trace * 100;
  trace::SpanData root = MakeSpan(trace, base + 1, 0, "hfs.run", 0, 5000);
  root.attributes = {{"hfs.run.id", std::move(run_id)}};
  trace::SpanData phase = MakeSpan(trace, base + 2, base + 1, "hfs.phase.claims", 10, 3000);
  trace::SpanData triad = MakeSpan(trace, base + 3, base + 2, "hfs.triad.t-\xce\xb1", 20, 2000);
  trace::SpanData agent = MakeSpan(trace, base + 4, base + 3, "invoke_agent t1.worker", 30, 1500);
  trace::SpanData chat = MakeSpan(trace, base + 5, base + 4, "chat llama-3.3-70b", 40, 1200);
  chat.kind = trace::SpanKind::kClient;
  chat.attributes = {{"gen_ai.operation.name", "chat"},
                     {"gen_ai.request.model", "llama-3.3-70b"},
                     {"gen_ai.usage.input_tokens", 812},
                     {"gen_ai.usage.output_tokens", 95},
                     {"gen_ai.response.finish_reasons", std::vector<std::string>{"tool_calls"}},
                     {"hfs.ratio", 0.25},
                     {"hfs.cached", false}};
  trace::SpanData tool =
      MakeSpan(trace, base + 6, base + 4, "execute_tool claim_section", 1300, 100);
  tool.status = {trace::StatusCode::kError, "INVALID_ARGUMENT: no section 'x'"};
  tool.attributes = {{"error.type", "INVALID_ARGUMENT"}};
  tool.events = {{"exception", tool.end_time, {{"exception.type", "INVALID_ARGUMENT"}}}};
  // End order: the deepest first, the root last.
  return {chat, tool, agent, triad, phase, root};
}

inline std::vector<trace::SpanData> ByStart(std::vector<trace::SpanData> spans) {
  std::stable_sort(spans.begin(), spans.end(), [](const auto& a, const auto& b) {
    return a.start_time != b.start_time ? a.start_time < b.start_time
                                        : ToHex(a.span_id) < ToHex(b.span_id);
  });
  return spans;
}

template <class Backend>
class SpanStoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string reason = Backend::SkipReason(); !reason.empty()) GTEST_SKIP() << reason;
    if (std::string error = Backend::SetUpError(); !error.empty()) FAIL() << error;
    backend_.emplace();
    auto database = backend_->Open();
    ASSERT_TRUE(database.has_value()) << database.error().ToString();
    db_ = std::move(*database);
    auto store = SpanStore::Open(db_);
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    store_ = std::move(*store);
  }

  std::optional<Backend> backend_;
  std::shared_ptr<Database> db_;
  std::unique_ptr<SpanStore> store_;
};

TYPED_TEST_SUITE_P(SpanStoreContract);

TYPED_TEST_P(SpanStoreContract, LoadsEverySpanOfARunInStartOrder) {
  std::vector<trace::SpanData> run = MakeRun(1, "run-1");
  std::vector<trace::SpanData> other = MakeRun(2, "run-2");
  // Children in one batch, the root (which names the run) in a later one.
  ASSERT_TRUE(this->store_->Export(std::span(run).first(5)).has_value());
  ASSERT_TRUE(this->store_->Export(other).has_value());
  auto last = this->store_->Export(std::span(run).last(1));
  ASSERT_TRUE(last.has_value()) << last.error().ToString();
  EXPECT_EQ(this->store_->stats().stored, 12u);
  EXPECT_EQ(this->store_->stats().lost, 0u);

  auto loaded = LoadRunSpans(*this->db_, "run-1");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  EXPECT_EQ(*loaded, ByStart(run));  // every field round-trips
  auto by_trace = LoadTraceSpans(*this->db_, TestTraceId(2));
  ASSERT_TRUE(by_trace.has_value()) << by_trace.error().ToString();
  EXPECT_EQ(*by_trace, ByStart(other));

  // The queryable columns.
  EXPECT_EQ(
      ToInt(this->db_->Query("SELECT COUNT(*) FROM spans WHERE run_id = ?", {std::string("run-1")})
                .value()
                .at(0)
                .at(0)),
      6);
  Rows chat = this->db_
                  ->Query(
                      "SELECT kind, input_tokens, output_tokens, model, parent_span_id FROM spans "
                      "WHERE name = ? AND run_id = ?",
                      {std::string("chat llama-3.3-70b"), std::string("run-1")})
                  .value();
  ASSERT_EQ(chat.size(), 1u);
  EXPECT_EQ(ToInt(chat[0][0]), 3);
  EXPECT_EQ(ToInt(chat[0][1]), 812);
  EXPECT_EQ(ToInt(chat[0][2]), 95);
  EXPECT_EQ(ToText(chat[0][3]), "llama-3.3-70b");
  EXPECT_EQ(ToText(chat[0][4]), ToHex(TestSpanId(104)));
  Rows errors =
      this->db_->Query("SELECT error_type, status_code FROM spans WHERE status_code = 2").value();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(ToText(errors[0][0]), "INVALID_ARGUMENT");
}

TYPED_TEST_P(SpanStoreContract, WritingASpanTwiceIsANoOp) {
  std::vector<trace::SpanData> run = MakeRun(3, "run-3");
  ASSERT_TRUE(this->store_->Export(run).has_value());
  auto again = this->store_->Export(run);
  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  EXPECT_EQ(LoadRunSpans(*this->db_, "run-3").value().size(), run.size());
}

TYPED_TEST_P(SpanStoreContract, LargeBatchesLongNamesAndContentFit) {
  std::vector<trace::SpanData> spans = {MakeSpan(4, 1, 0, "hfs.run", 0, 10000)};
  spans[0].attributes = {{"hfs.run.id", "run-4"}};
  for (int i = 2; i <= 300; ++i) {
    spans.push_back(MakeSpan(4, i, 1, fmt::format("execute_tool tool_{}", i), i, 5));
  }
  // Longer than the indexed columns; 200 KB of content (LONGTEXT on MySQL).
  spans[1].name = "chat " + std::string(400, 'm') + "\xce\xb1";
  spans[1].attributes = {{"gen_ai.output.messages", std::string(200000, 'x')},
                         {"gen_ai.request.model", std::string(300, 'm') + "\xce\xb1"}};
  auto exported = this->store_->Export(spans);
  ASSERT_TRUE(exported.has_value()) << exported.error().ToString();
  auto loaded = LoadRunSpans(*this->db_, "run-4");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  EXPECT_EQ(*loaded, ByStart(spans));
}

TYPED_TEST_P(SpanStoreContract, UnknownRunIsEmptyAndShutdownStopsWrites) {
  EXPECT_TRUE(LoadRunSpans(*this->db_, "no-such-run").value().empty());
  EXPECT_TRUE(LoadTraceSpans(*this->db_, TestTraceId(99)).value().empty());
  this->store_->Shutdown();
  this->store_->Shutdown();  // idempotent
  auto late = this->store_->Export(MakeRun(5, "run-5"));
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(this->store_->Export({}).has_value());  // nothing to write
}

REGISTER_TYPED_TEST_SUITE_P(SpanStoreContract, LoadsEverySpanOfARunInStartOrder,
                            WritingASpanTwiceIsANoOp, LargeBatchesLongNamesAndContentFit,
                            UnknownRunIsEmptyAndShutdownStopsWrites);

}  // namespace hfs::store::span_contract
