// hfs/pipeline/tier_models.h
//
// TierModels: the ModelSource of a run, built on the model tiers. Before every call it
// asks the ModelSelector for the role's candidates (escalation > phase override > role
// default > general; the code_execution role always gets the pinned code models) and
// serves them through a FallbackModel over the usable providers, in provider order. After
// every call it tells the EscalationTracker how it went, so three failures in a row move
// the (triad, role) up one tier from its very next call on. code_execution has no tier:
// its pinned code models are an ordered list, and a triad's list moves to its next entry
// (the one that failed goes last) after three failed code calls in a row, or at once when
// code it wrote fails the page's validation (Demote). Escalations() lists this run's tier changes
// for the run report; the tracker's on_escalation callback sees each as it happens (for traces).
//
//   auto tracker = HFS_TRY(tiers::EscalationTracker::Open(
//       {.state_path = tiers::EscalationStatePath(config.source_path)}));
//   TierModels models(config.model_tiers, {{"cerebras", cerebras}, {"groq", groq}}, tracker.get());
//   agent::ModelChoice choice = HFS_TRY(models.Resolve({.triad = "layout", .role = "critic",
//                                                       .phase = "negotiation"}));
//   models.Record({.triad = "layout", .role = "critic", .phase = "negotiation"},
//                 agent::CallOutcome::kFailed);
//
// Thread-safe (the tracker is; the rest is read-only after construction). Resolve fails
// with kNotFound, as ModelSelector::Select does, when no usable provider serves the
// role's tier or no pinned code model is reachable.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "hfs/agent/agent.h"
#include "hfs/base/mutex.h"
#include "hfs/base/thread_annotations.h"
#include "hfs/llm/fallback_model.h"
#include "hfs/tiers/escalation_tracker.h"
#include "hfs/tiers/model_selector.h"
#include "hfs/tiers/tier_options.h"

namespace hfs::pipeline {

class TierModels final : public agent::ModelSource {
 public:
  // `providers`: usable providers in fallback order, each with its model (usually the
  // provider's RotatingModel). `escalations`: where failures are counted and escalations
  // kept, usually opened on the config's state file; null uses a tracker of this run
  // only, persisting nothing. Both must outlive this object.
  TierModels(tiers::ModelTiersOptions options,
             std::vector<std::pair<std::string, llm::Model*>> providers,
             tiers::EscalationTracker* escalations = nullptr);

  Result<agent::ModelChoice> Resolve(const agent::ModelQuery& query) override;
  void Record(const agent::ModelQuery& query, agent::CallOutcome outcome) override;
  std::string Demote(const agent::ModelQuery& query, std::string_view model) override;

  // The tier the role's next call would use (escalation included).
  tiers::TierChoice TierFor(const agent::ModelQuery& query) const;
  // This run's tier changes, in order.
  std::vector<tiers::Escalation> Escalations() const { return tracker_->Escalations(); }
  const tiers::ModelSelector& selector() const { return selector_; }

 private:
  tiers::SelectorQuery SelectorQueryFor(const agent::ModelQuery& query) const;
  // model_tiers.fallback_key_wait_ms.
  Duration KeyWait() const;
  // The code model a triad's calls go to, moved past its list's first entry.
  struct CodeOrder {
    size_t first = 0;  // index into selector_.CodeCandidates()
    int failures = 0;  // consecutive failed code calls
    llm::FallbackModel* model = nullptr;
  };
  // Moves `order` one entry on; returns the new first "provider/model".
  std::string MoveOn(CodeOrder& order) HFS_REQUIRES(code_mu_);

  const tiers::ModelSelector selector_;
  std::unique_ptr<tiers::EscalationTracker> own_tracker_;
  tiers::EscalationTracker* tracker_;
  // The fallback over each tier's candidates, and over the pinned code models.
  std::map<tiers::Tier, std::unique_ptr<llm::FallbackModel>> tier_models_;
  std::unique_ptr<llm::FallbackModel> code_model_;
  std::vector<std::pair<std::string, llm::Model*>> providers_;

  Mutex code_mu_;
  std::map<std::string, CodeOrder, std::less<>> code_orders_ HFS_GUARDED_BY(code_mu_);
  // Every fallback made for a moved list; never freed before this object, since a call
  // may still be using one.
  std::vector<std::unique_ptr<llm::FallbackModel>> moved_models_ HFS_GUARDED_BY(code_mu_);
};

}  // namespace hfs::pipeline
