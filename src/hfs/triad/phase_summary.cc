#include "hfs/triad/phase_summary.h"

#include <fmt/format.h>

#include <map>

#include "hfs/base/text.h"

namespace hfs::triad {
namespace {

constexpr size_t kExcerptBytes = 160;

// The first line of `text`, cut at a character boundary near kExcerptBytes.
std::string Excerpt(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() <= kExcerptBytes) return line;
  return line.substr(0, Utf8Boundary(line, kExcerptBytes)) + "...";
}

}  // namespace

PhaseSummary SummarizePhase(std::string phase, std::string produced_by, const Outbox& outbox,
                            std::vector<std::string> failed_steps) {
  PhaseSummary summary{.phase = std::move(phase),
                       .produced_by = std::move(produced_by),
                       .open_questions = std::move(failed_steps),
                       .submitted = true};
  for (const spec::StagedClaim& claim : outbox.claims()) {
    summary.decisions.push_back(
        fmt::format("claimed {}: {}", claim.section, Excerpt(claim.proposal)));
  }
  for (const spec::StagedDecision& decision : outbox.decisions()) {
    std::string line = fmt::format("{}: {}", decision.section, DecisionName(decision.decision));
    if (!decision.revised_proposal.empty()) line += ": " + Excerpt(decision.revised_proposal);
    summary.decisions.push_back(std::move(line));
  }
  std::map<std::string, int> files_of;  // section -> files written
  std::vector<std::string> sections;    // in first-written order
  for (const StagedFile& file : outbox.files()) {
    if (files_of[file.section]++ == 0) sections.push_back(file.section);
    summary.artifacts.emplace_back(file.path, "code of " + file.section);
  }
  for (const std::string& section : sections) {
    summary.decisions.push_back(fmt::format("wrote {} ({} file{})", section, files_of[section],
                                            files_of[section] == 1 ? "" : "s"));
  }
  return summary;
}

std::string RenderSummary(const PhaseSummary& summary) {
  if (!summary.submitted) return "";
  std::string out = fmt::format("Summary of the {} phase (by {}):\nDecisions:\n", summary.phase,
                                summary.produced_by);
  if (summary.decisions.empty()) out += "- none\n";
  for (const std::string& decision : summary.decisions) out += "- " + decision + "\n";
  if (!summary.open_questions.empty()) {
    out += "Open questions:\n";
    for (const std::string& question : summary.open_questions) out += "- " + question + "\n";
  }
  if (!summary.artifacts.empty()) {
    out += "Artifacts:\n";
    for (const auto& [name, description] : summary.artifacts) {
      out += fmt::format("- {}: {}\n", name, description);
    }
  }
  return out;
}

}  // namespace hfs::triad
