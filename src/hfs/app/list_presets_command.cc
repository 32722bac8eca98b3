#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "hfs/app/commands.h"
#include "hfs/triad/preset.h"

namespace hfs::app {

ExitCode ListPresetsCommand(const ListPresetsArgs& args, CommandIo& io) {
  nlohmann::json presets = nlohmann::json::array();
  std::string text;
  for (triad::Preset preset : triad::kAllPresets) {
    const triad::PresetInfo& info = triad::DescribePreset(preset);
    if (!args.preset.empty() && info.name != args.preset) continue;
    presets.push_back({{"name", info.name},
                       {"roles", info.roles},
                       {"recommended_for", info.recommended_for},
                       {"flow", info.flow}});
    text += fmt::format("{}\n  roles:           {}\n  recommended for: {}\n  flow:            {}\n",
                        info.name, fmt::join(info.roles, ", "), info.recommended_for, info.flow);
  }
  if (presets.empty()) {
    io.err << fmt::format(
        "Error: unknown preset '{}'; choose hierarchical, dialectic or consensus\n", args.preset);
    return ExitCode::kUsage;
  }
  if (args.mode == OutputMode::kJson) {
    io.out << nlohmann::json{{"presets", presets}}.dump(2) << "\n";
  } else {
    io.out << text;
  }
  return ExitCode::kOk;
}

}  // namespace hfs::app
