#include "hfs/llm/rotating_model.h"

#include <fmt/format.h>

#include <algorithm>

#include "hfs/base/ids.h"
#include "hfs/keys/rate_limit_signal.h"
#include "hfs/llm/chat_span.h"

namespace hfs::llm {
namespace {

keys::Outcome OutcomeFor(CallStatus status) {
  switch (status) {
    case CallStatus::kRateLimited:
      return keys::Outcome::kRateLimited;
    case CallStatus::kUnauthorized:
      return keys::Outcome::kUnauthorized;
    case CallStatus::kForbidden:
      return keys::Outcome::kForbidden;
    case CallStatus::kTransportError:
      return keys::Outcome::kAbandoned;
    default:
      return keys::Outcome::kFailed;
  }
}

}  // namespace

std::string_view CallStatusName(CallStatus status) {
  switch (status) {
    case CallStatus::kOk:
      return "ok";
    case CallStatus::kRateLimited:
      return "rate_limited";
    case CallStatus::kUnauthorized:
      return "unauthorized";
    case CallStatus::kForbidden:
      return "forbidden";
    case CallStatus::kClientError:
      return "client_error";
    case CallStatus::kServerError:
      return "server_error";
    case CallStatus::kTransportError:
      return "transport_error";
    case CallStatus::kBadResponse:
      return "bad_response";
  }
  return "unknown";
}

int EffectiveStatus(const ProviderReply& reply) {
  const int status = reply.http_status;
  if (reply.response || status < 200 || status >= 300 || !reply.error) return status;
  // An error inside a 2xx body (`{"error":{"code":429,...}}` with 200, an error event in
  // a stream) counts as the status it names.
  switch (reply.error->code) {
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnavailable:
    case ErrorCode::kDeadlineExceeded:
      return 503;
    default:
      return status;
  }
}

CallStatus ClassifyReply(const ProviderReply& reply) {
  if (reply.response) return CallStatus::kOk;
  const int status = EffectiveStatus(reply);
  if (status == 0) return CallStatus::kTransportError;
  if (status == 429 || status == 402) return CallStatus::kRateLimited;
  if (status == 401) return CallStatus::kUnauthorized;
  if (status == 403) return CallStatus::kForbidden;
  if (status >= 500) return CallStatus::kServerError;
  if (status >= 400) return CallStatus::kClientError;
  return CallStatus::kBadResponse;
}

RotatingModel::RotatingModel(keys::KeyPool& pool, const ProviderClient& client, Clock& clock,
                             RotatingModelOptions options)
    : pool_(pool), client_(client), clock_(clock), options_(std::move(options)) {
  MutexLock lock(mu_);
  random_.seed(options_.seed);
}

Result<ChatResponse> RotatingModel::Complete(const ChatRequest& request,
                                             const CallContext& context) {
  return Run(request, context, nullptr);
}

Result<ChatResponse> RotatingModel::Stream(const ChatRequest& request, const CallContext& context,
                                           const DeltaCallback& on_delta) {
  return Run(request, context, &on_delta);
}

int64_t RotatingModel::EstimateTokens(const ChatRequest& request) const {
  size_t characters = 0;
  for (const Message& message : request.messages) {
    characters += message.content.size();
    for (const ToolCall& call : message.tool_calls) characters += call.arguments.size();
  }
  for (const ToolDefinition& tool : request.tools) {
    characters += tool.description.size() + tool.parameters_json.size();
  }
  int64_t completion =
      request.max_tokens ? *request.max_tokens : options_.assumed_completion_tokens;
  return static_cast<int64_t>(characters / 4) + completion;
}

Duration RotatingModel::Backoff(int retry) {
  double base = std::chrono::duration<double>(options_.retry.initial_backoff).count() *
                static_cast<double>(1 << std::min(retry, 16));
  base = std::min(base, std::chrono::duration<double>(options_.retry.max_backoff).count());
  MutexLock lock(mu_);
  std::uniform_real_distribution<double> factor(1 - options_.retry.jitter,
                                                1 + options_.retry.jitter);
  return std::chrono::duration_cast<Duration>(
      std::chrono::duration<double>(base * factor(random_)));
}

void RotatingModel::Report(const ProviderReply& reply, const keys::KeyLease& lease,
                           const ChatRequest& request, const CallContext& context,
                           Timestamp started) {
  if (!options_.on_call && context.trace.tracer == nullptr && context.trace.metrics == nullptr) {
    return;
  }
  ProviderCall call{.request_id = "req-" + ToHex(NewTraceId()),
                    .time = started,
                    .provider = client_.provider().name,
                    .model_requested = request.model,
                    .key_id = lease.key_id(),
                    .scope = lease.scope(),
                    .status = ClassifyReply(reply),
                    .http_status = reply.http_status,
                    .latency = reply.latency,
                    .context = context};
  if (reply.response) {
    call.model_answered = reply.response->model;
    if (reply.response->usage) {
      call.prompt_tokens = reply.response->usage->prompt_tokens;
      call.completion_tokens = reply.response->usage->completion_tokens;
    }
  }
  TraceProviderCall(call, request, reply, client_.provider().base_url);
  if (options_.on_call) options_.on_call(call);
}

Result<ChatResponse> RotatingModel::Run(const ChatRequest& request, const CallContext& context,
                                        const DeltaCallback* on_delta) {
  const Timestamp deadline = context.deadline != Timestamp::max()
                                 ? context.deadline
                                 : clock_.Now() + options_.retry.default_key_wait;
  const int64_t estimate = EstimateTokens(request);
  Error last{ErrorCode::kUnavailable, "no attempt was made"};
  int retries = 0;
  int attempts = 0;
  while (attempts < options_.retry.max_attempts) {
    ++attempts;
    Timestamp key_deadline = deadline;
    const Timestamp now = clock_.Now();
    if (context.key_wait < deadline - now) key_deadline = now + context.key_wait;
    Result<keys::KeyLease> lease = pool_.Acquire({.model = request.model,
                                                  .estimated_tokens = estimate,
                                                  .deadline = key_deadline,
                                                  .cancelled = context.cancelled});
    if (!lease) return Fail(lease.error());
    const Timestamp started = clock_.Now();
    Result<ProviderReply> sent = client_.Send(request, &lease->secret(), on_delta, deadline);
    if (!sent) return Fail(sent.error());  // the lease releases itself: nothing was sent
    const ProviderReply& reply = *sent;
    const int64_t used_tokens =
        reply.response && reply.response->usage ? reply.response->usage->total() : estimate;
    keys::RateLimitSignal signal =
        keys::ParseRateLimitSignal(client_.provider().name, EffectiveStatus(reply), reply.headers,
                                   reply.error_body, clock_.Now());
    Report(reply, *lease, request, context, started);
    CallStatus status = ClassifyReply(reply);
    if (status == CallStatus::kOk) {
      lease->Commit(used_tokens, signal);
      ChatResponse response = *reply.response;
      response.provider = client_.provider().name;
      return response;
    }
    last = reply.error.value_or(Error{ErrorCode::kInternal, "provider reply without a result"});
    if (status == CallStatus::kRateLimited && signal.upstream) {
      // The model's upstream (behind OpenRouter) is busy, not our key: cooling the key, or
      // trying the others, would only spend their quota on the same busy upstream.
      lease->Fail(keys::Outcome::kFailed, signal);
      return Fail(ErrorCode::kUnavailable,
                  fmt::format("{} (the upstream of {} is rate-limited; not our key)", last.message,
                              request.model));
    }
    lease->Fail(OutcomeFor(status), signal);
    if (reply.delta_delivered) return Fail(last);
    if (status == CallStatus::kClientError) return Fail(last);
    if (status == CallStatus::kBadResponse) {
      // A reply HFS cannot read (malformed JSON, no choices) is the server's fault, not the
      // request's: another key, and in the end another provider, may answer.
      last = Error{ErrorCode::kUnavailable, "unreadable reply: " + last.message};
    }
    if (status == CallStatus::kServerError || status == CallStatus::kTransportError ||
        status == CallStatus::kBadResponse) {
      if (retries >= options_.retry.max_retries) break;
      Duration pause = Backoff(retries++);
      if (clock_.Now() + pause >= deadline) break;
      clock_.SleepFor(pause);
    }
  }
  return Fail(last.code, fmt::format("{} (after {} attempt{} on {})", last.message, attempts,
                                     attempts == 1 ? "" : "s", client_.provider().name));
}

}  // namespace hfs::llm
