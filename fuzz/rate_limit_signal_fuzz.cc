// Fuzz target for the rate-limit signal parser (hfs/keys/rate_limit_signal.h): any status,
// headers and body parse without crashing, and what the signal says is consistent: no
// negative duration, retry_after only on 429 or 503, the body read only on errors, and
// the cooldown hint is retry_after when there is one.
//
// Input: a first byte choosing the provider and the status, then header lines
// "name: value" up to a blank line, then the body.
//
//   build-fuzz/fuzz/rate_limit_signal_fuzz fuzz/corpus/rate_limit_signal   (libFuzzer)
//   build/fuzz/rate_limit_signal_fuzz_regression fuzz/corpus/rate_limit_signal
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "hfs/keys/rate_limit_signal.h"

namespace hfs::keys {
namespace {

void Check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "rate_limit_signal_fuzz: %s\n", what);
  std::abort();
}

bool NonNegative(const std::optional<Duration>& duration) {
  return !duration || *duration >= Duration::zero();
}

void CheckResponse(uint8_t choice, std::string_view rest) {
  static constexpr std::string_view kProviders[] = {"groq", "cerebras", "gemini", "openrouter"};
  static constexpr int kStatuses[] = {200, 400, 429, 503};
  std::string_view provider = kProviders[choice & 3];
  int status = kStatuses[(choice >> 2) & 3];

  net::Headers headers;
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (line.empty()) break;
    size_t colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
    headers.Add(std::string(line.substr(0, colon)), std::string(value));
  }
  std::string_view body = rest;

  const Timestamp now{std::chrono::seconds(1'750'000'000)};
  RateLimitSignal signal = ParseRateLimitSignal(provider, status, headers, body, now);
  Check(NonNegative(signal.retry_after), "negative retry_after");
  Check(!signal.retry_after || status == 429 || status == 503, "retry_after without a 429/503");
  for (const LimitObservation& seen : signal.observations) {
    Check(NonNegative(seen.reset_after), "negative reset_after");
    Check(!seen.window || *seen.window > Duration::zero(), "a window that is not positive");
  }
  Check(NonNegative(signal.CooldownHint()), "negative cooldown hint");
  if (signal.retry_after)
    Check(signal.CooldownHint() == signal.retry_after, "hint is not retry_after");
  if (status < 400) {
    Check(signal == ParseRateLimitSignal(provider, status, headers, "", now),
          "the body was read on a success");
  }
  Check(signal == ParseRateLimitSignal(provider, status, headers, body, now),
        "the same response gave another signal");
}

}  // namespace
}  // namespace hfs::keys

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 16 * 1024) return 0;
  hfs::keys::CheckResponse(data[0],
                           std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  return 0;
}
