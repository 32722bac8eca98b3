// hfs/pipeline/outline_planner.h
//
// PlanOutline: the input phase's one model step that plans the page from the request: an
// ordered list of regions (id, title, purpose, the content the request implies), the
// page title and language, as a JSON-schema reply (page::OutlineSchemaJson) on the
// general tier (role "planner", phase "input"). A reply that breaks the schema is a
// failed call for the tiers and gets one repair turn with the exact problems; after
// `max_attempts` replies the step fails naming the request. The step is an `hfs.planner`
// span under context.trace, with the calls' chat spans under it.
//
//   OutlinePlan plan = HFS_TRY(PlanOutline(models, "a pricing page with an FAQ",
//                                          {.run_id = id, .trace = phase_scope}));
//   for (const page::Region& region : plan.outline.regions) ...
//
// Thread-safe (models is). Fails with the ModelSource's or the model's error, or
// kInvalidArgument ("the page outline for the request '...' could not be planned: ...").
#pragma once

#include <string>

#include "hfs/agent/agent.h"
#include "hfs/llm/model.h"
#include "hfs/page/page_outline.h"

namespace hfs::pipeline {

inline constexpr std::string_view kPlannerRole = "planner";
inline constexpr std::string_view kPlannerPhase = "input";

struct OutlinePlan {
  page::PageOutline outline;
  int attempts = 0;
  std::string model;
  llm::Usage usage;
};

Result<OutlinePlan> PlanOutline(agent::ModelSource& models, const std::string& request,
                                llm::CallContext context, int max_attempts = 2);

}  // namespace hfs::pipeline
