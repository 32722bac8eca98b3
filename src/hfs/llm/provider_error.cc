#include "hfs/llm/provider_error.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace hfs::llm {
namespace {

using nlohmann::json;

// The object describing the error: body.error, body[0].error (Gemini), or the body
// itself when it carries a top-level "message" (Cerebras). Null when none.
const json* ErrorObject(const json& body) {
  const json* root = &body;
  if (root->is_array() && !root->empty()) root = &(*root)[0];
  if (!root->is_object()) return nullptr;
  auto error = root->find("error");
  if (error != root->end()) return &*error;
  if (root->contains("message")) return root;
  return nullptr;
}

std::string StringField(const json& object, const char* name) {
  if (!object.is_object()) return "";
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return "";
  return it->get_ref<const std::string&>();
}

// Spaces for control characters, at most kMaxProviderMessage characters (never ending
// inside a UTF-8 sequence).
std::string Clean(std::string_view text) {
  std::string out(text.substr(0, kMaxProviderMessage));
  if (text.size() > kMaxProviderMessage) {
    size_t end = out.size();
    while (end > 0 && (static_cast<unsigned char>(out[end - 1]) & 0xC0) == 0x80) --end;
    if (end > 0 && static_cast<unsigned char>(out[end - 1]) >= 0xC0) --end;
    out.resize(end);
  }
  for (char& c : out) {
    if (std::iscntrl(static_cast<unsigned char>(c))) c = ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (text.size() > kMaxProviderMessage) out += "...";
  return out;
}

std::string MessageOf(const json& error) {
  if (error.is_string()) return error.get_ref<const std::string&>();
  std::string message = StringField(error, "message");
  if (error.is_object() && error.contains("metadata")) {
    std::string raw = StringField(error["metadata"], "raw");
    if (!raw.empty()) message += message.empty() ? raw : " (" + raw + ")";
  }
  return message;
}

ErrorCode CodeForStatus(int status) {
  switch (status) {
    case 400:
    case 413:
    case 422:
      return ErrorCode::kInvalidArgument;
    case 401:
      return ErrorCode::kUnauthenticated;
    case 402:
      return ErrorCode::kFailedPrecondition;
    case 429:
      return ErrorCode::kResourceExhausted;
    case 403:
      return ErrorCode::kPermissionDenied;
    case 404:
      return ErrorCode::kNotFound;
    case 408:
      return ErrorCode::kDeadlineExceeded;
    case 409:
      return ErrorCode::kAborted;
    default:
      return status >= 500 && status <= 599 ? ErrorCode::kUnavailable : ErrorCode::kInternal;
  }
}

bool ContainsNoCase(std::string_view text, std::string_view needle) {
  auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
  return it != text.end();
}

// What an error body says about who is at fault.
struct ErrorFacts {
  std::string code;         // error.code when it is a string (Groq's "organization_restricted")
  std::string status;       // Google's error.status ("PERMISSION_DENIED", ...)
  std::string reason;       // Google's ErrorInfo reason ("API_KEY_INVALID", ...)
  std::string message;      // lower case
  bool moderation = false;  // OpenRouter's metadata.reasons or flagged_input
};

std::string ErrorInfoReason(const json& error) {
  auto details = error.find("details");
  if (details == error.end() || !details->is_array()) return "";
  for (const json& detail : *details) {
    if (StringField(detail, "@type").ends_with("google.rpc.ErrorInfo")) {
      return StringField(detail, "reason");
    }
  }
  return "";
}

ErrorFacts ReadErrorFacts(std::string_view body) {
  ErrorFacts facts;
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return facts;
  const json* error = ErrorObject(parsed);
  if (error == nullptr || !error->is_object()) return facts;
  facts.code = StringField(*error, "code");
  facts.status = StringField(*error, "status");
  facts.reason = ErrorInfoReason(*error);
  facts.message = MessageOf(*error);
  for (char& c : facts.message) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto metadata = error->find("metadata");
  facts.moderation = metadata != error->end() && metadata->is_object() &&
                     (metadata->contains("reasons") || metadata->contains("flagged_input"));
  return facts;
}

// A body that says the key itself is refused, whatever the status (Gemini sends a bad key
// as 400, Groq a restricted organisation as 400, OpenRouter a spent key limit as 403).
std::optional<ReplyPolicy> RefusedKey(const ErrorFacts& facts) {
  if (facts.reason == "API_KEY_INVALID" || facts.message.starts_with("api key not valid") ||
      facts.message.starts_with("api key not found")) {
    return ReplyPolicy{KeyAction::kDisable, CallAction::kRotate, "API_KEY_INVALID"};
  }
  if (facts.code == "organization_restricted") {
    return ReplyPolicy{KeyAction::kDisable, CallAction::kRotate, "organization_restricted"};
  }
  if (facts.message.starts_with("key limit exceeded")) {
    return ReplyPolicy{KeyAction::kNoCredit, CallAction::kRotate, "key limit exceeded"};
  }
  if (facts.status == "PERMISSION_DENIED" || facts.reason == "CONSUMER_SUSPENDED") {
    return ReplyPolicy{KeyAction::kDisable, CallAction::kRotate, "PERMISSION_DENIED"};
  }
  return std::nullopt;
}

ReplyPolicy PolicyFor4xx(std::string_view provider, int status, const ErrorFacts& facts) {
  switch (status) {
    case 400:
      if (facts.status == "FAILED_PRECONDITION") {
        // Gemini: no free tier where the request comes from; no key of it will do.
        return {KeyAction::kDisable, CallAction::kRotate, "FAILED_PRECONDITION"};
      }
      return {KeyAction::kCount, CallAction::kFail, ""};
    case 401:
      return {KeyAction::kDisable, CallAction::kRotate, "unauthorized"};
    case 402:
      return {KeyAction::kNoCredit, CallAction::kRotate, "no credit"};
    case 403:
      if (provider == "openrouter") {
        // OpenRouter's 403 is its moderation refusing this prompt, not the key.
        return {KeyAction::kCount, CallAction::kFailOver, facts.moderation ? "moderation" : ""};
      }
      if (provider == "gemini") return {KeyAction::kDisable, CallAction::kRotate, ""};
      return {KeyAction::kBarModel, CallAction::kRotate, ""};
    case 404:
      return {KeyAction::kCount, CallAction::kFailOver, ""};
    case 408:
      return {KeyAction::kCount, CallAction::kRetry, ""};
    case 413:
      return {KeyAction::kCount, CallAction::kFailOver, "too large"};
    case 429:
      return {KeyAction::kCool, CallAction::kRotate, ""};
    default:
      return {KeyAction::kCount, CallAction::kFail, ""};
  }
}

const json* UsageObject(const json& root) {
  if (!root.is_object()) return nullptr;
  auto usage = root.find("usage");
  if (usage != root.end() && usage->is_object()) return &*usage;
  auto error = root.find("error");
  if (error == root.end() || !error->is_object()) return nullptr;
  usage = error->find("usage");
  return usage != error->end() && usage->is_object() ? &*usage : nullptr;
}

int64_t Count(const json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_number_integer()) return 0;
  return std::max<int64_t>(0, it->get<int64_t>());
}

}  // namespace

