// hfs/pipeline/orchestrator_state.h
//
// The state of one Orchestrator run, shared by orchestrator.cc (input to freeze, output)
// and orchestrator_execution.cc (execution waves, integration with repair). Internal to
// the pipeline module. Thread-compatible: owned by the run's thread.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "hfs/pipeline/orchestrator.h"
#include "hfs/pipeline/run_budgets.h"
#include "hfs/triad/code_generator.h"

namespace hfs::pipeline {
namespace internal {

inline bool Contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// Runs `step(i)` for every triad index in parallel and joins.
template <class Step>
void ForEachTriadInParallel(size_t count, const Step& step) {
  std::vector<std::jthread> threads;
  threads.reserve(count);
  for (size_t i = 0; i < count; ++i) threads.emplace_back([&step, i] { step(i); });
}

inline bool EveryTriadFailed(const std::vector<triad::PhaseReport>& reports) {
  return !reports.empty() && std::all_of(reports.begin(), reports.end(),
                                         [](const triad::PhaseReport& r) { return r.error; });
}

inline void KeepFirstError(std::optional<Error>& first, const std::optional<Error>& error,
                           const std::string& context) {
  if (error && !first) first = error->WithContext(context);
}

}  // namespace internal

struct Orchestrator::RunState {
  std::string request;
  PipelineResult result;
  std::optional<spec::Spec> spec;  // set by the input phase
  std::unique_ptr<RunBudgets> budgets;
  std::unique_ptr<triad::CodeGenerator> code;
  std::vector<std::unique_ptr<triad::Triad>> triads;
  // The triads' options with `page/*` dealt out (set by the input phase).
  std::vector<triad::TriadOptions> triad_options;
  std::map<std::string, page::SectionRole> roles;
  std::vector<std::string> order;  // triad ids in config order
  // The current phase's span and scope.
  trace::Span* phase_span = nullptr;
  trace::TraceScope phase_trace;
  // Set by a phase after which nothing more can be done.
  bool stop = false;
  // Triads that failed: they take no further part (takeover.h).
  std::set<std::string> retired;
};

}  // namespace hfs::pipeline
