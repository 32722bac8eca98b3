// Validator: check selection, the run over every file, counts, and the coverage check.
#include "hfs/pipeline/validator.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>
#include <map>

#include "hfs/base/text.h"
#include "hfs/page/page_contract.h"
#include "hfs/pipeline/validator_internal.h"

namespace hfs::pipeline {

namespace {

const std::vector<std::string> kGroupOrder = {"syntax", "render", "coverage", "accessibility",
                                              "performance"};

std::vector<std::string> GroupsFor(std::string_view check) {
  if (check == "must_compile") return {"syntax"};
  if (check == "must_render") return {"render", "coverage"};
  if (check == "accessibility_a11y" || check == "accessibility_basic") return {"accessibility"};
  if (check == "performance_budget") return {"performance"};
  return {};
}

using FileCheck = void (*)(const std::string&, const std::string&, internal::Issues&);

FileCheck FileCheckFor(std::string_view group) {
  if (group == "syntax") return internal::CheckSyntax;
  if (group == "render") return internal::CheckRender;
  if (group == "accessibility") return internal::CheckAccessibility;
  if (group == "performance") return internal::CheckPerformance;
  return nullptr;
}

}  // namespace

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "unknown";
}

std::string_view ValidatorStatusName(ValidatorRun::Status status) {
  switch (status) {
    case ValidatorRun::Status::kPassed:
      return "passed";
    case ValidatorRun::Status::kFailed:
      return "failed";
    case ValidatorRun::Status::kSkipped:
      return "skipped";
    case ValidatorRun::Status::kError:
      return "error";
  }
  return "unknown";
}

Result<Validator> Validator::Create(ValidatorOptions options) {
  Validator validator;
  validator.strictness_ = options.strictness;
  std::vector<std::string> wanted;
  for (const std::string& check : options.checks) {
    if (std::find(std::begin(kValidationChecks), std::end(kValidationChecks), check) ==
        std::end(kValidationChecks)) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("unknown validation check '{}' (known: {})", check,
                              fmt::join(kValidationChecks, ", ")));
    }
    if (check == "no_contradictions") validator.contradictions_requested_ = true;
    for (std::string& group : GroupsFor(check)) wanted.push_back(std::move(group));
  }
  for (const std::string& group : kGroupOrder) {
    if (options.checks.empty() || std::find(wanted.begin(), wanted.end(), group) != wanted.end()) {
      validator.groups_.push_back(group);
    }
  }
  return validator;
}

ValidationResult Validator::Validate(const MergedOutput& merged, const spec::Spec& spec) const {
  ValidationResult result;
  if (contradictions_requested_) {
    internal::AddIssue(result.issues, Severity::kInfo, "config",
                       "no_contradictions has no static check; it is not verified here", "", 0, "");
  }
  for (const std::string& group : groups_) {
    result.checks_run.push_back(group);
    if (group == "coverage") {
      internal::CheckCoverage(merged, spec, result.issues);
      continue;
    }
    FileCheck check = FileCheckFor(group);
    for (const auto& [path, content] : merged.files) check(path, content, result.issues);
  }
  for (const ValidationIssue& issue : result.issues) {
    ++result.counts.total;
    if (issue.severity == Severity::kError) ++result.counts.errors;
    if (issue.severity == Severity::kWarning) ++result.counts.warnings;
    if (issue.severity == Severity::kInfo) ++result.counts.infos;
  }
  result.passed = result.counts.errors == 0 &&
                  (strictness_ == Strictness::kNormal || result.counts.warnings == 0);
  return result;
}

