// hfs/pipeline/region_scopes.h
//
// ExpandRegionScopes: a config names the page's regions in scopes as `page/*`, before
// the outline exists. Once it does, each `page/*` is replaced by concrete region sections:
// the regions are dealt in page order, round-robin, among the triads that name `page/*`
// in their primary scope (so each region has one default owner and the work spreads), and
// likewise among those that name it in their reach (skipping a region's default owner),
// so each region also has a contender who may claim it and negotiate.
//
//   std::vector<triad::TriadOptions> triads = ExpandRegionScopes(config.triads, outline);
//
// Pure; thread-safe.
#pragma once

#include <vector>

#include "hfs/page/page_outline.h"
#include "hfs/triad/triad_options.h"

namespace hfs::pipeline {

std::vector<triad::TriadOptions> ExpandRegionScopes(std::vector<triad::TriadOptions> triads,
                                                    const page::PageOutline& outline);

}  // namespace hfs::pipeline
