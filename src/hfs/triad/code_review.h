// hfs/triad/code_review.h
//
// The hierarchical orchestrator's review of its workers' code: it reads what they wrote
// (CodeForReview: each file, cut to a bounded excerpt) and calls review_code once, either
// approving or sending one section back with reasons the worker can act on; that section
// is then written once more.
//
//   CodeReview review;
//   reviewer.tools = {ReviewCodeTool(review, {"page/hero", "page/faq"})};
//   ... the orchestrator runs with review_code forced ...
//   if (review.SentBack()) Rewrite(review.section, review.reasons);
//
// The tool writes `review` on the thread running the orchestrator.
#pragma once

#include <string>
#include <vector>

#include "hfs/agent/tool.h"
#include "hfs/triad/outbox.h"

namespace hfs::triad {

struct CodeReview {
  // "approve" or "send_back"; "" until the tool was called.
  std::string verdict;
  std::string section;
  std::string reasons;

  bool SentBack() const { return verdict == "send_back" && !section.empty(); }
};

// review_code(verdict: approve|send_back, section_id: one of `sections`, reasons).
agent::Tool ReviewCodeTool(CodeReview& target, std::vector<std::string> sections);

// The files for the review prompt, grouped under their section, each cut to
// `max_chars_per_file` (at a character boundary, with a note of what was left out).
std::string CodeForReview(const std::vector<StagedFile>& files, size_t max_chars_per_file = 4000);

}  // namespace hfs::triad
