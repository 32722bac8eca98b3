// hfs/app/provider_check.h
//
// The providers a run may use and whether each has keys, as checked before a run:
// enabled providers with their base URL (after HFS_<P>_BASE_URL overrides) and the ids
// of the keys found for them, or why those keys may not be sent to that URL (plain
// http:// elsewhere than loopback, or an address set by the working directory's .env;
// see hfs/keys/key_discovery.h). Also the guidance printed when no provider is usable,
// and the key variables of one provider for other messages.
//
//   std::vector<ProviderStatus> status = CheckProviders(config.providers, env);
//   if (!AnyUsable(status)) std::cerr << MissingKeysGuidance(status);
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/env.h"
#include "hfs/llm/provider_options.h"

namespace hfs::app {

struct ProviderStatus {
  llm::ProviderOptions provider;
  // Key ids ("groq#1:3fa9c1d2"), never key text.
  std::vector<std::string> key_ids;
  std::vector<std::string> warnings;
  // Set when keys were found but may not be sent to the base URL; key_ids is then empty.
  std::string refusal;

  // Enabled, not refused, and either has keys or needs none.
  bool usable() const;
};

std::vector<ProviderStatus> CheckProviders(const std::vector<llm::ProviderOptions>& providers,
                                           const Env& env);
bool AnyUsable(const std::vector<ProviderStatus>& status);

// One line per provider: "  cerebras     OK        3 keys  https://api.cerebras.ai/v1",
// then its warnings and refusal.
std::string ProviderTable(const std::vector<ProviderStatus>& status);
// The variables that give `provider` keys, for messages:
// "CEREBRAS_API_KEY (or NUM_CEREBRAS + CEREBRAS_API_KEY_1..N)".
std::string KeyVariablesHint(std::string_view provider);
// The full message for a run with no usable provider: the keys refused, which are
// missing, the variables to set, a .env example, and the commands that need no keys.
std::string MissingKeysGuidance(const std::vector<ProviderStatus>& status);

}  // namespace hfs::app
