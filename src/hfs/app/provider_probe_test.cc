#include "hfs/app/provider_probe.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hfs/config/load.h"
#include "hfs/testing/fake_clock.h"
#include "hfs/testing/fake_transport.h"

namespace hfs::app {
namespace {

using nlohmann::json;

constexpr char kSecret[] = "sk-probe-secret-123";

ProbeReply Calls(std::vector<std::string> names) {
  llm::ChatResponse response;
  for (std::string& name : names) {
    response.tool_calls.push_back({.id = "c-" + name, .name = name, .arguments = "{}"});
  }
  return {.http_status = 200, .response = response};
}

ProbeReply Text(std::string content) {
  return {.http_status = 200, .response = llm::ChatResponse{.content = std::move(content)}};
}

ProbeReply Failed(int status, std::string error) {
  return {.http_status = status, .error = std::move(error)};
}

TEST(ProviderProbeTest, NamedToolChoiceIsHonouredOnlyWhenEveryAttemptCallsTheNamedTool) {
  CapabilityVerdict all = NamedToolChoiceVerdict({Calls({"pick_blue"}), Calls({"pick_blue"})});
  EXPECT_EQ(all.verdict, Verdict::kHonoured);
  EXPECT_EQ(all.evidence, "asked for pick_blue 2 times, got it each time");

  CapabilityVerdict wrong = NamedToolChoiceVerdict({Calls({"pick_blue"}), Calls({"pick_red"})});
  EXPECT_EQ(wrong.name, "named_tool_choice");
  EXPECT_EQ(wrong.verdict, Verdict::kNotHonoured);
  EXPECT_EQ(wrong.evidence, "asked for pick_blue, got pick_red");
  EXPECT_EQ(NamedToolChoiceVerdict({Text("Sure, red it is.")}).evidence,
            "asked for pick_blue, got text");
  EXPECT_EQ(NamedToolChoiceVerdict({Calls({"pick_blue", "pick_red"})}).verdict,
            Verdict::kNotHonoured);
  // A server that refuses the object form does not honour it; a 500 says nothing.
  CapabilityVerdict refused =
      NamedToolChoiceVerdict({Failed(400, "HTTP 400: tool_choice must be a string")});
  EXPECT_EQ(refused.verdict, Verdict::kNotHonoured);
  EXPECT_EQ(refused.evidence, "rejected: HTTP 400: tool_choice must be a string");
  EXPECT_EQ(NamedToolChoiceVerdict({Failed(503, "HTTP 503: busy")}).verdict, Verdict::kNotProbed);
  EXPECT_EQ(NamedToolChoiceVerdict({}).verdict, Verdict::kNotProbed);
}

TEST(ProviderProbeTest, RequiredIsHonouredWhenAToolCallComesBack) {
  CapabilityVerdict called = RequiredToolChoiceVerdict(Calls({"get_time"}));
  EXPECT_EQ(called.verdict, Verdict::kHonoured);
  EXPECT_EQ(called.evidence, "chit-chat with \"required\", got a call to get_time");
  CapabilityVerdict text = RequiredToolChoiceVerdict(Text("I am fine, thanks!"));
  EXPECT_EQ(text.verdict, Verdict::kNotHonoured);
  EXPECT_EQ(text.evidence, "chit-chat with \"required\", got text");
}

TEST(ProviderProbeTest, StrictSchemaIsHonouredWhenAcceptedAndTheReplyMatches) {
  EXPECT_EQ(StrictJsonSchemaVerdict(Text(R"({"color": "blue", "count": 3})")).verdict,
            Verdict::kHonoured);
  CapabilityVerdict fenced = StrictJsonSchemaVerdict(Text("```json\n{\"color\": \"red\"}\n```"));
  EXPECT_EQ(fenced.verdict, Verdict::kNotHonoured);
  EXPECT_NE(fenced.evidence.find("not JSON"), std::string::npos) << fenced.evidence;
  EXPECT_EQ(StrictJsonSchemaVerdict(Text(R"({"color": "green", "count": 3})")).verdict,
            Verdict::kNotHonoured);
  EXPECT_EQ(StrictJsonSchemaVerdict(Text(R"({"color": "red", "count": 3, "why": "x"})")).evidence,
            "accepted, but the reply breaks the schema: extra property 'why'");
  EXPECT_EQ(StrictJsonSchemaVerdict(Text(R"({"color": "red", "count": "3"})")).verdict,
            Verdict::kNotHonoured);
  EXPECT_EQ(StrictJsonSchemaVerdict(Failed(400, "HTTP 400: strict is not supported")).verdict,
            Verdict::kNotHonoured);
}

TEST(ProviderProbeTest, StreamingUsageIsHonouredWhenUsageArrives) {
  ProbeReply with = Text("Hello");
  with.response->usage = llm::Usage{.prompt_tokens = 12, .completion_tokens = 1};
  EXPECT_EQ(StreamingUsageVerdict(with).verdict, Verdict::kHonoured);
  EXPECT_EQ(StreamingUsageVerdict(with).evidence, "usage arrived in the stream (12 prompt tokens)");
  EXPECT_EQ(StreamingUsageVerdict(Text("Hello")).verdict, Verdict::kNotHonoured);
}

TEST(ProviderProbeTest, ParallelCallsNeedTwoCallsAndOneIsNotAnError) {
  EXPECT_EQ(ParallelToolCallsVerdict(Calls({"get_weather", "get_weather"})).verdict,
            Verdict::kHonoured);
  CapabilityVerdict one = ParallelToolCallsVerdict(Calls({"get_weather"}));
  EXPECT_EQ(one.verdict, Verdict::kNotHonoured);
  EXPECT_EQ(one.evidence, "asked for two calls in one reply, got 1");
  EXPECT_EQ(ParallelToolCallsVerdict(Text("It is sunny.")).verdict, Verdict::kNotProbed);
}

TEST(ProviderProbeTest, ReasoningEffortIsTopLevelWhenAcceptedAndNoneWhenTheFieldIsRefused) {
  EXPECT_EQ(ReasoningEffortVerdict(Text("Hello")).verdict, Verdict::kHonoured);
  CapabilityVerdict refused = ReasoningEffortVerdict(
      Failed(400, "HTTP 400: Unrecognized request argument supplied: reasoning_effort"));
  EXPECT_EQ(refused.verdict, Verdict::kNotHonoured);
  EXPECT_EQ(ReasoningEffortVerdict(Failed(400, "HTTP 400: messages is empty")).verdict,
            Verdict::kNotProbed);
  EXPECT_EQ(ReasoningEffortVerdict(Failed(500, "HTTP 500: reasoning failed")).verdict,
            Verdict::kNotProbed);
}

TEST(ProviderProbeTest, VerdictsApplyToTheConfiguredCapabilitiesAndTheYamlLoadsBack) {
  const llm::Capabilities before{.named_tool_choice = true,
                                 .strict_json_schema = true,
                                 .reasoning_effort = llm::EffortForm::kNested};
  const llm::Capabilities probed =
      ApplyVerdicts(before, {{"named_tool_choice", Verdict::kNotHonoured, ""},
                             {"required_tool_choice", Verdict::kHonoured, ""},
                             {"strict_json_schema", Verdict::kNotProbed, ""},
                             {"streaming_usage", Verdict::kNotHonoured, ""},
                             {"parallel_tool_calls", Verdict::kNotHonoured, ""},
                             {"reasoning_effort", Verdict::kNotProbed, ""}});
  EXPECT_FALSE(probed.named_tool_choice);
  EXPECT_TRUE(probed.required_tool_choice);
  EXPECT_TRUE(probed.strict_json_schema);  // not probed: kept
  EXPECT_FALSE(probed.streaming_usage);
  EXPECT_FALSE(probed.parallel_tool_calls);
  EXPECT_EQ(probed.reasoning_effort, llm::EffortForm::kNested);
  EXPECT_EQ(ApplyVerdicts(before, {{"reasoning_effort", Verdict::kHonoured, ""}}).reasoning_effort,
            llm::EffortForm::kTopLevel);

  const std::string yaml = CapabilitiesYaml(probed);
  EXPECT_EQ(yaml,
            "capabilities:\n  named_tool_choice: false\n  required_tool_choice: true\n"
            "  strict_json_schema: true\n  streaming_usage: false\n"
            "  parallel_tool_calls: false\n  reasoning_effort: nested\n");
  std::string indented;
  for (size_t at = 0; at < yaml.size();) {
    size_t end = yaml.find('\n', at);
    indented += "    " + yaml.substr(at, end - at + 1);
    at = end + 1;
  }
  Result<config::Config> config = config::LoadConfigFromString(
      "triads: [{id: solo, preset: hierarchical, scope: {primary: [layout]}}]\n"
      "sections: [layout]\n"
      "providers:\n  local:\n    base_url: http://127.0.0.1:8080/v1\n" +
          indented,
      "probe.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->providers.back().name, "local");
  EXPECT_EQ(config->providers.back().capabilities, probed);
}

// ---- ProbeProvider through the real client, on a scripted transport -------------------

std::string Completion(const json& message) {
  return json{{"id", "r"},
              {"model", "m"},
              {"choices", {{{"index", 0}, {"message", message}, {"finish_reason", "stop"}}}}}
      .dump();
}

std::string CallBody(std::vector<std::string> names) {
  json calls = json::array();
  for (const std::string& name : names) {
    calls.push_back({{"id", "c-" + std::to_string(calls.size())},
                     {"type", "function"},
                     {"function", {{"name", name}, {"arguments", "{}"}}}});
  }
  return Completion({{"role", "assistant"}, {"content", nullptr}, {"tool_calls", calls}});
}

std::string TextBody(const std::string& text) {
  return Completion({{"role", "assistant"}, {"content", text}});
}

std::vector<std::string> StreamWithUsage() {
  return {R"(data: {"id":"s","choices":[{"index":0,"delta":{"content":"Hello"}}]})"
          "\n\n",
          R"(data: {"id":"s","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
          "\n\n",
          R"(data: {"id":"s","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":1}})"
          "\n\n",
          "data: [DONE]\n\n"};
}

class ProbeProviderTest : public ::testing::Test {
 protected:
  ProbeTarget Target(std::string model) {
    return {.provider = {.name = "local", .base_url = "http://127.0.0.1:1/v1"},
            .key_id = "local#0:abcd1234",
            .key = &secret_,
            .model = std::move(model)};
  }
  json Body(size_t i) const { return json::parse(transport_.requests().at(i).body); }

  keys::Secret secret_{kSecret};
  testing::FakeTransport transport_;
  testing::FakeClock clock_;
};

TEST_F(ProbeProviderTest, SendsEachFormUnderTestAndDecidesFromTheReplies) {
  transport_.PushBody(200, CallBody({"pick_blue"}));
  transport_.PushBody(200, CallBody({"pick_red"}));  // the second attempt is auto
  transport_.PushBody(200, CallBody({"get_time"}));
  transport_.PushBody(200, TextBody(R"({"color":"red","count":2})"));
  transport_.Push({.chunks = StreamWithUsage()});
  transport_.PushBody(200, CallBody({"get_weather"}));
  Result<ProbeReport> report = ProbeProvider(Target("llama3.1"), transport_, clock_);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(transport_.pending(), 0u);
  ASSERT_EQ(transport_.requests().size(), 6u);

  EXPECT_EQ(Body(0)["tool_choice"],
            json::parse(R"({"type":"function","function":{"name":"pick_blue"}})"));
  EXPECT_EQ(Body(0)["tools"].size(), 2u);
  EXPECT_EQ(Body(2)["tool_choice"], "required");
  EXPECT_EQ(Body(3)["response_format"]["json_schema"]["strict"], true);
  EXPECT_EQ(Body(4)["stream"], true);
  EXPECT_EQ(Body(4)["stream_options"]["include_usage"], true);
  EXPECT_EQ(Body(5)["tool_choice"], "auto");
  for (size_t i = 0; i < 6; ++i) EXPECT_FALSE(Body(i).contains("reasoning_effort"));
  EXPECT_EQ(transport_.requests()[0].url, "http://127.0.0.1:1/v1/chat/completions");

  ASSERT_EQ(report->verdicts.size(), 6u);
  EXPECT_EQ(report->verdicts[0].verdict, Verdict::kNotHonoured);
  EXPECT_EQ(report->verdicts[0].evidence, "asked for pick_blue, got pick_red");
  EXPECT_EQ(report->verdicts[1].verdict, Verdict::kHonoured);
  EXPECT_EQ(report->verdicts[2].verdict, Verdict::kHonoured);
  EXPECT_EQ(report->verdicts[3].verdict, Verdict::kHonoured);
  EXPECT_EQ(report->verdicts[4].verdict, Verdict::kNotHonoured);
  EXPECT_EQ(report->verdicts[5].name, "reasoning_effort");
  EXPECT_EQ(report->verdicts[5].verdict, Verdict::kNotProbed);  // not a reasoning model
  EXPECT_FALSE(report->probed.named_tool_choice);
  EXPECT_TRUE(report->probed.strict_json_schema);
  EXPECT_FALSE(report->probed.parallel_tool_calls);
  EXPECT_EQ(report->probed.reasoning_effort, llm::EffortForm::kNone);
}

TEST_F(ProbeProviderTest, AReasoningModelGetsTheEffortProbeAndARefusalMeansNone) {
  for (int i = 0; i < 3; ++i) transport_.PushBody(200, CallBody({"pick_blue"}));
  transport_.PushBody(200, CallBody({"get_time"}));
  transport_.PushBody(200, TextBody(R"({"color":"blue","count":7})"));
  transport_.Push({.chunks = StreamWithUsage()});
  transport_.PushBody(200, CallBody({"get_weather", "get_weather"}));
  transport_.PushBody(
      400, R"({"error":{"message":"Unrecognized request argument supplied: reasoning_effort"}})");
  Result<ProbeReport> report = ProbeProvider(Target("gpt-oss-20b"), transport_, clock_);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  ASSERT_EQ(transport_.requests().size(), 8u);
  for (size_t i = 0; i < 7; ++i) EXPECT_FALSE(Body(i).contains("reasoning_effort")) << i;
  EXPECT_EQ(Body(7)["reasoning_effort"], "low");
  EXPECT_EQ(report->verdicts[0].evidence, "asked for pick_blue 3 times, got it each time");
  EXPECT_EQ(report->verdicts[4].verdict, Verdict::kHonoured);
  EXPECT_EQ(report->verdicts[5].verdict, Verdict::kNotHonoured);
  EXPECT_TRUE(report->probed.named_tool_choice);
  EXPECT_TRUE(report->probed.parallel_tool_calls);
  EXPECT_EQ(report->probed.reasoning_effort, llm::EffortForm::kNone);
}

TEST_F(ProbeProviderTest, ARefusedKeyStopsProbingWithoutItsText) {
  transport_.PushBody(401, std::string(R"({"error":{"message":"invalid key )") + kSecret + "\"}}");
  Result<ProbeReport> report = ProbeProvider(Target("llama3.1"), transport_, clock_);
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(report.error().message.find("local#0:abcd1234"), std::string::npos);
  EXPECT_EQ(report.error().message.find(kSecret), std::string::npos) << report.error().message;
  EXPECT_EQ(transport_.requests().size(), 1u);
}

TEST_F(ProbeProviderTest, AnUnknownModelOrNoAnswerStopsProbing) {
  transport_.PushBody(404, R"({"error":{"message":"model not found"}})");
  Result<ProbeReport> unknown = ProbeProvider(Target("nope"), transport_, clock_);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_NE(unknown.error().message.find("model 'nope' is unknown"), std::string::npos);

  transport_.PushError(ErrorCode::kUnavailable, "connection refused");
  Result<ProbeReport> down = ProbeProvider(Target("llama3.1"), transport_, clock_);
  ASSERT_FALSE(down.has_value());
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(down.error().message.find("http://127.0.0.1:1/v1/chat/completions"), std::string::npos)
      << down.error().message;
}

TEST_F(ProbeProviderTest, RateLimitsAreWaitedOutWithinTheBoundElseReported) {
  net::Headers soon;
  soon.Add("retry-after", "2");
  transport_.Push({.status = 429, .headers = soon, .body = R"({"error":{"message":"slow down"}})"});
  transport_.PushBody(200, CallBody({"pick_red"}));
  net::Headers late;
  late.Add("retry-after", "3600");
  transport_.Push({.status = 429, .headers = late, .body = R"({"error":{"message":"slow down"}})"});
  const Timestamp start = clock_.Now();
  Result<ProbeReport> report = ProbeProvider(Target("llama3.1"), transport_, clock_);
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, ErrorCode::kResourceExhausted);
  EXPECT_NE(report.error().message.find("rate limited, try later"), std::string::npos);
  EXPECT_EQ(clock_.Now() - start, std::chrono::seconds(2));
  EXPECT_EQ(transport_.requests().size(), 3u);
}

}  // namespace
}  // namespace hfs::app
