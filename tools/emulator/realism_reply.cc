// tools/emulator/realism_reply.cc
//
// Each misbehaviour of the realistic profile as a change to the kind model's Completion,
// plus ignores_named_tool_choice and the draw that picks them (docs/emulator.md).
#include "tools/emulator/realism_reply.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "tools/emulator/code_reply.h"
#include "tools/emulator/faults.h"
#include "tools/emulator/schema_validator.h"
#include "tools/emulator/section_code.h"
#include "tools/emulator/seeded.h"
#include "tools/emulator/tokens.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

// Salts that keep the realism draws apart from the faults' and the latency's.
constexpr uint64_t kMisbehaviourSalt = 0x5ea11;
constexpr uint64_t kVariantSalt = 0x7a71a;
constexpr uint64_t kReasoningSalt = 0x7ea50;
constexpr uint64_t kToolChoiceSalt = 0xc401c;

constexpr size_t kShortValue = 60;
constexpr size_t kLongReplyMinChars = 600;
constexpr size_t kLongReplyFactor = 4;
constexpr size_t kLongReplyExtraChars = 4000;
// Tool names a model calls that no one offered (Groq rejects them, docs/emulator.md).
constexpr const char* kUnofferedTools[] = {"json", "submit", "final_answer", "respond"};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// What the realism reads from the request.
struct Scene {
  const json& request;
  json tools = json::array();
  std::string named_choice;    // tool_choice {"type": "function", "function": {"name"}}
  bool required = false;       // tool_choice "required"
  std::string format;          // response_format type
  json spec = json::object();  // response_format json_schema: {name, schema}
  std::vector<std::string> sections;
  std::optional<CodeAsk> ask;

  bool Forced() const { return !tools.empty() && (required || !named_choice.empty()); }
  bool JsonFormat() const { return format == "json_schema" || format == "json_object"; }
};

Scene Read(const json& request) {
  Scene scene{.request = request};
  const json tools = request.value("tools", json::array());
  if (tools.is_array()) scene.tools = tools;
  const json choice = request.value("tool_choice", json());
  if (choice.is_object() && choice.contains("function") && choice["function"].is_object()) {
    scene.named_choice = choice["function"].value("name", std::string());
  }
  scene.required = choice == "required";
  const json format = request.value("response_format", json());
  if (format.is_object()) {
    scene.format = format.value("type", std::string());
    const json spec = format.value("json_schema", json::object());
    if (spec.is_object()) scene.spec = spec;
  }
  std::vector<std::string> texts;
  const json messages = request.value("messages", json::array());
  for (const auto& message : messages) {
    if (message.is_object()) texts.push_back(MessageText(message.value("content", json())));
  }
  scene.sections = FindSectionNames(texts);
  scene.ask = FindCodeAsk(messages);
  return scene;
}

std::vector<std::string> ToolNames(const Scene& scene) {
  std::vector<std::string> names;
  for (const auto& tool : scene.tools) {
    if (tool.is_object() && tool.contains("function") && tool["function"].is_object()) {
      names.push_back(tool["function"].value("name", std::string()));
    }
  }
  return names;
}

json ToolSchema(const Scene& scene, const std::string& name) {
  for (const auto& tool : scene.tools) {
    if (tool.is_object() && tool.contains("function") && tool["function"].is_object() &&
        tool["function"].value("name", std::string()) == name) {
      return tool["function"].value("parameters", json::object());
    }
  }
  return json::object();
}

bool HasCall(const Completion& c) { return !c.tool_calls.empty(); }

// Valid JSON content of a json_schema / json_object reply.
bool JsonContent(const Scene& scene, const Completion& c) {
  return !HasCall(c) && scene.JsonFormat() && json::accept(c.content);
}

bool CodeCall(const Scene& scene) {
  return scene.ask.has_value() && (scene.spec.value("name", std::string()) == "generated_code" ||
                                   HasFilesProperty(scene.spec.value("schema", json::object())));
}

// --- foreign_section ---

bool SectionProperty(const std::string& name) {
  return Lower(name).find("section") != std::string::npos;
}

// Section names the conversation knows, the code call's contract included.
std::vector<std::string> KnownSections(const Scene& scene) {
  std::vector<std::string> known = scene.sections;
  if (scene.ask) {
    for (const ContractRegion& region : scene.ask->regions) {
      for (const std::string& name : {region.root, region.section}) {
        if (std::find(known.begin(), known.end(), name) == known.end()) known.push_back(name);
      }
    }
  }
  return known;
}

