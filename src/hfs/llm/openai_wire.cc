#include "hfs/llm/openai_wire.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "hfs/base/text.h"
#include "hfs/base/try.h"
#include "hfs/llm/provider_error.h"

namespace hfs::llm {
namespace {

using nlohmann::json;

// ---- Encoding ----------------------------------------------------------------------

json EncodeMessage(const Message& message) {
  json out = {{"role", RoleName(message.role)}, {"content", message.content}};
  if (!message.tool_calls.empty()) {
    // An assistant turn that only calls tools has no text.
    if (message.content.empty()) out["content"] = nullptr;
    json calls = json::array();
    for (const ToolCall& call : message.tool_calls) {
      calls.push_back(
          {{"id", call.id},
           {"type", "function"},
           {"function",
            {{"name", call.name}, {"arguments", call.arguments.empty() ? "{}" : call.arguments}}}});
    }
    out["tool_calls"] = std::move(calls);
  }
  if (message.role == Role::kTool) out["tool_call_id"] = message.tool_call_id;
  return out;
}

// A JSON Schema carried as text; an empty text is the schema of an empty object.
Result<json> ParseSchema(const std::string& text, std::string_view what) {
  if (text.empty()) return json{{"type", "object"}, {"properties", json::object()}};
  json schema = json::parse(text, nullptr, false);
  if (schema.is_discarded() || !schema.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, std::string(what) + " is not a JSON object");
  }
  return schema;
}

Result<json> EncodeTool(const ToolDefinition& tool) {
  json parameters =
      HFS_TRY(ParseSchema(tool.parameters_json, "parameters of tool '" + tool.name + "'"));
  json function = {{"name", tool.name}, {"parameters", std::move(parameters)}};
  if (!tool.description.empty()) function["description"] = tool.description;
  return json{{"type", "function"}, {"function", std::move(function)}};
}

// Adds tools and tool_choice; nothing when the request offers no tools.
Result<void> EncodeTools(const ChatRequest& request, const Capabilities& caps, json& out) {
  if (request.tools.empty()) return Ok();
  const bool only_forced = request.forced_tool.has_value() && !caps.named_tool_choice;
  const json required = caps.required_tool_choice ? json("required") : json("auto");
  bool forced_found = false;
  json tools = json::array();
  for (const ToolDefinition& tool : request.tools) {
    bool is_forced = request.forced_tool && tool.name == *request.forced_tool;
    forced_found = forced_found || is_forced;
    if (only_forced && !is_forced) continue;
    tools.push_back(HFS_TRY(EncodeTool(tool)));
  }
  if (request.forced_tool && !forced_found) {
    return Fail(ErrorCode::kInvalidArgument,
                "forced tool '" + *request.forced_tool + "' is not among the request's tools");
  }
  out["tools"] = std::move(tools);
  if (request.forced_tool) {
    out["tool_choice"] =
        only_forced ? required
                    : json{{"type", "function"}, {"function", {{"name", *request.forced_tool}}}};
    return Ok();
  }
  switch (request.tool_choice) {
    case ToolChoice::kAuto:
      out["tool_choice"] = "auto";
      break;
    case ToolChoice::kNone:
      out["tool_choice"] = "none";
      break;
    case ToolChoice::kRequired:
      out["tool_choice"] = required;
      break;
  }
  return Ok();
}

Result<void> EncodeResponseFormat(const ChatRequest& request, const Capabilities& caps, json& out) {
  if (!request.response_schema_json) return Ok();
  json schema = HFS_TRY(ParseSchema(*request.response_schema_json, "the response schema"));
  json spec = {{"name", request.response_schema_name}, {"schema", std::move(schema)}};
  if (caps.strict_json_schema) spec["strict"] = true;
  out["response_format"] = {{"type", "json_schema"}, {"json_schema", std::move(spec)}};
  return Ok();
}

// ---- Decoding ----------------------------------------------------------------------

int64_t IntOf(const json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number_float()) return std::llround(value.get<double>());
  return 0;
}

