#include "hfs/keys/key_discovery.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <set>

namespace hfs::keys {
namespace {

// Keys beyond this count are almost certainly a typo in NUM_<P>.
constexpr int kMaxKeysPerProvider = 1000;

std::optional<int> ParseCount(std::string_view text) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

std::string ApiKey::id() const { return fmt::format("{}#{}:{}", provider, index, fingerprint); }

std::string EnvPrefix(std::string_view provider) {
  std::string prefix;
  for (char c : provider) {
    prefix.push_back(std::isalnum(static_cast<unsigned char>(c))
                         ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                         : '_');
  }
  return prefix;
}

std::string Fingerprint(std::string_view secret) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : secret) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return fmt::format("{:08x}", static_cast<uint32_t>(hash ^ (hash >> 32)));
}

DiscoveredKeys DiscoverKeys(const Env& env, std::string_view provider) {
  DiscoveredKeys found;
  const std::string prefix = EnvPrefix(provider);
  std::set<std::string> seen;
  auto add = [&](int index, const std::string& variable) {
    std::optional<std::string> secret = env.Get(variable);
    if (!secret || secret->empty()) {
      found.warnings.push_back(fmt::format("{} is not set", variable));
      return;
    }
    if (!seen.insert(*secret).second) {
      found.warnings.push_back(fmt::format("{} repeats an earlier key and is skipped", variable));
      return;
    }
    ApiKey key{.provider = std::string(provider),
               .index = index,
               .fingerprint = Fingerprint(*secret),
               .secret = Secret(*secret)};
    std::string account = env.GetOr(fmt::format("{}_ACCOUNT_{}", prefix, index), "");
    key.scope = account.empty() ? key.id() : fmt::format("{}/{}", provider, account);
    found.keys.push_back(std::move(key));
  };

  if (std::optional<std::string> count_text = env.Get(fmt::format("NUM_{}", prefix))) {
    std::optional<int> count = ParseCount(*count_text);
    if (!count || *count > kMaxKeysPerProvider) {
      found.warnings.push_back(
          fmt::format("NUM_{} must be a whole number from 0 to {}", prefix, kMaxKeysPerProvider));
    } else {
      for (int i = 1; i <= *count; ++i) add(i, fmt::format("{}_API_KEY_{}", prefix, i));
    }
  }
  std::string single = fmt::format("{}_API_KEY", prefix);
  if (std::optional<std::string> secret = env.Get(single); secret && !secret->empty()) {
    if (!seen.count(*secret)) add(0, single);
  }
  return found;
}

}  // namespace hfs::keys