// Names `value` could take instead: not in the property's enum when it has one, else any
// other known name.
std::vector<std::string> ForeignNames(const json& property, const std::string& current,
                                      const Scene& scene) {
  const json values = property.is_object() ? property.value("enum", json()) : json();
  std::vector<std::string> names;
  for (const std::string& name : KnownSections(scene)) {
    const bool offered = values.is_array()
                             ? std::find(values.begin(), values.end(), json(name)) != values.end()
                             : name == current;
    if (!offered) names.push_back(name);
  }
  return names;
}

// Replaces the first string under a property named like "section" by a foreign name.
bool PutForeignSection(json& value, const json& schema, const Scene& scene, uint64_t variant) {
  if (!schema.is_object()) return false;
  if (value.is_object() && schema.contains("properties") && schema["properties"].is_object()) {
    for (auto& [key, item] : value.items()) {
      const json property = schema["properties"].value(key, json::object());
      if (SectionProperty(key) && (item.is_string() || item.is_array())) {
        json& target = item.is_array() && !item.empty() ? item[0] : item;
        const json element = item.is_array() ? property.value("items", json::object()) : property;
        if (!target.is_string()) continue;
        const std::vector<std::string> names =
            ForeignNames(element, target.get<std::string>(), scene);
        if (names.empty()) continue;
        target = names[variant % names.size()];
        return true;
      }
      if (PutForeignSection(item, property, scene, variant)) return true;
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (json& item : value) {
      if (PutForeignSection(item, schema["items"], scene, variant)) return true;
    }
  }
  return false;
}

std::vector<const ContractRegion*> OtherRegions(const CodeAsk& ask) {
  std::vector<const ContractRegion*> others;
  for (const ContractRegion& region : ask.regions) {
    if (region.root != ask.root) others.push_back(&region);
  }
  return others;
}

// The code call answered with the files of another region of the contract.
std::optional<std::string> ForeignCode(const Scene& scene, uint64_t seed, uint64_t variant) {
  const std::vector<const ContractRegion*> others = OtherRegions(*scene.ask);
  if (others.empty()) return std::nullopt;
  const ContractRegion& other = *others[variant % others.size()];
  CodeAsk ask = *scene.ask;
  ask.section = other.section;
  ask.root = other.root;
  ask.content = other.content;
  ask.kind = SectionKind::kRegion;
  ask.contribution = Contribution::kNone;
  ask.files.clear();  // the listed names belong to the asked section
  return CodeReply(scene.spec.value("schema", json::object()), ask, seed);
}

// `dry_run`: only whether it would apply (without writing code).
bool ForeignSection(const Scene& scene, Completion& c, uint64_t seed, uint64_t variant,
                    bool dry_run = false) {
  if (JsonContent(scene, c) && CodeCall(scene)) {
    if (dry_run) return !OtherRegions(*scene.ask).empty();
    const auto code = ForeignCode(scene, seed, variant);
    if (code) c.content = *code;
    return code.has_value();
  }
  json value = json::parse(HasCall(c) ? c.tool_calls.front().arguments : c.content, nullptr,
                           /*allow_exceptions=*/false);
  const json schema = HasCall(c) ? ToolSchema(scene, c.tool_calls.front().name)
                                 : scene.spec.value("schema", json::object());
  if (!(HasCall(c) || JsonContent(scene, c)) || value.is_discarded() ||
      !PutForeignSection(value, schema, scene, variant)) {
    return false;
  }
  (HasCall(c) ? c.tool_calls.front().arguments : c.content) = value.dump();
  return true;
}

// --- malformed_json ---

std::string TrailingComma(std::string text) {
  size_t end = text.find_last_not_of(" \n\t");
  if (end == std::string::npos) return text + ",";
  if (text[end] == '}' || text[end] == ']') text.insert(end, ",");
  return text;
}

// {'key': 'value'}: a Python dict rather than JSON.
std::string SingleQuoted(const json& value) {
  if (value.is_string()) {
    const std::string dumped = json(value).dump();
    std::string inner;
    for (size_t i = 1; i + 1 < dumped.size(); ++i) {
      if (dumped[i] == '\\' && dumped[i + 1] == '"') continue;  // \" -> "
      if (dumped[i] == '\'') inner += '\\';
      inner += dumped[i];
    }
    return "'" + inner + "'";
  }
  std::vector<std::string> parts;
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      parts.push_back(SingleQuoted(json(key)) + ": " + SingleQuoted(item));
    }
    return fmt::format("{{{}}}", fmt::join(parts, ", "));
  }
  if (value.is_array()) {
    for (const auto& item : value) parts.push_back(SingleQuoted(item));
    return fmt::format("[{}]", fmt::join(parts, ", "));
  }
  return value.dump();
}

