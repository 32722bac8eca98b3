#include "hfs/page/section_role.h"

#include <array>
#include <utility>

namespace hfs::page {
namespace {

// Words that name a contribution, checked in order (the first match wins).
constexpr std::array<std::pair<std::string_view, Contribution>, 27> kWords = {{
    {"persist", Contribution::kBehaviour},
    {"keyboard", Contribution::kBehaviour},
    {"motion", Contribution::kBehaviour},
    {"animation", Contribution::kBehaviour},
    {"transition", Contribution::kBehaviour},
    {"interaction", Contribution::kBehaviour},
    {"input", Contribution::kBehaviour},
    {"feedback", Contribution::kBehaviour},
    {"navigation", Contribution::kBehaviour},
    {"behavio", Contribution::kBehaviour},
    {"data", Contribution::kData},
    {"content", Contribution::kData},
    {"state", Contribution::kData},
    {"color", Contribution::kTokens},
    {"colour", Contribution::kTokens},
    {"token", Contribution::kTokens},
    {"theme", Contribution::kTokens},
    {"palette", Contribution::kTokens},
    {"spacing", Contribution::kTokens},
    {"visual", Contribution::kTokens},
    {"accessib", Contribution::kRequirements},
    {"a11y", Contribution::kRequirements},
    {"semantic", Contribution::kRequirements},
    {"screen_reader", Contribution::kRequirements},
    {"seo", Contribution::kRequirements},
    {"performance", Contribution::kRequirements},
    {"typograph", Contribution::kStyles},
}};

std::optional<Contribution> FromWords(std::string_view segment) {
  for (const auto& [word, contribution] : kWords) {
    if (segment.find(word) != std::string_view::npos) return contribution;
  }
  return std::nullopt;
}

}  // namespace

std::string_view SectionKindName(SectionKind kind) {
  return kind == SectionKind::kRegion ? "region" : "concern";
}

std::string_view ContributionName(Contribution contribution) {
  switch (contribution) {
    case Contribution::kTokens:
      return "tokens";
    case Contribution::kStyles:
      return "styles";
    case Contribution::kData:
      return "data";
    case Contribution::kRequirements:
      return "requirements";
    case Contribution::kBehaviour:
      return "behaviour";
  }
  return "styles";
}

std::optional<Contribution> ParseContribution(std::string_view name) {
  for (Contribution c : {Contribution::kTokens, Contribution::kStyles, Contribution::kData,
                         Contribution::kRequirements, Contribution::kBehaviour}) {
    if (ContributionName(c) == name) return c;
  }
  if (name == "behavior") return Contribution::kBehaviour;
  return std::nullopt;
}

Contribution InferContribution(std::string_view section) {
  size_t slash = section.rfind('/');
  std::string_view last = slash == std::string_view::npos ? section : section.substr(slash + 1);
  if (std::optional<Contribution> found = FromWords(last)) return *found;
  std::string_view first = section.substr(0, section.find('/'));
  if (std::optional<Contribution> found = FromWords(first)) return *found;
  return Contribution::kStyles;
}

Wave WaveOf(const SectionRole& role) {
  if (role.kind == SectionKind::kRegion) return Wave::kRegions;
  return role.contribution == Contribution::kBehaviour ? Wave::kBehaviour : Wave::kFoundations;
}

std::string_view WaveName(Wave wave) {
  switch (wave) {
    case Wave::kFoundations:
      return "foundations";
    case Wave::kRegions:
      return "regions";
    case Wave::kBehaviour:
      return "behaviour";
  }
  return "regions";
}

}  // namespace hfs::page
