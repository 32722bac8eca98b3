// hfs/keys/key_pool.h
//
// KeyPool hands out the keys of one provider so that no key goes over its rate limits.
// Acquire reserves one request and the estimated tokens on the chosen key's quota bucket
// (its scope and model) before the request is sent, so requests in flight count against
// the limits; the lease then commits the real usage or reports how the request failed,
// and a lease dropped without either releases its reservation.
//
// A sent request counts from its reservation until one window after it settles (Commit or
// Fail). The provider counts it from some moment in between (when it arrived), which the
// pool cannot see; dating it at the settle time is the latest that moment can be, so the
// pool never reuses a slot before the provider's own window has freed it, however long
// the request was on the wire. The price is the round trip: a slot is held for a window
// plus the request's latency.
//
// Selection: among keys that are enabled, not cooling down and under every limit, the
// one with the most headroom; ties go round-robin. When none is free, Acquire waits (a
// condition-variable wait on the injected Clock) until the earliest moment one frees up,
// or fails at the caller's deadline.
//
// It learns from responses: a rate-limit signal's retry hint (or a zero `remaining` with
// its reset) cools the bucket down exactly that long; a 429 without hints cools it down in
// steps; limits the provider reports are adopted where none were configured; a refused key
// (401, or a body naming an invalid, suspended or restricted key) and a key without credit
// (402) are disabled for the process; a key barred from a model (403) is barred from that
// model only. What counts as which is the caller's table (llm/provider_error.h).
//
// A failed or abandoned request counts with the tokens the caller says the provider
// counted (its reported usage, or an estimate), as a successful one does.
//
//   KeyPool pool({.provider = "groq", .keys = std::move(found.keys), .limits = table}, clock);
//   KeyLease lease = HFS_TRY(pool.Acquire({.model = "llama-3.3-70b-versatile",
//                                          .estimated_tokens = 1500, .deadline = deadline}));
//   request.headers.Add("Authorization", "Bearer " + lease.secret().Reveal());
//   ... send ...
//   lease.Commit(usage.total_tokens, signal);   // or lease.Fail(Outcome::kRateLimited, signal)
//
// Thread-safe. Acquire fails with kResourceExhausted at the deadline, kUnauthenticated
// when every key is disabled and one of them was refused, kFailedPrecondition when every
// key is out of credit or the pool has no keys, kPermissionDenied when every key is barred
// from the model, kCancelled when the caller's flag is set while waiting.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/error.h"
#include "hfs/base/mutex.h"
#include "hfs/keys/key_discovery.h"
#include "hfs/keys/limits.h"
#include "hfs/keys/rate_limit_signal.h"
#include "hfs/keys/usage_ledger.h"

namespace hfs::keys {

struct KeyPoolOptions {
  std::string provider;
  std::vector<ApiKey> keys;
  ProviderLimits limits;
  // Cooldowns after consecutive 429s that carry no retry hint.
  std::vector<Duration> cooldown_steps = {std::chrono::seconds(1), std::chrono::seconds(5),
                                          std::chrono::seconds(15), std::chrono::seconds(30),
                                          std::chrono::seconds(60)};
};

struct AcquireRequest {
  std::string model;
  int64_t estimated_tokens = 1000;
  // Give up at this time (on the pool's clock). Now or earlier: do not wait.
  Timestamp deadline;
  // When set and true, a waiting Acquire gives up (kCancelled) within kCancelPoll.
  const std::atomic<bool>* cancelled = nullptr;
};

enum class Outcome {
  kSucceeded,     // answered (what Commit reports): counts; ends the cool-down steps
  kRateLimited,   // 429: counts as a request; cool down
  kUnauthorized,  // the key is refused (401, invalid, suspended): disabled, not counted
  kNoCredit,      // no credit left (402, a spent key limit): disabled, not counted
  kForbidden,     // the key may not use this model (403): barred from it, not counted
  kFailed,        // sent, and answered with a failure (5xx, 400): the request counts
  // Sent, but no reply arrived (timeout, reset): the provider may count the request
  // later than we gave up, by as long as it was in flight (at most kMaxAbandonLag), so
  // it counts until one window after that.
  kAbandoned,
  kNotSent,  // never reached the provider: the reservation is voided
};

inline constexpr Duration kMaxAbandonLag = std::chrono::seconds(1);

// A past request, to rebuild windows at start-up (from the usage store).
struct PastUsage {
  Timestamp time;
  std::string key_id;
  std::string model;
  int64_t tokens = 0;
};

struct BucketStatus {
  std::string scope;
  std::string model;
  int64_t in_flight = 0;
  Timestamp cooldown_until;
  // Use within each rule's window, as (rule, used).
  std::vector<std::pair<LimitRule, int64_t>> usage;
};

struct KeyStatus {
  std::string key_id;
  std::string scope;
  bool disabled = false;
  // Why: "refused" (kUnauthorized) or "no credit" (kNoCredit); empty while enabled.
  std::string disabled_because;
  std::vector<std::string> forbidden_models;
};

class KeyPool;

// A reserved request on one key. Move-only; releases the reservation when destroyed
// without Commit or Fail.
class KeyLease {
 public:
  KeyLease(KeyLease&& other) noexcept;
  KeyLease& operator=(KeyLease&& other) noexcept;
  KeyLease(const KeyLease&) = delete;
  KeyLease& operator=(const KeyLease&) = delete;
  ~KeyLease();

