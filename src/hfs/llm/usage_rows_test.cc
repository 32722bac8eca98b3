#include "hfs/llm/usage_rows.h"

#include <gtest/gtest.h>

namespace hfs::llm {
namespace {

TEST(UsageRowsTest, CallBecomesARowWithItsContext) {
  ProviderCall call{
      .request_id = "req-1",
      .time = Timestamp(std::chrono::seconds(100)),
      .provider = "groq",
      .model_requested = "llama",
      .model_answered = "llama-3.3",
      .key_id = "groq#1:abcd0123",
      .scope = "groq/team",
      .status = CallStatus::kRateLimited,
      .http_status = 429,
      .prompt_tokens = 10,
      .completion_tokens = 5,
      .latency = std::chrono::milliseconds(12),
      .context = {.run_id = "run-1", .triad = "layout", .role = "critic", .phase = "negotiation"}};
  store::UsageRecord row = ToUsageRecord(call);
  EXPECT_EQ(row.request_id, "req-1");
  EXPECT_EQ(row.status, "rate_limited");
  EXPECT_EQ(row.model_answered, "llama-3.3");
  EXPECT_EQ(row.scope, "groq/team");
  EXPECT_EQ(row.http_status, 429);
  EXPECT_EQ(row.latency, std::chrono::milliseconds(12));
  EXPECT_EQ(row.run_id, "run-1");
  EXPECT_EQ(row.triad, "layout");
  EXPECT_EQ(row.role, "critic");
  EXPECT_EQ(row.phase, "negotiation");
}

TEST(UsageRowsTest, PastUsageKeepsCountedRowsOfOneProvider) {
  std::vector<store::UsageRecord> rows = {
      {.request_id = "1",
       .provider = "groq",
       .model_requested = "a",
       .key_id = "k1",
       .status = "ok",
       .prompt_tokens = 3,
       .completion_tokens = 4},
      {.request_id = "2", .provider = "cerebras", .key_id = "k2", .status = "ok"},
      {.request_id = "3", .provider = "groq", .key_id = "k1", .status = "unauthorized"},
      {.request_id = "4", .provider = "groq", .key_id = "k1", .status = "forbidden"},
      {.request_id = "5",
       .provider = "groq",
       .model_requested = "b",
       .key_id = "k3",
       .status = "server_error",
       .prompt_tokens = 250},
      {.request_id = "6", .provider = "groq", .key_id = "k1", .status = "no_credit"},
      {.request_id = "7",
       .provider = "groq",
       .model_requested = "b",
       .key_id = "k3",
       .status = "transport_error",
       .prompt_tokens = 250,
       .completion_tokens = 1000},
  };
  std::vector<keys::PastUsage> past = PastUsageFor("groq", rows);
  ASSERT_EQ(past.size(), 3u);
  EXPECT_EQ(past[0].key_id, "k1");
  EXPECT_EQ(past[0].model, "a");
  EXPECT_EQ(past[0].tokens, 7);
  // Failed and abandoned requests count with the tokens their rows carry.
  EXPECT_EQ(past[1].key_id, "k3");
  EXPECT_EQ(past[1].tokens, 250);
  EXPECT_EQ(past[2].tokens, 1250);
}

}  // namespace
}  // namespace hfs::llm
