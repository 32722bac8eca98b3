#include "hfs/app/html_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "hfs/base/file.h"
#include "hfs/testing/sample_run.h"
#include "hfs/testing/temp_dir.h"
#include "hfs/trace/jsonl_exporter.h"

namespace hfs::app {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kSectionIds[] = {"summary", "ownership", "negotiation", "temperature",
                                       "usage",   "keys",      "waterfall",   "validation"};

// Eight bytes of PNG signature and a few more: enough to be embedded.
const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + "IHDR-and-the-rest";

std::string Render(std::string_view screenshot = "") {
  const json report = json::parse(testing::SampleRunReportJson());
  const std::vector<trace::SpanData> spans = testing::SampleRunSpans();
  return RenderHtmlReport(report, spans, {.screenshot_png = screenshot});
}

// The text between <section id="ID"> and the next </section>.
std::string SectionOf(const std::string& page, const std::string& id) {
  const size_t start = page.find("<section id=\"" + id + "\">");
  if (start == std::string::npos) return "";
  return page.substr(start, page.find("</section>", start) - start);
}

TEST(HtmlReportTest, HasEverySectionOnceWithItsStableId) {
  const std::string page = Render();
  EXPECT_THAT(page, ::testing::StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(page, HasSubstr("</html>"));
  for (const char* id : kSectionIds) {
    const std::string tag = std::string("<section id=\"") + id + "\">";
    const size_t first = page.find(tag);
    EXPECT_NE(first, std::string::npos) << id;
    EXPECT_EQ(page.find(tag, first + 1), std::string::npos) << id;
  }
  EXPECT_THAT(page, HasSubstr(testing::kSampleRunId));
}

TEST(HtmlReportTest, EscapesEveryStringFromTheRun) {
  const std::string page = Render();
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, Not(HasSubstr("<b>contrast</b>")));
  EXPECT_THAT(page, HasSubstr("&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; keeps "
                              "&lt;b&gt;contrast&lt;/b&gt;"));
  EXPECT_THAT(page, HasSubstr("&lt;div&gt; never closed"));
  EXPECT_THAT(page, Not(HasSubstr("<div> never closed")));
}

TEST(HtmlReportTest, LoadsNothingFromTheNetwork) {
  const std::string page = Render(kPng);
  EXPECT_THAT(page, Not(HasSubstr("http://")));
  EXPECT_THAT(page, Not(HasSubstr("https://")));
  EXPECT_THAT(page, Not(HasSubstr("<link")));
  EXPECT_THAT(page, Not(HasSubstr("@import")));
  EXPECT_THAT(page, Not(HasSubstr("url(")));
  // Every src= and href= is an inline image or an anchor in the page.
  const std::regex reference(R"re((src|href)="([^"#][^"]{0,30}))re");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), reference);
       it != std::sregex_iterator(); ++it) {
    EXPECT_THAT((*it)[2].str(), ::testing::StartsWith("data:image/png;base64,")) << (*it)[0];
  }
}

TEST(HtmlReportTest, ShowsKeyIdsButNeverKeyText) {
  const std::string page = Render();
  EXPECT_THAT(page, Not(HasSubstr(testing::kSampleKeyText)));
  EXPECT_THAT(page, Not(HasSubstr("SECRET")));
  const std::string keys = SectionOf(page, "keys");
  EXPECT_THAT(keys, HasSubstr(testing::kSampleKeyId));
  EXPECT_THAT(keys, HasSubstr("cerebras#1:0a1b2c"));
  EXPECT_THAT(keys, HasSubstr("groq#3:77aa01"));
}

TEST(HtmlReportTest, ListsTheRateLimitedCallWithItsKey) {
  const std::string keys = SectionOf(Render(), "keys");
  const size_t table = keys.find("id=\"rate-limit-events\"");
  ASSERT_NE(table, std::string::npos) << keys;
  const std::string events = keys.substr(table, keys.find("</table>", table) - table);
  EXPECT_THAT(events, HasSubstr(testing::kSampleKeyId));
  EXPECT_THAT(events, HasSubstr("429"));
  EXPECT_THAT(keys, HasSubstr("Rate-limit events (HTTP 429) (1)"));
  EXPECT_THAT(keys, HasSubstr("4 provider calls on 3 keys"));
}

TEST(HtmlReportTest, TimelineHoldsClaimsDecisionsEscalationAndRationale) {
  const std::string negotiation = SectionOf(Render(), "negotiation");
  EXPECT_THAT(negotiation, HasSubstr("data-section=\"pricing\""));
  EXPECT_THAT(negotiation, HasSubstr("data-section=\"hero\""));
  EXPECT_THAT(negotiation, Not(HasSubstr("data-section=\"faq\"")));  // one claimant
  EXPECT_THAT(negotiation, HasSubstr("layout: <b>hold</b>, visual: <b>revise</b>"));
  EXPECT_THAT(negotiation, HasSubstr("resolved: owner <b>layout</b>"));
  EXPECT_THAT(negotiation, HasSubstr("Escalated to the arbiter"));
  EXPECT_THAT(negotiation, HasSubstr("<blockquote class=\"rationale\">visual&#39;s proposal"));
  EXPECT_THAT(negotiation, HasSubstr("<td>visual</td><td>footer</td><td class=\"err\">no section "
                                     "&#39;footer&#39;</td>"));
}

TEST(HtmlReportTest, OwnershipMapMarksOwnersClaimantsAndHow) {
  const std::string ownership = SectionOf(Render(), "ownership");
  EXPECT_THAT(ownership, HasSubstr("id=\"ownership-map\""));
  EXPECT_THAT(ownership, HasSubstr("<th>layout</th><th>visual</th>"));
  // pricing: layout claimed, visual owns it through the arbiter.
  EXPECT_THAT(ownership, HasSubstr("<tr><td>pricing</td><td>frozen</td><td class=\"claim\""));
  EXPECT_THAT(ownership, HasSubstr("arbiter: assign"));
  EXPECT_THAT(ownership, HasSubstr("coverage: primary scope"));
}

