#include "hfs/app/provider_probe.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "hfs/base/try.h"
#include "hfs/keys/rate_limit_signal.h"
#include "hfs/llm/provider_client.h"

namespace hfs::app {
namespace {

using nlohmann::json;

constexpr char kNamed[] = "named_tool_choice";
constexpr char kRequired[] = "required_tool_choice";
constexpr char kStrict[] = "strict_json_schema";
constexpr char kStreaming[] = "streaming_usage";
constexpr char kParallel[] = "parallel_tool_calls";
constexpr char kEffort[] = "reasoning_effort";

constexpr char kForcedTool[] = "pick_blue";
constexpr char kReasonSchema[] =
    R"({"type":"object","properties":{"reason":{"type":"string"}},"required":["reason"]})";
constexpr char kAnswerSchema[] =
    R"({"type":"object","properties":{"color":{"type":"string","enum":["red","blue"]},)"
    R"("count":{"type":"integer"}},"required":["color","count"],"additionalProperties":false})";

// `text` on one line, at most `max` characters.
std::string Short(std::string text, size_t max = 100) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (text.size() > max) text = text.substr(0, max) + "...";
  return text;
}

bool Refused(int http_status) {
  return http_status == 400 || http_status == 413 || http_status == 422;
}

// A reply without a response: a refusal means the server does not take the form; any
// other failure says nothing about it.
CapabilityVerdict Unanswered(std::string name, const ProbeReply& reply) {
  if (Refused(reply.http_status)) {
    return {std::move(name), Verdict::kNotHonoured, "rejected: " + Short(reply.error)};
  }
  return {std::move(name), Verdict::kNotProbed, Short(reply.error)};
}

// What a reply did: "pick_red", "pick_red, pick_blue", "text" or "an empty reply".
std::string Got(const llm::ChatResponse& response) {
  if (response.tool_calls.empty()) return response.content.empty() ? "an empty reply" : "text";
  std::string names;
  for (const llm::ToolCall& call : response.tool_calls) {
    names += (names.empty() ? "" : ", ") + (call.name.empty() ? "a nameless call" : call.name);
  }
  return names;
}

// Why `value` does not match kAnswerSchema; nullopt when it does.
std::optional<std::string> AnswerMismatch(const json& value) {
  if (!value.is_object()) return std::string("not an object");
  for (const auto& [key, member] : value.items()) {
    if (key != "color" && key != "count") return "extra property '" + key + "'";
  }
  auto color = value.find("color");
  if (color == value.end() || !color->is_string() || (*color != "red" && *color != "blue")) {
    return std::string("color missing or not red/blue");
  }
  auto count = value.find("count");
  if (count == value.end() || !count->is_number_integer()) {
    return std::string("count missing or not an integer");
  }
  return std::nullopt;
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kHonoured:
      return "honoured";
    case Verdict::kNotHonoured:
      return "not honoured";
    case Verdict::kNotProbed:
      return "not probed";
  }
  return "not probed";
}

CapabilityVerdict NamedToolChoiceVerdict(const std::vector<ProbeReply>& attempts) {
  if (attempts.empty()) return {kNamed, Verdict::kNotProbed, "no attempt was made"};
  for (const ProbeReply& reply : attempts) {
    if (!reply.response) return Unanswered(kNamed, reply);
    const std::vector<llm::ToolCall>& calls = reply.response->tool_calls;
    const bool forced =
        !calls.empty() && std::all_of(calls.begin(), calls.end(),
                                      [](const auto& c) { return c.name == kForcedTool; });
    if (!forced) {
      return {kNamed, Verdict::kNotHonoured,
              fmt::format("asked for {}, got {}", kForcedTool, Got(*reply.response))};
    }
  }
  return {kNamed, Verdict::kHonoured,
          attempts.size() == 1 ? fmt::format("asked for {}, got it", kForcedTool)
                               : fmt::format("asked for {} {} times, got it each time", kForcedTool,
                                             attempts.size())};
}

CapabilityVerdict RequiredToolChoiceVerdict(const ProbeReply& reply) {
  if (!reply.response) return Unanswered(kRequired, reply);
  const bool called = !reply.response->tool_calls.empty();
  return {kRequired, called ? Verdict::kHonoured : Verdict::kNotHonoured,
          fmt::format("chit-chat with \"required\", got {}{}", called ? "a call to " : "",
                      Got(*reply.response))};
}

