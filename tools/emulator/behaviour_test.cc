// tools/emulator/behaviour_test.cc
#include "tools/emulator/behaviour.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tools/emulator/schema_validator.h"
#include "tools/emulator/section_code.h"

namespace hfs::emulator {
namespace {

using nlohmann::json;

const json kTools = json::parse(R"([
  {"type": "function", "function": {"name": "submit_code", "parameters": {
    "type": "object", "required": ["section_id", "code"],
    "properties": {"section_id": {"type": "string"}, "code": {"type": "string", "minLength": 10}}}}},
  {"type": "function", "function": {"name": "cast_vote", "parameters": {
    "type": "object", "required": ["vote"],
    "properties": {"vote": {"type": "string", "enum": ["approve", "reject"]}}}}},
  {"type": "function", "function": {"name": "concede", "parameters": {"type": "object", "properties": {}}}}
])");

json Request(std::string user, json tools = kTools) {
  return {{"model", "m"},
          {"messages",
           {{{"role", "system"}, {"content", "Sections: hero, pricing, footer"}},
            {{"role", "user"}, {"content", std::move(user)}}}},
          {"tools", std::move(tools)}};
}

TEST(EmulatorBehaviourTest, ToolCallArgumentsValidateAndUseSections) {
  const Completion c =
      Respond(Request("Use submit_code to write the code for the pricing section"), {.seed = 1});
  ASSERT_EQ(c.tool_calls.size(), 1u);
  EXPECT_EQ(c.finish_reason, "tool_calls");
  EXPECT_EQ(c.tool_calls[0].name, "submit_code");
  const json args = json::parse(c.tool_calls[0].arguments);
  EXPECT_FALSE(ValidateAgainstSchema(args, kTools[0]["function"]["parameters"]).has_value());
  EXPECT_TRUE(args["section_id"] == "pricing" || args["section_id"] == "hero" ||
              args["section_id"] == "footer");
  EXPECT_NE(args["code"].get<std::string>().find("<section id=\"pricing\""), std::string::npos);
  EXPECT_GT(c.prompt_tokens, 0);
  EXPECT_GT(c.completion_tokens, 0);
}

TEST(EmulatorBehaviourTest, ReactConversationGetsTsx) {
  const Completion c =
      Respond(Request("Call submit_code with the code for the hero section as a React component"),
              {.seed = 1});
  ASSERT_EQ(c.tool_calls.size(), 1u);
  const std::string code = json::parse(c.tool_calls[0].arguments)["code"];
  EXPECT_NE(code.find("export default function HeroSection"), std::string::npos) << code;
}

TEST(EmulatorBehaviourTest, SteeringChoosesToolsAndEnums) {
  const Completion concede =
      Respond(Request("what now?"), {.seed = 9, .steering = Steering::kConcede});
  EXPECT_EQ(concede.tool_calls.at(0).name, "concede");
  const Completion reject =
      Respond(Request("what now?"), {.seed = 9, .steering = Steering::kReject});
  EXPECT_EQ(reject.tool_calls.at(0).name, "cast_vote");
  EXPECT_EQ(json::parse(reject.tool_calls[0].arguments)["vote"], "reject");
  const Completion hold =
      Respond(Request("what now?", json::array()), {.seed = 9, .steering = Steering::kHold});
  EXPECT_NE(hold.content.find("hold"), std::string::npos);
}

TEST(EmulatorBehaviourTest, ToolResultEndsTheLoopUnlessRequired) {
  json request = Request("go");
  request["messages"].push_back({{"role", "tool"}, {"tool_call_id", "c"}, {"content", "ok"}});
  EXPECT_TRUE(Respond(request, {.seed = 1}).tool_calls.empty());
  request["tool_choice"] = "required";
  EXPECT_EQ(Respond(request, {.seed = 1}).tool_calls.size(), 1u);
  request["tool_choice"] = "none";
  EXPECT_TRUE(Respond(request, {.seed = 1}).tool_calls.empty());
}

TEST(EmulatorBehaviourTest, JsonSchemaResponseFormatAndPlainCode) {
  json request = Request("Plan it", json::array());
  const json schema = json::parse(R"({"type":"object","required":["sections"],"properties":{
      "sections":{"type":"array","minItems":2,"items":{"type":"string","enum":["hero","pricing","footer"]}}}})");
  request["response_format"] = {{"type", "json_schema"},
                                {"json_schema", {{"name", "plan"}, {"schema", schema}}}};
  const Completion c = Respond(request, {.seed = 3});
  EXPECT_FALSE(ValidateAgainstSchema(json::parse(c.content), schema).has_value()) << c.content;
  const Completion html =
      Respond(Request("Write the HTML code for the footer section", json::array()), {.seed = 3});
  EXPECT_NE(html.content.find("```html\n<section id=\"footer\""), std::string::npos)
      << html.content;
  EXPECT_EQ(Respond(request, {.seed = 3}).content, c.content);  // deterministic
}

