// hfs/tiers/phase.h
//
// The nine phases of a run, in order, named as they appear in config
// (`model_tiers.phase_overrides`), spans (`hfs.phase.<name>`) and reports.
//
//   for (Phase phase : kAllPhases) Print(PhaseName(phase));
//
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace hfs::tiers {

enum class Phase {
  kInput,
  kSpawn,
  kDeliberation,
  kClaims,
  kNegotiation,
  kFreeze,
  kExecution,
  kIntegration,
  kOutput,
};

inline constexpr std::array<Phase, 9> kAllPhases = {
    Phase::kInput,  Phase::kSpawn,     Phase::kDeliberation, Phase::kClaims, Phase::kNegotiation,
    Phase::kFreeze, Phase::kExecution, Phase::kIntegration,  Phase::kOutput};

std::string_view PhaseName(Phase phase);
std::optional<Phase> ParsePhase(std::string_view name);

}  // namespace hfs::tiers
