// hfs/llm/rotating_model.h
//
// RotatingModel is a Model over one provider and its KeyPool, and the one retry loop of
// HFS. Each attempt leases a key (waiting for one up to the call's deadline), sends the
// request once, reports the outcome to the pool (which learns from the rate-limit
// headers) and to the call observer, then does what the provider's table says
// (PolicyForReply, docs/providers.md "How a reply is treated"):
//   rotate    -> another key at once: a 429 (the pool cools the key), a refused key
//                (disabled), a key without credit (disabled), a key barred from the model;
//   retry     -> 5xx, 408, no reply, an unreadable 2xx: again after the server's
//                Retry-After (503/529; the whole provider waits it out, up to
//                max_retry_after, else the call fails over at once), or else a backoff
//                with jitter, at most max_retries times, then kUnavailable;
//   fail      -> the request is at fault (400, 422): fail at once, no fallback either;
//   fail over -> fail at once with a code a FallbackModel moves on from (OpenRouter's
//                moderation 403 or 503, 404, 413, an OpenRouter upstream 429).
// An error inside a 2xx body (EffectiveStatus) counts as the status it names. A stream
// that failed after its first delta is never restarted.
//
// Every request that was sent is reported once (a usage row) with the tokens the provider
// counted of it, and the key pool counts the same tokens in its windows: the reply's
// usage; without one, for a request that reached a model (no reply, a cut stream, an
// unreadable 2xx, 408) the estimate (prompt characters / 4 plus the completion
// allowance), for a 5xx the prompt estimate, for Groq's tool_use_failed the prompt
// estimate plus its failed generation / 4; nothing for one refused before it ran.
//
//   RotatingModel groq(pool, client, clock, {.on_call = record_usage});
//   Result<ChatResponse> reply = groq.Complete(request, {.deadline = clock.Now() + 90s});
//
// Thread-safe. Fails with the last attempt's error, or with the pool's error when no key
// can be had by the deadline (kResourceExhausted, kUnauthenticated, kPermissionDenied,
// kFailedPrecondition), kCancelled when the call's flag is set. While the provider asked
// (Retry-After) to be left alone: kResourceExhausted when that ends after the call's key
// wait (as a key that frees too late), kUnavailable when after its deadline or beyond
// max_retry_after.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

#include "hfs/base/clock.h"
#include "hfs/base/mutex.h"
#include "hfs/keys/key_pool.h"
#include "hfs/llm/model.h"
#include "hfs/llm/provider_call.h"
#include "hfs/llm/provider_client.h"

namespace hfs::llm {

struct RetryPolicy {
  // Attempts in all, rotations included.
  int max_attempts = 8;
  // Of those, retries after a 5xx or a transport error (a provider that is down fails
  // after 1 + max_retries attempts instead of waiting out every backoff).
  int max_retries = 2;
  Duration initial_backoff = std::chrono::milliseconds(500);
  Duration max_backoff = std::chrono::seconds(8);
  // Each backoff is scaled by a random factor in [1 - jitter, 1 + jitter].
  double jitter = 0.25;
  // How long a call may wait for a key when its context has no deadline.
  Duration default_key_wait = std::chrono::seconds(120);
  // The longest Retry-After of a 503/529 a call waits out before trying the provider
  // again; a longer one fails the call over at once (the provider stays avoided until
  // then). Portkey's gateway uses the same bound.
  Duration max_retry_after = std::chrono::seconds(60);
};

struct RotatingModelOptions {
  RetryPolicy retry;
  CallObserver on_call;
  // Completion tokens assumed when a request sets no max_tokens (for reservations).
  int64_t assumed_completion_tokens = 1000;
  uint64_t seed = 0x5eed;
};

class RotatingModel final : public Model {
 public:
  // `pool`, `client` and `clock` must outlive the model.
  RotatingModel(keys::KeyPool& pool, const ProviderClient& client, Clock& clock,
                RotatingModelOptions options = {});

  Result<ChatResponse> Complete(const ChatRequest& request, const CallContext& context) override;
  Result<ChatResponse> Stream(const ChatRequest& request, const CallContext& context,
                              const DeltaCallback& on_delta) override;

  // Prompt characters / 4 plus the completion allowance (max_tokens, else
  // assumed_completion_tokens).
  int64_t EstimateTokens(const ChatRequest& request) const;
  // Prompt characters / 4: messages, tool-call arguments and tool definitions.
  int64_t EstimatePromptTokens(const ChatRequest& request) const;

 private:
  struct Attempt;

  Result<ChatResponse> Run(const ChatRequest& request, const CallContext& context,
                           const DeltaCallback* on_delta);
  Attempt Judge(const ProviderReply& reply, const ChatRequest& request) const;
  // The error that ends the call after a failed attempt, or nothing when the call goes
  // on (`last`, the attempt's error, may be reworded for the final failure).
  std::optional<Error> EndOfCall(const Attempt& attempt, const ProviderReply& reply,
                                 const ChatRequest& request, Error& last) const;
  void Report(const ProviderReply& reply, const Attempt& attempt, const keys::KeyLease& lease,
              const ChatRequest& request, const CallContext& context, Timestamp started);
  // After a reply to retry that carries a Retry-After (503/529): holds every call to this
  // provider until then; fails (kUnavailable) when that is longer than max_retry_after.
  Result<void> Hold(const ProviderReply& reply, const keys::RateLimitSignal& signal);
  // Waits out a Retry-After the provider gave another call, when it ends in time.
  Result<void> WaitForServer(const CallContext& context, Timestamp deadline);
  // Sleeps `pause` on the clock in slices, so a cancelled call stops within one.
  Result<void> Pause(Duration pause, const CallContext& context);
  Duration Backoff(int retry);

  keys::KeyPool& pool_;
  const ProviderClient& client_;
  Clock& clock_;
  const RotatingModelOptions options_;
  Mutex mu_;
  std::mt19937_64 random_ HFS_GUARDED_BY(mu_);
  // Until when the provider asked (Retry-After on a 503/529) to be left alone.
  Timestamp busy_until_ HFS_GUARDED_BY(mu_);
};

// The HTTP status a reply stands for: its own, or for a 2xx carrying an error object,
// the status that error names (429 for a rate limit, 401, 403, 400, 503).
int EffectiveStatus(const ProviderReply& reply);
// The CallStatus of a reply from `provider` (generic OpenAI-compatible when empty).
CallStatus ClassifyReply(const ProviderReply& reply, std::string_view provider = "");

}  // namespace hfs::llm
