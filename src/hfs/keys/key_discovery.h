// hfs/keys/key_discovery.h
//
// Finds a provider's API keys in the environment (.env included, see hfs/base/env.h):
// `NUM_<P>` with `<P>_API_KEY_1..N`, and a single `<P>_API_KEY`. An optional
// `<P>_ACCOUNT_<i>` names the provider account key i belongs to (keys of one account
// share one quota). `<P>` is the provider name in upper case, other characters as '_'.
//
//   DiscoveredKeys found = DiscoverKeys(env, "groq");
//   for (const ApiKey& key : found.keys) Log(key.id());     // "groq#1:3fa9c1d2", never the key
//
// The secret stays inside Secret and is only read by code that puts it on the wire.
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/env.h"

namespace hfs::keys {

// Holds key text. It has no stream operator and no implicit conversion, so it cannot
// end up in a log line or a format string by accident.
class Secret {
 public:
  explicit Secret(std::string text) : text_(std::move(text)) {}
  // For the Authorization header only.
  const std::string& Reveal() const { return text_; }
  bool empty() const { return text_.empty(); }

 private:
  std::string text_;
};

struct ApiKey {
  std::string provider;
  // 1-based position in the environment; the single <P>_API_KEY is index 0.
  int index = 0;
  // 8 hex characters of a hash of the secret; identifies a key without revealing it.
  std::string fingerprint;
  // The quota scope: "<provider>/<account>" when <P>_ACCOUNT_<i> is set, else the key id.
  std::string scope;
  Secret secret{""};

  // "provider#index:fingerprint".
  std::string id() const;
};

struct DiscoveredKeys {
  std::vector<ApiKey> keys;
  // Problems worth telling the user about; they name variables, never values.
  std::vector<std::string> warnings;
};

DiscoveredKeys DiscoverKeys(const Env& env, std::string_view provider);

// "CEREBRAS" for "cerebras", "MY_LLM" for "my-llm".
std::string EnvPrefix(std::string_view provider);
// 8 hex characters of FNV-1a 64 over `secret`.
std::string Fingerprint(std::string_view secret);

}  // namespace hfs::keys
