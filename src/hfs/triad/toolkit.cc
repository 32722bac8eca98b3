#include "hfs/triad/toolkit.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

namespace hfs::triad {
namespace {

using agent::Required;
using agent::Schema;
using nlohmann::json;

constexpr size_t kSummaryExcerpt = 200;
constexpr size_t kDetailExcerpt = 500;
constexpr size_t kNeighbourExcerpt = 300;

constexpr std::string_view kRegisterClaimDescription =
    "Claim a section of the shared spec for your triad and say what you would build there. "
    "Use it in deliberation for every section you want to own, and in negotiation to add a "
    "claim. Claims are staged and applied when the phase ends: until then get_current_claims "
    "lists them under your_staged_claims only. Constraints: section_id must be a section of "
    "the spec; a later claim on the same section replaces your earlier one; no claims once the "
    "spec is cooling (temperature at or below the freeze threshold) or frozen; at temperature "
    "0.5 or below, a claim on a section outside your primary scope ({scope}) needs a "
    "justification. Example: {{\"section_id\": \"hero\", \"proposal\": \"Full-width banner with "
    "headline, subline and one call-to-action button\", \"justification\": \"the hero carries "
    "our visual identity\"}}";

constexpr std::string_view kNegotiateResponseDescription =
    "Answer for a section you claim that other triads also claim. decision (lower case): "
    "\"concede\" withdraws your claim, \"revise\" keeps it with a new proposal (revised_proposal "
    "required), \"hold\" keeps your proposal unchanged. Decide once per contested section per "
    "round; a later call for the same section replaces your earlier decision. Decisions are "
    "staged and applied together when the round ends. Read the competing proposals with "
    "get_negotiation_state first. Example: {\"section_id\": \"hero\", \"decision\": \"revise\", "
    "\"revised_proposal\": \"Banner without the pricing teaser, which belongs to pricing\"}";

constexpr std::string_view kGenerateCodeDescription =
    "Write the code of a section your triad owns in the frozen spec. Use it in the execution "
    "phase, once per section you own (get_current_claims lists them under owned_by_you). A "
    "code model writes the files from the section's frozen proposal, the other sections' "
    "interfaces and your instructions; the files are staged as your triad's output, and a "
    "later call replaces files with the same paths. Example: {\"section_id\": \"hero\", "
    "\"instructions\": \"CSS grid, two columns on wide screens; the button links to #pricing\"}";

constexpr std::string_view kGetCurrentClaimsDescription =
    "Show the state of every section: unclaimed, claimed, contested and frozen sections, the "
    "sections your triad claims (your_claims) or owns (owned_by_you), the claims you staged "
    "this phase (your_staged_claims, applied when the phase ends), the temperature and the "
    "round. Takes no arguments. Use it before claiming, negotiating or generating code. "
    "Example: {}";

constexpr std::string_view kGetNegotiationStateDescription =
    "Show who claims the contested sections and what each claimant proposes (first 200 "
    "characters). With section_id, show that section in detail: status, owner, claimants and "
    "proposals (first 500 characters). Use it before negotiate_response to read the competing "
    "proposals. Example: {\"section_id\": \"hero\"} or {}";

json RuntimeError(std::string message, std::string context) {
  return {{"success", false},
          {"error", "runtime_error"},
          {"message", std::move(message)},
          {"context", std::move(context)},
          {"retry_allowed", false}};
}

std::string Trimmed(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1));
}

// The string argument `key`, trimmed; nullopt when absent or null.
std::optional<std::string> StringArgument(const json& arguments, const char* key) {
  auto it = arguments.find(key);
  if (it == arguments.end() || !it->is_string()) return std::nullopt;
  return Trimmed(it->get<std::string>());
}

// The first `max_chars` characters (UTF-8 code points) of `text`, with "..." when cut.
std::string Excerpt(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars++ == max_chars) return std::string(text.substr(0, i)) + "...";
  }
  return std::string(text);
}

int64_t Micros(double temperature) {
  return std::llround(temperature * static_cast<double>(spec::kTemperatureScale));
}

Error UnknownSection(const spec::Spec& spec, std::string_view section) {
  return Error{ErrorCode::kInvalidArgument,
               fmt::format("section_id: unknown section '{}'; known sections: {}", section,
                           fmt::join(spec.SectionNames(), ", "))};
}

json Proposals(const spec::Section& section, size_t max_chars) {
  json proposals = json::object();
  for (const auto& [triad, proposal] : section.proposals)
    proposals[triad] = Excerpt(proposal, max_chars);
  return proposals;
}

json ContestedEntry(const spec::Section& section) {
  return {{"claimants", section.claims}, {"proposals", Proposals(section, kSummaryExcerpt)}};
}