// Every \n escape inside strings written as a raw newline; without any, one raw newline in
// the middle of the first string value.
std::string RawNewlines(const std::string& text) {
  std::string out;
  bool in_string = false;
  bool replaced = false;
  size_t first_value = std::string::npos;  // where the first string value's text starts
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string && c == '\\' && i + 1 < text.size()) {
      replaced |= text[i + 1] == 'n';
      out += text[i + 1] == 'n' ? std::string("\n") : text.substr(i, 2);
      ++i;
      continue;
    }
    if (c == '"') {
      const size_t before = out.find_last_not_of(" \n\t");
      if (!in_string && first_value == std::string::npos && before != std::string::npos &&
          out[before] == ':') {
        first_value = out.size() + 1;
      }
      in_string = !in_string;
    }
    out += c;
  }
  if (replaced || first_value == std::string::npos) return out;
  const size_t close = out.find('"', first_value);
  if (close == std::string::npos) return out;
  size_t at = first_value + (close - first_value) / 2;
  while (at < close &&
         (out[at - 1] == '\\' || (static_cast<unsigned char>(out[at]) & 0xC0) == 0x80)) {
    ++at;
  }
  out.insert(at, "\n");
  return out;
}

std::string AlmostJson(const std::string& text, uint64_t variant) {
  const json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::string broken;
  switch (variant % 3) {
    case 0:
      broken = TrailingComma(text);
      break;
    case 1:
      broken = value.is_discarded() ? text : SingleQuoted(value);
      break;
    default:
      broken = RawNewlines(text);
      break;
  }
  return json::accept(broken) ? TrailingComma(text) : broken;
}

// --- schema_violation ---

// A value outside `values`: the current one capitalised, as models often send it.
std::string NearMiss(const json& values, std::string current) {
  if (!current.empty()) current[0] = static_cast<char>(std::toupper(current[0]));
  while (std::find(values.begin(), values.end(), json(current)) != values.end()) current += "s";
  return current;
}

std::string ViolatingArguments(const std::string& arguments, const json& schema, uint64_t variant) {
  json value = json::parse(arguments, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object() || !schema.is_object()) return ViolateSchema(arguments, schema);
  std::vector<std::string> required;
  for (const auto& name : schema.value("required", json::array())) {
    if (name.is_string() && value.contains(name.get<std::string>())) required.push_back(name);
  }
  std::vector<std::string> enums;
  const json properties = schema.value("properties", json::object());
  for (const auto& [key, item] : value.items()) {
    const json values = properties.value(key, json::object()).value("enum", json());
    if (item.is_string() && values.is_array() && !values.empty()) enums.push_back(key);
  }
  const bool use_enum = !enums.empty() && (required.empty() || variant % 2 == 0);
  if (use_enum) {
    const std::string& key = enums[variant % enums.size()];
    value[key] = NearMiss(properties[key]["enum"], value[key].get<std::string>());
  } else if (!required.empty()) {
    value.erase(required[variant % required.size()]);
  }
  if (ValidateAgainstSchema(value, schema)) return value.dump();
  return ViolateSchema(arguments, schema);
}

// --- prose_instead_of_tool and long_reply ---

// A short value for prose: strings cut, other values as JSON.
std::string Short(const json& value) {
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text.size() > kShortValue) {
    CutUtf8(text, kShortValue);
    text += "...";
  }
  return text;
}

std::string SectionOf(const json& arguments, const Scene& scene) {
  if (arguments.is_object()) {
    for (const auto& [key, item] : arguments.items()) {
      if (SectionProperty(key) && item.is_string()) return item.get<std::string>();
    }
  }
  return scene.sections.empty() ? "main" : scene.sections.front();
}

