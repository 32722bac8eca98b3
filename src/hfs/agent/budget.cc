#include "hfs/agent/budget.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <utility>

namespace hfs::agent {

std::string_view BudgetResourceName(BudgetResource resource) {
  switch (resource) {
    case BudgetResource::kTokens:
      return "tokens";
    case BudgetResource::kToolCalls:
      return "tool_calls";
    case BudgetResource::kTime:
      return "time_ms";
  }
  return "unknown";
}

std::string BudgetOverrun::ToString() const {
  return fmt::format("budget '{}' spent {} of {} {}", budget, spent, limit,
                     BudgetResourceName(resource));
}

Budget::Budget(std::string name, BudgetLimits limits, Enforcement enforcement, const Clock& clock,
               Budget* parent)
    : name_(std::move(name)),
      limits_(limits),
      enforcement_(enforcement),
      clock_(clock),
      parent_(parent),
      start_(clock.Now()) {}

void Budget::ChargeTokens(int64_t tokens) {
  if (tokens <= 0) return;
  {
    MutexLock lock(mu_);
    tokens_ += tokens;
  }
  if (parent_ != nullptr) parent_->ChargeTokens(tokens);
}

void Budget::ChargeToolCall() {
  {
    MutexLock lock(mu_);
    ++tool_calls_;
  }
  if (parent_ != nullptr) parent_->ChargeToolCall();
}

BudgetSpending Budget::spent() const {
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now() - start_);
  MutexLock lock(mu_);
  return {.tokens = tokens_, .tool_calls = tool_calls_, .time_ms = elapsed.count()};
}

std::vector<BudgetOverrun> Budget::Reached() const {
  BudgetSpending spending = spent();
  std::vector<BudgetOverrun> reached;
  auto add = [&](BudgetResource resource, int64_t spent, int64_t limit) {
    if (spent >= limit) reached.push_back({name_, resource, spent, limit});
  };
  add(BudgetResource::kTokens, spending.tokens, limits_.tokens);
  add(BudgetResource::kToolCalls, spending.tool_calls, limits_.tool_calls);
  add(BudgetResource::kTime, spending.time_ms, limits_.time_ms);
  return reached;
}

void Budget::WarnOnce(const BudgetOverrun& overrun) {
  {
    MutexLock lock(mu_);
    bool& warned = warned_[static_cast<size_t>(overrun.resource)];
    if (warned) return;
    warned = true;
  }
  spdlog::warn("{}; continuing (soft enforcement)", overrun.ToString());
}

std::optional<BudgetOverrun> Budget::Check() {
  std::vector<BudgetOverrun> reached = Reached();
  if (!reached.empty() && enforcement_ == Enforcement::kHard) return reached.front();
  for (const BudgetOverrun& overrun : reached) WarnOnce(overrun);
  if (parent_ != nullptr) return parent_->Check();
  return std::nullopt;
}

Timestamp Budget::Deadline() const {
  Timestamp own = Timestamp::max();
  // Limits too large to add to the start time (overflow) mean no deadline.
  auto headroom = std::chrono::duration_cast<std::chrono::milliseconds>(Timestamp::max() - start_);
  if (enforcement_ == Enforcement::kHard && limits_.time_ms < headroom.count()) {
    own = start_ + std::chrono::milliseconds(limits_.time_ms);
  }
  if (parent_ == nullptr) return own;
  return std::min(own, parent_->Deadline());
}

}  // namespace hfs::agent
