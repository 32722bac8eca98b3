// bench/pipeline: how much the orchestration adds to the model calls that had to happen
// one after another.
//
// An in-process hfs-emulator serves the four providers of
// tools/emulator/examples/four-providers.yaml (8 keys each, their free-tier limits) with
// 200 ms of latency per call. The built `hfs` binary runs the standard example against it,
// as a user would, and the run's trace.jsonl gives the wall time of the run (the hfs.run
// span) and its critical path: the longest chain of dependent LLM calls
// (hfs/trace/critical_path.h). ratio = wall / critical path; 1.0 would mean the
// orchestration adds nothing. Target: ratio <= 1.15.
//
// Run from the repository root (it reads the example configs):
//   build/bench/hfs_bench_pipeline
// prints one line:
//   pipeline: wall_s=W critical_path_s=C ratio=R calls=N
#include <fmt/format.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "bench/harness.h"
#include "hfs/base/clock.h"
#include "hfs/trace/critical_path.h"
#include "hfs/trace/jsonl_exporter.h"

namespace hfs::bench {
namespace {

constexpr double kLatencyMs = 200;

int Main() {
  Result<emulator::EmulatorOptions> options =
      emulator::LoadConfig("tools/emulator/examples/four-providers.yaml");
  if (!options) {
    fmt::print(stderr, "pipeline: {} (run from the repository root)\n", options.error().message);
    return 1;
  }
  for (emulator::ProviderOptions& provider : options->providers) {
    provider.latency.fixed_ms = kLatencyMs;
  }
  SystemClock clock;
  EmulatorHarness emulator(*options, clock, 128);
  Result<std::string> base = emulator.Start();
  if (!base) {
    fmt::print(stderr, "pipeline: {}\n", base.error().message);
    return 1;
  }
  const std::filesystem::path scratch =
      std::filesystem::temp_directory_path() / fmt::format("hfs-bench-pipeline-{}", ::getpid());
  std::filesystem::create_directories(scratch / "home");
  // Validators (esbuild, Chromium) are off: they run once after the calls and are not
  // orchestration; docs/benchmarks.md gives their time.
  std::string command =
      "env -i PATH=/usr/bin:/bin HFS_VALIDATORS=off HOME=" + (scratch / "home").string();
  for (const emulator::ProviderOptions& provider : options->providers) {
    std::string upper = provider.name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    command += fmt::format(" HFS_{}_BASE_URL={}{}", upper, *base, provider.prefix);
    command += fmt::format(" NUM_{}={}", upper, provider.keys.size());
    for (size_t i = 0; i < provider.keys.size(); ++i) {
      command += fmt::format(" {}_API_KEY_{}={}", upper, i + 1, provider.keys[i].key);
    }
  }
  command += fmt::format(
      " {} run -c config/examples/standard.yaml -r 'a pricing page with three tiers and an FAQ'"
      " -o {} --json > {} 2>&1",
      HFS_BINARY, (scratch / "out").string(), (scratch / "hfs.log").string());
  const int status = std::system(command.c_str());
  emulator.Stop();
  std::filesystem::path trace_file;
  if (std::filesystem::exists(scratch / "out")) {
    for (const auto& entry : std::filesystem::directory_iterator(scratch / "out")) {
      trace_file = entry.path() / "trace.jsonl";
    }
  }
  if (status != 0 || trace_file.empty()) {
    fmt::print(stderr, "pipeline: hfs run failed (status {}); see {}\n", status,
               (scratch / "hfs.log").string());
    return 1;
  }
  Result<std::vector<trace::SpanData>> spans = trace::ReadJsonlTraces(trace_file);
  if (!spans) {
    fmt::print(stderr, "pipeline: {}\n", spans.error().message);
    return 1;
  }
  const trace::CriticalPath path = trace::ComputeCriticalPath(*spans);
  std::filesystem::remove_all(scratch);
  const double wall = Seconds(path.wall);
  const double critical = Seconds(path.calls);
  fmt::print("pipeline: wall_s={:.2f} critical_path_s={:.2f} ratio={:.3f} calls={}\n", wall,
             critical, critical > 0 ? wall / critical : 0.0, path.total_calls);
  return 0;
}

}  // namespace
}  // namespace hfs::bench

int main() { return hfs::bench::Main(); }
