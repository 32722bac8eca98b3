// hfs/pipeline/merger.h
//
// Merger: turns the files every triad staged in the execution phase into one frontend.
// Each path is re-checked (hfs/triad/output_paths.h) and a refused one is dropped with a
// warning. Files are taken in spec order, then triad order, then staged order; a later
// file at a path already holding different content is a collision: it is reported and
// renamed to `<stem>-<section>.<ext>` (identical content is merged silently). Staged files
// at a path the merger generates (index.html, App.tsx, ...) are renamed the same way.
// Then the page is composed from the page contract by page::ComposePage
// (hfs/page/page_composer.h): regions in page order, each isolated in its root element
// (scoped CSS, ES module scripts, adopted wrappers, de-duplicated ids, checked imports),
// concerns as layered global styles, data and behaviour modules. The composer's errors
// (an import the toolchain lacks, a region without markup) are in `page_issues`.
//
//   Merger merger(OutputFormat::kHtml);
//   MergedOutput out = merger.Merge(frozen_spec, {{"t1", outbox1.files()}, {"t2", ...}},
//                                   contract);
//   for (const MergeIssue& issue : out.collisions) Log(issue.message);
//   WriteAll(out.files);   // path -> content, entry point at out.entry_point
//
// Pure; thread-safe (const methods over immutable state). Merge never fails: every
// problem is a collision record or a warning in the output.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/page/page_composer.h"
#include "hfs/page/page_contract.h"
#include "hfs/pipeline/pipeline_options.h"
#include "hfs/spec/spec.h"
#include "hfs/triad/outbox.h"

namespace hfs::pipeline {

// Triad id -> the files it staged (in staged order).
using StagedFilesByTriad = std::map<std::string, std::vector<triad::StagedFile>>;

struct MergeIssue {
  enum class Kind {
    // Two different files at one path; the later was renamed.
    kCollision,
    // A staged file at a path the merger generates; it was renamed.
    kReservedPath,
  };
  Kind kind = Kind::kCollision;
  std::string path;
  // Where the later file went; empty when it had to be dropped.
  std::string renamed_to;
  // The earlier holder first, then the renamed file (for kReservedPath just the file).
  std::vector<std::string> triads;
  std::vector<std::string> sections;
  std::string message;
};

struct MergedOutput {
  // Path -> content, generated entry files included.
  std::map<std::string, std::string> files;
  // The page to open: "index.html" for every format.
  std::string entry_point;
  // The file composing every section: index.html (html, vanilla), App.tsx, App.vue,
  // App.svelte.
  std::string composition;
  std::vector<MergeIssue> collisions;
  std::vector<std::string> warnings;
  // Section -> the paths of its files (after renames), in merge order; every spec
  // section has an entry (possibly empty), plus sections named only by staged files.
  std::map<std::string, std::vector<std::string>> files_by_section;
  // Region section -> the id of its root element; regions in page order.
  std::map<std::string, std::string> region_ids;
  std::vector<std::string> region_order;
  // What the composer found and did (errors with file and line, renames, scoping notes).
  std::vector<page::PageIssue> page_issues;
};

class Merger {
 public:
  explicit Merger(OutputFormat format) : format_(format) {}

  MergedOutput Merge(const spec::Spec& spec, const StagedFilesByTriad& staged,
                     const page::PageContract& contract) const;

 private:
  OutputFormat format_;
};

// "react", "vue", "svelte", "html", "vanilla".
std::string_view OutputFormatName(OutputFormat format);

// The id of a section's wrapper element in the html page: lower-case letters, digits
// and '-' ("Pricing Tiers" -> "pricing-tiers", "layout/header" -> "layout-header"); never
// empty ("section" when nothing is left).
std::string SectionElementId(std::string_view section);

// The local name of `source`'s default export: Name from `export default function Name`,
// `export default class Name`, `export default Name;` or `export { Name as default }`;
// "" for an anonymous default export (`export default () => ...`); kNoDefaultExport when
// there is none. Comments and strings are ignored.
inline constexpr std::string_view kNoDefaultExport = "<none>";
std::string DefaultExportName(std::string_view source);

}  // namespace hfs::pipeline
