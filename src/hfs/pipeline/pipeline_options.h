// hfs/pipeline/pipeline_options.h
//
// The run-level options of the pipeline, as read from the config: `pressure` (temperature,
// negotiation rounds, escalation, budgets, validation checks), `arbiter` and `output`.
// Defaults equal the original HFS.
//
//   PressureOptions pressure;              // 1.0 / 0.15 / 0.1 / 10 rounds / 2
//   pressure.max_negotiation_rounds = 7;
//
// Plain value types.
#pragma once

#include <string>
#include <vector>

#include "hfs/agent/budget_limits.h"
#include "hfs/page/page_outline.h"

namespace hfs::pipeline {

struct PressureOptions {
  double initial_temperature = 1.0;
  double temperature_decay = 0.15;
  // At or below this temperature no new claims are accepted.
  double freeze_threshold = 0.1;
  int max_negotiation_rounds = 10;
  // Rounds without progress after which a contested section goes to the arbiter.
  int escalation_threshold = 2;
  // The most of its earlier steps an agent re-sends, in estimated tokens: older steps of
  // the phase are dropped whole, earlier phases are carried by their summaries.
  int history_window_tokens = 6000;
  // Sized from the realistic benchmark with headroom (docs/benchmarks.md).
  agent::BudgetLimits global_budget{.tokens = 1000000, .tool_calls = 1000, .time_ms = 1800000};
  agent::BudgetLimits per_triad_max{.tokens = 160000, .tool_calls = 120, .time_ms = 900000};
  agent::Enforcement enforcement = agent::Enforcement::kHard;
  // Names from kValidationChecks.
  std::vector<std::string> validation;
};

inline constexpr const char* kValidationChecks[] = {
    "must_compile",       "must_render",         "no_contradictions",
    "accessibility_a11y", "accessibility_basic", "performance_budget",
};

struct ArbiterOptions {
  std::string model = "claude-sonnet-4-20250514";
  int max_tokens = 2000;
  double temperature = 0.3;
};

enum class OutputFormat { kReact, kVue, kSvelte, kHtml, kVanilla };
enum class StyleSystem { kTailwind, kCssModules, kStyledComponents, kVanilla };

inline constexpr const char* kOutputFormatNames[] = {"react", "vue", "svelte", "html", "vanilla"};
inline constexpr const char* kStyleSystemNames[] = {"tailwind", "css-modules", "styled-components",
                                                    "vanilla"};

struct OutputOptions {
  OutputFormat format = OutputFormat::kReact;
  // Only kVanilla (plain CSS, scoped to each region by the composer) is supported by the
  // build toolchain; the config loader refuses the others.
  StyleSystem style_system = StyleSystem::kVanilla;
  bool include_emergent_report = true;
  bool include_negotiation_log = false;
};

// The page's plan: regions fixed by the config (`page.regions`, and sections declared
// `kind: region`), or none, in which case the input phase plans them from the request.
struct PageOptions {
  std::vector<page::Region> regions;
  // Override the planned title and language when set.
  std::string title;
  std::string language;
};

}  // namespace hfs::pipeline
