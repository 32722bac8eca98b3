// hfs/store/usage_record.h
//
// UsageRecord: one provider request as the usage store keeps it (table `usage`, one row
// per request, keyed by request_id). Key ids only, never key secrets.
//
//   UsageRecord record{.request_id = "req-8f3a", .time = clock.Now(), .provider = "groq",
//                      .model_requested = "llama-3.3-70b", .key_id = "groq#2",
//                      .status = std::string(kUsageStatusOk), .http_status = 200,
//                      .prompt_tokens = 812, .completion_tokens = 240};
//   usage_store.Record(std::move(record));
//
// Thread-compatible value type. The store keeps `time` to the microsecond and `latency`
// as fractional milliseconds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hfs/base/clock.h"

namespace hfs::store {

// Values of UsageRecord::status that summaries count separately; any other status (for
// example "error", "timeout", "unauthorized") counts as an error.
inline constexpr std::string_view kUsageStatusOk = "ok";
inline constexpr std::string_view kUsageStatusRateLimited = "rate_limited";

struct UsageRecord {
  std::string request_id;       // unique; a second record with the same id is ignored
  Timestamp time;               // when the request was sent
  std::string provider;         // "cerebras", "groq", ...
  std::string model_requested;  // the model id the request named
  std::string model_answered;   // the model the reply names (routers may differ)
  std::string key_id;           // the key's id, e.g. "groq#2"
  std::string scope;            // the quota scope the key counts against
  std::string status;           // kUsageStatusOk, kUsageStatusRateLimited, "error", ...
  int http_status = 0;          // 0 when no HTTP reply arrived
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  Duration latency{};
  std::string run_id;
  std::string triad;
  std::string role;
  std::string phase;

  bool operator==(const UsageRecord&) const = default;
};

}  // namespace hfs::store
