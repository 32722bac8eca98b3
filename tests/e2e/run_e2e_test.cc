// `hfs run` end to end: the built binary against the built hfs-emulator, as a user who
// pointed HFS at the emulator with `hfs-emulator --print-env` would run it.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "hfs/base/file.h"
#include "hfs/net/curl_transport.h"
#include "hfs/store/open_database.h"
#include "hfs/store/usage_store.h"
#include "hfs/testing/temp_dir.h"
#include "hfs/trace/jsonl_exporter.h"
#include "tests/e2e/emulator_process.h"
#include "tests/e2e/run_hfs.h"

namespace hfs {
namespace {

using nlohmann::json;

// The emulator's four-provider example with `from` replaced by `to`, written to `path`
// (empty, after a test failure, when the example has no `from`).
std::string EmulatorConfigWith(const std::filesystem::path& path, const std::string& from,
                               const std::string& to) {
  std::string text = ReadFile("tools/emulator/examples/four-providers.yaml").value_or("");
  const size_t at = text.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "the emulator's example has no '" << from << "'";
    return "";
  }
  text.replace(at, from.size(), to);
  EXPECT_TRUE(WriteFileAtomic(path, text).has_value());
  return path.string();
}

class RunE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(emulator_.started()) << "hfs-emulator did not start"; }

  json Run(const std::string& config, HfsRun* raw = nullptr) {
    HfsRun run = RunHfs(home_.path(),
                        "run -c " + config + " -r 'a pricing page with three tiers and an FAQ'" +
                            " -o " + out_.path().string() + " --json",
                        Streams::kStdoutOnly, emulator_.Env());
    if (raw != nullptr) *raw = run;
    json out = json::parse(run.output, nullptr, false);
    EXPECT_FALSE(out.is_discarded()) << run.output;
    return out;
  }

  json Report(const json& out) {
    Result<std::string> text =
        ReadFile(std::filesystem::path(out["run_dir"].get<std::string>()) / "hfs-report.json");
    EXPECT_TRUE(text.has_value());
    return json::parse(text.value_or("{}"));
  }

  // What the emulator saw (GET /_emulator/stats).
  json EmulatorStats() {
    net::CurlTransport transport;
    Result<net::HttpResponse> response =
        transport.Send({.url = emulator_.url() + "/_emulator/stats"});
    EXPECT_TRUE(response.has_value());
    return json::parse(response ? response->body : "{}");
  }

  std::vector<store::UsageRecord> UsageRows() {
    auto database =
        store::OpenDatabase("sqlite://" + (home_.path() / ".hfs" / "usage.db").string());
    EXPECT_TRUE(database.has_value());
    if (!database) return {};
    auto usage = store::UsageStore::Open(std::move(*database));
    EXPECT_TRUE(usage.has_value());
    if (!usage) return {};
    return (*usage)->Recent(Timestamp{}).value_or(std::vector<store::UsageRecord>{});
  }

  EmulatorProcess emulator_;
  testing::TempDir home_;
  testing::TempDir out_;
};

