#include "hfs/triad/phase_prompts.h"

#include <fmt/format.h>

#include <algorithm>

namespace hfs::triad {

Result<std::string> NegotiationPrompt(const TriadCore& core, const PhaseInput& input,
                                      const std::string& section) {
  const TriadOptions& options = core.options();
  const spec::Section* found = input.spec != nullptr ? input.spec->Get(section) : nullptr;
  if (found == nullptr) {
    return Fail(ErrorCode::kNotFound, fmt::format("section '{}' is not in the spec", section));
  }
  const bool primary = std::find(options.scope.primary.begin(), options.scope.primary.end(),
                                 section) != options.scope.primary.end();
  std::string mine = "(none)";
  std::string others;
  for (const auto& [triad, proposal] : found->proposals) {
    if (triad == options.id) {
      mine = proposal;
    } else {
      others += fmt::format("- {}: {}\n", triad, proposal.substr(0, kOtherProposalChars));
    }
  }
  return core.Prompt("negotiation", input,
                     {{"section", section},
                      {"importance", primary ? "PRIMARY (your triad owns it by default)"
                                             : "REACH (outside your primary scope)"},
                      {"your_proposal", mine},
                      {"other_proposals", others.empty() ? "(none)" : others}});
}

std::string FrozenSpecText(const PhaseInput& input) {
  if (input.spec == nullptr) return "(no spec)";
  std::string out;
  for (const std::string& name : input.spec->SectionNames()) {
    const spec::Section* section = input.spec->Get(name);
    out += fmt::format("- {}: {}: {}\n", name, section->owner.value_or("(no owner)"),
                       section->content.value_or(""));
  }
  return out;
}

}  // namespace hfs::triad
