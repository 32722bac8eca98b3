// tools/emulator/realism_test.cc
//
// The realistic profile: config and header parsing, each misbehaviour alone (rate 1, the
// others 0), the seeded draw, reasoning and max_tokens, ignores_named_tool_choice, stats,
// and the kind profile left as it was.
#include "tools/emulator/realism.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "hfs/testing/fake_clock.h"
#include "tools/emulator/config.h"
#include "tools/emulator/emulator.h"
#include "tools/emulator/schema_validator.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

const json kTools = json::parse(R"([
  {"type": "function", "function": {"name": "claim_section", "parameters": {
    "type": "object", "required": ["section", "reason"],
    "properties": {"section": {"type": "string", "enum": ["hero", "pricing"]},
                   "reason": {"type": "string", "minLength": 5}}}}},
  {"type": "function", "function": {"name": "cast_vote", "parameters": {
    "type": "object", "required": ["vote"],
    "properties": {"vote": {"type": "string", "enum": ["approve", "reject"]}}}}}
])");

json Messages(const std::string& user) {
  return {{{"role", "system"}, {"content", "Sections: hero, pricing, footer"}},
          {{"role", "user"}, {"content", user}}};
}

// A forced call of claim_section (or "required" when `named` is false).
json ToolRequest(const std::string& model = "llama-3.3-70b", bool named = true) {
  json request = {
      {"model", model}, {"messages", Messages("Claim the section you want.")}, {"tools", kTools}};
  request["tool_choice"] =
      named ? json{{"type", "function"}, {"function", {{"name", "claim_section"}}}}
            : json("required");
  return request;
}

json SchemaRequest(const std::string& name, const json& schema) {
  return {{"model", "llama-3.3-70b"},
          {"messages", Messages("Plan it.")},
          {"response_format",
           {{"type", "json_schema"}, {"json_schema", {{"name", name}, {"schema", schema}}}}}};
}

const json kPlanSchema = json::parse(R"({"type": "object", "required": ["title", "sections"],
  "properties": {"title": {"type": "string"},
                 "sections": {"type": "array", "minItems": 1, "items": {"type": "string"}}}})");

json TextRequest() {
  return {{"model", "llama-3.3-70b"}, {"messages", Messages("Say something about the page.")}};
}

// HFS's code call for page/pricing (the header and contract of code_reply.h).
json CodeRequest() {
  const json schema = json::parse(R"({"type":"object","additionalProperties":false,
    "required":["files","notes"],"properties":{
    "files":{"type":"array","minItems":1,"items":{"type":"object","additionalProperties":false,
      "required":["path","content"],"properties":{"path":{"type":"string","minLength":1},
      "content":{"type":"string","minLength":1}}}},"notes":{"type":"string"}}})");
  const std::string header =
      "Section: page/pricing\nKind: region\nRoot id: pricing\nOutput format: html\n\n"
      "Page contract:\nRegions (in page order):\n"
      "- page/hero -> #hero: Hero \u2014 Welcome; content: headline\n"
      "- page/pricing -> #pricing: Pricing \u2014 Plans; content: three tiers\n"
      "- page/footer -> #footer: Footer \u2014 Links; content: links\n";
  return {{"model", "llama-3.3-70b"},
          {"messages", {{{"role", "user"}, {"content", header}}}},
          {"response_format",
           {{"type", "json_schema"},
            {"json_schema", {{"name", "generated_code"}, {"schema", schema}}}}}};
}

// The realistic profile with every rate 0 except `behaviour` (and no server flag).
EmulatorOptions Only(const std::string& behaviour, double rate = 1.0) {
  EmulatorOptions options = DefaultOptions();
  options.realism = RealismProfile::kRealistic;
  for (ProviderOptions& provider : options.providers) {
    for (Misbehaviour m : kAllMisbehaviours) {
      provider.realism.rates[std::string(MisbehaviourName(m))] = 0;
    }
    provider.realism.rates[std::string(kReasoning)] = 0;
    provider.realism.ignores_named_tool_choice = false;
    if (!behaviour.empty()) provider.realism.rates[behaviour] = rate;
  }
  return options;
}

std::string Header(const Reply& reply, const std::string& name) {
  for (const auto& [key, value] : reply.headers) {
    if (key == name) return value;
  }
  return "";
}

class RealismTest : public ::testing::Test {
 protected:
  void Use(EmulatorOptions options) { emulator_ = std::make_unique<Emulator>(options, clock_); }

