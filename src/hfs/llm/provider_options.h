// hfs/llm/provider_options.h
//
// Where each OpenAI-compatible provider lives. The four built-in providers (cerebras,
// groq, gemini, openrouter, in that fallback order) have default base URLs; the config's
// `providers` section may override a base URL, disable a provider, or add a custom
// provider (any OpenAI-compatible server, such as a local Ollama or llama.cpp, whose key
// may be optional). `HFS_<P>_BASE_URL` in the environment overrides both.
//
//   std::vector<ProviderOptions> providers = BuiltinProviders();
//   ApplyBaseUrlOverrides(env, providers);
//
// Each provider also has its call timeouts (CallTimeouts; docs/providers.md, "Streaming
// and timeouts"), which the config's `providers.<name>.timeouts` may change.
//
// Plain value types and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/clock.h"
#include "hfs/base/env.h"
#include "hfs/keys/limits.h"
#include "hfs/llm/provider_capabilities.h"

namespace hfs::llm {

// How long one call to the provider may take. A call that breaks one fails as a lost
// connection (kDeadlineExceeded, no HTTP status), which RotatingModel retries.
struct CallTimeouts {
  // Until the connection (TLS included) is up.
  Duration connect = std::chrono::seconds(10);
  // Until the first byte of a streamed reply: long, because a reasoning model may think
  // before it sends anything (streamed reasoning and keep-alive comments count as bytes).
  Duration first_byte = std::chrono::seconds(60);
  // The longest silence between two bytes of a streamed reply.
  Duration idle = std::chrono::seconds(30);
  // The whole call, streamed or not.
  Duration total = std::chrono::seconds(300);

  friend bool operator==(const CallTimeouts&, const CallTimeouts&) = default;
};

struct ProviderOptions {
  std::string name;
  // Without a trailing "/chat/completions"; Gemini's has no "/v1".
  std::string base_url;
  bool enabled = true;
  // False for local servers that accept requests without a key.
  bool requires_key = true;
  bool builtin = false;
  // Rate limits: the shipped table of a built-in provider plus the config's overrides.
  keys::ProviderLimits limits;
  // What the server honours: the built-in table, or a custom provider's declared ones.
  Capabilities capabilities;
  CallTimeouts timeouts;
};

std::vector<ProviderOptions> BuiltinProviders();
bool IsBuiltinProvider(std::string_view name);

// Replaces base_url with `HFS_<P>_BASE_URL` where that variable is set and non-empty.
void ApplyBaseUrlOverrides(const Env& env, std::vector<ProviderOptions>& providers);

}  // namespace hfs::llm
