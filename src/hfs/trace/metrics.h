// hfs/trace/metrics.h
//
// MetricsRegistry: monotonic counters and explicit-bucket histograms, one data point per
// distinct attribute set, cumulative since the registry was created. Snapshot() copies
// the current values for export (EncodeMetrics in otlp_json.h) or inspection.
//
//   MetricsRegistry metrics(clock);
//   Histogram& tokens = metrics.GetHistogram("gen_ai.client.token.usage", "{token}",
//                                            "Tokens per call", kTokenUsageBuckets);
//   tokens.Record(812, {{"gen_ai.token.type", "input"}, {"gen_ai.provider.name", "groq"}});
//   metrics.GetCounter("hfs.llm.calls", "{call}", "LLM calls").Add(1, {{"hfs.phase", "claims"}});
//
// Thread-safe. Instruments live as long as the registry; the same name returns the same
// instrument (asking for a counter under a histogram's name, or the reverse, is a bug
// and aborts). A histogram bucket i counts values v with bounds[i-1] < v <= bounds[i].
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/mutex.h"
#include "hfs/trace/attributes.h"

namespace hfs::trace {

// gen_ai.client.token.usage ({token}), OpenTelemetry GenAI semantic conventions.
inline constexpr std::array<double, 14> kTokenUsageBuckets = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864};
// gen_ai.client.operation.duration (s).
inline constexpr std::array<double, 14> kOperationDurationBuckets = {
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92};
// HFS phase, triad and agent durations (s).
inline constexpr std::array<double, 8> kHfsDurationBuckets = {0.1, 0.5, 1, 2, 5, 10, 30, 60};

enum class MetricKind { kCounter, kHistogram };

struct SumPoint {
  Attributes attributes;                // sorted by key
  std::variant<int64_t, double> value;  // int64 until a double is added
};

struct HistogramPoint {
  Attributes attributes;  // sorted by key
  uint64_t count = 0;
  double sum = 0;
  double min = 0;  // meaningful when count > 0
  double max = 0;
  std::vector<uint64_t> bucket_counts;  // bounds.size() + 1 entries
};

struct MetricData {
  std::string name;
  std::string unit;
  std::string description;
  MetricKind kind = MetricKind::kCounter;
  std::vector<double> bounds;                    // histograms only
  std::vector<SumPoint> sum_points;              // counters
  std::vector<HistogramPoint> histogram_points;  // histograms
};

struct MetricsSnapshot {
  Timestamp start_time;             // registry creation
  Timestamp time;                   // when the snapshot was taken
  std::vector<MetricData> metrics;  // sorted by name

  // The metric named `name`, or nullptr.
  const MetricData* Find(std::string_view name) const;
};

class Counter {
 public:
  // value >= 0 (a counter only goes up).
  template <std::integral T>
  void Add(T value, const Attributes& attributes = {}) {
    AddInt(static_cast<int64_t>(value), attributes);
  }
  void Add(double value, const Attributes& attributes = {});

 private:
  friend class MetricsRegistry;
  struct Point {
    Attributes attributes;
    int64_t int_sum = 0;
    double double_sum = 0;
    bool has_double = false;
  };
  void AddInt(int64_t value, const Attributes& attributes);
  Point& PointFor(const Attributes& attributes) HFS_REQUIRES(mu_);
  void AppendTo(MetricData& metric) const;

  mutable Mutex mu_;
  std::map<std::string, Point> points_ HFS_GUARDED_BY(mu_);  // by canonical attributes
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Record(double value, const Attributes& attributes = {});
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  friend class MetricsRegistry;
  void AppendTo(MetricData& metric) const;

  const std::vector<double> bounds_;
  mutable Mutex mu_;
  std::map<std::string, HistogramPoint> points_ HFS_GUARDED_BY(mu_);
};

class MetricsRegistry {
 public:
  explicit MetricsRegistry(Clock& clock);

  Counter& GetCounter(const std::string& name, const std::string& unit,
                      const std::string& description);
  // `bounds` must be strictly increasing; a second call with the same name returns the
  // first histogram and ignores these bounds.
  Histogram& GetHistogram(const std::string& name, const std::string& unit,
                          const std::string& description, std::span<const double> bounds);

  MetricsSnapshot Snapshot() const;

 private:
  struct Instrument {
    std::string unit;
    std::string description;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Histogram> histogram;
  };

  Clock& clock_;
  const Timestamp start_time_;
  mutable Mutex mu_;
  std::map<std::string, Instrument> instruments_ HFS_GUARDED_BY(mu_);
};

}  // namespace hfs::trace
