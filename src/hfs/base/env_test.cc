#include "hfs/base/env.h"

#include <gtest/gtest.h>

#include "hfs/base/file.h"
#include "hfs/testing/temp_dir.h"

namespace hfs {
namespace {

TEST(EnvTest, ParsesDotEnvSyntax) {
  auto pairs = ParseDotEnv(
      "# keys\n"
      "NUM_GROQ=2\n"
      "export GROQ_API_KEY_1 = gsk-one  # trailing comment\n"
      "GROQ_API_KEY_2=\"gsk \\\"two\\\"\"\n"
      "EMPTY=\n"
      "SINGLE='a # b'\r\n",
      ".env");
  ASSERT_TRUE(pairs.has_value()) << pairs.error().ToString();
  ASSERT_EQ(pairs->size(), 5u);
  EXPECT_EQ((*pairs)[0], (std::pair<std::string, std::string>{"NUM_GROQ", "2"}));
  EXPECT_EQ((*pairs)[1].second, "gsk-one");
  EXPECT_EQ((*pairs)[2].second, "gsk \"two\"");
  EXPECT_EQ((*pairs)[3].second, "");
  EXPECT_EQ((*pairs)[4].second, "a # b");
}

TEST(EnvTest, MalformedLinesNameFileAndLine) {
  auto missing_equals = ParseDotEnv("A=1\nOOPS\n", "/x/.env");
  ASSERT_FALSE(missing_equals.has_value());
  EXPECT_EQ(missing_equals.error().message, "/x/.env:2: expected NAME=value");
  auto bad_name = ParseDotEnv("1A=1\n", ".env");
  EXPECT_EQ(bad_name.error().code, ErrorCode::kInvalidArgument);
  auto open_quote = ParseDotEnv("A=\"never closed\n", ".env");
  EXPECT_EQ(open_quote.error().message, ".env:1: unterminated quoted value for A");
}

TEST(EnvTest, DotEnvNeverOverridesProcessVariables) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "first.env", "A=from-file\nB=from-first\n"));
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "second.env", "B=from-second\nC=from-second\n"));
  std::string a = "A=from-process";
  char* process[] = {a.data(), nullptr};
  auto env = Env::Load({.process = process,
                        .dotenv_files = {dir.path() / "first.env", dir.path() / "missing.env",
                                         dir.path() / "second.env"}});
  ASSERT_TRUE(env.has_value()) << env.error().ToString();
  EXPECT_EQ(env->Get("A"), "from-process");
  EXPECT_EQ(env->Get("B"), "from-first");
  EXPECT_EQ(env->Get("C"), "from-second");
  EXPECT_FALSE(env->Get("D").has_value());
  EXPECT_EQ(env->loaded_files().size(), 2u);
}

TEST(EnvTest, MalformedDotEnvFileIsAnError) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.path() / ".env", "GOOD=1\nBAD LINE\n"));
  auto env = Env::Load({.dotenv_files = {dir.path() / ".env"}});
  ASSERT_FALSE(env.has_value());
  EXPECT_NE(env.error().message.find(".env:2"), std::string::npos);
}

TEST(EnvTest, HfsHomeDefaultsUnderHome) {
  Env env(Env::Variables{{"HOME", "/home/u"}});
  EXPECT_EQ(HfsHome(env), std::filesystem::path("/home/u/.hfs"));
  Env with_home(Env::Variables{{"HOME", "/home/u"}, {"HFS_HOME", "/data/hfs"}});
  EXPECT_EQ(DefaultDotEnvFiles(with_home).back().path, std::filesystem::path("/data/hfs/.env"));
}

TEST(EnvTest, AByteOrderMarkIsSkipped) {
  auto pairs = ParseDotEnv("\xEF\xBB\xBFNUM_GROQ=1\r\nGROQ_API_KEY_1=gsk-one\r\n", ".env");
  ASSERT_TRUE(pairs.has_value()) << pairs.error().ToString();
  ASSERT_EQ(pairs->size(), 2u);
  EXPECT_EQ((*pairs)[0], (std::pair<std::string, std::string>{"NUM_GROQ", "1"}));
  EXPECT_EQ((*pairs)[1].second, "gsk-one");
}

TEST(EnvTest, RemembersWhereEachVariableCameFrom) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "project.env", "A=project\nB=project\n"));
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "home.env", "B=home\nC=home\n"));
  std::string a = "A=process";
  char* process[] = {a.data(), nullptr};
  auto env =
      Env::Load({.process = process,
                 .dotenv_files = {{dir.path() / "project.env", EnvSource::kWorkingDirectoryFile},
                                  dir.path() / "home.env"}});
  ASSERT_TRUE(env.has_value()) << env.error().ToString();
  EXPECT_EQ(env->Source("A"), EnvSource::kProcess);
  EXPECT_EQ(env->Get("B"), "project");
  EXPECT_EQ(env->Source("B"), EnvSource::kWorkingDirectoryFile);
  EXPECT_EQ(env->Source("C"), EnvSource::kUserFile);
  // The working directory's .env is read first and marked as such.
  std::vector<DotEnvFile> files = DefaultDotEnvFiles(Env(Env::Variables{{"HFS_HOME", "/h"}}));
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].source, EnvSource::kWorkingDirectoryFile);
  EXPECT_EQ(files[1].source, EnvSource::kUserFile);
}

}  // namespace
}  // namespace hfs