TEST_F(RunE2eTest, StandardExampleBuildsAPageThatHoldsEverySection) {
  HfsRun raw;
  json out = Run("config/examples/standard.yaml", &raw);
  ASSERT_EQ(raw.code, 0) << raw.output;
  EXPECT_EQ(out["success"], true);
  EXPECT_GE(out["counts"]["contested_sections"].get<int>(), 1);
  const std::filesystem::path dir = out["run_dir"].get<std::string>();
  EXPECT_TRUE(std::filesystem::exists(dir / "index.html"));
  Result<std::string> app = ReadFile(dir / "App.tsx");
  ASSERT_TRUE(app.has_value());
  json report = Report(out);
  EXPECT_TRUE(report["validation"]["passed"].get<bool>()) << report["validation"].dump(2);
  // The external validators bundled the app, rendered it in Chromium (screenshot.png) and
  // audited it with axe-core (the tools are installed by the set-up; see dev.sh).
  std::map<std::string, std::string> validators;  // name -> status
  for (const json& run : report["validation"]["validators"]) {
    validators[run["name"]] = run["status"].get<std::string>() + " " + run["reason"].dump();
  }
  const char* optional = std::getenv("HFS_VALIDATORS_OPTIONAL");
  if (optional == nullptr || std::string(optional) != "1") {
    for (const char* name : {"esbuild", "chromium", "axe-core"}) {
      EXPECT_EQ(validators[name].substr(0, 6), "passed") << name << ": " << validators[name];
    }
    std::error_code ec;
    EXPECT_GT(std::filesystem::file_size(dir / "screenshot.png", ec), 1000u);
    const std::vector<std::string> checks = report["validation"]["checks_run"];
    EXPECT_NE(std::find(checks.begin(), checks.end(), "chromium"), checks.end());
  }
  // Every section of the frozen spec has an owner and is rendered by App.tsx.
  for (const json& section : report["spec"]["sections"]) {
    EXPECT_EQ(section["status"], "frozen") << section.dump();
    EXPECT_NE(section["owner"], "") << section.dump();
  }
  EXPECT_EQ(report["counts"]["files"], out["counts"]["files"]);
  // The shared state file holds the work the triads did: one completed item per section,
  // written by the section's owner.
  HfsRun state = RunHfs(
      home_.path(),
      "state " + out["run_id"].get<std::string>() + " -o " + out_.path().string() + " --json",
      Streams::kStdoutOnly);
  ASSERT_EQ(state.code, 0) << state.output;
  json items = json::parse(state.output)["items"];
  std::map<std::string, std::string> completed;  // "owner: write section X" -> status
  for (const json& item : items) {
    const std::string text = item["description"];
    completed[text.substr(
        0, text.find(" (") == std::string::npos ? text.size() : text.find(" ("))] = item["status"];
  }
  for (const json& section : report["spec"]["sections"]) {
    const std::string key = section["owner"].get<std::string>() + ": write section " +
                            section["name"].get<std::string>();
    EXPECT_EQ(completed[key], "completed") << key;
  }
  EXPECT_EQ(items.size(), report["spec"]["sections"].size());
  // The usage rows are the requests the run made, all answered, one per request the
  // emulator accepted, with the same tokens.
  std::vector<store::UsageRecord> rows = UsageRows();
  EXPECT_GT(rows.size(), 20u);
  int64_t row_tokens = 0;
  for (const store::UsageRecord& row : rows) {
    EXPECT_EQ(row.run_id, out["run_id"]) << row.request_id;
    EXPECT_EQ(row.status, "ok") << row.request_id;
    row_tokens += row.prompt_tokens + row.completion_tokens;
  }
  json stats = EmulatorStats();
  EXPECT_EQ(stats["total"]["accepted"].get<int64_t>(), static_cast<int64_t>(rows.size()));
  EXPECT_EQ(stats["total"]["total_tokens"].get<int64_t>(), row_tokens);
  EXPECT_EQ(report["usage"]["total"]["total_tokens"].get<int64_t>(), row_tokens);
}

// The attribute `key` of a span as text ("" when absent); integers as their digits.
std::string Attr(const trace::SpanData& span, std::string_view key) {
  const trace::AttributeValue* value = trace::FindAttribute(span.attributes, key);
  if (value == nullptr) return "";
  if (const auto* text = std::get_if<std::string>(value)) return *text;
  if (const auto* number = std::get_if<int64_t>(value)) return std::to_string(*number);
  return "?";
}

int64_t Tokens(const trace::SpanData& span) {
  const std::string input = Attr(span, "gen_ai.usage.input_tokens");
  const std::string output = Attr(span, "gen_ai.usage.output_tokens");
  return (input.empty() ? 0 : std::stoll(input)) + (output.empty() ? 0 : std::stoll(output));
}

