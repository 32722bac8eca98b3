#include "hfs/pipeline/emergent_observer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hfs/base/check.h"

namespace hfs::pipeline {
namespace {

spec::Spec ClaimedSpec(const std::vector<std::pair<std::string, std::string>>& claims,
                       std::vector<std::string> sections) {
  spec::Spec spec = HFS_VALUE_OR_DIE(spec::Spec::Create(std::move(sections)));
  for (const auto& [section, triad] : claims) {
    HFS_CHECK(spec.RegisterClaim(triad, section, "p").has_value(), "claim");
  }
  return spec;
}

MergedOutput WithText(std::string text, const std::vector<std::string>& sections) {
  MergedOutput out;
  out.files["a.html"] = std::move(text);
  for (const std::string& section : sections) out.files_by_section[section] = {"a.html"};
  return out;
}

TEST(EmergentObserverTest, ScoreTables) {
  EXPECT_DOUBLE_EQ(StyleScore(0), 0.6);
  EXPECT_DOUBLE_EQ(StyleScore(1), 0.95);
  EXPECT_DOUBLE_EQ(StyleScore(2), 0.8);
  EXPECT_DOUBLE_EQ(StyleScore(3), 0.65);
  EXPECT_DOUBLE_EQ(StyleScore(5), 0.5);
  EXPECT_DOUBLE_EQ(StyleScore(7), 0.4);
  EXPECT_DOUBLE_EQ(InteractionScore(0, 0), 0.5);
  EXPECT_DOUBLE_EQ(InteractionScore(2, 3), 0.85);
  EXPECT_DOUBLE_EQ(InteractionScore(3, 1), 0.75);
  EXPECT_DOUBLE_EQ(InteractionScore(5, 1), 0.6);
}

TEST(EmergentObserverTest, CoherenceFollowsContentContestsAndProducingTriads) {
  spec::Spec spec = ClaimedSpec({{"a", "t1"}, {"b", "t1"}, {"b", "t2"}}, {"a", "b"});
  EmergentReport open = EmergentObserver().Observe({.spec = &spec});
  // No content yet: 0 / 2 sections.
  EXPECT_DOUBLE_EQ(open.metrics.coherence, 0.0);

  spec::Spec frozen = ClaimedSpec({{"a", "t1"}, {"b", "t2"}}, {"a", "b"});
  ASSERT_TRUE(frozen.Freeze().has_value());
  StagedFilesByTriad staged = {{"t1", {{.section = "a", .path = "a.html", .content = "x"}}},
                               {"t2", {}}};
  EmergentReport report = EmergentObserver().Observe({.spec = &frozen, .staged = &staged});
  EXPECT_DOUBLE_EQ(report.metrics.coherence, 0.5);
  EXPECT_DOUBLE_EQ(EmergentObserver().Observe({.spec = &frozen}).metrics.coherence, 1.0);
}

TEST(EmergentObserverTest, StyleAndInteractionReadTheMergedFiles) {
  spec::Spec spec = ClaimedSpec({{"a", "t1"}}, {"a"});
  ASSERT_TRUE(spec.Freeze().has_value());
  MergedOutput one = WithText("<div class=\"clean minimal\">x</div>", {"a"});
  EmergentReport report = EmergentObserver().Observe({.spec = &spec, .merged = &one});
  EXPECT_DOUBLE_EQ(report.metrics.style_consistency, 0.95);
  EXPECT_EQ(report.implicit_styles, std::vector<std::string>{"minimal"});
  EXPECT_DOUBLE_EQ(report.metrics.interaction_consistency, 0.5);
  MergedOutput two = WithText("<a class=\"hover:underline transition duration-200\">", {"a"});
  report = EmergentObserver().Observe({.spec = &spec, .merged = &two});
  EXPECT_DOUBLE_EQ(report.metrics.interaction_consistency, 0.85);
  EXPECT_DOUBLE_EQ(report.metrics.style_consistency, 0.95);  // motion-forward
  EmergentReport empty = EmergentObserver().Observe({.spec = &spec});
  EXPECT_DOUBLE_EQ(empty.metrics.style_consistency, 0.5);
}

TEST(EmergentObserverTest, CollaborationAndEscalationsFromHistory) {
  spec::Spec spec = ClaimedSpec({{"a", "t1"}, {"a", "t2"}, {"b", "t1"}, {"b", "t2"}, {"c", "t3"}},
                                {"a", "b", "c"});
  spec::ArbiterDecision assign{.type = spec::ArbiterDecision::Type::kAssign, .winner = "t1"};
  ASSERT_TRUE(spec.Apply(assign, "a").has_value());
  spec::ArbiterDecision split{.type = spec::ArbiterDecision::Type::kSplit,
                              .division = {{"b/left", "t1"}, {"b/right", "t2"}}};
  ASSERT_TRUE(spec.Apply(split, "b").has_value());
  EmergentReport report = EmergentObserver().Observe({.spec = &spec});
  EXPECT_EQ(report.issues.escalation_count, 2);
  EXPECT_EQ(report.collaboration.at("t1-t2"), 2);  // both acted on a and on b
  EXPECT_EQ(report.clusters.size(), 0u);           // a single pair is not above the mean
  EXPECT_TRUE(report.issues.sections_without_owner.empty());
}

TEST(EmergentObserverTest, IssuesAndHealth) {
  spec::Spec spec = ClaimedSpec({{"a", "t1"}}, {"a", "b"});
  MergedOutput merged = WithText("error empty loading edge", {"a"});
  EmergentReport report = EmergentObserver().Observe({.spec = &spec, .merged = &merged});
  EXPECT_EQ(report.issues.sections_without_owner, std::vector<std::string>{"b"});
  EXPECT_EQ(report.issues.coverage_gaps,
            (std::vector<std::string>{"a (no content)", "b (no files)"}));
  EXPECT_EQ(report.overall_health, "unhealthy");
  EXPECT_FALSE(report.recommendations.empty());

  ValidationResult validation;
  validation.issues.push_back({.severity = Severity::kWarning,
                               .category = "style",
                               .message = "Style conflict between hero and nav"});
  MergedOutput tense = WithText("animate lazy subtle contrast", {"a"});
  report = EmergentObserver().Observe({.spec = &spec, .merged = &tense, .validation = &validation});
  EXPECT_EQ(report.issues.unresolved_tensions,
            (std::vector<std::string>{"Style conflict between hero and nav",
                                      "animation vs performance", "subtle styling vs contrast"}));
  EXPECT_EQ(report.issues.coverage_gaps.back(), "edge-cases");

  EmergentIssues none;
  EXPECT_EQ(OverallHealth(none, 0.9), "healthy");
  EXPECT_EQ(OverallHealth(none, 0.6), "needs_attention");
  none.escalation_count = 4;
  EXPECT_EQ(OverallHealth(none, 0.9), "needs_attention");
  EXPECT_EQ(OverallHealth({}, 0.4), "unhealthy");

  nlohmann::json json = EmergentReportToJson(report);
  EXPECT_EQ(json["overall_health"], "unhealthy");
  EXPECT_TRUE(json["metrics"].contains("average_score"));
}

TEST(EmergentObserverTest, RenderedPageFindingsAreGapsAndTensions) {
  spec::Spec spec = ClaimedSpec({{"a", "t1"}}, {"a"});
  MergedOutput merged = WithText("x", {"a"});
  ValidationResult validation;
  validation.issues.push_back({.validator = "chromium", .rule = "section-empty", .section = "a"});
  validation.issues.push_back({.validator = "axe-core", .rule = "color-contrast"});
  validation.issues.push_back({.validator = "axe-core", .rule = "color-contrast"});
  EmergentReport report =
      EmergentObserver().Observe({.spec = &spec, .merged = &merged, .validation = &validation});
  EXPECT_NE(std::find(report.issues.coverage_gaps.begin(), report.issues.coverage_gaps.end(),
                      "a (not rendered)"),
            report.issues.coverage_gaps.end());
  EXPECT_EQ(
      std::count(report.issues.unresolved_tensions.begin(), report.issues.unresolved_tensions.end(),
                 "low contrast in the rendered page"),
      1);
}

}  // namespace
}  // namespace hfs::pipeline
