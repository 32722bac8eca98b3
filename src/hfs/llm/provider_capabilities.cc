#include "hfs/llm/provider_capabilities.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace hfs::llm {

Capabilities BuiltinCapabilities(std::string_view provider) {
  if (provider == "groq") {
    return {.named_tool_choice = true,
            .strict_json_schema = true,
            .reasoning_effort = EffortForm::kTopLevel};
  }
  if (provider == "cerebras") {
    // Forced tools as the only tool with "auto": named and "required" are not relied on.
    return {.named_tool_choice = false,
            .required_tool_choice = false,
            .strict_json_schema = true,
            .reasoning_effort = EffortForm::kTopLevel};
  }
  if (provider == "gemini") {
    return {.named_tool_choice = true,
            .strict_json_schema = false,
            .reasoning_effort = EffortForm::kTopLevel};
  }
  if (provider == "openrouter") {
    return {.named_tool_choice = true,
            .strict_json_schema = true,
            .reasoning_effort = EffortForm::kNested};
  }
  return {};
}

bool IsReasoningModel(std::string_view model) {
  std::string lower(model);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static constexpr std::array<std::string_view, 6> kMarks = {"gpt-oss",  "glm-4", "-r1",
                                                             "thinking", "qwq",   "reasoner"};
  return std::any_of(kMarks.begin(), kMarks.end(),
                     [&](std::string_view mark) { return lower.find(mark) != std::string::npos; });
}

std::optional<std::string> ParseEffort(std::string_view effort) {
  if (effort == "low" || effort == "medium" || effort == "high") return std::string(effort);
  return std::nullopt;
}

int ReasoningAllowance(std::string_view effort) {
  if (effort == "high") return 16384;
  if (effort == "medium") return 6144;
  return 2048;
}

}  // namespace hfs::llm
