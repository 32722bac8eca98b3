// hfs/triad/work_log.h
//
// WorkLog: a triad's execution work recorded in the run's shared state file
// (hfs/state): the lead plans one work item per section it will write, the agent that
// writes a section claims its item first and completes it when generate_code succeeded
// (or releases it when it did not), so the file always says what is available, what is
// in progress and by whom, and what is done. Agents also get the four state tools
// (triad/state_tools.h) to see and update it themselves.
//
//   WorkLog log(deps.state, "layout");
//   log.Plan("layout_orchestrator", {{"hero", "hero banner with a call to action"}});
//   log.Claim("hero", "layout_worker_a");
//   ... generate_code ...
//   log.Finish("hero", "layout_worker_a", WorkOutcome::kDone);
//
// Thread-safe (workers of one triad claim and finish concurrently). Without a state
// manager it records nothing. A failed write of the file never stops the triad: it is
// logged, and the first one is kept in first_error().
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/base/mutex.h"
#include "hfs/state/shared_state_manager.h"

namespace hfs::triad {

enum class WorkOutcome { kDone, kNotDone };

class WorkLog {
 public:
  WorkLog(state::SharedStateManager* state, std::string triad)
      : state_(state), triad_(std::move(triad)) {}

  state::SharedStateManager* state() const { return state_; }

  // One item per (section, task) in one write, registered as planned by `planner`.
  void Plan(const std::string& planner,
            const std::vector<std::pair<std::string, std::string>>& tasks);
  // Claims the section's item for `agent` (adding the item when it was not planned).
  void Claim(const std::string& section, const std::string& agent);
  // Completes (kDone) or releases the section's item.
  void Finish(const std::string& section, const std::string& agent, WorkOutcome outcome);

  std::optional<Error> first_error() const;

 private:
  void Note(const Error& error);
  std::optional<std::string> ItemOf(const std::string& section) const;

  state::SharedStateManager* const state_;
  const std::string triad_;
  mutable Mutex mu_;
  std::map<std::string, std::string> item_of_ HFS_GUARDED_BY(mu_);  // section -> item id
  std::optional<Error> first_error_ HFS_GUARDED_BY(mu_);
};

// "layout: hero — hero banner with a call to action".
std::string WorkItemText(const std::string& triad, const std::string& section,
                         const std::string& task);

}  // namespace hfs::triad
