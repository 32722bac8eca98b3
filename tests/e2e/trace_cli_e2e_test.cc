// `hfs trace` as a user runs it: a small trace.jsonl written with the JsonlExporter (as a
// run writes it), read back by the binary as a file, as a run id under -o, and as JSON.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hfs/base/file.h"
#include "hfs/store/migrations.h"
#include "hfs/store/span_store.h"
#include "hfs/store/sqlite_database.h"
#include "hfs/testing/temp_dir.h"
#include "hfs/trace/jsonl_exporter.h"
#include "tests/e2e/run_hfs.h"

namespace hfs {
namespace {

using ::testing::HasSubstr;
using trace::SpanData;

constexpr char kRunId[] = "20260101-000000-e2e1";

SpanData Make(const TraceId& trace_id, int id, int parent, std::string name, int start_ms,
              int duration_ms) {
  SpanData span;
  span.trace_id = trace_id;
  span.span_id = SpanId{0, 0, 0, 0, 0, 0, 0, static_cast<uint8_t>(id)};
  if (parent != 0) span.parent_span_id = SpanId{0, 0, 0, 0, 0, 0, 0, static_cast<uint8_t>(parent)};
  span.name = std::move(name);
  span.start_time =
      Timestamp(std::chrono::seconds(1767225600)) + std::chrono::milliseconds(start_ms);
  span.end_time = span.start_time + std::chrono::milliseconds(duration_ms);
  return span;
}

std::vector<SpanData> SmallRun() {
  TraceId trace_id = *TraceIdFromHex("4bf92f3577b34da6a3ce929d0e0e4736");
  SpanData root = Make(trace_id, 1, 0, "hfs.run", 0, 4000);
  root.attributes = {{"hfs.run.id", kRunId}};
  SpanData chat = Make(trace_id, 4, 3, "chat llama-3.3-70b", 1100, 800);
  chat.kind = trace::SpanKind::kClient;
  chat.attributes = {{"gen_ai.usage.input_tokens", 812}, {"gen_ai.usage.output_tokens", 95}};
  SpanData failed = Make(trace_id, 5, 3, "chat qwen-3-32b", 2000, 300);
  failed.kind = trace::SpanKind::kClient;
  failed.status = {trace::StatusCode::kError, "UNAVAILABLE: provider down"};
  failed.attributes = {{"error.type", "UNAVAILABLE"}};
  return {Make(trace_id, 2, 1, "hfs.phase.input", 0, 1000),
          chat,
          failed,
          Make(trace_id, 3, 6, "invoke_agent t1.orchestrator", 1050, 1500),
          Make(trace_id, 6, 1, "hfs.phase.deliberation", 1000, 2000),
          root};
}

class TraceCliE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<SpanData> spans = SmallRun();
    auto exporter = trace::JsonlExporter::Open(RunDir() / "trace.jsonl", trace::Resource{});
    ASSERT_TRUE(exporter.has_value()) << exporter.error().ToString();
    // Two lines, as two batches of a BatchProcessor.
    ASSERT_TRUE((*exporter)->Export(std::span(spans).first(3)).has_value());
    ASSERT_TRUE((*exporter)->Export(std::span(spans).subspan(3)).has_value());
  }

  std::filesystem::path RunDir() const { return output_.path() / kRunId; }

  testing::TempDir home_;
  testing::TempDir output_;
};

TEST_F(TraceCliE2eTest, ShowsTheWaterfallOfAFile) {
  HfsRun run = RunHfs(home_.path(), "trace " + (RunDir() / "trace.jsonl").string());
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("Trace 4bf92f3577b34da6a3ce929d0e0e4736 (run " +
                                    std::string(kRunId) + "): 6 spans, 4.000s"));
  EXPECT_THAT(run.output, HasSubstr("tokens 812 in / 95 out, 1 error"));
  EXPECT_THAT(run.output, HasSubstr("      invoke_agent t1.orchestrator"));
  EXPECT_THAT(run.output, HasSubstr("        chat llama-3.3-70b"));
  EXPECT_THAT(run.output, HasSubstr("812/95"));
  EXPECT_THAT(run.output, HasSubstr("UNAVAILABLE"));
  EXPECT_THAT(run.output, HasSubstr("deliberation"));
  EXPECT_THAT(run.output, HasSubstr("negotiation      not run"));
}

