#include "hfs/triad/code_generator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hfs/base/mutex.h"
#include "hfs/testing/fake_clock.h"
#include "hfs/testing/scripted_model.h"

namespace hfs::triad {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A ModelSource that records every role and phase it is asked for.
class RecordingSource final : public agent::ModelSource {
 public:
  explicit RecordingSource(llm::Model& model) : model_(model) {}
  Result<agent::ModelChoice> Resolve(const agent::ModelQuery& query) override {
    MutexLock lock(mu_);
    asked_.push_back(std::string(query.role) + "/" + std::string(query.phase));
    if (fail_) return Fail(ErrorCode::kNotFound, "no model for role 'code_execution'");
    return agent::ModelChoice{.model = &model_, .model_id = "code-model"};
  }
  std::vector<std::string> asked() const {
    MutexLock lock(mu_);
    return asked_;
  }
  void FailNext() {
    MutexLock lock(mu_);
    fail_ = true;
  }

 private:
  llm::Model& model_;
  mutable Mutex mu_;
  std::vector<std::string> asked_ HFS_GUARDED_BY(mu_);
  bool fail_ HFS_GUARDED_BY(mu_) = false;
};

llm::ChatResponse Reply(const json& body, int64_t prompt = 100, int64_t completion = 50) {
  return {.content = body.dump(),
          .finish_reason = llm::FinishReason::kStop,
          .usage = llm::Usage{.prompt_tokens = prompt, .completion_tokens = completion}};
}

json TwoFiles() {
  return {{"files",
           {{{"path", "hero.html"}, {"content", "<section id=\"hero\"></section>"}},
            {{"path", "hero.css"}, {"content", "#hero { display: grid; }"}}}},
          {"notes", "a hero"}};
}

json OneFile(const std::string& path) {
  return {{"files", {{{"path", path}, {"content", "x"}}}}, {"notes", ""}};
}

CodeRequest HeroRequest() {
  return {.triad_id = "visual",
          .section = "hero",
          .section_content = "Full-width banner with one CTA",
          .neighbours = {{"nav", "Top bar with links #pricing #faq"}},
          .instructions = "Use a CSS grid",
          .request = "a pricing page"};
}

class CodeGeneratorTest : public ::testing::Test {
 protected:
  testing::ScriptedModel model_;
  RecordingSource source_{model_};
  testing::FakeClock clock_;
  agent::Budget budget_{"triad visual",
                        {.tokens = 10000, .tool_calls = 10, .time_ms = 60000},
                        agent::Enforcement::kHard,
                        clock_};
};

TEST_F(CodeGeneratorTest, StagesTheFilesOfAValidReply) {
  model_.Push(Reply(TwoFiles()));
  CodeGenerator code(source_, {});
  Result<std::vector<StagedFile>> files =
      code.Generate(HeroRequest(), {.run_id = "run-1", .role = "worker"}, &budget_);
  ASSERT_TRUE(files) << files.error().ToString();
  EXPECT_THAT(*files,
              ElementsAre(StagedFile{"hero", "hero.html", "<section id=\"hero\"></section>"},
                          StagedFile{"hero", "hero.css", "#hero { display: grid; }"}));
  EXPECT_THAT(source_.asked(), ElementsAre("code_execution/execution"));
  EXPECT_EQ(budget_.spent().tokens, 150);
}

TEST_F(CodeGeneratorTest, RequestCarriesTheSchemaAndTheSectionContext) {
  model_.Push(Reply(TwoFiles()));
  CodeGenerator code(source_,
                     {.output_format = "react", .style_system = "tailwind", .max_tokens = 3000});
  model_.Push(Reply(OneFile("Hero.tsx")));
  // hero.html is not a react file: the second reply is used.
  Result<std::vector<StagedFile>> files = code.Generate(HeroRequest(), {}, nullptr);
  ASSERT_TRUE(files) << files.error().ToString();
  EXPECT_THAT(*files, ElementsAre(StagedFile{"hero", "Hero.tsx", "x"}));
  ASSERT_EQ(model_.requests().size(), 2u);
  const llm::ChatRequest request = model_.requests().front();
  EXPECT_EQ(request.model, "code-model");
  EXPECT_EQ(request.response_schema_json, CodeReplySchema().ToJsonText());
  EXPECT_EQ(request.response_schema_name, "generated_code");
  EXPECT_EQ(request.max_tokens, 3000);
  ASSERT_EQ(request.messages.size(), 2u);
  EXPECT_THAT(request.messages[0].content, HasSubstr("Output format: react"));
  EXPECT_THAT(request.messages[0].content, HasSubstr(".tsx .ts .jsx .js .css"));
  EXPECT_THAT(request.messages[0].content, HasSubstr("Style system: tailwind"));
  const std::string& user = request.messages[1].content;
  EXPECT_THAT(user, HasSubstr("a pricing page"));
  EXPECT_THAT(user, HasSubstr("Your section: hero"));
  EXPECT_THAT(user, HasSubstr("Full-width banner with one CTA"));
  EXPECT_THAT(user, HasSubstr("- nav: Top bar with links #pricing #faq"));
  EXPECT_THAT(user, HasSubstr("Use a CSS grid"));
  json schema = json::parse(*request.response_schema_json);
  EXPECT_EQ(schema["required"], json({"files", "notes"}));
}

TEST_F(CodeGeneratorTest, CallContextIsTheCodeRoleInExecution) {
  model_.Push(Reply(TwoFiles()));
  CodeGenerator code(source_, {});
  ASSERT_TRUE(
      code.Generate(HeroRequest(), {.run_id = "run-1", .role = "worker", .phase = "x"}, &budget_));
  llm::CallContext context = model_.contexts().front();
  EXPECT_EQ(context.run_id, "run-1");
  EXPECT_EQ(context.triad, "visual");
  EXPECT_EQ(context.role, "code_execution");
  EXPECT_EQ(context.phase, "execution");
  EXPECT_EQ(context.deadline, budget_.Deadline());
}

TEST_F(CodeGeneratorTest, TheSameFileTwiceIsKeptOnce) {
  json body{{"files",
             {{{"path", "hero.html"}, {"content", "<p>x</p>"}},
              {{"path", "hero.html"}, {"content", "<p>x</p>"}}}},
            {"notes", ""}};
  model_.Push(Reply(body));
  CodeGenerator code(source_, {.output_format = "html"});
  Result<std::vector<StagedFile>> files = code.Generate(HeroRequest(), {}, nullptr);
  ASSERT_TRUE(files) << files.error().ToString();
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].path, "hero.html");
}