  Reply Send(const json& request, const std::string& provider = "plain",
             const std::string& realism = "") {
    const ProviderOptions* p = FindProviderByName(emulator_->options(), provider);
    return emulator_->Chat(*p, {.authorization = "Bearer emu-" + provider + "-1",
                                .body = request.dump(),
                                .realism = realism});
  }
  json Message(const json& request, const std::string& provider = "plain",
               const std::string& realism = "") {
    const Reply reply = Send(request, provider, realism);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return json::parse(reply.body)["choices"][0];
  }

  testing::FakeClock clock_;
  std::unique_ptr<Emulator> emulator_;
};

// --- options, config and header ---

TEST(RealismOptionsTest, KindIsOffAndThePresetHasDocumentedRates) {
  EXPECT_FALSE(ResolveRealism(RealismProfile::kKind, Personality::kPlain, {}, nullptr).enabled);
  const RealismSettings groq =
      ResolveRealism(RealismProfile::kRealistic, Personality::kGroq, {}, nullptr);
  EXPECT_TRUE(groq.enabled);
  EXPECT_DOUBLE_EQ(groq.Rate(Misbehaviour::kFencedJson), 0.06);
  EXPECT_DOUBLE_EQ(groq.reasoning, 1.0);
  EXPECT_FALSE(groq.ignores_named_tool_choice);
  double sum = 0;
  for (double rate : groq.rates) sum += rate;
  EXPECT_NEAR(sum, 0.27, 1e-9);
  EXPECT_TRUE(RealisticPreset(Personality::kPlain).ignores_named_tool_choice);
  const RealismOverrides provider{.rates = {{"fenced_json", 0.5}, {"reasoning", 0.2}}};
  const RealismOverrides model{.rates = {{"fenced_json", 0.1}}, .ignores_named_tool_choice = true};
  const RealismSettings both =
      ResolveRealism(RealismProfile::kRealistic, Personality::kGroq, provider, &model);
  EXPECT_DOUBLE_EQ(both.Rate(Misbehaviour::kFencedJson), 0.1);
  EXPECT_DOUBLE_EQ(both.reasoning, 0.2);
  EXPECT_TRUE(both.ignores_named_tool_choice);
  EXPECT_TRUE(IsReasoningModel("openai/gpt-oss-120b"));
  EXPECT_TRUE(IsReasoningModel("zai-glm-4.7"));
  EXPECT_TRUE(IsReasoningModel("deepseek-r1-distill-llama-70b"));
  EXPECT_TRUE(IsReasoningModel("Qwen/QwQ-32B"));
  EXPECT_FALSE(IsReasoningModel("llama-3.3-70b-versatile"));
}

TEST(RealismOptionsTest, ConfigReadsProfileProviderAndModelBlocks) {
  auto options = ParseConfig(R"(
realism: realistic
providers:
  - name: groq
    realism: {fenced_json: 0.5, reasoning: 0, ignores_named_tool_choice: true}
    models:
      - name: openai/gpt-oss-20b
        realism: {reasoning: 1, truncated: 0.25}
)");
  ASSERT_TRUE(options.has_value()) << options.error().ToString();
  EXPECT_EQ(options->realism, RealismProfile::kRealistic);
  const ProviderOptions& groq = options->providers.at(0);
  EXPECT_DOUBLE_EQ(groq.realism.rates.at("fenced_json"), 0.5);
  EXPECT_EQ(groq.realism.ignores_named_tool_choice, true);
  const RealismSettings model =
      ResolveRealism(options->realism, groq.personality, groq.realism, &groq.models.at(0).realism);
  EXPECT_DOUBLE_EQ(model.reasoning, 1.0);
  EXPECT_DOUBLE_EQ(model.Rate(Misbehaviour::kTruncated), 0.25);
  EXPECT_DOUBLE_EQ(model.Rate(Misbehaviour::kFencedJson), 0.5);
  EXPECT_EQ(ParseConfig("seed: 1\n")->realism, RealismProfile::kKind);
  EXPECT_TRUE(LoadConfig("tools/emulator/examples/realistic.yaml").has_value());
}

