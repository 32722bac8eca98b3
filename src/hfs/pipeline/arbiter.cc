// Arbiter: the model call with its JSON-schema reply, validation by a dry run on a copy of
// the spec, correction retries and the deterministic fallback.
#include "hfs/pipeline/arbiter.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "hfs/base/check.h"
#include "hfs/base/json_reply.h"
#include "hfs/base/try.h"
#include "hfs/pipeline/arbiter_prompt.h"

namespace hfs::pipeline {
namespace {

using agent::Required;
using agent::Schema;
using nlohmann::json;

constexpr std::string_view kNoRationale = "No rationale provided";

std::string StringField(const json& value, const char* key) {
  auto it = value.find(key);
  if (it == value.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// The fields the decision's type needs, as hints.
std::vector<std::string> MissingFields(const json& value) {
  std::string type = value["type"].get<std::string>();
  std::vector<std::string> hints;
  auto need = [&](const char* key) {
    auto it = value.find(key);
    if (it == value.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty())) {
      hints.push_back(fmt::format("{}: required for type '{}'", key, type));
    }
  };
  if (type == "assign") need("winner");
  if (type == "split") need("division");
  if (type == "merge") {
    need("merged_proposal");
    need("assigned_to");
  }
  return hints;
}

spec::ArbiterDecision ToDecision(const json& value) {
  std::string type = value["type"].get<std::string>();
  spec::ArbiterDecision decision;
  decision.type = type == "split"   ? spec::ArbiterDecision::Type::kSplit
                  : type == "merge" ? spec::ArbiterDecision::Type::kMerge
                                    : spec::ArbiterDecision::Type::kAssign;
  decision.winner = StringField(value, "winner");
  decision.merged_proposal = StringField(value, "merged_proposal");
  decision.assigned_to = StringField(value, "assigned_to");
  decision.rationale = StringField(value, "rationale");
  if (decision.rationale.empty()) decision.rationale = kNoRationale;
  if (auto division = value.find("division"); division != value.end() && division->is_array()) {
    for (const json& entry : *division) {
      decision.division.push_back(
          {.sub_section = StringField(entry, "sub_section"), .triad = StringField(entry, "triad")});
    }
  }
  return decision;
}

std::vector<std::string> Claimants(const ArbiterRequest& request) {
  const spec::Section* section = request.spec->Get(request.section);
  return section == nullptr ? std::vector<std::string>{} : section->claims;
}

Error Rejected(const std::vector<std::string>& hints) {
  return Error{ErrorCode::kInvalidArgument, fmt::format("{}", fmt::join(hints, "; "))};
}

}  // namespace

ArbiterSettings ArbiterSettingsFrom(const ArbiterOptions& options, int max_retries,
                                    std::string run_id) {
  return {.max_tokens = options.max_tokens,
          .temperature = options.temperature,
          .max_retries = max_retries,
          .run_id = std::move(run_id)};
}

Schema ArbiterReplySchema(const std::vector<std::string>& claimants) {
  auto claimant = [&claimants] {
    return claimants.empty() ? Schema::String().MinLength(1) : Schema::Enum(claimants);
  };
  return Schema::Object()
      .Property("type", Schema::Enum({"assign", "split", "merge"}), Required::kYes)
      .Property("winner",
                claimant().Nullable().Describe("assign: the claimant that gets it; else null"),
                Required::kYes)
      .Property("division",
                Schema::Array(
                    Schema::Object()
                        .Property("sub_section",
                                  Schema::String().Length(1, 128).Describe("A new section name"),
                                  Required::kYes)
                        .Property("triad", claimant().Describe("The claimant that owns it"),
                                  Required::kYes))
                    .MinItems(2)
                    .Nullable()
                    .Describe("split: the new sub-sections and their owners; else null"),
                Required::kYes)
      .Property("merged_proposal",
                Schema::String().Nullable().Describe("merge: the merged proposal; else null"),
                Required::kYes)
      .Property("assigned_to",
                claimant().Nullable().Describe("merge: the claimant that gets it; else null"),
                Required::kYes)
      .Property("rationale", Schema::String().Describe("Why, in a sentence or two"),
                Required::kYes);
}

spec::ArbiterDecision FallbackDecision(const spec::Section& section,
                                       const std::vector<triad::TriadOptions>& triads,
                                       std::string_view reason) {
  HFS_CHECK(!section.claims.empty(), "the arbiter fallback needs a claimant");
  for (const std::string& claimant : section.claims) {
    for (const triad::TriadOptions& options : triads) {
      if (options.id != claimant) continue;
      const std::vector<std::string>& primary = options.scope.primary;
      if (std::find(primary.begin(), primary.end(), section.name) != primary.end()) {
        return {.winner = claimant,
                .rationale = fmt::format("fallback: '{}' is in the primary scope of {} ({})",
                                         section.name, claimant, reason)};
      }
    }
  }
  return {.winner = section.claims.front(),
          .rationale =
              fmt::format("fallback: {} registered first ({})", section.claims.front(), reason)};
}

Result<spec::ArbiterDecision> ParseArbiterReply(std::string_view text, const spec::Spec& spec,
                                                std::string_view section) {
  std::optional<std::string> object = JsonObjectText(text);
  if (!object) return Fail(Rejected({"the reply must be one JSON object"}));
  json value = json::parse(*object);
  // Providers without strict structured output leave out the fields a type does not use.
  for (const char* key : {"winner", "division", "merged_proposal", "assigned_to"}) {
    if (!value.contains(key)) value[key] = nullptr;
  }
  if (!value.contains("rationale")) value["rationale"] = "";
  std::vector<std::string> hints =
      ArbiterReplySchema(spec.Get(section) != nullptr ? spec.Get(section)->claims
                                                      : std::vector<std::string>{})
          .Validate(value);
  if (!hints.empty()) return Fail(Rejected(hints));
  hints = MissingFields(value);
  if (!hints.empty()) return Fail(Rejected(hints));
  spec::ArbiterDecision decision = ToDecision(value);
  spec::Spec dry_run = spec;
  if (Result<void> applied = dry_run.Apply(decision, section); !applied) {
    return Fail(Rejected({applied.error().message}));
  }
  return decision;
}

Arbiter::Arbiter(agent::ModelSource& models, ArbiterSettings settings)
    : models_(models), settings_(std::move(settings)) {}

Result<ArbiterOutcome> Arbiter::Resolve(const ArbiterRequest& request,
                                        agent::Budget* budget) const {
  HFS_CHECK(request.spec != nullptr, "Arbiter::Resolve needs a spec");
  const spec::Section* section = request.spec->Get(request.section);
  if (section == nullptr) {
    return Fail(ErrorCode::kNotFound,
                fmt::format("arbiter: no section '{}' in the spec", request.section));
  }
  if (section->claims.empty()) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("arbiter: section '{}' has no claimant", request.section));
  }
  trace::Span span =
      request.trace.Start("hfs.arbiter " + request.section,
                          {{"hfs.section", request.section}, {"gen_ai.agent.name", "arbiter"}});
  ArbiterRequest traced = request;
  traced.trace = request.trace.Under(span);
  ArbiterOutcome outcome;
  Result<spec::ArbiterDecision> decision = AskModel(traced, budget, outcome);
  if (decision) {
    outcome.decision = std::move(*decision);
  } else {
    outcome.fallback = true;
    outcome.fallback_reason = decision.error().ToString();
    outcome.decision = FallbackDecision(*section, request.triads, outcome.fallback_reason);
    span.SetAttribute("hfs.arbiter.fallback_reason", outcome.fallback_reason);
  }
  span.SetAttribute("hfs.arbiter.decision", spec::ArbiterDecisionTypeName(outcome.decision.type));
  span.SetAttribute("hfs.arbiter.fallback", outcome.fallback);
  span.SetAttribute("hfs.arbiter.attempts", outcome.attempts);
  span.SetAttribute("hfs.arbiter.rationale", outcome.decision.rationale);
  span.SetAttribute("gen_ai.usage.input_tokens", outcome.usage.prompt_tokens);
  span.SetAttribute("gen_ai.usage.output_tokens", outcome.usage.completion_tokens);
  return outcome;
}

