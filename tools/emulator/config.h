// tools/emulator/config.h
//
// EmulatorOptions: everything the emulator is told, read from YAML (docs/emulator.md
// lists the keys) and overridden by command-line flags. DefaultOptions() serves the four
// providers and the plain prefix with keys emu-<provider>-1..8 and no rate limits.
//
//   EmulatorOptions options = HFS_TRY(LoadConfig("tools/emulator/examples/four-providers.yaml"));
//   options.window_scale = 1.0 / 60;   // a minute lasts a second
//   const ProviderOptions* groq = FindProviderByName(options, "groq");
//
// Thread-compatible value types. LoadConfig returns kNotFound for a missing file and
// kInvalidArgument for bad YAML or a bad value, with a message naming the key path
// (e.g. "providers[1].models[0].limits[2].window: not a duration",
// "providers[0].realism.fenced_jsn: unknown behaviour").
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"
#include "tools/emulator/personality.h"
#include "tools/emulator/rate_window.h"
#include "tools/emulator/realism.h"

namespace hfs::emulator {

// How the provider refuses a configured key (docs/emulator.md, "Faults"), each in the
// personality's real shape: `invalid` (Gemini's 400 API_KEY_INVALID, the others' 401),
// `suspended` (Gemini's 403 PERMISSION_DENIED, Groq's 400 organization_restricted,
// OpenRouter's 401, others 403), `no_credit` (402), `key_limit` (OpenRouter's 403 "Key
// limit exceeded", others 402).
enum class KeyRefusal { kNone, kInvalid, kSuspended, kNoCredit, kKeyLimit };

struct KeyOptions {
  std::string key;
  std::string scope;  // quota scope; the key itself when not configured
  bool revoked = false;
  KeyRefusal refusal = KeyRefusal::kNone;
};

struct ModelOptions {
  std::string name;
  std::vector<LimitRule> limits;  // the provider's default_limits when not configured
  RealismOverrides realism;       // over the provider's (realistic profile only)
};

// Probabilities in [0, 1] per request; their sum must not exceed 1.
struct FaultOptions {
  double error_500 = 0;
  double error_502 = 0;
  double error_503 = 0;
  double hang = 0;
  double reset = 0;
  double stream_cut = 0;
  double malformed_json = 0;
  double arguments_not_json = 0;
  double arguments_violate_schema = 0;
  double tool_use_failed = 0;
  double stream_stall = 0;
  double stream_error = 0;
  // OpenRouter only: its 403 moderation refusal of the prompt (metadata.reasons,
  // flagged_input); no fault for the other personalities.
  double moderation = 0;
  double hang_seconds = 30;  // how long a hang (or a stream stall) lasts at most
  // When positive, error_500/502/503 faults carry `Retry-After: <this many seconds>`.
  double retry_after_seconds = 0;
};

struct LatencyOptions {
  double fixed_ms = 0;
  double per_token_ms = 0;
  double jitter_ms = 0;  // uniform in [0, jitter_ms), seeded
};

struct ProviderOptions {
  std::string name;
  Personality personality = Personality::kPlain;
  std::string prefix;  // URL path prefix, e.g. "/groq/openai/v1"
  std::vector<KeyOptions> keys;
  std::vector<ModelOptions> models;
  std::vector<LimitRule> default_limits;  // for models not listed
  FaultOptions faults;
  LatencyOptions latency;
  RealismOverrides realism;  // over the realistic preset (realistic profile only)
};

struct EmulatorOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = ephemeral
  uint64_t seed = 42;
  double window_scale = 1.0;
  int threads = 64;
  RealismProfile realism = RealismProfile::kKind;  // `realism:`, or --realism
  std::vector<ProviderOptions> providers;
};

// The four providers (cerebras, groq, gemini, openrouter) and "plain" at /v1, each with
// keys emu-<name>-1..8, no limits, no faults, no latency.
EmulatorOptions DefaultOptions();

Result<EmulatorOptions> ParseConfig(std::string_view yaml_text);
Result<EmulatorOptions> LoadConfig(const std::filesystem::path& path);

// nullptr when absent.
const ProviderOptions* FindProviderByName(const EmulatorOptions& options, std::string_view name);
// Keys emu-<name>-1..count, each its own scope.
std::vector<KeyOptions> NumberedKeys(std::string_view name, int count);

}  // namespace hfs::emulator
