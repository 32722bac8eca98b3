// Merger: placing staged files (path checks, collisions, reserved paths) and the small
// name helpers; the entry point is composed in merger_compose.cc.
#include "hfs/pipeline/merger.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "hfs/pipeline/code_scan.h"
#include "hfs/pipeline/merger_internal.h"
#include "hfs/triad/output_paths.h"

namespace hfs::pipeline {

namespace {

struct Candidate {
  std::string triad;
  const triad::StagedFile* file = nullptr;
};

struct Origin {
  std::string triad;
  std::string section;
};

// Spec order, then triad order, then staged order; files naming a section outside the
// spec come last (with a warning).
std::vector<Candidate> OrderCandidates(const spec::Spec& spec, const StagedFilesByTriad& staged,
                                       std::vector<std::string>& warnings) {
  std::vector<Candidate> ordered;
  for (const std::string& section : spec.SectionNames()) {
    std::optional<std::string> owner = spec.Owner(section);
    for (const auto& [triad, files] : staged) {
      for (const triad::StagedFile& file : files) {
        if (file.section != section) continue;
        if (owner.has_value() && *owner != triad) {
          warnings.push_back(fmt::format("triad '{}' staged '{}' for section '{}', owned by '{}'",
                                         triad, file.path, section, *owner));
        }
        ordered.push_back({triad, &file});
      }
    }
  }
  for (const auto& [triad, files] : staged) {
    for (const triad::StagedFile& file : files) {
      if (spec.Get(file.section) != nullptr) continue;
      warnings.push_back(fmt::format(
          "triad '{}' staged '{}' for section '{}', which is not in the spec; it is written but "
          "not composed",
          triad, file.path, file.section));
      ordered.push_back({triad, &file});
    }
  }
  return ordered;
}

// `<dir>/<stem>-<section>.<ext>` (then -2, -3, ...) that is free or already holds
// `content`; nullopt when no such path passes the path check.
std::optional<std::string> RenamedPath(const std::string& path, const std::string& section,
                                       const std::string& content, std::string_view format,
                                       const std::map<std::string, std::string>& files) {
  std::string_view extension = internal::Extension(path);
  std::string base =
      path.substr(0, path.size() - extension.size()) + "-" + SectionElementId(section);
  for (int attempt = 1; attempt < 100; ++attempt) {
    std::string candidate = attempt == 1 ? base + std::string(extension)
                                         : fmt::format("{}-{}{}", base, attempt, extension);
    if (!triad::CheckOutputPath(candidate, format).has_value()) return std::nullopt;
    auto existing = files.find(candidate);
    if (existing == files.end() || existing->second == content) return candidate;
  }
  return std::nullopt;
}

class Placer {
 public:
  Placer(OutputFormat format, MergedOutput& out)
      : format_name_(OutputFormatName(format)),
        reserved_(internal::ReservedPaths(format)),
        out_(out) {}

  void Place(const Candidate& candidate) {
    const triad::StagedFile& file = *candidate.file;
    if (Result<void> ok = triad::CheckOutputPath(file.path, format_name_); !ok.has_value()) {
      out_.warnings.push_back(fmt::format("dropped a file of triad '{}' (section '{}'): {}",
                                          candidate.triad, file.section, ok.error().message));
      return;
    }
    bool reserved = std::find(reserved_.begin(), reserved_.end(), file.path) != reserved_.end() ||
                    page::IsReservedPath(format_name_, file.path);
    auto existing = out_.files.find(file.path);
    if (!reserved && existing == out_.files.end()) {
      Write(file.path, candidate);
    } else if (!reserved && existing->second == file.content) {
      AddToSection(file.section, file.path);
    } else {
      Rename(candidate, reserved);
    }
  }

 private:
  void Write(const std::string& path, const Candidate& candidate) {
    out_.files[path] = candidate.file->content;
    origins_[path] = {candidate.triad, candidate.file->section};
    AddToSection(candidate.file->section, path);
  }

  void AddToSection(const std::string& section, const std::string& path) {
    std::vector<std::string>& paths = out_.files_by_section[section];
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
  }

  void Rename(const Candidate& candidate, bool reserved) {
    const triad::StagedFile& file = *candidate.file;
    MergeIssue issue{
        .kind = reserved ? MergeIssue::Kind::kReservedPath : MergeIssue::Kind::kCollision,
        .path = file.path};
    if (!reserved) {
      const Origin& first = origins_.at(file.path);
      issue.triads.push_back(first.triad);
      issue.sections.push_back(first.section);
    }
    issue.triads.push_back(candidate.triad);
    issue.sections.push_back(file.section);
    std::optional<std::string> renamed =
        RenamedPath(file.path, file.section, file.content, format_name_, out_.files);
    std::string why = reserved ? "is generated by the merger"
                               : fmt::format(
                                     "already holds a different file from triad '{}' "
                                     "(section '{}')",
                                     issue.triads.front(), issue.sections.front());
    if (renamed.has_value()) {
      issue.renamed_to = *renamed;
      issue.message = fmt::format(
          "'{}' {}; the file of triad '{}' (section '{}') was renamed to '{}' (references to the "
          "old path are not rewritten)",
          file.path, why, candidate.triad, file.section, *renamed);
      if (out_.files.count(*renamed) == 0) {
        Write(*renamed, candidate);
      } else {
        AddToSection(file.section, *renamed);
      }
    } else {
      issue.message = fmt::format(
          "'{}' {}; the file of triad '{}' (section '{}') was dropped: no "
          "valid new path",
          file.path, why, candidate.triad, file.section);
    }
    out_.warnings.push_back(issue.message);
    out_.collisions.push_back(std::move(issue));
  }

