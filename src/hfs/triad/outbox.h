// hfs/triad/outbox.h
//
// Outbox: where one triad's tools stage their effects during a phase — claims
// (deliberation), decisions (negotiation) and generated files (execution) — instead of
// changing the spec. After the phase joins, the orchestrator collects them and applies
// them in a fixed order (hfs/spec/staged.h), then clears the outbox.
//
//   Outbox outbox;
//   outbox.Claim({.triad = "layout", .section = "hero", .proposal = "full-width banner"});
//   outbox.AddFile({.section = "hero", .path = "hero.html", .content = "<section>..."});
//   std::vector<spec::ClaimOutcome> outcomes = spec::ApplyClaims(spec, outbox.claims(), order);
//   outbox.Clear();
//
// Replacement: a later claim or decision for the same section, or a later file of the same
// section with the same path, replaces the earlier one in its first-staged position, so
// each list holds one entry per key in the order the keys were first staged. Files of two
// sections at one path are both kept: the merger reports and resolves that collision.
//
// Thread-safe: consensus peers stage into one outbox concurrently.
#pragma once

#include <string>
#include <vector>

#include "hfs/base/mutex.h"
#include "hfs/spec/staged.h"

namespace hfs::triad {

struct StagedFile {
  std::string section;
  std::string path;
  std::string content;
  // The role of the agent whose generate_code call wrote it ("" when unknown): code that
  // fails validation counts as that role's failure for tier escalation.
  std::string role;
  // The code model that wrote it, "provider/model" ("" when unknown): code that fails
  // validation moves the triad's code model list past it (agent::ModelSource::Demote).
  std::string model;

  bool operator==(const StagedFile&) const = default;
};

class Outbox {
 public:
  void Claim(spec::StagedClaim claim);
  void Decide(spec::StagedDecision decision);
  void AddFile(StagedFile file);

  // Copies, in first-staged order.
  std::vector<spec::StagedClaim> claims() const;
  std::vector<spec::StagedDecision> decisions() const;
  std::vector<StagedFile> files() const;

  // Removes the files staged for `section` and returns them.
  std::vector<StagedFile> TakeFiles(const std::string& section);

  // Drops everything staged.
  void Clear();

 private:
  mutable Mutex mu_;
  std::vector<spec::StagedClaim> claims_ HFS_GUARDED_BY(mu_);
  std::vector<spec::StagedDecision> decisions_ HFS_GUARDED_BY(mu_);
  std::vector<StagedFile> files_ HFS_GUARDED_BY(mu_);
};

}  // namespace hfs::triad