TEST_F(CodeGeneratorTest, ABadPathRejectsTheWholeReply) {
  for (const char* bad : {"../x.html", "/etc/passwd", "a/../../b.js", "x.exe", "a\\b.css", ""}) {
    testing::ScriptedModel model;
    RecordingSource source(model);
    json body = TwoFiles();
    body["files"].push_back({{"path", bad}, {"content", "x"}});
    model.Push(Reply(body));
    CodeGenerator code(source, {.max_attempts = 1});
    Result<std::vector<StagedFile>> files = code.Generate(HeroRequest(), {}, nullptr);
    ASSERT_FALSE(files) << bad;
    EXPECT_EQ(files.error().code, ErrorCode::kInternal);
    EXPECT_THAT(files.error().message, HasSubstr("code model reply rejected: "));
    if (*bad != '\0') {
      EXPECT_THAT(files.error().message, HasSubstr(std::string("path '") + bad + "'"));
    } else {
      EXPECT_THAT(files.error().message, HasSubstr("files[2].path: must be 1-200 characters"));
    }
  }
}

TEST_F(CodeGeneratorTest, ARejectedReplyIsExplainedAndRetried) {
  model_.Push(Reply(OneFile("../x.html"), 10, 5));
  model_.Push(Reply(TwoFiles(), 20, 10));
  CodeGenerator code(source_, {});
  Result<std::vector<StagedFile>> files = code.Generate(HeroRequest(), {}, &budget_);
  ASSERT_TRUE(files) << files.error().ToString();
  EXPECT_EQ(files->size(), 2u);
  EXPECT_EQ(budget_.spent().tokens, 45);
  ASSERT_EQ(model_.requests().size(), 2u);
  const std::vector<llm::Message> messages = model_.requests()[1].messages;
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[2].role, llm::Role::kAssistant);
  EXPECT_THAT(messages[3].content, HasSubstr("path '../x.html' has a '..' segment"));
}

