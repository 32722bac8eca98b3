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

}  // namespace

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