// "I'll claim the hero section because ..." from a tool call the model did not make.
std::string PlainProse(const ToolCall& call, const Scene& scene) {
  const json arguments = json::parse(call.arguments, nullptr, /*allow_exceptions=*/false);
  std::string verb = Lower(call.name.substr(0, call.name.find_first_of("_-")));
  if (verb.empty()) verb = "take";
  std::string text = fmt::format(
      "I'll {} the {} section because it is the part of the page this request is about and "
      "nobody else has asked for it yet.",
      verb, SectionOf(arguments, scene));
  if (arguments.is_object() && !arguments.empty()) {
    std::vector<std::string> details;
    for (const auto& [key, item] : arguments.items()) {
      details.push_back(fmt::format("{}: {}", key, Short(item)));
    }
    text += fmt::format(" In short, {}.", fmt::join(details, "; "));
  }
  return text;
}

// {"name": "<tool>", "arguments": {...}}, name first, as Llama models print a call.
std::string LlamaStyle(const std::string& name, const json& arguments) {
  return fmt::format(R"({{"name": {}, "arguments": {}}})", json(name).dump(), arguments.dump());
}

std::string ProseFor(const ToolCall& call, const Scene& scene, uint64_t variant) {
  const json arguments = json::parse(call.arguments, nullptr, /*allow_exceptions=*/false);
  if (arguments.is_discarded() || variant % 3 == 0) return PlainProse(call, scene);
  if (variant % 3 == 1) return fmt::format("```json\n{}\n```", arguments.dump(2));
  return LlamaStyle(call.name, arguments);
}

// The answer with an introduction and numbered remarks around it, until it is several
// times as long (at most kLongReplyExtraChars more).
std::string Longer(const std::string& text, const Scene& scene) {
  std::vector<std::string> topics = scene.sections;
  topics.insert(topics.begin(), "the page as a whole");
  const char* remarks[] = {
      "The request leaves some room for interpretation for {}, so I stated my assumptions.",
      "For {}, consistency matters: naming, spacing and tone should match the rest.",
      "Accessibility for {} should be considered from the start rather than bolted on.",
      "It is worth testing {} on a narrow screen before calling it done.",
      "If anything about {} is unclear, I am happy to go into more detail."};
  std::string longer =
      "Great question! Let me walk through this carefully before giving my answer.\n\n" + text +
      "\n\nTo expand on that a little:\n";
  const size_t wanted = std::min(std::max(kLongReplyMinChars, text.size() * kLongReplyFactor),
                                 longer.size() + kLongReplyExtraChars);
  const size_t count = topics.size() * std::size(remarks);
  for (size_t i = 0; i < count && longer.size() < wanted; ++i) {
    const std::string remark = fmt::format(fmt::runtime(remarks[i % std::size(remarks)]),
                                           topics[(i / std::size(remarks)) % topics.size()]);
    longer += fmt::format("\n{}. {}", i + 1, remark);
  }
  return longer + "\n\nI hope this helps!";
}

// --- the misbehaviours ---

bool Applies(Misbehaviour m, const Scene& scene, const Completion& c) {
  const bool call = HasCall(c) && !c.tool_calls.front().arguments.empty();
  const bool json_content = JsonContent(scene, c);
  switch (m) {
    case Misbehaviour::kProseInsteadOfTool:
    case Misbehaviour::kWrongTool:
      return call && scene.Forced();
    case Misbehaviour::kFencedJson:
      return json_content;
    case Misbehaviour::kMalformedJson:
    case Misbehaviour::kTruncated:
      return call || json_content;
    case Misbehaviour::kSchemaViolation:
      return call && ToolSchema(scene, c.tool_calls.front().name).contains("properties");
    case Misbehaviour::kEmptyContent:
      return HasCall(c) || !c.content.empty();
    case Misbehaviour::kDuplicateToolCall:
      return HasCall(c);
    case Misbehaviour::kLongReply:
      return !HasCall(c) && !scene.JsonFormat() && !c.content.empty();
    case Misbehaviour::kForeignSection: {
      if (!(call || json_content)) return false;
      Completion copy = c;
      return ForeignSection(scene, copy, 0, 0, /*dry_run=*/true);
    }
    case Misbehaviour::kNone:
      break;
  }
  return false;
}

