#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "hfs/app/commands.h"
#include "hfs/app/validator_setup.h"

namespace hfs::app {
namespace {

using nlohmann::json;

struct ValidatorLine {
  std::string name;
  bool available;
  std::string reason;
};

// The three validators a run would use, from the tools.
std::vector<ValidatorLine> Validators(const pipeline::ValidatorTools& tools) {
  return {{"esbuild", tools.CanBundle(), tools.esbuild.reason},
          {"chromium", tools.CanRender(), tools.chromium.reason},
          {"axe-core", tools.CanAudit(), tools.axe.reason}};
}

json ToolJson(const pipeline::ValidatorTool& tool) {
  return {{"name", tool.name},
          {"available", tool.available},
          {"path", tool.path.string()},
          {"version", tool.version},
          {"reason", tool.reason}};
}

std::string Text(const pipeline::ValidatorTools& tools) {
  std::string out = "Validators directory: ";
  out += tools.dir.empty() ? "none (" + tools.dir_reason + ")\n"
                           : fmt::format("{} ({})\n", tools.dir.string(), tools.dir_reason);
  out += "\nTools:\n";
  for (const pipeline::ValidatorTool& tool : tools.All()) {
    out += fmt::format("  {:<16} {:<10} {:<16} {}\n", tool.name,
                       tool.available ? "available" : "missing",
                       tool.version.empty() ? "-" : tool.version,
                       tool.available ? tool.path.string() : tool.reason);
  }
  out += "\nValidators of `hfs run` (integration phase):\n";
  for (const ValidatorLine& line : Validators(tools)) {
    out += fmt::format("  {:<16} {}\n", line.name,
                       line.available ? "runs" : "skipped: " + line.reason);
  }
  if (!tools.react.available || !tools.react_dom.available) {
    out += "  (react output is bundled only with react and react-dom installed)\n";
  }
  return out;
}

}  // namespace

ExitCode DoctorCommand(const DoctorArgs& args, CommandIo& io) {
  const pipeline::ValidatorTools tools = DetectValidators(io.env, pipeline::VersionProbe::kRun);
  if (args.mode == OutputMode::kJson) {
    json tool_list = json::array();
    for (const pipeline::ValidatorTool& tool : tools.All()) tool_list.push_back(ToolJson(tool));
    json validators = json::array();
    for (const ValidatorLine& line : Validators(tools)) {
      validators.push_back(
          {{"name", line.name}, {"available", line.available}, {"reason", line.reason}});
    }
    io.out << json{{"validators_dir", tools.dir.string()},
                   {"validators_dir_reason", tools.dir_reason},
                   {"tools", tool_list},
                   {"validators", validators}}
                  .dump(2)
           << "\n";
  } else {
    io.out << Text(tools);
  }
  return ExitCode::kOk;
}

}  // namespace hfs::app
