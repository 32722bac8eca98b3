#include "hfs/llm/openai_wire.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hfs/net/sse_parser.h"

namespace hfs::llm {
namespace {

using nlohmann::json;

constexpr const char* kVoteSchema =
    R"({"type":"object","properties":{"choice":{"type":"string","enum":["accept","reject"]}},"required":["choice"]})";

ChatRequest ToolRequest() {
  ChatRequest request{.model = "llama-3.3-70b",
                      .messages = {Message::System("be brief"), Message::User("vote")}};
  request.tools.push_back(
      {.name = "vote", .description = "Cast a vote", .parameters_json = kVoteSchema});
  request.tools.push_back({.name = "pass", .parameters_json = ""});
  return request;
}

json Encode(const ChatRequest& request, const WireOptions& options) {
  Result<std::string> body = EncodeChatRequest(request, options);
  EXPECT_TRUE(body.has_value()) << body.error().ToString();
  json parsed = json::parse(body.value_or("{}"), nullptr, false);
  EXPECT_FALSE(parsed.is_discarded());
  return parsed;
}

// ---- Encoding ----------------------------------------------------------------------

TEST(EncodeChatRequestTest, PlainRequestHasOnlyWhatWasSet) {
  ChatRequest request{.model = "m", .messages = {Message::User("hi")}};
  EXPECT_EQ(Encode(request, {}),
            json::parse(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})"));
  request.max_tokens = 100;
  request.temperature = 0.5;
  request.seed = 7;
  json body = Encode(request, {});
  EXPECT_EQ(body["max_tokens"], 100);
  EXPECT_EQ(body["temperature"], 0.5);
  EXPECT_EQ(body["seed"], 7);
  EXPECT_FALSE(body.contains("stream"));
  EXPECT_FALSE(body.contains("tools"));
  EXPECT_FALSE(body.contains("tool_choice"));
}

TEST(EncodeChatRequestTest, ToolsEmbedParametersAsJson) {
  json body = Encode(ToolRequest(), {});
  EXPECT_EQ(body["tools"], json::parse(R"([
    {"type":"function","function":{"name":"vote","description":"Cast a vote",
      "parameters":)" + std::string(kVoteSchema) +
                                       R"(}},
    {"type":"function","function":{"name":"pass","parameters":{"type":"object","properties":{}}}}
  ])"));
  EXPECT_EQ(body["tool_choice"], "auto");
}

struct ChoiceCase {
  const char* provider;
  ToolChoice choice;
  std::optional<std::string> forced;
  const char* expected_choice;  // JSON
  size_t expected_tools;
};

TEST(EncodeChatRequestTest, ToolChoiceVariantsPerProvider) {
  const ChoiceCase cases[] = {
      {"groq", ToolChoice::kAuto, std::nullopt, R"("auto")", 2},
      {"groq", ToolChoice::kNone, std::nullopt, R"("none")", 2},
      {"groq", ToolChoice::kRequired, std::nullopt, R"("required")", 2},
      {"groq", ToolChoice::kAuto, "vote", R"({"type":"function","function":{"name":"vote"}})", 2},
      {"gemini", ToolChoice::kRequired, std::nullopt, R"("required")", 2},
      {"openrouter", ToolChoice::kNone, "pass", R"({"type":"function","function":{"name":"pass"}})",
       2},
      {"custom", ToolChoice::kRequired, std::nullopt, R"("required")", 2},
      // A custom server may ignore a named choice (llama-server does): the forced tool is
      // the only tool, with "required".
      {"custom", ToolChoice::kAuto, "vote", R"("required")", 1},
      // Cerebras: only auto|none; required becomes auto, a forced tool the only tool.
      {"cerebras", ToolChoice::kNone, std::nullopt, R"("none")", 2},
      {"cerebras", ToolChoice::kRequired, std::nullopt, R"("auto")", 2},
      {"cerebras", ToolChoice::kAuto, "vote", R"("auto")", 1},
  };
  for (const ChoiceCase& c : cases) {
    ChatRequest request = ToolRequest();
    request.tool_choice = c.choice;
    request.forced_tool = c.forced;
    json body = Encode(request, WireOptionsFor(c.provider, false));
    EXPECT_EQ(body["tool_choice"], json::parse(c.expected_choice)) << c.provider;
    EXPECT_EQ(body["tools"].size(), c.expected_tools) << c.provider;
    if (c.expected_tools == 1) {
      EXPECT_EQ(body["tools"][0]["function"]["name"], *c.forced);
    }
  }
}

TEST(EncodeChatRequestTest, ReasoningModelsGetRoomToReasonAndAnEffort) {
  ChatRequest request{.model = "openai/gpt-oss-120b", .messages = {Message::User("code")}};
  request.max_tokens = 4000;
  json groq = Encode(request, WireOptionsFor("groq", false));
  EXPECT_EQ(groq["max_tokens"], 4000 + ReasoningAllowance("low"));
  EXPECT_EQ(groq["reasoning_effort"], "low");
  request.reasoning_effort = "high";
  json openrouter = Encode(request, WireOptionsFor("openrouter", false));
  EXPECT_EQ(openrouter["max_tokens"], 4000 + 16384);
  EXPECT_EQ(openrouter["reasoning"], (json{{"effort", "high"}}));
  EXPECT_FALSE(openrouter.contains("reasoning_effort"));
  // A custom server gets no effort field it may not know; a plain model nothing extra.
  EXPECT_FALSE(Encode(request, WireOptionsFor("custom", false)).contains("reasoning_effort"));
  request.model = "llama-3.3-70b";
  json plain = Encode(request, WireOptionsFor("groq", false));
  EXPECT_EQ(plain["max_tokens"], 4000);
  EXPECT_FALSE(plain.contains("reasoning_effort"));
}

TEST(DecodeChatResponseTest, ReasoningTextAndTokensAreKept) {
  Result<ChatResponse> groq = DecodeChatResponse(R"({"choices":[{"message":{"role":"assistant",
      "content":"ok","reasoning":"The user wants..."},"finish_reason":"stop"}],
      "usage":{"prompt_tokens":10,"completion_tokens":50,
               "completion_tokens_details":{"reasoning_tokens":42}}})");
  ASSERT_TRUE(groq.has_value());
  EXPECT_EQ(groq->reasoning, "The user wants...");
  EXPECT_EQ(groq->usage->completion_tokens, 50);
  EXPECT_EQ(groq->usage->reasoning_tokens, 42);
  Result<ChatResponse> vllm = DecodeChatResponse(R"({"choices":[{"message":{"role":"assistant",
      "content":null,"reasoning_content":"Thinking"},"finish_reason":"length"}]})");
  ASSERT_TRUE(vllm.has_value());
  EXPECT_EQ(vllm->reasoning, "Thinking");
  EXPECT_EQ(vllm->finish_reason, FinishReason::kLength);

  StreamAssembler assembler;
  ASSERT_TRUE(assembler.Feed(R"({"choices":[{"index":0,"delta":{"reasoning":"a"}}]})"));
  ASSERT_TRUE(assembler.Feed(R"({"choices":[{"index":0,"delta":{"reasoning_content":"b"}}]})"));
  ASSERT_TRUE(assembler.Feed(R"({"choices":[{"index":0,"delta":{"content":"c"}}]})"));
  ASSERT_TRUE(assembler.Feed("[DONE]"));
  EXPECT_EQ(assembler.Finish()->reasoning, "ab");
  EXPECT_EQ(assembler.Finish()->content, "c");
}

