#include "hfs/app/validator_setup.h"

#include <filesystem>

namespace hfs::app {

pipeline::ValidatorTools DetectValidators(const Env& env, pipeline::VersionProbe probe) {
  namespace fs = std::filesystem;
  if (env.GetOr("HFS_VALIDATORS", "on") == "off") {
    pipeline::ValidatorTools tools;
    tools.dir_reason = "disabled by HFS_VALIDATORS=off";
    for (pipeline::ValidatorTool* tool :
         {&tools.node, &tools.esbuild, &tools.chromium, &tools.playwright, &tools.axe, &tools.react,
          &tools.react_dom}) {
      tool->reason = tools.dir_reason;
    }
    return tools;
  }
  std::vector<fs::path> search_from;
  std::error_code ec;
  fs::path executable = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) search_from.push_back(executable.parent_path());
  fs::path current = fs::current_path(ec);
  if (!ec) search_from.push_back(current);
  return pipeline::DetectValidatorTools(
      pipeline::ValidatorSearchFrom(env, std::move(search_from), probe));
}

}  // namespace hfs::app
