// The arbiter's system and user prompts.
#include "hfs/pipeline/arbiter_prompt.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>
#include <string_view>
#include <vector>

#include "hfs/base/check.h"

namespace hfs::pipeline {
namespace {

const triad::TriadOptions* FindTriad(const std::vector<triad::TriadOptions>& triads,
                                     std::string_view id) {
  for (const triad::TriadOptions& options : triads) {
    if (options.id == id) return &options;
  }
  return nullptr;
}

std::string ListOrNone(const std::vector<std::string>& names) {
  return names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "));
}

void AppendClaimants(const spec::Section& section, const ArbiterRequest& request,
                     std::string& out) {
  out += "## Claimants\n";
  for (const std::string& claimant : section.claims) {
    const triad::TriadOptions* options = FindTriad(request.triads, claimant);
    std::vector<std::string> objectives;
    std::vector<std::string> primary;
    if (options != nullptr) {
      objectives = options->objectives;
      primary = options->scope.primary;
    }
    auto proposal = section.proposals.find(claimant);
    bool has_proposal = proposal != section.proposals.end() && !proposal->second.empty();
    fmt::format_to(std::back_inserter(out),
                   "\n### Triad: {}\nObjectives: {}\nPrimary scope: {}\nProposal:\n{}\n", claimant,
                   ListOrNone(objectives), ListOrNone(primary),
                   has_proposal ? proposal->second : std::string("No proposal submitted"));
  }
}

void AppendHistory(const spec::Section& section, std::string& out) {
  out += "\n## Recent history of this section\n";
  if (section.history.empty()) {
    out += "No history.\n";
    return;
  }
  size_t shown = std::min<size_t>(section.history.size(), kArbiterHistoryEntries);
  for (size_t i = section.history.size() - shown; i < section.history.size(); ++i) {
    const spec::HistoryEntry& entry = section.history[i];
    fmt::format_to(std::back_inserter(out), "Round {}: {} -> {}\n", entry.round, entry.by,
                   entry.action);
  }
}

void AppendSpecSummary(const spec::Spec& spec, std::string& out) {
  fmt::format_to(std::back_inserter(out),
                 "\n## Spec summary\nTemperature: {:.2f}\nRound: {}\nStatus: {}\n"
                 "Contested sections: {}\nClaimed sections: {}\nUnclaimed sections: {}\n"
                 "Frozen sections: {}\n",
                 spec.Temperature(), spec.Round(), spec::SpecStatusName(spec.Status()),
                 ListOrNone(spec.Contested()), ListOrNone(spec.Claimed()),
                 ListOrNone(spec.Unclaimed()), ListOrNone(spec.Frozen()));
}

constexpr std::string_view kConsiderations = R"(
## Consider
1. User intent: which choice serves the user's request best?
2. Global coherence: which choice fits the rest of the spec?
3. Merging or splitting: can the proposals be merged into one, or the section split into
   parts that each claimant owns?
4. Future conflicts: which choice avoids new disputes later?
)";

constexpr std::string_view kShapes = R"(
## Reply
Reply with exactly one JSON object, and nothing else, in one of these shapes. Every triad
you name must be one of the claimants above.

Give the whole section to one claimant:
{"type": "assign", "winner": "<claimant id>", "rationale": "<why>"}

Split the section into new sub-sections (at least two, with distinct names that are not
already sections of the spec), each
owned by one claimant, who keeps its proposal for it:
{"type": "split", "division": [{"sub_section": "<new section name>", "triad": "<claimant id>"},
 {"sub_section": "<new section name>", "triad": "<claimant id>"}], "rationale": "<why>"}

Merge the proposals into one and give the section to one claimant:
{"type": "merge", "merged_proposal": "<the merged proposal>", "assigned_to": "<claimant id>",
 "rationale": "<why>"}
)";

}  // namespace

std::string ArbiterSystemPrompt() {
  return "You are the arbiter of HFS, a system in which teams of agents (triads) divide the "
         "sections of a frontend spec between them. Two or more triads claim the same section "
         "and could not agree. Settle it fairly and reply with the JSON decision only.";
}

std::string ArbiterUserPrompt(const ArbiterRequest& request) {
  HFS_CHECK(request.spec != nullptr, "ArbiterUserPrompt needs a spec");
  const spec::Spec& spec = *request.spec;
  std::string out;
  fmt::format_to(std::back_inserter(out),
                 "# Deadlock to settle\nUser request: {}\nSection: {}\nTemperature: {:.2f}\n"
                 "Round: {}\n\n",
                 request.request.empty() ? std::string("Not specified") : request.request,
                 request.section, spec.Temperature(), spec.Round());
  if (const spec::Section* section = spec.Get(request.section); section != nullptr) {
    AppendClaimants(*section, request, out);
    AppendHistory(*section, out);
  }
  AppendSpecSummary(spec, out);
  out += kConsiderations;
  out += kShapes;
  return out;
}

}  // namespace hfs::pipeline
