#include "hfs/app/config_summary.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "hfs/triad/preset.h"

namespace hfs::app {

std::string OutputDescription(const pipeline::OutputOptions& output) {
  return fmt::format("{} + {}", pipeline::kOutputFormatNames[static_cast<int>(output.format)],
                     pipeline::kStyleSystemNames[static_cast<int>(output.style_system)]);
}

std::string ConfigSummaryText(const config::Config& config) {
  std::string out = fmt::format("Triads ({}):\n", config.triads.size());
  for (const triad::TriadOptions& triad : config.triads) {
    out += fmt::format("  {:<16} {:<13} primary: {}\n", triad.id, triad::PresetName(triad.preset),
                       fmt::join(triad.scope.primary, ", "));
    if (!triad.scope.reach.empty()) {
      out += fmt::format("  {:<30} reach: {}\n", "", fmt::join(triad.scope.reach, ", "));
    }
  }
  out +=
      fmt::format("Sections ({}): {}\n", config.sections.size(), fmt::join(config.sections, ", "));
  out += fmt::format("Output: {}\n", OutputDescription(config.output));
  const pipeline::PressureOptions& p = config.pressure;
  out += fmt::format(
      "Pressure: temperature {} - {}/round, freeze at {}, max {} rounds, escalate after {}\n",
      p.initial_temperature, p.temperature_decay, p.freeze_threshold, p.max_negotiation_rounds,
      p.escalation_threshold);
  return out;
}

nlohmann::json ConfigSummaryJson(const config::Config& config) {
  nlohmann::json ids = nlohmann::json::array();
  nlohmann::json presets = nlohmann::json::object();
  for (const triad::TriadOptions& triad : config.triads) {
    ids.push_back(triad.id);
    presets[triad.id] = triad::PresetName(triad.preset);
  }
  const pipeline::PressureOptions& p = config.pressure;
  return {
      {"triads", config.triads.size()},
      {"triad_ids", ids},
      {"triad_presets", presets},
      {"sections", config.sections},
      {"output_format", pipeline::kOutputFormatNames[static_cast<int>(config.output.format)]},
      {"style_system", pipeline::kStyleSystemNames[static_cast<int>(config.output.style_system)]},
      {"pressure",
       {{"initial_temperature", p.initial_temperature},
        {"temperature_decay", p.temperature_decay},
        {"freeze_threshold", p.freeze_threshold},
        {"max_negotiation_rounds", p.max_negotiation_rounds},
        {"escalation_threshold", p.escalation_threshold},
        {"enforcement", p.enforcement == agent::Enforcement::kHard ? "hard" : "soft"}}}};
}

}  // namespace hfs::app
