// hfs/llm/rotating_model.h
//
// RotatingModel is a Model over one provider and its KeyPool, and the one retry loop of
// HFS. Each attempt leases a key (waiting for one up to the call's deadline), sends the
// request once, reports the outcome to the pool (which learns from the rate-limit
// headers) and to the call observer, then:
//   429              -> another key at once (the pool cools the limited one down);
//   401 / 403        -> another key (the pool disables the key, or the key for the model);
//   5xx, transport,  -> backoff with jitter, then retry (a reply that cannot be read fails
//   unreadable 2xx      as kUnavailable, so a FallbackModel moves to the next provider);
//   other 4xx        -> fail at once (a request problem, not a key problem);
// An error inside a 2xx body (EffectiveStatus) is treated as the status it names. A 429
// from the upstream behind OpenRouter (RateLimitSignal::upstream) cools no key and fails
// at once as kUnavailable, so a FallbackModel tries the next provider.
// and a stream that failed after its first delta is never restarted.
//
//   RotatingModel groq(pool, client, clock, {.on_call = record_usage});
//   Result<ChatResponse> reply = groq.Complete(request, {.deadline = clock.Now() + 90s});
//
// Thread-safe. Fails with the last attempt's error, or with the pool's error when no key
// can be had by the deadline (kResourceExhausted, kUnauthenticated, kPermissionDenied).
#pragma once

#include <cstdint>
#include <random>

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

  // Prompt characters / 4 plus the completion allowance.
  int64_t EstimateTokens(const ChatRequest& request) const;

 private:
  Result<ChatResponse> Run(const ChatRequest& request, const CallContext& context,
                           const DeltaCallback* on_delta);
  void Report(const ProviderReply& reply, const keys::KeyLease& lease, const ChatRequest& request,
              const CallContext& context, Timestamp started);
  Duration Backoff(int retry);

  keys::KeyPool& pool_;
  const ProviderClient& client_;
  Clock& clock_;
  const RotatingModelOptions options_;
  Mutex mu_;
  std::mt19937_64 random_ HFS_GUARDED_BY(mu_);
};

// The HTTP status a reply stands for: its own, or for a 2xx carrying an error object,
// the status that error names (429 for a rate limit, 401, 403, 400, 503).
int EffectiveStatus(const ProviderReply& reply);
// How a reply's status maps to a CallStatus and to the pool's Outcome.
CallStatus ClassifyReply(const ProviderReply& reply);

}  // namespace hfs::llm
