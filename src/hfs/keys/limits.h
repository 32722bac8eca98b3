// hfs/keys/limits.h
//
// Rate limits as data: a LimitRule caps requests or tokens per window; ProviderLimits
// holds a provider's rules per model (with "*" for models not listed) and says whether
// one pool is shared by all models of a key (OpenRouter's free tier). Tables ship in
// config/limits/<provider>.yaml and are read by hfs/config.
//
//   ProviderLimits groq{.models = {{"llama-3.3-70b-versatile",
//       {{LimitKind::kRequests, 30, std::chrono::minutes(1)},
//        {LimitKind::kTokens, 12000, std::chrono::minutes(1)}}}}};
//   const std::vector<LimitRule>& rules = groq.RulesFor("llama-3.3-70b-versatile");
//
// Plain value types.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/keys/rate_limit_signal.h"

namespace hfs::keys {

struct LimitRule {
  LimitKind kind = LimitKind::kRequests;
  int64_t limit = 0;
  Duration window{};

  friend bool operator==(const LimitRule&, const LimitRule&) = default;
};

inline constexpr char kAnyModel[] = "*";

struct ProviderLimits {
  // model id -> rules; "*" applies to models without an entry.
  std::map<std::string, std::vector<LimitRule>, std::less<>> models;
  // True when all models of a key draw on one pool (OpenRouter :free).
  bool shared_across_models = false;
  // Per key index (ApiKey::index): model -> rules that replace the provider's for that key.
  std::map<int, std::map<std::string, std::vector<LimitRule>, std::less<>>> key_overrides;

  // The rules for `model` (for key `key_index` when it has overrides), else those of "*",
  // else none: limits unknown, to be learned from the provider's headers.
  const std::vector<LimitRule>& RulesFor(std::string_view model, int key_index = -1) const;
};

}  // namespace hfs::keys
