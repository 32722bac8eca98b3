#include "hfs/pipeline/validator_tools.h"

#include <fmt/format.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>

#include "hfs/base/file.h"
#include "hfs/base/subprocess.h"

namespace hfs::pipeline {
namespace {

namespace fs = std::filesystem;

bool IsDirectory(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

bool IsFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

bool HoldsTools(const fs::path& dir) { return IsDirectory(dir / "node_modules"); }

// The validators directory and how it was found.
std::pair<fs::path, std::string> FindDir(const ValidatorSearch& search) {
  if (search.validators_dir) {
    const fs::path dir = *search.validators_dir;
    if (!HoldsTools(dir)) {
      return {fs::path(), fmt::format("HFS_VALIDATORS_DIR={} holds no node_modules/ (run `npm "
                                      "ci --prefix {}`)",
                                      dir.string(), dir.string())};
    }
    return {dir, "from HFS_VALIDATORS_DIR"};
  }
  std::vector<std::string> tried;
  for (const fs::path& start : search.search_from) {
    if (start.empty()) continue;
    std::error_code ec;
    fs::path dir = fs::weakly_canonical(start, ec);
    if (ec) dir = start;
    while (true) {
      for (const fs::path& candidate :
           {dir / "tools" / "validators", dir / "share" / "hfs" / "validators"}) {
        if (HoldsTools(candidate)) return {candidate, "found above " + start.string()};
      }
      if (!dir.has_parent_path() || dir.parent_path() == dir) break;
      dir = dir.parent_path();
    }
    tried.push_back(start.string());
  }
  return {fs::path(), fmt::format("no tools/validators/node_modules above {} (run `npm ci --prefix "
                                  "tools/validators`, or set HFS_VALIDATORS_DIR)",
                                  tried.empty() ? std::string("(nowhere)")
                                                : fmt::format("{}", fmt::join(tried, ", ")))};
}

// The version in node_modules/<package>/package.json, or the reason it is missing.
void CheckPackage(const fs::path& dir, ValidatorTool& tool) {
  tool.path = dir / "node_modules" / tool.name;
  if (dir.empty()) {
    tool.reason = "no validators directory";
    return;
  }
  Result<std::string> text = ReadFile(tool.path / "package.json");
  if (!text) {
    tool.reason = fmt::format("npm package {} is not installed in {}", tool.name,
                              (dir / "node_modules").string());
    return;
  }
  nlohmann::json package = nlohmann::json::parse(*text, nullptr, false);
  if (package.is_object() && package.contains("version") && package["version"].is_string()) {
    tool.version = package["version"].get<std::string>();
  }
  tool.available = true;
}

// The first line of `program --version`, trimmed.
std::string ProbeVersion(const fs::path& program) {
  Result<SubprocessResult> ran =
      RunSubprocess({.argv = {program.string(), "--version"}, .timeout = std::chrono::seconds(15)});
  if (!ran || ran->timed_out || ran->exit_code != 0) return "";
  std::string line = ran->stdout_text.substr(0, ran->stdout_text.find('\n'));
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  return line;
}

void FindProgram(const std::vector<std::string>& names, const std::string& what,
                 const ValidatorSearch& search, ValidatorTool& tool) {
  for (const std::string& name : names) {
    fs::path found = FindExecutable(name, search.path_variable);
    if (!found.empty()) {
      tool.path = found;
      tool.available = true;
      if (search.probe == VersionProbe::kRun) tool.version = ProbeVersion(found);
      return;
    }
  }
  tool.reason = fmt::format("{} not found ({})", fmt::join(names, " or "), what);
}

void Require(ValidatorTool& tool, const ValidatorTool& needed) {
  if (!tool.available || needed.available) return;
  tool.available = false;
  tool.reason = fmt::format("needs {}: {}", needed.name, needed.reason);
}

void RequireScript(ValidatorTool& tool, const fs::path& dir, const char* script) {
  if (!tool.available || IsFile(dir / script)) return;
  tool.available = false;
  tool.reason = fmt::format("{} is missing", (dir / script).string());
}

// Whether a child process can make a user namespace (seccomp, sysctls and kernel
// configuration all show in the answer).
bool UserNamespacesWork() {
  const pid_t child = fork();
  if (child < 0) return false;
  if (child == 0) _exit(unshare(CLONE_NEWUSER) == 0 ? 0 : 1);
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return false;
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool IsSetuidRoot(const fs::path& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && info.st_uid == 0 && (info.st_mode & S_ISUID) != 0;
}

}  // namespace

ChromiumSandbox DecideChromiumSandbox(const SandboxFacts& facts) {
  if (facts.root) return {false, "hfs runs as root, where Chromium refuses its sandbox"};
  if (facts.setuid_helper) return {true, "Chromium's setuid sandbox helper is installed"};
  if (facts.apparmor_restricts_user_namespaces) {
    return {false, "AppArmor restricts unprivileged user namespaces"};
  }
  if (!facts.user_namespaces) return {false, "unprivileged user namespaces are not available"};
  return {true, "unprivileged user namespaces work"};
}

SandboxFacts ReadSandboxFacts(const fs::path& chromium) {
  SandboxFacts facts{.root = geteuid() == 0};
  if (facts.root) return facts;
  facts.user_namespaces = UserNamespacesWork();
  Result<std::string> restrict_userns =
      ReadFile("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
  facts.apparmor_restricts_user_namespaces =
      restrict_userns && restrict_userns->substr(0, 1) == "1";
  std::error_code ec;
  const fs::path program = fs::canonical(chromium, ec);
  // Debian's /usr/bin/chromium is a script that runs /usr/lib/chromium/chromium.
  facts.setuid_helper = IsSetuidRoot("/usr/lib/chromium/chrome-sandbox") ||
                        (!ec && IsSetuidRoot(program.parent_path() / "chrome-sandbox"));
  return facts;
}

ValidatorSearch ValidatorSearchFrom(const Env& env, std::vector<fs::path> search_from,
                                    VersionProbe probe) {
  ValidatorSearch search{.search_from = std::move(search_from),
                         .path_variable = env.GetOr("PATH", "/usr/local/bin:/usr/bin:/bin"),
                         .probe = probe};
  if (std::optional<std::string> dir = env.Get("HFS_VALIDATORS_DIR"); dir && !dir->empty()) {
    search.validators_dir = *dir;
  }
  if (std::optional<std::string> node = env.Get("HFS_NODE"); node && !node->empty()) {
    search.node = *node;
  }
  if (std::optional<std::string> chromium = env.Get("HFS_CHROMIUM");
      chromium && !chromium->empty()) {
    search.chromium = *chromium;
  }
  return search;
}

ValidatorTools DetectValidatorTools(const ValidatorSearch& search) {
  ValidatorTools tools;
  std::tie(tools.dir, tools.dir_reason) = FindDir(search);
  FindProgram(
      search.node ? std::vector<std::string>{*search.node} : std::vector<std::string>{"node"},
      "install Debian's nodejs", search, tools.node);
  FindProgram(search.chromium ? std::vector<std::string>{*search.chromium}
                              : std::vector<std::string>{"chromium", "chromium-browser"},
              "install Debian's chromium, or set HFS_CHROMIUM", search, tools.chromium);
  if (tools.dir.empty()) {
    for (ValidatorTool* tool : {&tools.esbuild, &tools.playwright, &tools.axe, &tools.react,
                                &tools.react_dom, &tools.vue, &tools.svelte}) {
      tool->reason = tools.dir_reason;
    }
  } else {
    for (ValidatorTool* tool : {&tools.esbuild, &tools.playwright, &tools.axe, &tools.react,
                                &tools.react_dom, &tools.vue, &tools.svelte}) {
      CheckPackage(tools.dir, *tool);
    }
  }
  Require(tools.esbuild, tools.node);
  RequireScript(tools.esbuild, tools.dir, "build.mjs");
  Require(tools.playwright, tools.node);
  Require(tools.chromium, tools.playwright);
  RequireScript(tools.chromium, tools.dir, "render.mjs");
  Require(tools.axe, tools.chromium);
  if (tools.chromium.available) {
    tools.sandbox = DecideChromiumSandbox(ReadSandboxFacts(tools.chromium.path));
  }
  return tools;
}

}  // namespace hfs::pipeline