ReplyPolicy PolicyForReply(std::string_view provider, int status, std::string_view body) {
  if (status >= 400 && status <= 499) {
    const ErrorFacts facts = ReadErrorFacts(body);
    if (std::optional<ReplyPolicy> refused = RefusedKey(facts)) return *refused;
    return PolicyFor4xx(provider, status, facts);
  }
  if (status == 503 && provider == "openrouter") {
    // "No available model provider that meets your routing requirements".
    return {KeyAction::kCount, CallAction::kFailOver, "no provider"};
  }
  // 5xx, no reply (0), or a 2xx/3xx HFS cannot read: the server's trouble.
  return {KeyAction::kCount, CallAction::kRetry, ""};
}

std::optional<Usage> UsageInErrorBody(std::string_view body) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return std::nullopt;
  const json* usage = UsageObject(parsed);
  if (usage == nullptr) return std::nullopt;
  Usage out{.prompt_tokens = Count(*usage, "prompt_tokens"),
            .completion_tokens = Count(*usage, "completion_tokens")};
  if (out.total() == 0) return std::nullopt;
  return out;
}

std::string ProviderErrorMessage(std::string_view body) {
  json parsed = json::parse(body, nullptr, false);
  if (!parsed.is_discarded()) {
    if (const json* error = ErrorObject(parsed)) {
      std::string message = MessageOf(*error);
      if (!message.empty()) return Clean(message);
    }
  }
  return Clean(body);
}

Error ErrorForStatus(int http_status, std::string_view body) {
  std::string message = "HTTP " + std::to_string(http_status);
  if (IsToolUseFailure(http_status, body)) message += " tool_use_failed";
  std::string text = ProviderErrorMessage(body);
  if (!text.empty()) message += ": " + text;
  if (std::optional<std::string> generated = FailedGeneration(body)) {
    // What the model actually sent, for the repair turn that shows it its mistake.
    message += " failed_generation: " + Clean(*generated);
  }
  return Error{CodeForStatus(http_status), std::move(message)};
}

bool IsToolUseFailure(int http_status, std::string_view body) {
  if (http_status != 400) return false;
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return false;
  const json* error = ErrorObject(parsed);
  if (error == nullptr) return false;
  if (StringField(*error, "code") == "tool_use_failed") return true;
  return ContainsNoCase(MessageOf(*error), "tool call validation failed");
}

std::optional<std::string> FailedGeneration(std::string_view body) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return std::nullopt;
  const json* error = ErrorObject(parsed);
  if (error == nullptr) return std::nullopt;
  auto it = error->is_object() ? error->find("failed_generation") : error->end();
  if (it == error->end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

bool IsRetryable(const Error& error) {
  return error.code == ErrorCode::kUnavailable || error.code == ErrorCode::kDeadlineExceeded;
}

}  // namespace hfs::llm
