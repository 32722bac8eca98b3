// `hfs run` end to end: the built binary against the built hfs-emulator, as a user who
// pointed HFS at the emulator with `hfs-emulator --print-env` would run it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "hfs/base/file.h"
#include "hfs/store/open_database.h"
#include "hfs/store/usage_store.h"
#include "hfs/testing/temp_dir.h"
#include "tests/e2e/emulator_process.h"
#include "tests/e2e/run_hfs.h"

namespace hfs {
namespace {

using nlohmann::json;

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
  EXPECT_TRUE(report["validation"]["passed"].get<bool>());
  // Every section of the frozen spec has an owner and is rendered by App.tsx.
  for (const json& section : report["spec"]["sections"]) {
    EXPECT_EQ(section["status"], "frozen") << section.dump();
    EXPECT_NE(section["owner"], "") << section.dump();
  }
  EXPECT_EQ(report["counts"]["files"], out["counts"]["files"]);
  // The usage rows are the requests the run made, all answered.
  auto database = store::OpenDatabase("sqlite://" + (home_.path() / ".hfs" / "usage.db").string());
  ASSERT_TRUE(database.has_value());
  auto usage = store::UsageStore::Open(std::move(*database));
  ASSERT_TRUE(usage.has_value());
  auto rows = (*usage)->Recent(Timestamp{});
  ASSERT_TRUE(rows.has_value());
  EXPECT_GT(rows->size(), 20u);
  for (const store::UsageRecord& row : *rows) {
    EXPECT_EQ(row.run_id, out["run_id"]) << row.request_id;
    EXPECT_EQ(row.status, "ok") << row.request_id;
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

}  // namespace
}  // namespace hfs