TEST(EncodeChatRequestTest, RejectsBadSchemasAndUnknownForcedTool) {
  ChatRequest request = ToolRequest();
  request.tools[0].parameters_json = "{not json";
  Result<std::string> bad = EncodeChatRequest(request, {});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("vote"), std::string::npos);

  request = ToolRequest();
  request.forced_tool = "missing";
  EXPECT_EQ(EncodeChatRequest(request, {}).error().code, ErrorCode::kInvalidArgument);

  request = ToolRequest();
  request.response_schema_json = "[1]";
  EXPECT_EQ(EncodeChatRequest(request, {}).error().code, ErrorCode::kInvalidArgument);
}

TEST(EncodeChatRequestTest, ResponseFormatJsonSchemaStrictExceptGemini) {
  ChatRequest request{.model = "m", .messages = {Message::User("claim")}};
  request.response_schema_json = kVoteSchema;
  request.response_schema_name = "vote_reply";
  json expected = json::parse(R"({"type":"json_schema","json_schema":{"name":"vote_reply",
      "schema":)" + std::string(kVoteSchema) +
                              R"(,"strict":true}})");
  EXPECT_EQ(Encode(request, WireOptionsFor("groq", false))["response_format"], expected);
  EXPECT_EQ(Encode(request, WireOptionsFor("cerebras", false))["response_format"], expected);
  expected["json_schema"].erase("strict");
  EXPECT_EQ(Encode(request, WireOptionsFor("gemini", false))["response_format"], expected);
}

