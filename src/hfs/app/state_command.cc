// `hfs state [RUN]`: the coordination state of a run, read from the shared state file
// (OUTPUT_DIR/<run-id>/.hfs/state.md for a run, `.hfs/state.md` under the current
// directory without one, or --file): work items
// by status, the agent registry, and anything hand edits left inconsistent.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hfs/app/commands.h"
#include "hfs/config/load.h"
#include "hfs/state/shared_state_manager.h"

namespace hfs::app {
namespace {

using nlohmann::json;
using state::AgentEntry;
using state::StateDocument;
using state::WorkItem;
using state::WorkStatus;

constexpr WorkStatus kStatuses[] = {WorkStatus::kAvailable, WorkStatus::kInProgress,
                                    WorkStatus::kCompleted};

// Agents named after a triad, the way triads name theirs ("<triad>_<role>").
std::vector<std::string> TriadAgents(const std::vector<AgentEntry>& agents,
                                     const std::string& triad) {
  std::vector<std::string> names;
  for (const AgentEntry& agent : agents) {
    if (agent.agent_id.starts_with(triad + "_")) names.push_back(agent.agent_id);
  }
  return names;
}

json StateJson(const std::string& path, bool exists, const StateDocument& document,
               const config::Config* config) {
  json counts = {{"available", 0}, {"in_progress", 0}, {"completed", 0}};
  json items = json::array();
  for (const WorkItem& item : document.Items()) {
    std::string status(state::WorkStatusName(item.status()));
    counts[status] = counts[status].get<int>() + 1;
    items.push_back({{"id", item.id},
                     {"description", item.description},
                     {"status", status},
                     {"claimed_by", item.claimed_by ? json(*item.claimed_by) : json()}});
  }
  json agents = json::array();
  for (const AgentEntry& agent : document.Agents()) {
    agents.push_back({{"agent_id", agent.agent_id},
                      {"current_task", agent.current_task},
                      {"started", agent.started}});
  }
  json out = {{"path", path},   {"exists", exists}, {"counts", counts},
              {"items", items}, {"agents", agents}, {"problems", document.Problems()}};
  if (config != nullptr) {
    out["config"] = config->source_path;
    out["triads"] = json::array();
    for (const triad::TriadOptions& triad : config->triads) {
      out["triads"].push_back(
          {{"id", triad.id}, {"agents", TriadAgents(document.Agents(), triad.id)}});
    }
  }
  return out;
}

void PrintText(const std::string& path, const StateDocument& document, const config::Config* config,
               std::ostream& out) {
  std::vector<WorkItem> items = document.Items();
  auto count = [&](WorkStatus status) {
    return std::count_if(items.begin(), items.end(),
                         [&](const WorkItem& item) { return item.status() == status; });
  };
  out << "Shared state: " << path << "\n";
  out << fmt::format("Work items: {} available, {} in progress, {} completed\n",
                     count(WorkStatus::kAvailable), count(WorkStatus::kInProgress),
                     count(WorkStatus::kCompleted));
  for (WorkStatus status : kStatuses) {
    if (count(status) == 0) continue;
    out << "\n" << state::StateSectionTitle(state::SectionFor(status)) << "\n";
    for (const WorkItem& item : items) {
      if (item.status() != status) continue;
      out << fmt::format("  {:<6} {}{}\n", item.id.empty() ? "-" : item.id, item.description,
                         item.claimed_by ? "  [" + *item.claimed_by + "]" : "");
    }
  }
  std::vector<AgentEntry> agents = document.Agents();
  if (!agents.empty()) out << "\nAgents\n";
  for (const AgentEntry& agent : agents) {
    out << fmt::format("  {:<24} {}{}\n", agent.agent_id, agent.current_task,
                       agent.started == state::kNone ? "" : "  (since " + agent.started + ")");
  }
  if (config != nullptr) {
    out << "\nTriads of " << config->source_path << "\n";
    for (const triad::TriadOptions& triad : config->triads) {
      std::vector<std::string> names = TriadAgents(agents, triad.id);
      out << fmt::format("  {:<24} {} agent(s) registered\n", triad.id, names.size());
    }
  }
  std::vector<std::string> problems = document.Problems();
  if (!problems.empty()) {
    out << "\nProblems (lines \"kept as it is\" need a fix by hand; the next write fixes the "
           "rest)\n";
  }
  for (const std::string& problem : problems) out << "  " << problem << "\n";
}

// A run directory's state file, or the state file of run `run` under `output_dir`.
std::filesystem::path RunStatePath(const std::string& run, const std::string& output_dir) {
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::is_directory(run, ec)
                                        ? std::filesystem::path(run)
                                        : std::filesystem::path(output_dir) / run;
  return dir / ".hfs" / "state.md";
}

}  // namespace

ExitCode StateCommand(const StateArgs& args, CommandIo& io) {
  std::optional<config::Config> config;
  if (!args.config_path.empty()) {
    Result<config::Config> loaded = config::LoadConfig(args.config_path);
    if (!loaded) {
      io.err << "Error: " << loaded.error().message << "\n";
      return ExitCode::kUsage;
    }
    config = std::move(*loaded);
  }
  std::filesystem::path path = !args.file.empty()  ? std::filesystem::path(args.file)
                               : !args.run.empty() ? RunStatePath(args.run, args.output_dir)
                                                   : state::DefaultStatePath();
  std::error_code ec;
  bool exists = std::filesystem::exists(path, ec);
  if (!exists && (!args.file.empty() || !args.run.empty())) {
    io.err << "Error: no state file at " << path.string() << "\n";
    return ExitCode::kUsage;
  }
  SystemClock clock;
  state::SharedStateManager manager({.state_path = path}, clock);
  Result<StateDocument> document = manager.Read();
  if (!document) {
    io.err << "Error: cannot read the shared state: " << document.error().message << "\n";
    return document.error().code == ErrorCode::kInvalidArgument ? ExitCode::kUsage
                                                                : ExitCode::kRunFailed;
  }
  const config::Config* config_ptr = config ? &*config : nullptr;
  if (args.mode == OutputMode::kJson) {
    io.out << StateJson(path.string(), exists, *document, config_ptr).dump(2) << "\n";
  } else if (!exists) {
    io.out << "No shared state at " << path.string()
           << " yet: no run has written one in this directory.\n";
  } else {
    PrintText(path.string(), *document, config_ptr, io.out);
  }
  return ExitCode::kOk;
}

}  // namespace hfs::app
