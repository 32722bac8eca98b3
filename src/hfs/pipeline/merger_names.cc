// The Merger's name helpers (see hfs/pipeline/merger_internal.h).
#include <algorithm>
#include <cctype>

#include "hfs/pipeline/merger_internal.h"

namespace hfs::pipeline::internal {

std::string_view Extension(std::string_view path) {
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  return path.substr(dot);
}

std::string PascalCase(std::string_view text) {
  std::string name;
  bool upper = true;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
      upper = true;
      continue;
    }
    name.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) != 0) {
    name = "Section" + name;
  }
  return name;
}

std::string LooseName(std::string_view text) {
  std::string loose;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      loose.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return loose;
}

std::vector<std::string> ReservedPaths(OutputFormat format) {
  switch (format) {
    case OutputFormat::kReact:
      return {"index.html", "App.tsx", "main.tsx"};
    case OutputFormat::kVue:
      return {"index.html", "App.vue", "main.ts"};
    case OutputFormat::kSvelte:
      return {"index.html", "App.svelte", "main.ts"};
    case OutputFormat::kHtml:
    case OutputFormat::kVanilla:
      return {"index.html"};
  }
  return {"index.html"};
}

}  // namespace hfs::pipeline::internal