TEST(HtmlReportTest, TemperatureCurveHasAPointPerRoundAndTheEnd) {
  const std::string temperature = SectionOf(Render(), "temperature");
  EXPECT_THAT(temperature, HasSubstr("<svg id=\"temperature-chart\""));
  size_t circles = 0;
  for (size_t at = temperature.find("<circle"); at != std::string::npos;
       at = temperature.find("<circle", at + 1)) {
    ++circles;
  }
  EXPECT_EQ(circles, 3u);  // rounds 0 and 1, then the end
  EXPECT_THAT(temperature, HasSubstr("round 1: 0.850"));
  EXPECT_THAT(temperature, HasSubstr("end: 0.700"));
}

TEST(HtmlReportTest, UsageHasBarsByPhaseTriadAgentAndModel) {
  const std::string usage = SectionOf(Render(), "usage");
  for (const char* title : {"By phase", "By triad", "By agent", "By model"}) {
    EXPECT_THAT(usage, HasSubstr(std::string("<h3>") + title)) << title;
  }
  EXPECT_THAT(usage, HasSubstr("Total <b>5,300</b> tokens"));
  EXPECT_THAT(usage, HasSubstr("groq / llama-3.3-70b: 1,500 in, 300 out"));
  EXPECT_THAT(usage, HasSubstr("3 calls"));
  // Phases in run order, not alphabetical.
  EXPECT_LT(usage.find(">deliberation<"), usage.find(">negotiation<"));
  EXPECT_THAT(usage, HasSubstr("Model tier escalations"));
}

TEST(HtmlReportTest, WaterfallDrawsEverySpan) {
  const std::string waterfall = SectionOf(Render(), "waterfall");
  EXPECT_THAT(waterfall, HasSubstr("8 spans"));
  EXPECT_THAT(waterfall, HasSubstr("hfs.negotiation.round 1"));
  EXPECT_THAT(waterfall, HasSubstr("class=\"bar error\""));
}

TEST(HtmlReportTest, EmbedsTheScreenshotAsADataUri) {
  const std::string with = SectionOf(Render(kPng), "validation");
  EXPECT_THAT(with, HasSubstr("<img class=\"screenshot\" id=\"screenshot\""));
  EXPECT_THAT(with, HasSubstr("src=\"data:image/png;base64,iVBORw0KGgp"));
  const std::string without = SectionOf(Render(), "validation");
  EXPECT_THAT(without, HasSubstr("id=\"no-screenshot\""));
  EXPECT_THAT(without, HasSubstr("failed"));
  EXPECT_THAT(SectionOf(Render("GIF89a"), "validation"), HasSubstr("is not a PNG"));
}

TEST(HtmlReportTest, ToleratesAnEmptyOrMistypedReport) {
  for (const char* text : {"{}", R"({"spec": "x", "negotiation": 5, "usage": [], "claims": {}})",
                           R"({"validation": {"issues": [1, "x", null]}, "files": [1]})"}) {
    const std::string page = RenderHtmlReport(json::parse(text), {});
    for (const char* id : kSectionIds) {
      EXPECT_THAT(page, HasSubstr(std::string("<section id=\"") + id + "\">")) << text;
    }
  }
}

TEST(WriteHtmlReportTest, WritesReportHtmlFromTheRunDirectory) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "hfs-report.json", testing::SampleRunReportJson()));
  {
    auto exporter = trace::JsonlExporter::Open(dir.path() / "trace.jsonl", trace::Resource{});
    ASSERT_TRUE(exporter.has_value());
    const std::vector<trace::SpanData> spans = testing::SampleRunSpans();
    ASSERT_TRUE((*exporter)->Export(spans));
    (*exporter)->Shutdown();
  }
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "screenshot.png", kPng));
  Result<void> written = WriteHtmlReport(dir.path());
  ASSERT_TRUE(written) << written.error().message;
  Result<std::string> page = ReadFile(dir.path() / kHtmlReportFileName);
  ASSERT_TRUE(page.has_value());
  EXPECT_THAT(*page, HasSubstr("hfs.negotiation.round 1"));
  EXPECT_THAT(*page, HasSubstr("id=\"screenshot\""));
  EXPECT_THAT(*page, HasSubstr("layout: <b>hold</b>"));
  EXPECT_THAT(*page, Not(HasSubstr(testing::kSampleKeyText)));
}

TEST(WriteHtmlReportTest, NotesAMissingOrBrokenTrace) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "hfs-report.json", testing::SampleRunReportJson()));
  ASSERT_TRUE(WriteHtmlReport(dir.path()));
  EXPECT_THAT(ReadFile(dir.path() / kHtmlReportFileName).value_or(""),
              HasSubstr("has no trace.jsonl"));
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "trace.jsonl", "{not json\n"));
  ASSERT_TRUE(WriteHtmlReport(dir.path()));
  EXPECT_THAT(ReadFile(dir.path() / kHtmlReportFileName).value_or(""),
              HasSubstr("trace.jsonl could not be read"));
}

TEST(WriteHtmlReportTest, FailsWithoutAReadableReport) {
  testing::TempDir dir;
  Result<void> missing = WriteHtmlReport(dir.path());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "hfs-report.json", "[1, 2"));
  Result<void> broken = WriteHtmlReport(dir.path());
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::kDataLoss);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / kHtmlReportFileName));
}

}  // namespace
}  // namespace hfs::app