TEST(EmulatorBehaviourTest, CodeFilesAreForTheNamedSection) {
  // The user text mentions pricing and footer before naming the section it is about.
  json request =
      Request("Build pricing and footer.\nYour section: hero\nOther sections: pricing, footer",
              json::array());
  const json schema = json::parse(R"({"type":"object","required":["files"],"properties":{
      "files":{"type":"array","minItems":1,"items":{"type":"object","required":["path","content"],
      "properties":{"path":{"type":"string"},"content":{"type":"string"}}}}}})");
  request["response_format"] = {{"type", "json_schema"},
                                {"json_schema", {{"name", "code"}, {"schema", schema}}}};
  const json reply = json::parse(Respond(request, {.seed = 5}).content);
  ASSERT_FALSE(reply["files"].empty());
  EXPECT_EQ(reply["files"][0]["path"], "hero.html");
  EXPECT_NE(reply["files"][0]["content"].get<std::string>().find("<section id=\"hero\""),
            std::string::npos)
      << reply.dump();
}

TEST(EmulatorBehaviourTest, NestedSectionNamesAreWholeNames) {
  json request =
      Request("Your section: layout/grid\nOther sections: layout, visual", json::array());
  request["messages"][0]["content"] = "Sections: layout, layout/grid, visual";
  const json schema = json::parse(R"({"type":"object","required":["files"],"properties":{
      "files":{"type":"array","minItems":1,"items":{"type":"object","required":["path","content"],
      "properties":{"path":{"type":"string"},"content":{"type":"string"}}}}}})");
  request["response_format"] = {{"type", "json_schema"},
                                {"json_schema", {{"name", "code"}, {"schema", schema}}}};
  const json reply = json::parse(Respond(request, {.seed = 5}).content);
  EXPECT_EQ(reply["files"][0]["path"], "layout/grid.html");
  EXPECT_NE(reply["files"][0]["content"].get<std::string>().find("id=\"layout-grid\""),
            std::string::npos);
}

// HFS's code reply schema (triad/code_generator.cc) and a code call with the new header.
const json kCodeSchema = json::parse(R"({"type":"object","additionalProperties":false,
    "required":["files","notes"],"properties":{
    "files":{"type":"array","minItems":1,"items":{"type":"object","additionalProperties":false,
      "required":["path","content"],"properties":{
      "path":{"type":"string","minLength":1,"maxLength":200},
      "content":{"type":"string","minLength":1}}}},
    "notes":{"type":"string"}}})");

json CodeCall(const std::string& root, const std::string& format) {
  const std::string header = "Section: page/" + root + "\nKind: region\nRoot id: " + root +
                             "\nOutput format: " + format +
                             "\n\nPage contract:\nRegions (in page order):\n"
                             "- page/hero -> #hero: Hero \u2014 Welcome; content: headline\n"
                             "- page/pricing -> #pricing: Pricing \u2014 Plans; content: three "
                             "tiers (Starter, Pro, Enterprise) with a monthly/annual toggle\n"
                             "- page/faq -> #faq: FAQ \u2014 Doubts; content: five questions\n"
                             "- page/footer -> #footer: Footer \u2014 Links; content: links\n"
                             "Design tokens:\n- --color-accent: #2563eb\n";
  return {{"model", "m"},
          {"messages",
           {{{"role", "system"}, {"content", "You write code. Output format: html."}},
            {{"role", "user"}, {"content", header}}}},
          {"response_format",
           {{"type", "json_schema"},
            {"json_schema", {{"name", "generated_code"}, {"schema", kCodeSchema}}}}}};
}

