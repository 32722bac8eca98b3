// hfs/triad/preset.h
//
// The three triad presets and what they are for: names as written in config, the three
// roles of each, what each is recommended for, and the flow of one phase.
//
//   const PresetInfo& info = DescribePreset(Preset::kDialectic);
//   std::optional<Preset> preset = ParsePreset("consensus");
//
// Pure functions over static data; thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "hfs/triad/triad_options.h"

namespace hfs::triad {

struct PresetInfo {
  Preset preset;
  std::string_view name;
  std::array<std::string_view, 3> roles;
  std::string_view recommended_for;
  std::string_view flow;
};

inline constexpr std::array<Preset, 3> kAllPresets = {Preset::kHierarchical, Preset::kDialectic,
                                                      Preset::kConsensus};

const PresetInfo& DescribePreset(Preset preset);
std::string_view PresetName(Preset preset);
// nullopt for a name that is not a preset.
std::optional<Preset> ParsePreset(std::string_view name);

}  // namespace hfs::triad
