#include "hfs/triad/phase_summary.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace hfs::triad {

agent::Tool SubmitPhaseSummaryTool(PhaseSummary& target) {
  using agent::Required;
  using agent::Schema;
  Schema text = Schema::String().Length(1, 500);
  Schema parameters =
      Schema::Object()
          .Property("decisions",
                    Schema::Array(text).Items(0, 30).Describe("What the triad decided"),
                    Required::kYes)
          .Property("open_questions", Schema::Array(text).Items(0, 20), Required::kYes)
          .Property(
              "artifacts",
              Schema::Array(Schema::Object()
                                .Property("name", Schema::String().Length(1, 200), Required::kYes)
                                .Property("description", text, Required::kYes))
                  .Items(0, 50),
              Required::kYes);
  return agent::MakeTool(
      "submit_phase_summary",
      "Record the triad's summary of the phase that is ending: the decisions made, the "
      "questions left open for the next phase, and the artifacts produced (claims, "
      "proposals, files). Call it once, at the end of the phase. Example: "
      R"({"decisions":["claim layout with a 12-column grid"],"open_questions":[],)"
      R"("artifacts":[{"name":"layout proposal","description":"grid and breakpoints"}]})",
      std::move(parameters),
      [&target](const nlohmann::json& arguments, agent::ToolContext&) -> Result<nlohmann::json> {
        target.decisions = arguments.at("decisions").get<std::vector<std::string>>();
        target.open_questions = arguments.at("open_questions").get<std::vector<std::string>>();
        target.artifacts.clear();
        for (const nlohmann::json& artifact : arguments.at("artifacts")) {
          target.artifacts.emplace_back(artifact.at("name").get<std::string>(),
                                        artifact.at("description").get<std::string>());
        }
        target.submitted = true;
        return nlohmann::json{{"success", true}, {"message", "Phase summary recorded"}};
      });
}

std::string RenderSummary(const PhaseSummary& summary) {
  if (!summary.submitted) return "";
  std::string out = fmt::format("Summary of the {} phase (by {}):\nDecisions:\n", summary.phase,
                                summary.produced_by);
  for (const std::string& decision : summary.decisions) out += "- " + decision + "\n";
  out += "Open questions:\n";
  for (const std::string& question : summary.open_questions) out += "- " + question + "\n";
  out += "Artifacts:\n";
  for (const auto& [name, description] : summary.artifacts) {
    out += fmt::format("- {}: {}\n", name, description);
  }
  return out;
}

}  // namespace hfs::triad
