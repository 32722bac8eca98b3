#include "hfs/app/cli.h"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

namespace hfs::app {
namespace {

constexpr char kExitCodes[] =
    "Exit codes: 0 success, 1 run failed, 2 bad usage, config or missing keys, 130 interrupted.";

struct Parsed {
  bool verbose = false;
  bool json = false;
  bool dry_run = false;
  ValidateConfigArgs validate;
  ListPresetsArgs presets;
  RunArgs run;
  KeysArgs keys;
  UsageArgs usage;
  TiersArgs tiers;
  TraceArgs trace;
  StateArgs state;
  DoctorArgs doctor;
  ReportArgs report;
  std::string usage_db;
  bool usage_db_optional = false;
};

void AddUsageDb(CLI::App& command, Parsed& parsed) {
  command.add_option("--usage-db", parsed.usage_db,
                     "Usage database URL (default: $HFS_DB_URL, $TIDB_DB_URL, or "
                     "sqlite://$HFS_HOME/usage.db)");
}

void AddValidateConfig(CLI::App& app, Parsed& parsed) {
  CLI::App* command = app.add_subcommand("validate-config", "Check a config file and summarise it");
  command->add_option("file", parsed.validate.path, "Config file (YAML)")->required();
  command->add_flag("--json", parsed.json, "Print JSON");
}

void AddListPresets(CLI::App& app, Parsed& parsed) {
  CLI::App* command = app.add_subcommand("list-presets", "Show the triad presets");
  command->add_option("--preset", parsed.presets.preset, "Show one preset")
      ->check(CLI::IsMember({"hierarchical", "dialectic", "consensus"}));
  command->add_flag("--json", parsed.json, "Print JSON");
}

void AddRun(CLI::App& app, Parsed& parsed) {
  CLI::App* command = app.add_subcommand("run", "Build a frontend from a request");
  command->add_option("-c,--config", parsed.run.config_path, "Config file (YAML)")->required();
  command->add_option("-r,--request", parsed.run.request, "What to build, in plain words")
      ->required();
  command
      ->add_option("-o,--output-dir", parsed.run.output_dir,
                   "Where runs are written (DIR/<run-id>/)")
      ->capture_default_str();
  command->add_flag("--dry-run", parsed.dry_run, "Show the plan; call no provider");
  command->add_flag("--json", parsed.json, "Print one JSON document on stdout");
  AddUsageDb(*command, parsed);
  command->add_flag("--usage-db-optional", parsed.usage_db_optional,
                    "If the usage database cannot be opened, warn and keep usage in memory");
}

void AddKeys(CLI::App& app, Parsed& parsed) {
  CLI::App* command =
      app.add_subcommand("keys", "Show each provider's keys, their state and rate-window use");
  command->add_option("-c,--config", parsed.keys.config_path,
                      "Config file whose providers and limits to use");
  command->add_flag("--json", parsed.json, "Print JSON");
  AddUsageDb(*command, parsed);
}

void AddUsage(CLI::App& app, Parsed& parsed) {
  CLI::App* command = app.add_subcommand("usage", "Summarise recorded provider requests");
  command->add_option("--since", parsed.usage.since, "How far back, such as 30m, 24h or 7d")
      ->capture_default_str();
  command->add_option("--by", parsed.usage.group_name, "Group by provider, model, key or run")
      ->check(CLI::IsMember({"provider", "model", "key", "run"}))
      ->capture_default_str();
  command->add_flag("--json", parsed.json, "Print JSON");
  AddUsageDb(*command, parsed);
}

void AddTrace(CLI::App& app, Parsed& parsed) {
  CLI::App* command =
      app.add_subcommand("trace", "Show a run's spans as a waterfall with phase timings");
  command->add_option("run", parsed.trace.target, "Run id, run directory or trace.jsonl file")
      ->required();
  command
      ->add_option("-o,--output-dir", parsed.trace.output_dir,
                   "Where runs are written (DIR/<run-id>/trace.jsonl)")
      ->capture_default_str();
  command->add_flag("--json", parsed.json, "Print JSON");
  AddUsageDb(*command, parsed);
}

void AddTiers(CLI::App& app, Parsed& parsed) {
  CLI::App* command = app.add_subcommand(
      "tiers", "Show the model of each triad, role and phase, and the escalation state");
  command->add_option("-c,--config", parsed.tiers.config_path, "Config file (YAML)");
  command->add_flag("--json", parsed.json, "Print JSON");
  CLI::App* reset =
      command->add_subcommand("reset", "Clear the escalation state beside the config");
  reset->add_option("-c,--config", parsed.tiers.config_path, "Config file (YAML)");
  reset->add_flag("--json", parsed.json, "Print JSON");
}

void AddState(CLI::App& app, Parsed& parsed) {
  CLI::App* command = app.add_subcommand(
      "state", "Show the shared state of a run: work items, who holds them, the agents");
  CLI::Option* config = command->add_option("-c,--config", parsed.state.config_path,
                                            "Config file whose triads to show with their agents");
  CLI::Option* run = command->add_option(
      "run", parsed.state.run, "Run id (under -o) or run directory: show that run's state");
  command->add_option("-o,--output", parsed.state.output_dir, "Where runs are (default: output)");
  command->add_option("--file", parsed.state.file, "State file (default: .hfs/state.md)")
      ->excludes(config)
      ->excludes(run);
  command->add_flag("--json", parsed.json, "Print JSON");
}

void AddReport(CLI::App& app, Parsed& parsed) {
  CLI::App* command =
      app.add_subcommand("report", "Write a run's report.html again from its stored files");
  command->add_option("run", parsed.report.target, "Run id (under -o) or run directory")
      ->required();
  command
      ->add_option("-o,--output-dir", parsed.report.output_dir,
                   "Where runs are written (DIR/<run-id>/)")
      ->capture_default_str();
}

void AddDoctor(CLI::App& app, Parsed& parsed) {
  CLI::App* command = app.add_subcommand(
      "doctor",
      "Show which external validators (esbuild, chromium, axe-core) can run, and why not; "
      "with --provider, probe what that provider's server honours");
  CLI::Option* provider = command->add_option(
      "--provider", parsed.doctor.provider,
      "Probe this provider (built-in, or custom in the config) and print its capabilities");
  command
      ->add_option("--model", parsed.doctor.model, "Model to probe with (default: its tier model)")
      ->needs(provider);
  command->add_option("-c,--config", parsed.doctor.config_path, "Config file (YAML)")
      ->needs(provider);
  command->add_flag("--json", parsed.json, "Print JSON");
}

UsageGroup GroupNamed(const std::string& name) {
  if (name == "model") return UsageGroup::kModel;
  if (name == "key") return UsageGroup::kKey;
  if (name == "run") return UsageGroup::kRun;
  return UsageGroup::kProvider;
}

}  // namespace

int RunCli(int argc, const char* const* argv, CommandIo& io) {
  CLI::App app("HFS builds a frontend from one sentence with negotiating triads of LLM agents.",
               "hfs");
  app.footer(kExitCodes);
  app.set_version_flag("--version", "hfs " HFS_VERSION);
  Parsed parsed;
  app.add_flag("-v,--verbose", parsed.verbose, "Log debug details to stderr");
  AddValidateConfig(app, parsed);
  AddListPresets(app, parsed);
  AddRun(app, parsed);
  AddKeys(app, parsed);
  AddUsage(app, parsed);
  AddTiers(app, parsed);
  AddTrace(app, parsed);
  AddState(app, parsed);
  AddDoctor(app, parsed);
  AddReport(app, parsed);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    io.out << app.help();
    return static_cast<int>(ExitCode::kOk);
  } catch (const CLI::CallForVersion&) {
    io.out << "hfs " HFS_VERSION "\n";
    return static_cast<int>(ExitCode::kOk);
  } catch (const CLI::ParseError& e) {
    io.err << "Error: " << e.what() << "\nRun 'hfs --help' for usage.\n";
    return static_cast<int>(ExitCode::kUsage);
  }
  spdlog::set_level(parsed.verbose ? spdlog::level::debug : spdlog::level::info);
  const OutputMode mode = parsed.json ? OutputMode::kJson : OutputMode::kText;
  const UsageDbChoice usage_db{
      .url = parsed.usage_db,
      .fallback = parsed.usage_db_optional ? UsageDbFallback::kMemory : UsageDbFallback::kFail};
  if (app.got_subcommand("validate-config")) {
    parsed.validate.mode = mode;
    return static_cast<int>(ValidateConfigCommand(parsed.validate, io));
  }
  if (app.got_subcommand("list-presets")) {
    parsed.presets.mode = mode;
    return static_cast<int>(ListPresetsCommand(parsed.presets, io));
  }
  if (app.got_subcommand("run")) {
    parsed.run.mode = mode;
    parsed.run.run_mode = parsed.dry_run ? RunMode::kDryRun : RunMode::kRun;
    parsed.run.usage_db = usage_db;
    return static_cast<int>(RunCommand(parsed.run, io));
  }
  if (app.got_subcommand("keys")) {
    parsed.keys.mode = mode;
    parsed.keys.usage_db = usage_db;
    return static_cast<int>(KeysCommand(parsed.keys, io));
  }
  if (app.got_subcommand("usage")) {
    parsed.usage.mode = mode;
    parsed.usage.usage_db = usage_db;
    parsed.usage.group = GroupNamed(parsed.usage.group_name);
    return static_cast<int>(UsageCommand(parsed.usage, io));
  }
  if (app.got_subcommand("trace")) {
    parsed.trace.mode = mode;
    parsed.trace.usage_db = usage_db;
    return static_cast<int>(TraceCommand(parsed.trace, io));
  }
  if (app.got_subcommand("tiers")) {
    parsed.tiers.mode = mode;
    parsed.tiers.action = app.get_subcommand("tiers")->got_subcommand("reset") ? TiersAction::kReset
                                                                               : TiersAction::kShow;
    return static_cast<int>(TiersCommand(parsed.tiers, io));
  }
  if (app.got_subcommand("report")) return static_cast<int>(ReportCommand(parsed.report, io));
  if (app.got_subcommand("doctor")) {
    parsed.doctor.mode = mode;
    return static_cast<int>(DoctorCommand(parsed.doctor, io));
  }
  if (app.got_subcommand("state")) {
    parsed.state.mode = mode;
    return static_cast<int>(StateCommand(parsed.state, io));
  }
  io.err << app.help();
  return static_cast<int>(ExitCode::kUsage);
}

}  // namespace hfs::app
