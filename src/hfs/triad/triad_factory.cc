#include "hfs/triad/triad_factory.h"

#include "hfs/base/check.h"
#include "hfs/triad/consensus_triad.h"
#include "hfs/triad/dialectic_triad.h"
#include "hfs/triad/hierarchical_triad.h"

namespace hfs::triad {

std::unique_ptr<Triad> MakeTriad(TriadOptions options, TriadDeps deps) {
  HFS_CHECK(deps.models != nullptr && deps.budget != nullptr && deps.code != nullptr &&
                deps.prompts != nullptr,
            "a triad needs a model source, a budget, a code generator and prompts");
  switch (options.preset) {
    case Preset::kHierarchical:
      return std::make_unique<HierarchicalTriad>(std::move(options), std::move(deps));
    case Preset::kDialectic:
      return std::make_unique<DialecticTriad>(std::move(options), std::move(deps));
    case Preset::kConsensus:
      return std::make_unique<ConsensusTriad>(std::move(options), std::move(deps));
  }
  return nullptr;
}

}  // namespace hfs::triad