// Every other frozen section with content: name and the start of its content.
std::vector<std::pair<std::string, std::string>> Neighbours(const spec::Spec& spec,
                                                            std::string_view section) {
  std::vector<std::pair<std::string, std::string>> neighbours;
  for (const spec::Section& other : spec.Sections()) {
    if (other.name == section || other.status != spec::SectionStatus::kFrozen) continue;
    if (!other.content || other.content->empty()) continue;
    neighbours.emplace_back(other.name, Excerpt(*other.content, kNeighbourExcerpt));
  }
  return neighbours;
}

json NoSpec(std::string_view tool) {
  return RuntimeError("No spec is available in this phase", fmt::format("{}.precondition", tool));
}

spec::Decision ParseDecision(const std::string& name) {
  if (name == "concede") return spec::Decision::kConcede;
  if (name == "revise") return spec::Decision::kRevise;
  return spec::Decision::kHold;
}

std::string DecisionMessage(spec::Decision decision, const std::string& section) {
  switch (decision) {
    case spec::Decision::kConcede:
      return "Conceding " + section;
    case spec::Decision::kRevise:
      return "Revising proposal for " + section;
    case spec::Decision::kHold:
      return "Holding position on " + section;
  }
  return section;
}

Schema SectionId() {
  return Schema::String().Length(1, 128).Describe("The section's name, as in the spec");
}

// `allowed` empty: any section name; otherwise one of them.
Schema SectionId(std::vector<std::string> allowed) {
  if (allowed.empty()) return SectionId();
  return Schema::Enum(std::move(allowed)).Describe("The section's name, as in the spec");
}

}  // namespace

Toolkit::Toolkit(ToolkitOptions options, Outbox& outbox, CodeGenerator& code, agent::Budget* budget)
    : options_(std::move(options)), outbox_(outbox), code_(code), budget_(budget) {}

void Toolkit::SetView(PhaseView view) { view_ = std::move(view); }

bool Toolkit::InPrimaryScope(const std::string& section) const {
  const std::vector<std::string>& primary = options_.scope.primary;
  return std::find(primary.begin(), primary.end(), section) != primary.end();
}

agent::Tool Toolkit::RegisterClaim(std::vector<std::string> sections) const {
  std::string scope = options_.scope.primary.empty()
                          ? std::string("none")
                          : fmt::format("{}", fmt::join(options_.scope.primary, ", "));
  return agent::MakeTool(
      "register_claim",
      fmt::format(fmt::runtime(kRegisterClaimDescription), fmt::arg("scope", scope)),
      Schema::Object()
          .Property("section_id", SectionId(std::move(sections)), Required::kYes)
          .Property("proposal",
                    Schema::String().MinLength(1).Describe(
                        "What you would build in the section: structure, content, behaviour"),
                    Required::kYes)
          .Property("justification",
                    Schema::String().Describe(
                        "Why your triad should own it; required at temperature <= 0.5 for "
                        "sections outside your primary scope")),
      [this](const json& arguments, agent::ToolContext&) {
        return HandleRegisterClaim(arguments);
      });
}

agent::Tool Toolkit::NegotiateResponse(std::vector<std::string> sections) const {
  return agent::MakeTool(
      "negotiate_response", std::string(kNegotiateResponseDescription),
      Schema::Object()
          .Property("section_id", SectionId(std::move(sections)), Required::kYes)
          .Property("decision",
                    Schema::Enum({"concede", "revise", "hold"})
                        .Describe("Lower case: concede, revise or hold"),
                    Required::kYes)
          .Property("revised_proposal",
                    Schema::String().Describe("The new proposal; required for revise")),
      [this](const json& arguments, agent::ToolContext&) {
        return HandleNegotiateResponse(arguments);
      });
}

agent::Tool Toolkit::GenerateCode(std::vector<std::string> sections) const {
  return agent::MakeTool(
      "generate_code", std::string(kGenerateCodeDescription),
      Schema::Object()
          .Property("section_id", SectionId(std::move(sections)), Required::kYes)
          .Property("instructions",
                    Schema::String().Describe("Guidance for the code writer: layout, behaviour, "
                                              "how it connects to other sections")),
      [this](const json& arguments, agent::ToolContext& context) {
        return HandleGenerateCode(arguments, context);
      });
}

agent::Tool Toolkit::GetCurrentClaims() const {
  return agent::MakeTool(
      "get_current_claims", std::string(kGetCurrentClaimsDescription), Schema::Object(),
      [this](const json&, agent::ToolContext&) { return HandleGetCurrentClaims(); });
}

