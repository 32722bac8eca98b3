// tools/emulator/emulator.h
//
// Emulator: the request-to-reply logic of hfs-emulator, without sockets. For a chat
// request it checks the key (401 unknown, 403 revoked), reads the body (400 when it is not
// a JSON object with a "model"), runs the behaviour and the realism profile (400 for an
// unknown X-Emulator-Realism value), charges the rate windows of the key's
// quota scope and the model (429 in the provider's shape when refused), draws a fault,
// and returns the Reply with the provider's headers, the latency to apply, and the SSE
// events when the request streams. Every outcome is counted in Stats.
//
//   Emulator emulator(options, clock);
//   const ProviderOptions* groq = emulator.FindProvider("/groq/openai/v1");
//   Reply reply = emulator.Chat(*groq, {.authorization = "Bearer emu-groq-1", .body = body});
//
// Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "hfs/base/clock.h"
#include "tools/emulator/config.h"
#include "tools/emulator/rate_window.h"
#include "tools/emulator/reply.h"
#include "tools/emulator/stats.h"

namespace hfs::emulator {

struct ChatInput {
  std::string authorization;  // the Authorization header value
  std::string behaviour;      // the X-Emulator-Behaviour header value, may be empty
  std::string body;
  std::string realism;  // the X-Emulator-Realism header value, may be empty
};

class Emulator {
 public:
  Emulator(EmulatorOptions options, const Clock& clock);

  const EmulatorOptions& options() const { return options_; }
  // The provider serving a path prefix such as "/groq/openai/v1"; nullptr when none.
  const ProviderOptions* FindProvider(std::string_view prefix) const;

  Reply Chat(const ProviderOptions& provider, const ChatInput& input);
  Reply Models(const ProviderOptions& provider, std::string_view authorization);

  std::string StatsJson() const { return stats_.ToJson(); }
  const Stats& stats() const { return stats_; }
  // Clears stats, rate windows and the request counter (which seeds faults and jitter).
  void Reset();

 private:
  struct Caller {
    const KeyOptions* key = nullptr;
    std::optional<Reply> refusal;  // 401 or 403
  };
  Caller Authenticate(const ProviderOptions& provider, std::string_view authorization) const;
  const std::vector<LimitRule>& LimitsFor(const ProviderOptions& provider,
                                          const std::string& model) const;
  // The model's realism overrides; nullptr when the model is not listed.
  const RealismOverrides* ModelRealism(const ProviderOptions& provider,
                                       const std::string& model) const;
  // Chat without the stats bookkeeping; fills `event` as it learns.
  Reply Answer(const ProviderOptions& provider, const ChatInput& input, StatsEvent& event);

  const EmulatorOptions options_;
  const Clock& clock_;
  // provider name -> key -> key options
  std::map<std::string, std::map<std::string, const KeyOptions*>> keys_;
  RateWindows windows_;
  Stats stats_;
  std::atomic<uint64_t> sequence_{0};
};

}  // namespace hfs::emulator
