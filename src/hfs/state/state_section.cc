#include "hfs/state/state_section.h"

namespace hfs::state {

std::string_view StateSectionTitle(StateSection section) {
  switch (section) {
    case StateSection::kAvailable:
      return "Available Work Items";
    case StateSection::kInProgress:
      return "In Progress";
    case StateSection::kCompleted:
      return "Completed";
    case StateSection::kAgentRegistry:
      return "Agent Registry";
  }
  return "Available Work Items";
}

StateSection SectionFor(WorkStatus status) {
  switch (status) {
    case WorkStatus::kAvailable:
      return StateSection::kAvailable;
    case WorkStatus::kInProgress:
      return StateSection::kInProgress;
    case WorkStatus::kCompleted:
      return StateSection::kCompleted;
  }
  return StateSection::kAvailable;
}

}  // namespace hfs::state
