// tools/emulator/emulator.cc
#include "tools/emulator/emulator.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "tools/emulator/behaviour.h"
#include "tools/emulator/code_reply.h"
#include "tools/emulator/faults.h"
#include "tools/emulator/history_check.h"
#include "tools/emulator/personality.h"
#include "tools/emulator/realism_reply.h"
#include "tools/emulator/response_body.h"
#include "tools/emulator/seeded.h"
#include "tools/emulator/sse.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

constexpr std::string_view kBearer = "Bearer ";

// What one chat request turned into, before faults and latency.
struct Exchange {
  const ProviderOptions& provider;
  const KeyOptions& key;
  json request;
  ModelName model;
  Completion completion;
  bool streaming = false;
  uint64_t sequence = 0;
  std::optional<Reply> rejection;    // the realism profile's 400, sent instead of the completion
  std::vector<std::string> realism;  // the realism behaviours served
};

// Tool-call faults need a tool call; a stream cut needs a stream.
Fault Applicable(Fault fault, const Exchange& exchange) {
  const bool tools = !exchange.completion.tool_calls.empty();
  switch (fault) {
    case Fault::kArgumentsNotJson:
    case Fault::kArgumentsViolateSchema:
    case Fault::kToolUseFailed:
      return tools ? fault : Fault::kNone;
    case Fault::kStreamCut:
    case Fault::kStreamStall:
    case Fault::kStreamError:
      return exchange.streaming ? fault : Fault::kNone;
    case Fault::kModeration:
      return exchange.provider.personality == Personality::kOpenRouter ? fault : Fault::kNone;
    default:
      return fault;
  }
}

json ToolSchema(const json& request, const std::string& name) {
  for (const auto& tool : request.value("tools", json::array())) {
    if (tool.is_object() && tool.contains("function") &&
        tool["function"].value("name", std::string()) == name) {
      return tool["function"].value("parameters", json::object());
    }
  }
  return json::object();
}

void SpoilArguments(Fault fault, Exchange& exchange) {
  ToolCall& call = exchange.completion.tool_calls.front();
  if (fault == Fault::kArgumentsNotJson) call.arguments = BreakJson(call.arguments);
  if (fault == Fault::kArgumentsViolateSchema) {
    call.arguments = ViolateSchema(call.arguments, ToolSchema(exchange.request, call.name));
  }
}

Reply ServerError(Personality personality, Fault fault) {
  switch (fault) {
    case Fault::kError502:
      return ErrorReply(personality, 502, "Bad gateway", "bad_gateway");
    case Fault::kError503:
      return ErrorReply(personality, 503, "The service is temporarily overloaded",
                        "service_unavailable");
    default:
      return ErrorReply(personality, 500, "Internal server error", "internal_server_error");
  }
}

ResponseMeta Meta(const Exchange& exchange, Timestamp now) {
  return {
      .id = fmt::format("chatcmpl-emu-{:x}", exchange.sequence),
      .created = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count(),
      .model = exchange.model.model,
      .personality = exchange.provider.personality};
}

Reply Success(const Exchange& exchange, Fault fault, Timestamp now) {
  Reply reply;
  const ResponseMeta meta = Meta(exchange, now);
  if (!exchange.streaming) {
    reply.body = CompletionBody(exchange.completion, meta);
    if (fault == Fault::kMalformedJson) reply.body = BreakJson(reply.body);
    return reply;
  }
  reply.streaming = true;
  reply.content_type = "text/event-stream";
  const json stream_options = exchange.request.value("stream_options", json::object());
  const bool usage = stream_options.is_object() && stream_options.value("include_usage", false);
  reply.events = SseEvents(exchange.completion, meta, {.include_usage = usage});
  if (fault == Fault::kStreamCut || fault == Fault::kStreamError) {
    reply.events.resize(std::max<size_t>(1, reply.events.size() / 2));
  }
  if (fault == Fault::kStreamError) {
    reply.events.push_back(SseErrorEvent(meta, 429, "Rate limit exceeded: free-models-per-min."));
  }
  if (fault == Fault::kMalformedJson) {
    std::string& event = reply.events[reply.events.size() / 2];
    event = "data: " + BreakJson(event.substr(std::min<size_t>(6, event.size()))) + "\n\n";
  }
  return reply;
}

