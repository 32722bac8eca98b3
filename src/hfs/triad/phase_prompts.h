// hfs/triad/phase_prompts.h
//
// The prompt pieces every preset builds the same way from a phase's spec snapshot: the
// negotiation prompt for one contested section (this triad's proposal, the others', and
// whether the section is in its primary scope) and the frozen spec as text for execution.
//
//   std::string prompt = HFS_TRY(NegotiationPrompt(core, input, "layout"));
//   std::string spec_text = FrozenSpecText(input);
//
// Pure functions over the snapshot; thread-safe.
#pragma once

#include <string>

#include "hfs/triad/triad_core.h"

namespace hfs::triad {

// The most characters of another triad's proposal a negotiation prompt quotes.
inline constexpr size_t kOtherProposalChars = 1500;

Result<std::string> NegotiationPrompt(const TriadCore& core, const PhaseInput& input,
                                      const std::string& section);

// "section: owner: proposal" per line, from the snapshot.
std::string FrozenSpecText(const PhaseInput& input);

}  // namespace hfs::triad
