#include "hfs/keys/key_pool.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace hfs::keys {
namespace {

constexpr Duration kDefaultHorizon = std::chrono::hours(24);
// Cooldown after a 429 that names a daily quota but gives no time.
constexpr Duration kDailyQuotaCooldown = std::chrono::hours(1);
// No cool-down lasts longer, whatever a server says: a Retry-After of years would overflow
// the clock, and every provider's daily quota has reset by then.
constexpr Duration kMaxCooldown = std::chrono::hours(25);
// Gemini's per-day quotas reset at midnight Pacific time: 08:00 UTC (07:00 in summer, when
// the first try after the reset may still come an hour late, never too early).
constexpr Duration kGeminiDailyReset = std::chrono::hours(8);

Timestamp CooledUntil(Timestamp now, Duration cooldown) {
  return now + std::clamp(cooldown, Duration::zero(), kMaxCooldown);
}

// The next moment Gemini's daily quotas reset, after `now`.
Timestamp NextGeminiReset(Timestamp now) {
  Timestamp reset = std::chrono::floor<std::chrono::days>(now) + kGeminiDailyReset;
  return reset > now ? reset : reset + std::chrono::hours(24);
}
constexpr Timestamp kNever = Timestamp::max();
// How often a waiting Acquire looks at its cancellation flag.
constexpr Duration kCancelPoll = std::chrono::milliseconds(100);
// A wait that ends only when something settles (it is never reached on the clock).
constexpr Duration kForever = std::chrono::hours(24 * 365 * 100);

std::vector<std::string> IdsOf(const std::vector<ApiKey>& keys) {
  std::vector<std::string> ids;
  for (const ApiKey& key : keys) ids.push_back(key.id());
  return ids;
}

bool SameRule(const LimitRule& a, const LimitRule& b) {
  return a.kind == b.kind && a.window == b.window;
}

}  // namespace

// ---- KeyLease ----