  std::string_view format_name_;
  std::vector<std::string> reserved_;
  MergedOutput& out_;
  std::map<std::string, Origin> origins_;
};

bool IsIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

// The identifier starting at the first non-space character at or after `at`.
std::string WordAt(std::string_view code, size_t& at) {
  while (at < code.size() && std::isspace(static_cast<unsigned char>(code[at])) != 0) ++at;
  size_t start = at;
  while (at < code.size() && IsIdentifierChar(code[at])) ++at;
  return std::string(code.substr(start, at - start));
}

std::string NameAfterDefault(std::string_view code, size_t at) {
  std::string word = WordAt(code, at);
  if (word == "async") word = WordAt(code, at);
  if (word == "function" || word == "class") {
    while (at < code.size() &&
           (code[at] == '*' || std::isspace(static_cast<unsigned char>(code[at])) != 0))
      ++at;
    return WordAt(code, at);
  }
  if (word.empty() || std::isdigit(static_cast<unsigned char>(word[0])) != 0) return "";
  size_t after = at;
  while (after < code.size() && std::isspace(static_cast<unsigned char>(code[after])) != 0) ++after;
  bool plain = after >= code.size() || code[after] == ';' || code[after] == '}';
  return plain ? word : "";
}

}  // namespace

MergedOutput Merger::Merge(const spec::Spec& spec, const StagedFilesByTriad& staged,
                           const page::PageContract& contract) const {
  MergedOutput out;
  out.entry_point = "index.html";
  std::vector<std::string> sections = spec.SectionNames();
  for (const std::string& section : sections) out.files_by_section[section];
  std::vector<Candidate> candidates = OrderCandidates(spec, staged, out.warnings);
  if (candidates.empty()) out.warnings.push_back("no files were staged by any triad");
  Placer placer(format_, out);
  for (const Candidate& candidate : candidates) placer.Place(candidate);
  for (const std::string& section : sections) {
    if (out.files_by_section.at(section).empty()) {
      out.warnings.push_back(fmt::format("section '{}' has no files", section));
    }
  }
  page::ComposedPage page = page::ComposePage(contract, std::move(out.files), out.files_by_section);
  out.files = std::move(page.files);
  out.composition = std::move(page.composition);
  for (const page::RegionContract& region : contract.regions) {
    out.region_ids[region.region.section] = region.region.id;
    out.region_order.push_back(region.region.section);
  }
  for (const page::PageIssue& issue : page.issues) {
    if (issue.severity != page::PageIssue::Severity::kNote) out.warnings.push_back(issue.message);
  }
  out.page_issues = std::move(page.issues);
  return out;
}

std::string_view OutputFormatName(OutputFormat format) {
  return kOutputFormatNames[static_cast<int>(format)];
}

std::string SectionElementId(std::string_view section) {
  std::string id;
  for (char c : section) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      id.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!id.empty() && id.back() != '-') {
      id.push_back('-');
    }
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  return id.empty() ? "section" : id;
}

std::string DefaultExportName(std::string_view source) {
  CodeScan scan = ScanCode(source, CodeDialect::kJsx);
  std::string_view code = scan.code;
  for (size_t at = code.find("export"); at != std::string_view::npos;
       at = code.find("export", at + 6)) {
    if (at > 0 && IsIdentifierChar(code[at - 1])) continue;
    size_t cursor = at + 6;
    std::string next = WordAt(code, cursor);
    if (next == "default") return NameAfterDefault(code, cursor);
    if (cursor < code.size() && next.empty() && code[cursor] == '{') {
      size_t close = code.find('}', cursor);
      std::string_view list = code.substr(cursor, close - cursor);
      size_t as = list.find(" as default");
      if (as == std::string_view::npos) continue;
      size_t begin = as;
      while (begin > 0 && IsIdentifierChar(list[begin - 1])) --begin;
      return std::string(list.substr(begin, as - begin));
    }
  }
  return std::string(kNoDefaultExport);
}

std::string SectionPlaceholder(std::string_view section) {
  return fmt::format("hfs: no files were generated for section {}", SectionElementId(section));
}

}  // namespace hfs::pipeline