TEST(RealismOptionsTest, ConfigErrorsNameTheKeyPath) {
  const std::pair<const char*, const char*> cases[] = {
      {"realism: cruel\n", ".realism: must be kind or realistic"},
      {"providers: [{name: groq, realism: {fenced_jsn: 0.1}}]\n",
       "providers[0].realism.fenced_jsn: unknown behaviour"},
      {"providers: [{name: groq, realism: {truncated: 1.5}}]\n",
       "providers[0].realism.truncated: must be within [0, 1]"},
      {"providers: [{name: groq, realism: {reasoning: -0.1}}]\n",
       "providers[0].realism.reasoning: must be within [0, 1]"},
      {"providers: [{name: groq, realism: {ignores_named_tool_choice: maybe}}]\n",
       "providers[0].realism.ignores_named_tool_choice: expected a boolean"},
      {"providers: [{name: groq, models: [{name: m, realism: {bogus: 1}}]}]\n",
       "providers[0].models[0].realism.bogus: unknown behaviour"},
      {"providers: [{name: groq, realism: [fenced_json]}]\n",
       "providers[0].realism: expected a map"}};
  for (const auto& [yaml, message] : cases) {
    const auto options = ParseConfig(yaml);
    ASSERT_FALSE(options.has_value()) << yaml;
    EXPECT_EQ(options.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(options.error().message.find(message), std::string::npos) << options.error().message;
  }
}

TEST(RealismOptionsTest, HeaderNamesBehaviours) {
  const auto one = ParseRealismHeader("fenced_json");
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->misbehaviour, Misbehaviour::kFencedJson);
  const auto two = ParseRealismHeader(" Reasoning, truncated ,ignores_named_tool_choice");
  ASSERT_TRUE(two.has_value());
  EXPECT_TRUE(two->reasoning);
  EXPECT_TRUE(two->ignores_named_tool_choice);
  EXPECT_EQ(two->misbehaviour, Misbehaviour::kTruncated);
  EXPECT_EQ(ParseRealismHeader("none")->misbehaviour, Misbehaviour::kNone);
  EXPECT_FALSE(ParseRealismHeader("")->misbehaviour.has_value());
  EXPECT_FALSE(ParseRealismHeader("fenced").has_value());
  EXPECT_FALSE(ParseRealismHeader("fenced_json, truncated").has_value());
}

TEST(RealismOptionsTest, DrawFollowsTheRatesOfApplicableBehaviours) {
  RealismSettings settings{.enabled = true};
  settings.SetRate(Misbehaviour::kFencedJson, 0.3);
  settings.SetRate(Misbehaviour::kTruncated, 0.2);
  settings.SetRate(Misbehaviour::kLongReply, 0.4);  // does not apply below
  const std::vector<Misbehaviour> applicable = {Misbehaviour::kFencedJson,
                                                Misbehaviour::kTruncated};
  std::map<Misbehaviour, int> counts;
  constexpr int kDraws = 4000;
  for (int i = 0; i < kDraws; ++i) ++counts[DrawMisbehaviour(settings, applicable, i)];
  EXPECT_NEAR(counts[Misbehaviour::kFencedJson] / double(kDraws), 0.3, 0.03);
  EXPECT_NEAR(counts[Misbehaviour::kTruncated] / double(kDraws), 0.2, 0.03);
  EXPECT_EQ(counts[Misbehaviour::kLongReply], 0);
  settings.SetRate(Misbehaviour::kTruncated, 0.9);  // 1.2 in all: scaled to 1
  counts.clear();
  for (int i = 0; i < kDraws; ++i) ++counts[DrawMisbehaviour(settings, applicable, i)];
  EXPECT_EQ(counts[Misbehaviour::kNone], 0);
  EXPECT_NEAR(counts[Misbehaviour::kFencedJson] / double(kDraws), 0.25, 0.03);
}

// --- the kind profile ---

TEST_F(RealismTest, KindProfileIsUnchangedEvenWithRatesConfigured) {
  EmulatorOptions kind = Only("fenced_json");
  kind.realism = RealismProfile::kKind;
  for (ProviderOptions& provider : kind.providers) provider.realism.rates["reasoning"] = 1;
  testing::FakeClock clock;
  Emulator plain(DefaultOptions(), clock);
  Use(kind);
  for (const json& request : {ToolRequest("openai/gpt-oss-20b"), SchemaRequest("plan", kPlanSchema),
                              TextRequest(), CodeRequest()}) {
    const Reply ours = Send(request, "groq");
    const Reply theirs = plain.Chat(*FindProviderByName(plain.options(), "groq"),
                                    {.authorization = "Bearer emu-groq-1", .body = request.dump()});
    EXPECT_EQ(ours.body, theirs.body);
    EXPECT_EQ(Header(ours, "x-emulator-realism"), "");
  }
  const json stats = json::parse(emulator_->StatsJson());
  EXPECT_TRUE(stats["total"]["realism"].empty());
  EXPECT_EQ(stats["total"]["reasoning_tokens"], 0);
}

