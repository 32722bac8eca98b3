// hfs/pipeline/emergent_observer.h
//
// EmergentObserver: the emergent-quality heuristics of the original HFS (hfs-original
// §4.1), computed on the frozen spec and the real merged files: coherence (content and
// contest state of the sections, share of triads that staged files), style consistency
// and interaction consistency (keyword indicators over the merged file contents), their
// average, implicit styles, collaboration pairs and clusters from the spec history,
// issues (sections without owner, coverage gaps, arbiter decisions, tensions),
// recommendations and an overall health: "healthy", "needs_attention" or "unhealthy".
//
//   EmergentReport report = EmergentObserver().Observe(
//       {.spec = &spec, .merged = &merged, .staged = &staged, .validation = &result});
//   if (report.overall_health == "unhealthy") Warn(report.recommendations);
//   nlohmann::json json = EmergentReportToJson(report);
//
// Pure; thread-safe. Observe never fails; missing inputs (null pointers) count as empty.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "hfs/pipeline/merger.h"
#include "hfs/pipeline/validator.h"
#include "hfs/spec/spec.h"

namespace hfs::pipeline {

struct ObserverInput {
  const spec::Spec* spec = nullptr;  // required
  const MergedOutput* merged = nullptr;
  // What each triad staged in the execution phase (for the coherence ratio).
  const StagedFilesByTriad* staged = nullptr;
  const ValidationResult* validation = nullptr;
};

struct EmergentMetrics {
  double coherence = 0;
  double style_consistency = 0;
  double interaction_consistency = 0;
  double average = 0;
};

struct EmergentIssues {
  std::vector<std::string> sections_without_owner;
  // "<section> (no content)", "<section> (no files)", "<section> (not rendered)" (its root
  // missing, hidden or empty in the rendered page) and the generic gaps
  // ("error-states", "empty-states", "loading-transitions", "edge-cases").
  std::vector<std::string> coverage_gaps;
  // Arbiter decisions in the history (assign, merge and split alike).
  int escalation_count = 0;
  std::vector<std::string> unresolved_tensions;

  int Total() const {
    return static_cast<int>(sections_without_owner.size() + coverage_gaps.size() +
                            unresolved_tensions.size()) +
           escalation_count;
  }
};

struct EmergentReport {
  EmergentMetrics metrics;
  // Style categories with at least two indicators in the merged files.
  std::vector<std::string> implicit_styles;
  // "a-b" (a < b) -> how often the two triads worked on the same section.
  std::map<std::string, int> collaboration;
  // Groups of triads whose pairs collaborate more than the mean, each sorted.
  std::vector<std::vector<std::string>> clusters;
  EmergentIssues issues;
  std::vector<std::string> recommendations;
  std::string overall_health;
};

class EmergentObserver {
 public:
  EmergentReport Observe(const ObserverInput& input) const;
};

// The style score for a number of detected style categories (0 -> 0.6, 1 -> 0.95,
// 2 -> 0.8, 3 -> 0.65, n >= 4 -> max(0.4, 1 - 0.1 n)).
double StyleScore(int detected_categories);
// The interaction score for the timing and feedback indicator counts.
double InteractionScore(int timing, int feedback);
// "unhealthy", "needs_attention" or "healthy" for a report's issues and average.
std::string OverallHealth(const EmergentIssues& issues, double average);

// {"metrics": {..., "average_score"}, "patterns": {"implicit_styles", "collaboration",
// "clusters"}, "issues": {...}, "recommendations": [...], "overall_health": "..."}.
nlohmann::json EmergentReportToJson(const EmergentReport& report);

}  // namespace hfs::pipeline