Reply UnofferedToolReply(const ToolCall& call) {
  const json arguments = json::parse(call.arguments, nullptr, /*allow_exceptions=*/false);
  return ToolUseFailedReply(
      LlamaStyle(call.name, arguments.is_discarded() ? json::object() : arguments),
      fmt::format("tool call validation failed: attempted to call tool '{}' which was not in "
                  "request.tools",
                  call.name));
}

// Changes `out.completion`; false when `m` turned out not to apply.
bool Misbehave(Misbehaviour m, const Scene& scene, const RealismInput& input, RealismOutcome& out) {
  Completion& c = out.completion;
  const uint64_t variant = SeedFor(input.seed ^ kVariantSalt, input.sequence);
  const bool groq = input.personality == Personality::kGroq;
  switch (m) {
    case Misbehaviour::kProseInsteadOfTool:
      c.content = ProseFor(c.tool_calls.front(), scene, variant);
      c.tool_calls.clear();
      c.finish_reason = "stop";
      if (groq) out.rejection = ToolUseFailedReply(c.content);
      return true;
    case Misbehaviour::kFencedJson: {
      const std::string pretty = json::parse(c.content).dump(2);
      const std::string forms[] = {"```json\n" + pretty + "\n```",
                                   "Here is the JSON you asked for:\n\n" + pretty,
                                   pretty + "\n\nEvery field the schema asks for is filled in."};
      c.content = forms[variant % std::size(forms)];
      return true;
    }
    case Misbehaviour::kMalformedJson: {
      std::string& text = HasCall(c) ? c.tool_calls.front().arguments : c.content;
      text = AlmostJson(text, variant);
      return true;
    }
    case Misbehaviour::kWrongTool: {
      ToolCall& call = c.tool_calls.front();
      std::vector<std::string> others;
      for (const std::string& name : ToolNames(scene)) {
        if (name != call.name) others.push_back(name);
      }
      if (!scene.named_choice.empty() && !others.empty() && variant % 2 == 0) {
        json again = scene.request;
        again["tool_choice"] = {{"type", "function"},
                                {"function", {{"name", others[(variant >> 1) % others.size()]}}}};
        const Completion other = Respond(again, input.behaviour);
        if (!other.tool_calls.empty() && other.tool_calls.front().name != call.name) {
          call.name = other.tool_calls.front().name;
          call.arguments = other.tool_calls.front().arguments;
          return true;
        }
      }
      const std::vector<std::string> offered = ToolNames(scene);
      for (size_t i = 0; i < std::size(kUnofferedTools); ++i) {
        const std::string name = kUnofferedTools[(variant + i) % std::size(kUnofferedTools)];
        if (std::find(offered.begin(), offered.end(), name) != offered.end()) continue;
        call.name = name;
        if (groq) out.rejection = UnofferedToolReply(call);
        return true;
      }
      return false;
    }
    case Misbehaviour::kSchemaViolation: {
      ToolCall& call = c.tool_calls.front();
      call.arguments = ViolatingArguments(call.arguments, ToolSchema(scene, call.name), variant);
      if (groq) {
        out.rejection = ToolUseFailedReply(
            fmt::format("<function={}>{}</function>", call.name, call.arguments));
      }
      return true;
    }
    case Misbehaviour::kTruncated: {
      if (HasCall(c)) c.tool_calls.resize(1);
      std::string& text = HasCall(c) ? c.tool_calls.front().arguments : c.content;
      const double share = 0.3 + 0.5 * UnitInterval(variant);
      CutUtf8(text, std::max<size_t>(1, static_cast<size_t>(text.size() * share)));
      c.finish_reason = "length";
      return true;
    }
    case Misbehaviour::kEmptyContent:
      c.content.clear();
      c.content_null = variant % 2 == 1;
      c.tool_calls.clear();
      c.finish_reason = "stop";
      return true;
    case Misbehaviour::kDuplicateToolCall: {
      ToolCall copy = c.tool_calls.front();
      copy.id = fmt::format("call_{:016x}", SeedFor(variant, copy.id));
      c.tool_calls.push_back(std::move(copy));
      return true;
    }
    case Misbehaviour::kLongReply: {
      c.content = Longer(c.content, scene);
      const auto max_chars = static_cast<size_t>(MaxTokens(scene.request) * kCharsPerToken);
      if (max_chars > 0 && c.content.size() > max_chars) {
        CutUtf8(c.content, max_chars);
        c.finish_reason = "length";
      }
      return true;
    }
    case Misbehaviour::kForeignSection:
      return ForeignSection(scene, c, input.seed, variant);
    case Misbehaviour::kNone:
      break;
  }
  return false;
}