CapabilityVerdict StrictJsonSchemaVerdict(const ProbeReply& reply) {
  if (!reply.response) return Unanswered(kStrict, reply);
  const std::string& content = reply.response->content;
  const json value = json::parse(content, nullptr, false);
  if (value.is_discarded()) {
    return {kStrict, Verdict::kNotHonoured,
            "accepted, but the reply is not JSON: " + Short(content, 40)};
  }
  if (std::optional<std::string> why = AnswerMismatch(value)) {
    return {kStrict, Verdict::kNotHonoured, "accepted, but the reply breaks the schema: " + *why};
  }
  return {kStrict, Verdict::kHonoured, "accepted, and the reply matches the schema"};
}

CapabilityVerdict StreamingUsageVerdict(const ProbeReply& reply) {
  if (!reply.response) return Unanswered(kStreaming, reply);
  if (!reply.response->usage) {
    return {kStreaming, Verdict::kNotHonoured, "the stream ended without usage"};
  }
  return {kStreaming, Verdict::kHonoured,
          fmt::format("usage arrived in the stream ({} prompt tokens)",
                      reply.response->usage->prompt_tokens)};
}

CapabilityVerdict ParallelToolCallsVerdict(const ProbeReply& reply) {
  if (!reply.response) return Unanswered(kParallel, reply);
  const size_t calls = reply.response->tool_calls.size();
  const Verdict verdict = calls >= 2   ? Verdict::kHonoured
                          : calls == 1 ? Verdict::kNotHonoured
                                       : Verdict::kNotProbed;
  return {kParallel, verdict,
          calls == 0 ? "asked for two calls in one reply, got " + Got(*reply.response)
                     : fmt::format("asked for two calls in one reply, got {}", calls)};
}

CapabilityVerdict ReasoningEffortVerdict(const ProbeReply& reply) {
  if (reply.response) {
    return {kEffort, Verdict::kHonoured, "top-level reasoning_effort \"low\" accepted"};
  }
  if (Refused(reply.http_status) && reply.error.find("reasoning") != std::string::npos) {
    return {kEffort, Verdict::kNotHonoured, "rejected: " + Short(reply.error)};
  }
  CapabilityVerdict verdict = Unanswered(kEffort, reply);
  verdict.verdict = Verdict::kNotProbed;  // a refusal that does not name the field
  return verdict;
}

llm::Capabilities ApplyVerdicts(const llm::Capabilities& before,
                                const std::vector<CapabilityVerdict>& verdicts) {
  llm::Capabilities out = before;
  for (const CapabilityVerdict& v : verdicts) {
    if (v.verdict == Verdict::kNotProbed) continue;
    const bool on = v.verdict == Verdict::kHonoured;
    if (v.name == kNamed) out.named_tool_choice = on;
    if (v.name == kRequired) out.required_tool_choice = on;
    if (v.name == kStrict) out.strict_json_schema = on;
    if (v.name == kStreaming) out.streaming_usage = on;
    if (v.name == kParallel) out.parallel_tool_calls = on;
    if (v.name == kEffort)
      out.reasoning_effort = on ? llm::EffortForm::kTopLevel : llm::EffortForm::kNone;
  }
  return out;
}

json CapabilitiesJson(const llm::Capabilities& caps) {
  const char* effort = caps.reasoning_effort == llm::EffortForm::kTopLevel ? "top_level"
                       : caps.reasoning_effort == llm::EffortForm::kNested ? "nested"
                                                                           : "none";
  return json{{kNamed, caps.named_tool_choice},      {kRequired, caps.required_tool_choice},
              {kStrict, caps.strict_json_schema},    {kStreaming, caps.streaming_usage},
              {kParallel, caps.parallel_tool_calls}, {kEffort, effort}};
}

std::string CapabilitiesYaml(const llm::Capabilities& caps) {
  const json values = CapabilitiesJson(caps);
  std::string out = "capabilities:\n";
  for (const char* key : {kNamed, kRequired, kStrict, kStreaming, kParallel, kEffort}) {
    const json& value = values[key];
    out += fmt::format(
        "  {}: {}\n", key,
        value.is_boolean() ? (value.get<bool>() ? "true" : "false") : value.get<std::string>());
  }
  return out;
}

