// hfs/pipeline/validator_internal.h
//
// The check groups of the Validator (hfs/pipeline/validator.h), one function per group
// and file. Internal to the pipeline module. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hfs/pipeline/code_scan.h"
#include "hfs/pipeline/validator.h"

namespace hfs::pipeline::internal {

using Issues = std::vector<ValidationIssue>;

// A script or style part of a file: the whole text of a .js/.ts/.jsx/.tsx/.css file, or
// one <script>/<style> block of an .html/.vue/.svelte file with everything outside the
// block replaced by spaces (newlines kept), so lines and offsets stay the file's.
struct CodePart {
  std::string text;
  CodeDialect dialect = CodeDialect::kScript;
};
std::vector<CodePart> CodeParts(std::string_view path, std::string_view content);

// The text tags are read from: comments removed from scripts; the file itself otherwise.
std::string MarkupText(std::string_view path, std::string_view content);

void AddIssue(Issues& issues, Severity severity, std::string_view category, std::string message,
              std::string_view file, int line, std::string suggestion);

void CheckSyntax(const std::string& path, const std::string& content, Issues& issues);
void CheckRender(const std::string& path, const std::string& content, Issues& issues);
void CheckAccessibility(const std::string& path, const std::string& content, Issues& issues);
void CheckPerformance(const std::string& path, const std::string& content, Issues& issues);
void CheckCoverage(const MergedOutput& merged, const spec::Spec& spec, Issues& issues);

}  // namespace hfs::pipeline::internal
