#include "hfs/llm/chat_span.h"

#include <gtest/gtest.h>

#include "hfs/testing/fake_clock.h"
#include "hfs/testing/in_memory_exporter.h"
#include "hfs/trace/metrics.h"
#include "hfs/trace/simple_processor.h"
#include "hfs/trace/tracer.h"

namespace hfs::llm {
namespace {

using trace::AttributeValue;
using trace::FindAttribute;

class ChatSpanTest : public ::testing::Test {
 protected:
  ChatSpanTest() { tracer_.AddProcessor(std::make_shared<trace::SimpleProcessor>(exporter_)); }

  ProviderCall Call(CallStatus status, int http_status) {
    trace::Span agent = tracer_.StartSpan("invoke_agent layout_orchestrator");
    parent_ = agent.context();
    return ProviderCall{
        .request_id = "req-1",
        .time = clock_.Now(),
        .provider = "groq",
        .model_requested = "llama-3.3-70b-versatile",
        .model_answered = status == CallStatus::kOk ? "llama-3.3-70b-versatile" : "",
        .key_id = "groq:0:ab12cd",
        .status = status,
        .http_status = http_status,
        .prompt_tokens = status == CallStatus::kOk ? 120 : 0,
        .completion_tokens = status == CallStatus::kOk ? 30 : 0,
        .latency = std::chrono::milliseconds(250),
        .context = {.run_id = "r1",
                    .triad = "layout",
                    .role = "orchestrator",
                    .phase = "deliberation",
                    .trace = {.tracer = &tracer_, .metrics = &metrics_, .parent = parent_}}};
  }

  const trace::SpanData* Chat() { return exporter_->FindByName("chat llama-3.3-70b-versatile"); }