agent::Tool Toolkit::GetNegotiationState(std::vector<std::string> sections) const {
  return agent::MakeTool(
      "get_negotiation_state", std::string(kGetNegotiationStateDescription),
      Schema::Object().Property("section_id",
                                SectionId(std::move(sections))
                                    .Describe("A section to show in detail; omit for all contested "
                                              "sections")),
      [this](const json& arguments, agent::ToolContext&) {
        return HandleGetNegotiationState(arguments);
      });
}

std::vector<agent::Tool> Toolkit::All() const {
  return {RegisterClaim(), NegotiateResponse(), GenerateCode(), GetCurrentClaims(),
          GetNegotiationState()};
}

Result<json> Toolkit::HandleRegisterClaim(const json& arguments) const {
  if (view_.spec == nullptr) return NoSpec("register_claim");
  const spec::Spec& spec = *view_.spec;
  std::string section_id = StringArgument(arguments, "section_id").value_or("");
  if (section_id.empty()) return Fail(ErrorCode::kInvalidArgument, "section_id: must not be blank");
  if (view_.phase != "deliberation" && view_.phase != "negotiation") {
    return RuntimeError(fmt::format("Claims are only accepted in deliberation and negotiation "
                                    "(current phase: {})",
                                    view_.phase),
                        "register_claim.phase");
  }
  const spec::Section* section = spec.Get(section_id);
  if (section == nullptr) return Fail(UnknownSection(spec, section_id));
  if (spec.IsFrozen() || section->status == spec::SectionStatus::kFrozen) {
    return RuntimeError(fmt::format("Section '{}' is frozen; no more claims", section_id),
                        "register_claim.frozen");
  }
  if (spec.TemperatureMicros() <= Micros(view_.freeze_threshold)) {
    return RuntimeError(
        "the spec is cooling; no new claims (use negotiate_response for "
        "sections you already claim)",
        "register_claim.temperature");
  }
  std::optional<std::string> justification = StringArgument(arguments, "justification");
  if (justification && justification->empty()) justification.reset();
  if (spec.TemperatureMicros() <= Micros(0.5) && !InPrimaryScope(section_id) && !justification) {
    return Fail(ErrorCode::kInvalidArgument,
                "justification: required at temperature <= 0.5 for sections outside your "
                "primary scope");
  }
  outbox_.Claim({.triad = options_.triad_id,
                 .section = section_id,
                 .proposal = arguments["proposal"].get<std::string>(),
                 .justification = std::move(justification)});
  return json{{"success", true},
              {"message", "Claim staged for " + section_id},
              {"section_id", section_id},
              {"status", spec::SectionStatusName(section->status)},
              {"current_claimants", section->claims},
              {"note", "claims are applied when the phase ends"}};
}

Result<json> Toolkit::HandleNegotiateResponse(const json& arguments) const {
  if (view_.spec == nullptr) return NoSpec("negotiate_response");
  std::string section_id = StringArgument(arguments, "section_id").value_or("");
  if (section_id.empty()) return Fail(ErrorCode::kInvalidArgument, "section_id: must not be blank");
  spec::Decision decision = ParseDecision(arguments["decision"].get<std::string>());
  std::string name(spec::DecisionName(decision));
  std::optional<std::string> revised = StringArgument(arguments, "revised_proposal");
  if (decision == spec::Decision::kRevise && revised.value_or("").empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "revised_proposal: required when decision is 'revise'");
  }
  std::string context = "negotiate_response." + name;
  if (view_.phase != "negotiation") {
    return RuntimeError(fmt::format("Decisions are only accepted in negotiation (current phase: "
                                    "{})",
                                    view_.phase),
                        context);
  }
  const spec::Section* section = view_.spec->Get(section_id);
  if (section == nullptr)
    return RuntimeError(fmt::format("Section '{}' not found", section_id), context);
  if (section->status == spec::SectionStatus::kFrozen) {
    return RuntimeError(fmt::format("Section '{}' is frozen", section_id), context);
  }
  if (!section->IsClaimant(options_.triad_id)) {
    return RuntimeError(fmt::format("Could not {} - not a claimant of {}", name, section_id),
                        context);
  }
  outbox_.Decide({.triad = options_.triad_id,
                  .section = section_id,
                  .decision = decision,
                  .revised_proposal = decision == spec::Decision::kRevise ? *revised : ""});
  return json{{"success", true},
              {"message", DecisionMessage(decision, section_id)},
              {"section_id", section_id},
              {"decision", name},
              {"round_number", view_.spec->Round()},
              {"participants", section->claims},
              {"note", "decisions are applied when the round ends"}};
}

