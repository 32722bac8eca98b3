#include "hfs/trace/otlp_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "hfs/trace/attribute_json.h"

namespace hfs::trace {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

SpanData SampleSpan() {
  SpanData span;
  span.trace_id = *TraceIdFromHex("4bf92f3577b34da6a3ce929d0e0e4736");
  span.span_id = *SpanIdFromHex("00f067aa0ba902b7");
  span.parent_span_id = *SpanIdFromHex("53995c3f42cd8ad8");
  span.name = "chat llama-3.3-70b";
  span.kind = SpanKind::kClient;
  span.start_time = Timestamp(Duration(1718000000000000000));
  span.end_time = Timestamp(Duration(1718000001200000000));
  span.attributes = {{"gen_ai.operation.name", "chat"}, {"gen_ai.usage.input_tokens", 812}};
  span.events = {{"exception", span.end_time, {{"exception.type", "UNAVAILABLE"}}}};
  span.status = {StatusCode::kError, "UNAVAILABLE: down"};
  return span;
}

struct EncodingCase {
  const char* name;
  Attribute attribute;
  const char* expected_value;  // JSON of the "value" member
};

TEST(OtlpJsonTest, AttributeValueEncodingTable) {
  const char* c_string = "groq";
  const EncodingCase cases[] = {
      {"c_string", {"k", c_string}, R"({"stringValue":"groq"})"},
      {"literal", {"k", "chat"}, R"({"stringValue":"chat"})"},
      {"bool", {"k", true}, R"({"boolValue":true})"},
      {"int", {"k", 812}, R"({"intValue":"812"})"},
      {"int64_max", {"k", int64_t{9223372036854775807}}, R"({"intValue":"9223372036854775807"})"},
      {"negative", {"k", -3}, R"({"intValue":"-3"})"},
      {"double", {"k", 0.25}, R"({"doubleValue":0.25})"},
      {"nan", {"k", std::nan("")}, R"({"doubleValue":"NaN"})"},
      {"strings",
       {"k", std::vector<std::string>{"tool_calls", "stop"}},
       R"({"arrayValue":{"values":[{"stringValue":"tool_calls"},{"stringValue":"stop"}]}})"},
      {"ints",
       {"k", std::vector<int64_t>{1, 2}},
       R"({"arrayValue":{"values":[{"intValue":"1"},{"intValue":"2"}]}})"},
      {"doubles",
       {"k", std::vector<double>{1.5}},
       R"({"arrayValue":{"values":[{"doubleValue":1.5}]}})"},
      {"empty", {"k", std::vector<std::string>{}}, R"({"arrayValue":{"values":[]}})"},
  };
  for (const EncodingCase& c : cases) {
    EXPECT_EQ(AttributeValueToJson(c.attribute.value).dump(), c.expected_value) << c.name;
    Result<AttributeValue> back = AttributeValueFromJson(json::parse(c.expected_value), "v");
    ASSERT_TRUE(back.has_value()) << c.name << ": " << back.error().ToString();
    if (std::string_view(c.name) == "nan") {
      EXPECT_TRUE(std::isnan(std::get<double>(*back)));
    } else {
      EXPECT_EQ(*back, c.attribute.value) << c.name;
    }
  }
}

TEST(OtlpJsonTest, DecoderAcceptsIntValueAsNumber) {
  Result<AttributeValue> value = AttributeValueFromJson(json::parse(R"({"intValue":5})"), "v");
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(*value, AttributeValue(int64_t{5}));
}

TEST(OtlpJsonTest, EncodeTracesShape) {
  SpanData child = SampleSpan();
  SpanData root = SampleSpan();
  root.parent_span_id = {};
  std::vector<SpanData> spans = {child, root};
  json doc = json::parse(EncodeTraces(Resource{"hfs", "0.1.0", {{"host.name", "h"}}}, spans));
  const json& resource_spans = doc["resourceSpans"][0];
  EXPECT_EQ(resource_spans["resource"]["attributes"],
            json::parse(R"([{"key":"service.name","value":{"stringValue":"hfs"}},
                            {"key":"service.version","value":{"stringValue":"0.1.0"}},
                            {"key":"host.name","value":{"stringValue":"h"}}])"));
  const json& scope = resource_spans["scopeSpans"][0];
  EXPECT_EQ(scope["scope"], json::parse(R"({"name":"hfs","version":"0.1.0"})"));
  const json& span = scope["spans"][0];
  EXPECT_EQ(span["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(span["spanId"], "00f067aa0ba902b7");
  EXPECT_EQ(span["parentSpanId"], "53995c3f42cd8ad8");
  EXPECT_EQ(span["kind"], 3);
  EXPECT_EQ(span["startTimeUnixNano"], "1718000000000000000");
  EXPECT_EQ(span["endTimeUnixNano"], "1718000001200000000");
  EXPECT_EQ(span["attributes"][1]["value"]["intValue"], "812");
  EXPECT_EQ(span["events"][0]["timeUnixNano"], "1718000001200000000");
  EXPECT_EQ(span["status"], json::parse(R"({"code":2,"message":"UNAVAILABLE: down"})"));
  EXPECT_FALSE(scope["spans"][1].contains("parentSpanId"));
}

TEST(OtlpJsonTest, RoundTripKeepsEveryField) {
  std::vector<SpanData> spans = {SampleSpan()};
  spans[0].attributes.emplace_back("flags", std::vector<double>{0.5, 2});
  spans[0].attributes.emplace_back("ok", false);
  Result<std::vector<SpanData>> back = DecodeTraces(EncodeTraces(Resource{}, spans));
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(*back, spans);
}

TEST(OtlpJsonTest, StringsAreEscapedAndInvalidUtf8Replaced) {
  SpanData span = SampleSpan();
  span.name = "say \"hi\"\n\tto \\ \xce\xb1\x01";
  span.attributes = {{"k\"ey", "bad \xff byte"}, {"t", std::string("nul\0in", 6)}};
  span.status.message = "line1\nline2";
  std::string text = EncodeTraces(Resource{}, std::vector<SpanData>{span});
  EXPECT_TRUE(json::accept(text)) << text;
  auto back = DecodeTraces(text);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0].name, span.name);
  EXPECT_EQ((*back)[0].status, span.status);
  EXPECT_EQ((*back)[0].attributes[0].key, "k\"ey");
  EXPECT_EQ((*back)[0].attributes[0].value, AttributeValue("bad \xef\xbf\xbd byte"));
  EXPECT_EQ((*back)[0].attributes[1].value, AttributeValue(std::string("nul\0in", 6)));
}

TEST(OtlpJsonTest, SpanJsonRoundTripsOneSpan) {
  SpanData span = SampleSpan();
  std::string text = EncodeSpanJson(span);
  EXPECT_EQ(json::parse(text)["spanId"], "00f067aa0ba902b7");
  auto back = DecodeSpanJson(text);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(*back, span);
  EXPECT_EQ(DecodeSpanJson("{").error().code, ErrorCode::kDataLoss);
  EXPECT_THAT(DecodeSpanJson("{}").error().message, HasSubstr("span: missing field"));
}

TEST(OtlpJsonTest, DecodeAcceptsEmptyParentAndMissingOptionalFields) {
  Result<std::vector<SpanData>> spans = DecodeTraces(R"({"resourceSpans":[{"scopeSpans":[{"spans":[
      {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7",
       "parentSpanId":"","name":"x","startTimeUnixNano":1,"endTimeUnixNano":"2"}]}]}]})");
  ASSERT_TRUE(spans.has_value()) << spans.error().ToString();
  ASSERT_EQ(spans->size(), 1u);
  EXPECT_TRUE((*spans)[0].IsRoot());
  EXPECT_EQ((*spans)[0].kind, SpanKind::kInternal);
  EXPECT_EQ((*spans)[0].status.code, StatusCode::kUnset);
  EXPECT_EQ(UnixNanos((*spans)[0].end_time), 2);
}