TEST_F(RealismTest, EnumValuesStayValidInBothProfiles) {
  // An arbiter's verdict: the winner is one of the candidates, whatever the profile.
  const json schema = json::parse(R"({"type": "object", "required": ["winner"],
    "properties": {"winner": {"type": "string", "enum": ["triad-a", "triad-b"]}}})");
  for (const EmulatorOptions& options : {DefaultOptions(), Only("foreign_section")}) {
    Use(options);
    for (int i = 0; i < 10; ++i) {
      const Reply reply = Send(SchemaRequest("verdict", schema));
      const json verdict = json::parse(
          json::parse(reply.body)["choices"][0]["message"]["content"].get<std::string>());
      EXPECT_FALSE(ValidateAgainstSchema(verdict, schema).has_value()) << verdict.dump();
      EXPECT_EQ(Header(reply, "x-emulator-realism"), "");
    }
  }
}

// --- each misbehaviour alone ---

TEST_F(RealismTest, ProseInsteadOfToolAnswersInTextThreeWays) {
  Use(Only("prose_instead_of_tool"));
  std::set<std::string> forms;
  for (int i = 0; i < 30; ++i) {
    const json choice = Message(ToolRequest());
    EXPECT_FALSE(choice["message"].contains("tool_calls"));
    EXPECT_EQ(choice["finish_reason"], "stop");
    const std::string content = choice["message"]["content"];
    if (content.starts_with("I'll claim the ")) forms.insert("prose");
    if (content.starts_with("```json\n{")) forms.insert("fenced");
    if (content.starts_with("{\"name\": \"claim_section\", \"arguments\": {")) {
      forms.insert("llama");
    }
  }
  EXPECT_EQ(forms.size(), 3u);
  // With tool_choice "auto" the text is no misbehaviour: the kind answer stays.
  json automatic = ToolRequest();
  automatic["tool_choice"] = "auto";
  EXPECT_TRUE(Message(automatic)["message"].contains("tool_calls"));
}

TEST_F(RealismTest, GroqRejectsProseAndSchemaViolationsWithToolUseFailed) {
  Use(Only("prose_instead_of_tool"));
  const Reply prose = Send(ToolRequest(), "groq");
  ASSERT_EQ(prose.status, 400);
  const json error = json::parse(prose.body)["error"];
  EXPECT_EQ(error["code"], "tool_use_failed");
  EXPECT_EQ(error["type"], "invalid_request_error");
  EXPECT_FALSE(error["failed_generation"].get<std::string>().empty());
  EXPECT_EQ(Header(prose, "x-emulator-realism"), "prose_instead_of_tool");
  Use(Only("schema_violation"));
  const Reply violation = Send(ToolRequest(), "groq");
  ASSERT_EQ(violation.status, 400);
  const json body = json::parse(violation.body)["error"];
  EXPECT_EQ(body["message"],
            "Failed to call a function. Please adjust your prompt. See 'failed_generation' for "
            "more details.");
  EXPECT_TRUE(body["failed_generation"].get<std::string>().starts_with("<function=claim_section>"));
  EXPECT_EQ(json::parse(emulator_->StatsJson())["providers"]["groq"]["statuses"]["400"], 1);
}

TEST_F(RealismTest, SchemaViolationParsesButBreaksTheSchema) {
  Use(Only("schema_violation"));
  const json schema = kTools[0]["function"]["parameters"];
  std::set<std::string> kinds;
  for (int i = 0; i < 20; ++i) {
    const json call = Message(ToolRequest())["message"]["tool_calls"][0]["function"];
    const json arguments = json::parse(call["arguments"].get<std::string>());
    EXPECT_TRUE(ValidateAgainstSchema(arguments, schema).has_value()) << arguments.dump();
    if (!arguments.contains("section") || !arguments.contains("reason")) kinds.insert("missing");
    if (arguments.contains("section") && arguments["section"] != "hero" &&
        arguments["section"] != "pricing") {
      kinds.insert("enum");
    }
  }
  EXPECT_EQ(kinds.size(), 2u);
}