TEST(EncodeChatRequestTest, MessagesWithToolCallsAndResults) {
  ChatRequest request{.model = "m"};
  request.messages.push_back(Message::User("vote please"));
  Message call{.role = Role::kAssistant};
  call.tool_calls.push_back(
      {.id = "call_1", .name = "vote", .arguments = R"({"choice":"accept"})"});
  call.tool_calls.push_back({.id = "call_2", .name = "pass", .arguments = ""});
  request.messages.push_back(call);
  request.messages.push_back(Message::ToolResult("call_1", "recorded"));
  request.messages.push_back(Message::Assistant("done"));
  json body = Encode(request, {});
  EXPECT_EQ(body["messages"], json::parse(R"([
    {"role":"user","content":"vote please"},
    {"role":"assistant","content":null,"tool_calls":[
      {"id":"call_1","type":"function","function":{"name":"vote","arguments":"{\"choice\":\"accept\"}"}},
      {"id":"call_2","type":"function","function":{"name":"pass","arguments":"{}"}}]},
    {"role":"tool","content":"recorded","tool_call_id":"call_1"},
    {"role":"assistant","content":"done"}
  ])"));
}

TEST(EncodeChatRequestTest, StreamOptions) {
  ChatRequest request{.model = "m", .messages = {Message::User("hi")}};
  json body = Encode(request, WireOptionsFor("groq", true));
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["stream_options"], json::parse(R"({"include_usage":true})"));
  WireOptions no_usage{.stream = true, .include_usage = false};
  body = Encode(request, no_usage);
  EXPECT_EQ(body["stream"], true);
  EXPECT_FALSE(body.contains("stream_options"));
}

TEST(EncodeChatRequestTest, InvalidUtf8DoesNotThrow) {
  ChatRequest request{.model = "m", .messages = {Message::User("bad \xff byte")}};
  json body = Encode(request, {});
  EXPECT_EQ(body["messages"][0]["content"], "bad \xEF\xBF\xBD byte");
}

// ---- Decoding ----------------------------------------------------------------------

TEST(DecodeChatResponseTest, PlainText) {
  Result<ChatResponse> reply = DecodeChatResponse(R"({
    "id":"chatcmpl-1","object":"chat.completion","created":1,"model":"llama-3.3-70b",
    "choices":[{"index":0,"message":{"role":"assistant","content":"Hello."},"finish_reason":"stop"}],
    "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15},
    "time_info":{"queue_time":0.1}})");
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(reply->id, "chatcmpl-1");
  EXPECT_EQ(reply->model, "llama-3.3-70b");
  EXPECT_EQ(reply->content, "Hello.");
  EXPECT_EQ(reply->finish_reason, FinishReason::kStop);
  ASSERT_TRUE(reply->usage.has_value());
  EXPECT_EQ(reply->usage->prompt_tokens, 12);
  EXPECT_EQ(reply->usage->completion_tokens, 3);
  EXPECT_TRUE(reply->tool_calls.empty());
}

TEST(DecodeChatResponseTest, ToolCallsWithNullContentAndCerebrasReasoning) {
  Result<ChatResponse> reply = DecodeChatResponse(R"({
    "id":"x","object":"chat.completion","model":"gpt-oss-120b",
    "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant",
      "content":null,"reasoning":"I should vote.",
      "tool_calls":[{"id":"call_a","type":"function","function":{"name":"vote","arguments":"{\"choice\":\"reject\"}"}},
                    {"id":"call_b","type":"function","function":{"name":"pass","arguments":{"k":1}}}]}}]})");
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(reply->content, "");
  EXPECT_EQ(reply->finish_reason, FinishReason::kToolCalls);
  ASSERT_EQ(reply->tool_calls.size(), 2u);
  EXPECT_EQ(reply->tool_calls[0].id, "call_a");
  EXPECT_EQ(reply->tool_calls[0].name, "vote");
  EXPECT_EQ(reply->tool_calls[0].arguments, R"({"choice":"reject"})");
  EXPECT_EQ(reply->tool_calls[1].arguments, R"({"k":1})");
  EXPECT_FALSE(reply->usage.has_value());
}