TEST_F(RunE2eTest, TraceHoldsEveryCallUnderItsAgentTriadPhaseAndRun) {
  HfsRun raw;
  json out = Run("config/examples/standard.yaml", &raw);
  ASSERT_EQ(raw.code, 0) << raw.output;
  const std::filesystem::path dir = out["run_dir"].get<std::string>();
  Result<std::vector<trace::SpanData>> read = trace::ReadJsonlTraces(dir / "trace.jsonl");
  ASSERT_TRUE(read.has_value()) << read.error().message;
  const std::vector<trace::SpanData>& spans = *read;
  std::map<std::string, const trace::SpanData*> by_id;
  for (const trace::SpanData& span : spans) by_id[hfs::ToHex(span.span_id)] = &span;
  auto parent = [&](const trace::SpanData& span) -> const trace::SpanData* {
    auto it = by_id.find(hfs::ToHex(span.parent_span_id));
    return it == by_id.end() ? nullptr : it->second;
  };
  // One run span, the nine phases under it, one trace.
  auto found = std::find_if(spans.begin(), spans.end(),
                            [](const trace::SpanData& span) { return span.name == "hfs.run"; });
  ASSERT_NE(found, spans.end());
  const trace::SpanData* run = &*found;
  std::set<std::string> phases;
  for (const trace::SpanData& span : spans) {
    EXPECT_EQ(span.trace_id, spans.front().trace_id) << span.name;
    if (span.name.rfind("hfs.phase.", 0) == 0) {
      phases.insert(span.name);
      EXPECT_EQ(parent(span), run) << span.name;
    }
  }
  EXPECT_EQ(Attr(*run, "hfs.run.id"), out["run_id"]);
  EXPECT_EQ(phases.size(), 9u);
  // Every chat span sits under an agent (or the arbiter), a triad (not for the arbiter),
  // a phase and the run; its tokens and request id match the usage rows.
  std::map<std::string, int64_t> span_tokens;  // by "triad/role/phase"
  std::set<std::string> span_requests;
  size_t chats = 0;
  for (const trace::SpanData& span : spans) {
    if (span.name.rfind("chat ", 0) != 0) continue;
    ++chats;
    EXPECT_EQ(span.kind, trace::SpanKind::kClient);
    EXPECT_EQ(Attr(span, "gen_ai.operation.name"), "chat");
    EXPECT_FALSE(Attr(span, "hfs.key.id").empty());
    std::vector<std::string> chain;
    for (const trace::SpanData* up = parent(span); up != nullptr; up = parent(*up)) {
      chain.push_back(up->name.substr(0, up->name.find_first_of(" .", 4)));
    }
    ASSERT_FALSE(chain.empty());
    EXPECT_EQ(chain.back(), "hfs.run") << span.name;
    // The arbiter, the page planner and a section's repair are model steps of their own.
    const bool arbiter = std::find(chain.begin(), chain.end(), "hfs.arbiter") != chain.end() ||
                         std::find(chain.begin(), chain.end(), "hfs.planner") != chain.end() ||
                         std::find(chain.begin(), chain.end(), "hfs.repair") != chain.end();
    EXPECT_TRUE(arbiter || std::find(chain.begin(), chain.end(), "invoke_agent") != chain.end());
    EXPECT_TRUE(arbiter || std::find(chain.begin(), chain.end(), "hfs.triad") != chain.end());
    span_tokens[Attr(span, "hfs.triad.id") + "/" + Attr(span, "hfs.agent.role") + "/" +
                Attr(span, "hfs.phase.name")] += Tokens(span);
    span_requests.insert(Attr(span, "hfs.request.id"));
  }
  std::map<std::string, int64_t> row_tokens;
  std::set<std::string> row_requests;
  for (const store::UsageRecord& row : UsageRows()) {
    row_tokens[row.triad + "/" + row.role + "/" + row.phase] +=
        row.prompt_tokens + row.completion_tokens;
    row_requests.insert(row.request_id);
  }
  EXPECT_EQ(chats, row_requests.size());
  EXPECT_EQ(span_requests, row_requests);
  EXPECT_EQ(span_tokens, row_tokens);
  // An agent's tokens are those of the calls under it (its tool's code model included),
  // and the report's total is the run's.
  int64_t agent_sum = 0;
  for (const trace::SpanData& span : spans) {
    if (span.name.rfind("invoke_agent ", 0) != 0) continue;
    int64_t below = 0;
    for (const trace::SpanData& chat : spans) {
      if (chat.name.rfind("chat ", 0) != 0) continue;
      for (const trace::SpanData* up = parent(chat); up != nullptr; up = parent(*up)) {
        if (up == &span) below += Tokens(chat);
        if (up->name.rfind("invoke_agent ", 0) == 0) break;  // the nearest agent only
      }
    }
    EXPECT_EQ(Tokens(span), below) << span.name;
    agent_sum += Tokens(span);
  }
  json report = Report(out);
  int64_t total = 0;
  for (const auto& [key, tokens] : row_tokens) total += tokens;
  EXPECT_EQ(report["usage"]["total"]["total_tokens"].get<int64_t>(), total);
  EXPECT_LE(agent_sum, total);  // the arbiter's calls have no agent span
  EXPECT_TRUE(std::filesystem::exists(dir / "metrics.json"));
  // No key text in anything the run exported or wrote (the emulator's keys are
  // "emu-<provider>-<n>"; spans carry key ids only).
  for (const std::filesystem::directory_entry& entry :
       std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string text = ReadFile(entry.path()).value_or("");
    for (const char* provider : {"cerebras", "groq", "gemini", "openrouter"}) {
      EXPECT_EQ(text.find(std::string("emu-") + provider + "-"), std::string::npos)
          << entry.path() << " holds key text of " << provider;
    }
  }
}

