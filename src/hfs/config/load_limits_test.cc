// Hostile and odd input: over-long names, files and alias expansions past the bounds,
// deep nesting, CR line endings, huge numbers, quoted numbers, merge keys, a second
// document and control characters get a clear, located error, never a crash or a hang.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include "hfs/base/file.h"
#include "hfs/config/load.h"
#include "hfs/testing/temp_dir.h"

namespace hfs::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A valid config whose triad id, extra section, and custom provider's name and base_url
// are the arguments.
std::string ConfigWith(const std::string& id, const std::string& section,
                       const std::string& provider, const std::string& url) {
  return "triads:\n  - id: " + id +
         "\n    preset: dialectic\n    scope: {primary: [layout]}\nsections: [layout, " + section +
         "]\nproviders:\n  " + provider + ": {base_url: \"" + url + "\"}\n";
}

std::string ErrorOf(const std::string& yaml) {
  Result<Config> config = LoadConfigFromString(yaml, "test.yaml");
  if (config) return "";
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
  return config.error().message;
}

TEST(LoadLimitsTest, LongNamesGetALocatedErrorInsteadOfACrash) {
  EXPECT_EQ(ErrorOf(ConfigWith("a", "b", "local", "http://127.0.0.1:1/v1")), "");
  for (size_t size : {size_t{30000}, size_t{1000000}}) {
    const std::string name(size, 'a');
    const std::string count = std::to_string(size);
    std::string id = ErrorOf(ConfigWith(name, "b", "local", "http://h/v1"));
    EXPECT_EQ(id, "test.yaml:2:9: triads[0].id: " + count + " characters; at most 128");
    std::string section = ErrorOf(ConfigWith("a", name, "local", "http://h/v1"));
    EXPECT_EQ(section, "test.yaml:5:20: sections[1]: " + count + " characters; at most 128");
    // A plain key holds at most 1024 characters; an explicit key ('? ') any number.
    std::string provider = ErrorOf(ConfigWith("a", "b", "? " + name + "\n  ", "http://h/v1"));
    EXPECT_EQ(provider,
              "test.yaml:7:5: providers: a provider name of " + count + " characters; at most 128");
    std::string url = ErrorOf(ConfigWith("a", "b", "local", "http://" + name));
    EXPECT_EQ(url, "test.yaml:7:21: providers.local.base_url: " + std::to_string(size + 7) +
                       " characters; at most 2048");
  }
}

TEST(LoadLimitsTest, NamesAreCheckedCharacterByCharacter) {
  const std::string url = "http://127.0.0.1:11434/v1";
  EXPECT_EQ(ErrorOf(ConfigWith("A_b-9", "ui/grid_2", "my-llm_2", "https://h.example")), "");
  EXPECT_THAT(ErrorOf(ConfigWith("'a b'", "b", "local", url)),
              HasSubstr("triad id 'a b' may hold only letters, digits, '_' and '-'"));
  EXPECT_THAT(ErrorOf(ConfigWith("a", "b", "Local", url)),
              HasSubstr("provider names may hold only lowercase letters"));
  EXPECT_THAT(ErrorOf(ConfigWith("a", "'b c'", "local", url)),
              HasSubstr("section name 'b c' may hold only letters"));
  for (const char* bad : {"/", "a/", "/a", "a//b"}) {
    EXPECT_THAT(ErrorOf(ConfigWith("a", std::string("'") + bad + "'", "local", url)),
                HasSubstr(fmt::format("sections[1]: section name '{}' has an empty part", bad)))
        << bad;
  }
  for (const char* bad : {"ftp://h", "http://", "http:///v1", "http://h/a b", "h/v1"}) {
    EXPECT_THAT(ErrorOf(ConfigWith("a", "b", "local", bad)),
                HasSubstr(fmt::format("'{}' is not an http:// or https:// URL", bad)))
        << bad;
  }
  const std::string page = ConfigWith("a", "b", "local", url) + "page: {regions: [";
  EXPECT_EQ(ErrorOf(page + "hero, price-2]}\n"), "");
  for (const char* bad : {"2a", "a-", "Hero", "a_b"}) {
    EXPECT_THAT(ErrorOf(page + bad + "]}\n"), HasSubstr("may hold only lower-case letters")) << bad;
  }
  EXPECT_THAT(ErrorOf(page + std::string(30000, 'a') + "]}\n"),
              HasSubstr("page.regions[0]: 30000 characters; at most 40"));
}

