// tools/emulator/realism.cc
#include "tools/emulator/realism.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "tools/emulator/seeded.h"

namespace hfs::emulator {
namespace {

// The realistic preset, per request where the behaviour applies. A forced tool call can
// meet 8 of them (about 18% in all), a json_schema reply 4 or 5 (13-15%), a text reply 2
// (4%).
constexpr std::pair<Misbehaviour, double> kPreset[] = {
    {Misbehaviour::kProseInsteadOfTool, 0.03}, {Misbehaviour::kFencedJson, 0.06},
    {Misbehaviour::kMalformedJson, 0.03},      {Misbehaviour::kWrongTool, 0.02},
    {Misbehaviour::kSchemaViolation, 0.03},    {Misbehaviour::kTruncated, 0.03},
    {Misbehaviour::kEmptyContent, 0.01},       {Misbehaviour::kDuplicateToolCall, 0.01},
    {Misbehaviour::kLongReply, 0.03},          {Misbehaviour::kForeignSection, 0.02}};
constexpr double kPresetReasoning = 1.0;

size_t IndexOf(Misbehaviour misbehaviour) {
  for (size_t i = 0; i < kMisbehaviourCount; ++i) {
    if (kAllMisbehaviours[i] == misbehaviour) return i;
  }
  return kMisbehaviourCount;
}

// `text` without surrounding spaces, in lower case.
std::string Normalized(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

void Apply(const RealismOverrides& overrides, RealismSettings& settings) {
  for (const auto& [key, rate] : overrides.rates) {
    if (key == kReasoning) {
      settings.reasoning = rate;
    } else if (const auto misbehaviour = ParseMisbehaviour(key)) {
      settings.SetRate(*misbehaviour, rate);
    }
  }
  if (overrides.ignores_named_tool_choice) {
    settings.ignores_named_tool_choice = *overrides.ignores_named_tool_choice;
  }
}

}  // namespace

std::string_view MisbehaviourName(Misbehaviour misbehaviour) {
  switch (misbehaviour) {
    case Misbehaviour::kProseInsteadOfTool:
      return "prose_instead_of_tool";
    case Misbehaviour::kFencedJson:
      return "fenced_json";
    case Misbehaviour::kMalformedJson:
      return "malformed_json";
    case Misbehaviour::kWrongTool:
      return "wrong_tool";
    case Misbehaviour::kSchemaViolation:
      return "schema_violation";
    case Misbehaviour::kTruncated:
      return "truncated";
    case Misbehaviour::kEmptyContent:
      return "empty_content";
    case Misbehaviour::kDuplicateToolCall:
      return "duplicate_tool_call";
    case Misbehaviour::kLongReply:
      return "long_reply";
    case Misbehaviour::kForeignSection:
      return "foreign_section";
    case Misbehaviour::kNone:
      break;
  }
  return "none";
}

std::optional<Misbehaviour> ParseMisbehaviour(std::string_view name) {
  if (name == "none") return Misbehaviour::kNone;
  for (Misbehaviour m : kAllMisbehaviours) {
    if (MisbehaviourName(m) == name) return m;
  }
  return std::nullopt;
}

std::string_view RealismProfileName(RealismProfile profile) {
  return profile == RealismProfile::kRealistic ? "realistic" : "kind";
}

std::optional<RealismProfile> ParseRealismProfile(std::string_view name) {
  if (name == "kind") return RealismProfile::kKind;
  if (name == "realistic") return RealismProfile::kRealistic;
  return std::nullopt;
}

bool IsRealismRateKey(std::string_view key) {
  const auto misbehaviour = ParseMisbehaviour(key);
  return key == kReasoning || (misbehaviour && *misbehaviour != Misbehaviour::kNone);
}

double RealismSettings::Rate(Misbehaviour misbehaviour) const {
  const size_t index = IndexOf(misbehaviour);
  return index < kMisbehaviourCount ? rates[index] : 0.0;
}

void RealismSettings::SetRate(Misbehaviour misbehaviour, double rate) {
  const size_t index = IndexOf(misbehaviour);
  if (index < kMisbehaviourCount) rates[index] = rate;
}

RealismSettings RealisticPreset(Personality personality) {
  RealismSettings settings{.enabled = true, .reasoning = kPresetReasoning};
  for (const auto& [misbehaviour, rate] : kPreset) settings.SetRate(misbehaviour, rate);
  // llama.cpp's llama-server reads a named tool_choice as "auto" (docs/emulator.md).
  settings.ignores_named_tool_choice = personality == Personality::kPlain;
  return settings;
}

RealismSettings ResolveRealism(RealismProfile profile, Personality personality,
                               const RealismOverrides& provider, const RealismOverrides* model) {
  if (profile == RealismProfile::kKind) return {};
  RealismSettings settings = RealisticPreset(personality);
  Apply(provider, settings);
  if (model != nullptr) Apply(*model, settings);
  return settings;
}

Result<RealismForce> ParseRealismHeader(std::string_view value) {
  RealismForce force;
  size_t start = 0;
  while (start <= value.size()) {
    const size_t comma = std::min(value.find(',', start), value.size());
    const std::string name = Normalized(value.substr(start, comma - start));
    start = comma + 1;
    if (name.empty()) continue;
    if (name == kReasoning) {
      force.reasoning = true;
    } else if (name == kIgnoresNamedToolChoice) {
      force.ignores_named_tool_choice = true;
    } else if (const auto misbehaviour = ParseMisbehaviour(name)) {
      if (force.misbehaviour && *force.misbehaviour != *misbehaviour) {
        return Fail(ErrorCode::kInvalidArgument,
                    "X-Emulator-Realism names two misbehaviours; a request gets at most one");
      }
      force.misbehaviour = misbehaviour;
    } else {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("X-Emulator-Realism: unknown behaviour '{}'", name));
    }
  }
  return force;
}

Misbehaviour DrawMisbehaviour(const RealismSettings& settings,
                              const std::vector<Misbehaviour>& applicable, uint64_t draw) {
  double sum = 0;
  for (Misbehaviour m : applicable) sum += settings.Rate(m);
  const double scale = sum > 1.0 ? 1.0 / sum : 1.0;
  const double u = UnitInterval(Mix(draw));
  double cumulative = 0;
  for (Misbehaviour m : applicable) {
    cumulative += settings.Rate(m) * scale;
    if (u < cumulative) return m;
  }
  return Misbehaviour::kNone;
}

bool IsReasoningModel(std::string_view model) {
  const std::string lower = Normalized(model);
  for (const char* marker : {"gpt-oss", "glm", "-r1", "thinking", "qwq"}) {
    if (lower.find(marker) != std::string::npos) return true;
  }
  return false;
}

}  // namespace hfs::emulator
