// hfs/app/config_summary.h
//
// The summary of a loaded config printed by `hfs validate-config` (text or JSON) and at
// the start of `hfs run`: triads with presets and scopes, sections, output, pressure.
//
//   std::cout << ConfigSummaryText(config);
//   nlohmann::json summary = ConfigSummaryJson(config);
//
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "hfs/config/config.h"

namespace hfs::app {

std::string ConfigSummaryText(const config::Config& config);
// {triads, triad_ids, triad_presets, sections, output_format, style_system, pressure{...}}.
nlohmann::json ConfigSummaryJson(const config::Config& config);
// "react + tailwind".
std::string OutputDescription(const pipeline::OutputOptions& output);

}  // namespace hfs::app
