#include "hfs/llm/chat_span.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "hfs/trace/instruments.h"
#include "hfs/trace/tracer.h"

namespace hfs::llm {
namespace {

// The GenAI convention's message form: [{"role", "parts": [{"type": "text", ...}]}].
nlohmann::json MessageJson(Role role, const std::string& content,
                           const std::vector<ToolCall>& tool_calls) {
  nlohmann::json parts = nlohmann::json::array();
  if (!content.empty()) parts.push_back({{"type", "text"}, {"content", content}});
  for (const ToolCall& call : tool_calls) {
    parts.push_back({{"type", "tool_call"},
                     {"id", call.id},
                     {"name", call.name},
                     {"arguments", call.arguments}});
  }
  return {{"role", RoleName(role)}, {"parts", std::move(parts)}};
}

std::string InputMessages(const ChatRequest& request) {
  nlohmann::json messages = nlohmann::json::array();
  for (const Message& message : request.messages) {
    messages.push_back(MessageJson(message.role, message.content, message.tool_calls));
  }
  return messages.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string OutputMessages(const ChatResponse& response) {
  nlohmann::json messages = nlohmann::json::array();
  messages.push_back(MessageJson(Role::kAssistant, response.content, response.tool_calls));
  return messages.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// error.type: the HTTP status for HTTP errors, else the kind of failure.
std::string ErrorType(const ProviderCall& call) {
  switch (call.status) {
    case CallStatus::kOk:
      return "";
    case CallStatus::kTransportError:
      return "transport_error";
    case CallStatus::kBadResponse:
      return call.http_status >= 200 && call.http_status < 300 ? "bad_response"
                                                               : std::to_string(call.http_status);
    default:
      return std::to_string(call.http_status);
  }
}

}  // namespace

ServerAddress ParseServerAddress(std::string_view base_url) {
  ServerAddress address;
  std::string_view rest = base_url;
  int default_port = 0;
  if (size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
    default_port = rest.substr(0, scheme) == "https"  ? 443
                   : rest.substr(0, scheme) == "http" ? 80
                                                      : 0;
    rest.remove_prefix(scheme + 3);
  }
  rest = rest.substr(0, rest.find('/'));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && rest.find(']', colon) == std::string_view::npos) {
    std::string_view port = rest.substr(colon + 1);
    int value = 0;
    if (std::from_chars(port.data(), port.data() + port.size(), value).ec == std::errc()) {
      address.port = value;
    }
    rest = rest.substr(0, colon);
  } else {
    address.port = default_port;
  }
  address.host = std::string(rest);
  return address;
}

void TraceProviderCall(const ProviderCall& call, const ChatRequest& request,
                       const ProviderReply& reply, std::string_view base_url) {
  const trace::TraceScope& scope = call.context.trace;
  if (scope.tracer == nullptr && scope.metrics == nullptr) return;
  const ServerAddress server = ParseServerAddress(base_url);
  const std::string error_type = ErrorType(call);
  trace::RecordChat(scope.metrics, {.provider = call.provider,
                                    .request_model = call.model_requested,
                                    .response_model = call.model_answered,
                                    .server_address = server.host,
                                    .duration = call.latency,
                                    .input_tokens = call.prompt_tokens,
                                    .output_tokens = call.completion_tokens,
                                    .error_type = error_type,
                                    .rate_limited = call.status == CallStatus::kRateLimited});
  if (scope.tracer == nullptr) return;
  trace::Attributes attributes{{"gen_ai.operation.name", "chat"},
                               {"gen_ai.provider.name", call.provider},
                               {"gen_ai.request.model", call.model_requested},
                               {"server.address", server.host},
                               {"hfs.key.id", call.key_id},
                               {"hfs.request.id", call.request_id},
                               {"hfs.run.id", call.context.run_id},
                               {"hfs.triad.id", call.context.triad},
                               {"hfs.agent.role", call.context.role},
                               {"hfs.phase.name", call.context.phase}};
  if (server.port != 0) attributes.push_back({"server.port", server.port});
  if (request.max_tokens) attributes.push_back({"gen_ai.request.max_tokens", *request.max_tokens});
  if (request.temperature) {
    attributes.push_back(
        {"gen_ai.request.temperature", trace::AttributeValue(*request.temperature)});
  }
  trace::Span span =
      scope.tracer->StartSpan("chat " + call.model_requested, {.parent = scope.parent,
                                                               .kind = trace::SpanKind::kClient,
                                                               .attributes = std::move(attributes),
                                                               .start_time = call.time});
  if (call.http_status != 0) span.SetAttribute("http.response.status_code", call.http_status);
  if (reply.response) {
    span.SetAttribute("gen_ai.response.model", call.model_answered);
    span.SetAttribute("gen_ai.response.id", reply.response->id);
    span.SetAttribute("gen_ai.usage.input_tokens", call.prompt_tokens);
    span.SetAttribute("gen_ai.usage.output_tokens", call.completion_tokens);
    const std::optional<Usage>& usage = reply.response->usage;
    if (usage && usage->reasoning_tokens > 0) {
      span.SetAttribute("hfs.usage.reasoning_tokens", usage->reasoning_tokens);
    }
    if (!reply.response->reasoning.empty()) {
      span.SetAttribute("hfs.response.reasoning_chars",
                        static_cast<int64_t>(reply.response->reasoning.size()));
    }
    if (scope.include_content) {
      span.SetAttribute("gen_ai.output.messages", OutputMessages(*reply.response));
      if (!reply.response->reasoning.empty()) {
        span.SetAttribute("hfs.response.reasoning", reply.response->reasoning);
      }
    }
  }
  if (scope.include_content) span.SetAttribute("gen_ai.input.messages", InputMessages(request));
  if (!error_type.empty()) {
    span.SetAttribute("error.type", error_type);
    span.SetStatus(trace::StatusCode::kError, reply.error
                                                  ? reply.error->ToString()
                                                  : std::string(CallStatusName(call.status)));
  }
  span.EndAt(call.time + call.latency);
}

}  // namespace hfs::llm
