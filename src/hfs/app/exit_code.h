// hfs/app/exit_code.h
//
// The exit codes of the `hfs` command, documented in README.md and docs/usage.md.
//
//   return static_cast<int>(ExitCode::kUsage);
#pragma once

namespace hfs::app {

enum class ExitCode : int {
  kOk = 0,
  // The run started but did not succeed (a phase failed, providers failed for good).
  kRunFailed = 1,
  // Bad command line, bad or missing config, no API keys, a role the pre-flight finds
  // without a model, an unusable usage database: nothing was run.
  kUsage = 2,
  // Stopped by SIGINT / SIGTERM; partial results were kept.
  kInterrupted = 130,
};

}  // namespace hfs::app