// A named tool_choice read as "auto", the way llama-server does: the named tool anyway
// (half the time), another offered tool, or text. Forced by the header: never the named
// tool. True when the reply changed.
bool IgnoreNamedChoice(Scene& scene, const RealismInput& input, Completion& c) {
  const std::string named = scene.named_choice;
  scene.named_choice.clear();  // from here on the request is served as "auto"
  const double u = UnitInterval(SeedFor(input.seed ^ kToolChoiceSalt, input.sequence));
  const double pick = input.force.ignores_named_tool_choice ? 0.5 + u / 2 : u;
  if (pick < 0.5 || c.tool_calls.empty()) return false;
  json others = json::array();
  for (const auto& tool : scene.tools) {
    if (!(tool.is_object() && tool.contains("function") && tool["function"].is_object() &&
          tool["function"].value("name", std::string()) == named)) {
      others.push_back(tool);
    }
  }
  if (pick < 0.75 && !others.empty()) {
    json again = scene.request;
    again["tools"] = others;
    again["tool_choice"] = "required";
    const Completion other = Respond(again, input.behaviour);
    if (!other.tool_calls.empty()) {
      c.tool_calls = other.tool_calls;
      return true;
    }
  }
  c.content = PlainProse(c.tool_calls.front(), scene);
  c.tool_calls.clear();
  c.finish_reason = "stop";
  return true;
}

RealismOutcome Apply(const json& request, Completion kind, const RealismInput& input) {
  RealismOutcome out{.completion = std::move(kind)};
  const RealismSettings& settings = input.settings;
  const RealismForce& force = input.force;
  Scene scene = Read(request);
  if (!scene.named_choice.empty() &&
      (settings.ignores_named_tool_choice || force.ignores_named_tool_choice) &&
      IgnoreNamedChoice(scene, input, out.completion)) {
    out.served.emplace_back(kIgnoresNamedToolChoice);
  }
  Misbehaviour m = force.misbehaviour.value_or(Misbehaviour::kNone);
  if (!force.misbehaviour && settings.enabled) {
    std::vector<Misbehaviour> applicable;
    for (Misbehaviour candidate : kAllMisbehaviours) {
      if (settings.Rate(candidate) > 0 && Applies(candidate, scene, out.completion)) {
        applicable.push_back(candidate);
      }
    }
    m = DrawMisbehaviour(settings, applicable,
                         SeedFor(input.seed ^ kMisbehaviourSalt, input.sequence));
  }
  if (m != Misbehaviour::kNone && Applies(m, scene, out.completion) &&
      Misbehave(m, scene, input, out)) {
    out.served.emplace_back(MisbehaviourName(m));
  }
  const bool reasons =
      force.reasoning ||
      (settings.enabled && IsReasoningModel(input.model) &&
       UnitInterval(SeedFor(input.seed ^ kReasoningSalt, input.sequence)) < settings.reasoning);
  const uint64_t reasoning_seed = SeedFor(input.seed, input.sequence);
  const int64_t reasoning_tokens = reasons ? ReasoningTokens(request, reasoning_seed) : 0;
  if (!out.rejection && reasoning_tokens > 0) {
    AddReasoning(request, reasoning_tokens, ReasoningHidden(request), reasoning_seed,
                 out.completion);
    out.served.emplace_back(kReasoning);
    return out;
  }
  Completion& c = out.completion;
  const int64_t max_tokens = MaxTokens(request);
  c.completion_tokens =
      (c.finish_reason == "length" && max_tokens > 0) ? max_tokens : CompletionTokens(c);
  return out;
}

}  // namespace

RealismOutcome ApplyRealism(const json& request, Completion kind, const RealismInput& input) {
  const RealismForce& force = input.force;
  if (!input.settings.enabled && !force.misbehaviour && !force.reasoning &&
      !force.ignores_named_tool_choice) {
    return {.completion = std::move(kind)};
  }
  const int64_t prompt_tokens = kind.prompt_tokens;
  try {
    RealismOutcome out = Apply(request, kind, input);
    out.completion.prompt_tokens = prompt_tokens;
    return out;
  } catch (const std::exception&) {
    return {.completion = std::move(kind)};  // an odd request gets the kind answer
  }
}

}  // namespace hfs::emulator
