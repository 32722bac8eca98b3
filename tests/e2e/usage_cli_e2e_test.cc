// Runs `hfs keys`, `hfs usage` and `hfs run` against a usage database prepared by the
// test, with keys in $HOME/.hfs/.env, and checks what they print: key ids and counts,
// never key text or database passwords.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "hfs/base/file.h"
#include "hfs/keys/key_discovery.h"
#include "hfs/store/open_database.h"
#include "hfs/store/usage_store.h"
#include "hfs/testing/temp_dir.h"
#include "tests/e2e/run_hfs.h"

namespace hfs {
namespace {

using nlohmann::json;

constexpr char kDotEnv[] =
    "NUM_GROQ=2\nGROQ_API_KEY_1=gsk-CANARY-one\nGROQ_API_KEY_2=gsk-CANARY-two\n";

struct Outcome {
  int code;
  std::string out;
};

class UsageCliE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteFileAtomic(home_.path() / ".hfs" / ".env", kDotEnv).has_value());
    Result<Env> env = Env::Load({.dotenv_files = {home_.path() / ".hfs" / ".env"}});
    ASSERT_TRUE(env.has_value());
    for (const keys::ApiKey& key : keys::DiscoverKeys(*env, "groq").keys) {
      key_ids_.push_back(key.id());
    }
    ASSERT_EQ(key_ids_.size(), 2u);
  }

  // Runs `hfs ARGS` with only PATH and HOME set; stdout only unless `with_stderr`.
  Outcome Hfs(const std::string& args, Streams streams = Streams::kStdoutOnly) {
    HfsRun run = RunHfs(home_.path(), args, streams);
    return {run.code, run.output};
  }

  // Rows in the default database, $HOME/.hfs/usage.db.
  void StoreRows() {
    auto database =
        store::OpenDatabase("sqlite://" + (home_.path() / ".hfs" / "usage.db").string());
    ASSERT_TRUE(database.has_value()) << database.error().ToString();
    auto usage = store::UsageStore::Open(std::move(*database));
    ASSERT_TRUE(usage.has_value());
    const Timestamp now = SystemClock().Now();
    auto row = [&](std::string id, int key, std::string status, int64_t tokens) {
      const int http = status == "unauthorized" ? 401 : status == "rate_limited" ? 429 : 200;
      return store::UsageRecord{.request_id = std::move(id),
                                .time = now - std::chrono::minutes(5),
                                .provider = "groq",
                                .model_requested = "llama-3.3-70b-versatile",
                                .key_id = key_ids_[key],
                                .scope = key_ids_[key],
                                .status = std::move(status),
                                .http_status = http,
                                .prompt_tokens = tokens,
                                .completion_tokens = 10,
                                .run_id = "run-a"};
    };
    (*usage)->Record(row("r1", 0, "ok", 100));
    (*usage)->Record(row("r2", 0, "ok", 200));
    (*usage)->Record(row("r3", 1, "rate_limited", 0));
    (*usage)->Record(row("r4", 1, "unauthorized", 0));
    ASSERT_TRUE((*usage)->Flush().has_value());
  }

  testing::TempDir home_;
  std::vector<std::string> key_ids_;
};

TEST_F(UsageCliE2eTest, UsageSummarisesRowsByKey) {
  StoreRows();
  Outcome outcome = Hfs("usage --by key --since 1h --json");
  ASSERT_EQ(outcome.code, 0) << outcome.out;
  json out = json::parse(outcome.out);
  ASSERT_EQ(out["groups"].size(), 2u);
  EXPECT_EQ(out["groups"][0]["group"], key_ids_[0]);
  EXPECT_EQ(out["groups"][0]["ok"], 2);
  EXPECT_EQ(out["groups"][0]["prompt_tokens"], 300);
  EXPECT_EQ(out["groups"][1]["rate_limited"], 1);
  EXPECT_EQ(out["groups"][1]["errors"], 1);
  // Rows older than --since are left out.
  EXPECT_EQ(json::parse(Hfs("usage --since 1m --json").out)["groups"].size(), 0u);
  EXPECT_EQ(Hfs("usage --since soon").code, 2);
}

TEST_F(UsageCliE2eTest, KeysShowsIdsStatesAndWindowUse) {
  StoreRows();
  Outcome outcome = Hfs("keys --json");
  ASSERT_EQ(outcome.code, 0) << outcome.out;
  EXPECT_EQ(outcome.out.find("CANARY"), std::string::npos);
  const json all = json::parse(outcome.out);
  json groq;
  for (const json& provider : all["providers"]) {
    if (provider["name"] == "groq") groq = provider;
  }
  ASSERT_EQ(groq["keys"].size(), 2u);
  EXPECT_EQ(groq["keys"][0]["id"], key_ids_[0]);
  EXPECT_EQ(groq["keys"][0]["state"], "ok");
  EXPECT_EQ(groq["keys"][0]["requests_24h"], 2);
  EXPECT_EQ(groq["keys"][1]["state"], "rejected (401)");
  // Window use of key 1 against the shipped Groq table (30 requests a minute).
  bool found = false;
  for (const json& window : groq["windows"]) {
    if (window["scope"] != key_ids_[0]) continue;
    for (const json& limit : window["limits"]) {
      if (limit["kind"] == "requests" && limit["window"] == "1h") {
        EXPECT_EQ(limit["used"], 2);
        found = true;
      }
    }
  }
  EXPECT_TRUE(found) << groq.dump(2);
  Outcome text = Hfs("keys", Streams::kBoth);
  EXPECT_EQ(text.code, 0);
  EXPECT_NE(text.out.find(key_ids_[1]), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("CANARY"), std::string::npos);
}

TEST_F(UsageCliE2eTest, UnreachableDatabaseIsAClearErrorWithoutThePassword) {
  const std::string url = "'mysql://hfs:Pa55-CANARY@127.0.0.1:1/usage'";
  Outcome refused =
      Hfs("run -c config/examples/minimal.yaml -r 'a page' --usage-db " + url, Streams::kBoth);
  EXPECT_EQ(refused.code, 2) << refused.out;
  EXPECT_NE(refused.out.find("mysql://hfs:***@127.0.0.1:1/usage"), std::string::npos)
      << refused.out;
  EXPECT_NE(refused.out.find("--usage-db-optional"), std::string::npos);
  EXPECT_EQ(refused.out.find("CANARY"), std::string::npos) << refused.out;
}

}  // namespace
}  // namespace hfs
