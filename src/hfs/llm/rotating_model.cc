#include "hfs/llm/rotating_model.h"

#include <fmt/format.h>

#include <algorithm>

#include "hfs/base/ids.h"
#include "hfs/base/try.h"
#include "hfs/keys/rate_limit_signal.h"
#include "hfs/llm/chat_span.h"
#include "hfs/llm/fallback_model.h"
#include "hfs/llm/provider_error.h"

namespace hfs::llm {
namespace {

// How often a pause looks at the call's cancellation flag.
constexpr Duration kCancelPoll = std::chrono::milliseconds(100);
// No server holds a provider longer, whatever its Retry-After says (as the key pool's
// cool-downs).
constexpr Duration kMaxServerHold = std::chrono::hours(25);

bool IsSuccess(int status) { return status >= 200 && status <= 299; }

CallStatus StatusOf(const ProviderReply& reply, int status, const ReplyPolicy& policy) {
  if (reply.response) return CallStatus::kOk;
  switch (policy.key) {
    case KeyAction::kDisable:
      return CallStatus::kUnauthorized;
    case KeyAction::kNoCredit:
      return CallStatus::kNoCredit;
    case KeyAction::kBarModel:
      return CallStatus::kForbidden;
    case KeyAction::kCool:
    case KeyAction::kCount:
      break;
  }
  if (status == 0) return CallStatus::kTransportError;
  if (status == 429) return CallStatus::kRateLimited;
  if (status >= 500) return CallStatus::kServerError;
  if (status >= 400) return CallStatus::kClientError;
  return CallStatus::kBadResponse;
}

keys::Outcome OutcomeOf(const ReplyPolicy& policy, CallStatus status) {
  switch (policy.key) {
    case KeyAction::kCool:
      return keys::Outcome::kRateLimited;
    case KeyAction::kDisable:
      return keys::Outcome::kUnauthorized;
    case KeyAction::kNoCredit:
      return keys::Outcome::kNoCredit;
    case KeyAction::kBarModel:
      return keys::Outcome::kForbidden;
    case KeyAction::kCount:
      break;
  }
  return status == CallStatus::kTransportError ? keys::Outcome::kAbandoned : keys::Outcome::kFailed;
}

}  // namespace

// One attempt's reply, judged: what it means and what the provider counted of it.
struct RotatingModel::Attempt {
  int status = 0;  // EffectiveStatus
  ReplyPolicy policy;
  CallStatus call_status = CallStatus::kOk;
  keys::Outcome outcome = keys::Outcome::kSucceeded;
  Usage counted;
  bool estimated = false;
};

std::string_view CallStatusName(CallStatus status) {
  switch (status) {
    case CallStatus::kOk:
      return "ok";
    case CallStatus::kRateLimited:
      return "rate_limited";
    case CallStatus::kUnauthorized:
      return "unauthorized";
    case CallStatus::kNoCredit:
      return "no_credit";
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

CallStatus ClassifyReply(const ProviderReply& reply, std::string_view provider) {
  const int status = EffectiveStatus(reply);
  return StatusOf(reply, status, PolicyForReply(provider, status, reply.error_body));
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

int64_t RotatingModel::EstimatePromptTokens(const ChatRequest& request) const {
  size_t characters = 0;
  for (const Message& message : request.messages) {
    characters += message.content.size();
    for (const ToolCall& call : message.tool_calls) characters += call.arguments.size();
  }
  for (const ToolDefinition& tool : request.tools) {
    characters += tool.description.size() + tool.parameters_json.size();
  }
  return static_cast<int64_t>(characters / 4);
}

int64_t RotatingModel::EstimateTokens(const ChatRequest& request) const {
  int64_t completion =
      request.max_tokens ? *request.max_tokens : options_.assumed_completion_tokens;
  return EstimatePromptTokens(request) + completion;
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

RotatingModel::Attempt RotatingModel::Judge(const ProviderReply& reply,
                                            const ChatRequest& request) const {
  Attempt attempt{.status = EffectiveStatus(reply)};
  attempt.policy = PolicyForReply(client_.provider().name, attempt.status, reply.error_body);
  attempt.call_status = StatusOf(reply, attempt.status, attempt.policy);
  attempt.outcome =
      reply.response ? keys::Outcome::kSucceeded : OutcomeOf(attempt.policy, attempt.call_status);
  // What the provider counted: its word when it gave one, else an estimate for a
  // request that reached a model, else nothing (it was refused before it ran).
  const int64_t prompt = EstimatePromptTokens(request);
  const int64_t completion = EstimateTokens(request) - prompt;
  std::optional<Usage> reported;
  if (reply.response) reported = reply.response->usage;
  if (!reported && !reply.error_body.empty()) reported = UsageInErrorBody(reply.error_body);
  if (reported) {
    attempt.counted = *reported;
    return attempt;
  }
  attempt.estimated = true;
  const bool retried = attempt.policy.call == CallAction::kRetry;
  if (reply.response ||
      (retried && (attempt.status == 0 || attempt.status == 408 || IsSuccess(reply.http_status)))) {
    // Answered without usage, or cut, timed out or unreadable after it was sent: the
    // model may have written the whole completion.
    attempt.counted = {.prompt_tokens = prompt, .completion_tokens = completion};
  } else if (retried && attempt.status >= 500) {
    attempt.counted = {.prompt_tokens = prompt};
  } else if (std::optional<std::string> generated = FailedGeneration(reply.error_body)) {
    // Groq's tool_use_failed: the model wrote a call that failed validation.
    attempt.counted = {.prompt_tokens = prompt,
                       .completion_tokens = static_cast<int64_t>(generated->size() / 4)};
  } else {
    attempt.estimated = false;  // refused before it ran: nothing
  }
  return attempt;
}

void RotatingModel::Report(const ProviderReply& reply, const Attempt& attempt,
                           const keys::KeyLease& lease, const ChatRequest& request,
                           const CallContext& context, Timestamp started) {
  if (!options_.on_call && context.trace.tracer == nullptr && context.trace.metrics == nullptr) {
    return;
  }
  ProviderCall call{.request_id = "req-" + ToHex(NewTraceId()),
                    .time = started,
                    .provider = client_.provider().name,
                    .model_requested = request.model,
                    .key_id = lease.key_id(),
                    .scope = lease.scope(),
                    .status = attempt.call_status,
                    .http_status = reply.http_status,
                    .prompt_tokens = attempt.counted.prompt_tokens,
                    .completion_tokens = attempt.counted.completion_tokens,
                    .tokens_estimated = attempt.estimated,
                    .latency = reply.latency,
                    .context = context};
  if (reply.response) call.model_answered = reply.response->model;
  TraceProviderCall(call, request, reply, client_.provider().base_url);
  if (options_.on_call) options_.on_call(call);
}

Result<void> RotatingModel::Pause(Duration pause, const CallContext& context) {
  const Timestamp until = clock_.Now() + pause;
  for (Timestamp now = clock_.Now(); now < until; now = clock_.Now()) {
    if (context.cancelled != nullptr && context.cancelled->load()) {
      return Fail(ErrorCode::kCancelled,
                  fmt::format("interrupted while waiting to retry {}", client_.provider().name));
    }
    clock_.SleepFor(std::min(until - now, kCancelPoll));
  }
  return Ok();
}

Result<void> RotatingModel::Hold(const ProviderReply& reply, const keys::RateLimitSignal& signal) {
  if (!signal.retry_after) return Ok();
  // The server said when it can take requests again: no call to it before then.
  const Duration wait = std::clamp(*signal.retry_after, Duration::zero(), kMaxServerHold);
  {
    MutexLock lock(mu_);
    busy_until_ = std::max(busy_until_, clock_.Now() + wait);
  }
  if (wait <= options_.retry.max_retry_after) return Ok();
  return Fail(ErrorCode::kUnavailable,
              fmt::format("HTTP {}: {} asks to be retried after {:.0f} s (Retry-After); not "
                          "waiting that long",
                          reply.http_status, client_.provider().name, Seconds(wait)));
}

Result<void> RotatingModel::WaitForServer(const CallContext& context, Timestamp deadline) {
  Timestamp until;
  {
    MutexLock lock(mu_);
    until = busy_until_;
  }
  const Timestamp now = clock_.Now();
  if (until <= now) return Ok();
  const Duration wait = until - now;
  const std::string why =
      fmt::format("{} asked to be left alone for another {:.1f} s (Retry-After)",
                  client_.provider().name, Seconds(wait));
  if (until > deadline || wait > options_.retry.max_retry_after) {
    return Fail(ErrorCode::kUnavailable, why);
  }
  // Like a key that frees too late for this call's key wait: a FallbackModel's second pass
  // may wait for it.
  if (wait > context.key_wait) return Fail(ErrorCode::kResourceExhausted, why);
  return Pause(wait, context);
}

std::optional<Error> RotatingModel::EndOfCall(const Attempt& attempt, const ProviderReply& reply,
                                              const ChatRequest& request, Error& last) const {
  if (reply.delta_delivered) return last;  // a stream is never restarted
  switch (attempt.policy.call) {
    case CallAction::kRotate:
      return std::nullopt;
    case CallAction::kFail:
      return last;
    case CallAction::kFailOver:
      if (attempt.policy.reason == "upstream") {
        return Error{ErrorCode::kUnavailable,
                     fmt::format("{} (the upstream of {} is rate-limited; not our key)",
                                 last.message, request.model)};
      }
      // Whatever its status, the next provider may take this request.
      if (!ShouldFallBack(last)) last.code = ErrorCode::kFailedPrecondition;
      return last;
    case CallAction::kRetry:
      break;
  }
  if (attempt.call_status == CallStatus::kBadResponse) {
    // A reply HFS cannot read (malformed JSON, no choices) is the server's fault, not the
    // request's: another key, and in the end another provider, may answer.
    last = Error{ErrorCode::kUnavailable, "unreadable reply: " + last.message};
  }
  return std::nullopt;
}

Result<ChatResponse> RotatingModel::Run(const ChatRequest& request, const CallContext& context,
                                        const DeltaCallback* on_delta) {
  const Timestamp deadline = context.deadline != Timestamp::max()
                                 ? context.deadline
                                 : clock_.Now() + options_.retry.default_key_wait;
  const int64_t estimate = EstimateTokens(request);
  const std::string& provider = client_.provider().name;
  Error last{ErrorCode::kUnavailable, "no attempt was made"};
  int retries = 0;
  int attempts = 0;
  while (attempts < options_.retry.max_attempts) {
    ++attempts;
    HFS_RETURN_IF_ERROR(WaitForServer(context, deadline));
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
    Attempt attempt = Judge(reply, request);
    keys::RateLimitSignal signal = keys::ParseRateLimitSignal(
        provider, attempt.status, reply.headers, reply.error_body, clock_.Now());
    if (attempt.call_status == CallStatus::kRateLimited && signal.upstream) {
      // The model's upstream (behind OpenRouter) is busy, not our key: cooling the key, or
      // trying the others, would only spend their quota on the same busy upstream.
      attempt.policy = {KeyAction::kCount, CallAction::kFailOver, "upstream"};
      attempt.outcome = keys::Outcome::kFailed;
    }
    Report(reply, attempt, *lease, request, context, started);
    if (attempt.call_status == CallStatus::kOk) {
      lease->Commit(attempt.counted.total(), signal);
      ChatResponse response = *reply.response;
      response.provider = provider;
      return response;
    }
    lease->Fail(attempt.outcome, signal, attempt.counted.total());
    last = reply.error.value_or(Error{ErrorCode::kInternal, "provider reply without a result"});
    if (std::optional<Error> end = EndOfCall(attempt, reply, request, last)) return Fail(*end);
    if (attempt.policy.call == CallAction::kRotate) continue;
    HFS_RETURN_IF_ERROR(Hold(reply, signal));
    if (retries >= options_.retry.max_retries) break;
    const Duration pause =
        signal.retry_after ? std::max(*signal.retry_after, Duration::zero()) : Backoff(retries);
    ++retries;
    if (clock_.Now() + pause >= deadline) break;
    HFS_RETURN_IF_ERROR(Pause(pause, context));
  }
  return Fail(last.code, fmt::format("{} (after {} attempt{} on {})", last.message, attempts,
                                     attempts == 1 ? "" : "s", provider));
}

}  // namespace hfs::llm
