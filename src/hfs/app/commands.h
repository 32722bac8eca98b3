// hfs/app/commands.h
//
// The `hfs` subcommands. Each takes its parsed arguments and the process's I/O and
// environment, prints to io.out (results) and io.err (diagnostics), and returns an exit
// code (hfs/app/exit_code.h). The command line itself is parsed in cli.cc.
//
//   CommandIo io{std::cout, std::cerr, env};
//   return ValidateConfigCommand({.path = "standard.yaml", .json = true}, io);
//
// Thread-compatible.
#pragma once

#include <ostream>
#include <string>

#include "hfs/app/exit_code.h"
#include "hfs/app/interrupt_watcher.h"
#include "hfs/app/usage_database.h"
#include "hfs/base/env.h"

namespace hfs::app {

struct CommandIo {
  std::ostream& out;
  std::ostream& err;
  const Env& env;
  // Where a command registers what to do on SIGINT/SIGTERM; null in tests.
  InterruptWatcher* interrupts = nullptr;
  // Whether `err` is a terminal (live progress redraws a status line there).
  bool err_is_terminal = false;
};

enum class OutputMode { kText, kJson };

struct ValidateConfigArgs {
  std::string path;
  OutputMode mode = OutputMode::kText;
};
ExitCode ValidateConfigCommand(const ValidateConfigArgs& args, CommandIo& io);

struct ListPresetsArgs {
  std::string preset;  // "" = all
  OutputMode mode = OutputMode::kText;
};
ExitCode ListPresetsCommand(const ListPresetsArgs& args, CommandIo& io);

enum class RunMode { kRun, kDryRun };

struct RunArgs {
  std::string config_path;
  std::string request;
  std::string output_dir = "output";
  RunMode run_mode = RunMode::kRun;
  OutputMode mode = OutputMode::kText;
  UsageDbChoice usage_db;
};
ExitCode RunCommand(const RunArgs& args, CommandIo& io);

struct KeysArgs {
  // "" = the built-in providers with their shipped limit tables.
  std::string config_path;
  OutputMode mode = OutputMode::kText;
  UsageDbChoice usage_db;
};
ExitCode KeysCommand(const KeysArgs& args, CommandIo& io);

enum class UsageGroup { kProvider, kModel, kKey, kRun };

struct UsageArgs {
  // A duration such as "30m", "24h" or "7d".
  std::string since = "24h";
  UsageGroup group = UsageGroup::kProvider;
  std::string group_name = "provider";
  OutputMode mode = OutputMode::kText;
  UsageDbChoice usage_db;
};
ExitCode UsageCommand(const UsageArgs& args, CommandIo& io);

enum class TiersAction { kShow, kReset };

struct TiersArgs {
  // "" = the built-in defaults, with the escalation state in ./.hfs/escalations.json.
  std::string config_path;
  TiersAction action = TiersAction::kShow;
  OutputMode mode = OutputMode::kText;
};
ExitCode TiersCommand(const TiersArgs& args, CommandIo& io);

struct TraceArgs {
  // A trace.jsonl path, a run directory, or a run id (OUTPUT_DIR/<id>/trace.jsonl, else the
  // spans table); a 32-hex trace id is looked up in the spans table.
  std::string target;
  std::string output_dir = "output";  // as `hfs run -o`
  OutputMode mode = OutputMode::kText;
  // A URL reads the spans table only; "" tries the files first, then the environment's DB.
  UsageDbChoice usage_db;
};
ExitCode TraceCommand(const TraceArgs& args, CommandIo& io);

struct StateArgs {
  // A config whose triads to show beside their registered agents ("" = none).
  std::string config_path;
  // The state file; "" = the run's when `run` is set, else .hfs/state.md under the
  // current directory.
  std::string file;
  // A run id (its directory under output_dir) or a run directory: its .hfs/state.md.
  std::string run;
  std::string output_dir = "output";
  OutputMode mode = OutputMode::kText;
};
ExitCode StateCommand(const StateArgs& args, CommandIo& io);

struct DoctorArgs {
  OutputMode mode = OutputMode::kText;
  // Set: probe what this provider's server honours (provider_probe.h) instead.
  std::string provider;
  // The model to probe with; "" = the first model the config's tiers map to the provider.
  std::string model;
  // "" = the built-in providers and tiers.
  std::string config_path;
};
// Without a provider: lists the external validators' tools (esbuild, chromium, axe-core,
// react, ...): found or not, where, which version, and why not. Always kOk.
// With a provider: one line per capability (honoured, not honoured, not probed, with the
// evidence) and the `capabilities:` block to paste into the config. kUsage for a bad
// config, an unknown provider, no key for it or no model; kRunFailed when probing stops
// (no answer, key refused, unknown model, rate limited).
ExitCode DoctorCommand(const DoctorArgs& args, CommandIo& io);

struct ReportArgs {
  // A run directory, or a run id (its directory under output_dir).
  std::string target;
  std::string output_dir = "output";  // as `hfs run -o`
};
ExitCode ReportCommand(const ReportArgs& args, CommandIo& io);

}  // namespace hfs::app
