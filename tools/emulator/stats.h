// tools/emulator/stats.h
//
// Stats: what the emulated providers saw, so tests compare it with what hfs recorded.
// Counts accepted requests, 429s, other errors (by HTTP status), tokens and the realism
// behaviours served (realism.h) per provider, per key, per quota scope and per model; rendered by
// GET /_emulator/stats and cleared by POST /_emulator/reset.
//
//   stats.Record({.provider = "groq", .key = "emu-groq-1", .scope = "emu-groq-1",
//                 .model = "llama-3.1-8b-instant", .status = 200, .prompt_tokens = 12});
//   std::string json = stats.ToJson();
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hfs/base/mutex.h"

namespace hfs::emulator {

struct StatsEvent {
  std::string provider;
  std::string key;    // empty when the request had no known key
  std::string scope;  // empty when the request had no known key
  std::string model;  // empty when the model was not read
  int status = 200;
  bool accepted = false;  // admitted by the rate windows (even if a fault followed)
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t reasoning_tokens = 0;      // part of completion_tokens
  std::vector<std::string> realism;  // behaviours served: "reasoning", "fenced_json", ...
};

struct Counters {
  int64_t requests = 0;
  int64_t accepted = 0;
  int64_t rate_limited = 0;  // 429s sent
  int64_t errors = 0;        // other non-2xx statuses sent
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t reasoning_tokens = 0;
  std::map<int, int64_t> statuses;
  std::map<std::string, int64_t> realism;  // behaviour -> requests served with it
};

class Stats {
 public:
  void Record(const StatsEvent& event);
  void Reset();
  // {"total": C, "providers": {name: C}, "keys": {key: C}, "scopes": {provider: {scope: C}},
  //  "models": {provider: {model: C}}} where C = {"requests", "accepted", "rate_limited",
  //  "errors", "prompt_tokens", "completion_tokens", "total_tokens", "reasoning_tokens",
  //  "statuses": {"200": n}, "realism": {"fenced_json": n, "reasoning": n, ...}}.
  std::string ToJson() const;
  Counters Total() const;

 private:
  mutable Mutex mu_;
  Counters total_ HFS_GUARDED_BY(mu_);
  std::map<std::string, Counters> providers_ HFS_GUARDED_BY(mu_);
  std::map<std::string, Counters> keys_ HFS_GUARDED_BY(mu_);
  std::map<std::string, std::map<std::string, Counters>> scopes_ HFS_GUARDED_BY(mu_);
  std::map<std::string, std::map<std::string, Counters>> models_ HFS_GUARDED_BY(mu_);
};

}  // namespace hfs::emulator
