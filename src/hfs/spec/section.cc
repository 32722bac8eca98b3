#include "hfs/spec/section.h"

#include <algorithm>

namespace hfs::spec {

std::string_view SectionStatusName(SectionStatus status) {
  switch (status) {
    case SectionStatus::kUnclaimed:
      return "unclaimed";
    case SectionStatus::kClaimed:
      return "claimed";
    case SectionStatus::kContested:
      return "contested";
    case SectionStatus::kFrozen:
      return "frozen";
  }
  return "unknown";
}

bool Section::IsClaimant(std::string_view triad) const {
  return std::find(claims.begin(), claims.end(), triad) != claims.end();
}

}  // namespace hfs::spec
