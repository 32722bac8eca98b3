// hfs/page/page_composer_internal.h
//
// Shared steps of ComposePage (page_composer.cc: cleaning, ids, CSS, html; and
// page_composer_components.cc: react, vue, svelte). Internal to the page module.
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hfs/page/page_composer.h"

namespace hfs::page::internal {

// The paths of `section` with one of `extensions`, in order.
std::vector<std::string> PathsOf(const std::map<std::string, std::vector<std::string>>& by_section,
                                 const std::string& section,
                                 const std::vector<std::string_view>& extensions);

struct Composition {
  const PageContract& contract;
  const std::map<std::string, std::vector<std::string>>& by_section;
  ComposedPage& page;
  // Region section -> renames of its element ids (old -> new).
  std::map<std::string, std::map<std::string, std::string>> renames;

  void Issue(PageIssue::Severity severity, std::string section, std::string file, int line,
             std::string rule, std::string message);
};

// Decides the id renames of every region (page order): an id another region used first,
// or another region's root id, becomes "<root>-<id>"; in component formats the region's
// own root id written by the model becomes "<root>-inner".
void PlanIdRenames(Composition& composition,
                   const std::map<std::string, std::vector<std::string>>& markup_by_region);

// A region's CSS: ids renamed, scoped to "#root"; notes become issues.
std::string RegionCss(Composition& composition, const RegionContract& region,
                      const std::string& path, std::string_view css);
// A concern's CSS inside @layer hfs-concerns.
std::string ConcernCss(std::string_view css);

// True (with issues added) when `content` of `path` imports something the format lacks.
bool HasImportProblems(Composition& composition, const std::string& section,
                       const std::string& path, std::string_view content);

// A tokens concern is judged by its effect: it defines design tokens (a warning when it
// defines none) that regions use (a warning when no region does).
void CheckTokens(Composition& composition);

void ComposeHtml(Composition& composition);
void ComposeComponents(Composition& composition);

}  // namespace hfs::page::internal