TEST_F(RunE2eTest, TriadsThatAlwaysHoldAreSettledByTheArbiter) {
  // Every model is steered to hold (the emulator picks "hold" wherever it may), so the
  // contested sections get stuck and go to the arbiter.
  const std::filesystem::path config = out_.path() / "hold.yaml";
  std::ifstream minimal("config/examples/minimal.yaml");
  std::string text((std::istreambuf_iterator<char>(minimal)), {});
  text += R"(
model_tiers:
  tiers:
    fast: {description: fast, providers: {groq: "llama-3.1-8b-instant:hold"}}
    general: {description: general, providers: {groq: "llama-3.3-70b-versatile:hold"}}
    reasoning: {description: reasoning, providers: {cerebras: "qwen-3-235b-a22b-instruct-2507:hold"}}
)";
  ASSERT_TRUE(WriteFileAtomic(config, text).has_value());
  HfsRun raw;
  json out = Run(config.string(), &raw);
  ASSERT_EQ(raw.code, 0) << raw.output;
  EXPECT_GE(out["counts"]["escalations"].get<int>(), 1) << out.dump(2);
  json report = Report(out);
  ASSERT_FALSE(report["negotiation"]["escalations"].empty());
  const json& escalation = report["negotiation"]["escalations"][0];
  EXPECT_FALSE(escalation["rationale"].get<std::string>().empty());
  for (const json& section : report["spec"]["sections"]) {
    EXPECT_EQ(section["status"], "frozen") << section.dump();
  }
}

TEST_F(RunE2eTest, UnusableUsageDatabaseIsAWarningWhenOptional) {
  HfsRun run = RunHfs(home_.path(),
                      "run -c config/examples/minimal.yaml -r 'a page' -o " + out_.path().string() +
                          " --usage-db-optional --usage-db mysql://hfs:pw@127.0.0.1:1/usage",
                      Streams::kBoth, emulator_.Env());
  EXPECT_NE(run.output.find("kept in memory"), std::string::npos) << run.output;
  EXPECT_EQ(run.code, 0) << run.output;
}

TEST(RunFailureE2eTest, ProviderThatFailsForGoodEndsWithAClearFailureAndAPartialReport) {
  testing::TempDir home;
  testing::TempDir out;
  // Every request to every provider gets a 503.
  const std::string config =
      EmulatorConfigWith(out.path() / "down.yaml", "faults: {}", "faults: {error_503: 1.0}");
  ASSERT_FALSE(config.empty());
  EmulatorProcess emulator({"--config", config});
  ASSERT_TRUE(emulator.started());
  // The page's regions are fixed, so the first model calls are the triads'.
  const std::filesystem::path minimal = out.path() / "minimal.yaml";
  ASSERT_TRUE(WriteFileAtomic(minimal, ReadFile("config/examples/minimal.yaml").value() +
                                           "\npage: {regions: [hero, features]}\n")
                  .has_value());
  HfsRun run = RunHfs(
      home.path(),
      "run -c " + minimal.string() + " -r 'a landing page' -o " + out.path().string() + " --json",
      Streams::kStdoutOnly, emulator.Env());
  EXPECT_EQ(run.code, 1) << run.output;
  json summary = json::parse(run.output, nullptr, false);
  ASSERT_FALSE(summary.is_discarded()) << run.output;
  EXPECT_EQ(summary["success"], false);
  const std::string error = summary["error"].get<std::string>();
  EXPECT_NE(error.find("every triad failed"), std::string::npos) << error;
  EXPECT_NE(error.find("503"), std::string::npos) << error;
  // The partial report says what completed: the phases up to deliberation, each triad's
  // error, and the spec as it stood.
  Result<std::string> report_text =
      ReadFile(std::filesystem::path(summary["run_dir"].get<std::string>()) / "hfs-report.json");
  ASSERT_TRUE(report_text.has_value());
  json report = json::parse(*report_text);
  EXPECT_EQ(report["success"], false);
  std::vector<std::string> phases;
  for (const json& timing : report["timings"]) phases.push_back(timing["phase"]);
  EXPECT_EQ(phases, (std::vector<std::string>{"input", "spawn", "deliberation"}));
  ASSERT_FALSE(report["deliberation"].empty());
  for (const json& triad : report["deliberation"]) EXPECT_FALSE(triad["error"].is_null());
  EXPECT_FALSE(report["spec"].is_null());
}

