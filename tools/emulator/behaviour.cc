// tools/emulator/behaviour.cc
#include "tools/emulator/behaviour.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "tools/emulator/code_reply.h"
#include "tools/emulator/schema_faker.h"
#include "tools/emulator/section_code.h"
#include "tools/emulator/seeded.h"
#include "tools/emulator/tokens.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

constexpr size_t kEchoChars = 80;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// What the behaviour reads from the conversation.
struct Conversation {
  std::vector<std::string> texts;
  std::string all;        // every text, joined
  std::string last_user;  // the last user message
  std::string last_role;
  std::vector<std::string> sections;
  CodeFlavour flavour = CodeFlavour::kHtml;
  std::optional<CodeAsk> ask;  // HFS's code call header, when the conversation has one
};

Conversation Read(const json& request) {
  Conversation conversation;
  const json messages = request.value("messages", json::array());
  for (const auto& message : messages) {
    if (!message.is_object()) continue;
    std::string text = MessageText(message.value("content", json()));
    conversation.last_role = message.value("role", std::string());
    if (conversation.last_role == "user") conversation.last_user = text;
    conversation.all += text + "\n";
    conversation.texts.push_back(std::move(text));
  }
  conversation.sections = FindSectionNames(conversation.texts);
  conversation.ask = FindCodeAsk(messages);
  const std::string lower = Lower(conversation.all);
  if (lower.find("react") != std::string::npos || lower.find("tsx") != std::string::npos) {
    conversation.flavour = CodeFlavour::kReact;
  }
  return conversation;
}

// The section a request is about: the first found one named in the last user message.
// The section a request is about: one named as "section: X", "section \"X\"" or
// "section 'X'" in the last user message, else the one mentioned first there, else the
// first known section.
std::string FocusSection(const Conversation& conversation) {
  const std::string lower = Lower(conversation.last_user);
  // `name` at `at` in `lower`, not as the start of a longer name ("layout" in "layout/grid").
  auto whole = [&lower](size_t at, const std::string& name) {
    const size_t end = at + name.size();
    if (end >= lower.size()) return true;
    const char next = lower[end];
    return !(std::isalnum(static_cast<unsigned char>(next)) || next == '/' || next == '-' ||
             next == '_');
  };
  for (const std::string& section : conversation.sections) {
    for (const std::string& form :
         {"section: " + section, "section \"" + section + "\"", "section '" + section + "'"}) {
      const size_t at = lower.find(form);
      if (at != std::string::npos && whole(at + form.size() - section.size(), section)) {
        return section;
      }
    }
  }
  std::string first;
  size_t first_at = std::string::npos;
  for (const std::string& section : conversation.sections) {
    for (size_t at = lower.find(section); at != std::string::npos;
         at = lower.find(section, at + 1)) {
      if (!whole(at, section)) continue;
      if (at < first_at) {
        first_at = at;
        first = section;
      }
      break;
    }
  }
  if (!first.empty()) return first;
  return conversation.sections.empty() ? "main" : conversation.sections.front();
}

FakerContext Faker(const Conversation& conversation, const BehaviourOptions& options) {
  FakerContext context{.seed = SeedFor(options.seed, conversation.all),
                       .sections = conversation.sections,
                       .steer_word = std::string(SteeringWord(options.steering))};
  if (conversation.ask) {
    // The header says what to write: the section's main file answers code-like properties.
    const std::vector<EmulatedFile> files = SectionFiles(*conversation.ask, options.seed);
    context.string_hook = [files](std::string_view property) -> std::optional<std::string> {
      const std::string name = Lower(std::string(property));
      if (name == "path" || name == "file" || name == "filename") return files.front().path;
      for (const char* word :
           {"code", "html", "tsx", "jsx", "markup", "component", "source", "content"}) {
        if (name.find(word) != std::string::npos) return files.front().content;
      }
      return std::nullopt;
    };
    return context;
  }
  const std::string focus = FocusSection(conversation);
  const CodeFlavour flavour = conversation.flavour;
  context.string_hook = [focus, flavour](std::string_view property) -> std::optional<std::string> {
    const std::string name = Lower(std::string(property));
    for (const char* word : {"code", "html", "tsx", "jsx", "markup", "component", "source"}) {
      if (name.find(word) != std::string::npos) return SectionCode(focus, flavour);
    }
    // Files of a code reply: {"path": "<section>.html", "content": "<section ...>"}.
    if (name == "path" || name == "file" || name == "filename") {
      return focus + (flavour == CodeFlavour::kReact ? ".tsx" : ".html");
    }
    if (name == "content") return SectionCode(focus, flavour);
    return std::nullopt;
  };
  return context;
}

