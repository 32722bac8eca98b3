// tools/emulator/reasoning.cc
//
// Reasoning models (realism.h): the reasoning text, its length per reasoning effort, and
// max_tokens spent on the reasoning before the answer.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "tools/emulator/code_reply.h"
#include "tools/emulator/realism_reply.h"
#include "tools/emulator/section_code.h"
#include "tools/emulator/seeded.h"
#include "tools/emulator/tokens.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

constexpr int64_t kMinimalTokens = 50;
constexpr int64_t kLowTokens = 150;
constexpr int64_t kMediumTokens = 600;
constexpr int64_t kHighTokens = 1500;
constexpr double kJitter = 0.25;  // ± share of the effort's length
constexpr size_t kTopicChars = 70;

int64_t EffortTokens(const std::string& effort) {
  if (effort == "none") return 0;
  if (effort == "minimal") return kMinimalTokens;
  if (effort == "low") return kLowTokens;
  if (effort == "high" || effort == "xhigh") return kHighTokens;
  return kMediumTokens;
}

// The effort the request asks for ("" when it names none), and an explicit token budget.
std::pair<std::string, int64_t> Effort(const json& request) {
  std::string effort;
  int64_t budget = 0;
  if (request.contains("reasoning_effort") && request["reasoning_effort"].is_string()) {
    effort = request["reasoning_effort"].get<std::string>();
  }
  const json reasoning = request.value("reasoning", json());
  if (reasoning.is_object()) {
    if (reasoning.contains("effort") && reasoning["effort"].is_string()) {
      effort = reasoning["effort"].get<std::string>();
    }
    if (reasoning.contains("max_tokens") && reasoning["max_tokens"].is_number_integer()) {
      budget = reasoning["max_tokens"].get<int64_t>();
    }
    if (reasoning.contains("enabled") && reasoning["enabled"] == false) effort = "none";
  }
  return {effort, budget};
}

// Plain sentences about the request, repeated with variations up to `chars` characters.
std::string ReasoningText(const json& request, size_t chars, uint64_t seed) {
  std::vector<std::string> texts;
  std::string topic;
  for (const auto& message : request.value("messages", json::array())) {
    if (!message.is_object()) continue;
    std::string text = MessageText(message.value("content", json()));
    if (message.value("role", std::string()) == "user") topic = text;
    texts.push_back(std::move(text));
  }
  topic = topic.substr(0, kTopicChars);
  std::replace(topic.begin(), topic.end(), '\n', ' ');
  std::vector<std::string> tools;
  for (const auto& tool : request.value("tools", json::array())) {
    if (tool.is_object() && tool.contains("function") && tool["function"].is_object()) {
      tools.push_back(tool["function"].value("name", std::string()));
    }
  }
  const std::vector<std::string> sections = FindSectionNames(texts);
  const std::string section_list =
      sections.empty() ? "none named" : fmt::format("{}", fmt::join(sections, ", "));
  const std::string tool_list = tools.empty() ? "none" : fmt::format("{}", fmt::join(tools, ", "));
  const std::vector<std::string> sentences = {
      fmt::format("The user wants this: \"{}\".", topic),
      fmt::format("Which tools do I have? {}.", tool_list),
      fmt::format("The sections in play are {}.", section_list),
      "I should answer in exactly the format that was asked for, nothing more.",
      "Let me check whether another team already asked for the same section.",
      "Hmm, wait. Let me reconsider the constraints before I commit to an answer.",
      "The budget is limited, so the answer should be short and complete.",
      "Okay, that is consistent with what the request says. Let me verify once more.",
      "If the format is JSON, every required field must be present and valid.",
      "Let me think about what could go wrong with this answer and avoid it."};
  // Every sentence once (from a seeded start, 3 apart) before any comes again.
  std::string text;
  const uint64_t start = SeedFor(seed, "start") % sentences.size();
  for (uint64_t i = 0; text.size() < chars; ++i) {
    if (!text.empty()) text += (i % 4 == 0) ? "\n\n" : " ";
    text += sentences[(start + 3 * i) % sentences.size()];
  }
  CutUtf8(text, chars);
  return text;
}

}  // namespace

int64_t MaxTokens(const json& request) {
  int64_t max_tokens = 0;
  if (request.contains("max_completion_tokens") &&
      request["max_completion_tokens"].is_number_integer()) {
    max_tokens = request["max_completion_tokens"].get<int64_t>();
  }
  if (max_tokens <= 0 && request.contains("max_tokens") &&
      request["max_tokens"].is_number_integer()) {
    max_tokens = request["max_tokens"].get<int64_t>();
  }
  return std::max<int64_t>(0, max_tokens);
}

void CutUtf8(std::string& text, size_t bytes) {
  if (text.size() <= bytes) return;
  while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
  text.resize(bytes);
}

int64_t ReasoningTokens(const json& request, uint64_t seed) {
  const auto [effort, budget] = Effort(request);
  if (effort == "none") return 0;
  if (budget > 0) return budget;
  const double jitter = 1.0 + kJitter * (2.0 * UnitInterval(SeedFor(seed, "reasoning")) - 1.0);
  return std::max<int64_t>(1, static_cast<int64_t>(EffortTokens(effort) * jitter));
}

bool ReasoningHidden(const json& request) {
  if (request.value("include_reasoning", true) == false) return true;
  if (request.value("reasoning_format", std::string()) == "hidden") return true;
  const json reasoning = request.value("reasoning", json());
  return reasoning.is_object() && reasoning.value("exclude", false);
}

void AddReasoning(const json& request, int64_t tokens, bool hidden, uint64_t seed,
                  Completion& completion) {
  const int64_t max_tokens = MaxTokens(request);
  const int64_t answer = CompletionTokens(completion);
  completion.reasoning_tokens = tokens;
  if (max_tokens > 0 && tokens >= max_tokens) {
    // The reasoning alone spends the budget: no answer at all.
    completion.reasoning_tokens = max_tokens;
    completion.content.clear();
    completion.content_null = false;
    completion.tool_calls.clear();
    completion.finish_reason = "length";
  } else if (max_tokens > 0 && tokens + answer > max_tokens) {
    const auto room = static_cast<size_t>((max_tokens - tokens) * kCharsPerToken);
    if (!completion.tool_calls.empty()) {
      completion.tool_calls.resize(1);
      ToolCall& call = completion.tool_calls.front();
      CutUtf8(call.arguments, room > call.name.size() ? room - call.name.size() : 0);
    } else {
      CutUtf8(completion.content, room);
    }
    completion.finish_reason = "length";
  }
  if (!hidden) {
    completion.reasoning = ReasoningText(
        request, static_cast<size_t>(completion.reasoning_tokens * kCharsPerToken), seed);
  }
  const bool spent = max_tokens > 0 && completion.finish_reason == "length";
  completion.completion_tokens =
      spent ? max_tokens : completion.reasoning_tokens + CompletionTokens(completion);
}

}  // namespace hfs::emulator