namespace {

enum class Streamed { kNo, kYes };

llm::ChatRequest Ask(const std::string& model, std::string text, int max_tokens) {
  return {
      .model = model, .messages = {llm::Message::User(std::move(text))}, .max_tokens = max_tokens};
}

llm::ToolDefinition Tool(std::string name, std::string description) {
  return {.name = std::move(name),
          .description = std::move(description),
          .parameters_json = kReasonSchema};
}

// Sends probe requests with every capability on, waits out 429s within the bound, and
// turns the replies that end probing into errors.
class Prober {
 public:
  Prober(const ProbeTarget& target, net::Transport& transport, Clock& clock,
         const ProbeOptions& options)
      : target_(target), transport_(transport), clock_(clock), options_(options) {}

  std::string url() const {
    return llm::ProviderClient(target_.provider, transport_, clock_).url();
  }

  Result<ProbeReply> Send(const llm::ChatRequest& request, Streamed streamed,
                          llm::EffortForm effort = llm::EffortForm::kNone) {
    llm::ProviderOptions provider = target_.provider;
    provider.capabilities = {.named_tool_choice = true,
                             .required_tool_choice = true,
                             .strict_json_schema = true,
                             .streaming_usage = true,
                             .parallel_tool_calls = true,
                             .reasoning_effort = effort};
    const llm::ProviderClient client(provider, transport_, clock_,
                                     {.timeout = options_.request_timeout});
    const llm::DeltaCallback ignore = [](const llm::ChatDelta&) {};
    for (;;) {
      llm::ProviderReply reply = HFS_TRY(
          client.Send(request, target_.key, streamed == Streamed::kYes ? &ignore : nullptr));
      if (reply.http_status == 429) {
        HFS_RETURN_IF_ERROR(WaitOut(reply));
        continue;
      }
      HFS_RETURN_IF_ERROR(StopFor(reply, client.url()));
      return ProbeReply{.http_status = reply.http_status,
                        .response = std::move(reply.response),
                        .error = reply.error ? reply.error->message : ""};
    }
  }

 private:
  Result<void> WaitOut(const llm::ProviderReply& reply) {
    const keys::RateLimitSignal signal = keys::ParseRateLimitSignal(
        target_.provider.name, reply.http_status, reply.headers, reply.error_body, clock_.Now());
    if (!signal.retry_after) return Fail(ErrorCode::kResourceExhausted, "rate limited, try later");
    const Duration wait = std::max<Duration>(*signal.retry_after, std::chrono::seconds(1));
    if (waited_ + wait > options_.max_rate_limit_wait) {
      return Fail(ErrorCode::kResourceExhausted,
                  fmt::format("rate limited, try later (the server asks to wait {:.0f} s)",
                              Seconds(*signal.retry_after)));
    }
    clock_.SleepFor(wait);
    waited_ += wait;
    return Ok();
  }

  Result<void> StopFor(const llm::ProviderReply& reply, const std::string& url) const {
    const std::string why = reply.error ? reply.error->message : "";
    if (reply.http_status == 0 && reply.error) {
      // The transport's message usually names the URL already.
      return Fail(ErrorCode::kUnavailable, why.find(url) != std::string::npos
                                               ? "no answer: " + why
                                               : fmt::format("no answer from {}: {}", url, why));
    }
    const std::string key = target_.key_id.empty() ? "no key" : "key " + target_.key_id;
    if (reply.http_status == 401) {
      return Fail(ErrorCode::kUnauthenticated, fmt::format("{} was refused ({})", key, why));
    }
    if (reply.http_status == 403) {
      return Fail(ErrorCode::kPermissionDenied, fmt::format("{} is not allowed ({})", key, why));
    }
    if (reply.http_status == 404) {
      return Fail(ErrorCode::kNotFound,
                  fmt::format("model '{}' is unknown at {}, or the base URL is wrong ({})",
                              target_.model, url, why));
    }
    return Ok();
  }

