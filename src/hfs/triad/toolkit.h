// hfs/triad/toolkit.h
//
// Toolkit: the five HFS tools (hfs-original §6) bound to one triad: register_claim,
// negotiate_response, generate_code, get_current_claims and get_negotiation_state. Read
// tools answer from the phase's spec snapshot (PhaseView); effects are only staged in the
// triad's Outbox, which the orchestrator applies after the phase joins, so the snapshot
// never changes while tools run (ARCHITECTURE.md principle 3).
//
//   Outbox outbox;
//   CodeGenerator code(models, {.output_format = "html"});
//   Toolkit toolkit({.triad_id = "layout", .scope = options.scope}, outbox, code, &budget);
//   toolkit.SetView({.spec = &snapshot, .phase = "deliberation", .request = request});
//   agent.tools = toolkit.All();    // run the agents, then apply outbox.claims()
//
// Replies: success is a JSON object with "success": true. Runtime errors (wrong phase, a
// frozen section, not a claimant, not the owner, a code model failure) are also a
// successful handler value, in the original envelope
//   {"success":false,"error":"runtime_error","message":...,"context":"<tool>.<op>",
//    "retry_allowed":false}
// Bad arguments (an unknown section for register_claim and get_negotiation_state, a
// revise without revised_proposal, a missing justification) are handler Errors with
// kInvalidArgument, which the agent layer (hfs/agent/tool.h) sends back as a retryable
// invalid_arguments message with the error as its hint.
//
// Thread-safety: the tools may run on several threads at once (consensus peers); they
// only read the view and stage into the thread-safe Outbox. SetView must not run while
// any tool runs. Tools hold a pointer to the toolkit, which must outlive them; the
// toolkit is neither copyable nor movable.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "hfs/agent/budget.h"
#include "hfs/agent/tool.h"
#include "hfs/base/error.h"
#include "hfs/page/page_contract.h"
#include "hfs/spec/spec.h"
#include "hfs/triad/code_generator.h"
#include "hfs/triad/outbox.h"
#include "hfs/triad/triad_options.h"

namespace hfs::triad {

// What the read tools see in the current phase; the triad sets it between phases.
struct PhaseView {
  // A snapshot owned by the orchestrator, read-only; null means "no spec yet" and every
  // tool answers with a runtime error.
  const spec::Spec* spec = nullptr;
  // "deliberation", "negotiation", "execution".
  std::string phase;
  // The user's request.
  std::string request;
  // At or below this temperature no new claims are accepted.
  double freeze_threshold = 0.1;
  // Execution: the page contract given to every code call (may be null).
  const page::PageContract* contract = nullptr;
};

struct ToolkitOptions {
  std::string triad_id;
  Scope scope;
};

class Toolkit {
 public:
  // `outbox`, `code` and `budget` (may be null) must outlive the toolkit.
  Toolkit(ToolkitOptions options, Outbox& outbox, CodeGenerator& code, agent::Budget* budget);
  Toolkit(const Toolkit&) = delete;
  Toolkit& operator=(const Toolkit&) = delete;

  // Call between phases, never while tools run.
  void SetView(PhaseView view);
  const PhaseView& view() const { return view_; }

  // With `sections` (the spec's), section_id must be one of them; without, any name,
  // checked against the snapshot when the tool runs.
  agent::Tool RegisterClaim(std::vector<std::string> sections = {}) const;
  // With `sections`, section_id must be one of them (the sections an agent is asked
  // about); without, any section name.
  agent::Tool NegotiateResponse(std::vector<std::string> sections = {}) const;
  agent::Tool GenerateCode(std::vector<std::string> sections = {}) const;
  agent::Tool GetCurrentClaims() const;
  agent::Tool GetNegotiationState(std::vector<std::string> sections = {}) const;
  // The five, in the order above.
  std::vector<agent::Tool> All() const;

 private:
  Result<nlohmann::json> HandleRegisterClaim(const nlohmann::json& arguments) const;
  Result<nlohmann::json> HandleNegotiateResponse(const nlohmann::json& arguments) const;
  Result<nlohmann::json> HandleGenerateCode(const nlohmann::json& arguments,
                                            const agent::ToolContext& context) const;
  Result<nlohmann::json> HandleGetCurrentClaims() const;
  Result<nlohmann::json> HandleGetNegotiationState(const nlohmann::json& arguments) const;
  bool InPrimaryScope(const std::string& section) const;

  const ToolkitOptions options_;
  Outbox& outbox_;
  CodeGenerator& code_;
  agent::Budget* const budget_;
  PhaseView view_;
};

}  // namespace hfs::triad
