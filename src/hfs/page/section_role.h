// hfs/page/section_role.h
//
// What a section of the spec is on the page. A *region* is a visible part of the page
// (hero, pricing, FAQ), rendered in outline order inside its own root element. A
// *concern* (colors, typography, motion, keyboard, data, persistence) is never rendered
// as a panel: it contributes design tokens, base styles, data, requirements for the
// region writers, or behaviour that attaches to the regions' hooks.
//
// Execution runs in waves by what a section contributes: the contract-defining concerns
// (tokens, styles, data, requirements) first, then the regions, then the behaviour
// concerns that attach to the regions.
//
//   SectionRole role = {.kind = SectionKind::kConcern,
//                       .contribution = InferContribution("visual/colors")};  // kTokens
//   if (WaveOf(role) == Wave::kRegions) ...
//
// Plain value types and pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hfs::page {

enum class SectionKind { kRegion, kConcern };
enum class Contribution { kTokens, kStyles, kData, kRequirements, kBehaviour };

struct SectionRole {
  SectionKind kind = SectionKind::kConcern;
  // Meaningful for concerns only.
  Contribution contribution = Contribution::kStyles;

  bool operator==(const SectionRole&) const = default;
};

// "region", "concern".
std::string_view SectionKindName(SectionKind kind);
// "tokens", "styles", "data", "requirements", "behaviour".
std::string_view ContributionName(Contribution contribution);
// The contribution named `name` (as ContributionName gives); nullopt for another word.
std::optional<Contribution> ParseContribution(std::string_view name);

// The contribution a concern's name suggests: its last path segment first, then its
// first ("visual/colors" -> tokens, "state/data_flow" -> data, "state/persistence" ->
// behaviour, "accessibility/semantic" -> requirements); styles when nothing matches.
Contribution InferContribution(std::string_view section);

// Execution waves, in order.
enum class Wave { kFoundations = 0, kRegions = 1, kBehaviour = 2 };
inline constexpr int kWaveCount = 3;

Wave WaveOf(const SectionRole& role);
// "foundations", "regions", "behaviour".
std::string_view WaveName(Wave wave);

}  // namespace hfs::page