TEST_F(RealismTest, FencedJsonWrapsSchemaRepliesIncludingHfsCalls) {
  Use(Only("fenced_json"));
  const json outline_schema = json::parse(
      R"({"type": "object", "properties": {"title": {"type": "string"}, "regions": {"type": "array"}}})");
  std::set<std::string> forms;
  for (const json& request : {SchemaRequest("plan", kPlanSchema), CodeRequest(),
                              SchemaRequest("page_outline", outline_schema),
                              SchemaRequest("plan", kPlanSchema), CodeRequest()}) {
    const std::string content = Message(request)["message"]["content"];
    EXPECT_FALSE(json::accept(content)) << content;
    const size_t open = content.find('{');
    const size_t close = content.rfind('}');
    ASSERT_NE(open, std::string::npos);
    EXPECT_TRUE(json::accept(content.substr(open, close - open + 1))) << content;
    forms.insert(content.starts_with("```json") ? "fence" : "sentence");
  }
  EXPECT_EQ(forms.size(), 2u);
  // A tool call is not fenced.
  EXPECT_TRUE(Message(ToolRequest())["message"].contains("tool_calls"));
}

TEST_F(RealismTest, MalformedJsonIsAlmostJson) {
  Use(Only("malformed_json"));
  std::set<std::string> forms;
  for (int i = 0; i < 30; ++i) {
    const std::string arguments =
        Message(ToolRequest())["message"]["tool_calls"][0]["function"]["arguments"];
    EXPECT_FALSE(json::accept(arguments)) << arguments;
    if (arguments.find(",}") != std::string::npos) forms.insert("comma");
    if (arguments.starts_with("{'")) forms.insert("quotes");
    if (arguments.find('\n') != std::string::npos) forms.insert("newline");
  }
  EXPECT_EQ(forms.size(), 3u);
  const std::string content = Message(SchemaRequest("plan", kPlanSchema))["message"]["content"];
  EXPECT_FALSE(json::accept(content)) << content;
}

TEST_F(RealismTest, WrongToolCallsAnotherOrAnUnofferedTool) {
  Use(Only("wrong_tool"));
  std::set<std::string> names;
  for (int i = 0; i < 20; ++i) {
    const json call = Message(ToolRequest())["message"]["tool_calls"][0]["function"];
    names.insert(call["name"]);
    EXPECT_TRUE(json::accept(call["arguments"].get<std::string>()));
  }
  EXPECT_EQ(names.count("claim_section"), 0u);
  EXPECT_EQ(names.count("cast_vote"), 1u);
  EXPECT_GE(names.size(), 2u);  // "json", "submit", ... as well
  // Groq refuses a tool that was not offered.
  int refused = 0;
  for (int i = 0; i < 20; ++i) {
    const Reply reply = Send(ToolRequest(), "groq");
    if (reply.status != 400) continue;
    ++refused;
    const json error = json::parse(reply.body)["error"];
    EXPECT_EQ(error["code"], "tool_use_failed");
    EXPECT_NE(error["message"].get<std::string>().find("which was not in request.tools"),
              std::string::npos);
    EXPECT_TRUE(json::parse(error["failed_generation"].get<std::string>()).contains("arguments"));
  }
  EXPECT_GT(refused, 0);
}

TEST_F(RealismTest, TruncatedCutsArgumentsAtMaxTokens) {
  Use(Only("truncated"));
  json request = ToolRequest();
  request["max_tokens"] = 300;
  const json choice = Message(request);
  EXPECT_EQ(choice["finish_reason"], "length");
  EXPECT_FALSE(
      json::accept(choice["message"]["tool_calls"][0]["function"]["arguments"].get<std::string>()));
  const Reply reply = Send(request);
  EXPECT_EQ(json::parse(reply.body)["usage"]["completion_tokens"], 300);
  const json code = Message(CodeRequest());
  EXPECT_EQ(code["finish_reason"], "length");
  EXPECT_FALSE(json::accept(code["message"]["content"].get<std::string>()));
}

TEST_F(RealismTest, EmptyContentHasNoToolCalls) {
  Use(Only("empty_content"));
  std::set<std::string> forms;
  for (int i = 0; i < 12; ++i) {
    const json choice = Message(i % 2 ? ToolRequest() : TextRequest());
    EXPECT_EQ(choice["finish_reason"], "stop");
    EXPECT_FALSE(choice["message"].contains("tool_calls"));
    const json content = choice["message"]["content"];
    forms.insert(content.is_null() ? "null" : content.get<std::string>());
  }
  EXPECT_EQ(forms, (std::set<std::string>{"", "null"}));
}