Reply Faulted(Exchange& exchange, Fault fault, Timestamp now) {
  const Personality personality = exchange.provider.personality;
  switch (fault) {
    case Fault::kError500:
    case Fault::kError502:
    case Fault::kError503: {
      Reply reply = ServerError(personality, fault);
      AddRetryAfter(exchange.provider.faults, reply);
      return reply;
    }
    case Fault::kModeration: {
      const json messages = exchange.request.value("messages", json::array());
      const std::string prompt =
          messages.is_array() && !messages.empty() && messages.back().is_object()
              ? MessageText(messages.back().value("content", json()))
              : "";
      return ModerationReply(exchange.model.model, prompt);
    }
    case Fault::kToolUseFailed: {
      const ToolCall& call = exchange.completion.tool_calls.front();
      return ToolUseFailedReply(
          fmt::format("<function={}>{}</function>", call.name, BreakJson(call.arguments)));
    }
    case Fault::kArgumentsNotJson:
    case Fault::kArgumentsViolateSchema:
      SpoilArguments(fault, exchange);
      break;
    default:
      break;
  }
  Reply reply = Success(exchange, fault, now);
  if (fault == Fault::kHang) reply.delivery = Delivery::kHang;
  if (fault == Fault::kReset) reply.delivery = Delivery::kReset;
  if (fault == Fault::kStreamStall) reply.delivery = Delivery::kStall;
  return reply;
}

Duration Latency(const LatencyOptions& latency, uint64_t seed, uint64_t sequence, int64_t tokens) {
  const double jitter = latency.jitter_ms * UnitInterval(SeedFor(seed ^ 0x1a7e, sequence));
  const double ms = latency.fixed_ms + jitter + latency.per_token_ms * static_cast<double>(tokens);
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::milli>(ms));
}

// The admitted exchange as sent: faults, rate-limit headers and latency applied.
Reply Deliver(Exchange& exchange, const Admission& admission, Timestamp now, uint64_t seed) {
  const ProviderOptions& provider = exchange.provider;
  const Fault fault =
      exchange.rejection
          ? Fault::kNone
          : Applicable(DrawFault(provider.faults, SeedFor(seed, exchange.sequence)), exchange);
  Reply reply = exchange.rejection ? *exchange.rejection : Faulted(exchange, fault, now);
  for (Header& header : RateLimitHeaders(provider.personality, admission, now)) {
    reply.headers.push_back(std::move(header));
  }
  if (fault != Fault::kNone) {
    reply.headers.push_back({"x-emulator-fault", std::string(FaultName(fault))});
  }
  if (!exchange.realism.empty()) {
    reply.headers.push_back(
        {"x-emulator-realism", fmt::format("{}", fmt::join(exchange.realism, ","))});
  }
  const int64_t tokens = exchange.completion.completion_tokens;
  reply.first_byte_delay =
      Latency(provider.latency, seed, exchange.sequence, exchange.streaming ? 0 : tokens);
  if (reply.streaming && !reply.events.empty()) {
    const Duration streaming =
        Latency({.per_token_ms = provider.latency.per_token_ms}, seed, 0, tokens);
    reply.per_event_delay = streaming / static_cast<int64_t>(reply.events.size());
  }
  return reply;
}

}  // namespace

Emulator::Emulator(EmulatorOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock), windows_(clock, options_.window_scale) {
  for (const ProviderOptions& provider : options_.providers) {
    for (const KeyOptions& key : provider.keys) keys_[provider.name][key.key] = &key;
  }
}

const ProviderOptions* Emulator::FindProvider(std::string_view prefix) const {
  for (const ProviderOptions& provider : options_.providers) {
    if (provider.prefix == prefix) return &provider;
  }
  return nullptr;
}

Emulator::Caller Emulator::Authenticate(const ProviderOptions& provider,
                                        std::string_view authorization) const {
  Caller caller;
  const auto& keys = keys_.at(provider.name);
  if (authorization.starts_with(kBearer)) {
    const auto it = keys.find(std::string(authorization.substr(kBearer.size())));
    if (it != keys.end()) caller.key = it->second;
  }
  if (caller.key == nullptr) {
    caller.refusal = UnauthorizedReply(provider.personality);
  } else if (caller.key->revoked) {
    caller.refusal = ForbiddenReply(provider.personality);
  } else if (caller.key->refusal != KeyRefusal::kNone) {
    caller.refusal = KeyRefusalReply(provider.personality, caller.key->refusal);
  }
  return caller;
}

