#include "hfs/llm/usage_rows.h"

namespace hfs::llm {

store::UsageRecord ToUsageRecord(const ProviderCall& call) {
  return {.request_id = call.request_id,
          .time = call.time,
          .provider = call.provider,
          .model_requested = call.model_requested,
          .model_answered = call.model_answered,
          .key_id = call.key_id,
          .scope = call.scope,
          .status = std::string(CallStatusName(call.status)),
          .http_status = call.http_status,
          .prompt_tokens = call.prompt_tokens,
          .completion_tokens = call.completion_tokens,
          .latency = call.latency,
          .run_id = call.context.run_id,
          .triad = call.context.triad,
          .role = call.context.role,
          .phase = call.context.phase};
}

std::vector<keys::PastUsage> PastUsageFor(std::string_view provider,
                                          std::span<const store::UsageRecord> rows) {
  std::vector<keys::PastUsage> out;
  for (const store::UsageRecord& row : rows) {
    if (row.provider != provider) continue;
    if (row.status == CallStatusName(CallStatus::kUnauthorized) ||
        row.status == CallStatusName(CallStatus::kNoCredit) ||
        row.status == CallStatusName(CallStatus::kForbidden)) {
      continue;
    }
    out.push_back({.time = row.time,
                   .key_id = row.key_id,
                   .model = row.model_requested,
                   .tokens = row.prompt_tokens + row.completion_tokens});
  }
  return out;
}

}  // namespace hfs::llm