  const ProbeTarget& target_;
  net::Transport& transport_;
  Clock& clock_;
  const ProbeOptions& options_;
  Duration waited_{0};
};

Result<CapabilityVerdict> ProbeNamed(Prober& prober, const std::string& model, int attempts) {
  llm::ChatRequest request =
      Ask(model, "My favourite colour is red. Call pick_red for me, please.", 128);
  request.tools = {Tool("pick_red", "Pick red."), Tool(kForcedTool, "Pick blue.")};
  request.forced_tool = kForcedTool;
  std::vector<ProbeReply> replies;
  for (int i = 0; i < attempts; ++i) {
    replies.push_back(HFS_TRY(prober.Send(request, Streamed::kNo)));
    if (NamedToolChoiceVerdict({replies.back()}).verdict != Verdict::kHonoured) break;
  }
  return NamedToolChoiceVerdict(replies);
}

Result<CapabilityVerdict> ProbeRequired(Prober& prober, const std::string& model) {
  llm::ChatRequest request = Ask(model, "Hi there! How are you today?", 128);
  request.tools = {Tool("get_time", "Tells the current time.")};
  request.tool_choice = llm::ToolChoice::kRequired;
  return RequiredToolChoiceVerdict(HFS_TRY(prober.Send(request, Streamed::kNo)));
}

Result<CapabilityVerdict> ProbeStrict(Prober& prober, const std::string& model) {
  llm::ChatRequest request =
      Ask(model, "Pick a colour, red or blue, and a count from 1 to 9. Answer in JSON.", 64);
  request.response_schema_json = kAnswerSchema;
  request.response_schema_name = "probe_answer";
  return StrictJsonSchemaVerdict(HFS_TRY(prober.Send(request, Streamed::kNo)));
}

Result<CapabilityVerdict> ProbeStreaming(Prober& prober, const std::string& model) {
  return StreamingUsageVerdict(
      HFS_TRY(prober.Send(Ask(model, "Say hello in one word.", 16), Streamed::kYes)));
}

Result<CapabilityVerdict> ProbeParallel(Prober& prober, const std::string& model) {
  llm::ChatRequest request = Ask(model,
                                 "What is the weather in Paris and in Tokyo right now? Call "
                                 "get_weather once for each city, both calls in this one reply.",
                                 128);
  request.tools = {{.name = "get_weather",
                    .description = "Tells the weather in one city.",
                    .parameters_json = R"({"type":"object","properties":{"city":)"
                                       R"({"type":"string"}},"required":["city"]})"}};
  return ParallelToolCallsVerdict(HFS_TRY(prober.Send(request, Streamed::kNo)));
}

Result<CapabilityVerdict> ProbeEffort(Prober& prober, const std::string& model) {
  if (!llm::IsReasoningModel(model)) {
    return CapabilityVerdict{
        kEffort, Verdict::kNotProbed,
        fmt::format("'{}' is not a reasoning model (HFS sends no effort)", model)};
  }
  llm::ChatRequest request = Ask(model, "Say hello in one word.", 16);
  request.reasoning_effort = "low";
  return ReasoningEffortVerdict(
      HFS_TRY(prober.Send(request, Streamed::kNo, llm::EffortForm::kTopLevel)));
}

}  // namespace

Result<ProbeReport> ProbeProvider(const ProbeTarget& target, net::Transport& transport,
                                  Clock& clock, const ProbeOptions& options) {
  Prober prober(target, transport, clock, options);
  const std::string& model = target.model;
  ProbeReport report{.provider = target.provider.name,
                     .model = model,
                     .url = prober.url(),
                     .key_id = target.key_id,
                     .before = target.provider.capabilities};
  report.verdicts.push_back(
      HFS_TRY(ProbeNamed(prober, model, std::max(1, options.named_attempts))));
  report.verdicts.push_back(HFS_TRY(ProbeRequired(prober, model)));
  report.verdicts.push_back(HFS_TRY(ProbeStrict(prober, model)));
  report.verdicts.push_back(HFS_TRY(ProbeStreaming(prober, model)));
  report.verdicts.push_back(HFS_TRY(ProbeParallel(prober, model)));
  report.verdicts.push_back(HFS_TRY(ProbeEffort(prober, model)));
  report.probed = ApplyVerdicts(report.before, report.verdicts);
  return report;
}

}  // namespace hfs::app
