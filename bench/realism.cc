// bench/realism: does a run still deliver when the models are as sloppy as real ones?
//
// An in-process hfs-emulator serves tools/emulator/examples/four-providers.yaml with the
// realism profile given on the command line ("realistic" by default: prose where a tool
// was forced, fenced and malformed JSON, wrong tools, schema violations, truncation,
// reasoning that eats max_tokens, ...; docs/emulator.md has the rates). The built `hfs`
// binary runs the standard example against it once per emulator seed, as a user would.
// Each run is read back from its report: succeeded (the page was built and passed
// validation), its tokens, the requests the emulator served, the tier escalations and
// the arbiter decisions the model made (deadlocks and unclaimed sections at freeze; not
// the fallback). A run that did not succeed
// must be a clean exit 1 with a report that names its cause; anything else counts as
// unclean.
//
// Run from the repository root (it reads the example configs):
//   build/bench/hfs_bench_realism [realistic|kind] [runs]
// prints one line:
//   realism: succeeded=S runs=N median_tokens=T median_requests=R escalations=E
//            arbiter_model_decisions=A unclean=U validated=V max_triad_tokens=M
// (max_triad_tokens: the most tokens one triad spent in any run, code repairs included:
// what the example budgets and the built-in per-triad default are sized from)
// (validated: succeeded runs whose page passed the external validators, esbuild and
// Chromium, when they are installed: `./dev.sh setup`).
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "bench/harness.h"
#include "hfs/base/clock.h"

namespace hfs::bench {
namespace {

using nlohmann::json;

struct RunOutcome {
  bool succeeded = false;
  bool clean = false;
  int64_t tokens = 0;
  int64_t requests = 0;
  int64_t escalations = 0;
  int64_t arbiter_model_decisions = 0;
  // The most tokens one triad (not the planner or the arbiter) spent.
  int64_t max_triad_tokens = 0;
  // The page went through the external validators (esbuild, Chromium) and passed.
  bool validated = false;
  std::string cause;
};

json ReadJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str(), nullptr, false);
}

std::string Env(const emulator::EmulatorOptions& options, const std::string& base) {
  std::string command = "env -i PATH=/usr/bin:/bin:/usr/local/bin";
  for (const emulator::ProviderOptions& provider : options.providers) {
    std::string upper = provider.name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    command += fmt::format(" HFS_{}_BASE_URL={}{}", upper, base, provider.prefix);
    command += fmt::format(" NUM_{}={}", upper, provider.keys.size());
    for (size_t i = 0; i < provider.keys.size(); ++i) {
      command += fmt::format(" {}_API_KEY_{}={}", upper, i + 1, provider.keys[i].key);
    }
  }
  return command;
}

