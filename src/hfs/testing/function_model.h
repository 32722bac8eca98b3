// hfs/testing/function_model.h
//
// FunctionModel: an llm::Model whose replies are computed from each request by a
// function, for tests where agents run in parallel and a fixed script order would not
// hold (consensus peers, parallel workers). Every request is recorded.
//
//   testing::FunctionModel model([](const llm::ChatRequest& request) -> Result<llm::ChatResponse> {
//     if (request.forced_tool == "cast_vote") return ToolCallReply("cast_vote", R"({...})");
//     return llm::ChatResponse{.content = "ok"};
//   });
//
// Thread-safe; the function must be thread-safe too.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "hfs/base/mutex.h"
#include "hfs/llm/model.h"

namespace hfs::testing {

class FunctionModel final : public llm::Model {
 public:
  using Reply = std::function<Result<llm::ChatResponse>(const llm::ChatRequest&)>;
  explicit FunctionModel(Reply reply) : reply_(std::move(reply)) {}

  Result<llm::ChatResponse> Complete(const llm::ChatRequest& request,
                                     const llm::CallContext& context) override;
  Result<llm::ChatResponse> Stream(const llm::ChatRequest& request, const llm::CallContext& context,
                                   const llm::DeltaCallback& on_delta) override;

  std::vector<llm::ChatRequest> requests() const;
  std::vector<llm::CallContext> contexts() const;

 private:
  Reply reply_;
  mutable Mutex mu_;
  std::vector<llm::ChatRequest> requests_ HFS_GUARDED_BY(mu_);
  std::vector<llm::CallContext> contexts_ HFS_GUARDED_BY(mu_);
};

// A reply with one tool call (id "call_<n>", n counting per process) and 10+5 tokens.
llm::ChatResponse ToolCallReply(const std::string& tool, const std::string& arguments_json);
// A text reply with 10+5 tokens.
llm::ChatResponse TextReply(const std::string& text);

}  // namespace hfs::testing
