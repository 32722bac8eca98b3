// tools/emulator/faults.cc
#include "tools/emulator/faults.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "tools/emulator/schema_validator.h"
#include "tools/emulator/seeded.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

Reply Json(int status, const json& body) {
  return Reply{.status = status, .body = body.dump(-1, ' ', false, json::error_handler_t::replace)};
}

// Google's error with a google.rpc.ErrorInfo reason, in the OpenAI layer's array form
// (the body of continuedev/continue#8516 and google/generative-ai-docs#356).
Reply GeminiKeyError(int status, std::string_view google_status, std::string_view reason,
                     std::string_view message) {
  const json info = {{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                     {"reason", reason},
                     {"domain", "googleapis.com"},
                     {"metadata", {{"service", "generativelanguage.googleapis.com"}}}};
  return Json(status, json::array({{{"error",
                                     {{"code", status},
                                      {"message", message},
                                      {"status", google_status},
                                      {"details", json::array({info})}}}}}));
}

Reply NoCredit(Personality personality) {
  if (personality == Personality::kOpenRouter) {
    // astrio-labs/forall#76.
    return Json(402, {{"error",
                       {{"code", 402},
                        {"message",
                         "This request requires more credits, or fewer max_tokens. You "
                         "requested up to 4096 tokens, but can only afford 0. To increase, "
                         "visit https://openrouter.ai/settings/credits and add more credits"}}}});
  }
  return ErrorReply(personality, 402, "Payment required: no credit left on this account.",
                    "payment_required");
}

Reply Suspended(Personality personality) {
  switch (personality) {
    case Personality::kGemini:
      return GeminiKeyError(403, "PERMISSION_DENIED", "CONSUMER_SUSPENDED",
                            "Permission denied: Consumer 'api_key' has been suspended.");
    case Personality::kGroq:
      // songquanpeng/one-api#1764.
      return Json(400, {{"error",
                         {{"message",
                           "Organization has been restricted. Please reach out to support if "
                           "you believe this was in error."},
                          {"type", "invalid_request_error"},
                          {"param", ""},
                          {"code", "organization_restricted"}}}});
    case Personality::kOpenRouter:
      return Json(401, {{"error", {{"message", "API key is disabled."}, {"code", 401}}}});
    case Personality::kCerebras:
    case Personality::kPlain:
      break;
  }
  return ErrorReply(personality, 403, "This API key has been suspended.", "permission_denied");
}

}  // namespace

std::string_view FaultName(Fault fault) {
  switch (fault) {
    case Fault::kNone:
      return "none";
    case Fault::kError500:
      return "error_500";
    case Fault::kError502:
      return "error_502";
    case Fault::kError503:
      return "error_503";
    case Fault::kHang:
      return "hang";
    case Fault::kReset:
      return "reset";
    case Fault::kStreamCut:
      return "stream_cut";
    case Fault::kMalformedJson:
      return "malformed_json";
    case Fault::kArgumentsNotJson:
      return "arguments_not_json";
    case Fault::kArgumentsViolateSchema:
      return "arguments_violate_schema";
    case Fault::kToolUseFailed:
      return "tool_use_failed";
    case Fault::kStreamStall:
      return "stream_stall";
    case Fault::kStreamError:
      return "stream_error";
    case Fault::kModeration:
      return "moderation";
  }
  return "none";
}

Fault DrawFault(const FaultOptions& options, uint64_t draw) {
  const std::pair<double, Fault> table[] = {
      {options.error_500, Fault::kError500},
      {options.error_502, Fault::kError502},
      {options.error_503, Fault::kError503},
      {options.hang, Fault::kHang},
      {options.reset, Fault::kReset},
      {options.stream_cut, Fault::kStreamCut},
      {options.malformed_json, Fault::kMalformedJson},
      {options.arguments_not_json, Fault::kArgumentsNotJson},
      {options.arguments_violate_schema, Fault::kArgumentsViolateSchema},
      {options.tool_use_failed, Fault::kToolUseFailed},
      {options.stream_stall, Fault::kStreamStall},
      {options.stream_error, Fault::kStreamError},
      {options.moderation, Fault::kModeration}};
  const double u = UnitInterval(Mix(draw));
  double cumulative = 0;
  for (const auto& [probability, fault] : table) {
    cumulative += probability;
    if (u < cumulative) return fault;
  }
  return Fault::kNone;
}

std::string BreakJson(std::string_view json_text) {
  std::string broken(json_text.substr(0, json_text.size() / 2));
  return broken + "{\"";
}

std::string ViolateSchema(std::string_view arguments, const nlohmann::json& schema) {
  using nlohmann::json;
  json value = json::parse(arguments, nullptr, /*allow_exceptions=*/false);
  if (value.is_object() && schema.is_object()) {
    const json required = schema.value("required", json::array());
    if (required.is_array() && !required.empty() && required[0].is_string()) {
      value.erase(required[0].get<std::string>());
    } else if (schema.contains("properties") && schema["properties"].is_object() &&
               !schema["properties"].empty()) {
      value[schema["properties"].begin().key()] = json::array({json::array()});
    }
    if (ValidateAgainstSchema(value, schema)) return value.dump();
  }
  return "[\"not the expected arguments\"]";
}

Reply KeyRefusalReply(Personality personality, KeyRefusal refusal) {
  switch (refusal) {
    case KeyRefusal::kInvalid:
      if (personality == Personality::kGemini) {
        return GeminiKeyError(400, "INVALID_ARGUMENT", "API_KEY_INVALID",
                              "API key not valid. Please pass a valid API key.");
      }
      return UnauthorizedReply(personality);
    case KeyRefusal::kSuspended:
      return Suspended(personality);
    case KeyRefusal::kKeyLimit:
      if (personality == Personality::kOpenRouter) {
        // gptme/gptme#1449.
        return Json(403, {{"error",
                           {{"message",
                             "Key limit exceeded (monthly limit). Manage it using "
                             "https://openrouter.ai/settings/keys"},
                            {"code", 403}}}});
      }
      return NoCredit(personality);
    case KeyRefusal::kNoCredit:
    case KeyRefusal::kNone:
      break;
  }
  return NoCredit(personality);
}

Reply ModerationReply(std::string_view model, std::string_view prompt) {
  std::string flagged(prompt.substr(0, 100));
  return Json(403, {{"error",
                     {{"code", 403},
                      {"message", fmt::format("{} requires moderation on OpenAI. Your input was "
                                              "flagged for \"violence\". No credits were charged.",
                                              model)},
                      {"metadata",
                       {{"reasons", json::array({"violence"})},
                        {"flagged_input", flagged},
                        {"provider_name", "OpenAI"},
                        {"model_slug", model}}}}}});
}

void AddRetryAfter(const FaultOptions& options, Reply& reply) {
  if (options.retry_after_seconds <= 0) return;
  reply.headers.push_back({"retry-after", std::to_string(static_cast<int64_t>(
                                              std::ceil(options.retry_after_seconds)))});
}

}  // namespace hfs::emulator