TEST(DecodeChatResponseTest, UsageFromXGroq) {
  Result<ChatResponse> reply = DecodeChatResponse(R"({"object":"chat.completion",
    "choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"length"}],
    "x_groq":{"id":"req_1","usage":{"queue_time":0.01,"prompt_tokens":20,"completion_tokens":5}}})");
  ASSERT_TRUE(reply.has_value());
  ASSERT_TRUE(reply->usage.has_value());
  EXPECT_EQ(reply->usage->prompt_tokens, 20);
  EXPECT_EQ(reply->usage->completion_tokens, 5);
  EXPECT_EQ(reply->finish_reason, FinishReason::kLength);
}

TEST(DecodeChatResponseTest, FinishReasons) {
  EXPECT_EQ(ParseFinishReason("stop"), FinishReason::kStop);
  EXPECT_EQ(ParseFinishReason("length"), FinishReason::kLength);
  EXPECT_EQ(ParseFinishReason("tool_calls"), FinishReason::kToolCalls);
  EXPECT_EQ(ParseFinishReason("function_call"), FinishReason::kToolCalls);
  EXPECT_EQ(ParseFinishReason("content_filter"), FinishReason::kContentFilter);
  EXPECT_EQ(ParseFinishReason("error"), FinishReason::kUnknown);
  EXPECT_EQ(ParseFinishReason(""), FinishReason::kUnknown);
}

TEST(DecodeChatResponseTest, MalformedBodiesAreInternalWithoutTheBody) {
  const std::string secretish = "SECRET-CONTENT-123";
  const std::string bodies[] = {
      R"({"id":"chatcmpl-1","choices":[{"message":{"content":")" + secretish,  // truncated
      "[\"" + secretish + "\"]",
      R"({"object":")" + secretish + R"(","data":[]})",
      R"({"choices":[]})",
      R"({"choices":[{"index":0,"text":")" + secretish + R"("}]})",
      "",
  };
  for (const std::string& body : bodies) {
    Result<ChatResponse> reply = DecodeChatResponse(body);
    ASSERT_FALSE(reply.has_value()) << body;
    EXPECT_EQ(reply.error().code, ErrorCode::kInternal) << body;
    EXPECT_EQ(reply.error().message.find(secretish), std::string::npos) << reply.error().message;
    EXPECT_FALSE(reply.error().message.empty());
  }
}

TEST(DecodeChatResponseTest, ErrorObjectInA200Body) {
  Result<ChatResponse> reply =
      DecodeChatResponse(R"({"error":{"message":"Provider returned error","code":502}})");
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(reply.error().message.find("Provider returned error"), std::string::npos);
}

// ---- StreamAssembler ---------------------------------------------------------------

std::string Chunk(const std::string& delta, const std::string& finish = "null",
                  const std::string& extra = "") {
  return R"({"id":"chatcmpl-s","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":)" +
         delta + R"(,"finish_reason":)" + finish + "}]" + extra + "}";
}

struct Collected {
  std::vector<ChatDelta> deltas;
  DeltaCallback callback = [this](const ChatDelta& delta) { deltas.push_back(delta); };
};

// Feeds a whole SSE body through SseParser, in pieces of `piece` bytes.
Result<ChatResponse> Assemble(const std::string& sse, Collected& collected, size_t piece = 7) {
  StreamAssembler assembler(&collected.callback);
  net::SseParser parser;
  auto on_event = [&](const net::SseEvent& event) { (void)assembler.Feed(event.data); };
  for (size_t at = 0; at < sse.size(); at += piece) parser.Feed(sse.substr(at, piece), on_event);
  parser.Finish(on_event);
  return assembler.Finish();
}

std::string Sse(const std::vector<std::string>& events) {
  std::string out;
  for (const std::string& event : events) out += "data: " + event + "\n\n";
  return out;
}

