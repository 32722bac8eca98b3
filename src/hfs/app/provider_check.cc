#include "hfs/app/provider_check.h"

#include <fmt/format.h>

#include <algorithm>

#include "hfs/keys/key_discovery.h"

namespace hfs::app {

bool ProviderStatus::usable() const {
  return provider.enabled && refusal.empty() && (!key_ids.empty() || !provider.requires_key);
}

std::vector<ProviderStatus> CheckProviders(const std::vector<llm::ProviderOptions>& providers,
                                           const Env& env) {
  std::vector<llm::ProviderOptions> resolved = providers;
  llm::ApplyBaseUrlOverrides(env, resolved);
  std::vector<ProviderStatus> out;
  for (llm::ProviderOptions& provider : resolved) {
    ProviderStatus status{.provider = provider};
    keys::DiscoveredKeys found = keys::DiscoverKeys(env, provider.name);
    status.refusal = std::move(found.refusal);
    // The config's base URL too, where no HFS_<P>_BASE_URL was checked with the keys.
    if (Result<void> allowed = keys::CheckKeyDestination(env, provider.name, provider.base_url);
        !allowed && status.refusal.empty()) {
      status.refusal = allowed.error().message;
    }
    if (status.refusal.empty()) {
      for (const keys::ApiKey& key : found.keys) status.key_ids.push_back(key.id());
    }
    status.warnings = std::move(found.warnings);
    out.push_back(std::move(status));
  }
  return out;
}

bool AnyUsable(const std::vector<ProviderStatus>& status) {
  return std::any_of(status.begin(), status.end(),
                     [](const ProviderStatus& s) { return s.usable(); });
}

std::string ProviderTable(const std::vector<ProviderStatus>& status) {
  std::string out;
  for (const ProviderStatus& s : status) {
    std::string state = !s.provider.enabled  ? "DISABLED"
                        : !s.refusal.empty() ? "REFUSED"
                        : s.usable()         ? "OK"
                                             : "MISSING";
    std::string keys =
        s.key_ids.empty() && !s.provider.requires_key
            ? "no key needed"
            : fmt::format("{} key{}", s.key_ids.size(), s.key_ids.size() == 1 ? "" : "s");
    out += fmt::format("  {:<12} {:<9} {:<14} {}\n", s.provider.name, state, keys,
                       s.provider.base_url);
    for (const std::string& warning : s.warnings)
      out += fmt::format("      warning: {}\n", warning);
    if (!s.refusal.empty()) out += fmt::format("      refused: {}\n", s.refusal);
  }
  return out;
}

std::string KeyVariablesHint(std::string_view provider) {
  const std::string prefix = keys::EnvPrefix(provider);
  return fmt::format("{0}_API_KEY (or NUM_{0} + {0}_API_KEY_1..N)", prefix);
}

std::string MissingKeysGuidance(const std::vector<ProviderStatus>& status) {
  const bool refused = std::any_of(status.begin(), status.end(),
                                   [](const ProviderStatus& s) { return !s.refusal.empty(); });
  std::string out = refused
                        ? "Error: no provider can be used: the keys found are not sent to "
                          "the addresses their providers point at (see below).\n\n"
                        : "Error: no API keys configured; a run needs at least one provider.\n\n";
  out += "Providers:\n" + ProviderTable(status) + "\n";
  out +=
      "Set keys for any provider, in the environment or in a .env file in this directory\n"
      "or in $HFS_HOME/.env (default ~/.hfs/.env):\n";
  for (const ProviderStatus& s : status) {
    if (s.usable() || !s.provider.enabled) continue;
    std::string prefix = keys::EnvPrefix(s.provider.name);
    out += fmt::format("  {:<12} NUM_{}=N and {}_API_KEY_1 .. {}_API_KEY_N (or one {}_API_KEY)\n",
                       s.provider.name, prefix, prefix, prefix, prefix);
  }
  out +=
      "\nExample .env:\n"
      "  NUM_CEREBRAS=2\n"
      "  CEREBRAS_API_KEY_1=csk-...\n"
      "  CEREBRAS_API_KEY_2=csk-...\n"
      "  GROQ_API_KEY=gsk_...\n"
      "\nCommands that need no keys:\n"
      "  hfs validate-config FILE\n"
      "  hfs list-presets\n"
      "  hfs run -c FILE -r TEXT --dry-run\n"
      "\nTo try HFS without keys, run it against the hfs-emulator test server "
      "(docs/usage.md).\n";
  return out;
}

}  // namespace hfs::app
