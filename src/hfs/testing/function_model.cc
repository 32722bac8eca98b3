#include "hfs/testing/function_model.h"

#include <atomic>

namespace hfs::testing {

Result<llm::ChatResponse> FunctionModel::Complete(const llm::ChatRequest& request,
                                                  const llm::CallContext& context) {
  {
    MutexLock lock(mu_);
    requests_.push_back(request);
    contexts_.push_back(context);
  }
  return reply_(request);
}

Result<llm::ChatResponse> FunctionModel::Stream(const llm::ChatRequest& request,
                                                const llm::CallContext& context,
                                                const llm::DeltaCallback& on_delta) {
  Result<llm::ChatResponse> reply = Complete(request, context);
  if (reply && !reply->content.empty()) on_delta({.content = reply->content});
  return reply;
}

std::vector<llm::ChatRequest> FunctionModel::requests() const {
  MutexLock lock(mu_);
  return requests_;
}

std::vector<llm::CallContext> FunctionModel::contexts() const {
  MutexLock lock(mu_);
  return contexts_;
}

llm::ChatResponse ToolCallReply(const std::string& tool, const std::string& arguments_json) {
  static std::atomic<int> next{0};
  return {.content = "",
          .tool_calls = {{.id = "call_" + std::to_string(next++),
                          .name = tool,
                          .arguments = arguments_json}},
          .finish_reason = llm::FinishReason::kToolCalls,
          .usage = llm::Usage{.prompt_tokens = 10, .completion_tokens = 5}};
}

llm::ChatResponse TextReply(const std::string& text) {
  return {.content = text,
          .finish_reason = llm::FinishReason::kStop,
          .usage = llm::Usage{.prompt_tokens = 10, .completion_tokens = 5}};
}

}  // namespace hfs::testing
