// Issue #17, finding 10: spans written to the SQL span store survive a short database
// outage. The run's telemetry writes spans into a private mariadbd that this test starts
// (temp datadir, free port on 127.0.0.1), kills with SIGKILL in the middle of the run and
// starts again on the same datadir and port. Without mariadb-server installed the tests
// are skipped with the reason.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include "hfs/app/telemetry.h"
#include "hfs/store/mariadb_test_server.h"
#include "hfs/store/open_database.h"
#include "hfs/store/span_store.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr int kSpansPerPhase = 20;
constexpr char kRunId[] = "outage-run";

class SpanStoreOutageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string reason = store::MariaDbTestServer::MissingReason(); !reason.empty()) {
      GTEST_SKIP() << reason;
    }
    auto started = server_.Start({});
    ASSERT_TRUE(started.has_value()) << started.error().ToString();
    auto db = store::OpenDatabase(server_.Url());
    ASSERT_TRUE(db.has_value()) << db.error().ToString();
    std::shared_ptr<store::Database> shared = std::move(*db);
    std::ostringstream warnings;
    auto telemetry = StartTelemetry({.sql_export = true},
                                    {.clock = clock_,
                                     .run_dir = run_dir_.path(),
                                     .usage_database = shared,
                                     .batch = {.max_batch_size = 8, .schedule_delay = 50ms}},
                                    warnings);
    ASSERT_TRUE(telemetry.has_value()) << telemetry.error().ToString();
    ASSERT_EQ(warnings.str(), "");
    telemetry_ = std::move(*telemetry);
    run_.emplace(
        telemetry_->tracer().StartSpan("hfs.run", {.attributes = {{"hfs.run.id", kRunId}}}));
  }

  // One phase span with kSpansPerPhase children, then a flush to the sinks.
  void RunPhase(const std::string& name) {
    trace::Span phase = telemetry_->tracer().StartSpan(name, {.parent = run_->context()});
    for (int i = 0; i < kSpansPerPhase; ++i) {
      telemetry_->tracer().StartSpan("execute_tool x", {.parent = phase.context()}).End();
    }
    phase.End();
    (void)telemetry_->tracer().ForceFlush();
  }

  static constexpr uint64_t kTotalSpans = 1 + 3 * (1 + kSpansPerPhase);

  store::MariaDbTestServer server_;
  SystemClock clock_;
  testing::TempDir run_dir_;
  std::unique_ptr<Telemetry> telemetry_;
  std::optional<trace::Span> run_;
};

TEST_F(SpanStoreOutageTest, AKilledAndRestartedDatabaseLosesNoSpan) {
  RunPhase("hfs.phase.input");
  server_.Kill();
  RunPhase("hfs.phase.claims");  // the database is down: these are kept
  auto restarted = server_.Restart();
  ASSERT_TRUE(restarted.has_value()) << restarted.error().ToString();
  RunPhase("hfs.phase.output");
  run_->End();
  ASSERT_TRUE(telemetry_->Shutdown().has_value());

  TelemetryStats stats = telemetry_->stats();
  EXPECT_EQ(stats.sql.stored, kTotalSpans);
  EXPECT_EQ(stats.sql.lost, 0u);
  EXPECT_THAT(telemetry_->DeliverySummary(),
              HasSubstr(fmt::format("SQL ({0} of {0} spans stored)", kTotalSpans)));
  auto db = store::OpenDatabase(server_.Url());
  ASSERT_TRUE(db.has_value()) << db.error().ToString();
  auto spans = store::LoadRunSpans(**db, kRunId);
  ASSERT_TRUE(spans.has_value()) << spans.error().ToString();
  ASSERT_EQ(spans->size(), kTotalSpans);
  std::set<std::string> ids;
  for (const trace::SpanData& span : *spans) ids.insert(ToHex(span.span_id));
  for (const trace::SpanData& span : *spans) {
    if (!span.IsRoot()) {
      EXPECT_TRUE(ids.count(ToHex(span.parent_span_id))) << span.name;
    }
  }
}

TEST_F(SpanStoreOutageTest, ADatabaseThatStaysDownIsReportedWithWhatWasLostAndWhy) {
  RunPhase("hfs.phase.input");
  server_.Kill();
  RunPhase("hfs.phase.claims");
  run_->End();
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(telemetry_->Shutdown().has_value());
  // The store retries for its 5 s window, then gives up.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
  TelemetryStats stats = telemetry_->stats();
  const uint64_t lost = 1 + 1 + kSpansPerPhase;  // the claims phase and the root
  EXPECT_EQ(stats.sql.stored, 1u + kSpansPerPhase);
  EXPECT_EQ(stats.sql.lost, lost);
  EXPECT_THAT(telemetry_->DeliverySummary(),
              HasSubstr(fmt::format("SQL ({} of {} spans stored; {} lost: span store: ",
                                    1 + kSpansPerPhase, 1 + lost + kSpansPerPhase, lost)));
  EXPECT_THAT(stats.sql.loss_reason, HasSubstr("after the run ended"));
  EXPECT_THAT(stats.sql.loss_reason, Not(HasSubstr(server_.password())));  // no password
}

}  // namespace
}  // namespace hfs::app