std::string ToolName(const json& tool) {
  if (!tool.is_object() || !tool.contains("function")) return {};
  return tool["function"].value("name", std::string());
}

// Forced by tool_choice, else a tool named after the steering word, else one named in
// the last user message, else a seeded pick.
const json& ChooseTool(const json& tools, const json& request, const Conversation& conversation,
                       const BehaviourOptions& options) {
  const json choice = request.value("tool_choice", json());
  std::vector<std::string> wanted;
  if (choice.is_object() && choice.contains("function")) {
    wanted.push_back(choice["function"].value("name", std::string()));
  }
  const std::string steer(SteeringWord(options.steering));
  if (!steer.empty()) wanted.push_back(steer);
  if (options.steering == Steering::kReject) wanted.push_back("vote");
  if (options.steering == Steering::kRevise) wanted.push_back("propose");
  for (const std::string& word : wanted) {
    for (const auto& tool : tools) {
      if (!word.empty() && Lower(ToolName(tool)).find(word) != std::string::npos) return tool;
    }
  }
  const std::string last_user = Lower(conversation.last_user);
  for (const auto& tool : tools) {
    const std::string name = Lower(ToolName(tool));
    if (!name.empty() && last_user.find(name) != std::string::npos) return tool;
  }
  return tools[SeedFor(options.seed, "tool", conversation.all) % tools.size()];
}

bool WantsToolCall(const json& request, const Conversation& conversation) {
  const json tools = request.value("tools", json::array());
  if (!tools.is_array() || tools.empty()) return false;
  const json choice = request.value("tool_choice", json("auto"));
  if (choice == "none") return false;
  if (choice == "required" || choice.is_object()) return true;
  return conversation.last_role != "tool";
}

std::string SteeredText(Steering steering) {
  switch (steering) {
    case Steering::kConcede:
      return "I concede: the other proposal is acceptable as it stands.";
    case Steering::kHold:
      return "I hold my position: my proposal stays as written.";
    case Steering::kRevise:
      return "I propose a revision that keeps both concerns.";
    case Steering::kReject:
      return "I vote to reject this proposal.";
    case Steering::kBroken:
    case Steering::kStubborn:
    case Steering::kNone:
      break;
  }
  return {};
}

std::string TextReply(const Conversation& conversation, const BehaviourOptions& options) {
  if (options.steering != Steering::kNone && options.steering != Steering::kBroken &&
      options.steering != Steering::kStubborn) {
    return SteeredText(options.steering);
  }
  const std::string lower = Lower(conversation.last_user);
  const bool wants_code = lower.find("code") != std::string::npos ||
                          lower.find("html") != std::string::npos ||
                          lower.find("implement") != std::string::npos;
  if (wants_code && conversation.ask) {
    std::string text;
    for (const EmulatedFile& file : SectionFiles(*conversation.ask, options.seed)) {
      const bool fenced = file.content.find("```") != std::string::npos;
      text += fenced ? file.content : fmt::format("`{}`:\n```\n{}```\n", file.path, file.content);
    }
    return text;
  }
  if (wants_code && !conversation.sections.empty()) {
    const bool react = conversation.flavour == CodeFlavour::kReact;
    return fmt::format("```{}\n{}```\n", react ? "tsx" : "html",
                       SectionCode(FocusSection(conversation), conversation.flavour));
  }
  std::string echo = conversation.last_user.substr(0, kEchoChars);
  std::replace(echo.begin(), echo.end(), '\n', ' ');
  return fmt::format("Understood. Acknowledged: {}", echo);
}

// Whether the code written for `ask` carries a syntax error (see Steering).
bool Broken(const CodeAsk& ask, const BehaviourOptions& options) {
  if (options.steering == Steering::kBroken) return !ask.build_repaired;
  if (options.steering != Steering::kStubborn) return false;
  for (size_t i = 0; i < ask.regions.size(); ++i) {
    if (ask.regions[i].root == ask.root) return i % 2 == 1 || !ask.build_repaired;
  }
  return !ask.build_repaired;
}