TEST_F(TraceCliE2eTest, FindsARunIdUnderTheOutputDirectoryAndPrintsJson) {
  HfsRun run = RunHfs(home_.path(),
                      "trace " + std::string(kRunId) + " -o " + output_.path().string() + " --json",
                      Streams::kStdoutOnly);
  ASSERT_EQ(run.code, 0) << run.output;
  nlohmann::json out = nlohmann::json::parse(run.output);
  ASSERT_EQ(out["traces"].size(), 1u);
  const nlohmann::json& trace = out["traces"][0];
  EXPECT_EQ(trace["run_id"], kRunId);
  EXPECT_EQ(trace["spans"].size(), 6u);
  EXPECT_EQ(trace["phases"][2]["name"], "deliberation");
  EXPECT_EQ(trace["phases"][2]["duration_ms"], 2000.0);
  EXPECT_EQ(trace["phases"][2]["input_tokens"], 812);
}

TEST_F(TraceCliE2eTest, ReadsTheSpansTableOfAUsageDatabase) {
  testing::TempDir db_dir;
  std::filesystem::path db_path = db_dir.path() / "usage.db";
  {
    std::shared_ptr<store::Database> db = store::OpenSqliteDatabase(db_path).value();
    auto spans = store::SpanStore::Open(db);
    ASSERT_TRUE(spans.has_value()) << spans.error().ToString();
    std::vector<SpanData> run = SmallRun();
    ASSERT_TRUE((*spans)->Export(run).has_value());
  }
  HfsRun run = RunHfs(home_.path(),
                      std::string("trace ") + kRunId + " --usage-db sqlite://" + db_path.string());
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("6 spans"));
  EXPECT_THAT(run.output, HasSubstr("chat qwen-3-32b"));
}

TEST_F(TraceCliE2eTest, ADatabaseFromBeforeTheSpansTableHasNoSpans) {
  testing::TempDir db_dir;
  std::filesystem::path db_path = db_dir.path() / "usage.db";
  {
    std::unique_ptr<store::Database> db = store::OpenSqliteDatabase(db_path).value();
    ASSERT_EQ(store::ApplyMigrations(*db, store::StoreMigrations().first(1)).value(), 1);
  }
  HfsRun run = RunHfs(home_.path(),
                      std::string("trace ") + kRunId + " --usage-db sqlite://" + db_path.string());
  EXPECT_EQ(run.code, 2) << run.output;
  EXPECT_THAT(run.output, HasSubstr("no spans for '" + std::string(kRunId) + "'"));
}

TEST_F(TraceCliE2eTest, AnUnknownRunIsAUsageErrorThatSaysWhereItLooked) {
  HfsRun run = RunHfs(home_.path(), "trace no-such-run -o " + output_.path().string());
  EXPECT_EQ(run.code, 2) << run.output;
  EXPECT_THAT(run.output, HasSubstr("no trace for 'no-such-run'"));
  EXPECT_THAT(run.output, HasSubstr("no-such-run/trace.jsonl"));
}

TEST_F(TraceCliE2eTest, ACorruptFileFailsWithTheLine) {
  std::filesystem::path bad = output_.path() / "bad.jsonl";
  ASSERT_TRUE(WriteFileAtomic(bad, "{\"resourceSpans\": []}\n{oops\n").has_value());
  HfsRun run = RunHfs(home_.path(), "trace " + bad.string());
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("bad.jsonl:2"));
}

}  // namespace
}  // namespace hfs