TEST(EmulatorBehaviourTest, CodeCallWithHeaderGetsTheSectionFiles) {
  for (const std::string format : {"html", "react", "vue", "svelte"}) {
    const json request = CodeCall("pricing", format);
    const Completion c = Respond(request, {.seed = 11});
    const json reply = json::parse(c.content);
    EXPECT_FALSE(ValidateAgainstSchema(reply, kCodeSchema).has_value()) << c.content;
    const std::optional<CodeAsk> ask =
        ParseCodeAsk(request["messages"][1]["content"].get<std::string>());
    ASSERT_TRUE(ask.has_value());
    const std::vector<EmulatedFile> files = SectionFiles(*ask, 11);
    ASSERT_EQ(reply["files"].size(), files.size()) << format;
    for (size_t i = 0; i < files.size(); ++i) {
      EXPECT_EQ(reply["files"][i]["path"], files[i].path);
      EXPECT_EQ(reply["files"][i]["content"], files[i].content);
    }
    EXPECT_NE(reply["notes"].get<std::string>().find("page/pricing"), std::string::npos);
  }
}

TEST(EmulatorBehaviourTest, HeaderWithoutFormatTakesTheConversationsFormat) {
  json request = CodeCall("faq", "react");
  std::string header = request["messages"][1]["content"];
  header.erase(header.find("Output format: react\n"), std::string("Output format: react\n").size());
  request["messages"][1]["content"] = header;
  request["messages"][0]["content"] = "You write code. Output format: vue.";
  const json reply = json::parse(Respond(request, {.seed = 2}).content);
  EXPECT_EQ(reply["files"][0]["path"], "Faq.vue") << reply.dump();
}

TEST(EmulatorBehaviourTest, ImportRepairMessageDropsTheImport) {
  int repaired_regions = 0;
  for (const std::string format : {"html", "react", "vue", "svelte"}) {
    for (const std::string root : {"hero", "pricing", "faq", "footer"}) {
      json request = CodeCall(root, format);
      const Completion first = Respond(request, {.seed = 42});
      const bool imported = first.content.find("lucide-react") != std::string::npos ||
                            first.content.find("framer-motion") != std::string::npos ||
                            first.content.find("@vueuse/core") != std::string::npos ||
                            first.content.find("svelte-motion") != std::string::npos ||
                            first.content.find("canvas-confetti") != std::string::npos;
      if (!imported) continue;
      ++repaired_regions;
      request["messages"].push_back({{"role", "assistant"}, {"content", first.content}});
      request["messages"].push_back(
          {{"role", "user"},
           {"content",
            "The import 'framer-motion' is not available in the toolchain. Reply "
            "again without it."}});
      const Completion repaired = Respond(request, {.seed = 42});
      for (const char* package :
           {"lucide-react", "framer-motion", "@vueuse/core", "svelte-motion", "canvas-confetti"}) {
        EXPECT_EQ(repaired.content.find(package), std::string::npos) << format << " " << root;
      }
      EXPECT_NE(repaired.content.find("toggle"), std::string::npos);
      // A different follow-up (no repair text) keeps the import: only the repair works.
      request["messages"].back()["content"] = "Reply again with the whole JSON object, fixed.";
      EXPECT_EQ(Respond(request, {.seed = 42}).content, first.content);
    }
  }
  EXPECT_GE(repaired_regions, 4);  // every format had a region with the import
}

TEST(EmulatorBehaviourTest, ToolCallWithHeaderWritesTheRegion) {
  json request = CodeCall("faq", "svelte");
  request.erase("response_format");
  request["tools"] = kTools;
  request["tool_choice"] = {{"type", "function"}, {"function", {{"name", "submit_code"}}}};
  const Completion c = Respond(request, {.seed = 4});
  ASSERT_EQ(c.tool_calls.size(), 1u);
  const std::string code = json::parse(c.tool_calls[0].arguments)["code"];
  EXPECT_NE(code.find("{#each questions as item"), std::string::npos) << code;
}

TEST(EmulatorBehaviourTest, ModelNameSteering) {
  EXPECT_EQ(ParseModelName("llama:concede", "").model, "llama");
  EXPECT_EQ(ParseModelName("llama:concede", "").steering, Steering::kConcede);
  const ModelName free = ParseModelName("meta/llama:free:hold", "");
  EXPECT_EQ(free.model, "meta/llama:free");
  EXPECT_EQ(free.steering, Steering::kHold);
  EXPECT_EQ(ParseModelName("m", "reject").steering, Steering::kReject);
  EXPECT_EQ(ParseModelName("m:free", "").steering, Steering::kNone);
}

TEST(EmulatorBehaviourTest, FindsSectionNames) {
  const auto names =
      FindSectionNames({R"(section_id: "nav-bar")", "## Section hero\n", "sections: pricing, faq"});
  EXPECT_EQ(names, (std::vector<std::string>{"nav-bar", "hero", "pricing", "faq"}));
}

}  // namespace
}  // namespace hfs::emulator
