// bench/tracing_overhead.cc
//
// hfs_bench_tracing_overhead: the CPU cost of one span with export on, as a run pays it:
// Tracer (system clock) -> BatchProcessor (default batch size and delay) -> JsonlExporter
// writing trace.jsonl to a temp file. Each span looks like an LLM call span: a parent,
// kind CLIENT, eight attributes (strings and int64s) set at start and end.
//
//   ns_per_span: CPU time of the whole process (the span-making thread plus the batch
//                thread's OTLP/JSON encoding and file writes, CLOCK_PROCESS_CPUTIME_ID)
//                from the first span to the end of Shutdown, divided by the spans;
//                median of 5 rounds of 50,000 spans after one warm-up round.
//   hot_path_ns: CPU time of the span-making thread alone per span (what a pipeline
//                thread pays), median of the same rounds.
//
//   hfs_bench_tracing_overhead [spans_per_round]
//   tracing_overhead: ns_per_span=2600
//
// The queue holds a whole round, so no span is dropped (dropped spans are reported and
// would make the number meaningless). Details go to stderr.
#include <fmt/format.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "hfs/trace/batch_processor.h"
#include "hfs/trace/jsonl_exporter.h"
#include "hfs/trace/tracer.h"

namespace {

using hfs::trace::SpanKind;

int64_t CpuNanos(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

struct Round {
  double ns_per_span = 0;
  double hot_path_ns = 0;
  uint64_t dropped = 0;
};

Round RunRound(const std::filesystem::path& file, int spans) {
  hfs::SystemClock clock;
  hfs::trace::Resource resource{.service_name = "hfs", .service_version = "bench"};
  auto exporter = hfs::trace::JsonlExporter::Open(file, resource);
  if (!exporter) {
    fmt::print(stderr, "cannot open {}: {}\n", file.string(), exporter.error().ToString());
    std::exit(1);
  }
  auto processor = std::make_shared<hfs::trace::BatchProcessor>(
      std::move(*exporter), hfs::trace::BatchOptions{.max_queue_size = size_t(spans) + 1});
  hfs::trace::Tracer tracer(clock, resource);
  tracer.AddProcessor(processor);
  const int64_t process_start = CpuNanos(CLOCK_PROCESS_CPUTIME_ID);
  const int64_t thread_start = CpuNanos(CLOCK_THREAD_CPUTIME_ID);
  hfs::trace::Span parent = tracer.StartSpan("invoke_agent t1.orchestrator");
  for (int i = 0; i < spans; ++i) {
    hfs::trace::Span span = tracer.StartSpan(
        "chat llama-3.3-70b", {.parent = parent.context(),
                               .kind = SpanKind::kClient,
                               .attributes = {{"gen_ai.operation.name", "chat"},
                                              {"gen_ai.provider.name", "groq"},
                                              {"gen_ai.request.model", "llama-3.3-70b"},
                                              {"server.address", "api.groq.com"},
                                              {"hfs.key.id", "groq#3:1a2b3c"}}});
    span.SetAttribute("gen_ai.response.model", "llama-3.3-70b-versatile");
    span.SetAttribute("gen_ai.usage.input_tokens", 812 + i % 100);
    span.SetAttribute("gen_ai.usage.output_tokens", 95 + i % 10);
  }
  const int64_t thread_end = CpuNanos(CLOCK_THREAD_CPUTIME_ID);
  parent.End();
  if (auto shut = tracer.Shutdown(); !shut) {
    fmt::print(stderr, "export failed: {}\n", shut.error().ToString());
    std::exit(1);
  }
  const int64_t process_end = CpuNanos(CLOCK_PROCESS_CPUTIME_ID);
  return Round{.ns_per_span = double(process_end - process_start) / spans,
               .hot_path_ns = double(thread_end - thread_start) / spans,
               .dropped = processor->dropped_count()};
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int spans = argc > 1 ? std::atoi(argv[1]) : 50000;
  if (spans <= 0) {
    fmt::print(stderr, "usage: hfs_bench_tracing_overhead [spans_per_round]\n");
    return 2;
  }
  std::string pattern =
      (std::filesystem::temp_directory_path() / "hfs-bench-trace-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return 1;
  const std::filesystem::path dir = pattern;
  std::vector<double> totals;
  std::vector<double> hot;
  for (int round = 0; round <= 5; ++round) {
    std::filesystem::path file = dir / fmt::format("trace-{}.jsonl", round);
    Round result = RunRound(file, spans);
    fmt::print(stderr, "round {}{}: ns_per_span={:.0f} hot_path_ns={:.0f} dropped={} file={} KiB\n",
               round, round == 0 ? " (warm-up)" : "", result.ns_per_span, result.hot_path_ns,
               result.dropped, std::filesystem::file_size(file) / 1024);
    if (result.dropped != 0) fmt::print(stderr, "warning: spans were dropped\n");
    std::filesystem::remove(file);
    if (round == 0) continue;
    totals.push_back(result.ns_per_span);
    hot.push_back(result.hot_path_ns);
  }
  std::filesystem::remove_all(dir);
  fmt::print(stderr, "hot_path_ns={:.0f} (median)\n", Median(hot));
  fmt::print("tracing_overhead: ns_per_span={:.0f}\n", Median(totals));
  return 0;
}
