#include "hfs/pipeline/external_findings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

namespace hfs::pipeline {
namespace {

using nlohmann::json;

constexpr size_t kMaxNodesPerRule = 5;

std::string String(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

int Int(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int>() : 0;
}

Result<json> ParseObject(std::string_view text, std::string_view tool) {
  json whole = json::parse(text, nullptr, false);
  if (!whole.is_discarded() && whole.is_object()) return whole;
  // Else the last non-empty line: a script may log before its object.
  std::string_view line = text;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  size_t start = line.rfind('\n');
  if (start != std::string_view::npos) line = line.substr(start + 1);
  json parsed = json::parse(line, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Fail(ErrorCode::kDataLoss,
                fmt::format("{} printed no JSON result: {}", tool, text.substr(0, 300)));
  }
  return parsed;
}

// A file:// URL (or path) under the site as a merged path; "" for the generated bundle or
// anything outside the site.
std::string MergedPath(const std::string& url, const FindingContext& context) {
  std::string path = url;
  if (path.rfind("file://", 0) == 0) path = path.substr(7);
  const std::string site = context.site.string() + "/";
  if (!context.site.empty() && path.rfind(site, 0) == 0) path = path.substr(site.size());
  if (context.merged->files.count(path) == 0) return "";
  return path;
}

ValidationIssue Issue(Severity severity, std::string validator, std::string category,
                      std::string rule, std::string message) {
  return ValidationIssue{.severity = severity,
                         .category = std::move(category),
                         .message = std::move(message),
                         .validator = std::move(validator),
                         .rule = std::move(rule)};
}

// The section's first file, preferring the kinds that hold its markup.
std::string MainFileOf(const MergedOutput& merged, const std::string& section) {
  auto it = merged.files_by_section.find(section);
  if (it == merged.files_by_section.end() || it->second.empty()) return "";
  for (const char* extension : {".html", ".tsx", ".jsx", ".vue", ".svelte"}) {
    for (const std::string& path : it->second) {
      if (path.size() > std::strlen(extension) &&
          path.compare(path.size() - std::strlen(extension), std::string::npos, extension) == 0) {
        return path;
      }
    }
  }
  return it->second.front();
}

std::string FileContent(const MergedOutput& merged, const std::string& path) {
  auto it = merged.files.find(path);
  return it == merged.files.end() ? "" : it->second;
}

// The section whose element id (SectionElementId) is `id`.
std::string SectionOfElementId(const MergedOutput& merged, const std::string& id) {
  for (const auto& [section, root] : merged.region_ids) {
    if (root == id) return section;
  }
  return "";
}

void AddPageIssues(const json& list, const char* rule, const char* what,
                   const FindingContext& context, std::vector<ValidationIssue>& out) {
  if (!list.is_array()) return;
  for (const json& entry : list) {
    if (!entry.is_object()) continue;
    ValidationIssue issue = Issue(Severity::kError, "chromium", "render", rule,
                                  fmt::format("{}: {}", what, String(entry, "text")));
    issue.file = MergedPath(String(entry, "url"), context);
    if (!issue.file.empty()) issue.line = Int(entry, "line");
    issue.section = SectionOfFile(*context.merged, issue.file);
    issue.suggestion = "open the page with the browser console and fix the error";
    out.push_back(std::move(issue));
  }
}

// Where a finding about the region `id` (of `section`, "" when it is no section's) goes:
// the section's main file, else the line of the composition that holds the id.
void PlaceRegion(const MergedOutput& merged, const std::string& section, const std::string& id,
                 ValidationIssue& issue) {
  issue.section = section;
  issue.file = MainFileOf(merged, section);
  if (issue.file.empty()) {
    issue.file = merged.composition;
    issue.line = LineOf(FileContent(merged, merged.composition), fmt::format("id=\"{}\"", id));
  }
}

void AddRegionIssues(const json& regions, const FindingContext& context,
                     std::vector<ValidationIssue>& out) {
  if (!regions.is_array()) return;
  const MergedOutput& merged = *context.merged;
  for (const json& entry : regions) {
    if (!entry.is_object()) continue;
    const std::string id = String(entry, "id");
    const bool present = entry.value("present", false);
    const bool visible = entry.value("visible", false);
    const bool empty = entry.value("empty", true);
    if (present && visible && !empty) continue;
    const std::string section = SectionOfElementId(merged, id);
    const std::string name = section.empty() ? id : section;
    ValidationIssue issue =
        !present
            ? Issue(Severity::kError, "chromium", "render", "section-missing",
                    fmt::format("section '{}' has no element #{} in the rendered page", name, id))
        : empty ? Issue(Severity::kError, "chromium", "render", "section-empty",
                        fmt::format("section '{}' renders nothing (#{} is empty)", name, id))
                : Issue(Severity::kError, "chromium", "render", "section-hidden",
                        fmt::format("section '{}' is not visible (#{} has no size or is hidden)",
                                    name, id));
    PlaceRegion(merged, section, id, issue);
    issue.suggestion = "render the section's content, visibly, inside its root element";
    out.push_back(std::move(issue));
  }
}

std::vector<std::string> Strings(const json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const json& item : list) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

// One "region-order" error when the shown regions are not top to bottom in the given
// order, placed on the first region out of place.
void AddOrderIssue(const json& order, const FindingContext& context,
                   std::vector<ValidationIssue>& out) {
  if (!order.is_object() || order.value("ok", true)) return;
  const std::vector<std::string> expected = Strings(order.value("expected", json()));
  const std::vector<std::string> actual = Strings(order.value("actual", json()));
  ValidationIssue issue =
      Issue(Severity::kError, "chromium", "render", "region-order",
            fmt::format("the regions are not in page order: expected {} from top to bottom, the "
                        "page shows {}",
                        fmt::join(expected, ", "), fmt::join(actual, ", ")));
  size_t first = 0;
  while (first < expected.size() && first < actual.size() && expected[first] == actual[first]) {
    ++first;
  }
  if (first < actual.size()) {
    const std::string section = SectionOfElementId(*context.merged, actual[first]);
    PlaceRegion(*context.merged, section, actual[first], issue);
  }
  issue.suggestion =
      "keep each region in its own place in the page flow (no absolute positioning, negative "
      "margins or order/flex-direction tricks that move it above an earlier region)";
  out.push_back(std::move(issue));
}

void AddResourceIssues(const json& list, Severity severity, const char* rule, const char* what,
                       std::vector<ValidationIssue>& out) {
  if (!list.is_array()) return;
  for (const json& url : list) {
    if (!url.is_string()) continue;
    out.push_back(Issue(severity, "chromium", "render", rule,
                        fmt::format("{}: {}", what, url.get<std::string>())));
  }
}

// The line of an axe node in its section's files: its opening tag, else its tag when the
// file holds it once.
void PlaceNode(const std::string& html, const MergedOutput& merged, ValidationIssue& issue) {
  const std::string opening = html.substr(0, html.find('>') + 1);
  size_t name_end = opening.find_first_of(" \t\n/>", 1);
  const std::string tag = opening.substr(0, name_end);
  auto it = merged.files_by_section.find(issue.section);
  if (it == merged.files_by_section.end()) return;
  for (const std::string& path : it->second) {
    const std::string content = FileContent(merged, path);
    if (int line = LineOf(content, opening); line > 0 && !opening.empty()) {
      issue.file = path;
      issue.line = line;
      return;
    }
  }
  for (const std::string& path : it->second) {
    const std::string content = FileContent(merged, path);
    size_t first = content.find(tag);
    if (tag.size() > 1 && first != std::string::npos &&
        content.find(tag, first + 1) == std::string::npos) {
      issue.file = path;
      issue.line = LineOf(content, tag);
      return;
    }
  }
  issue.file = MainFileOf(merged, issue.section);
}

void AddAxeIssues(const json& violations, const FindingContext& context,
                  std::vector<ValidationIssue>& out) {
  if (!violations.is_array()) return;
  for (const json& violation : violations) {
    if (!violation.is_object() || !violation.contains("nodes")) continue;
    const std::string rule = String(violation, "id");
    const Severity severity =
        String(violation, "impact") == "critical" ? Severity::kError : Severity::kWarning;
    size_t count = 0;
    for (const json& node : violation["nodes"]) {
      if (++count > kMaxNodesPerRule) break;
      ValidationIssue issue = Issue(
          severity, "axe-core", "accessibility", rule,
          fmt::format("{} ({}, {})", String(violation, "help"), rule, String(node, "target")));
      issue.section = String(node, "section");
      if (!issue.section.empty()) PlaceNode(String(node, "html"), *context.merged, issue);
      issue.suggestion = String(violation, "helpUrl");
      out.push_back(std::move(issue));
    }
  }
}

}  // namespace

int LineOf(std::string_view content, std::string_view needle) {
  if (needle.empty()) return 0;
  size_t at = content.find(needle);
  if (at == std::string_view::npos) return 0;
  return 1 + static_cast<int>(std::count(content.begin(), content.begin() + at, '\n'));
}

std::string SectionOfFile(const MergedOutput& merged, std::string_view path) {
  if (path.empty()) return "";
  for (const auto& [section, paths] : merged.files_by_section) {
    if (std::find(paths.begin(), paths.end(), path) != paths.end()) return section;
  }
  return "";
}

Result<BuildFindings> ParseBuildOutput(std::string_view text, const FindingContext& context) {
  Result<json> parsed = ParseObject(text, "esbuild (build.mjs)");
  if (!parsed) return Fail(parsed.error());
  const json& report = *parsed;
  BuildFindings out{.version = String(report, "version"),
                    .ok = report.value("ok", false),
                    .checked = Int(report, "checked"),
                    .page = String(report, "page")};
  for (const char* key : {"errors", "warnings"}) {
    if (!report.contains(key) || !report[key].is_array()) continue;
    const bool errors = std::string_view(key) == "errors";
    for (const json& message : report[key]) {
      if (!message.is_object()) continue;
      ValidationIssue issue =
          Issue(errors ? Severity::kError : Severity::kWarning, "esbuild", "syntax",
                errors ? "syntax-error" : "esbuild-warning", String(message, "text"));
      issue.file = MergedPath(String(message, "file"), context);
      if (issue.file.empty()) issue.file = String(message, "file");
      issue.line = Int(message, "line");
      issue.section = SectionOfFile(*context.merged, issue.file);
      if (errors)
        issue.suggestion =
            "fix the code so that it parses, compiles and builds (an import of a package that is "
            "not installed is an error too)";
      out.issues.push_back(std::move(issue));
    }
  }
  if (!out.ok && std::none_of(out.issues.begin(), out.issues.end(), [](const ValidationIssue& i) {
        return i.severity == Severity::kError;
      })) {
    out.issues.push_back(Issue(Severity::kError, "esbuild", "syntax", "syntax-error",
                               "esbuild failed without a message"));
  }
  return out;
}

Result<RenderFindings> ParseRenderOutput(std::string_view text, const FindingContext& context) {
  Result<json> parsed = ParseObject(text, "chromium (render.mjs)");
  if (!parsed) return Fail(parsed.error());
  const json& report = *parsed;
  RenderFindings out{.chromium_version = String(report, "version")};
  auto list = [&report](const char* key) { return report.contains(key) ? report[key] : json(); };
  AddPageIssues(list("console_errors"), "console-error", "console error", context,
                out.render_issues);
  AddPageIssues(list("page_errors"), "uncaught-exception", "uncaught exception", context,
                out.render_issues);
  AddRegionIssues(list("regions"), context, out.render_issues);
  AddOrderIssue(list("order"), context, out.render_issues);
  AddResourceIssues(list("missing_resources"), Severity::kWarning, "missing-resource",
                    "the page loads a file that does not exist", out.render_issues);
  AddResourceIssues(list("blocked_requests"), Severity::kInfo, "network-blocked",
                    "network request blocked while rendering", out.render_issues);
  if (report.contains("axe") && report["axe"].is_object()) {
    out.audited = true;
    out.axe_version = String(report["axe"], "version");
    if (report["axe"].contains("violations")) {
      AddAxeIssues(report["axe"]["violations"], context, out.axe_issues);
    }
  }
  return out;
}

}  // namespace hfs::pipeline
