// hfs/llm/provider_set.h
//
// ProviderSet builds the models a run calls: for every enabled provider that has keys
// (or needs none) it discovers the keys, makes a KeyPool with the provider's limits, a
// ProviderClient and a RotatingModel that reports each request to `on_call`. Providers
// keep the configured order, which is also the fallback order.
//
//   ProviderSet providers(config.providers, env, transport, clock,
//                         {.rotating = {.on_call = record_usage}});
//   providers.Hydrate(HFS_TRY(usage_store.Recent(clock.Now() - std::chrono::hours(24))));
//   Model* groq = providers.Find("groq");               // null when groq is not usable
//   Result<ChatResponse> reply = groq->Complete(request, context);
//
// Thread-safe after construction (the pools and models are). HFS_<P>_BASE_URL overrides
// are applied here.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/env.h"
#include "hfs/keys/key_pool.h"
#include "hfs/llm/provider_client.h"
#include "hfs/llm/provider_options.h"
#include "hfs/llm/rotating_model.h"
#include "hfs/net/transport.h"
#include "hfs/store/usage_record.h"

namespace hfs::llm {

struct ProviderSetOptions {
  ClientOptions client;
  RotatingModelOptions rotating;
};

// One usable provider and the objects that call it.
struct ProviderEntry {
  ProviderOptions options;
  std::unique_ptr<keys::KeyPool> pool;
  std::unique_ptr<ProviderClient> client;
  std::unique_ptr<RotatingModel> model;
};

class ProviderSet {
 public:
  // `transport` and `clock` must outlive the set.
  ProviderSet(std::vector<ProviderOptions> providers, const Env& env, net::Transport& transport,
              Clock& clock, ProviderSetOptions options = {});
  ProviderSet(const ProviderSet&) = delete;
  ProviderSet& operator=(const ProviderSet&) = delete;

  // The provider's rotating model, or null when it is disabled, unknown or has no keys.
  Model* Find(std::string_view provider) const;
  keys::KeyPool* Pool(std::string_view provider) const;
  // Usable providers in configured (fallback) order.
  const std::vector<ProviderEntry>& entries() const { return entries_; }
  // Problems found while discovering keys; they name variables, never values.
  const std::vector<std::string>& warnings() const { return warnings_; }
  bool empty() const { return entries_.empty(); }

  // Rebuilds rate windows from stored rows (ordered by time). Call before the first
  // request.
  void Hydrate(std::span<const store::UsageRecord> rows);

 private:
  const ProviderEntry* Entry(std::string_view provider) const;

  std::vector<ProviderEntry> entries_;
  std::vector<std::string> warnings_;
};

// The key a provider that needs none is called with: index 0, an empty secret.
keys::ApiKey KeylessKey(std::string_view provider);

}  // namespace hfs::llm
