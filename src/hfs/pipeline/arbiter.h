// hfs/pipeline/arbiter.h
//
// Arbiter: settles a deadlocked section. It resolves the model for role "arbiter" in phase
// "negotiation" from a ModelSource and asks for a JSON-schema decision
// (ArbiterReplySchema(claimants)):
//   {"type": "assign"|"split"|"merge", "winner", "division": [{"sub_section", "triad"}],
//    "merged_proposal", "assigned_to", "rationale"}
// The prompt (hfs/pipeline/arbiter_prompt.h) holds the request, the section, temperature
// and round, each claimant's objectives, primary scope and proposal, the section's last 10
// history entries, a spec summary, what to weigh and the exact JSON shapes. A reply is
// valid when it parses, matches the schema, has the fields its type needs, and applies
// cleanly to a copy of the spec (Spec::Apply's checks: claimants only, new distinct
// sub-section names, ...). An invalid reply goes back to the model with the problems, at
// most `max_retries` times. When the model cannot be resolved or fails, a hard budget is
// spent, or every reply is invalid, the decision is the deterministic fallback: assign to
// the first claimant whose primary scope holds the section, else to the first registrant.
//
//   Arbiter arbiter(models, {.max_retries = 2, .run_id = run_id});
//   Result<ArbiterOutcome> outcome =
//       arbiter.Resolve({.spec = &spec, .section = "hero", .triads = options, .request = text},
//                       &run_budget);
//   if (outcome) HFS_RETURN_IF_ERROR(spec.Apply(outcome->decision, "hero"));
//
// Thread-safe: Resolve is const and keeps no state; ModelSource, Model and Budget are
// thread-safe. Resolve fails only when the section is missing from the spec (kNotFound) or
// has no claimant (kFailedPrecondition); model trouble is never an error but a fallback.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hfs/agent/agent.h"
#include "hfs/agent/budget.h"
#include "hfs/agent/schema.h"
#include "hfs/base/error.h"
#include "hfs/llm/chat.h"
#include "hfs/pipeline/pipeline_options.h"
#include "hfs/spec/arbiter_decision.h"
#include "hfs/spec/spec.h"
#include "hfs/trace/trace_scope.h"
#include "hfs/triad/triad_options.h"

namespace hfs::pipeline {

// The role and phase the arbiter's model is resolved for.
inline constexpr std::string_view kArbiterRole = "arbiter";
inline constexpr std::string_view kArbiterPhase = "negotiation";

struct ArbiterSettings {
  int max_tokens = 2000;
  double temperature = 0.3;
  // Replies sent back for correction after the first one; at least 0.
  int max_retries = 2;
  // For the call context (usage records, traces).
  std::string run_id;
};

// The config's `arbiter` section plus the retry count. `options.model` is not used: the
// model comes from the ModelSource (role "arbiter").
ArbiterSettings ArbiterSettingsFrom(const ArbiterOptions& options, int max_retries,
                                    std::string run_id);

struct ArbiterRequest {
  // The spec as it is now; read only.
  const spec::Spec* spec = nullptr;
  std::string section;
  // Options of the triads (at least the claimants'); claimants not listed get no
  // objectives and no primary scope.
  std::vector<triad::TriadOptions> triads;
  // The user's request.
  std::string request;
  // Where the `hfs.arbiter <section>` span goes (the model's chat spans nest under it).
  trace::TraceScope trace;
};

struct ArbiterOutcome {
  // Valid for the spec the request was made with.
  spec::ArbiterDecision decision;
  // The decision is the deterministic fallback, not the model's.
  bool fallback = false;
  // Why the fallback was used; empty otherwise.
  std::string fallback_reason;
  // Model replies received.
  int attempts = 0;
  llm::Usage usage;
};

// The JSON Schema of the arbiter's reply, in the form strict structured-output modes
// accept: every property required, the ones a decision type does not use null. Claimant
// fields are an enum of `claimants` (any non-empty string when none are given).
agent::Schema ArbiterReplySchema(const std::vector<std::string>& claimants = {});

// The assign-to-the-home-claimant decision: the first claimant (claims order) whose
// primary scope holds the section, else the first claimant. REQUIRES: the section has a
// claimant.
spec::ArbiterDecision FallbackDecision(const spec::Section& section,
                                       const std::vector<triad::TriadOptions>& triads,
                                       std::string_view reason);

// Parses and validates one reply text for `section` of `spec`; kInvalidArgument whose
// message lists the problems (model-readable, "; "-separated) when it is not valid.
Result<spec::ArbiterDecision> ParseArbiterReply(std::string_view text, const spec::Spec& spec,
                                                std::string_view section);

class Arbiter {
 public:
  // `models` must outlive the arbiter.
  Arbiter(agent::ModelSource& models, ArbiterSettings settings);

  // `budget` (may be null) is charged with each reply's usage and checked before each call.
  Result<ArbiterOutcome> Resolve(const ArbiterRequest& request,
                                 agent::Budget* budget = nullptr) const;

 private:
  // The model's decision, or the reason there is none; usage and attempts go to `outcome`.
  Result<spec::ArbiterDecision> AskModel(const ArbiterRequest& request, agent::Budget* budget,
                                         ArbiterOutcome& outcome) const;

  agent::ModelSource& models_;
  const ArbiterSettings settings_;
};

}  // namespace hfs::pipeline
