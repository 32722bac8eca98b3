#include "hfs/pipeline/outline_planner.h"

#include <fmt/format.h>

#include "hfs/base/try.h"

namespace hfs::pipeline {
namespace {

constexpr std::string_view kSystem =
    "You plan web pages. Given a user's request for a page, list the visible regions the page "
    "needs, top to bottom, as a frontend lead would: usually a hero first and a footer last, "
    "and one region for each thing the request names (a pricing region for tiers, an faq "
    "region for questions, a comparison region for a feature table, ...). For each region give "
    "an id (lower-case letters, digits and '-', e.g. pricing), a title, its purpose, and the "
    "concrete content the request implies (how many tiers and what they are called, which "
    "questions, which columns). Cross-cutting concerns such as colours, typography, motion, "
    "accessibility or data are not regions. Reply with one JSON object matching the schema "
    "and nothing else.";

}  // namespace

Result<OutlinePlan> PlanOutline(agent::ModelSource& models, const std::string& request,
                                llm::CallContext context, int max_attempts) {
  const agent::ModelQuery query{.role = kPlannerRole, .phase = kPlannerPhase};
  context.role = std::string(kPlannerRole);
  context.phase = std::string(kPlannerPhase);
  trace::Span span =
      context.trace.Start("hfs.planner", {{"gen_ai.agent.name", std::string(kPlannerRole)}});
  context.trace = context.trace.Under(span);
  llm::ChatRequest chat{.messages = {llm::Message::System(std::string(kSystem)),
                                     llm::Message::User(fmt::format(
                                         "Request: {}\n\nPlan the page's regions.", request))},
                        .max_tokens = 1500,
                        .temperature = 0.2,
                        .response_schema_json = page::OutlineSchemaJson(),
                        .response_schema_name = "page_outline"};
  OutlinePlan plan;
  Error last{ErrorCode::kInternal, "the planner model was not called"};
  for (int attempt = 0; attempt < std::max(1, max_attempts); ++attempt) {
    agent::ModelChoice choice = HFS_TRY(models.Resolve(query));
    if (choice.model == nullptr) {
      return Fail(ErrorCode::kNotFound, "no model for role 'planner' in phase 'input'");
    }
    chat.model = choice.model_id;
    plan.model = choice.model_id;
    Result<llm::ChatResponse> called = choice.model->Complete(chat, context);
    if (!called) {
      models.Record(query, agent::CallOutcome::kFailed);
      return Fail(called.error().WithContext("page outline"));
    }
    ++plan.attempts;
    if (called->usage) {
      plan.usage.prompt_tokens += called->usage->prompt_tokens;
      plan.usage.completion_tokens += called->usage->completion_tokens;
    }
    Result<page::PageOutline> outline =
        called->finish_reason == llm::FinishReason::kLength
            ? Result<page::PageOutline>(
                  Fail(ErrorCode::kInvalidArgument, "the reply was cut off at the token limit"))
            : page::ParseOutline(called->content);
    models.Record(query, outline ? agent::CallOutcome::kSucceeded : agent::CallOutcome::kFailed);
    if (outline) {
      plan.outline = std::move(*outline);
      span.SetAttribute("hfs.planner.attempts", static_cast<int64_t>(plan.attempts));
      span.SetAttribute("hfs.page.region_count", static_cast<int64_t>(plan.outline.regions.size()));
      return plan;
    }
    last = outline.error();
    chat.messages.push_back(llm::Message::Assistant(called->content));
    chat.messages.push_back(llm::Message::User(
        fmt::format("Your outline was rejected: {}. Reply again with the whole JSON object, fixed.",
                    last.message)));
  }
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("the page outline for the request '{}' could not be planned: {} "
                          "(after {} replies)",
                          request, last.message, plan.attempts));
}

}  // namespace hfs::pipeline