struct DecodeErrorCase {
  const char* name;
  std::string input;
  ErrorCode code;
  const char* message_part;
};

std::string WithSpan(const std::string& span_fields) {
  return R"({"resourceSpans":[{"scopeSpans":[{"spans":[{)" + span_fields + "}]}]}]}";
}

TEST(OtlpJsonTest, DecodeErrorsNameTheProblem) {
  const std::string ids =
      R"("traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7")";
  const std::string times = R"("startTimeUnixNano":"1","endTimeUnixNano":"2")";
  const DecodeErrorCase cases[] = {
      {"not json", "{resourceSpans", ErrorCode::kDataLoss, "not valid JSON"},
      {"not object", "[1]", ErrorCode::kInvalidArgument, "ExportTraceServiceRequest"},
      {"no resourceSpans", "{}", ErrorCode::kInvalidArgument, "missing field \"resourceSpans\""},
      {"no scopeSpans", R"({"resourceSpans":[{}]})", ErrorCode::kInvalidArgument,
       "resourceSpans[0]: missing field \"scopeSpans\""},
      {"no name", WithSpan(ids + "," + times), ErrorCode::kInvalidArgument,
       "resourceSpans[0].scopeSpans[0].spans[0]: missing field \"name\""},
      {"bad trace id",
       WithSpan(R"("traceId":"xyz","spanId":"00f067aa0ba902b7","name":"n",)" + times),
       ErrorCode::kInvalidArgument, "spans[0].traceId: expected 32 hex characters, got \"xyz\""},
      {"bad span id",
       WithSpan(
           R"("traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902bz","name":"n",)" +
           times),
       ErrorCode::kInvalidArgument, "spans[0].spanId: expected 16 hex characters"},
      {"bad time",
       WithSpan(ids + R"(,"name":"n","startTimeUnixNano":"soon","endTimeUnixNano":"2")"),
       ErrorCode::kInvalidArgument, "startTimeUnixNano: expected a 64-bit integer"},
      {"bad kind", WithSpan(ids + R"(,"name":"n","kind":9,)" + times), ErrorCode::kInvalidArgument,
       "spans[0].kind: expected an integer 0..5"},
      {"bad attribute",
       WithSpan(ids + R"(,"name":"n",)" + times + R"(,"attributes":[{"key":"a"}])"),
       ErrorCode::kInvalidArgument, "spans[0].attributes[0].value: missing"},
      {"mixed array",
       WithSpan(
           ids + R"(,"name":"n",)" + times +
           R"(,"attributes":[{"key":"a","value":{"arrayValue":{"values":[{"intValue":"1"},{"stringValue":"x"}]}}}])"),
       ErrorCode::kInvalidArgument, "values[1]: array elements must all be intValue"},
  };
  for (const DecodeErrorCase& c : cases) {
    Result<std::vector<SpanData>> result = DecodeTraces(c.input);
    ASSERT_FALSE(result.has_value()) << c.name;
    EXPECT_EQ(result.error().code, c.code) << c.name;
    EXPECT_THAT(result.error().message, HasSubstr(c.message_part)) << c.name;
  }
}

}  // namespace
}  // namespace hfs::trace
