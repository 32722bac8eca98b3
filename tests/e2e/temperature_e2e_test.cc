// The spec's temperature is observable in a run: the agents sample at
// 0.2 + 0.8 x the spec's temperature (hfs/triad/triad_core.h), so a run that starts cold
// deliberates at a lower model temperature than one that starts at 1.0.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "hfs/base/file.h"
#include "hfs/testing/temp_dir.h"
#include "tests/e2e/emulator_process.h"
#include "tests/e2e/run_hfs.h"

namespace hfs {
namespace {

using nlohmann::json;

// The gen_ai.request.temperature of every chat span of `phase` in the run's trace.jsonl.
std::set<double> ChatTemperatures(const std::filesystem::path& run_dir, const std::string& phase) {
  std::set<double> temperatures;
  std::istringstream lines(ReadFile(run_dir / "trace.jsonl").value_or(""));
  std::string line;
  while (std::getline(lines, line)) {
    json batch = json::parse(line, nullptr, false);
    if (batch.is_discarded()) continue;
    for (const json& resource : batch["resourceSpans"]) {
      for (const json& scope : resource["scopeSpans"]) {
        for (const json& span : scope["spans"]) {
          if (span["name"].get<std::string>().rfind("chat ", 0) != 0) continue;
          std::optional<double> temperature;
          bool in_phase = false;
          for (const json& attribute : span["attributes"]) {
            if (attribute["key"] == "hfs.phase.name") {
              in_phase = attribute["value"].value("stringValue", "") == phase;
            }
            if (attribute["key"] == "gen_ai.request.temperature") {
              temperature = attribute["value"].value("doubleValue", -1.0);
            }
          }
          if (in_phase && temperature) temperatures.insert(*temperature);
        }
      }
    }
  }
  return temperatures;
}

// minimal.yaml starting at `initial`, run against `emulator`; the run directory.
std::filesystem::path RunAt(const EmulatorProcess& emulator, const testing::TempDir& home,
                            const std::string& initial) {
  std::string text = ReadFile("config/examples/minimal.yaml").value();
  text.replace(text.find("pressure:\n"), 10, "pressure:\n  initial_temperature: " + initial + "\n");
  const std::filesystem::path config = home.path() / ("t" + initial + ".yaml");
  EXPECT_TRUE(WriteFileAtomic(config, text).has_value());
  const std::filesystem::path out = home.path() / ("out" + initial);
  HfsRun run = RunHfs(home.path(),
                      "run -c " + config.string() + " -r 'a landing page for a bakery' -o " +
                          out.string() + " --json",
                      Streams::kStdoutOnly, emulator.Env());
  json summary = json::parse(run.output, nullptr, false);
  EXPECT_FALSE(summary.is_discarded()) << run.output;
  return summary.is_discarded() ? out : std::filesystem::path(summary.value("run_dir", ""));
}

TEST(TemperatureE2eTest, AColdRunDeliberatesAtALowerModelTemperature) {
  EmulatorProcess emulator;
  ASSERT_TRUE(emulator.started());
  testing::TempDir home;
  const std::set<double> hot = ChatTemperatures(RunAt(emulator, home, "1.0"), "deliberation");
  const std::set<double> cold = ChatTemperatures(RunAt(emulator, home, "0.2"), "deliberation");
  ASSERT_FALSE(hot.empty());
  ASSERT_FALSE(cold.empty());
  EXPECT_EQ(hot, (std::set<double>{1.0}));
  // 0.2 + 0.8 * 0.2
  ASSERT_EQ(cold.size(), 1u);
  EXPECT_NEAR(*cold.begin(), 0.36, 1e-9);
}

}  // namespace
}  // namespace hfs