KeyLease::KeyLease(KeyLease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      key_index_(other.key_index_),
      model_(std::move(other.model_)),
      reserved_tokens_(other.reserved_tokens_),
      leased_at_(other.leased_at_) {}

KeyLease& KeyLease::operator=(KeyLease&& other) noexcept {
  if (this != &other) {
    if (pool_ != nullptr) pool_->Settle(*this, Outcome::kNotSent, 0, {});
    pool_ = std::exchange(other.pool_, nullptr);
    key_index_ = other.key_index_;
    model_ = std::move(other.model_);
    reserved_tokens_ = other.reserved_tokens_;
    leased_at_ = other.leased_at_;
  }
  return *this;
}

KeyLease::~KeyLease() {
  if (pool_ != nullptr) pool_->Settle(*this, Outcome::kNotSent, 0, {});
}

const std::string& KeyLease::scope() const { return pool_->keys_[key_index_].scope; }
const Secret& KeyLease::secret() const { return pool_->keys_[key_index_].secret; }
const std::string& KeyLease::key_id() const { return pool_->key_ids_[key_index_]; }

void KeyLease::Commit(int64_t total_tokens, const RateLimitSignal& signal) {
  if (pool_ != nullptr) pool_->Settle(*this, Outcome::kSucceeded, total_tokens, signal);
}

void KeyLease::Fail(Outcome outcome, const RateLimitSignal& signal, int64_t tokens) {
  if (pool_ != nullptr) pool_->Settle(*this, outcome, tokens, signal);
}

// ---- KeyPool ----

KeyPool::KeyPool(KeyPoolOptions options, Clock& clock)
    : provider_(std::move(options.provider)),
      keys_(std::move(options.keys)),
      limits_(std::move(options.limits)),
      cooldown_steps_(std::move(options.cooldown_steps)),
      key_ids_(IdsOf(keys_)),
      clock_(clock) {
  MutexLock lock(mu_);
  health_.resize(keys_.size());
}

KeyPool::Bucket& KeyPool::BucketFor(size_t key_index, const std::string& model) {
  const std::string& scope = keys_[key_index].scope;
  std::string bucket_model = limits_.shared_across_models ? kAnyModel : model;
  auto [it, inserted] = buckets_.try_emplace(scope + "\n" + bucket_model);
  if (inserted) {
    it->second.scope = scope;
    it->second.model = bucket_model;
    it->second.rules = limits_.RulesFor(model, keys_[key_index].index);
  }
  return it->second;
}

Duration KeyPool::WaitFor(Bucket& bucket, Timestamp now, int64_t tokens) {
  Duration wait = std::max(Duration::zero(), bucket.cooldown_until - now);
  for (const LimitRule& rule : bucket.rules) {
    const int64_t pending =
        rule.kind == LimitKind::kRequests ? bucket.in_flight : bucket.in_flight_tokens;
    const Duration free = bucket.ledger.TimeUntilFree(now, rule, tokens, pending);
    if (free == Duration::max()) return kForever;  // frees when requests in flight settle
    wait = std::max(wait, free);
  }
  return wait;
}

double KeyPool::Headroom(Bucket& bucket, Timestamp now, int64_t tokens) {
  if (bucket.rules.empty()) {
    // Limits unknown: prefer the key used least in the last minute.
    int64_t recent = bucket.ledger.Used(now, LimitKind::kRequests, std::chrono::minutes(1));
    return 1.0 / static_cast<double>(1 + recent + bucket.in_flight);
  }
  double headroom = 1.0;
  for (const LimitRule& rule : bucket.rules) {
    const bool by_requests = rule.kind == LimitKind::kRequests;
    int64_t used = bucket.ledger.Used(now, rule.kind, rule.window) +
                   (by_requests ? bucket.in_flight : bucket.in_flight_tokens);
    int64_t need = by_requests ? 1 : tokens;
    headroom = std::min(headroom, static_cast<double>(rule.limit - used - need) /
                                      static_cast<double>(std::max<int64_t>(rule.limit, 1)));
  }
  return headroom;
}

Result<KeyLease> KeyPool::Acquire(const AcquireRequest& request) {
  if (keys_.empty()) {
    return Fail(ErrorCode::kFailedPrecondition, fmt::format("no keys for {}", provider_));
  }
  MutexLock lock(mu_);
  while (true) {
    const Timestamp now = clock_.Now();
    Timestamp earliest = kNever;
    std::optional<size_t> best;
    double best_headroom = -std::numeric_limits<double>::infinity();
    size_t usable = 0;
    size_t allowed = 0;
    for (size_t step = 0; step < keys_.size(); ++step) {
      size_t index = (next_ + step) % keys_.size();
      const KeyHealth& health = health_[index];
      if (health.disabled) continue;
      ++usable;
      if (health.forbidden_models.count(request.model)) continue;
      ++allowed;
      Bucket& bucket = BucketFor(index, request.model);
      Duration wait = WaitFor(bucket, now, request.estimated_tokens);
      if (wait > Duration::zero()) {
        earliest = std::min(earliest, now + wait);
        continue;
      }
      double headroom = Headroom(bucket, now, request.estimated_tokens);
      if (headroom > best_headroom) {
        best_headroom = headroom;
        best = index;
      }
    }
    if (best) {
      Bucket& bucket = BucketFor(*best, request.model);
      ++bucket.in_flight;
      bucket.in_flight_tokens += request.estimated_tokens;
      next_ = (*best + 1) % keys_.size();
      return KeyLease(this, *best, request.model, request.estimated_tokens, now);
    }
    if (usable == 0) return Fail(AllDisabled());
    if (allowed == 0) {
      return Fail(
          ErrorCode::kPermissionDenied,
          fmt::format("every {} key is refused for model {} (403)", provider_, request.model));
    }
    if (now >= request.deadline) return Fail(Exhausted(request, earliest));
    if (request.cancelled != nullptr && request.cancelled->load()) {
      return Fail(ErrorCode::kCancelled,
                  fmt::format("interrupted while waiting for a {} key", provider_));
    }
    Timestamp wake = std::min(earliest, request.deadline);
    if (request.cancelled != nullptr) wake = std::min(wake, now + kCancelPoll);
    clock_.WaitUntil(changed_, mu_, wake);
  }
}

Error KeyPool::Exhausted(const AcquireRequest& request, Timestamp earliest) const {
  return Error{
      ErrorCode::kResourceExhausted,
      fmt::format("all {} keys of {} are at their rate limits for {}; the first frees "
                  "in {:.1f} s",
                  keys_.size(), provider_, request.model, Seconds(earliest - clock_.Now()))};
}

Error KeyPool::AllDisabled() const {
  size_t refused = 0;
  for (const KeyHealth& health : health_) {
    refused += health.disabled && health.disabled_by == Outcome::kUnauthorized;
  }
  if (refused == 0) {
    return Error{
        ErrorCode::kFailedPrecondition,
        fmt::format("every {} key is out of credit (402, or a spent key limit)", provider_)};
  }
  return Error{ErrorCode::kUnauthenticated,
               fmt::format("every {} key is disabled: {} refused (401, or an invalid, suspended "
                           "or restricted key), {} out of credit",
                           provider_, refused, keys_.size() - refused)};
}

void KeyPool::Settle(KeyLease& lease, Outcome outcome, int64_t tokens,
                     const RateLimitSignal& signal) {
  MutexLock lock(mu_);
  const Timestamp now = clock_.Now();
  Bucket& bucket = BucketFor(lease.key_index_, lease.model_);
  --bucket.in_flight;
  bucket.in_flight_tokens -= lease.reserved_tokens_;
  const bool voided = outcome == Outcome::kNotSent || outcome == Outcome::kUnauthorized ||
                      outcome == Outcome::kNoCredit || outcome == Outcome::kForbidden;
  // A request that reached the provider counts until one window after now (see the file
  // comment), with the tokens the provider counted of it, failed or not. One we gave up on
  // may be counted by the provider as late as it was in flight after now.
  if (!voided) {
    Timestamp counted_at = now;
    if (outcome == Outcome::kAbandoned) {
      counted_at += std::min(now - lease.leased_at_, kMaxAbandonLag);
    }
    bucket.ledger.Add(counted_at, std::max<int64_t>(tokens, 0));
  }
  KeyHealth& health = health_[lease.key_index_];
  if (outcome == Outcome::kSucceeded) bucket.strikes = 0;
  if (outcome == Outcome::kUnauthorized || outcome == Outcome::kNoCredit) {
    if (!health.disabled) health.disabled_by = outcome;
    health.disabled = true;
  }
  if (outcome == Outcome::kForbidden) health.forbidden_models.insert(lease.model_);
  if (outcome == Outcome::kRateLimited) CoolDown(bucket, signal, now);
  Learn(bucket, signal, now);
  Duration horizon = kDefaultHorizon;
  for (const LimitRule& rule : bucket.rules) horizon = std::max(horizon, rule.window);
  bucket.ledger.Prune(now, horizon);
  lease.pool_ = nullptr;
  changed_.NotifyAll();
}

void KeyPool::CoolDown(Bucket& bucket, const RateLimitSignal& signal, Timestamp now) {
  std::optional<Duration> hint = signal.CooldownHint();
  Duration cooldown;
  if (hint) {
    cooldown = *hint;
  } else if (signal.quota_scope == QuotaScope::kPerDay) {
    cooldown = kDailyQuotaCooldown;
  } else {
    size_t step = std::min<size_t>(bucket.strikes, cooldown_steps_.size() - 1);
    cooldown = cooldown_steps_.empty() ? std::chrono::seconds(1) : cooldown_steps_[step];
  }
  ++bucket.strikes;
  Timestamp until = CooledUntil(now, cooldown);
  // A per-day quota is spent until the day resets, whatever its retry hint says (Gemini
  // sends the same 30-odd-second RetryInfo for a spent daily quota).
  if (provider_ == "gemini" && signal.quota_scope == QuotaScope::kPerDay) {
    until = std::max(until, NextGeminiReset(now));
  }
  bucket.cooldown_until = std::max(bucket.cooldown_until, until);
}

void KeyPool::Learn(Bucket& bucket, const RateLimitSignal& signal, Timestamp now) {
  for (const LimitObservation& seen : signal.observations) {
    if (seen.remaining && *seen.remaining <= 0 && seen.reset_after) {
      bucket.cooldown_until = std::max(bucket.cooldown_until, CooledUntil(now, *seen.reset_after));
    }
    if (!seen.limit || !seen.window || *seen.limit <= 0) continue;
    LimitRule rule{.kind = seen.kind, .limit = *seen.limit, .window = *seen.window};
    auto same = [&](const LimitRule& r) { return SameRule(r, rule); };
    auto it = std::find_if(bucket.rules.begin(), bucket.rules.end(), same);
    bool configured = std::any_of(limits_.RulesFor(bucket.model).begin(),
                                  limits_.RulesFor(bucket.model).end(), same);
    if (it == bucket.rules.end()) {
      bucket.rules.push_back(rule);
    } else if (!configured) {
      it->limit = rule.limit;  // the provider's word wins over an earlier observation
    }
  }
}

void KeyPool::Hydrate(std::span<const PastUsage> records) {
  MutexLock lock(mu_);
  for (const PastUsage& record : records) {
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (key_ids_[i] != record.key_id) continue;
      BucketFor(i, record.model).ledger.Add(record.time, record.tokens);
      break;
    }
  }
}

