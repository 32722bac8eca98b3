#include <nlohmann/json.hpp>

#include "hfs/app/commands.h"
#include "hfs/app/config_summary.h"
#include "hfs/config/load.h"

namespace hfs::app {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace

ExitCode ValidateConfigCommand(const ValidateConfigArgs& args, CommandIo& io) {
  Result<config::Config> config = config::LoadConfig(args.path);
  if (args.mode == OutputMode::kJson) {
    nlohmann::json out = {{"valid", config.has_value()}, {"path", args.path}};
    if (config) {
      out["summary"] = ConfigSummaryJson(*config);
    } else {
      out["error"] = config.error().message;
      out["errors"] = Lines(config.error().message);
    }
    io.out << out.dump(2) << "\n";
  } else if (config) {
    io.out << args.path << ": valid\n" << ConfigSummaryText(*config);
  } else {
    io.err << "Invalid config:\n" << config.error().message << "\n";
  }
  return config ? ExitCode::kOk : ExitCode::kUsage;
}

}  // namespace hfs::app