  testing::FakeClock clock_;
  std::shared_ptr<testing::InMemoryExporter> exporter_ =
      std::make_shared<testing::InMemoryExporter>();
  trace::Tracer tracer_{clock_, trace::Resource{.service_name = "hfs"}};
  trace::MetricsRegistry metrics_{clock_};
  trace::SpanContext parent_;
  ChatRequest request_{.model = "llama-3.3-70b-versatile",
                       .messages = {Message::User("Claim the hero section.")},
                       .max_tokens = 800};
};

TEST_F(ChatSpanTest, SuccessfulCallIsAClientSpanWithGenAiAttributes) {
  ProviderCall call = Call(CallStatus::kOk, 200);
  ProviderReply reply{.http_status = 200,
                      .response = ChatResponse{.id = "chatcmpl-9", .content = "done"},
                      .latency = call.latency};
  TraceProviderCall(call, request_, reply, "https://api.groq.com/openai/v1");
  const trace::SpanData* span = Chat();
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(span->kind, trace::SpanKind::kClient);
  EXPECT_EQ(span->parent_span_id, parent_.span_id);
  EXPECT_EQ(span->end_time - span->start_time, std::chrono::milliseconds(250));
  const trace::Attributes& a = span->attributes;
  EXPECT_EQ(*FindAttribute(a, "gen_ai.operation.name"), AttributeValue("chat"));
  EXPECT_EQ(*FindAttribute(a, "gen_ai.provider.name"), AttributeValue("groq"));
  EXPECT_EQ(*FindAttribute(a, "gen_ai.usage.input_tokens"), AttributeValue(int64_t{120}));
  EXPECT_EQ(*FindAttribute(a, "gen_ai.usage.output_tokens"), AttributeValue(int64_t{30}));
  EXPECT_EQ(*FindAttribute(a, "server.address"), AttributeValue("api.groq.com"));
  EXPECT_EQ(*FindAttribute(a, "server.port"), AttributeValue(int64_t{443}));
  EXPECT_EQ(*FindAttribute(a, "hfs.key.id"), AttributeValue("groq:0:ab12cd"));
  EXPECT_EQ(*FindAttribute(a, "hfs.request.id"), AttributeValue("req-1"));
  EXPECT_EQ(*FindAttribute(a, "gen_ai.request.max_tokens"), AttributeValue(int64_t{800}));
  EXPECT_EQ(FindAttribute(a, "error.type"), nullptr);
  // Content stays out unless asked for.
  EXPECT_EQ(FindAttribute(a, "gen_ai.input.messages"), nullptr);
  EXPECT_NE(metrics_.Snapshot().Find("gen_ai.client.token.usage"), nullptr);
}

TEST_F(ChatSpanTest, RateLimitedCallHasErrorTypeAndStatus) {
  ProviderCall call = Call(CallStatus::kRateLimited, 429);
  ProviderReply reply{.http_status = 429,
                      .error = Error{ErrorCode::kResourceExhausted, "rate limited"},
                      .latency = call.latency};
  TraceProviderCall(call, request_, reply, "http://127.0.0.1:8080/v1");
  const trace::SpanData* span = Chat();
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(*FindAttribute(span->attributes, "error.type"), AttributeValue("429"));
  EXPECT_EQ(span->status.code, trace::StatusCode::kError);
  EXPECT_EQ(*FindAttribute(span->attributes, "server.port"), AttributeValue(int64_t{8080}));
  EXPECT_EQ(FindAttribute(span->attributes, "gen_ai.usage.input_tokens"), nullptr);
  const trace::MetricData* limited = metrics_.Snapshot().Find("hfs.llm.rate_limited");
  ASSERT_NE(limited, nullptr);
}

TEST_F(ChatSpanTest, ContentOnlyWhenIncluded) {
  ProviderCall call = Call(CallStatus::kOk, 200);
  call.context.trace.include_content = true;
  ProviderReply reply{.http_status = 200, .response = ChatResponse{.content = "I claim hero."}};
  TraceProviderCall(call, request_, reply, "http://localhost/v1");
  const trace::SpanData* span = Chat();
  ASSERT_NE(span, nullptr);
  const auto* input =
      std::get_if<std::string>(FindAttribute(span->attributes, "gen_ai.input.messages"));
  ASSERT_NE(input, nullptr);
  EXPECT_NE(input->find("Claim the hero section."), std::string::npos);
  const auto* output =
      std::get_if<std::string>(FindAttribute(span->attributes, "gen_ai.output.messages"));
  ASSERT_NE(output, nullptr);
  EXPECT_NE(output->find("I claim hero."), std::string::npos);
}

TEST_F(ChatSpanTest, ReasoningIsCountedAndItsTextOnlyKeptWithContent) {
  ChatResponse response{.content = "done", .reasoning = "Let me think about the hero."};
  response.usage = Usage{.prompt_tokens = 120, .completion_tokens = 30, .reasoning_tokens = 22};
  ProviderReply reply{.http_status = 200, .response = response};
  TraceProviderCall(Call(CallStatus::kOk, 200), request_, reply, "http://localhost/v1");
  const trace::SpanData* span = Chat();
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(*FindAttribute(span->attributes, "hfs.usage.reasoning_tokens"),
            AttributeValue(int64_t{22}));
  EXPECT_EQ(FindAttribute(span->attributes, "hfs.response.reasoning"), nullptr);

  exporter_->Clear();
  ProviderCall with_content = Call(CallStatus::kOk, 200);
  with_content.context.trace.include_content = true;
  TraceProviderCall(with_content, request_, reply, "http://localhost/v1");
  span = Chat();
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(*FindAttribute(span->attributes, "hfs.response.reasoning"),
            AttributeValue("Let me think about the hero."));
}

TEST(ServerAddressTest, HostAndPort) {
  EXPECT_EQ(ParseServerAddress("https://api.cerebras.ai/v1").host, "api.cerebras.ai");
  EXPECT_EQ(ParseServerAddress("https://api.cerebras.ai/v1").port, 443);
  EXPECT_EQ(ParseServerAddress("http://127.0.0.1:4010/groq/v1").port, 4010);
  EXPECT_EQ(ParseServerAddress("http://127.0.0.1:4010/groq/v1").host, "127.0.0.1");
  EXPECT_EQ(ParseServerAddress("http://user:pw@host:99/x").host, "host");
}

}  // namespace
}  // namespace hfs::llm