std::vector<KeyStatus> KeyPool::Keys() const {
  MutexLock lock(mu_);
  std::vector<KeyStatus> out;
  for (size_t i = 0; i < keys_.size(); ++i) {
    std::string because;
    if (health_[i].disabled) {
      because = health_[i].disabled_by == Outcome::kNoCredit ? "no credit" : "refused";
    }
    out.push_back({.key_id = key_ids_[i],
                   .scope = keys_[i].scope,
                   .disabled = health_[i].disabled,
                   .disabled_because = std::move(because),
                   .forbidden_models = {health_[i].forbidden_models.begin(),
                                        health_[i].forbidden_models.end()}});
  }
  return out;
}

std::vector<BucketStatus> KeyPool::Buckets() {
  MutexLock lock(mu_);
  const Timestamp now = clock_.Now();
  std::vector<BucketStatus> out;
  for (auto& [name, bucket] : buckets_) {
    BucketStatus status{.scope = bucket.scope,
                        .model = bucket.model,
                        .in_flight = bucket.in_flight,
                        .cooldown_until = bucket.cooldown_until};
    for (const LimitRule& rule : bucket.rules) {
      status.usage.emplace_back(rule, bucket.ledger.Used(now, rule.kind, rule.window));
    }
    out.push_back(std::move(status));
  }
  return out;
}

}  // namespace hfs::keys
