#include "hfs/triad/code_generator.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "hfs/base/json_reply.h"
#include "hfs/base/try.h"
#include "hfs/page/markup.h"
#include "hfs/triad/code_prompt.h"
#include "hfs/triad/output_paths.h"

namespace hfs::triad {
namespace {

using agent::Required;
using agent::Schema;
using nlohmann::json;

// A section name as a file name stem: lower case, runs of other characters as '-'.
std::string Slug(std::string_view section) {
  std::string slug;
  for (char c : section) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (c >= 'A' && c <= 'Z') {
      slug += static_cast<char>(c - 'A' + 'a');
    } else if (keep) {
      slug += c;
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "section" : slug;
}

std::string SystemPrompt(const CodeRequest& request, const CodeGeneratorOptions& options) {
  std::string slug = Slug(request.section);
  return fmt::format(
      "You are the code writer of triad '{triad}' in HFS, a system in which several teams of "
      "agents build one frontend together. Each team owns some sections of an agreed, frozen "
      "spec; you write the production code for one section.\n\n"
      "Output format: {format}. Allowed file extensions: {extensions}. Style system: {style}.\n\n"
      "Reply with one JSON object and nothing else:\n"
      "{{\"files\": [{{\"path\": \"{slug}.html\", \"content\": \"<section id=\\\"{slug}\\\">"
      "...</section>\"}}], \"notes\": \"one or two sentences on what you built\"}}\n\n"
      "Rules:\n"
      "- Write complete, working code that implements the frozen proposal. No placeholders, "
      "no TODOs, no lorem ipsum where the proposal says what the content is.\n"
      "- Paths are relative, '/'-separated, use only letters, digits and . _ / -, have at most "
      "200 characters and one of the allowed extensions. Start every path with '{slug}' (for "
      "example '{slug}.css' or 'components/{slug}.js') so it cannot clash with other sections.\n"
      "- Use the other sections' interfaces (ids, class names, events) as given; do not write "
      "their files.\n"
      "- Each path appears once.",
      fmt::arg("triad", request.triad_id), fmt::arg("format", options.output_format),
      fmt::arg("extensions", fmt::join(AllowedExtensions(options.output_format), " ")),
      fmt::arg("style", options.style_system), fmt::arg("slug", slug));
}

std::string UserPrompt(const CodeRequest& request) {
  std::string text = fmt::format("User request:\n{}\n\nYour section: {}\nFrozen proposal:\n{}\n",
                                 request.request, request.section, request.section_content);
  if (!request.neighbours.empty()) {
    text += "\nOther sections of the page (their interfaces):\n";
    for (const auto& [name, excerpt] : request.neighbours) {
      text += fmt::format("- {}: {}\n", name, excerpt);
    }
  }
  if (!request.instructions.empty()) {
    text += fmt::format("\nInstructions from your team:\n{}\n", request.instructions);
  }
  return text;
}

// The files of a reply, or kInternal naming what is wrong with it.
Result<std::vector<StagedFile>> ParseReply(const llm::ChatResponse& reply,
                                           const CodeRequest& request,
                                           std::string_view output_format) {
  const std::string& section = request.section;
  auto rejected = [](std::string why) {
    return Fail(ErrorCode::kInternal, "code model reply rejected: " + why);
  };
  if (reply.finish_reason == llm::FinishReason::kLength) {
    return rejected("it was cut off at the token limit; write less code per file");
  }
  std::optional<std::string> object = JsonObjectText(reply.content);
  if (!object) return rejected("it is not a JSON object");
  json value = json::parse(*object);
  std::vector<std::string> hints = CodeReplySchema().Validate(value);
  if (!hints.empty()) return rejected(fmt::format("{}", fmt::join(hints, "; ")));
  std::vector<StagedFile> files;
  std::map<std::string, std::string> contents;  // path -> content
  for (const json& file : value["files"]) {
    std::string path = file["path"].get<std::string>();
    std::string content = page::StripCodeFence(file["content"].get<std::string>());
    if (Result<void> checked = CheckOutputPath(path, output_format); !checked) {
      return rejected(checked.error().message);
    }
    auto [it, inserted] = contents.emplace(path, content);
    if (!inserted) {
      if (it->second == content) continue;  // the same file twice: keep one
      return rejected(fmt::format("path '{}' appears twice with different content", path));
    }
    files.push_back({.section = section, .path = std::move(path), .content = std::move(content)});
  }
  if (request.contract != nullptr) {
    std::vector<std::string> problems = ContractProblems(*request.contract, section, files);
    if (!problems.empty()) return rejected(fmt::format("{}", fmt::join(problems, "; ")));
  }
  return files;
}

llm::CallContext CodeContext(const CodeRequest& request, const llm::CallContext& context,
                             const agent::Budget* budget) {
  llm::CallContext code_context = context;
  code_context.role = std::string(kCodeRole);
  code_context.phase = std::string(kCodePhase);
  if (code_context.triad.empty()) code_context.triad = request.triad_id;
  if (budget != nullptr) code_context.deadline = std::min(context.deadline, budget->Deadline());
  return code_context;
}

}  // namespace

const Schema& CodeReplySchema() {
  static const Schema schema =
      Schema::Object()
          .Property(
              "files",
              Schema::Array(Schema::Object()
                                .Property("path",
                                          Schema::String()
                                              .Length(1, kMaxOutputPathLength)
                                              .Describe("Relative path, e.g. 'hero.html'"),
                                          Required::kYes)
                                .Property("content",
                                          Schema::String().MinLength(1).Describe("The whole file"),
                                          Required::kYes))
                  .MinItems(1)
                  .Describe("Every file of the section"),
              Required::kYes)
          .Property("notes", Schema::String().Describe("What was built, briefly"), Required::kYes);
  return schema;
}

CodeGenerator::CodeGenerator(agent::ModelSource& models, CodeGeneratorOptions options)
    : models_(models), options_(std::move(options)) {}

Result<std::vector<StagedFile>> CodeGenerator::Generate(const CodeRequest& request,
                                                        const llm::CallContext& context,
                                                        agent::Budget* budget,
                                                        llm::Usage* spent) const {
  if (AllowedExtensions(options_.output_format).empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("unknown output format '{}' (known: {})", options_.output_format,
                            KnownOutputFormats()));
  }
  const agent::ModelQuery query{.triad = context.triad, .role = kCodeRole, .phase = kCodePhase};
  const bool paged = request.contract != nullptr;
  llm::ChatRequest chat{
      .messages = {llm::Message::System(paged ? CodeSystemPrompt(*request.contract, request.section,
                                                                 request.triad_id)
                                              : SystemPrompt(request, options_)),
                   llm::Message::User(paged ? CodeUserPrompt(*request.contract, request.section,
                                                             request.section_content,
                                                             request.request, request.instructions)
                                            : UserPrompt(request))},
      .max_tokens = options_.max_tokens,
      .response_schema_json = CodeReplySchema().ToJsonText(),
      .response_schema_name = "generated_code"};
  llm::CallContext code_context = CodeContext(request, context, budget);
  Error last{ErrorCode::kInternal, "code model was not called"};
  for (int attempt = 0; attempt < std::max(1, options_.max_attempts); ++attempt) {
    if (budget != nullptr) {
      if (std::optional<agent::BudgetOverrun> over = budget->Check()) {
        return Fail(ErrorCode::kResourceExhausted, over->ToString());
      }
    }
    agent::ModelChoice choice = HFS_TRY(models_.Resolve(query));
    if (choice.model == nullptr) {
      return Fail(ErrorCode::kNotFound, "no model for role 'code_execution' in phase 'execution'");
    }
    chat.model = choice.model_id;
    chat.reasoning_effort = choice.reasoning_effort;
    Result<llm::ChatResponse> called = choice.model->Complete(chat, code_context);
    if (!called) {
      models_.Record(query, agent::CallOutcome::kFailed);
      return Fail(std::move(called.error()));
    }
    llm::ChatResponse reply = std::move(*called);
    if (budget != nullptr && reply.usage) budget->ChargeTokens(reply.usage->total());
    if (spent != nullptr && reply.usage) {
      spent->prompt_tokens += reply.usage->prompt_tokens;
      spent->completion_tokens += reply.usage->completion_tokens;
    }
    Result<std::vector<StagedFile>> files = ParseReply(reply, request, options_.output_format);
    models_.Record(query, files ? agent::CallOutcome::kSucceeded : agent::CallOutcome::kFailed);
    if (files) {
      const std::string writer =
          reply.provider.empty() ? "" : fmt::format("{}/{}", reply.provider, reply.model);
      for (StagedFile& file : *files) file.model = writer;
      return files;
    }
    last = files.error();
    chat.messages.push_back(llm::Message::Assistant(reply.content));
    chat.messages.push_back(llm::Message::User(
        fmt::format("{}. Reply again with the whole JSON object, fixed.", last.message)));
  }
  return Fail(std::move(last));
}

}  // namespace hfs::triad
