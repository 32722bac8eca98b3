#include "hfs/triad/work_log.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "hfs/base/text.h"

namespace hfs::triad {
namespace {

// One line, without the markers the state format reserves.
// One line the state file accepts: control characters become spaces, no claim marker,
// at most 160 bytes, cut at a UTF-8 character boundary.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  for (size_t at = text.find("[IP:"); at != std::string::npos; at = text.find("[IP:")) {
    text.replace(at, 4, "(IP:");
  }
  constexpr size_t kMax = 160;
  if (text.size() > kMax) {
    text = text.substr(0, Utf8Boundary(text, kMax - 3)) + "...";
  }
  // The state file refuses a text that ends like the start of a claim marker.
  for (std::string_view tail : {"[IP", "[I", "["}) {
    if (text.size() >= tail.size() &&
        text.compare(text.size() - tail.size(), tail.size(), tail) == 0) {
      text.resize(text.size() - tail.size());
    }
  }
  return text;
}

}  // namespace

std::string WorkItemText(const std::string& triad, const std::string& section,
                         const std::string& task) {
  return OneLine(task.empty() ? fmt::format("{}: write section {}", triad, section)
                              : fmt::format("{}: write section {} ({})", triad, section, task));
}

void WorkLog::Plan(const std::string& planner,
                   const std::vector<std::pair<std::string, std::string>>& tasks) {
  if (state_ == nullptr || tasks.empty()) return;
  if (Result<void> registered = state_->RegisterAgent(planner); !registered) {
    Note(registered.error());
  }
  std::vector<std::string> descriptions;
  for (const auto& [section, task] : tasks) {
    descriptions.push_back(WorkItemText(triad_, section, task));
  }
  Result<std::vector<state::WorkItem>> added = state_->AddItems(descriptions);
  if (!added) return Note(added.error());
  MutexLock lock(mu_);
  for (size_t i = 0; i < tasks.size() && i < added->size(); ++i) {
    item_of_[tasks[i].first] = (*added)[i].id;
  }
}

std::optional<std::string> WorkLog::ItemOf(const std::string& section) const {
  MutexLock lock(mu_);
  auto it = item_of_.find(section);
  if (it == item_of_.end()) return std::nullopt;
  return it->second;
}

void WorkLog::Claim(const std::string& section, const std::string& agent) {
  if (state_ == nullptr) return;
  std::optional<std::string> id = ItemOf(section);
  if (!id) {
    Result<state::WorkItem> added = state_->AddItem(WorkItemText(triad_, section, ""));
    if (!added) return Note(added.error());
    id = added->id;
    MutexLock lock(mu_);
    item_of_[section] = *id;
  }
  // A claim also enters the agent in the registry.
  Result<state::ItemUpdate> claimed = state_->Claim(*id, agent);
  if (!claimed) return Note(claimed.error());
  if (!claimed->applied()) spdlog::debug("work item {}: {}", *id, claimed->message);
}

void WorkLog::Finish(const std::string& section, const std::string& agent, WorkOutcome outcome) {
  if (state_ == nullptr) return;
  std::optional<std::string> id = ItemOf(section);
  if (!id) return;
  Result<state::ItemUpdate> finished =
      outcome == WorkOutcome::kDone ? state_->Complete(*id, agent) : state_->Release(*id, agent);
  if (!finished) return Note(finished.error());
  // The agent may have completed or released it with update_work_item already.
  if (!finished->applied()) spdlog::debug("work item {}: {}", *id, finished->message);
}

std::optional<Error> WorkLog::first_error() const {
  MutexLock lock(mu_);
  return first_error_;
}

void WorkLog::Note(const Error& error) {
  spdlog::warn("shared state file: {}", error.message);
  MutexLock lock(mu_);
  if (!first_error_) first_error_ = error;
}

}  // namespace hfs::triad
