// Model tiers in real runs: `hfs run` against hfs-emulator, checked through the usage
// rows (each names the triad, role, phase and model of one request) and the emulator's
// own counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "hfs/base/file.h"
#include "hfs/net/curl_transport.h"
#include "hfs/store/open_database.h"
#include "hfs/store/usage_store.h"
#include "hfs/testing/temp_dir.h"
#include "tests/e2e/emulator_process.h"
#include "tests/e2e/run_hfs.h"

namespace hfs {
namespace {

using nlohmann::json;

// Cerebras answers well; every tool call Groq makes violates its schema.
constexpr char kEmulatorConfig[] = R"(seed: 7
providers:
  - name: cerebras
    prefix: /cerebras/v1
    personality: cerebras
    keys: [emu-cerebras-1, emu-cerebras-2, emu-cerebras-3, emu-cerebras-4,
           emu-cerebras-5, emu-cerebras-6, emu-cerebras-7, emu-cerebras-8]
  - name: groq
    prefix: /groq/openai/v1
    personality: groq
    keys: [emu-groq-1, emu-groq-2, emu-groq-3, emu-groq-4,
           emu-groq-5, emu-groq-6, emu-groq-7, emu-groq-8]
    faults: {arguments_violate_schema: 1.0}
)";

// The minimal example with its own tiers: general is served by Groq only.
constexpr char kTiers[] = R"(
model_tiers:
  tiers:
    fast: {description: fast, providers: {cerebras: llama3.1-8b}}
    general: {description: general, providers: {groq: llama-3.3-70b-versatile}}
    reasoning: {description: reasoning, providers: {cerebras: qwen-3-235b-a22b-instruct-2507}}
  role_defaults: {orchestrator: reasoning, synthesizer: reasoning}
  phase_overrides: {execution: {orchestrator: fast}}
)";

class TiersRunE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteFileAtomic(dir_.path() / "emulator.yaml", kEmulatorConfig).has_value());
    emulator_ = std::make_unique<EmulatorProcess>(
        std::vector<std::string>{"--config", (dir_.path() / "emulator.yaml").string()});
    ASSERT_TRUE(emulator_->started());
    Result<std::string> minimal = ReadFile("config/examples/minimal.yaml");
    ASSERT_TRUE(minimal.has_value());
    config_ = dir_.path() / "config" / "tiers.yaml";
    ASSERT_TRUE(WriteFileAtomic(config_, *minimal + kTiers).has_value());
  }

  json Run() {
    HfsRun run = RunHfs(home_.path(),
                        "run -c " + config_.string() + " -r 'a landing page' -o " +
                            (dir_.path() / "out").string() + " --json",
                        Streams::kStdoutOnly, emulator_->Env());
    json out = json::parse(run.output, nullptr, false);
    EXPECT_FALSE(out.is_discarded()) << run.output;
    return out;
  }

  // The usage rows of `run_id`, in request order.
  std::vector<store::UsageRecord> Rows(const std::string& run_id) {
    auto database =
        store::OpenDatabase("sqlite://" + (home_.path() / ".hfs" / "usage.db").string());
    EXPECT_TRUE(database.has_value());
    if (!database) return {};
    auto usage = store::UsageStore::Open(std::move(*database));
    if (!usage) return {};
    std::vector<store::UsageRecord> rows;
    for (store::UsageRecord& row :
         (*usage)->Recent(Timestamp{}).value_or(std::vector<store::UsageRecord>{})) {
      if (row.run_id == run_id) rows.push_back(std::move(row));
    }
    return rows;
  }

  testing::TempDir dir_;
  testing::TempDir home_;
  std::unique_ptr<EmulatorProcess> emulator_;
  std::filesystem::path config_;
};

