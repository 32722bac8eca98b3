// hfs/keys/key_discovery.h
//
// Finds a provider's API keys in the environment (.env included, see hfs/base/env.h):
// `NUM_<P>` with `<P>_API_KEY_1..N`, and a single `<P>_API_KEY`. An optional
// `<P>_ACCOUNT_<i>` names the provider account key i belongs to (keys of one account
// share one quota). `<P>` is the provider name in upper case, other characters as '_'.
// Spaces and carriage returns around a key are removed (with a warning).
//
// Where keys may go: only to https:// base URLs, to http:// on a loopback host
// (127.0.0.0/8, ::1, localhost), or to http:// when `HFS_<P>_ALLOW_HTTP=1` is set in the
// environment or $HFS_HOME/.env. The working directory's .env (which may come with a
// cloned repository) may not set `HFS_<P>_BASE_URL` for keys that come from elsewhere.
// DiscoverKeys applies this to `HFS_<P>_BASE_URL`; callers that know the configured
// base URL call CheckKeyDestination before sending a key there.
//
//   DiscoveredKeys found = DiscoverKeys(env, "groq");
//   for (const ApiKey& key : found.keys) Log(key.id());     // "groq#1:3fa9c1d2", never the key
//   HFS_RETURN_IF_ERROR(CheckKeyDestination(env, "groq", provider.base_url));
//   RedactSecret(error_body, key.secret);                   // before cutting error_body
//
// The secret stays inside Secret and is only read by code that puts it on the wire.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/env.h"
#include "hfs/base/error.h"

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
  // Set when keys were found but may not be sent to HFS_<P>_BASE_URL (the message of
  // CheckKeyDestination); `keys` is then empty.
  std::string refusal;
};

DiscoveredKeys DiscoverKeys(const Env& env, std::string_view provider);

// Whether `provider`'s keys (as DiscoverKeys finds them in `env`) may be sent to
// `base_url`, the URL in effect (after HFS_<P>_BASE_URL). Ok when they may or when there
// are none; kPermissionDenied naming the provider, the URL and how to allow it when not.
Result<void> CheckKeyDestination(const Env& env, std::string_view provider,
                                 std::string_view base_url);

// Replaces each occurrence of the key in `text` with "[redacted]", and also a start of
// the key (6 characters or more) that ends `text`, which is what cutting text in the
// middle of the key leaves. Run it on the whole text before cutting it.
void RedactSecret(std::string& text, const Secret& secret);

// "CEREBRAS" for "cerebras", "MY_LLM" for "my-llm".
std::string EnvPrefix(std::string_view provider);
// 8 hex characters of FNV-1a 64 over `secret`.
std::string Fingerprint(std::string_view secret);

}  // namespace hfs::keys