const std::vector<LimitRule>& Emulator::LimitsFor(const ProviderOptions& provider,
                                                  const std::string& model) const {
  for (const ModelOptions& options : provider.models) {
    if (options.name == model) return options.limits;
  }
  return provider.default_limits;
}

const RealismOverrides* Emulator::ModelRealism(const ProviderOptions& provider,
                                               const std::string& model) const {
  for (const ModelOptions& options : provider.models) {
    if (options.name == model) return &options.realism;
  }
  return nullptr;
}

Reply Emulator::Chat(const ProviderOptions& provider, const ChatInput& input) {
  StatsEvent event{.provider = provider.name};
  Reply reply = Answer(provider, input, event);
  event.status = reply.status;
  stats_.Record(event);
  return reply;
}

Reply Emulator::Answer(const ProviderOptions& provider, const ChatInput& input, StatsEvent& event) {
  const Caller caller = Authenticate(provider, input.authorization);
  if (caller.refusal) return *caller.refusal;
  event.key = caller.key->key;
  event.scope = caller.key->scope;
  json request = json::parse(input.body, nullptr, /*allow_exceptions=*/false);
  if (!request.is_object() || !request.contains("model") || !request["model"].is_string()) {
    return ErrorReply(provider.personality, 400,
                      "The request body must be a JSON object with a string 'model'",
                      "invalid_request_error");
  }
  if (provider.personality == Personality::kPlain) {
    if (std::optional<std::string> broken = BrokenHistoryArguments(request)) {
      return ErrorReply(provider.personality, 500, *broken, "server_error");
    }
  }
  const auto force = ParseRealismHeader(input.realism);
  if (!force) {
    return ErrorReply(provider.personality, 400, force.error().message, "invalid_request_error");
  }
  Exchange exchange{.provider = provider, .key = *caller.key, .request = std::move(request)};
  exchange.model = ParseModelName(exchange.request["model"].get<std::string>(), input.behaviour);
  exchange.streaming = exchange.request.value("stream", false);
  exchange.sequence = sequence_.fetch_add(1);
  event.model = exchange.model.model;
  const BehaviourOptions behaviour{.seed = options_.seed, .steering = exchange.model.steering};
  RealismOutcome realism = ApplyRealism(
      exchange.request, Respond(exchange.request, behaviour),
      {.settings = ResolveRealism(options_.realism, provider.personality, provider.realism,
                                  ModelRealism(provider, event.model)),
       .force = *force,
       .model = event.model,
       .personality = provider.personality,
       .seed = options_.seed,
       .sequence = exchange.sequence,
       .behaviour = behaviour});
  exchange.completion = std::move(realism.completion);
  exchange.rejection = std::move(realism.rejection);
  exchange.realism = std::move(realism.served);
  const Completion& completion = exchange.completion;
  const Timestamp now = clock_.Now();
  const Admission admission = windows_.Admit(
      fmt::format("{}|{}|{}", provider.name, event.scope, event.model),
      LimitsFor(provider, event.model), completion.prompt_tokens + completion.completion_tokens);
  if (!admission.admitted) {
    return RateLimitedReply(provider.personality, admission, event.model, now);
  }
  event.accepted = true;
  event.prompt_tokens = completion.prompt_tokens;
  event.completion_tokens = completion.completion_tokens;
  event.reasoning_tokens = completion.reasoning_tokens;
  event.realism = exchange.realism;
  return Deliver(exchange, admission, now, options_.seed);
}

Reply Emulator::Models(const ProviderOptions& provider, std::string_view authorization) {
  const Caller caller = Authenticate(provider, authorization);
  if (caller.refusal) return *caller.refusal;
  json data = json::array();
  for (const ModelOptions& model : provider.models) {
    data.push_back({{"id", model.name},
                    {"object", "model"},
                    {"created", 1735689600},
                    {"owned_by", provider.name}});
  }
  return Reply{.body = json{{"object", "list"}, {"data", data}}.dump()};
}

void Emulator::Reset() {
  windows_.Reset();
  stats_.Reset();
  sequence_ = 0;
}

}  // namespace hfs::emulator
