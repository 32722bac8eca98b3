// EmergentObserver: the §4.1 heuristics over the frozen spec and the merged files.
#include "hfs/pipeline/emergent_observer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

namespace hfs::pipeline {
namespace {

struct StyleCategory {
  std::string_view name;
  std::vector<std::string_view> indicators;
};

const std::vector<StyleCategory>& StyleCategories() {
  static const std::vector<StyleCategory> categories = {
      {"minimal", {"simple", "clean", "minimal", "whitespace"}},
      {"dark-mode-first", {"dark", "bg-gray-9", "bg-slate-9", "bg-black"}},
      {"motion-forward", {"animation", "transition", "motion", "animate"}},
      {"content-dense", {"compact", "dense", "grid", "columns"}},
      {"colorful", {"gradient", "rainbow", "colorful", "vibrant"}},
      {"accessible", {"aria-", "role=", "sr-only", "focus:"}},
  };
  return categories;
}

int CountFound(const std::string& text, const std::vector<std::string_view>& needles) {
  return static_cast<int>(std::count_if(needles.begin(), needles.end(), [&](std::string_view n) {
    return text.find(n) != std::string::npos;
  }));
}

bool AnyFound(const std::string& text, const std::vector<std::string_view>& needles) {
  return CountFound(text, needles) > 0;
}

// Every merged file, lower-cased and concatenated; empty without merged files.
std::string MergedText(const MergedOutput* merged) {
  std::string text;
  if (merged == nullptr) return text;
  for (const auto& [path, content] : merged->files) text += content + "\n";
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

double Coherence(const ObserverInput& input) {
  const std::vector<spec::Section>& sections = input.spec->Sections();
  double score = 1.0;
  auto with_content = std::count_if(sections.begin(), sections.end(),
                                    [](const spec::Section& s) { return s.content.has_value(); });
  score *= static_cast<double>(with_content) / static_cast<double>(sections.size());
  size_t contested = input.spec->Contested().size();
  if (contested > 0) score *= std::max(0.5, 1.0 - 0.1 * static_cast<double>(contested));
  if (input.staged != nullptr && !input.staged->empty()) {
    auto producing = std::count_if(input.staged->begin(), input.staged->end(),
                                   [](const auto& entry) { return !entry.second.empty(); });
    score *= static_cast<double>(producing) / static_cast<double>(input.staged->size());
  }
  return std::clamp(score, 0.0, 1.0);
}

double StyleConsistency(const std::string& text, std::vector<std::string>& implicit_styles) {
  if (text.empty()) return 0.5;
  int detected = 0;
  for (const StyleCategory& category : StyleCategories()) {
    int found = CountFound(text, category.indicators);
    if (found > 0) ++detected;
    if (found >= 2) implicit_styles.emplace_back(category.name);
  }
  return StyleScore(detected);
}

double InteractionConsistency(const std::string& text) {
  if (text.empty()) return 0.5;
  int timing = CountFound(text, {"duration-", "delay-", "transition", "ease-"});
  int feedback = CountFound(text, {"hover:", "focus:", "active:", "click", "onclick"});
  return InteractionScore(timing, feedback);
}

using Pair = std::pair<std::string, std::string>;

void AddPairs(const std::set<std::string>& triads, std::map<Pair, int>& counts) {
  for (auto a = triads.begin(); a != triads.end(); ++a) {
    for (auto b = std::next(a); b != triads.end(); ++b) counts[{*a, *b}] += 1;
  }
}

// +1 per section both triads acted on (history, "system" and "arbiter" excluded), +1 per
// section both currently claim.
std::map<Pair, int> Collaboration(const spec::Spec& spec) {
  std::map<std::string, std::set<std::string>> by_section;
  for (const spec::SectionHistoryEntry& entry : spec.FullHistory()) {
    const std::string& by = entry.entry.by;
    if (by != "system" && by != "arbiter") by_section[entry.section].insert(by);
  }
  std::map<Pair, int> counts;
  for (const auto& [section, triads] : by_section) AddPairs(triads, counts);
  for (const spec::Section& section : spec.Sections()) {
    AddPairs(std::set<std::string>(section.claims.begin(), section.claims.end()), counts);
  }
  return counts;
}

// Pairs above the mean count, merged into groups of connected triads.
std::vector<std::vector<std::string>> Clusters(const std::map<Pair, int>& counts) {
  std::vector<std::set<std::string>> groups;
  if (counts.empty()) return {};
  double mean = 0;
  for (const auto& [pair, count] : counts) mean += count;
  mean /= static_cast<double>(counts.size());
  for (const auto& [pair, count] : counts) {
    if (count <= mean) continue;
    std::set<std::string> merged = {pair.first, pair.second};
    std::vector<std::set<std::string>> kept;
    for (std::set<std::string>& group : groups) {
      if (group.count(pair.first) != 0 || group.count(pair.second) != 0) {
        merged.insert(group.begin(), group.end());
      } else {
        kept.push_back(std::move(group));
      }
    }
    kept.push_back(std::move(merged));
    groups = std::move(kept);
  }
  std::vector<std::vector<std::string>> sorted;
  for (const std::set<std::string>& group : groups) {
    if (group.size() >= 2) sorted.emplace_back(group.begin(), group.end());
  }
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

EmergentIssues FindIssues(const ObserverInput& input, const std::string& text) {
  EmergentIssues issues;
  for (const spec::Section& section : input.spec->Sections()) {
    if (!section.owner.has_value()) {
      issues.sections_without_owner.push_back(section.name);
    } else if (!section.content.has_value()) {
      issues.coverage_gaps.push_back(section.name + " (no content)");
    }
    if (input.merged != nullptr && !input.merged->files.empty()) {
      auto paths = input.merged->files_by_section.find(section.name);
      if (paths == input.merged->files_by_section.end() || paths->second.empty()) {
        issues.coverage_gaps.push_back(section.name + " (no files)");
      }
    }
  }
  if (!text.empty()) {
    for (std::string_view gap :
         {"error-states", "empty-states", "loading-transitions", "edge-cases"}) {
      size_t dash = gap.find('-');
      if (!AnyFound(text, {gap.substr(0, dash), gap.substr(dash + 1)})) {
        issues.coverage_gaps.emplace_back(gap);
      }
    }
  }
  for (const spec::SectionHistoryEntry& entry : input.spec->FullHistory()) {
    if (entry.entry.by == "arbiter" &&
        (entry.entry.action == "assigned" || entry.entry.action == "split")) {
      ++issues.escalation_count;
    }
  }
  if (input.validation != nullptr) {
    for (const ValidationIssue& issue : input.validation->issues) {
      // The rendered page (hfs/pipeline/external_validators.h): a section whose root is
      // missing, hidden or empty is a coverage gap; axe's contrast findings a tension.
      if (issue.validator == "chromium" && !issue.section.empty() &&
          (issue.rule == "section-missing" || issue.rule == "section-hidden" ||
           issue.rule == "section-empty")) {
        issues.coverage_gaps.push_back(issue.section + " (not rendered)");
      }
      if (issue.validator == "axe-core" && issue.rule == "color-contrast" &&
          std::find(issues.unresolved_tensions.begin(), issues.unresolved_tensions.end(),
                    "low contrast in the rendered page") == issues.unresolved_tensions.end()) {
        issues.unresolved_tensions.push_back("low contrast in the rendered page");
      }
      std::string lower = issue.message;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (issue.severity == Severity::kWarning && (lower.find("conflict") != std::string::npos ||
                                                   lower.find("tension") != std::string::npos)) {
        issues.unresolved_tensions.push_back(issue.message);
      }
    }
  }
  if (AnyFound(text, {"animation", "animate", "keyframes"}) &&
      AnyFound(text, {"lazy", "defer", "optimize", "performance"})) {
    issues.unresolved_tensions.push_back("animation vs performance");
  }
  if (AnyFound(text, {"text-gray-4", "text-slate-4", "opacity-50", "subtle"}) &&
      AnyFound(text, {"aria-", "wcag", "accessible", "contrast"})) {
    issues.unresolved_tensions.push_back("subtle styling vs contrast");
  }
  return issues;
}

std::vector<std::string> Recommendations(const EmergentReport& report) {
  std::vector<std::string> out;
  const EmergentMetrics& m = report.metrics;
  if (m.coherence < 0.7)
    out.push_back(
        "Coherence is low: give every section content and settle contested sections before "
        "execution.");
  if (m.style_consistency < 0.6)
    out.push_back("Style is inconsistent: agree on one visual direction in the spec.");
  if (m.interaction_consistency < 0.6)
    out.push_back("Interactions are inconsistent: share timing and hover/focus conventions.");
  auto top = std::max_element(report.collaboration.begin(), report.collaboration.end(),
                              [](const auto& a, const auto& b) { return a.second < b.second; });
  if (top != report.collaboration.end() && top->second > 3) {
    out.push_back(fmt::format("Triads {} overlap a lot ({}); consider merging their scopes.",
                              top->first, top->second));
  }
  if (report.issues.escalation_count > 2)
    out.push_back("Many arbiter decisions: make the triads' primary scopes disjoint.");
  if (!report.issues.sections_without_owner.empty())
    out.push_back("Some sections have no owner: assign them before freezing.");
  if (report.issues.coverage_gaps.size() > 2)
    out.push_back("Several coverage gaps: cover error, empty and loading states and edge cases.");
  for (const std::string& style : report.implicit_styles) {
    out.push_back(
        fmt::format("An implicit '{}' style emerged; make it explicit in the spec.", style));
  }
  return out;
}

}  // namespace

double StyleScore(int detected_categories) {
  switch (detected_categories) {
    case 0:
      return 0.6;
    case 1:
      return 0.95;
    case 2:
      return 0.8;
    case 3:
      return 0.65;
    default:
      return std::max(0.4, 1.0 - 0.1 * detected_categories);
  }
}

double InteractionScore(int timing, int feedback) {
  if (timing == 0 && feedback == 0) return 0.5;
  if (timing <= 2 && feedback <= 3) return 0.85;
  if (timing <= 4 && feedback <= 6) return 0.75;
  return 0.6;
}

std::string OverallHealth(const EmergentIssues& issues, double average) {
  if (!issues.sections_without_owner.empty() || !issues.coverage_gaps.empty() || average < 0.5) {
    return "unhealthy";
  }
  if (issues.Total() > 3 || average < 0.7) return "needs_attention";
  return "healthy";
}

EmergentReport EmergentObserver::Observe(const ObserverInput& input) const {
  EmergentReport report;
  std::string text = MergedText(input.merged);
  EmergentMetrics& m = report.metrics;
  m.coherence = Coherence(input);
  m.style_consistency = StyleConsistency(text, report.implicit_styles);
  m.interaction_consistency = InteractionConsistency(text);
  m.average = (m.coherence + m.style_consistency + m.interaction_consistency) / 3.0;
  std::map<Pair, int> pairs = Collaboration(*input.spec);
  for (const auto& [pair, count] : pairs)
    report.collaboration[pair.first + "-" + pair.second] = count;
  report.clusters = Clusters(pairs);
  report.issues = FindIssues(input, text);
  report.recommendations = Recommendations(report);
  report.overall_health = OverallHealth(report.issues, m.average);
  return report;
}

nlohmann::json EmergentReportToJson(const EmergentReport& report) {
  const EmergentMetrics& m = report.metrics;
  const EmergentIssues& issues = report.issues;
  return {
      {"metrics",
       {{"coherence_score", m.coherence},
        {"style_consistency", m.style_consistency},
        {"interaction_consistency", m.interaction_consistency},
        {"average_score", m.average}}},
      {"patterns",
       {{"implicit_styles", report.implicit_styles},
        {"collaboration", report.collaboration},
        {"clusters", report.clusters}}},
      {"issues",
       {{"sections_without_owner", issues.sections_without_owner},
        {"coverage_gaps", issues.coverage_gaps},
        {"escalation_count", issues.escalation_count},
        {"unresolved_tensions", issues.unresolved_tensions}}},
      {"recommendations", report.recommendations},
      {"overall_health", report.overall_health},
  };
}

}  // namespace hfs::pipeline
