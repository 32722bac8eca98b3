#include "hfs/llm/provider_set.h"

#include "hfs/keys/key_discovery.h"
#include "hfs/llm/usage_rows.h"

namespace hfs::llm {

keys::ApiKey KeylessKey(std::string_view provider) {
  keys::ApiKey key{.provider = std::string(provider), .index = 0, .fingerprint = "nokey"};
  key.scope = key.id();
  return key;
}

ProviderSet::ProviderSet(std::vector<ProviderOptions> providers, const Env& env,
                         net::Transport& transport, Clock& clock, ProviderSetOptions options) {
  ApplyBaseUrlOverrides(env, providers);
  for (ProviderOptions& provider : providers) {
    if (!provider.enabled) continue;
    keys::DiscoveredKeys found = keys::DiscoverKeys(env, provider.name);
    warnings_.insert(warnings_.end(), found.warnings.begin(), found.warnings.end());
    // Keys go only where they may (https, loopback or an explicit allowance): a provider
    // whose config URL is plain http elsewhere is left out, with its reason.
    if (Result<void> allowed = keys::CheckKeyDestination(env, provider.name, provider.base_url);
        !allowed) {
      warnings_.push_back(allowed.error().message);
      continue;
    }
    if (found.keys.empty()) {
      if (provider.requires_key) continue;
      found.keys.push_back(KeylessKey(provider.name));
    }
    ProviderEntry entry{.options = provider};
    entry.pool = std::make_unique<keys::KeyPool>(
        keys::KeyPoolOptions{
            .provider = provider.name, .keys = std::move(found.keys), .limits = provider.limits},
        clock);
    entry.client = std::make_unique<ProviderClient>(provider, transport, clock, options.client);
    entry.model =
        std::make_unique<RotatingModel>(*entry.pool, *entry.client, clock, options.rotating);
    entries_.push_back(std::move(entry));
  }
}

const ProviderEntry* ProviderSet::Entry(std::string_view provider) const {
  for (const ProviderEntry& entry : entries_) {
    if (entry.options.name == provider) return &entry;
  }
  return nullptr;
}

Model* ProviderSet::Find(std::string_view provider) const {
  const ProviderEntry* entry = Entry(provider);
  return entry != nullptr ? entry->model.get() : nullptr;
}

keys::KeyPool* ProviderSet::Pool(std::string_view provider) const {
  const ProviderEntry* entry = Entry(provider);
  return entry != nullptr ? entry->pool.get() : nullptr;
}

void ProviderSet::Hydrate(std::span<const store::UsageRecord> rows) {
  for (ProviderEntry& entry : entries_) {
    std::vector<keys::PastUsage> past = PastUsageFor(entry.options.name, rows);
    entry.pool->Hydrate(past);
  }
}

}  // namespace hfs::llm
