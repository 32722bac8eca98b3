#include "hfs/trace/instruments.h"

#include <gtest/gtest.h>

#include "hfs/testing/fake_clock.h"
#include "hfs/trace/metrics.h"

namespace hfs::trace {
namespace {

int64_t SumOf(const MetricsSnapshot& snapshot, std::string_view name) {
  const MetricData* metric = snapshot.Find(name);
  if (metric == nullptr) return -1;
  int64_t total = 0;
  for (const SumPoint& point : metric->sum_points) total += std::get<int64_t>(point.value);
  return total;
}

TEST(InstrumentsTest, NullRegistryIsFine) {
  RecordPhase(nullptr, "claims", std::chrono::seconds(1), PhaseOutcome::kSucceeded);
  RecordChat(nullptr, {.provider = "groq"});
}

TEST(InstrumentsTest, PhaseOutcomesAndDurations) {
  hfs::testing::FakeClock clock;
  MetricsRegistry metrics(clock);
  RecordPhase(&metrics, "claims", std::chrono::milliseconds(300), PhaseOutcome::kSucceeded);
  RecordPhase(&metrics, "execution", std::chrono::seconds(7), PhaseOutcome::kFailed);
  MetricsSnapshot snapshot = metrics.Snapshot();
  EXPECT_EQ(SumOf(snapshot, "hfs.phase.success.count"), 1);
  EXPECT_EQ(SumOf(snapshot, "hfs.phase.failure.count"), 1);
  const MetricData* duration = snapshot.Find("hfs.phase.duration");
  ASSERT_NE(duration, nullptr);
  EXPECT_EQ(duration->bounds, std::vector<double>({0.1, 0.5, 1, 2, 5, 10, 30, 60}));
  ASSERT_EQ(duration->histogram_points.size(), 2u);
}

TEST(InstrumentsTest, TokensPerTriadAgentAndCall) {
  hfs::testing::FakeClock clock;
  MetricsRegistry metrics(clock);
  RecordTriad(
      &metrics,
      {.triad = "layout", .phase = "execution", .prompt_tokens = 100, .completion_tokens = 20});
  RecordAgent(&metrics, {.agent = "layout_worker_a",
                         .role = "worker_a",
                         .triad = "layout",
                         .phase = "execution",
                         .prompt_tokens = 60,
                         .completion_tokens = 5});
  RecordChat(&metrics, {.provider = "groq",
                        .request_model = "m",
                        .duration = std::chrono::seconds(1),
                        .input_tokens = 60,
                        .output_tokens = 5});
  RecordChat(&metrics,
             {.provider = "groq", .request_model = "m", .error_type = "429", .rate_limited = true});
  MetricsSnapshot snapshot = metrics.Snapshot();
  EXPECT_EQ(SumOf(snapshot, "hfs.tokens.prompt"), 100);
  EXPECT_EQ(SumOf(snapshot, "hfs.tokens.total"), 120);
  EXPECT_EQ(SumOf(snapshot, "hfs.agent.tokens"), 65);
  EXPECT_EQ(SumOf(snapshot, "hfs.llm.rate_limited"), 1);
  const MetricData* usage = snapshot.Find("gen_ai.client.token.usage");
  ASSERT_NE(usage, nullptr);
  double recorded = 0;
  for (const HistogramPoint& point : usage->histogram_points) recorded += point.sum;
  EXPECT_EQ(recorded, 65);  // the failed call records no tokens
  const MetricData* duration = snapshot.Find("gen_ai.client.operation.duration");
  ASSERT_NE(duration, nullptr);
  EXPECT_EQ(duration->histogram_points.size(), 2u);  // with and without error.type
}

}  // namespace
}  // namespace hfs::trace