// `usage`, else `x_groq.usage`; nullopt when neither is an object.
std::optional<Usage> UsageOf(const json& object) {
  const json* usage = nullptr;
  if (auto it = object.find("usage"); it != object.end() && it->is_object()) {
    usage = &*it;
  } else if (auto groq = object.find("x_groq"); groq != object.end() && groq->is_object()) {
    if (auto inner = groq->find("usage"); inner != groq->end() && inner->is_object()) {
      usage = &*inner;
    }
  }
  if (usage == nullptr) return std::nullopt;
  Usage out{.prompt_tokens = IntOf(usage->value("prompt_tokens", json())),
            .completion_tokens = IntOf(usage->value("completion_tokens", json()))};
  const json details = usage->value("completion_tokens_details", json());
  if (details.is_object()) out.reasoning_tokens = IntOf(details.value("reasoning_tokens", json()));
  return out;
}

// A string, or the text parts of an array of content parts; "" for null.
std::string TextOf(const json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string text;
  if (content.is_array()) {
    for (const json& part : content) {
      if (part.is_object() && part.value("text", json()).is_string()) {
        text += part["text"].get<std::string>();
      }
    }
  }
  return text;
}

std::string StringOf(const json& object, const char* name) {
  if (!object.is_object()) return "";
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// Arguments are a JSON text; a few servers send an object instead.
std::string ArgumentsOf(const json& function) {
  if (!function.is_object()) return "";
  auto it = function.find("arguments");
  if (it == function.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

const char* TypeName(const json& value) { return value.type_name(); }

// The reasoning text of a message or delta: `reasoning` (Groq, Cerebras, OpenRouter) or
// `reasoning_content` (DeepSeek, vLLM, llama.cpp).
std::string ReasoningOf(const json& message) {
  std::string text = TextOf(message.value("reasoning", json()));
  if (text.empty()) text = TextOf(message.value("reasoning_content", json()));
  return text;
}

// An `error` member of a reply or stream chunk: a numeric code maps like an HTTP status.
Error ErrorFromField(const json& error) {
  std::string message = error.is_string() ? error.get<std::string>() : StringOf(error, "message");
  if (message.size() > kMaxProviderMessage) message = message.substr(0, kMaxProviderMessage);
  json code = error.is_object() ? error.value("code", json()) : json();
  if (code.is_number_integer()) {
    int status = static_cast<int>(code.get<int64_t>());
    return Error{ErrorForStatus(status, "").code,
                 "provider error " + std::to_string(status) + ": " + message};
  }
  std::string label = code.is_string() ? code.get<std::string>() : "error";
  if (error.is_object() && error.contains("status") && error["status"].is_string()) {
    label = error["status"].get<std::string>();  // Gemini: "RESOURCE_EXHAUSTED"
  }
  const std::string lower = AsciiLower(label);
  ErrorCode kind = ErrorCode::kUnavailable;
  if (lower.find("rate_limit") != std::string::npos || lower.find("quota") != std::string::npos ||
      lower == "resource_exhausted") {
    kind = ErrorCode::kResourceExhausted;
  } else if (lower == "invalid_api_key" || lower == "unauthenticated") {
    kind = ErrorCode::kUnauthenticated;
  } else if (lower == "permission_denied") {
    kind = ErrorCode::kPermissionDenied;
  }
  return Error{kind, "provider error (" + label + "): " + message};
}

ChatResponse DecodeChoice(const json& body, const json& message, const json& choice) {
  ChatResponse response;
  response.id = StringOf(body, "id");
  response.model = StringOf(body, "model");
  response.content = TextOf(message.value("content", json()));
  response.reasoning = ReasoningOf(message);
  if (auto calls = message.find("tool_calls"); calls != message.end() && calls->is_array()) {
    for (const json& call : *calls) {
      if (!call.is_object()) continue;
      json function = call.value("function", json::object());
      response.tool_calls.push_back({.id = StringOf(call, "id"),
                                     .name = StringOf(function, "name"),
                                     .arguments = ArgumentsOf(function)});
    }
  }
  response.finish_reason = ParseFinishReason(StringOf(choice, "finish_reason"));
  response.usage = UsageOf(body);
  return response;
}

}  // namespace

WireOptions WireOptionsFor(std::string_view provider, bool stream) {
  return {.stream = stream, .include_usage = true, .capabilities = BuiltinCapabilities(provider)};
}

Result<std::string> EncodeChatRequest(const ChatRequest& request, const WireOptions& options) {
  json out = {{"model", request.model}};
  json messages = json::array();
  for (const Message& message : request.messages) messages.push_back(EncodeMessage(message));
  out["messages"] = std::move(messages);
  const Capabilities& caps = options.capabilities;
  HFS_RETURN_IF_ERROR(EncodeTools(request, caps, out));
  HFS_RETURN_IF_ERROR(EncodeResponseFormat(request, caps, out));
  const bool reasoning = IsReasoningModel(request.model);
  const std::string effort = request.reasoning_effort.value_or("low");
  if (request.max_tokens) {
    out["max_tokens"] = *request.max_tokens + (reasoning ? ReasoningAllowance(effort) : 0);
  }
  if (reasoning && caps.reasoning_effort == EffortForm::kTopLevel) {
    out["reasoning_effort"] = effort;
  } else if (reasoning && caps.reasoning_effort == EffortForm::kNested) {
    out["reasoning"] = {{"effort", effort}};
  }
  if (request.temperature) out["temperature"] = *request.temperature;
  if (request.seed) out["seed"] = *request.seed;
  if (options.stream) {
    out["stream"] = true;
    if (options.include_usage && caps.streaming_usage) {
      out["stream_options"] = {{"include_usage", true}};
    }
  }
  // Invalid UTF-8 in a message becomes U+FFFD instead of throwing.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

FinishReason ParseFinishReason(std::string_view reason) {
  if (reason == "stop") return FinishReason::kStop;
  if (reason == "length") return FinishReason::kLength;
  if (reason == "tool_calls" || reason == "function_call") return FinishReason::kToolCalls;
  if (reason == "content_filter") return FinishReason::kContentFilter;
  return FinishReason::kUnknown;
}

Result<ChatResponse> DecodeChatResponse(std::string_view body) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    return Fail(ErrorCode::kInternal,
                "reply is not JSON (" + std::to_string(body.size()) + " bytes)");
  }
  if (!parsed.is_object()) {
    return Fail(ErrorCode::kInternal, std::string("reply is a JSON ") + TypeName(parsed));
  }
  if (auto error = parsed.find("error"); error != parsed.end() && !error->is_null()) {
    return Fail(ErrorFromField(*error));
  }
  auto choices = parsed.find("choices");
  if (choices == parsed.end() || !choices->is_array() || choices->empty()) {
    return Fail(ErrorCode::kInternal, "reply has no choices");
  }
  const json& choice = (*choices)[0];
  auto message = choice.is_object() ? choice.find("message") : choice.end();
  if (!choice.is_object() || message == choice.end() || !message->is_object()) {
    return Fail(ErrorCode::kInternal, "reply's first choice has no message");
  }
  return DecodeChoice(parsed, *message, choice);
}

// ---- StreamAssembler ---------------------------------------------------------------

namespace {

// The tool-call index of a fragment; without "index" (some servers omit it) the call
// with the same id, a new call for a new id, else the latest call.
int ToolIndex(const json& fragment, const std::map<int, ToolCall>& calls) {
  json index = fragment.value("index", json());
  if (index.is_number_integer()) return static_cast<int>(index.get<int64_t>());
  std::string id = StringOf(fragment, "id");
  int last = calls.empty() ? -1 : calls.rbegin()->first;
  if (id.empty()) return last < 0 ? 0 : last;
  for (const auto& [known, call] : calls) {
    if (call.id == id) return known;
  }
  return last + 1;
}

}  // namespace

Result<void> StreamAssembler::Feed(std::string_view data) {
  if (error_) return Fail(*error_);
  if (done_) return Ok();
  Result<void> result = Chunk(data);
  if (!result) error_ = result.error();
  return result;
}

Result<void> StreamAssembler::Chunk(std::string_view data) {
  if (data == "[DONE]") {
    done_ = true;
    return Ok();
  }
  if (data.find_first_not_of(" \t\r\n") == std::string_view::npos) return Ok();
  json chunk = json::parse(data, nullptr, false);
  if (chunk.is_discarded() || !chunk.is_object()) {
    return Fail(ErrorCode::kInternal,
                "stream chunk is not a JSON object (" + std::to_string(data.size()) + " bytes)");
  }
  if (auto error = chunk.find("error"); error != chunk.end() && !error->is_null()) {
    return Fail(ErrorFromField(*error));
  }
  if (response_.id.empty()) response_.id = StringOf(chunk, "id");
  if (response_.model.empty()) response_.model = StringOf(chunk, "model");
  if (std::optional<Usage> usage = UsageOf(chunk)) response_.usage = usage;
  json choices = chunk.value("choices", json::array());
  if (!choices.is_array()) return Ok();
  for (const json& choice : choices) {
    if (!choice.is_object() || IntOf(choice.value("index", json(0))) != 0) continue;
    json delta = choice.value("delta", json::object());
    if (delta.is_object()) {
      const std::string reasoning = ReasoningOf(delta);
      response_.reasoning += reasoning;
      received_chars_ += static_cast<int64_t>(reasoning.size());
      if (std::string text = TextOf(delta.value("content", json())); !text.empty()) {
        received_chars_ += static_cast<int64_t>(text.size());
        response_.content += text;
        Deliver({.content = std::move(text)});
      }
      json calls = delta.value("tool_calls", json::array());
      for (const json& fragment : calls.is_array() ? calls : json::array()) {
        if (!fragment.is_object()) continue;
        ToolFragment(fragment);
      }
    }
    std::string reason = StringOf(choice, "finish_reason");
    if (!reason.empty()) response_.finish_reason = ParseFinishReason(reason);
  }
  return Ok();
}

void StreamAssembler::ToolFragment(const nlohmann::json& fragment) {
  json function = fragment.value("function", json::object());
  ChatDelta delta{.tool_index = ToolIndex(fragment, tool_calls_),
                  .tool_call_id = StringOf(fragment, "id"),
                  .tool_name = StringOf(function, "name"),
                  .tool_arguments = ArgumentsOf(function)};
  ToolCall& call = tool_calls_[delta.tool_index];
  if (call.id.empty()) call.id = delta.tool_call_id;
  if (call.name.empty()) call.name = delta.tool_name;
  call.arguments += delta.tool_arguments;
  received_chars_ += static_cast<int64_t>(delta.tool_arguments.size());
  if (delta.tool_call_id.empty() && delta.tool_name.empty() && delta.tool_arguments.empty()) {
    return;
  }
  Deliver(delta);
}

void StreamAssembler::Deliver(const ChatDelta& delta) {
  delta_delivered_ = true;
  if (on_delta_ != nullptr && *on_delta_) (*on_delta_)(delta);
}

Result<ChatResponse> StreamAssembler::Finish() {
  if (error_) return Fail(*error_);
  if (!done_) return Fail(ErrorCode::kUnavailable, "stream ended without [DONE]");
  ChatResponse response = response_;
  for (const auto& [index, call] : tool_calls_) response.tool_calls.push_back(call);
  return response;
}

}  // namespace hfs::llm
