// hfs/triad/triad_options.h
//
// TriadOptions: one entry of the config's `triads` list. A triad is three LLM agents
// acting as one party; its preset is the internal topology. `scope.primary` holds the
// sections it owns by default, `scope.reach` the sections it may also compete for.
//
//   TriadOptions layout{.id = "layout", .preset = Preset::kHierarchical,
//                       .scope = {.primary = {"layout"}, .reach = {"visual"}}};
//
// Plain value type.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hfs/agent/budget_limits.h"

namespace hfs::triad {

enum class Preset { kHierarchical, kDialectic, kConsensus };

struct Scope {
  std::vector<std::string> primary;
  std::vector<std::string> reach;
};

struct TriadOptions {
  std::string id;
  Preset preset = Preset::kHierarchical;
  Scope scope;
  agent::BudgetLimits budget;
  std::vector<std::string> objectives;
  // Appended to every agent prompt of this triad.
  std::optional<std::string> system_context;
};

}  // namespace hfs::triad
