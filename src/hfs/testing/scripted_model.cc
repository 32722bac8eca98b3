#include "hfs/testing/scripted_model.h"

namespace hfs::testing {

void ScriptedModel::Push(Result<llm::ChatResponse> reply, std::vector<llm::ChatDelta> deltas) {
  MutexLock lock(mu_);
  script_.push_back({std::move(reply), std::move(deltas)});
}

void ScriptedModel::Push(Error error, std::vector<llm::ChatDelta> deltas) {
  Push(Result<llm::ChatResponse>(tl::unexpected<Error>(std::move(error))), std::move(deltas));
}

Result<ScriptedModel::Step> ScriptedModel::Next(const llm::ChatRequest& request,
                                                const llm::CallContext& context) {
  MutexLock lock(mu_);
  requests_.push_back(request);
  contexts_.push_back(context);
  if (script_.empty()) {
    return Fail(ErrorCode::kFailedPrecondition,
                "ScriptedModel: no scripted reply for request " + std::to_string(requests_.size()));
  }
  Step step = std::move(script_.front());
  script_.pop_front();
  return step;
}

Result<llm::ChatResponse> ScriptedModel::Complete(const llm::ChatRequest& request,
                                                  const llm::CallContext& context) {
  Result<Step> step = Next(request, context);
  if (!step) return Fail(step.error());
  return std::move(step->reply);
}

Result<llm::ChatResponse> ScriptedModel::Stream(const llm::ChatRequest& request,
                                                const llm::CallContext& context,
                                                const llm::DeltaCallback& on_delta) {
  Result<Step> step = Next(request, context);
  if (!step) return Fail(step.error());
  for (const llm::ChatDelta& delta : step->deltas) on_delta(delta);
  return std::move(step->reply);
}

std::vector<llm::ChatRequest> ScriptedModel::requests() const {
  MutexLock lock(mu_);
  return requests_;
}

std::vector<llm::CallContext> ScriptedModel::contexts() const {
  MutexLock lock(mu_);
  return contexts_;
}

size_t ScriptedModel::remaining() const {
  MutexLock lock(mu_);
  return script_.size();
}

}  // namespace hfs::testing