TEST_F(TiersRunE2eTest, PhaseOverrideCodeModelAndEscalationTakeEffectAndPersist) {
  json first = Run();
  const std::string run_id = first["run_id"];
  std::vector<store::UsageRecord> rows = Rows(run_id);
  ASSERT_FALSE(rows.empty());
  // Per triad and role, the models asked for, in request order.
  std::map<std::string, std::vector<std::string>> models;
  int64_t fast_calls = 0;
  for (const store::UsageRecord& row : rows) {
    fast_calls += row.model_requested == "llama3.1-8b" ? 1 : 0;
    models[row.triad + ":" + row.role].push_back(row.model_requested);
    // The code model is pinned: every generate_code call went to a Cerebras code model.
    if (row.role == "code_execution") {
      EXPECT_EQ(row.provider, "cerebras");
      EXPECT_TRUE(row.model_requested == "zai-glm-4.7" || row.model_requested == "gpt-oss-120b")
          << row.model_requested;
    }
    // The phase override: the orchestrator uses the fast model in execution only.
    if (row.role == "orchestrator") {
      EXPECT_EQ(row.model_requested,
                row.phase == "execution" ? "llama3.1-8b" : "qwen-3-235b-a22b-instruct-2507")
          << row.phase;
    }
  }
  // The emulator saw the override's model exactly as often (only the orchestrator's
  // execution calls use the fast tier here).
  net::CurlTransport transport;
  Result<net::HttpResponse> stats = transport.Send({.url = emulator_->url() + "/_emulator/stats"});
  ASSERT_TRUE(stats.has_value());
  json seen = json::parse(stats->body);
  EXPECT_GT(fast_calls, 0);
  EXPECT_EQ(seen["models"]["cerebras"]["llama3.1-8b"]["accepted"].get<int64_t>(), fast_calls);
  // Escalation: a general-tier role whose calls fail (Groq's tool calls are all invalid)
  // moves to reasoning after three failures in a row, from its very next call on.
  Result<std::string> report_text =
      ReadFile(std::filesystem::path(first["run_dir"].get<std::string>()) / "hfs-report.json");
  ASSERT_TRUE(report_text.has_value());
  json report = json::parse(*report_text);
  ASSERT_FALSE(report["tier_escalations"].empty());
  int escalated_then_called = 0;
  for (const json& escalation : report["tier_escalations"]) {
    EXPECT_EQ(escalation["from"], "general");
    EXPECT_EQ(escalation["to"], "reasoning");
    EXPECT_EQ(escalation["failures"], 3);
    const std::vector<std::string>& asked = models[escalation["triad"].get<std::string>() + ":" +
                                                   escalation["role"].get<std::string>()];
    ASSERT_GE(asked.size(), 3u) << escalation.dump();
    auto first_reasoning = std::find(asked.begin(), asked.end(), "qwen-3-235b-a22b-instruct-2507");
    // A role whose third failure was its last call of the run has nothing after it.
    if (first_reasoning == asked.end()) {
      for (const std::string& model : asked) EXPECT_EQ(model, "llama-3.3-70b-versatile");
      continue;
    }
    ++escalated_then_called;
    ASSERT_GE(first_reasoning - asked.begin(), 3) << escalation.dump();
    for (auto it = asked.begin(); it != first_reasoning; ++it)
      EXPECT_EQ(*it, "llama-3.3-70b-versatile");
    for (auto it = first_reasoning; it != asked.end(); ++it)
      EXPECT_NE(*it, "llama-3.3-70b-versatile");
  }
  EXPECT_GT(escalated_then_called, 0) << report["tier_escalations"].dump();
  // Persisted beside the config (never into it), so the next run starts escalated.
  EXPECT_TRUE(std::filesystem::exists(config_.parent_path() / ".hfs" / "escalations.json"));
  std::set<std::string> escalated;
  for (const json& escalation : report["tier_escalations"]) {
    escalated.insert(escalation["triad"].get<std::string>() + ":" +
                     escalation["role"].get<std::string>());
  }
  json second = Run();
  int calls_of_escalated = 0;
  for (const store::UsageRecord& row : Rows(second["run_id"])) {
    if (!escalated.contains(row.triad + ":" + row.role)) continue;
    ++calls_of_escalated;
    EXPECT_EQ(row.model_requested, "qwen-3-235b-a22b-instruct-2507")
        << row.triad << ":" << row.role << " was escalated by the first run";
  }
  EXPECT_GT(calls_of_escalated, 0);
}

}  // namespace
}  // namespace hfs
