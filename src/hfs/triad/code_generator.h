// hfs/triad/code_generator.h
//
// CodeGenerator: writes the code of one frozen section. It resolves the model for role
// "code_execution" in phase "execution" from a ModelSource, sends the section's frozen
// proposal, its neighbours' interfaces, the caller's instructions and the user's request,
// and asks for a JSON-schema reply (CodeReplySchema()):
//   {"files": [{"path": "hero.html", "content": "..."}], "notes": "..."}
// Every path must pass CheckOutputPath (hfs/triad/output_paths.h) for the configured
// output format, and a path may appear only once. A Markdown fence around a file's content
// is removed. A reply that is not valid JSON, does
// not match the schema, or holds a bad path is rejected as a whole (nothing from it is
// returned); the model is told why and asked again, up to `max_attempts` replies in all.
//
//   CodeGenerator code(models, {.output_format = "react"});
//   Result<std::vector<StagedFile>> files = code.Generate(
//       {.triad_id = "layout", .section = "hero", .section_content = proposal,
//        .request = "a pricing page"}, context, &triad_budget);
//   for (StagedFile& file : *files) outbox.AddFile(std::move(file));
//
// The call's context is `context` with role "code_execution", phase "execution", the
// triad set from the request when empty, and the deadline capped by the budget's.
// Each reply's usage is charged to `budget` (may be null).
//
// Thread-safe (Generate is const; ModelSource and Model are thread-safe). Generate fails
// with the ModelSource's error (kNotFound: no model for the role), the model's error,
// kResourceExhausted when a hard budget is already spent, kInvalidArgument for an unknown
// output format, or kInternal naming the problem of the last rejected reply (e.g.
// "code model reply rejected: path '../x.html' has a '..' segment; ...").
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hfs/agent/agent.h"
#include "hfs/agent/budget.h"
#include "hfs/agent/schema.h"
#include "hfs/base/error.h"
#include "hfs/llm/model.h"
#include "hfs/page/page_contract.h"
#include "hfs/triad/outbox.h"

namespace hfs::triad {

// The role and phase the code model is resolved for.
inline constexpr std::string_view kCodeRole = "code_execution";
inline constexpr std::string_view kCodePhase = "execution";

struct CodeGeneratorOptions {
  // html, vanilla, react, vue or svelte (hfs/triad/output_paths.h).
  std::string output_format = "html";
  // How to style: "css", "tailwind", ... (told to the model).
  std::string style_system = "css";
  int max_tokens = 4000;
  // Model replies per Generate, counting the first; at least 1.
  int max_attempts = 2;
};

struct CodeRequest {
  std::string triad_id;
  std::string section;
  // The frozen proposal of the section.
  std::string section_content;
  // Other frozen sections: name and an excerpt of their content (their interface).
  std::vector<std::pair<std::string, std::string>> neighbours;
  // From the agent calling generate_code; may be empty.
  std::string instructions;
  // The user's request.
  std::string request;
  // The page contract (hfs/page/page_contract.h); when set, the prompt is the contract's
  // (hfs/triad/code_prompt.h: whole contract, per-format example, quality rules) instead of
  // the neighbours' excerpts, and a reply must also keep the contract (ContractProblems).
  const page::PageContract* contract = nullptr;
};

// The JSON Schema of the code model's reply.
const agent::Schema& CodeReplySchema();

class CodeGenerator {
 public:
  // `models` must outlive the generator.
  CodeGenerator(agent::ModelSource& models, CodeGeneratorOptions options);

  // The files for `request.section` (each with `section` set), in reply order. The
  // tokens of every reply are added to `spent` (may be null), failed attempts included.
  Result<std::vector<StagedFile>> Generate(const CodeRequest& request,
                                           const llm::CallContext& context, agent::Budget* budget,
                                           llm::Usage* spent = nullptr) const;

  const CodeGeneratorOptions& options() const { return options_; }

 private:
  agent::ModelSource& models_;
  CodeGeneratorOptions options_;
};

}  // namespace hfs::triad
