#include "hfs/pipeline/external_validators.h"

#include <fmt/format.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <optional>
#include <set>

#include "hfs/base/file.h"
#include "hfs/base/mutex.h"
#include "hfs/base/subprocess.h"
#include "hfs/pipeline/external_findings.h"

namespace hfs::pipeline {
namespace {

namespace fs = std::filesystem;
using Status = ValidatorRun::Status;

constexpr std::chrono::milliseconds kRenderMargin{5000};
// Where build.mjs writes the static build, inside the site.
constexpr std::string_view kDistDir = "dist";

constexpr std::string_view kScratchPrefix = "hfs-validate-";
// Inside the site's directory: the TMPDIR of the tools (Chromium's profile among others),
// when its path is at most kMaxToolTempDir long: Chromium makes a Unix socket there, whose
// path may not exceed 107 bytes.
constexpr std::string_view kToolTempDir = ".tmp";
constexpr size_t kMaxToolTempDir = 60;

// This process's pid namespace ("4026531836" of "pid:[4026531836]"): pids in scratch
// directory names are compared only within it.
std::string PidNamespace() {
  std::error_code ec;
  const std::string link = fs::read_symlink("/proc/self/ns/pid", ec).string();
  std::string digits;
  for (char c : link) {
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) digits += c;
  }
  return digits.empty() ? "0" : digits;
}

// The pid in "hfs-validate-<pid>-<namespace>-XXXXXX" when `namespace_id` is its namespace.
std::optional<pid_t> ScratchOwner(std::string_view name, std::string_view namespace_id) {
  if (!name.starts_with(kScratchPrefix)) return std::nullopt;
  name.remove_prefix(kScratchPrefix.size());
  const size_t first = name.find('-');
  const size_t second = name.find('-', first == std::string_view::npos ? first : first + 1);
  if (second == std::string_view::npos ||
      name.substr(first + 1, second - first - 1) != namespace_id || name.size() - second - 1 != 6) {
    return std::nullopt;
  }
  const std::string_view pid = name.substr(0, first);
  if (pid.empty() || pid.size() > 9 ||
      !std::all_of(pid.begin(), pid.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return static_cast<pid_t>(std::stol(std::string(pid)));
}

// The scratch directories of the validations running now (for RemoveScratchDirs).
struct LiveScratchDirs {
  Mutex mu;
  std::set<fs::path> paths HFS_GUARDED_BY(mu);
};

LiveScratchDirs& Live() {
  static LiveScratchDirs* live = new LiveScratchDirs;  // never destroyed: used at exit
  return *live;
}

// A fresh directory for the site, named after this process, removed when this goes away.
class ScratchDir {
 public:
  explicit ScratchDir(const fs::path& parent) {
    std::error_code ec;
    fs::path base = parent.empty() ? fs::temp_directory_path(ec) : parent;
    fs::create_directories(base, ec);
    std::string pattern =
        (base / fmt::format("{}{}-{}-XXXXXX", kScratchPrefix, getpid(), PidNamespace())).string();
    LiveScratchDirs& live = Live();
    MutexLock lock(live.mu);
    if (mkdtemp(pattern.data()) != nullptr) {
      path_ = pattern;
      live.paths.insert(path_);
    }
  }
  ~ScratchDir() {
    if (path_.empty()) return;
    // Under the lock: two removals of one tree at once fail each other.
    LiveScratchDirs& live = Live();
    MutexLock lock(live.mu);
    std::error_code ec;
    fs::remove_all(path_, ec);
    live.paths.erase(path_);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

ValidatorRun Skipped(std::string name, std::string reason) {
  return {.name = std::move(name), .status = Status::kSkipped, .reason = std::move(reason)};
}

// The last lines of a tool's stderr, for a reason.
std::string Tail(const std::string& text) {
  std::string tail = text.size() > 400 ? text.substr(text.size() - 400) : text;
  std::replace(tail.begin(), tail.end(), '\n', ' ');
  return tail;
}

// Runs a validator script with its temporary files in `site`; the reason it could not
// run, or its stdout. SIGTERM stops it: render.mjs then kills its browser.
Result<SubprocessResult> RunScript(const ValidatorTools& tools, const char* script,
                                   const fs::path& site, std::vector<std::string> arguments,
                                   std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {tools.node.path.string(), (tools.dir / script).string()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  std::map<std::string, std::string> env;
  if (const std::string temp = (site / kToolTempDir).string(); temp.size() <= kMaxToolTempDir) {
    env["TMPDIR"] = temp;
  }
  Result<SubprocessResult> ran = RunSubprocess({.argv = std::move(argv),
                                                .timeout = timeout,
                                                .working_dir = tools.dir,
                                                .env = std::move(env),
                                                .stop_signal = SIGTERM});
  if (!ran) return ran;
  if (ran->timed_out) {
    return Fail(ErrorCode::kDeadlineExceeded,
                fmt::format("{} did not finish within {} s", script,
                            std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
  }
  if (ran->exit_code != 0) {
    return Fail(ErrorCode::kInternal, fmt::format("{} exited with {}: {}", script, ran->exit_code,
                                                  Tail(ran->stderr_text)));
  }
  return ran;
}

void Count(ValidatorRun& run, const std::vector<ValidationIssue>& issues) {
  for (const ValidationIssue& issue : issues) {
    if (issue.severity == Severity::kError) ++run.errors;
    if (issue.severity == Severity::kWarning) ++run.warnings;
  }
  run.status = run.errors == 0 ? Status::kPassed : Status::kFailed;
}

Result<void> WriteSite(const fs::path& site, const MergedOutput& merged) {
  for (const auto& [path, content] : merged.files) {
    if (Result<void> written = WriteFileAtomic(site / path, content); !written) return written;
  }
  return Ok();
}

struct Built {
  ValidatorRun run;
  // The page to render, relative to the site; "" when there is none.
  std::string page;
};

// Why `format` cannot be built with `tools`, or "".
std::string CannotBuild(const ValidatorTools& tools, OutputFormat format) {
  if (!tools.CanBundle()) return tools.esbuild.reason;
  switch (format) {
    case OutputFormat::kReact:
      if (tools.CanBundleReact()) return "";
      return tools.react.available ? tools.react_dom.reason : tools.react.reason;
    case OutputFormat::kVue:
      return tools.CanBuildVue() ? "" : tools.vue.reason;
    case OutputFormat::kSvelte:
      return tools.CanBuildSvelte() ? "" : tools.svelte.reason;
    case OutputFormat::kHtml:
    case OutputFormat::kVanilla:
      return "";
  }
  return "";
}

Built Build(const ValidatorTools& tools, const fs::path& site, const FindingContext& context,
            OutputFormat format, std::chrono::milliseconds timeout,
            std::vector<ValidationIssue>& issues) {
  if (std::string reason = CannotBuild(tools, format); !reason.empty()) {
    return {Skipped("esbuild", std::move(reason)), ""};
  }
  Built out{.run = {.name = "esbuild", .version = tools.esbuild.version}};
  Result<SubprocessResult> ran =
      RunScript(tools, "build.mjs", site,
                {"--dir", site.string(), "--format", std::string(OutputFormatName(format)), "--out",
                 std::string(kDistDir)},
                timeout);
  if (!ran) {
    out.run.status = Status::kError;
    out.run.reason = ran.error().message;
    return out;
  }
  out.run.duration_ms = ran->elapsed.count();
  Result<BuildFindings> found = ParseBuildOutput(ran->stdout_text, context);
  if (!found) {
    out.run.status = Status::kError;
    out.run.reason = found.error().message;
    return out;
  }
  if (!found->version.empty()) out.run.version = found->version;
  Count(out.run, found->issues);
  out.page = found->page;
  issues.insert(issues.end(), found->issues.begin(), found->issues.end());
  return out;
}

bool IsBuilt(OutputFormat format) {
  return format == OutputFormat::kReact || format == OutputFormat::kVue ||
         format == OutputFormat::kSvelte;
}

// Every text file under site/dist, keyed "dist/...".
std::map<std::string, std::string> ReadBuiltFiles(const fs::path& site) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  const fs::path dist = site / kDistDir;
  for (fs::recursive_directory_iterator it(dist, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    Result<std::string> content = ReadFile(it->path());
    if (!content || content->find('\0') != std::string::npos) continue;
    out[(fs::path(kDistDir) / it->path().lexically_relative(dist)).generic_string()] =
        std::move(*content);
  }
  return out;
}

// Why the page cannot be rendered, or "".
std::string CannotRender(const ValidatorTools& tools, OutputFormat format, const Built& built) {
  if (!tools.CanRender()) return tools.chromium.reason;
  if (IsBuilt(format) && built.page.empty()) {
    return built.run.status == Status::kSkipped
               ? fmt::format("the {} app was not built: {}", OutputFormatName(format),
                             built.run.reason)
               : fmt::format("the {} app was not built (esbuild found errors or failed)",
                             OutputFormatName(format));
  }
  return "";
}

void Render(const ValidatorTools& tools, const fs::path& site, const std::string& page,
            const std::vector<std::string>& region_ids, const ToolValidatorOptions& options,
            const FindingContext& context, ValidatorRun& render, ValidatorRun& audit,
            std::vector<ValidationIssue>& issues) {
  std::vector<std::string> arguments = {
      "--page",
      (site / page).string(),
      "--regions",
      fmt::format("{}", fmt::join(region_ids, ",")),
      "--chromium",
      tools.chromium.path.string(),
      "--timeout-ms",
      std::to_string(std::max(options.timeout - kRenderMargin, kRenderMargin).count())};
  if (!options.screenshot.empty()) {
    std::error_code ec;
    fs::create_directories(options.screenshot.parent_path(), ec);
    arguments.insert(arguments.end(), {"--screenshot", fs::absolute(options.screenshot).string()});
  }
  if (tools.CanAudit()) arguments.push_back("--axe");
  if (tools.sandbox.enabled) arguments.push_back("--sandbox");
  render = {.name = "chromium", .version = tools.chromium.version};
  Result<SubprocessResult> ran = RunScript(tools, "render.mjs", site, arguments, options.timeout);
  Result<RenderFindings> found =
      ran ? ParseRenderOutput(ran->stdout_text, context) : Fail(ran.error());
  if (!found) {
    render.status = Status::kError;
    render.reason = found.error().message;
    if (tools.CanAudit()) audit = Skipped("axe-core", "the page was not rendered");
    return;
  }
  render.duration_ms = ran->elapsed.count();
  if (!found->chromium_version.empty()) render.version = found->chromium_version;
  Count(render, found->render_issues);
  issues.insert(issues.end(), found->render_issues.begin(), found->render_issues.end());
  if (!found->audited) return;
  audit = {.name = "axe-core", .version = found->axe_version, .duration_ms = render.duration_ms};
  Count(audit, found->axe_issues);
  issues.insert(issues.end(), found->axe_issues.begin(), found->axe_issues.end());
}

}  // namespace

ToolValidators::ToolValidators(ValidatorTools tools, ToolValidatorOptions options)
    : tools_(std::move(tools)), options_(std::move(options)) {
  if (!tools_.CanRender()) return;
  if (tools_.sandbox.enabled) {
    spdlog::info("chromium runs with its sandbox: {}", tools_.sandbox.reason);
  } else {
    spdlog::info("chromium runs without its sandbox (--no-sandbox): {}", tools_.sandbox.reason);
  }
}

ExternalValidation ToolValidators::Validate(const MergedOutput& merged,
                                            const std::vector<std::string>& region_ids,
                                            OutputFormat format) const {
  ExternalValidation out;
  if (!IsBuilt(format)) out.entry_point = merged.entry_point;
  if (!tools_.CanBundle() && !tools_.CanRender()) {
    out.runs = {Skipped("esbuild", tools_.esbuild.reason),
                Skipped("chromium", tools_.chromium.reason),
                Skipped("axe-core", tools_.axe.reason)};
    return out;
  }
  RemoveAbandonedScratchDirs(options_.scratch_dir);
  ScratchDir scratch(options_.scratch_dir);
  Result<void> written = scratch.path().empty()
                             ? Fail(ErrorCode::kUnavailable, "cannot make a temporary directory")
                             : WriteSite(scratch.path(), merged);
  std::error_code ec;
  if (written && !fs::create_directory(scratch.path() / kToolTempDir, ec) && ec) {
    written = Fail(ErrorCode::kUnavailable, "cannot make a temporary directory: " + ec.message());
  }
  if (!written) {
    for (const char* name : {"esbuild", "chromium", "axe-core"}) {
      out.runs.push_back({.name = name,
                          .status = Status::kError,
                          .reason = "cannot write the page: " + written.error().message});
    }
    return out;
  }
  const FindingContext context{.merged = &merged, .site = scratch.path()};
  Built built = Build(tools_, scratch.path(), context, format, options_.timeout, out.issues);
  out.runs.push_back(built.run);
  if (IsBuilt(format) && !built.page.empty()) {
    out.entry_point = built.page;
    out.built_files = ReadBuiltFiles(scratch.path());
  }
  ValidatorRun render = Skipped("chromium", CannotRender(tools_, format, built));
  ValidatorRun audit = Skipped("axe-core", tools_.CanAudit() ? render.reason : tools_.axe.reason);
  if (render.reason.empty()) {
    Render(tools_, scratch.path(), IsBuilt(format) ? built.page : merged.entry_point, region_ids,
           options_, context, render, audit, out.issues);
  }
  out.runs.push_back(std::move(render));
  out.runs.push_back(std::move(audit));
  return out;
}

void JoinExternalValidation(ValidationResult& result, ExternalValidation external) {
  int new_errors = 0;
  for (ValidationIssue& issue : external.issues) {
    ++result.counts.total;
    if (issue.severity == Severity::kError) ++result.counts.errors, ++new_errors;
    if (issue.severity == Severity::kWarning) ++result.counts.warnings;
    if (issue.severity == Severity::kInfo) ++result.counts.infos;
    result.issues.push_back(std::move(issue));
  }
  for (ValidatorRun& run : external.runs) {
    if (run.status == Status::kPassed || run.status == Status::kFailed) {
      result.checks_run.push_back(run.name);
    }
    result.validators.push_back(std::move(run));
  }
  if (new_errors > 0) result.passed = false;
}

void RemoveScratchDirs() {
  LiveScratchDirs& live = Live();
  MutexLock lock(live.mu);
  for (const fs::path& path : live.paths) {
    // A program that was just stopped may have written a last file meanwhile.
    for (int attempt = 0; attempt < 3; ++attempt) {
      std::error_code ec;
      fs::remove_all(path, ec);
      if (!fs::exists(path, ec)) break;
    }
  }
}

int RemoveAbandonedScratchDirs(const fs::path& parent) {
  std::error_code ec;
  const fs::path base = parent.empty() ? fs::temp_directory_path(ec) : parent;
  const std::string namespace_id = PidNamespace();
  std::vector<fs::path> abandoned;
  for (fs::directory_iterator it(base, ec), end; !ec && it != end; it.increment(ec)) {
    std::optional<pid_t> owner = ScratchOwner(it->path().filename().string(), namespace_id);
    // kill(pid, 0) fails with ESRCH only when no such process exists.
    if (owner && *owner != getpid() && kill(*owner, 0) != 0 && errno == ESRCH) {
      abandoned.push_back(it->path());
    }
  }
  int removed = 0;
  for (const fs::path& path : abandoned) {
    std::error_code removing;
    fs::remove_all(path, removing);
    if (!removing) ++removed;
  }
  return removed;
}

std::map<std::string, int> ErrorsBySection(const ValidationResult& result,
                                           const MergedOutput& merged) {
  std::map<std::string, int> out;
  for (const ValidationIssue& issue : result.issues) {
    if (issue.severity != Severity::kError) continue;
    std::string section = issue.section.empty() ? SectionOfFile(merged, issue.file) : issue.section;
    if (!section.empty()) ++out[section];
  }
  return out;
}

}  // namespace hfs::pipeline
