#include "hfs/llm/provider_options.h"

#include <fmt/format.h>

#include "hfs/keys/key_discovery.h"

namespace hfs::llm {

std::vector<ProviderOptions> BuiltinProviders() {
  std::vector<ProviderOptions> providers = {
      {.name = "cerebras", .base_url = "https://api.cerebras.ai/v1", .builtin = true},
      {.name = "groq", .base_url = "https://api.groq.com/openai/v1", .builtin = true},
      {.name = "gemini",
       .base_url = "https://generativelanguage.googleapis.com/v1beta/openai",
       .builtin = true},
      {.name = "openrouter", .base_url = "https://openrouter.ai/api/v1", .builtin = true},
  };
  for (ProviderOptions& provider : providers) {
    provider.capabilities = BuiltinCapabilities(provider.name);
  }
  return providers;
}

bool IsBuiltinProvider(std::string_view name) {
  for (const ProviderOptions& provider : BuiltinProviders()) {
    if (provider.name == name) return true;
  }
  return false;
}

void ApplyBaseUrlOverrides(const Env& env, std::vector<ProviderOptions>& providers) {
  for (ProviderOptions& provider : providers) {
    std::string url = env.GetOr(fmt::format("HFS_{}_BASE_URL", keys::EnvPrefix(provider.name)), "");
    if (!url.empty()) provider.base_url = url;
  }
}

}  // namespace hfs::llm
