#include "hfs/pipeline/takeover.h"

#include <algorithm>
#include <limits>

namespace hfs::pipeline {
namespace {

bool Has(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

}  // namespace

std::optional<std::string> SuccessorFor(const std::string& section, const std::string& from,
                                        const std::vector<triad::TriadOptions>& triads,
                                        const std::set<std::string>& retired,
                                        const std::map<std::string, int>& load) {
  std::vector<const triad::TriadOptions*> live;
  for (const triad::TriadOptions& triad : triads) {
    if (triad.id != from && !retired.contains(triad.id)) live.push_back(&triad);
  }
  for (const triad::TriadOptions* triad : live) {
    if (Has(triad->scope.primary, section)) return triad->id;
  }
  for (const triad::TriadOptions* triad : live) {
    if (Has(triad->scope.reach, section)) return triad->id;
  }
  const triad::TriadOptions* lightest = nullptr;
  int fewest = std::numeric_limits<int>::max();
  for (const triad::TriadOptions* triad : live) {
    auto it = load.find(triad->id);
    const int count = it == load.end() ? 0 : it->second;
    if (count < fewest) {
      fewest = count;
      lightest = triad;
    }
  }
  if (lightest != nullptr) return lightest->id;
  if (!retired.contains(from)) return from;
  return std::nullopt;
}

}  // namespace hfs::pipeline