TEST_F(RealismTest, DuplicateToolCallRepeatsTheCallWithANewId) {
  Use(Only("duplicate_tool_call"));
  const json calls = Message(ToolRequest())["message"]["tool_calls"];
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_NE(calls[0]["id"], calls[1]["id"]);
  EXPECT_EQ(calls[0]["function"], calls[1]["function"]);
}

TEST_F(RealismTest, LongReplyIsSeveralTimesLongerAndKeepsTheAnswer) {
  testing::FakeClock clock;
  Emulator kind(DefaultOptions(), clock);
  const std::string answer =
      json::parse(kind.Chat(*kind.FindProvider("/v1"),
                            {.authorization = "Bearer emu-plain-1", .body = TextRequest().dump()})
                      .body)["choices"][0]["message"]["content"];
  Use(Only("long_reply"));
  const json choice = Message(TextRequest());
  const std::string content = choice["message"]["content"];
  EXPECT_GE(content.size(), 3 * answer.size());
  EXPECT_NE(content.find(answer), std::string::npos);
  EXPECT_EQ(choice["finish_reason"], "stop");
  json limited = TextRequest();
  limited["max_tokens"] = 40;
  EXPECT_EQ(Message(limited)["finish_reason"], "length");
}

TEST_F(RealismTest, ForeignSectionLeavesTheOfferedEnumAndWritesAnotherRegion) {
  Use(Only("foreign_section"));
  const json arguments =
      json::parse(Message(ToolRequest())["message"]["tool_calls"][0]["function"]["arguments"]
                      .get<std::string>());
  EXPECT_EQ(arguments["section"], "footer");  // seen in the conversation, not offered
  const json files =
      json::parse(Message(CodeRequest())["message"]["content"].get<std::string>())["files"];
  ASSERT_FALSE(files.empty());
  const std::string path = files[0]["path"];
  EXPECT_TRUE(path == "hero.html" || path == "footer.html") << path;
  // Without a section property there is nothing foreign to write.
  json vote = ToolRequest();
  vote["tool_choice"] = {{"type", "function"}, {"function", {{"name", "cast_vote"}}}};
  const Reply reply = Send(vote);
  EXPECT_EQ(Header(reply, "x-emulator-realism"), "");
}

// --- reasoning ---

TEST_F(RealismTest, ReasoningModelsReasonInTheProvidersField) {
  EmulatorOptions options = Only("");
  for (ProviderOptions& p : options.providers) p.realism.rates["reasoning"] = 1;
  Use(options);
  const std::pair<const char*, const char*> fields[] = {{"groq", "reasoning"},
                                                        {"cerebras", "reasoning"},
                                                        {"openrouter", "reasoning"},
                                                        {"gemini", "reasoning_content"},
                                                        {"plain", "reasoning_content"}};
  for (const auto& [provider, field] : fields) {
    const Reply reply = Send(ToolRequest("gpt-oss-120b"), provider);
    ASSERT_EQ(reply.status, 200) << reply.body;
    const json body = json::parse(reply.body);
    const json message = body["choices"][0]["message"];
    EXPECT_FALSE(message[field].get<std::string>().empty()) << provider;
    const int64_t reasoning = body["usage"]["completion_tokens_details"]["reasoning_tokens"];
    EXPECT_GE(reasoning, 450);
    EXPECT_LE(reasoning, 750);
    EXPECT_GT(body["usage"]["completion_tokens"].get<int64_t>(), reasoning);
    EXPECT_TRUE(message.contains("tool_calls")) << provider;
  }
  const json plain = json::parse(Send(ToolRequest("llama-3.3-70b"), "groq").body);
  EXPECT_FALSE(plain["choices"][0]["message"].contains("reasoning"));
  EXPECT_FALSE(plain["usage"].contains("completion_tokens_details"));
}