TEST(RunFaultsE2eTest, MalformedRepliesResetsAndOutagesAmongOthersStillGiveThePage) {
  testing::TempDir home;
  testing::TempDir out;
  // A mix of faults on every provider: 5% replies that are not JSON, 10% 503s, 5% reset
  // connections. Each is retried (on another key or provider), so the run still delivers.
  const std::string config =
      EmulatorConfigWith(out.path() / "faulty.yaml", "faults: {}",
                         "faults: {malformed_json: 0.05, error_503: 0.1, reset: 0.05}");
  ASSERT_FALSE(config.empty());
  EmulatorProcess emulator({"--config", config});
  ASSERT_TRUE(emulator.started());
  HfsRun run = RunHfs(home.path(),
                      "run -c config/examples/standard.yaml -r 'a pricing page with an FAQ' -o " +
                          out.path().string() + " --json",
                      Streams::kStdoutOnly, emulator.Env());
  EXPECT_EQ(run.code, 0) << run.output;
  json summary = json::parse(run.output, nullptr, false);
  ASSERT_FALSE(summary.is_discarded()) << run.output;
  EXPECT_EQ(summary["success"], true) << summary.dump();
  // The faults did happen: the usage rows hold failed requests beside the answered ones.
  auto database = store::OpenDatabase("sqlite://" + (home.path() / ".hfs" / "usage.db").string());
  ASSERT_TRUE(database.has_value());
  auto usage = store::UsageStore::Open(std::move(*database));
  ASSERT_TRUE(usage.has_value());
  std::vector<store::UsageRecord> rows =
      (*usage)->Recent(Timestamp{}).value_or(std::vector<store::UsageRecord>{});
  const auto failed = std::count_if(rows.begin(), rows.end(), [](const store::UsageRecord& row) {
    return row.status != store::kUsageStatusOk;
  });
  EXPECT_GE(failed, 3) << rows.size() << " rows";
}

TEST(RunInterruptE2eTest, InterruptStopsTheRunAndWritesAPartialReport) {
  testing::TempDir home;
  testing::TempDir out;
  // Slow replies (300 ms each), so the run is still working when it is interrupted.
  const std::string config = EmulatorConfigWith(out.path() / "slow.yaml", "latency: {fixed_ms: 0,",
                                                "latency: {fixed_ms: 300,");
  ASSERT_FALSE(config.empty());
  EmulatorProcess emulator({"--config", config});
  ASSERT_TRUE(emulator.started());
  // SIGTERM (a background job of a non-interactive shell ignores SIGINT); hfs treats both
  // the same.
  std::string command = "env -i PATH=/usr/bin:/bin HOME=" + home.path().string();
  for (const std::string& assignment : emulator.Env()) command += " " + assignment;
  command += std::string(" ") + HFS_BINARY +
             " run -c config/examples/standard.yaml -r 'a page' -o " + out.path().string() +
             " 2>&1 & pid=$!; sleep 1.5; kill -TERM $pid; wait $pid; " + "echo exit=$?";
  FILE* pipe = ::popen(command.c_str(), "r");  // popen runs it with sh
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 4096> buffer;
  while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    output.append(buffer.data(), n);
  ::pclose(pipe);
  EXPECT_NE(output.find("exit=130"), std::string::npos) << output;
  EXPECT_NE(output.find("Interrupted: stopping"), std::string::npos) << output;
  // No check ran, and the summary does not say one passed.
  EXPECT_NE(output.find("validation: not run"), std::string::npos) << output;
  EXPECT_EQ(output.find("validation: passed"), std::string::npos) << output;
  // The report of what completed, with the interruption as its error.
  std::filesystem::path report_path;
  for (const auto& entry : std::filesystem::directory_iterator(out.path())) {
    if (std::filesystem::exists(entry.path() / "hfs-report.json"))
      report_path = entry.path() / "hfs-report.json";
  }
  ASSERT_FALSE(report_path.empty()) << output;
  json report = json::parse(ReadFile(report_path).value_or("{}"));
  EXPECT_EQ(report["success"], false);
  EXPECT_EQ(report["error"]["code"], "ABORTED") << report["error"].dump();
}

}  // namespace
}  // namespace hfs
