#include "hfs/trace/metrics.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "hfs/base/check.h"
#include "hfs/trace/attribute_json.h"

namespace hfs::trace {
namespace {

// Attributes sorted by key, and their JSON text as the identity of a data point.
std::pair<std::string, Attributes> Canonical(const Attributes& attributes) {
  Attributes sorted = attributes;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Attribute& a, const Attribute& b) { return a.key < b.key; });
  return {AttributesToJson(sorted).dump(), std::move(sorted)};
}

}  // namespace

const MetricData* MetricsSnapshot::Find(std::string_view name) const {
  auto it = std::find_if(metrics.begin(), metrics.end(),
                         [&](const MetricData& metric) { return metric.name == name; });
  return it == metrics.end() ? nullptr : &*it;
}

void Counter::AddInt(int64_t value, const Attributes& attributes) {
  HFS_CHECK(value >= 0, "a counter cannot decrease");
  MutexLock lock(mu_);
  PointFor(attributes).int_sum += value;
}

void Counter::Add(double value, const Attributes& attributes) {
  HFS_CHECK(value >= 0, "a counter cannot decrease");
  MutexLock lock(mu_);
  Point& point = PointFor(attributes);
  point.double_sum += value;
  point.has_double = true;
}

Counter::Point& Counter::PointFor(const Attributes& attributes) {
  auto [key, sorted] = Canonical(attributes);
  auto [it, inserted] = points_.try_emplace(std::move(key));
  if (inserted) it->second.attributes = std::move(sorted);
  return it->second;
}

void Counter::AppendTo(MetricData& metric) const {
  MutexLock lock(mu_);
  for (const auto& [key, point] : points_) {
    SumPoint out{point.attributes, point.int_sum};
    if (point.has_double) out.value = static_cast<double>(point.int_sum) + point.double_sum;
    metric.sum_points.push_back(std::move(out));
  }
}

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  HFS_CHECK(std::adjacent_find(bounds_.begin(), bounds_.end(), std::greater_equal<double>()) ==
                bounds_.end(),
            "histogram bounds must be strictly increasing");
}

void Histogram::Record(double value, const Attributes& attributes) {
  if (std::isnan(value)) return;
  auto [key, sorted] = Canonical(attributes);
  // The first bound >= value: bucket i holds bounds[i-1] < v <= bounds[i].
  size_t bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  MutexLock lock(mu_);
  auto [it, inserted] = points_.try_emplace(std::move(key));
  HistogramPoint& point = it->second;
  if (inserted) {
    point.attributes = std::move(sorted);
    point.bucket_counts.assign(bounds_.size() + 1, 0);
    point.min = point.max = value;
  }
  ++point.count;
  point.sum += value;
  point.min = std::min(point.min, value);
  point.max = std::max(point.max, value);
  ++point.bucket_counts[bucket];
}

void Histogram::AppendTo(MetricData& metric) const {
  metric.bounds = bounds_;
  MutexLock lock(mu_);
  for (const auto& [key, point] : points_) metric.histogram_points.push_back(point);
}

MetricsRegistry::MetricsRegistry(Clock& clock) : clock_(clock), start_time_(clock.Now()) {}

Counter& MetricsRegistry::GetCounter(const std::string& name, const std::string& unit,
                                     const std::string& description) {
  MutexLock lock(mu_);
  auto [it, inserted] = instruments_.try_emplace(name);
  Instrument& instrument = it->second;
  if (inserted) {
    instrument = Instrument{unit, description, std::make_unique<Counter>(), nullptr};
  }
  HFS_CHECK(instrument.counter != nullptr, "metric " + name + " is a histogram, not a counter");
  return *instrument.counter;
}

Histogram& MetricsRegistry::GetHistogram(const std::string& name, const std::string& unit,
                                         const std::string& description,
                                         std::span<const double> bounds) {
  MutexLock lock(mu_);
  auto [it, inserted] = instruments_.try_emplace(name);
  Instrument& instrument = it->second;
  if (inserted) {
    auto histogram = std::make_unique<Histogram>(std::vector<double>(bounds.begin(), bounds.end()));
    instrument = Instrument{unit, description, nullptr, std::move(histogram)};
  }
  HFS_CHECK(instrument.histogram != nullptr, "metric " + name + " is a counter, not a histogram");
  return *instrument.histogram;
}

MetricsSnapshot MetricsRegistry::Snapshot() const {
  MetricsSnapshot snapshot{start_time_, clock_.Now(), {}};
  MutexLock lock(mu_);
  for (const auto& [name, instrument] : instruments_) {
    MetricData metric{name, instrument.unit, instrument.description};
    if (instrument.counter) {
      metric.kind = MetricKind::kCounter;
      instrument.counter->AppendTo(metric);
    } else {
      metric.kind = MetricKind::kHistogram;
      instrument.histogram->AppendTo(metric);
    }
    snapshot.metrics.push_back(std::move(metric));
  }
  return snapshot;
}

}  // namespace hfs::trace
