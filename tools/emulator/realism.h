// tools/emulator/realism.h
//
// The realism profile: how far the emulated model falls short of a kind one. The "kind"
// profile (the default) always calls the forced tool and returns schema-valid JSON. The
// "realistic" profile misbehaves the way real models and servers do, at documented rates
// per request (docs/emulator.md lists each behaviour with its public source): prose
// instead of a forced tool call, fenced or malformed JSON, a wrong tool, arguments that
// break the schema, a reply cut at max_tokens, an empty reply, a duplicated tool call, a
// reply far longer than asked, a section name that was not offered; reasoning models
// reason (and spend max_tokens on it); a server flag makes a named tool_choice act like
// "auto". A config sets the rates per provider and per model; the X-Emulator-Realism
// request header forces one behaviour for one request.
//
//   RealismSettings settings = ResolveRealism(RealismProfile::kRealistic, Personality::kGroq,
//                                             provider.realism, /*model=*/nullptr);
//   Misbehaviour m = DrawMisbehaviour(settings, applicable, SeedFor(seed ^ salt, request_number));
//
// Thread-safe free functions (pure).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"
#include "tools/emulator/personality.h"

namespace hfs::emulator {

// At most one of these is served per request.
enum class Misbehaviour {
  kNone,
  kProseInsteadOfTool,  // a forced tool call answered in text
  kFencedJson,          // JSON content in ```json fences or with a sentence around it
  kMalformedJson,       // almost JSON: trailing comma, single quotes, raw newline in a string
  kWrongTool,           // another offered tool, or one that was not offered
  kSchemaViolation,     // arguments that parse but break the schema (Groq: a 400)
  kTruncated,           // finish_reason "length", arguments or JSON cut mid-way
  kEmptyContent,        // content "" or null, no tool calls, finish_reason "stop"
  kDuplicateToolCall,   // the same call twice, with two ids
  kLongReply,           // a text reply several times longer than asked
  kForeignSection,      // a section name that was not offered; code for another section
};
inline constexpr Misbehaviour kAllMisbehaviours[] = {
    Misbehaviour::kProseInsteadOfTool, Misbehaviour::kFencedJson,
    Misbehaviour::kMalformedJson,      Misbehaviour::kWrongTool,
    Misbehaviour::kSchemaViolation,    Misbehaviour::kTruncated,
    Misbehaviour::kEmptyContent,       Misbehaviour::kDuplicateToolCall,
    Misbehaviour::kLongReply,          Misbehaviour::kForeignSection};
inline constexpr size_t kMisbehaviourCount = std::size(kAllMisbehaviours);

// The config key: "none", "prose_instead_of_tool", "fenced_json", ...
std::string_view MisbehaviourName(Misbehaviour misbehaviour);
// nullopt for an unknown name; "none" is kNone.
std::optional<Misbehaviour> ParseMisbehaviour(std::string_view name);

// The rate key of reasoning and the name of the server flag (also header values).
inline constexpr std::string_view kReasoning = "reasoning";
inline constexpr std::string_view kIgnoresNamedToolChoice = "ignores_named_tool_choice";

enum class RealismProfile { kKind, kRealistic };
// "kind", "realistic".
std::string_view RealismProfileName(RealismProfile profile);
std::optional<RealismProfile> ParseRealismProfile(std::string_view name);

// What one `realism:` block of a provider or model sets: only the keys it names.
struct RealismOverrides {
  std::map<std::string, double> rates;  // misbehaviour name or "reasoning" -> rate in [0, 1]
  std::optional<bool> ignores_named_tool_choice;
};
// True for the misbehaviour names and "reasoning".
bool IsRealismRateKey(std::string_view key);

// The rates in force for one provider and model.
struct RealismSettings {
  bool enabled = false;                            // false: the kind profile, nothing below applies
  std::array<double, kMisbehaviourCount> rates{};  // in the order of kAllMisbehaviours
  double reasoning = 0;                            // probability that a reasoning model reasons
  bool ignores_named_tool_choice = false;

  double Rate(Misbehaviour misbehaviour) const;
  void SetRate(Misbehaviour misbehaviour, double rate);
};

// The realistic preset (docs/emulator.md has the table): a few percent per behaviour,
// reasoning always on, and ignores_named_tool_choice for the plain personality.
RealismSettings RealisticPreset(Personality personality);
// The kind profile gives disabled settings; the realistic one the preset, then the
// provider's overrides, then the model's (`model` may be null).
RealismSettings ResolveRealism(RealismProfile profile, Personality personality,
                               const RealismOverrides& provider, const RealismOverrides* model);

// The X-Emulator-Realism header: comma-separated behaviour names ("fenced_json",
// "reasoning, truncated", "ignores_named_tool_choice", "none"), forcing them for one
// request in either profile. At most one misbehaviour.
struct RealismForce {
  std::optional<Misbehaviour> misbehaviour;  // kNone: no misbehaviour at all
  bool reasoning = false;                    // reason even if the model is not a reasoning one
  bool ignores_named_tool_choice = false;
};
// kInvalidArgument for an unknown name or two misbehaviours.
Result<RealismForce> ParseRealismHeader(std::string_view value);

// The misbehaviour of a request whose seeded draw is `draw`, among `applicable` ones,
// each with its rate (scaled down when the applicable rates add up to more than 1).
Misbehaviour DrawMisbehaviour(const RealismSettings& settings,
                              const std::vector<Misbehaviour>& applicable, uint64_t draw);

// Models whose name contains gpt-oss, glm, -r1, thinking or qwq (any case).
bool IsReasoningModel(std::string_view model);

}  // namespace hfs::emulator