Result<spec::ArbiterDecision> Arbiter::AskModel(const ArbiterRequest& request,
                                                agent::Budget* budget,
                                                ArbiterOutcome& outcome) const {
  const agent::ModelQuery query{.role = kArbiterRole, .phase = kArbiterPhase};
  llm::ChatRequest chat{.messages = {llm::Message::System(ArbiterSystemPrompt()),
                                     llm::Message::User(ArbiterUserPrompt(request))},
                        .max_tokens = settings_.max_tokens,
                        .temperature = settings_.temperature,
                        .response_schema_json = ArbiterReplySchema(Claimants(request)).ToJsonText(),
                        .response_schema_name = "arbiter_decision"};
  llm::CallContext context{.run_id = settings_.run_id,
                           .role = std::string(kArbiterRole),
                           .phase = std::string(kArbiterPhase),
                           .trace = request.trace};
  if (budget != nullptr) context.deadline = budget->Deadline();
  Error last{ErrorCode::kInternal, "the arbiter model was not called"};
  for (int attempt = 0; attempt <= std::max(0, settings_.max_retries); ++attempt) {
    if (budget != nullptr) {
      if (std::optional<agent::BudgetOverrun> over = budget->Check()) {
        return Fail(ErrorCode::kResourceExhausted, over->ToString());
      }
    }
    agent::ModelChoice choice = HFS_TRY(models_.Resolve(query));
    if (choice.model == nullptr) {
      return Fail(ErrorCode::kNotFound, "no model for role 'arbiter' in phase 'negotiation'");
    }
    chat.model = choice.model_id;
    Result<llm::ChatResponse> called = choice.model->Complete(chat, context);
    if (!called) {
      models_.Record(query, agent::CallOutcome::kFailed);
      return Fail(called.error().WithContext("arbiter model"));
    }
    llm::ChatResponse reply = std::move(*called);
    ++outcome.attempts;
    if (reply.usage) {
      outcome.usage.prompt_tokens += reply.usage->prompt_tokens;
      outcome.usage.completion_tokens += reply.usage->completion_tokens;
      if (budget != nullptr) budget->ChargeTokens(reply.usage->total());
    }
    Result<spec::ArbiterDecision> decision =
        ParseArbiterReply(reply.content, *request.spec, request.section);
    models_.Record(query, decision ? agent::CallOutcome::kSucceeded : agent::CallOutcome::kFailed);
    if (decision) return decision;
    last = decision.error();
    chat.messages.push_back(llm::Message::Assistant(reply.content));
    chat.messages.push_back(llm::Message::User(fmt::format(
        "Your decision was rejected: {}. Reply again with the whole JSON object, fixed.",
        last.message)));
  }
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("no valid arbiter decision in {} replies; the last: {}", outcome.attempts,
                          last.message));
}

}  // namespace hfs::pipeline
