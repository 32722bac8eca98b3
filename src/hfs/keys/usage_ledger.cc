#include "hfs/keys/usage_ledger.h"

#include <algorithm>

namespace hfs::keys {

uint64_t UsageLedger::Add(Timestamp time, int64_t tokens) {
  if (!entries_.empty()) time = std::max(time, entries_.back().time);
  entries_.push_back({time, 1, tokens});
  const uint64_t id = first_id_ + entries_.size() - 1;
  AdjustSums(id, 1, tokens);
  return id;
}

UsageLedger::Entry* UsageLedger::Find(uint64_t id) {
  if (id < first_id_ || id >= first_id_ + entries_.size()) return nullptr;
  return &entries_[id - first_id_];
}

void UsageLedger::AdjustSums(uint64_t id, int64_t requests_delta, int64_t tokens_delta) {
  for (auto& [window, sum] : sums_) {
    if (id >= sum.cursor) {
      sum.requests += requests_delta;
      sum.tokens += tokens_delta;
    }
  }
}

void UsageLedger::SetTokens(uint64_t id, int64_t tokens) {
  Entry* entry = Find(id);
  if (entry == nullptr) return;
  AdjustSums(id, 0, tokens - entry->tokens);
  entry->tokens = tokens;
}

void UsageLedger::Void(uint64_t id) {
  Entry* entry = Find(id);
  if (entry == nullptr) return;
  AdjustSums(id, -entry->requests, -entry->tokens);
  entry->requests = 0;
  entry->tokens = 0;
}

UsageLedger::WindowSum& UsageLedger::Advance(Timestamp now, Duration window) {
  auto [it, inserted] = sums_.try_emplace(window.count());
  WindowSum& sum = it->second;
  if (inserted || sum.cursor < first_id_) {
    // Start from scratch: sum every entry still inside the window.
    sum = WindowSum{.cursor = first_id_};
    for (const Entry& entry : entries_) {
      sum.requests += entry.requests;
      sum.tokens += entry.tokens;
    }
  }
  const uint64_t end = first_id_ + entries_.size();
  while (sum.cursor < end) {
    const Entry& entry = entries_[sum.cursor - first_id_];
    if (entry.time > now - window) break;
    sum.requests -= entry.requests;
    sum.tokens -= entry.tokens;
    ++sum.cursor;
  }
  return sum;
}

int64_t UsageLedger::Used(Timestamp now, LimitKind kind, Duration window) {
  WindowSum& sum = Advance(now, window);
  return kind == LimitKind::kRequests ? sum.requests : sum.tokens;
}

Duration UsageLedger::TimeUntilFree(Timestamp now, const LimitRule& rule, int64_t tokens,
                                    int64_t pending) {
  WindowSum& sum = Advance(now, rule.window);
  const bool by_requests = rule.kind == LimitKind::kRequests;
  int64_t used = by_requests ? sum.requests : sum.tokens;
  int64_t need = (by_requests ? 1 : tokens) + pending;
  if (pending > 0 && need > rule.limit) return Duration::max();
  if (used == 0 || used + need <= rule.limit) return Duration::zero();
  // Walk forward from the oldest entry in the window until enough has expired.
  const uint64_t end = first_id_ + entries_.size();
  for (uint64_t id = sum.cursor; id < end; ++id) {
    const Entry& entry = entries_[id - first_id_];
    used -= by_requests ? entry.requests : entry.tokens;
    if (used == 0 || used + need <= rule.limit) {
      return std::max(Duration::zero(), entry.time + rule.window - now);
    }
  }
  return Duration::zero();
}

void UsageLedger::Prune(Timestamp now, Duration horizon) {
  while (!entries_.empty() && entries_.front().time <= now - horizon) {
    const Entry& oldest = entries_.front();
    for (auto& [window, sum] : sums_) {
      if (sum.cursor != first_id_) continue;  // already past the oldest entry
      sum.requests -= oldest.requests;
      sum.tokens -= oldest.tokens;
      ++sum.cursor;
    }
    entries_.pop_front();
    ++first_id_;
  }
}

}  // namespace hfs::keys