RunOutcome RunOnce(emulator::EmulatorOptions options, uint64_t seed,
                   const std::filesystem::path& scratch) {
  options.seed = seed;
  SystemClock clock;
  EmulatorHarness emulator(options, clock, 128);
  Result<std::string> base = emulator.Start();
  RunOutcome outcome;
  if (!base) {
    outcome.cause = base.error().message;
    return outcome;
  }
  const std::filesystem::path dir = scratch / fmt::format("seed-{}", seed);
  std::filesystem::create_directories(dir / "home");
  const std::string command = fmt::format(
      "{} HOME={} HFS_HOME={} {} run -c config/examples/standard.yaml"
      " -r 'a pricing page with three tiers and an FAQ' -o {} --json > {} 2>&1",
      Env(options, *base), (dir / "home").string(), (dir / "home").string(), HFS_BINARY,
      (dir / "out").string(), (dir / "hfs.log").string());
  const int status = std::system(command.c_str());
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  json stats = json::parse(emulator.emulator().StatsJson(), nullptr, false);
  emulator.Stop();
  if (stats.is_object()) outcome.requests = stats["total"].value("requests", int64_t{0});
  json report;
  if (std::filesystem::exists(dir / "out")) {
    for (const auto& entry : std::filesystem::directory_iterator(dir / "out")) {
      if (std::filesystem::exists(entry.path() / "hfs-report.json")) {
        report = ReadJson(entry.path() / "hfs-report.json");
      }
    }
  }
  if (!report.is_object()) {
    outcome.cause =
        fmt::format("exit {} without a report (see {})", code, (dir / "hfs.log").string());
    return outcome;
  }
  outcome.succeeded = code == 0 && report.value("success", false);
  const json& error = report["error"];
  const std::string message = error.is_object() ? error.value("message", "") : "";
  // A failure is clean when it is exit 1 with a report that says why.
  outcome.clean = outcome.succeeded || (code == 1 && !message.empty());
  outcome.cause = message;
  outcome.tokens = report["counts"].value("tokens", int64_t{0});
  outcome.escalations =
      static_cast<int64_t>(report.value("tier_escalations", json::array()).size());
  const json by_triad = report["usage"].value("by_triad", json::object());
  for (auto it = by_triad.begin(); it != by_triad.end(); ++it) {
    if (it.key() == "arbiter" || it.key() == "planner") continue;
    outcome.max_triad_tokens =
        std::max(outcome.max_triad_tokens, it.value().value("total_tokens", int64_t{0}));
  }
  for (const json& escalation : report["negotiation"].value("escalations", json::array())) {
    if (!escalation.value("fallback", true)) ++outcome.arbiter_model_decisions;
  }
  for (const json& assignment : report.value("coverage", json::array())) {
    if (assignment.value("reason", "") == "arbiter") ++outcome.arbiter_model_decisions;
  }
  int passed = 0;
  for (const json& validator : report["validation"].value("validators", json::array())) {
    if (validator.value("status", "") == "passed") ++passed;
  }
  outcome.validated = passed > 0 && report["validation"].value("passed", false);
  if (outcome.succeeded) std::filesystem::remove_all(dir);
  return outcome;
}

int64_t Median(std::vector<int64_t> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

int Main(int argc, char** argv) {
  const std::string profile = argc > 1 ? argv[1] : "realistic";
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 20;
  Result<emulator::EmulatorOptions> options =
      emulator::LoadConfig("tools/emulator/examples/four-providers.yaml");
  if (!options) {
    fmt::print(stderr, "realism: {} (run from the repository root)\n", options.error().message);
    return 1;
  }
  if (profile == "realistic") {
    options->realism = emulator::RealismProfile::kRealistic;
  } else if (profile != "kind") {
    fmt::print(stderr, "realism: profile must be realistic or kind, not '{}'\n", profile);
    return 2;
  }
  const std::filesystem::path scratch =
      std::filesystem::temp_directory_path() / fmt::format("hfs-bench-realism-{}", ::getpid());
  std::vector<int64_t> tokens;
  std::vector<int64_t> requests;
  int succeeded = 0;
  int unclean = 0;
  int validated = 0;
  int64_t escalations = 0;
  int64_t arbiter = 0;
  int64_t max_triad_tokens = 0;
  for (int seed = 1; seed <= runs; ++seed) {
    RunOutcome outcome = RunOnce(*options, static_cast<uint64_t>(seed), scratch);
    fmt::print(stderr, "seed {}: {} tokens={} requests={} max_triad_tokens={}{}\n", seed,
               outcome.succeeded ? "succeeded" : (outcome.clean ? "failed cleanly" : "UNCLEAN"),
               outcome.tokens, outcome.requests, outcome.max_triad_tokens,
               outcome.cause.empty() ? "" : " (" + outcome.cause + ")");
    succeeded += outcome.succeeded ? 1 : 0;
    validated += outcome.succeeded && outcome.validated ? 1 : 0;
    unclean += outcome.clean ? 0 : 1;
    tokens.push_back(outcome.tokens);
    requests.push_back(outcome.requests);
    escalations += outcome.escalations;
    arbiter += outcome.arbiter_model_decisions;
    max_triad_tokens = std::max(max_triad_tokens, outcome.max_triad_tokens);
  }
  fmt::print(
      "realism: succeeded={} runs={} median_tokens={} median_requests={} escalations={} "
      "arbiter_model_decisions={} unclean={} validated={} max_triad_tokens={}\n",
      succeeded, runs, Median(tokens), Median(requests), escalations, arbiter, unclean, validated,
      max_triad_tokens);
  return 0;
}

}  // namespace
}  // namespace hfs::bench

int main(int argc, char** argv) { return hfs::bench::Main(argc, argv); }
