// hfs/testing/scripted_model.h
//
// ScriptedModel: an llm::Model that replays queued replies (responses or errors, with
// optional streamed deltas before them) and records every request, for tests of the
// layers above models. Running out of script is reported as kFailedPrecondition.
//
//   testing::ScriptedModel model;
//   model.Push(llm::ChatResponse{.content = "hello"});
//   model.Push(Error{ErrorCode::kUnavailable, "down"}, {{.content = "par"}});
//   EXPECT_EQ(model.requests().size(), 2u);
//
// Thread-safe.
#pragma once

#include <deque>
#include <vector>

#include "hfs/base/mutex.h"
#include "hfs/llm/model.h"

namespace hfs::testing {

class ScriptedModel final : public llm::Model {
 public:
  // Queues a reply; `deltas` are streamed first when the call is a Stream.
  void Push(Result<llm::ChatResponse> reply, std::vector<llm::ChatDelta> deltas = {});
  // Queues a failure; `deltas` are streamed first when the call is a Stream.
  void Push(Error error, std::vector<llm::ChatDelta> deltas = {});

  Result<llm::ChatResponse> Complete(const llm::ChatRequest& request,
                                     const llm::CallContext& context) override;
  Result<llm::ChatResponse> Stream(const llm::ChatRequest& request, const llm::CallContext& context,
                                   const llm::DeltaCallback& on_delta) override;

  std::vector<llm::ChatRequest> requests() const;
  std::vector<llm::CallContext> contexts() const;
  size_t remaining() const;

 private:
  struct Step {
    Result<llm::ChatResponse> reply;
    std::vector<llm::ChatDelta> deltas;
  };
  Result<Step> Next(const llm::ChatRequest& request, const llm::CallContext& context);

  mutable Mutex mu_;
  std::deque<Step> script_ HFS_GUARDED_BY(mu_);
  std::vector<llm::ChatRequest> requests_ HFS_GUARDED_BY(mu_);
  std::vector<llm::CallContext> contexts_ HFS_GUARDED_BY(mu_);
};

}  // namespace hfs::testing