TEST(LoadLimitsTest, FilesLargerThanTheLimitAreRefusedQuickly) {
  testing::TempDir dir;
  const std::string valid = ConfigWith("a", "b", "local", "http://h/v1");
  auto big = dir.path() / "big.yaml";
  ASSERT_TRUE(WriteFileAtomic(big, valid + "#" + std::string(1 << 20, 'x') + "\n"));
  Result<Config> config = LoadConfig(big);
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(config.error().message,
            big.string() + ": larger than 1 MiB (1048576 bytes), the most a config may hold");
  EXPECT_THAT(ErrorOf(valid + "#" + std::string(1 << 20, 'x') + "\n"),
              HasSubstr("test.yaml: larger than 1 MiB"));

  auto start = std::chrono::steady_clock::now();
  config = LoadConfig("/dev/zero");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(config.error().message,
            "/dev/zero: not a regular file; a config is a file of at most 1 MiB (1048576 bytes)");
}

TEST(LoadLimitsTest, AliasBombsAreRefused) {
  const std::string head = "triads:\n  - id: a\n    preset: dialectic\n";
  // A big string aliased many times.
  std::string text =
      head + "    system_context: &s " + std::string(500000, 'x') + "\n    objectives: [";
  for (int i = 0; i < 2000; ++i) text += i ? ", *s" : "*s";
  std::string bomb = ErrorOf(text + "]\nsections: [a]\n");
  EXPECT_THAT(bomb, HasSubstr("test.yaml:5:"));
  EXPECT_THAT(bomb, HasSubstr("aliases expand the document past 1048576 bytes of text"));
  // Nested lists aliased ten times per level ("billion laughs").
  std::string laughs = head + "    objectives: &l0 [a, a, a, a, a, a, a, a, a, a]\nx:\n";
  for (int level = 1; level < 9; ++level) {
    laughs += fmt::format("  - &l{} [", level);
    for (int i = 0; i < 10; ++i) laughs += fmt::format("{}*l{}", i ? ", " : "", level - 1);
    laughs += "]\n";
  }
  EXPECT_THAT(ErrorOf(laughs + "sections: [a]\n"),
              HasSubstr("aliases expand the document past 10000 values"));
  // Many uses of a small alias.
  std::string many = head + "    objectives: [&o a";
  for (int i = 0; i < 300; ++i) many += ", *o";
  EXPECT_THAT(ErrorOf(many + "]\nsections: [a]\n"),
              HasSubstr("test.yaml:4:824: more than 200 aliases; write the values out"));
  // A node that contains its own alias.
  EXPECT_THAT(ErrorOf(head + "    objectives: &r [a, *r]\nsections: [a]\n"),
              HasSubstr("test.yaml:4:24: alias '*r' is used inside the node it names"));
  // A few aliases are fine.
  EXPECT_EQ(ErrorOf(head + "    objectives: [&o a, *o]\nsections: [a]\n"), "");
}

TEST(LoadLimitsTest, DeepNestingIsRefusedClearly) {
  for (size_t depth : {size_t{40}, size_t{600}, size_t{100000}}) {
    std::string text = "triads: " + std::string(depth, '[') + std::string(depth, ']') + "\n";
    EXPECT_EQ(ErrorOf(text), "test.yaml:1:40: nested more than 32 levels deep") << depth;
  }
  std::string blocks = "triads:\n";
  for (int i = 1; i < 40; ++i) blocks += std::string(2 * i, ' ') + "- \n";
  EXPECT_THAT(ErrorOf(blocks), HasSubstr("nested more than 32 levels deep"));
}

TEST(LoadLimitsTest, CrLineEndingsAreLineEndings) {
  std::string text = ConfigWith("a", "b", "local", "http://h/v1");
  for (char& c : text) c = c == '\n' ? '\r' : c;
  EXPECT_EQ(ErrorOf(text), "");
  EXPECT_EQ(ErrorOf("triads: 3\r\rsections: [a]\r"),
            "test.yaml:1:9: triads: expected a list, got '3'");
  EXPECT_EQ(ErrorOf("\r\r\r"),
            "test.yaml:1:1: the file is empty (only blank lines); expected a mapping with `triads` "
            "and `sections`");
}

