// `hfs report RUN_ID|RUN_DIR`: writes report.html again from a stored run (its
// hfs-report.json, trace.jsonl and screenshot.png) and prints where it went.
#include <fmt/format.h>

#include <filesystem>
#include <optional>

#include "hfs/app/commands.h"
#include "hfs/app/html_report.h"

namespace hfs::app {
namespace {

namespace fs = std::filesystem;

constexpr char kReportJson[] = "hfs-report.json";

// The run directory TARGET names: TARGET itself, else OUTPUT_DIR/TARGET, whichever holds
// an hfs-report.json.
std::optional<fs::path> FindRunDir(const ReportArgs& args) {
  std::error_code ec;
  for (const fs::path& candidate :
       {fs::path(args.target), fs::path(args.output_dir) / args.target}) {
    if (fs::is_regular_file(candidate / kReportJson, ec)) return candidate;
  }
  return std::nullopt;
}

}  // namespace

ExitCode ReportCommand(const ReportArgs& args, CommandIo& io) {
  std::optional<fs::path> dir = FindRunDir(args);
  if (!dir) {
    io.err << fmt::format(
        "Error: no run '{}': neither {} nor {} exists.\nPass a run directory, or a run id "
        "with -o OUTPUT_DIR.\n",
        args.target, (fs::path(args.target) / kReportJson).string(),
        (fs::path(args.output_dir) / args.target / kReportJson).string());
    return ExitCode::kUsage;
  }
  if (Result<void> written = WriteHtmlReport(*dir); !written) {
    io.err << "Error: cannot write the report: " << written.error().message << "\n";
    return ExitCode::kRunFailed;
  }
  io.out << (*dir / kHtmlReportFileName).string() << "\n";
  return ExitCode::kOk;
}

}  // namespace hfs::app
