#include "hfs/triad/preset.h"

namespace hfs::triad {
namespace {

constexpr std::array<PresetInfo, 3> kPresets = {{
    {Preset::kHierarchical,
     "hierarchical",
     {"orchestrator", "worker_a", "worker_b"},
     "layout, state management, performance, code generation",
     "the orchestrator decomposes the task, workers execute in parallel, the orchestrator "
     "merges and reviews"},
    {Preset::kDialectic,
     "dialectic",
     {"proposer", "critic", "synthesizer"},
     "visual design, motion design, interaction patterns, creative decisions",
     "the proposer proposes, the critic critiques, the proposer revises, the synthesizer "
     "resolves"},
    {Preset::kConsensus,
     "consensus",
     {"peer_1", "peer_2", "peer_3"},
     "accessibility, standards compliance, coherence checking",
     "all peers propose in parallel, debate, vote (2 of 3 majority), finalize"},
}};

}  // namespace

const PresetInfo& DescribePreset(Preset preset) {
  for (const PresetInfo& info : kPresets) {
    if (info.preset == preset) return info;
  }
  return kPresets[0];
}

std::string_view PresetName(Preset preset) { return DescribePreset(preset).name; }

std::optional<Preset> ParsePreset(std::string_view name) {
  for (const PresetInfo& info : kPresets) {
    if (info.name == name) return info.preset;
  }
  return std::nullopt;
}

}  // namespace hfs::triad
