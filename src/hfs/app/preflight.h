// hfs/app/preflight.h
//
// The pre-flight of `hfs run`: before the first model call, every role the run will call
// must resolve to a model at a provider with usable keys, through tiers::ModelSelector
// exactly as the run resolves it (tiers, escalations, provider fallback order, the pinned
// code models). The roles checked:
//   - every role of every triad's preset (orchestrator, worker_a, worker_b; proposer,
//     critic, synthesizer; peer_1..3) in each triad phase (deliberation, negotiation,
//     execution), as `hfs tiers` lists them;
//   - the planner (phase input), only when the outline is planned by a model, i.e. the
//     config does not fix page.regions;
//   - the arbiter (phase negotiation);
//   - code generation (generate_code, role code_execution): model_tiers.code_models.
// A role whose tier has no model at the first provider is fine when a later provider
// serves it (fallback order). When the first pinned code model is unreachable but a later
// one is reachable, the run goes on and a notice names the model it will use instead.
//
//   Preflight check = CheckPreflight(config, CheckProviders(config.providers, env), state);
//   if (!check.ok()) { std::cerr << PreflightFailure(check); return ExitCode::kUsage; }
//   for (const std::string& notice : check.notices) std::cerr << "Notice: " << notice << "\n";
//   std::cout << RenderPreflight(check);                       // in --dry-run
//
// Pure functions; thread-safe. A failed check is data (`problems`), never an Error: each
// problem's message names the roles, the models that could serve them, why each is out
// of reach, and what to set.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hfs/app/provider_check.h"
#include "hfs/config/config.h"
#include "hfs/tiers/escalation_state_file.h"
#include "hfs/tiers/model_selector.h"

namespace hfs::app {

// One role of the run and how it resolves: the triads and phases it is called for that
// resolve the same way are one row.
struct RoleResolution {
  std::string role;                 // "orchestrator", "planner", "arbiter", "code_execution"
  std::vector<std::string> triads;  // empty outside triads
  std::vector<std::string> phases;
  // The tier and why; nullopt for code_execution (the pinned code models). For a role
  // that does not resolve, the tier no usable provider serves.
  std::optional<tiers::TierChoice> tier;
  // The models the run will try, in order; empty when the role does not resolve.
  std::vector<tiers::ModelRef> candidates;

  bool resolved() const { return !candidates.empty(); }
};

// One need no provider with keys meets: a tier, or the pinned code models.
struct PreflightProblem {
  // nullopt: the pinned code models (generate_code).
  std::optional<tiers::Tier> tier;
  // The roles that need it, for messages: "orchestrator (triads layout, state)", "arbiter",
  // "generate_code (role code_execution)".
  std::vector<std::string> roles;
  // The models that would serve it, at providers without usable keys.
  std::vector<tiers::ModelRef> wanted;
  // The roles and the models: "generate_code (role code_execution) needs one of: cerebras
  // zai-glm-4.7, cerebras gpt-oss-120b".
  std::string need;
  // The whole message: the need, why each model is out of reach, what to set.
  std::string message;
};

struct Preflight {
  // Providers with usable keys (or needing none), in fallback order.
  std::vector<std::string> usable_providers;
  // In the order the run calls them: planner, the triads' roles, code_execution, arbiter.
  std::vector<RoleResolution> roles;
  std::vector<PreflightProblem> problems;
  // What the run does differently from the config's first choice (a code model fallback).
  std::vector<std::string> notices;

  bool ok() const { return problems.empty(); }
};

// `escalations`: the escalation state file's entries (the config's escalation_state is
// read from config.model_tiers).
Preflight CheckPreflight(const config::Config& config, const std::vector<ProviderStatus>& providers,
                         const tiers::EscalationMap& escalations = {});

// "cerebras zai-glm-4.7", and a list of them: "cerebras zai-glm-4.7, groq openai/gpt-oss-120b".
std::string ModelText(const tiers::ModelRef& model);
std::string ModelsText(const std::vector<tiers::ModelRef>& models);

// The text and JSON below are in preflight_text.cc.

// For stderr when the check fails: a header, then each problem's message.
std::string PreflightFailure(const Preflight& preflight);
// For --dry-run: the model that serves each role, then notices and problems.
std::string RenderPreflight(const Preflight& preflight);
// {ok, usable_providers, roles: [{role, triads, phases, tier, source, candidates}],
//  problems: [{tier, roles, need, wanted, message}], notices}.
nlohmann::json PreflightToJson(const Preflight& preflight);

}  // namespace hfs::app