TEST_F(RealismTest, ReasoningEffortScalesTheReasoning) {
  EmulatorOptions options = Only("");
  for (ProviderOptions& p : options.providers) p.realism.rates["reasoning"] = 1;
  Use(options);
  auto tokens = [&](const json& request, const std::string& provider) {
    return json::parse(Send(request, provider)
                           .body)["usage"]["completion_tokens_details"]["reasoning_tokens"]
        .get<int64_t>();
  };
  json request = TextRequest();
  request["model"] = "qwen/qwq-32b";
  const std::tuple<const char*, int, int> efforts[] = {
      {"low", 112, 188}, {"medium", 450, 750}, {"high", 1125, 1875}};
  for (const auto& [effort, low, high] : efforts) {
    request["reasoning_effort"] = effort;
    const int64_t reasoned = tokens(request, "cerebras");
    EXPECT_GE(reasoned, low) << effort;
    EXPECT_LE(reasoned, high) << effort;
  }
  json openrouter = TextRequest();
  openrouter["model"] = "deepseek/deepseek-r1:free";
  openrouter["reasoning"] = {{"effort", "high"}};
  EXPECT_GE(tokens(openrouter, "openrouter"), 1125);
  openrouter["reasoning"] = {{"max_tokens", 321}};
  EXPECT_EQ(tokens(openrouter, "openrouter"), 321);
  request["reasoning_effort"] = "none";
  EXPECT_FALSE(
      json::parse(Send(request, "cerebras").body)["usage"].contains("completion_tokens_details"));
  // Hidden reasoning still counts.
  request["reasoning_effort"] = "low";
  request["include_reasoning"] = false;
  const json hidden = json::parse(Send(request, "groq").body);
  EXPECT_FALSE(hidden["choices"][0]["message"].contains("reasoning"));
  EXPECT_GT(hidden["usage"]["completion_tokens_details"]["reasoning_tokens"].get<int>(), 0);
}

TEST_F(RealismTest, ReasoningSpendsMaxTokensBeforeTheAnswer) {
  EmulatorOptions options = Only("");
  for (ProviderOptions& p : options.providers) p.realism.rates["reasoning"] = 1;
  Use(options);
  // The reasoning alone spends the budget: no answer at all.
  json request = ToolRequest("openai/gpt-oss-20b");
  request["reasoning_effort"] = "high";
  request["max_completion_tokens"] = 200;
  const json none = json::parse(Send(request, "groq").body);
  EXPECT_EQ(none["choices"][0]["finish_reason"], "length");
  EXPECT_FALSE(none["choices"][0]["message"].contains("tool_calls"));
  EXPECT_EQ(none["usage"]["completion_tokens"], 200);
  EXPECT_EQ(none["usage"]["completion_tokens_details"]["reasoning_tokens"], 200);
  // Reasoning of 100 and a budget of 110: the arguments are cut mid-JSON.
  request.erase("reasoning_effort");
  request["reasoning"] = {{"max_tokens", 100}};
  request["max_completion_tokens"] = 110;
  const json cut = json::parse(Send(request, "openrouter").body);
  EXPECT_EQ(cut["choices"][0]["finish_reason"], "length");
  const std::string arguments =
      cut["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"];
  EXPECT_FALSE(json::accept(arguments)) << arguments;
  EXPECT_EQ(cut["usage"]["completion_tokens"], 110);
  // A roomy budget: reasoning plus the whole answer.
  request["max_completion_tokens"] = 5000;
  const json whole = json::parse(Send(request, "openrouter").body);
  EXPECT_EQ(whole["choices"][0]["finish_reason"], "tool_calls");
  EXPECT_TRUE(json::accept(
      whole["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"].get<std::string>()));
}

TEST_F(RealismTest, StreamingSendsReasoningDeltasFirst) {
  EmulatorOptions options = Only("");
  for (ProviderOptions& p : options.providers) p.realism.rates["reasoning"] = 1;
  Use(options);
  json request = TextRequest();
  request["model"] = "zai-glm-4.7";
  request["stream"] = true;
  const Reply reply = Send(request, "cerebras");
  ASSERT_TRUE(reply.streaming);
  size_t first_reasoning = 0, first_content = 0;
  for (size_t i = 0; i < reply.events.size(); ++i) {
    if (!reply.events[i].starts_with("data: {")) continue;
    const json delta = json::parse(reply.events[i].substr(6))["choices"][0]["delta"];
    if (delta.contains("reasoning") && first_reasoning == 0) first_reasoning = i;
    if (delta.value("content", std::string()) != "" && first_content == 0) first_content = i;
  }
  EXPECT_GT(first_reasoning, 0u);
  EXPECT_GT(first_content, first_reasoning);
}

// --- ignores_named_tool_choice ---