TEST(LoadLimitsTest, HugeWholeNumbersAreOutOfRange) {
  const std::string head = ConfigWith("a", "b", "local", "http://h/v1") + "pressure:\n";
  EXPECT_EQ(ErrorOf(head + "  global_budget: {tokens: 9007199254740991}\n"), "");
  EXPECT_EQ(ErrorOf(head + "  global_budget: {tokens: 9007199254740992}\n"),
            "test.yaml:9:27: pressure.global_budget.tokens: 9007199254740992 is out of range: "
            "expected a whole number from 0 to 9007199254740991");
  EXPECT_THAT(ErrorOf(head + "  global_budget: {tokens: " + std::string(400, '9') + "}\n"),
              HasSubstr("is out of range: expected a whole number from 0 to"));
  EXPECT_THAT(ErrorOf(head + "  temperature_decay: 1e999\n"),
              HasSubstr("is out of range: expected a number from 0 to 1"));
  EXPECT_THAT(ErrorOf(head + "  global_budget: {tokens: 1.5}\n"),
              HasSubstr("expected a whole number, got '1.5'"));
}

TEST(LoadLimitsTest, QuotedNumbersAndBooleansAreRefused) {
  const std::string head = ConfigWith("a", "b", "local", "http://h/v1");
  EXPECT_EQ(ErrorOf(head + "pressure: {max_negotiation_rounds: \"10\"}\n"),
            "test.yaml:8:36: pressure.max_negotiation_rounds: expected a whole number, got the "
            "quoted string '10'; write it without quotes");
  EXPECT_THAT(ErrorOf(head + "pressure: {temperature_decay: '0.5'}\n"),
              HasSubstr("expected a number, got the quoted string '0.5'"));
  EXPECT_THAT(ErrorOf(head + "output: {include_emergent_report: \"true\"}\n"),
              HasSubstr("expected true or false, got the quoted string 'true'"));
}

TEST(LoadLimitsTest, MergeKeysAreNotSupported) {
  std::string error =
      ErrorOf("triads:\n  - &b {id: a, preset: dialectic}\n  - <<: *b\n    id: b\nsections: [a]\n");
  EXPECT_THAT(error, HasSubstr("test.yaml:3:5: triads[1].<<: merge keys ('<<') are not "
                               "supported; write the keys out"));
  EXPECT_THAT(error, Not(HasSubstr("did you mean")));
}

TEST(LoadLimitsTest, ASecondDocumentIsRefused) {
  const std::string valid = ConfigWith("a", "b", "local", "http://h/v1");
  EXPECT_EQ(ErrorOf("---\n" + valid), "");
  EXPECT_EQ(ErrorOf(valid + "---\ntriads: []\n"),
            "test.yaml:8:1: a second YAML document; a config is one document (remove the "
            "'---' line and what follows it, or merge the two)");
}

TEST(LoadLimitsTest, ControlCharactersInMessagesAreEscaped) {
  std::string error =
      ErrorOf(ConfigWith("a", "\"x\\0y\\e[31m\\n\"", "local", "http://h/v1") + "\n");
  EXPECT_THAT(error, HasSubstr("section name 'x\\0y\\x1b[31m\\n' may hold only letters, digits"));
  EXPECT_EQ(error.find('\0'), std::string::npos);
  EXPECT_EQ(error.find('\x1b'), std::string::npos);
  // A message holding a huge value is cut, not printed whole.
  std::string long_value = ErrorOf(ConfigWith("a", "b", "local", "http://h/v1") +
                                   "output: {format: " + std::string(100000, 'q') + "}\n");
  EXPECT_THAT(long_value, HasSubstr("more bytes)"));
  EXPECT_LT(long_value.size(), 2000u);
}

TEST(LoadLimitsTest, IssuesStopAfterAHundred) {
  std::string text = "triads:\n";
  for (int i = 0; i < 1000; ++i) text += "  - {id: 'bad id', preset: dialectic}\n";
  std::string error = ErrorOf(text + "sections: [a]\n");
  EXPECT_EQ(std::count(error.begin(), error.end(), '\n'), 100);
  EXPECT_THAT(error, HasSubstr("test.yaml: stopped after 100 issues; fix these first"));
}

}  // namespace
}  // namespace hfs::config
