#include "hfs/triad/prompt_library.h"

#include <fmt/format.h>

#include "hfs/base/file.h"
#include "hfs/base/try.h"
#include "hfs/triad/internal/builtin_prompts.h"

namespace hfs::triad {

PromptLibrary::PromptLibrary() {
  for (const internal::BuiltinPrompt& prompt : internal::BuiltinPrompts()) {
    templates_.emplace(std::string(prompt.name), std::string(prompt.text));
  }
}

Result<PromptLibrary> PromptLibrary::Load(const std::filesystem::path& dir) {
  PromptLibrary library;
  if (dir.empty()) return library;
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return Fail(ErrorCode::kNotFound,
                fmt::format("prompts_dir '{}' is not a directory", dir.string()));
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() != ".md") continue;
    const std::string name = entry.path().stem().string();
    auto builtin = library.templates_.find(name);
    if (builtin == library.templates_.end()) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("prompt file '{}' overrides no template; the templates are: {}",
                              entry.path().string(), fmt::join(library.Names(), ", ")));
    }
    std::string text = HFS_TRY(ReadFile(entry.path()));
    if (TemplatePlaceholders(text) != TemplatePlaceholders(builtin->second)) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("prompt file '{}' must use exactly the placeholders {{{{{}}}}}",
                              entry.path().string(),
                              fmt::join(TemplatePlaceholders(builtin->second), "}}, {{")));
    }
    builtin->second = std::move(text);
  }
  if (error) {
    return Fail(ErrorCode::kPermissionDenied,
                fmt::format("cannot read prompts_dir '{}': {}", dir.string(), error.message()));
  }
  return library;
}

Result<std::string> PromptLibrary::Render(std::string_view name,
                                          const TemplateValues& values) const {
  auto it = templates_.find(name);
  if (it == templates_.end()) {
    return Fail(ErrorCode::kNotFound, fmt::format("no prompt template '{}'", name));
  }
  return RenderTemplate(it->second, values, std::string(name) + ".md");
}

std::vector<std::string> PromptLibrary::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, text] : templates_) names.push_back(name);
  return names;
}

}  // namespace hfs::triad