TEST_F(CodeGeneratorTest, MalformedRepliesAreRejected) {
  struct Case {
    std::string content;
    std::string expected;
  };
  std::vector<Case> cases = {
      {"here is your code", "it is not a JSON object"},
      {R"({"files":[{"path":"a.html"}],"notes":""})", "files[0].content: required"},
      {R"({"files":[],"notes":""})", "files: must have at least 1 item"},
      {json{{"files",
             {{{"path", "a.html"}, {"content", "1"}}, {{"path", "a.html"}, {"content", "2"}}}},
            {"notes", ""}}
           .dump(),
       "path 'a.html' appears twice with different content"}};
  for (const Case& c : cases) {
    testing::ScriptedModel model;
    RecordingSource source(model);
    model.Push(llm::ChatResponse{.content = c.content});
    CodeGenerator code(source, {.max_attempts = 1});
    Result<std::vector<StagedFile>> files = code.Generate(HeroRequest(), {}, nullptr);
    ASSERT_FALSE(files) << c.content;
    EXPECT_THAT(files.error().message, HasSubstr(c.expected));
  }
}

TEST_F(CodeGeneratorTest, ACutOffReplyIsRejected) {
  llm::ChatResponse reply = Reply(TwoFiles());
  reply.finish_reason = llm::FinishReason::kLength;
  model_.Push(reply);
  CodeGenerator code(source_, {.max_attempts = 1});
  Result<std::vector<StagedFile>> files = code.Generate(HeroRequest(), {}, nullptr);
  ASSERT_FALSE(files);
  EXPECT_THAT(files.error().message, HasSubstr("cut off at the token limit"));
}

TEST_F(CodeGeneratorTest, AcceptsAFencedReply) {
  model_.Push(llm::ChatResponse{.content = "```json\n" + TwoFiles().dump() + "\n```\n"});
  CodeGenerator code(source_, {});
  Result<std::vector<StagedFile>> files = code.Generate(HeroRequest(), {}, nullptr);
  ASSERT_TRUE(files) << files.error().ToString();
  EXPECT_EQ(files->size(), 2u);
}

TEST_F(CodeGeneratorTest, ModelAndSourceFailuresPassThrough) {
  model_.Push(Error{ErrorCode::kUnavailable, "provider down"});
  CodeGenerator code(source_, {});
  Result<std::vector<StagedFile>> files = code.Generate(HeroRequest(), {}, nullptr);
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().code, ErrorCode::kUnavailable);
  source_.FailNext();
  files = code.Generate(HeroRequest(), {}, nullptr);
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().code, ErrorCode::kNotFound);
}

TEST_F(CodeGeneratorTest, SpentBudgetStopsBeforeTheCall) {
  budget_.ChargeTokens(10000);
  CodeGenerator code(source_, {});
  Result<std::vector<StagedFile>> files = code.Generate(HeroRequest(), {}, &budget_);
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().code, ErrorCode::kResourceExhausted);
  EXPECT_TRUE(model_.requests().empty());
}

TEST_F(CodeGeneratorTest, UnknownOutputFormat) {
  CodeGenerator code(source_, {.output_format = "angular"});
  Result<std::vector<StagedFile>> files = code.Generate(HeroRequest(), {}, nullptr);
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(files.error().message, HasSubstr("unknown output format 'angular'"));
}

// A page of two regions and one concern, in `format`.
page::PageContract PricingContract(std::string format) {
  page::PageOutline outline{.title = "Plans"};
  outline.regions = {
      {.id = "hero", .section = "page/hero", .title = "Hero"},
      {.id = "pricing", .section = "page/pricing", .title = "Pricing", .content = "three tiers"}};
  std::map<std::string, page::SectionRole> roles = {
      {"page/hero", {.kind = page::SectionKind::kRegion}},
      {"page/pricing", {.kind = page::SectionKind::kRegion}},
      {"visual/colors",
       {.kind = page::SectionKind::kConcern, .contribution = page::Contribution::kTokens}}};
  page::PageContract contract = page::MakeContract(outline,
                                                   {{"page/hero", "a", "big headline"},
                                                    {"page/pricing", "b", "cards"},
                                                    {"visual/colors", "a", "indigo accent"}},
                                                   roles, std::move(format), "plain CSS");
  contract.tokens.push_back({"--color-accent", "#4f46e5", "visual/colors"});
  return contract;
}

