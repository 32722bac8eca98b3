#include "hfs/pipeline/coverage.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace hfs::pipeline {
namespace {

bool Holds(const std::vector<std::string>& scope, const std::string& section) {
  return std::find(scope.begin(), scope.end(), section) != scope.end();
}

// The triads that could take `section`, and why.
CoverageAssignment Candidates(const std::vector<triad::TriadOptions>& triads,
                              const std::string& section) {
  CoverageAssignment assignment{.section = section};
  for (const triad::TriadOptions& triad : triads) {
    if (Holds(triad.scope.primary, section)) assignment.candidates.push_back(triad.id);
  }
  assignment.reason = "primary scope";
  if (assignment.candidates.empty()) {
    for (const triad::TriadOptions& triad : triads) {
      if (Holds(triad.scope.reach, section)) assignment.candidates.push_back(triad.id);
    }
    assignment.reason = "reach";
  }
  if (assignment.candidates.empty()) {
    for (const triad::TriadOptions& triad : triads) assignment.candidates.push_back(triad.id);
    assignment.reason = "only triad";
  }
  return assignment;
}

// The spec the arbiter sees: each candidate claims the section, saying why it could.
spec::Spec WithCandidateClaims(const spec::Spec& spec, const CoverageAssignment& assignment) {
  spec::Spec copy = spec;
  for (const std::string& triad : assignment.candidates) {
    (void)copy.RegisterClaim(
        triad, assignment.section,
        fmt::format("(no proposal: nobody claimed this section before the freeze; {} could "
                    "take it through its {})",
                    triad,
                    assignment.reason == "only triad" ? "place in the run" : assignment.reason));
  }
  return copy;
}

std::string OwnerOf(const spec::ArbiterDecision& decision) {
  switch (decision.type) {
    case spec::ArbiterDecision::Type::kAssign:
      return decision.winner;
    case spec::ArbiterDecision::Type::kMerge:
      return decision.assigned_to;
    case spec::ArbiterDecision::Type::kSplit:
      return decision.division.empty() ? "" : decision.division.front().triad;
  }
  return "";
}

}  // namespace

std::vector<CoverageAssignment> AssignUnclaimed(const CoverageRequest& request,
                                                const Arbiter& arbiter, agent::Budget* budget) {
  std::vector<CoverageAssignment> assignments;
  if (request.spec == nullptr || request.triads.empty()) return assignments;
  for (const std::string& section : request.spec->Unclaimed()) {
    assignments.push_back(Candidates(request.triads, section));
  }
  {
    std::vector<std::jthread> threads;
    for (CoverageAssignment& assignment : assignments) {
      if (assignment.candidates.size() < 2) continue;
      threads.emplace_back([&request, &arbiter, budget, &assignment] {
        const spec::Spec claimed = WithCandidateClaims(*request.spec, assignment);
        Result<ArbiterOutcome> outcome = arbiter.Resolve({.spec = &claimed,
                                                          .section = assignment.section,
                                                          .triads = request.triads,
                                                          .request = request.request,
                                                          .trace = request.trace},
                                                         budget);
        if (outcome) assignment.arbiter = std::move(*outcome);
      });
    }
  }  // joined
  for (CoverageAssignment& assignment : assignments) {
    std::string owner = assignment.arbiter ? OwnerOf(assignment.arbiter->decision) : "";
    if (owner.empty() || !Holds(assignment.candidates, owner)) {
      assignment.triad = assignment.candidates.front();
      if (assignment.candidates.size() > 1) assignment.reason = "arbiter fallback";
      continue;
    }
    assignment.triad = std::move(owner);
    assignment.reason = assignment.arbiter->fallback ? "arbiter fallback" : "arbiter";
  }
  return assignments;
}

}  // namespace hfs::pipeline
