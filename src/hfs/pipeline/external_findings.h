// hfs/pipeline/external_findings.h
//
// Turns the JSON printed by the validator scripts (tools/validators/build.mjs and
// render.mjs) into ValidationIssues placed on the merged output: a file relative to the
// page (file:// URLs of the written site become merged paths), a line where known, and
// the spec section (from the file's section, or the region root or data-section that
// holds the finding).
//   esbuild   error "syntax-error" per message (file, line; .vue/.svelte compile errors
//             and unresolved imports too), warning "esbuild-warning";
//   chromium  error "console-error", "uncaught-exception", and per region "section-missing",
//             "section-hidden", "section-empty", one "region-order" when the regions are
//             not shown top to bottom in the given order; warning "missing-resource"; info
//             "network-blocked";
//   axe-core  one issue per violating node (at most 5 per rule), the rule id as rule;
//             impact critical -> error, serious/moderate/minor -> warning.
//
//   FindingContext context{.merged = &merged, .site = site_dir};
//   BuildFindings build = HFS_TRY(ParseBuildOutput(ran.stdout_text, context));
//
// Pure; thread-safe. The parsers fail with kDataLoss when the text is not the scripts'
// JSON object.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/base/error.h"
#include "hfs/pipeline/merger.h"
#include "hfs/pipeline/validator.h"

namespace hfs::pipeline {

struct FindingContext {
  const MergedOutput* merged = nullptr;  // required
  // The directory the merged files were written to for the tools.
  std::filesystem::path site;
};

struct BuildFindings {
  std::string version;
  bool ok = false;
  int checked = 0;
  // The page to open, relative to the site: "dist/index.html" for a built app,
  // "index.html" for html and vanilla, "" when there is none (the build failed).
  std::string page;
  std::vector<ValidationIssue> issues;
};

struct RenderFindings {
  std::string chromium_version;
  std::vector<ValidationIssue> render_issues;
  // Whether axe-core ran, its version and findings.
  bool audited = false;
  std::string axe_version;
  std::vector<ValidationIssue> axe_issues;
};

Result<BuildFindings> ParseBuildOutput(std::string_view text, const FindingContext& context);
Result<RenderFindings> ParseRenderOutput(std::string_view text, const FindingContext& context);

// The spec section whose files hold `path` ("" when none).
std::string SectionOfFile(const MergedOutput& merged, std::string_view path);

// The 1-based line of the first occurrence of `needle` in `content`; 0 when absent.
int LineOf(std::string_view content, std::string_view needle);

}  // namespace hfs::pipeline
