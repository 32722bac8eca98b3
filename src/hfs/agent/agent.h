// hfs/agent/agent.h
//
// Agent: plain data describing one LLM agent: its name, its role in the triad, its
// instructions (the system prompt), its tools, and where its model comes from. A
// ModelSource picks the model for a role in a phase, so the tier selector can decide per
// phase while presets only say which role an agent plays; FixedModel always gives the
// same model. The Runner (runner.h) gives an Agent behaviour.
//
//   FixedModel fixed(model, "llama-3.3-70b");
//   Agent agent{.name = "layout_orchestrator", .role = "orchestrator",
//               .instructions = "You coordinate the layout triad.",
//               .tools = {claim_tool}, .models = &fixed};
//
// Agent is a thread-compatible value. ModelSource implementations are thread-safe
// (triads resolve models concurrently). Resolve fails with kNotFound when no model
// serves the role in that phase.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hfs/agent/tool.h"
#include "hfs/base/error.h"
#include "hfs/llm/model.h"

namespace hfs::agent {

// The model to call and the model id to put in the request.
struct ModelChoice {
  llm::Model* model = nullptr;
  std::string model_id;
  // Sent as ChatRequest::reasoning_effort (reasoning models only).
  std::optional<std::string> reasoning_effort;
};

// Who wants a model: the triad (empty outside triads), the role, and the phase as named
// in config ("negotiation"), possibly empty.
struct ModelQuery {
  std::string_view triad;
  std::string_view role;
  std::string_view phase;
};

// How one model call went for its caller: kFailed when the call failed or its reply was
// unusable (every tool call in it invalid), or when code it produced failed validation.
enum class CallOutcome { kSucceeded, kFailed };

class ModelSource {
 public:
  virtual ~ModelSource() = default;
  // Asked before every model call, so a phase override or an escalation applies to the
  // very next call.
  virtual Result<ModelChoice> Resolve(const ModelQuery& query) = 0;
  // Told after every model call; sources that escalate on failures count them here.
  virtual void Record(const ModelQuery& /*query*/, CallOutcome /*outcome*/) {}
  // What `model` ("provider/model") wrote for this query failed a check after the call
  // (the page's build and validators). A source that serves the role from an ordered list
  // of models moves this triad's calls of the role past it, to the list's next entry; the
  // others ignore it. Returns the "provider/model" the next call will start from, or ""
  // when nothing changed.
  virtual std::string Demote(const ModelQuery& /*query*/, std::string_view /*model*/) { return ""; }
};

// Always the same model, whatever the role and phase.
class FixedModel final : public ModelSource {
 public:
  FixedModel(llm::Model& model, std::string model_id)
      : choice_{.model = &model, .model_id = std::move(model_id)} {}
  Result<ModelChoice> Resolve(const ModelQuery&) override { return choice_; }

 private:
  ModelChoice choice_;
};

// One configured model per role (the model tiers can replace it without touching the
// presets): the role's model, else the default one, else kNotFound.
class RoleModels final : public ModelSource {
 public:
  RoleModels(std::map<std::string, ModelChoice, std::less<>> by_role,
             std::optional<ModelChoice> fallback = std::nullopt)
      : by_role_(std::move(by_role)), fallback_(std::move(fallback)) {}
  Result<ModelChoice> Resolve(const ModelQuery& query) override;

 private:
  const std::map<std::string, ModelChoice, std::less<>> by_role_;
  const std::optional<ModelChoice> fallback_;
};

struct Agent {
  std::string name;
  // The triad role ("orchestrator", "critic", "peer_1"): chooses the model tier and is
  // the role of usage records and spans.
  std::string role;
  // The system prompt, sent first on every model call.
  std::string instructions;
  std::vector<Tool> tools;
  // Not owned; outlives every run of this agent. A null source fails the run.
  ModelSource* models = nullptr;
};

}  // namespace hfs::agent
