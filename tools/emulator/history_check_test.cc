// tools/emulator/history_check_test.cc
#include "tools/emulator/history_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace hfs::emulator {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json WithCall(const json& arguments) {
  return json{
      {"model", "m"},
      {"messages",
       json::array(
           {{{"role", "user"}, {"content", "go"}},
            {{"role", "assistant"},
             {"content", nullptr},
             {"tool_calls",
              json::array({{{"id", "c1"},
                            {"type", "function"},
                            {"function", {{"name", "claim"}, {"arguments", arguments}}}}})}},
            {{"role", "tool"}, {"tool_call_id", "c1"}, {"content", "ok"}}})}};
}

TEST(HistoryCheckTest, ArgumentsCutShortInTheHistoryAreRefused) {
  std::optional<std::string> broken = BrokenHistoryArguments(WithCall(R"({"section_id": "lay)"));
  ASSERT_TRUE(broken.has_value());
  EXPECT_THAT(*broken, HasSubstr("Failed to parse tool call arguments as JSON"));
}

TEST(HistoryCheckTest, WholeArgumentsAndOtherShapesPass) {
  EXPECT_EQ(BrokenHistoryArguments(WithCall("{}")), std::nullopt);
  EXPECT_EQ(BrokenHistoryArguments(WithCall(R"({"section_id": "layout"})")), std::nullopt);
  // Arguments sent as an object (not a string) are not this check's business.
  EXPECT_EQ(BrokenHistoryArguments(WithCall(json{{"a", 1}})), std::nullopt);
  EXPECT_EQ(BrokenHistoryArguments(json{{"model", "m"}}), std::nullopt);
  EXPECT_EQ(BrokenHistoryArguments(json{{"messages", "text"}}), std::nullopt);
}

}  // namespace
}  // namespace hfs::emulator
