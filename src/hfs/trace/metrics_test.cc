#include "hfs/trace/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "hfs/testing/fake_clock.h"
#include "hfs/trace/otlp_json.h"

namespace hfs::trace {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

TEST(MetricsTest, CounterKeepsOnePointPerAttributeSet) {
  hfs::testing::FakeClock clock;
  MetricsRegistry registry(clock);
  Counter& calls = registry.GetCounter("hfs.llm.calls", "{call}", "LLM calls");
  calls.Add(1, {{"provider", "groq"}, {"phase", "claims"}});
  calls.Add(2, {{"phase", "claims"}, {"provider", "groq"}});  // same set, other order
  calls.Add(5, {{"provider", "cerebras"}});
  EXPECT_EQ(&registry.GetCounter("hfs.llm.calls", "{call}", "LLM calls"), &calls);

  MetricsSnapshot snapshot = registry.Snapshot();
  const MetricData* metric = snapshot.Find("hfs.llm.calls");
  ASSERT_NE(metric, nullptr);
  ASSERT_EQ(metric->sum_points.size(), 2u);
  // Points are ordered by their canonical attributes: "phase..." sorts before "provider".
  const SumPoint& groq = metric->sum_points[0];
  EXPECT_THAT(groq.attributes,
              ElementsAre(Attribute("phase", "claims"), Attribute("provider", "groq")));
  EXPECT_EQ(groq.value, (std::variant<int64_t, double>(int64_t{3})));
  EXPECT_THAT(metric->sum_points[1].attributes, ElementsAre(Attribute("provider", "cerebras")));
  EXPECT_EQ(metric->sum_points[1].value, (std::variant<int64_t, double>(int64_t{5})));
}

TEST(MetricsTest, CounterBecomesDoubleWhenADoubleIsAdded) {
  hfs::testing::FakeClock clock;
  MetricsRegistry registry(clock);
  Counter& cost = registry.GetCounter("hfs.cost", "USD", "");
  cost.Add(2);
  cost.Add(0.5);
  EXPECT_EQ(registry.Snapshot().metrics[0].sum_points[0].value,
            (std::variant<int64_t, double>(2.5)));
}

TEST(MetricsTest, HistogramBucketsIncludeTheirUpperBound) {
  hfs::testing::FakeClock clock;
  MetricsRegistry registry(clock);
  Histogram& h = registry.GetHistogram("d", "s", "", kHfsDurationBuckets);
  // bounds 0.1 0.5 1 2 5 10 30 60
  for (double v : {0.0, 0.1, 0.10001, 0.5, 1.0, 60.0, 60.5, 1000.0}) h.Record(v);
  MetricsSnapshot snapshot = registry.Snapshot();
  const HistogramPoint& point = snapshot.metrics[0].histogram_points.at(0);
  EXPECT_THAT(point.bucket_counts, ElementsAre(2, 2, 1, 0, 0, 0, 0, 1, 2));
  EXPECT_EQ(point.count, 8u);
  EXPECT_DOUBLE_EQ(point.sum, 0.1 + 0.10001 + 0.5 + 1.0 + 60.0 + 60.5 + 1000.0);
  EXPECT_EQ(point.min, 0.0);
  EXPECT_EQ(point.max, 1000.0);
  EXPECT_EQ(snapshot.metrics[0].bounds.size(), 8u);
}

TEST(MetricsTest, SemanticConventionBucketsAreExact) {
  EXPECT_EQ(kTokenUsageBuckets.front(), 1);
  EXPECT_EQ(kTokenUsageBuckets.back(), 67108864);
  for (size_t i = 1; i < kTokenUsageBuckets.size(); ++i) {
    EXPECT_EQ(kTokenUsageBuckets[i], kTokenUsageBuckets[i - 1] * 4);
  }
  EXPECT_EQ(kOperationDurationBuckets.front(), 0.01);
  EXPECT_EQ(kOperationDurationBuckets.back(), 81.92);
}

TEST(MetricsTest, ConcurrentRecordsAreAllCounted) {
  hfs::testing::FakeClock clock;
  MetricsRegistry registry(clock);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&registry] {
        for (int i = 0; i < 1000; ++i) {
          registry.GetCounter("c", "1", "").Add(1);
          registry.GetHistogram("h", "s", "", kHfsDurationBuckets).Record(1.5);
        }
      });
    }
  }
  MetricsSnapshot snapshot = registry.Snapshot();
  EXPECT_EQ(snapshot.Find("c")->sum_points[0].value,
            (std::variant<int64_t, double>(int64_t{8000})));
  EXPECT_EQ(snapshot.Find("h")->histogram_points[0].count, 8000u);
}

TEST(MetricsTest, EncodeMetricsShape) {
  hfs::testing::FakeClock clock;
  MetricsRegistry registry(clock);
  clock.Advance(std::chrono::seconds(5));
  registry.GetCounter("hfs.llm.calls", "{call}", "LLM calls").Add(3, {{"provider", "groq"}});
  Histogram& tokens =
      registry.GetHistogram("gen_ai.client.token.usage", "{token}", "tokens", kTokenUsageBuckets);
  tokens.Record(12, {{"gen_ai.token.type", "input"}});
  tokens.Record(900, {{"gen_ai.token.type", "input"}});
  clock.Advance(std::chrono::seconds(1));

  json doc = json::parse(EncodeMetrics(Resource{"hfs", "0.1.0", {}}, registry.Snapshot()));
  const json& scope = doc["resourceMetrics"][0]["scopeMetrics"][0];
  EXPECT_EQ(scope["scope"]["name"], "hfs");
  const json& metrics = scope["metrics"];
  ASSERT_EQ(metrics.size(), 2u);
  const json& histogram = metrics[0];
  EXPECT_EQ(histogram["name"], "gen_ai.client.token.usage");
  EXPECT_EQ(histogram["unit"], "{token}");
  EXPECT_EQ(histogram["histogram"]["aggregationTemporality"], 2);
  const json& point = histogram["histogram"]["dataPoints"][0];
  EXPECT_EQ(point["count"], "2");
  EXPECT_EQ(point["sum"], 912.0);
  EXPECT_EQ(point["min"], 12.0);
  EXPECT_EQ(point["max"], 900.0);
  EXPECT_EQ(point["explicitBounds"].size(), 14u);
  ASSERT_EQ(point["bucketCounts"].size(), 15u);
  EXPECT_EQ(point["bucketCounts"][2], "1");  // 12 in (4, 16]
  EXPECT_EQ(point["bucketCounts"][5], "1");  // 900 in (256, 1024]
  EXPECT_EQ(point["bucketCounts"][0], "0");
  EXPECT_EQ(point["attributes"][0]["key"], "gen_ai.token.type");
  EXPECT_EQ(point["startTimeUnixNano"], "1767225600000000000");
  EXPECT_EQ(point["timeUnixNano"], "1767225606000000000");

  const json& sum = metrics[1]["sum"];
  EXPECT_EQ(sum["aggregationTemporality"], 2);
  EXPECT_EQ(sum["isMonotonic"], true);
  EXPECT_EQ(sum["dataPoints"][0]["asInt"], "3");
  EXPECT_EQ(sum["dataPoints"][0]["startTimeUnixNano"], "1767225600000000000");
}

}  // namespace
}  // namespace hfs::trace