  // REQUIRES: not yet settled (Commit / Fail) or moved from.
  const std::string& key_id() const;
  const std::string& scope() const;
  const Secret& secret() const;

  // The request succeeded: record its real token count and learn from the signal.
  void Commit(int64_t total_tokens, const RateLimitSignal& signal = {});
  // The request ended otherwise. `tokens` are what the provider counted of it (reported
  // usage, or an estimate); they count in the windows unless the outcome voids the
  // request (kUnauthorized, kNoCredit, kForbidden, kNotSent).
  void Fail(Outcome outcome, const RateLimitSignal& signal = {}, int64_t tokens = 0);

 private:
  friend class KeyPool;
  KeyLease(KeyPool* pool, size_t key_index, std::string model, int64_t reserved_tokens,
           Timestamp leased_at)
      : pool_(pool),
        key_index_(key_index),
        model_(std::move(model)),
        reserved_tokens_(reserved_tokens),
        leased_at_(leased_at) {}

  KeyPool* pool_ = nullptr;  // null once settled or moved from
  size_t key_index_ = 0;
  std::string model_;
  int64_t reserved_tokens_ = 0;
  Timestamp leased_at_;
};

class KeyPool {
 public:
  // REQUIRES: `clock` outlives the pool and every lease.
  KeyPool(KeyPoolOptions options, Clock& clock);
  KeyPool(const KeyPool&) = delete;
  KeyPool& operator=(const KeyPool&) = delete;

  Result<KeyLease> Acquire(const AcquireRequest& request);
  // Call before the first Acquire, with records ordered by time.
  void Hydrate(std::span<const PastUsage> records);

  const std::string& provider() const { return provider_; }
  size_t size() const { return keys_.size(); }
  std::vector<KeyStatus> Keys() const;
  std::vector<BucketStatus> Buckets();

 private:
  friend class KeyLease;
  struct KeyHealth {
    bool disabled = false;
    Outcome disabled_by = Outcome::kUnauthorized;  // kUnauthorized or kNoCredit
    std::set<std::string> forbidden_models;
  };
  struct Bucket {
    std::string scope;
    std::string model;
    // Settled requests, each dated when it settled.
    UsageLedger ledger;
    std::vector<LimitRule> rules;
    Timestamp cooldown_until;
    int strikes = 0;
    // Leased and not yet settled: they count in every window until they settle.
    int64_t in_flight = 0;
    int64_t in_flight_tokens = 0;
  };

  Bucket& BucketFor(size_t key_index, const std::string& model) HFS_REQUIRES(mu_);
  // Zero when `bucket` can take the request now; otherwise how long until it can.
  Duration WaitFor(Bucket& bucket, Timestamp now, int64_t tokens) HFS_REQUIRES(mu_);
  double Headroom(Bucket& bucket, Timestamp now, int64_t tokens) HFS_REQUIRES(mu_);
  Error Exhausted(const AcquireRequest& request, Timestamp earliest) const HFS_REQUIRES(mu_);
  Error AllDisabled() const HFS_REQUIRES(mu_);
  void Settle(KeyLease& lease, Outcome outcome, int64_t tokens, const RateLimitSignal& signal)
      HFS_EXCLUDES(mu_);
  void Learn(Bucket& bucket, const RateLimitSignal& signal, Timestamp now) HFS_REQUIRES(mu_);
  void CoolDown(Bucket& bucket, const RateLimitSignal& signal, Timestamp now) HFS_REQUIRES(mu_);

  // Constant after construction.
  const std::string provider_;
  const std::vector<ApiKey> keys_;
  const ProviderLimits limits_;
  const std::vector<Duration> cooldown_steps_;
  const std::vector<std::string> key_ids_;  // keys_[i].id()
  Clock& clock_;

  mutable Mutex mu_;
  CondVar changed_;
  std::vector<KeyHealth> health_ HFS_GUARDED_BY(mu_);
  std::map<std::string, Bucket> buckets_ HFS_GUARDED_BY(mu_);
  size_t next_ HFS_GUARDED_BY(mu_) = 0;
};

}  // namespace hfs::keys
