#include "hfs/triad/code_review.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "hfs/base/text.h"

namespace hfs::triad {

agent::Tool ReviewCodeTool(CodeReview& target, std::vector<std::string> sections) {
  using agent::Required;
  using agent::Schema;
  Schema parameters =
      Schema::Object()
          .Property("verdict", Schema::Enum({"approve", "send_back"}), Required::kYes)
          .Property("section_id",
                    Schema::Enum(std::move(sections))
                        .Describe("send_back: the section to write again; approve: any"),
                    Required::kYes)
          .Property("reasons",
                    Schema::String().Length(1, 2000).Describe(
                        "send_back: what is wrong and what to change, concretely"),
                    Required::kYes);
  return agent::MakeTool(
      "review_code",
      "Give your verdict on the code your workers wrote: approve it, or send back the one "
      "section with the most serious defect, with concrete reasons; its worker writes it once "
      R"(more. Example: {"verdict":"send_back","section_id":"page/hero","reasons":"the )"
      R"(headline is placeholder text; use the product name and its promise"})",
      std::move(parameters),
      [&target](const nlohmann::json& arguments, agent::ToolContext&) -> Result<nlohmann::json> {
        target.verdict = arguments.at("verdict").get<std::string>();
        target.section = arguments.at("section_id").get<std::string>();
        target.reasons = arguments.at("reasons").get<std::string>();
        return nlohmann::json{
            {"success", true},
            {"message", target.SentBack() ? "Sent back " + target.section : "Approved"}};
      });
}

std::string CodeForReview(const std::vector<StagedFile>& files, size_t max_chars_per_file) {
  std::string out;
  for (const StagedFile& file : files) {
    std::string content = file.content;
    std::string note;
    if (content.size() > max_chars_per_file) {
      const size_t end = Utf8Boundary(content, max_chars_per_file);
      note = fmt::format("\n... ({} more characters not shown)", content.size() - end);
      content.resize(end);
    }
    out += fmt::format("### {} ({})\n```\n{}{}\n```\n\n", file.section, file.path, content, note);
  }
  return out;
}

}  // namespace hfs::triad