TEST_F(RealismTest, IgnoredNamedToolChoiceActsLikeAuto) {
  EmulatorOptions options = Only("");
  for (ProviderOptions& p : options.providers) p.realism.ignores_named_tool_choice = true;
  Use(options);
  std::map<std::string, int> outcomes;
  constexpr int kRequests = 200;
  for (int i = 0; i < kRequests; ++i) {
    const json message = Message(ToolRequest())["message"];
    outcomes[message.contains("tool_calls")
                 ? message["tool_calls"][0]["function"]["name"].get<std::string>()
                 : "text"]++;
  }
  EXPECT_NEAR(outcomes["claim_section"] / double(kRequests), 0.5, 0.1);
  EXPECT_NEAR(outcomes["cast_vote"] / double(kRequests), 0.25, 0.1);
  EXPECT_NEAR(outcomes["text"] / double(kRequests), 0.25, 0.1);
  // "required" is not a named choice: always a tool call.
  EXPECT_TRUE(Message(ToolRequest("m", /*named=*/false))["message"].contains("tool_calls"));
  // Forced by the header it never calls the named tool.
  for (int i = 0; i < 20; ++i) {
    const json message = Message(ToolRequest(), "groq", "ignores_named_tool_choice")["message"];
    if (message.contains("tool_calls")) {
      EXPECT_EQ(message["tool_calls"][0]["function"]["name"], "cast_vote");
    }
  }
}

// --- the header, the preset's overall rate and stats ---

TEST_F(RealismTest, HeaderForcesOneBehaviourInEitherProfile) {
  Use(DefaultOptions());  // kind
  const Reply fenced = Send(SchemaRequest("plan", kPlanSchema), "plain", "fenced_json");
  EXPECT_EQ(Header(fenced, "x-emulator-realism"), "fenced_json");
  EXPECT_FALSE(json::accept(
      json::parse(fenced.body)["choices"][0]["message"]["content"].get<std::string>()));
  const Reply both = Send(ToolRequest("llama"), "groq", "reasoning, duplicate_tool_call");
  EXPECT_EQ(Header(both, "x-emulator-realism"), "duplicate_tool_call,reasoning");
  EXPECT_EQ(json::parse(both.body)["choices"][0]["message"]["tool_calls"].size(), 2u);
  EXPECT_EQ(Send(TextRequest(), "plain", "fenced").status, 400);
  Use(Only("fenced_json"));
  const Reply none = Send(SchemaRequest("plan", kPlanSchema), "plain", "none");
  EXPECT_TRUE(
      json::accept(json::parse(none.body)["choices"][0]["message"]["content"].get<std::string>()));
  // A forced behaviour that does not apply is not served.
  EXPECT_EQ(Header(Send(TextRequest(), "plain", "fenced_json"), "x-emulator-realism"), "");
}

TEST_F(RealismTest, PresetMisbehavesOnAboutAFifthOfForcedToolCalls) {
  EmulatorOptions options = DefaultOptions();
  options.realism = RealismProfile::kRealistic;
  Use(options);
  constexpr int kRequests = 1000;
  int misbehaved = 0;
  for (int i = 0; i < kRequests; ++i) {
    if (!Header(Send(ToolRequest(), "cerebras"), "x-emulator-realism").empty()) ++misbehaved;
  }
  // Applicable: prose, malformed, wrong tool, schema, truncated, empty, duplicate, foreign.
  EXPECT_NEAR(misbehaved / double(kRequests), 0.18, 0.03);
  const json stats = json::parse(emulator_->StatsJson());
  int64_t counted = 0;
  for (const auto& [name, count] : stats["providers"]["cerebras"]["realism"].items()) {
    counted += count.get<int64_t>();
  }
  EXPECT_EQ(counted, misbehaved);
  EXPECT_EQ(stats["providers"]["cerebras"]["realism"].count("fenced_json"), 0u);
}

TEST_F(RealismTest, StatsCountBehavioursAndReasoningTokens) {
  EmulatorOptions options = Only("duplicate_tool_call");
  for (ProviderOptions& p : options.providers) p.realism.rates["reasoning"] = 1;
  Use(options);
  const json body = json::parse(Send(ToolRequest("openai/gpt-oss-20b"), "groq").body);
  Send(ToolRequest("llama-3.3-70b"), "groq");
  const json stats = json::parse(emulator_->StatsJson());
  const json groq = stats["providers"]["groq"];
  EXPECT_EQ(groq["realism"]["duplicate_tool_call"], 2);
  EXPECT_EQ(groq["realism"]["reasoning"], 1);
  EXPECT_EQ(groq["reasoning_tokens"],
            body["usage"]["completion_tokens_details"]["reasoning_tokens"]);
  EXPECT_EQ(stats["models"]["groq"]["openai/gpt-oss-20b"]["realism"]["reasoning"], 1);
  EXPECT_EQ(stats["total"]["realism"]["duplicate_tool_call"], 2);
}

}  // namespace
}  // namespace hfs::emulator
