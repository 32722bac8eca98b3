#include "hfs/pipeline/region_scopes.h"

#include <algorithm>
#include <string>

namespace hfs::pipeline {
namespace {

constexpr std::string_view kAllRegions = "page/*";

// Removes `page/*` from `list`; true when it was there.
bool TakeAllRegions(std::vector<std::string>& list) {
  auto it = std::find(list.begin(), list.end(), kAllRegions);
  if (it == list.end()) return false;
  list.erase(it);
  return true;
}

bool Holds(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

std::vector<triad::TriadOptions> ExpandRegionScopes(std::vector<triad::TriadOptions> triads,
                                                    const page::PageOutline& outline) {
  std::vector<size_t> owners;
  std::vector<size_t> contenders;
  for (size_t i = 0; i < triads.size(); ++i) {
    if (TakeAllRegions(triads[i].scope.primary)) owners.push_back(i);
    if (TakeAllRegions(triads[i].scope.reach)) contenders.push_back(i);
  }
  size_t next_contender = 0;
  for (size_t r = 0; r < outline.regions.size(); ++r) {
    const std::string& section = outline.regions[r].section;
    std::optional<size_t> owner;
    if (!owners.empty()) {
      owner = owners[r % owners.size()];
      if (!Holds(triads[*owner].scope.primary, section)) {
        triads[*owner].scope.primary.push_back(section);
      }
    }
    for (size_t tried = 0; tried < contenders.size(); ++tried) {
      size_t candidate = contenders[next_contender++ % contenders.size()];
      if (owner == candidate || Holds(triads[candidate].scope.primary, section)) continue;
      if (!Holds(triads[candidate].scope.reach, section)) {
        triads[candidate].scope.reach.push_back(section);
      }
      break;
    }
  }
  return triads;
}

}  // namespace hfs::pipeline
