// hfs/trace/critical_path.h
//
// CriticalPath: the longest chain of dependent LLM calls in a trace. Within one parent,
// children that do not overlap in time ran one after the other (each waited for the one
// before), and overlapping children ran in parallel; so a span's critical path is the
// heaviest chain of its children, each starting after the previous one ended, where a
// child weighs its own critical path and a `chat` span weighs its duration. Wall time
// over the root's critical path says how much the orchestration (scheduling, waiting for
// keys, work between calls) adds to the model calls that had to happen in sequence.
//
//   std::vector<SpanData> spans = HFS_TRY(ReadJsonlTraces(run_dir / "trace.jsonl"));
//   CriticalPath path = ComputeCriticalPath(spans);
//   fmt::print("{:.2f}x\n", Seconds(path.wall) / Seconds(path.calls));
//
// Pure function; thread-safe.
#pragma once

#include <span>

#include "hfs/base/clock.h"
#include "hfs/trace/span_data.h"

namespace hfs::trace {

struct CriticalPath {
  // The root span's duration (the first root when there are several).
  Duration wall{0};
  // The summed duration of the chat spans on the longest dependent chain.
  Duration calls{0};
  // How many chat spans the chain holds, and how many the trace holds.
  int chain_length = 0;
  int total_calls = 0;
};

CriticalPath ComputeCriticalPath(std::span<const SpanData> spans);

}  // namespace hfs::trace