TEST(StreamAssemblerTest, ContentSplitAcrossChunksWithUsageChunk) {
  std::string sse = Sse({
      Chunk(R"({"role":"assistant","content":""})", "null", R"(,"usage":null)"),
      Chunk(R"({"content":"Hel"})", "null", R"(,"usage":null)"),
      Chunk(R"({"content":"lo, "})", "null", R"(,"usage":null)"),
      Chunk(R"({"content":"world"})", "null", R"(,"usage":null)"),
      Chunk(R"({})", R"("stop")", R"(,"usage":null)"),
      R"({"id":"chatcmpl-s","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}})",
      "[DONE]",
  });
  Collected collected;
  Result<ChatResponse> reply = Assemble(sse, collected);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(reply->content, "Hello, world");
  EXPECT_EQ(reply->id, "chatcmpl-s");
  EXPECT_EQ(reply->model, "m");
  EXPECT_EQ(reply->finish_reason, FinishReason::kStop);
  ASSERT_TRUE(reply->usage.has_value());
  EXPECT_EQ(reply->usage->prompt_tokens, 9);
  EXPECT_EQ(reply->usage->completion_tokens, 4);
  ASSERT_EQ(collected.deltas.size(), 3u);
  EXPECT_EQ(collected.deltas[0].content, "Hel");
  EXPECT_EQ(collected.deltas[2].content, "world");
}

TEST(StreamAssemblerTest, TwoToolCallsInterleavedByIndex) {
  std::string sse = Sse({
      Chunk(
          R"({"role":"assistant","tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"vote","arguments":""}}]})"),
      Chunk(
          R"({"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"pass","arguments":"{\"r"}}]})"),
      Chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"choice\":"}}]})"),
      Chunk(R"({"tool_calls":[{"index":1,"function":{"arguments":"\":1}"}}]})"),
      Chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"\"accept\"}"}}]})"),
      Chunk(R"({})", R"("tool_calls")"),
      "[DONE]",
  });
  Collected collected;
  Result<ChatResponse> reply = Assemble(sse, collected, 5);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  ASSERT_EQ(reply->tool_calls.size(), 2u);
  EXPECT_EQ(reply->tool_calls[0].id, "call_a");
  EXPECT_EQ(reply->tool_calls[0].name, "vote");
  EXPECT_EQ(reply->tool_calls[0].arguments, R"({"choice":"accept"})");
  EXPECT_EQ(reply->tool_calls[1].id, "call_b");
  EXPECT_EQ(reply->tool_calls[1].name, "pass");
  EXPECT_EQ(reply->tool_calls[1].arguments, R"({"r":1})");
  EXPECT_EQ(reply->finish_reason, FinishReason::kToolCalls);
  EXPECT_FALSE(reply->usage.has_value());
  ASSERT_EQ(collected.deltas.size(), 5u);
  EXPECT_EQ(collected.deltas[0].tool_index, 0);
  EXPECT_EQ(collected.deltas[0].tool_name, "vote");
  EXPECT_EQ(collected.deltas[0].tool_call_id, "call_a");
  EXPECT_EQ(collected.deltas[1].tool_index, 1);
  EXPECT_EQ(collected.deltas[2].tool_index, 0);
  EXPECT_EQ(collected.deltas[2].tool_name, "");
  EXPECT_EQ(collected.deltas[2].tool_arguments, R"({"choice":)");
}

TEST(StreamAssemblerTest, ToolCallsWithoutIndex) {
  std::string sse = Sse({
      Chunk(
          R"({"tool_calls":[{"id":"g1","type":"function","function":{"name":"vote","arguments":"{\"choice\":\"accept\"}"}},)"
          R"({"id":"g2","type":"function","function":{"name":"pass","arguments":"{}"}}]})",
          R"("tool_calls")"),
      "[DONE]",
  });
  Collected collected;
  Result<ChatResponse> reply = Assemble(sse, collected);
  ASSERT_TRUE(reply.has_value());
  ASSERT_EQ(reply->tool_calls.size(), 2u);
  EXPECT_EQ(reply->tool_calls[0].name, "vote");
  EXPECT_EQ(reply->tool_calls[1].id, "g2");
}

TEST(StreamAssemblerTest, GroqUsageInXGroqOfTheLastChunk) {
  std::string sse = Sse({
      Chunk(R"({"content":"ok"})"),
      Chunk(
          R"({})", R"("stop")",
          R"(,"x_groq":{"id":"req_1","usage":{"prompt_tokens":30,"completion_tokens":2,"total_tokens":32}})"),
      "[DONE]",
  });
  Collected collected;
  Result<ChatResponse> reply = Assemble(sse, collected);
  ASSERT_TRUE(reply.has_value());
  ASSERT_TRUE(reply->usage.has_value());
  EXPECT_EQ(reply->usage->prompt_tokens, 30);
  EXPECT_EQ(reply->usage->completion_tokens, 2);
}

