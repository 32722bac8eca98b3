#include "hfs/config/limit_tables.h"

#include <gtest/gtest.h>

namespace hfs::config {
namespace {

using keys::LimitKind;
using keys::LimitRule;

TEST(LimitTablesTest, ShippedTablesParse) {
  for (const char* provider : {"cerebras", "groq", "gemini", "openrouter"}) {
    Result<keys::ProviderLimits> table = BuiltinLimitTable(provider);
    ASSERT_TRUE(table.has_value()) << provider << ": " << table.error().message;
    EXPECT_FALSE(table->models.empty()) << provider;
  }
  keys::ProviderLimits groq = *BuiltinLimitTable("groq");
  const std::vector<LimitRule>& rules = groq.RulesFor("llama-3.3-70b-versatile");
  ASSERT_EQ(rules.size(), 6u);
  EXPECT_EQ(rules[0], (LimitRule{LimitKind::kRequests, 30, std::chrono::minutes(1)}));
  EXPECT_EQ(rules[5], (LimitRule{LimitKind::kTokens, 100000, std::chrono::hours(24)}));
  EXPECT_EQ(groq.RulesFor("unknown-model").size(), 3u);  // the "*" entry
  EXPECT_TRUE(BuiltinLimitTable("openrouter")->shared_across_models);
  EXPECT_EQ(BuiltinLimitTable("cerebras")->RulesFor("llama-3.3-70b")[0].limit, 30);
  EXPECT_TRUE(BuiltinLimitTable("ollama")->models.empty());
}

TEST(LimitTablesTest, BadTablesAreLocated) {
  Result<keys::ProviderLimits> bad =
      ParseLimitTable("models:\n  m: {requests_per_minut: 3, tokens_per_day: -1}\n", "t.yaml");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("t.yaml:2:7: models.m.requests_per_minut: unknown key"),
            std::string::npos)
      << bad.error().message;
  EXPECT_NE(bad.error().message.find("models.m.tokens_per_day: -1 is out of range"),
            std::string::npos);
}

}  // namespace
}  // namespace hfs::config
