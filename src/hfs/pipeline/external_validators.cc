#include "hfs/pipeline/external_validators.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>

#include "hfs/base/file.h"
#include "hfs/base/subprocess.h"
#include "hfs/pipeline/external_findings.h"

namespace hfs::pipeline {
namespace {

namespace fs = std::filesystem;
using Status = ValidatorRun::Status;

constexpr std::chrono::milliseconds kRenderMargin{5000};
// Where build.mjs writes the static build, inside the site.
constexpr std::string_view kDistDir = "dist";

// A fresh directory for the site, removed when this goes away.
class ScratchDir {
 public:
  explicit ScratchDir(const fs::path& parent) {
    std::error_code ec;
    fs::path base = parent.empty() ? fs::temp_directory_path(ec) : parent;
    fs::create_directories(base, ec);
    std::string pattern = (base / "hfs-validate-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
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

// Runs a validator script; the reason it could not run, or its stdout.
Result<SubprocessResult> RunScript(const ValidatorTools& tools, const char* script,
                                   std::vector<std::string> arguments,
                                   std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {tools.node.path.string(), (tools.dir / script).string()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  Result<SubprocessResult> ran =
      RunSubprocess({.argv = std::move(argv), .timeout = timeout, .working_dir = tools.dir});
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
      RunScript(tools, "build.mjs",
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
  render = {.name = "chromium", .version = tools.chromium.version};
  Result<SubprocessResult> ran = RunScript(tools, "render.mjs", arguments, options.timeout);
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
  ScratchDir scratch(options_.scratch_dir);
  Result<void> written = scratch.path().empty()
                             ? Fail(ErrorCode::kUnavailable, "cannot make a temporary directory")
                             : WriteSite(scratch.path(), merged);
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