TEST(StreamAssemblerTest, KeepsTheLastUsageSeen) {
  std::string sse = Sse({
      Chunk(R"({"content":"a"})", "null", R"(,"usage":{"prompt_tokens":1,"completion_tokens":1})"),
      Chunk(R"({})", R"("stop")", R"(,"usage":{"prompt_tokens":8,"completion_tokens":3})"),
      R"({"choices":[],"usage":null})",
      "[DONE]",
  });
  Collected collected;
  Result<ChatResponse> reply = Assemble(sse, collected);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->usage->prompt_tokens, 8);
  EXPECT_EQ(reply->usage->completion_tokens, 3);
}

TEST(StreamAssemblerTest, OpenRouterCommentsAndMidStreamError) {
  std::string sse =
      ": OPENROUTER PROCESSING\n\n" + Sse({Chunk(R"({"role":"assistant","content":"Par"})")}) +
      ": OPENROUTER PROCESSING\n\n" +
      Sse({Chunk(R"({"content":"tial"})"),
           R"({"id":"x","object":"chat.completion.chunk","error":{"code":"server_error","message":"Provider disconnected unexpectedly"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]})",
           Chunk(R"({"content":"ignored"})"), "[DONE]"});
  Collected collected;
  Result<ChatResponse> reply = Assemble(sse, collected, 11);
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(reply.error().message.find("Provider disconnected unexpectedly"), std::string::npos);
  ASSERT_EQ(collected.deltas.size(), 2u);  // nothing after the error
  EXPECT_EQ(collected.deltas[1].content, "tial");
}

TEST(StreamAssemblerTest, NumericErrorCodeMapsLikeAStatus) {
  StreamAssembler assembler;
  Result<void> fed =
      assembler.Feed(R"({"error":{"code":429,"message":"Rate limit exceeded upstream"}})");
  ASSERT_FALSE(fed.has_value());
  EXPECT_EQ(fed.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(assembler.Finish().error().code, ErrorCode::kResourceExhausted);
  EXPECT_FALSE(assembler.delta_delivered());
}

TEST(StreamAssemblerTest, CutStreamWithoutDone) {
  std::string sse = Sse({Chunk(R"({"content":"Hal"})"), Chunk(R"({"content":"f"})")});
  Collected collected;
  StreamAssembler assembler(&collected.callback);
  net::SseParser parser;
  auto on_event = [&](const net::SseEvent& event) { (void)assembler.Feed(event.data); };
  parser.Feed(sse, on_event);
  parser.Finish(on_event);
  Result<ChatResponse> reply = assembler.Finish();
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(reply.error().message, "stream ended without [DONE]");
  EXPECT_TRUE(assembler.delta_delivered());
  EXPECT_FALSE(assembler.done());
  EXPECT_EQ(collected.deltas.size(), 2u);
}

TEST(StreamAssemblerTest, MalformedChunkIsInternalAndStopsTheStream) {
  StreamAssembler assembler;
  ASSERT_TRUE(assembler.Feed(Chunk(R"({"content":"a"})")).has_value());
  EXPECT_TRUE(assembler.delta_delivered());  // counted even without a callback
  Result<void> bad = assembler.Feed(R"({"choices":[{"delta":{"content":"SECRET-ish)");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInternal);
  EXPECT_EQ(bad.error().message.find("SECRET"), std::string::npos);
  EXPECT_FALSE(assembler.Feed("[DONE]").has_value());
  EXPECT_EQ(assembler.Finish().error().code, ErrorCode::kInternal);
}

TEST(StreamAssemblerTest, DataAfterDoneIsIgnored) {
  StreamAssembler assembler;
  ASSERT_TRUE(assembler.Feed(Chunk(R"({"content":"x"})", R"("stop")")).has_value());
  ASSERT_TRUE(assembler.Feed("[DONE]").has_value());
  ASSERT_TRUE(assembler.Feed(Chunk(R"({"content":"late"})")).has_value());
  Result<ChatResponse> reply = assembler.Finish();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->content, "x");
}

}  // namespace
}  // namespace hfs::llm