json ReactPricing(bool with_missing_package) {
  std::string code = "import { useState } from 'react';\n";
  if (with_missing_package) code += "import { motion } from 'framer-motion';\n";
  code += "export default function Pricing() { return <div className=\"tiers\" />; }\n";
  return {{"files", {{{"path", "Pricing.tsx"}, {"content", "```tsx\n" + code + "```"}}}},
          {"notes", "tiers"}};
}

TEST_F(CodeGeneratorTest, WithAContractThePromptCarriesTheWholeContractAndTheFormatsExample) {
  page::PageContract contract = PricingContract("react");
  model_.Push(Reply(ReactPricing(false)));
  CodeGenerator code(source_, {.output_format = "react"});
  CodeRequest request{.triad_id = "b",
                      .section = "page/pricing",
                      .section_content = "cards",
                      .request = "a pricing page",
                      .contract = &contract};
  Result<std::vector<StagedFile>> files = code.Generate(request, {}, &budget_);
  ASSERT_TRUE(files.has_value()) << files.error().message;
  // The fence around the file is gone.
  EXPECT_EQ(files->at(0).content.rfind("import { useState }", 0), 0u);
  const llm::ChatRequest sent = model_.requests().at(0);
  EXPECT_THAT(sent.messages[0].content, HasSubstr("export default function Pricing()"));
  EXPECT_THAT(sent.messages[0].content, HasSubstr("Quality bar"));
  const std::string& user = sent.messages[1].content;
  EXPECT_THAT(user, HasSubstr("Section: page/pricing\nKind: region\nRoot id: pricing\n"));
  EXPECT_THAT(user, HasSubstr("Files: Pricing.tsx, pricing.css"));
  EXPECT_THAT(user, HasSubstr("page/hero -> #hero: Hero"));
  EXPECT_THAT(user, HasSubstr("--color-accent: #4f46e5"));
  EXPECT_THAT(user, HasSubstr("visual/colors (tokens)"));
}

TEST_F(CodeGeneratorTest, AnImportTheToolchainLacksGetsOneRepairWithFileAndLine) {
  page::PageContract contract = PricingContract("react");
  model_.Push(Reply(ReactPricing(true)));
  model_.Push(Reply(ReactPricing(false)));
  CodeGenerator code(source_, {.output_format = "react"});
  CodeRequest request{.triad_id = "b", .section = "page/pricing", .contract = &contract};
  Result<std::vector<StagedFile>> files = code.Generate(request, {}, &budget_);
  ASSERT_TRUE(files.has_value()) << files.error().message;
  ASSERT_EQ(model_.requests().size(), 2u);
  EXPECT_THAT(model_.requests().at(1).messages.back().content,
              HasSubstr("import of 'framer-motion' in Pricing.tsx:2 is not available in the "
                        "react toolchain"));
  // A model that keeps the import fails the step with the same file and line.
  model_.Push(Reply(ReactPricing(true)));
  model_.Push(Reply(ReactPricing(true)));
  Result<std::vector<StagedFile>> again = code.Generate(request, {}, &budget_);
  ASSERT_FALSE(again.has_value());
  EXPECT_THAT(again.error().message, HasSubstr("Pricing.tsx:2"));
}

TEST_F(CodeGeneratorTest, AConcernWritesNoMarkupAndARegionNeedsItsComponent) {
  page::PageContract contract = PricingContract("react");
  model_.Push(Reply(
      {{"files", {{{"path", "Colors.tsx"}, {"content", "export default 1;"}}}}, {"notes", ""}}));
  model_.Push(Reply(OneFile("pricing.css")));
  CodeGenerator code(source_, {.output_format = "react", .max_attempts = 1});
  EXPECT_THAT(code.Generate({.triad_id = "a", .section = "visual/colors", .contract = &contract},
                            {}, &budget_)
                  .error()
                  .message,
              HasSubstr("a concern is never rendered"));
  EXPECT_THAT(code.Generate({.triad_id = "b", .section = "page/pricing", .contract = &contract}, {},
                            &budget_)
                  .error()
                  .message,
              HasSubstr("the region needs its .tsx file (Pricing.tsx)"));
}

}  // namespace
}  // namespace hfs::triad
