// hfs/triad/triad_factory.h
//
// Builds the triad of a config entry with its preset's topology.
//
//   std::unique_ptr<Triad> triad = MakeTriad(config.triads[0], deps);
//
// Thread-safe free function. REQUIRES: deps.models, deps.budget, deps.code and
// deps.prompts are set.
#pragma once

#include <memory>

#include "hfs/triad/triad.h"

namespace hfs::triad {

std::unique_ptr<Triad> MakeTriad(TriadOptions options, TriadDeps deps);

}  // namespace hfs::triad