namespace internal {

void AddIssue(Issues& issues, Severity severity, std::string_view category, std::string message,
              std::string_view file, int line, std::string suggestion) {
  issues.push_back({.severity = severity,
                    .category = std::string(category),
                    .message = std::move(message),
                    .file = std::string(file),
                    .line = line,
                    .suggestion = std::move(suggestion)});
}

namespace {

// `content` with everything outside [from, to) blanked (newlines kept).
std::string KeepOnly(std::string_view content, size_t from, size_t to) {
  std::string text(content);
  for (size_t i = 0; i < text.size(); ++i) {
    if ((i < from || i >= to) && text[i] != '\n') text[i] = ' ';
  }
  return text;
}

}  // namespace

std::vector<CodePart> CodeParts(std::string_view path, std::string_view content) {
  std::string_view extension = page::FileExtension(path);
  if (extension == ".js" || extension == ".ts")
    return {{std::string(content), CodeDialect::kScript}};
  if (extension == ".jsx" || extension == ".tsx")
    return {{std::string(content), CodeDialect::kJsx}};
  if (extension == ".css") return {{std::string(content), CodeDialect::kCss}};
  if (extension != ".html" && extension != ".vue" && extension != ".svelte") return {};
  std::vector<CodePart> parts;
  std::vector<MarkupTag> tags = ScanTags(content);
  for (size_t i = 0; i < tags.size(); ++i) {
    const MarkupTag& tag = tags[i];
    std::string name = AsciiLower(tag.name);
    if (tag.closing || tag.self_closing || (name != "script" && name != "style")) continue;
    std::string type = AsciiLower(AttributeValue(tag.attributes, "type"));
    if (!type.empty() && type.find("javascript") == std::string::npos && type != "module" &&
        type != "text/css") {
      continue;  // JSON data, templates, ...
    }
    size_t end = i + 1 < tags.size() ? tags[i + 1].begin : content.size();
    std::string lang = AsciiLower(AttributeValue(tag.attributes, "lang"));
    CodeDialect dialect = name == "style"                    ? CodeDialect::kCss
                          : (lang == "tsx" || lang == "jsx") ? CodeDialect::kJsx
                                                             : CodeDialect::kScript;
    parts.push_back({KeepOnly(content, tag.end, end), dialect});
  }
  return parts;
}

std::string MarkupText(std::string_view path, std::string_view content) {
  std::string_view extension = page::FileExtension(path);
  if (extension == ".jsx" || extension == ".tsx") {
    return ScanCode(content, CodeDialect::kJsx).uncommented;
  }
  return std::string(content);
}

namespace {

// import Name from './path' lines of a composition: import path -> local name.
std::map<std::string, std::string> DefaultImports(std::string_view code) {
  std::map<std::string, std::string> imports;
  for (size_t at = code.find("import "); at != std::string_view::npos;
       at = code.find("import ", at + 1)) {
    size_t from = code.find(" from ", at);
    size_t line_end = code.find('\n', at);
    if (from == std::string_view::npos || from > line_end) continue;
    std::string_view name = code.substr(at + 7, from - at - 7);
    size_t quote = from + 6;
    if (quote >= code.size() || (code[quote] != '\'' && code[quote] != '"')) continue;
    size_t close = code.find(code[quote], quote + 1);
    if (close == std::string_view::npos) continue;
    imports[std::string(code.substr(quote + 1, close - quote - 1))] = std::string(name);
  }
  return imports;
}

bool Renders(std::string_view composition, const std::string& name) {
  for (size_t at = composition.find("<" + name); at != std::string_view::npos;
       at = composition.find("<" + name, at + 1)) {
    char after =
        at + name.size() + 1 < composition.size() ? composition[at + name.size() + 1] : '\0';
    if (after == ' ' || after == '/' || after == '>' || after == '\n') return true;
  }
  return false;
}

// True when the composition imports one of `paths` and renders it.
bool RendersOneOf(std::string_view composition, const std::vector<std::string>& paths) {
  std::map<std::string, std::string> imports = DefaultImports(composition);
  for (const std::string& path : paths) {
    std::string_view extension = page::FileExtension(path);
    for (const std::string& spelled :
         {"./" + path, "./" + path.substr(0, path.size() - extension.size())}) {
      auto found = imports.find(spelled);
      if (found != imports.end() && Renders(composition, found->second)) return true;
    }
  }
  return false;
}

void CheckSectionCoverage(const std::string& section, const std::string& root_id,
                          const std::vector<std::string>& paths,
                          const std::string& composition_path, std::string_view composition,
                          Issues& issues) {
  bool html = page::FileExtension(composition_path) == ".html";
  std::vector<std::string> visible;
  for (const std::string& path : paths) {
    std::string_view extension = page::FileExtension(path);
    bool markup =
        html ? extension == ".html"
             : extension == page::FileExtension(composition_path) ||
                   (extension == ".jsx" && page::FileExtension(composition_path) == ".tsx");
    if (markup) visible.push_back(path);
  }
  std::string id_attribute = fmt::format("id=\"{}\"", root_id);
  if (html && composition.find(id_attribute) == std::string_view::npos) {
    AddIssue(issues, Severity::kError, "coverage",
             fmt::format("{} has no element for section '{}'", composition_path, section),
             composition_path, 0, fmt::format("add <section {}> to the page", id_attribute));
  } else if (!html && !visible.empty() && !RendersOneOf(composition, visible)) {
    AddIssue(
        issues, Severity::kError, "coverage",
        fmt::format("{} does not render a component of section '{}'", composition_path, section),
        composition_path, 0, "import the section's component and render it in App");
  } else if (visible.empty()) {
    AddIssue(
        issues, Severity::kWarning, "coverage",
        fmt::format("section '{}' has no markup or component; nothing of it is visible", section),
        composition_path, 0, "generate the section's markup");
  }
}

}  // namespace

void CheckCoverage(const MergedOutput& merged, const spec::Spec& spec, Issues& issues) {
  auto composed = merged.files.find(merged.composition);
  if (merged.composition.empty() || composed == merged.files.end()) {
    AddIssue(issues, Severity::kError, "coverage", "the output has no composed entry file", "", 0,
             "merge the files with the Merger to compose the entry point");
    return;
  }
  for (const std::string& section : spec.SectionNames()) {
    auto paths = merged.files_by_section.find(section);
    if (paths == merged.files_by_section.end() || paths->second.empty()) {
      AddIssue(issues, Severity::kError, "coverage",
               fmt::format("section '{}' has no files", section), merged.composition, 0,
               "generate code for the section");
      continue;
    }
    // Only regions are visible; a concern contributes styles, data or behaviour.
    auto region = merged.region_ids.find(section);
    if (region == merged.region_ids.end()) continue;
    CheckSectionCoverage(section, region->second, paths->second, merged.composition,
                         composed->second, issues);
  }
}

}  // namespace internal
}  // namespace hfs::pipeline