// A json_schema reply: HFS's page outline and code calls get a real outline and real
// code (when it fits the schema); anything else an object generated from the schema.
std::string SchemaReply(const json& spec, const Conversation& conversation,
                        const BehaviourOptions& options) {
  const json schema = spec.value("schema", json::object());
  const std::string name = spec.value("name", std::string());
  std::optional<std::string> reply;
  if (name == "page_outline") {
    reply = OutlineReply(schema, conversation.texts, conversation.last_user, options.seed);
  } else if (conversation.ask && (name == "generated_code" || HasFilesProperty(schema))) {
    reply = CodeReply(schema, *conversation.ask, options.seed, Broken(*conversation.ask, options));
  }
  if (reply) return *reply;
  return FakeValue(schema, Faker(conversation, options)).dump();
}

void ApplyMaxTokens(const json& request, Completion& completion) {
  int64_t max_tokens = request.value("max_completion_tokens", int64_t{0});
  if (max_tokens <= 0) max_tokens = request.value("max_tokens", int64_t{0});
  const auto max_chars = static_cast<size_t>(max_tokens * kCharsPerToken);
  if (max_tokens > 0 && completion.content.size() > max_chars) {
    completion.content.resize(max_chars);
    completion.finish_reason = "length";
  }
}

Completion Generate(const json& request, const BehaviourOptions& options) {
  const Conversation conversation = Read(request);
  Completion completion;
  if (WantsToolCall(request, conversation)) {
    const json& tool = ChooseTool(request["tools"], request, conversation, options);
    const json schema = tool["function"].value("parameters", json::object());
    const json arguments = FakeValue(schema, Faker(conversation, options));
    const uint64_t id = SeedFor(options.seed, "call", conversation.all);
    completion.tool_calls.push_back({.id = fmt::format("call_{:016x}", id),
                                     .name = ToolName(tool),
                                     .arguments = arguments.is_null() ? "{}" : arguments.dump()});
    completion.finish_reason = "tool_calls";
    return completion;
  }
  const json format = request.value("response_format", json::object());
  const std::string type = format.is_object() ? format.value("type", std::string()) : "";
  if (type == "json_schema") {
    const json spec = format.value("json_schema", json::object());
    completion.content = SchemaReply(spec, conversation, options);
  } else if (type == "json_object") {
    completion.content = json{{"answer", TextReply(conversation, options)}}.dump();
  } else {
    completion.content = TextReply(conversation, options);
    ApplyMaxTokens(request, completion);
  }
  return completion;
}

}  // namespace

std::string_view SteeringWord(Steering steering) {
  switch (steering) {
    case Steering::kConcede:
      return "concede";
    case Steering::kHold:
      return "hold";
    case Steering::kRevise:
      return "revise";
    case Steering::kReject:
      return "reject";
    case Steering::kBroken:
      return "broken";
    case Steering::kStubborn:
      return "stubborn";
    case Steering::kNone:
      break;
  }
  return "";
}

ModelName ParseModelName(std::string_view model, std::string_view header) {
  ModelName name{.model = std::string(model)};
  bool stripped = true;
  while (stripped) {
    stripped = false;
    for (Steering s : {Steering::kConcede, Steering::kHold, Steering::kRevise, Steering::kReject,
                       Steering::kBroken, Steering::kStubborn}) {
      // Built in two steps: g++ 12 at -O3 misreads `":" + string` (-Wrestrict).
      std::string suffix = ":";
      suffix += SteeringWord(s);
      if (name.model.size() > suffix.size() && name.model.ends_with(suffix)) {
        name.model.resize(name.model.size() - suffix.size());
        if (name.steering == Steering::kNone) name.steering = s;
        stripped = true;
      }
    }
  }
  for (Steering s : {Steering::kConcede, Steering::kHold, Steering::kRevise, Steering::kReject,
                     Steering::kBroken}) {
    if (!header.empty() && Lower(std::string(header)) == SteeringWord(s)) name.steering = s;
  }
  return name;
}

int64_t CompletionTokens(const Completion& completion) {
  size_t chars = completion.content.size();
  for (const ToolCall& call : completion.tool_calls)
    chars += call.name.size() + call.arguments.size();
  return std::max<int64_t>(1, EstimateTokens(chars));
}

Completion Respond(const nlohmann::json& request, const BehaviourOptions& options) {
  Completion completion;
  try {
    completion = Generate(request, options);
  } catch (const std::exception& e) {
    completion =
        Completion{.content = fmt::format("(emulator could not read the request: {})", e.what())};
  }
  completion.prompt_tokens = PromptTokens(request);
  completion.completion_tokens = CompletionTokens(completion);
  return completion;
}

}  // namespace hfs::emulator
