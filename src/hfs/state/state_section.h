// hfs/state/state_section.h
//
// The four `##` sections of the shared state file (docs/state-format.md) and which one
// holds the items of each status.
//
//   std::string_view title = StateSectionTitle(StateSection::kInProgress);  // "In Progress"
//   StateSection section = SectionFor(WorkStatus::kCompleted);            // kCompleted
//
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "hfs/state/work_item.h"

namespace hfs::state {

// In file order.
enum class StateSection { kAvailable, kInProgress, kCompleted, kAgentRegistry };

inline constexpr StateSection kItemSections[] = {
    StateSection::kAvailable, StateSection::kInProgress, StateSection::kCompleted};
inline constexpr StateSection kAllSections[] = {StateSection::kAvailable, StateSection::kInProgress,
                                                StateSection::kCompleted,
                                                StateSection::kAgentRegistry};

// "Available Work Items", "In Progress", "Completed", "Agent Registry".
std::string_view StateSectionTitle(StateSection section);
// The section that holds items of `status`.
StateSection SectionFor(WorkStatus status);

}  // namespace hfs::state
