// tools/emulator/faults_test.cc
#include "tools/emulator/faults.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "hfs/testing/fake_clock.h"
#include "tools/emulator/emulator.h"
#include "tools/emulator/schema_validator.h"
#include "tools/emulator/seeded.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

constexpr int kRequests = 2000;
constexpr double kTolerance = 0.03;

TEST(EmulatorFaultsTest, DrawsMatchConfiguredRates) {
  const FaultOptions options{
      .error_500 = 0.05, .error_503 = 0.10, .hang = 0.02, .reset = 0.03, .malformed_json = 0.2};
  std::map<Fault, int> counts;
  for (int i = 0; i < kRequests; ++i) ++counts[DrawFault(options, SeedFor(42, i))];
  const std::pair<Fault, double> expected[] = {
      {Fault::kError500, 0.05}, {Fault::kError503, 0.10},     {Fault::kHang, 0.02},
      {Fault::kReset, 0.03},    {Fault::kMalformedJson, 0.2}, {Fault::kNone, 0.6},
      {Fault::kError502, 0.0}};
  for (const auto& [fault, rate] : expected) {
    EXPECT_NEAR(counts[fault] / double(kRequests), rate, kTolerance) << FaultName(fault);
  }
}

const json kTool =
    json::parse(R"({"type": "function", "function": {"name": "submit", "parameters": {
  "type": "object", "required": ["section", "score"],
  "properties": {"section": {"type": "string"}, "score": {"type": "integer", "minimum": 1, "maximum": 5}}}}})");

std::string Body(bool stream) {
  return json{{"model", "m"},
              {"stream", stream},
              {"messages", {{{"role", "user"}, {"content", "submit the hero section"}}}},
              {"tools", {kTool}}}
      .dump();
}

EmulatorOptions WithFaults(FaultOptions faults) {
  EmulatorOptions options = DefaultOptions();
  for (ProviderOptions& provider : options.providers) provider.faults = faults;
  return options;
}

TEST(EmulatorFaultsTest, ServerErrorsFireAtTheRateThroughTheEmulator) {
  testing::FakeClock clock;
  Emulator emulator(WithFaults({.error_502 = 0.1, .error_503 = 0.05}), clock);
  const ProviderOptions& groq = *emulator.FindProvider("/groq/openai/v1");
  std::map<int, int> statuses;
  for (int i = 0; i < kRequests; ++i) {
    ++statuses[emulator.Chat(groq, {.authorization = "Bearer emu-groq-1", .body = Body(false)})
                   .status];
  }
  EXPECT_NEAR(statuses[502] / double(kRequests), 0.10, kTolerance);
  EXPECT_NEAR(statuses[503] / double(kRequests), 0.05, kTolerance);
  EXPECT_EQ(statuses[200] + statuses[502] + statuses[503], kRequests);
  EXPECT_EQ(emulator.stats().Total().errors, statuses[502] + statuses[503]);
}

TEST(EmulatorFaultsTest, ToolArgumentFaultsSpoilArgumentsAtTheRate) {
  testing::FakeClock clock;
  Emulator emulator(
      WithFaults(
          {.arguments_not_json = 0.1, .arguments_violate_schema = 0.1, .tool_use_failed = 0.1}),
      clock);
  const ProviderOptions& plain = *emulator.FindProvider("/v1");
  int not_json = 0, invalid = 0, tool_use_failed = 0;
  for (int i = 0; i < kRequests; ++i) {
    const Reply reply =
        emulator.Chat(plain, {.authorization = "Bearer emu-plain-2", .body = Body(false)});
    if (reply.status == 400) {
      EXPECT_EQ(json::parse(reply.body)["error"]["code"], "tool_use_failed");
      ++tool_use_failed;
      continue;
    }
    const json body = json::parse(reply.body);
    const std::string arguments =
        body["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"];
    const json parsed = json::parse(arguments, nullptr, false);
    if (parsed.is_discarded()) {
      ++not_json;
    } else if (ValidateAgainstSchema(parsed, kTool["function"]["parameters"])) {
      ++invalid;
    }
  }
  EXPECT_NEAR(not_json / double(kRequests), 0.1, kTolerance);
  EXPECT_NEAR(invalid / double(kRequests), 0.1, kTolerance);
  EXPECT_NEAR(tool_use_failed / double(kRequests), 0.1, kTolerance);
}

