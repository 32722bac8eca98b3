#include "hfs/llm/fallback_model.h"

#include <fmt/format.h>

namespace hfs::llm {

bool ShouldFallBack(const Error& error) {
  switch (error.code) {
    case ErrorCode::kResourceExhausted:
    case ErrorCode::kUnavailable:
    case ErrorCode::kDeadlineExceeded:
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kNotFound:
    case ErrorCode::kFailedPrecondition:
      return true;
    default:
      return false;
  }
}

FallbackModel::FallbackModel(std::vector<FallbackCandidate> candidates, Duration key_wait)
    : candidates_(std::move(candidates)), key_wait_(key_wait) {}

Result<ChatResponse> FallbackModel::Complete(const ChatRequest& request,
                                             const CallContext& context) {
  return Run(request, context, nullptr);
}

Result<ChatResponse> FallbackModel::Stream(const ChatRequest& request, const CallContext& context,
                                           const DeltaCallback& on_delta) {
  return Run(request, context, &on_delta);
}

Result<ChatResponse> FallbackModel::Run(const ChatRequest& request, const CallContext& context,
                                        const DeltaCallback* on_delta) {
  if (candidates_.empty()) {
    return Fail(ErrorCode::kFailedPrecondition, "no provider offers a model for this call");
  }
  if (candidates_.size() == 1 || key_wait_ >= context.key_wait) {
    bool waited_out = false;
    return Pass(request, context, on_delta, waited_out);
  }
  CallContext quick = context;
  quick.key_wait = key_wait_;
  bool waited_out = false;
  Result<ChatResponse> first = Pass(request, quick, on_delta, waited_out);
  if (first || !waited_out) return first;
  // Every provider's keys were cooling: now wait for them, in order, up to the deadline.
  return Pass(request, context, on_delta, waited_out);
}

Result<ChatResponse> FallbackModel::Pass(const ChatRequest& request, const CallContext& context,
                                         const DeltaCallback* on_delta, bool& waited_out) {
  std::string failures;
  ErrorCode last = ErrorCode::kUnavailable;
  waited_out = true;
  for (const FallbackCandidate& candidate : candidates_) {
    ChatRequest attempt = request;
    attempt.model = candidate.model;
    bool delivered = false;
    DeltaCallback forward = [&](const ChatDelta& delta) {
      delivered = true;
      (*on_delta)(delta);
    };
    Result<ChatResponse> reply = on_delta != nullptr
                                     ? candidate.client->Stream(attempt, context, forward)
                                     : candidate.client->Complete(attempt, context);
    if (reply) {
      reply->provider = candidate.provider;
      if (reply->model.empty()) reply->model = candidate.model;
      return reply;
    }
    if (reply.error().code != ErrorCode::kResourceExhausted) waited_out = false;
    if (delivered || !ShouldFallBack(reply.error())) {
      waited_out = false;
      return reply;
    }
    last = reply.error().code;
    failures += fmt::format("{}{}/{}: {}", failures.empty() ? "" : "; ", candidate.provider,
                            candidate.model, reply.error().message);
  }
  return Fail(last, fmt::format("every provider failed: {}", failures));
}

}  // namespace hfs::llm