Result<json> Toolkit::HandleGenerateCode(const json& arguments,
                                         const agent::ToolContext& context) const {
  if (view_.spec == nullptr) return NoSpec("generate_code");
  const spec::Spec& spec = *view_.spec;
  std::string section_id = StringArgument(arguments, "section_id").value_or("");
  if (section_id.empty()) return Fail(ErrorCode::kInvalidArgument, "section_id: must not be blank");
  if (view_.phase != "execution" || !spec.IsFrozen()) {
    return RuntimeError("Spec must be frozen before generating code", "generate_code.precondition");
  }
  const spec::Section* section = spec.Get(section_id);
  if (section == nullptr) {
    return RuntimeError(fmt::format("Section '{}' not found", section_id),
                        "generate_code.precondition");
  }
  if (section->owner != options_.triad_id) {
    return RuntimeError(fmt::format("Not owner of section '{}' (owner: {})", section_id,
                                    section->owner.value_or("none")),
                        "generate_code.ownership");
  }
  CodeRequest request{.triad_id = options_.triad_id,
                      .section = section_id,
                      .section_content = section->content.value_or(""),
                      .neighbours = Neighbours(spec, section_id),
                      .instructions = StringArgument(arguments, "instructions").value_or(""),
                      .request = view_.request,
                      .contract = view_.contract};
  llm::CallContext call = context.call != nullptr ? *context.call : llm::CallContext{};
  Result<std::vector<StagedFile>> files = code_.Generate(request, call, budget_, context.usage);
  if (!files) return RuntimeError(files.error().message, "generate_code.model");
  std::vector<std::string> paths;
  size_t bytes = 0;
  for (StagedFile& file : *files) {
    paths.push_back(file.path);
    bytes += file.content.size();
    file.role = call.role;
    outbox_.AddFile(std::move(file));
  }
  return json{{"success", true},
              {"message", fmt::format("Generated {} file(s) for {}", paths.size(), section_id)},
              {"section_id", section_id},
              {"files", paths},
              {"bytes", bytes}};
}

Result<json> Toolkit::HandleGetCurrentClaims() const {
  if (view_.spec == nullptr) return NoSpec("get_current_claims");
  const spec::Spec& spec = *view_.spec;
  std::vector<std::string> yours;
  std::vector<std::string> owned;
  for (const spec::Section& section : spec.Sections()) {
    if (section.IsClaimant(options_.triad_id)) yours.push_back(section.name);
    if (section.owner == options_.triad_id) owned.push_back(section.name);
  }
  std::vector<std::string> staged;
  for (const spec::StagedClaim& claim : outbox_.claims()) staged.push_back(claim.section);
  return json{{"success", true},
              {"message", fmt::format("Spec in round {} at temperature {:.2f} ({})", spec.Round(),
                                      spec.Temperature(), spec::SpecStatusName(spec.Status()))},
              {"unclaimed", spec.Unclaimed()},
              {"claimed", spec.Claimed()},
              {"contested", spec.Contested()},
              {"frozen", spec.Frozen()},
              {"your_claims", yours},
              {"owned_by_you", owned},
              {"your_staged_claims", staged},
              {"temperature", spec.Temperature()},
              {"round", spec.Round()}};
}

Result<json> Toolkit::HandleGetNegotiationState(const json& arguments) const {
  if (view_.spec == nullptr) return NoSpec("get_negotiation_state");
  const spec::Spec& spec = *view_.spec;
  std::optional<std::string> section_id = StringArgument(arguments, "section_id");
  if (!section_id || section_id->empty()) {
    json contested = json::object();
    for (const spec::Section& section : spec.Sections()) {
      if (section.status == spec::SectionStatus::kContested)
        contested[section.name] = ContestedEntry(section);
    }
    size_t total = contested.size();
    return json{{"success", true},
                {"message", fmt::format("{} contested section(s)", total)},
                {"contested_sections", std::move(contested)},
                {"total_contested", total}};
  }
  const spec::Section* section = spec.Get(*section_id);
  if (section == nullptr) return Fail(UnknownSection(spec, *section_id));
  bool contested = section->claims.size() > 1;
  json contested_sections = json::object();
  if (contested) contested_sections[section->name] = ContestedEntry(*section);
  return json{{"success", true},
              {"message", fmt::format("Section '{}' is {}", section->name,
                                      spec::SectionStatusName(section->status))},
              {"section_id", section->name},
              {"status", spec::SectionStatusName(section->status)},
              {"claimants", section->claims},
              {"proposals", Proposals(*section, kDetailExcerpt)},
              {"owner", section->owner ? json(*section->owner) : json(nullptr)},
              {"contested_sections", std::move(contested_sections)},
              {"total_contested", contested ? 1 : 0}};
}

}  // namespace hfs::triad
