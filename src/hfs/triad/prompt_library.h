// hfs/triad/prompt_library.h
//
// PromptLibrary: the prompt templates of the triads, by name ("orchestrator",
// "negotiation", ...). The templates in prompts/*.md are compiled into hfs; a directory
// given by the config (`prompts_dir`) may override any of them with a file of the same
// name. Render fills a template's placeholders (see prompt_template.h).
//
//   PromptLibrary prompts = HFS_TRY(PromptLibrary::Load(config.prompts_dir));
//   std::string text = HFS_TRY(prompts.Render("negotiation", {{"section", "layout"}, ...}));
//
// Thread-safe after construction (read-only). Load fails with kNotFound for a missing
// directory, kInvalidArgument for a file that does not override a known template (a typo
// would otherwise be ignored) or whose placeholders differ from the built-in one's,
// kPermissionDenied / kDataLoss for an unreadable file. Render fails with kNotFound for an
// unknown template and as RenderTemplate does.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/triad/prompt_template.h"

namespace hfs::triad {

class PromptLibrary {
 public:
  // The built-in templates only.
  PromptLibrary();
  // The built-in templates, overridden by `dir`/<name>.md files; an empty path means none.
  static Result<PromptLibrary> Load(const std::filesystem::path& dir);

  Result<std::string> Render(std::string_view name, const TemplateValues& values) const;
  // Every template name, sorted.
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, std::string, std::less<>> templates_;
};

}  // namespace hfs::triad