TEST(EmulatorFaultsTest, StreamCutDropsDoneAndMalformedJsonBreaksTheBody) {
  testing::FakeClock clock;
  Emulator cut(WithFaults({.stream_cut = 1.0}), clock);
  const Reply stream = cut.Chat(*cut.FindProvider("/v1"),
                                {.authorization = "Bearer emu-plain-1", .body = Body(true)});
  ASSERT_TRUE(stream.streaming);
  for (const auto& event : stream.events) EXPECT_EQ(event.find("[DONE]"), std::string::npos);
  Emulator malformed(WithFaults({.malformed_json = 1.0}), clock);
  const Reply reply = malformed.Chat(*malformed.FindProvider("/v1"),
                                     {.authorization = "Bearer emu-plain-1", .body = Body(false)});
  EXPECT_EQ(reply.status, 200);
  EXPECT_TRUE(json::parse(reply.body, nullptr, false).is_discarded());
  Emulator hang(WithFaults({.hang = 1.0}), clock);
  EXPECT_EQ(hang.Chat(*hang.FindProvider("/v1"),
                      {.authorization = "Bearer emu-plain-1", .body = Body(false)})
                .delivery,
            Delivery::kHang);
}

// Keys refused the way each provider refuses them (docs/providers.md lists the sources).
TEST(EmulatorFaultsTest, RefusedKeysGetEachProvidersRealReply) {
  const json gemini_invalid =
      json::parse(KeyRefusalReply(Personality::kGemini, KeyRefusal::kInvalid).body);
  EXPECT_EQ(KeyRefusalReply(Personality::kGemini, KeyRefusal::kInvalid).status, 400);
  EXPECT_EQ(gemini_invalid[0]["error"]["details"][0]["reason"], "API_KEY_INVALID");
  EXPECT_EQ(KeyRefusalReply(Personality::kGroq, KeyRefusal::kInvalid).status, 401);
  const Reply suspended = KeyRefusalReply(Personality::kGemini, KeyRefusal::kSuspended);
  EXPECT_EQ(suspended.status, 403);
  EXPECT_EQ(json::parse(suspended.body)[0]["error"]["status"], "PERMISSION_DENIED");
  const Reply restricted = KeyRefusalReply(Personality::kGroq, KeyRefusal::kSuspended);
  EXPECT_EQ(restricted.status, 400);
  EXPECT_EQ(json::parse(restricted.body)["error"]["code"], "organization_restricted");
  for (Personality p : {Personality::kCerebras, Personality::kGroq, Personality::kOpenRouter,
                        Personality::kPlain, Personality::kGemini}) {
    EXPECT_EQ(KeyRefusalReply(p, KeyRefusal::kNoCredit).status, 402) << PersonalityName(p);
  }
  const Reply key_limit = KeyRefusalReply(Personality::kOpenRouter, KeyRefusal::kKeyLimit);
  EXPECT_EQ(key_limit.status, 403);
  EXPECT_TRUE(json::parse(key_limit.body)["error"]["message"].get<std::string>().starts_with(
      "Key limit exceeded"));
}

TEST(EmulatorFaultsTest, AConfiguredRefusalAnswersEveryRequestOfThatKey) {
  testing::FakeClock clock;
  EmulatorOptions options = DefaultOptions();
  for (ProviderOptions& provider : options.providers) {
    provider.keys[1].refusal = KeyRefusal::kNoCredit;
  }
  Emulator emulator(options, clock);
  const ProviderOptions& openrouter = *emulator.FindProvider("/openrouter/api/v1");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        emulator.Chat(openrouter, {.authorization = "Bearer emu-openrouter-2", .body = Body(false)})
            .status,
        402);
  }
  EXPECT_EQ(
      emulator.Chat(openrouter, {.authorization = "Bearer emu-openrouter-1", .body = Body(false)})
          .status,
      200);
}

TEST(EmulatorFaultsTest, ModerationIsOpenRoutersOwnAndQuotesThePrompt) {
  testing::FakeClock clock;
  Emulator emulator(WithFaults({.moderation = 1.0}), clock);
  const Reply flagged =
      emulator.Chat(*emulator.FindProvider("/openrouter/api/v1"),
                    {.authorization = "Bearer emu-openrouter-1", .body = Body(false)});
  EXPECT_EQ(flagged.status, 403);
  const json error = json::parse(flagged.body)["error"];
  EXPECT_EQ(error["metadata"]["reasons"][0], "violence");
  EXPECT_EQ(error["metadata"]["flagged_input"], "submit the hero section");
  EXPECT_EQ(error["metadata"]["model_slug"], "m");
  // No other provider moderates this way: no fault.
  EXPECT_EQ(emulator
                .Chat(*emulator.FindProvider("/groq/openai/v1"),
                      {.authorization = "Bearer emu-groq-1", .body = Body(false)})
                .status,
            200);
}

TEST(EmulatorFaultsTest, ServerErrorsCarryTheConfiguredRetryAfter) {
  testing::FakeClock clock;
  Emulator emulator(WithFaults({.error_503 = 1.0, .retry_after_seconds = 2.5}), clock);
  const Reply reply = emulator.Chat(*emulator.FindProvider("/v1"),
                                    {.authorization = "Bearer emu-plain-1", .body = Body(false)});
  EXPECT_EQ(reply.status, 503);
  bool found = false;
  for (const auto& [name, value] : reply.headers) {
    if (name == "retry-after") {
      found = true;
      EXPECT_EQ(value, "3");
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace hfs::emulator
