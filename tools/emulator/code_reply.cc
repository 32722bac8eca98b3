// tools/emulator/code_reply.cc
#include "tools/emulator/code_reply.h"

#include <fmt/format.h>

#include <regex>

#include "tools/emulator/code_text.h"
#include "tools/emulator/outline.h"
#include "tools/emulator/schema_faker.h"
#include "tools/emulator/schema_validator.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

constexpr std::string_view kRepairText = "is not available in the";
// HFS's integration-phase repair instructions.
constexpr std::string_view kBuildRepairText = "failed HFS's build";

}  // namespace

std::string MessageText(const json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string text;
  if (content.is_array()) {
    for (const auto& part : content) {
      if (part.is_object() && part.contains("text") && part["text"].is_string()) {
        text += part["text"].get<std::string>();
      }
    }
  }
  return text;
}

namespace {

// `value` fitted to `schema`, recursively: without the properties it forbids
// (additionalProperties: false), with the required ones it lacks generated from it.
json Fit(json value, const json& schema, const FakerContext& faker) {
  if (!schema.is_object()) return value;
  if (value.is_object() && schema.contains("properties") && schema["properties"].is_object()) {
    const json& properties = schema["properties"];
    if (schema.value("additionalProperties", json(true)) == json(false)) {
      for (auto it = value.begin(); it != value.end();) {
        it = properties.contains(it.key()) ? std::next(it) : value.erase(it);
      }
    }
    for (const json& name : schema.value("required", json::array())) {
      if (name.is_string() && properties.contains(name.get<std::string>()) &&
          !value.contains(name.get<std::string>())) {
        value[name.get<std::string>()] = FakeValue(properties[name.get<std::string>()], faker);
      }
    }
    for (auto& [key, item] : value.items()) {
      if (properties.contains(key)) item = Fit(item, properties[key], faker);
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (json& item : value) item = Fit(item, schema["items"], faker);
  }
  return value;
}

std::optional<std::string> Fitted(const json& value, const json& schema, uint64_t seed) {
  json fitted = Fit(value, schema, FakerContext{.seed = seed});
  if (ValidateAgainstSchema(fitted, schema).has_value()) return std::nullopt;
  return fitted.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::optional<CodeAsk> FindCodeAsk(const json& messages) {
  if (!messages.is_array()) return std::nullopt;
  std::optional<CodeAsk> ask;
  std::vector<std::string> texts;
  bool assistant_seen = false;
  bool repaired = false;
  bool build_repaired = false;
  for (const json& message : messages) {
    if (!message.is_object()) continue;
    const std::string role = message.value("role", std::string());
    std::string text = MessageText(message.value("content", json()));
    if (role == "assistant") assistant_seen = true;
    if (role == "user") {
      if (assistant_seen && text.find(kRepairText) != std::string::npos) repaired = true;
      if (text.find(kBuildRepairText) != std::string::npos) build_repaired = true;
      if (std::optional<CodeAsk> parsed = ParseCodeAsk(text)) ask = std::move(parsed);
    }
    texts.push_back(std::move(text));
  }
  if (!ask) return std::nullopt;
  ask->import_repaired = repaired;
  ask->build_repaired = build_repaired;
  static const std::regex kHeaderFormat(R"re((^|\n)\s*(output\s+)?format\s*:)re",
                                        std::regex::icase);
  static const std::regex kAnyFormat(R"re(output format\s*:\s*([A-Za-z]+))re", std::regex::icase);
  bool header_names_format = false;
  for (const json& message : messages) {
    if (!message.is_object() || message.value("role", std::string()) != "user") continue;
    const std::string text = MessageText(message.value("content", json()));
    if (ParseCodeAsk(text) && std::regex_search(text, kHeaderFormat)) header_names_format = true;
  }
  if (!header_names_format) {
    for (const std::string& text : texts) {
      std::smatch match;
      if (std::regex_search(text, match, kAnyFormat)) {
        ask->format = ParseOutputFormat(match[1].str());
        break;
      }
    }
  }
  return ask;
}

std::optional<std::string> OutlineReply(const json& schema, const std::vector<std::string>& texts,
                                        std::string_view fallback, uint64_t seed) {
  return Fitted(PageOutline(RequestOf(texts, fallback)), schema, seed);
}

std::optional<std::string> CodeReply(const json& schema, const CodeAsk& ask, uint64_t seed,
                                     bool broken) {
  json files = json::array();
  std::string paths;
  bool injected = !broken || ask.kind != SectionKind::kRegion;
  for (EmulatedFile file : SectionFiles(ask, seed)) {
    const bool markup = file.path.ends_with(".html");
    const bool script = file.path.ends_with(".tsx") || file.path.ends_with(".jsx") ||
                        file.path.ends_with(".js") || file.path.ends_with(".vue") ||
                        file.path.ends_with(".svelte");
    if (!injected && (markup || script)) {
      const std::string unclosed =
          markup ? "\n<script>\n  function tally(items) {\n    return items.length;\n</script>\n"
                 : "\nfunction tally(items) {\n  return items.length;\n";
      // Inside the Markdown fence, when the file has one.
      size_t fence = file.content.rfind("```");
      size_t end = file.content.find_last_not_of(" \t\r\n");
      if (fence != std::string::npos && end != std::string::npos && fence + 2 == end &&
          file.content.find("```") != fence) {
        file.content.insert(fence, unclosed);
      } else {
        file.content += unclosed;
      }
      injected = true;
    }
    files.push_back({{"path", file.path}, {"content", file.content}});
    paths += (paths.empty() ? "" : ", ") + file.path;
  }
  const std::string what =
      ask.kind == SectionKind::kConcern
          ? fmt::format("the {} concern's {}", ask.section, ContributionName(ask.contribution))
          : fmt::format("the {} region (#{})", ask.section, ask.root);
  const std::string notes =
      fmt::format("Wrote {} as {}: {}.", what, OutputFormatName(ask.format), paths);
  return Fitted({{"files", files}, {"notes", notes}}, schema, seed);
}

bool HasFilesProperty(const json& schema) {
  if (!schema.is_object() || !schema.contains("properties")) return false;
  const json& properties = schema["properties"];
  return properties.is_object() && properties.contains("files") &&
         properties["files"].is_object() && properties["files"].value("type", "") == "array";
}

}  // namespace hfs::emulator
