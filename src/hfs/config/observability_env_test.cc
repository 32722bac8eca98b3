#include "hfs/config/observability_env.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hfs/base/try.h"

namespace hfs::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using trace::ObservabilityOptions;

Result<ObservabilityOptions> Apply(Env::Variables variables, ObservabilityOptions start = {}) {
  HFS_RETURN_IF_ERROR(ApplyObservabilityEnv(Env(std::move(variables)), start));
  return start;
}

TEST(ObservabilityEnvTest, NoVariablesKeepTheConfig) {
  ObservabilityOptions config{
      .service_name = "svc", .otlp_endpoint = "http://c:4318", .sql_export = true};
  ObservabilityOptions out = Apply({}, config).value();
  EXPECT_EQ(out.service_name, "svc");
  EXPECT_EQ(out.otlp_endpoint, "http://c:4318");
  EXPECT_TRUE(out.sql_export);
  EXPECT_TRUE(out.console_enabled);
}

TEST(ObservabilityEnvTest, StandardOtelVariables) {
  ObservabilityOptions out =
      Apply({{"OTEL_SERVICE_NAME", "hfs-prod"},
             {"OTEL_EXPORTER_OTLP_ENDPOINT", "https://otel.example.com:4318"},
             {"OTEL_EXPORTER_OTLP_HEADERS", "api-key=abc%3D%3D , x-tenant = acme,"}})
          .value();
  EXPECT_EQ(out.service_name, "hfs-prod");
  EXPECT_EQ(out.otlp_endpoint, "https://otel.example.com:4318");
  EXPECT_THAT(out.otlp_headers, ElementsAre(Pair("api-key", "abc=="), Pair("x-tenant", "acme")));
}

TEST(ObservabilityEnvTest, HfsVariablesWinOverOtelOnes) {
  ObservabilityOptions out = Apply({{"OTEL_SERVICE_NAME", "otel"},
                                    {"HFS_OBSERVABILITY_SERVICE_NAME", "mine"},
                                    {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel:4318"},
                                    {"HFS_OBSERVABILITY_OTLP_ENDPOINT", "http://hfs:4318"},
                                    {"HFS_OBSERVABILITY_INCLUDE_CONTENT", "YES"},
                                    {"HFS_OBSERVABILITY_SQL_EXPORT", "1"}})
                                 .value();
  EXPECT_EQ(out.service_name, "mine");
  EXPECT_EQ(out.otlp_endpoint, "http://hfs:4318");
  EXPECT_TRUE(out.include_content);
  EXPECT_TRUE(out.sql_export);
}

TEST(ObservabilityEnvTest, EmptyVariablesAreUnsetAndNoneTurnsOtlpOff) {
  ObservabilityOptions config{.otlp_endpoint = "http://c:4318"};
  EXPECT_EQ(Apply({{"HFS_OBSERVABILITY_OTLP_ENDPOINT", ""}}, config).value().otlp_endpoint,
            "http://c:4318");
  EXPECT_EQ(Apply({{"HFS_OBSERVABILITY_OTLP_ENDPOINT", "none"}}, config).value().otlp_endpoint, "");
}

TEST(ObservabilityEnvTest, ConsoleTakesABooleanOrAVerbosity) {
  EXPECT_FALSE(Apply({{"HFS_OBSERVABILITY_CONSOLE", "off"}}).value().console_enabled);
  ObservabilityOptions verbose =
      Apply({{"HFS_OBSERVABILITY_CONSOLE", "Verbose"}}, {.console_enabled = false}).value();
  EXPECT_TRUE(verbose.console_enabled);
  EXPECT_EQ(verbose.console_verbosity, trace::ConsoleVerbosity::kVerbose);
  auto bad = Apply({{"HFS_OBSERVABILITY_CONSOLE", "loud"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_THAT(bad.error().message, HasSubstr("HFS_OBSERVABILITY_CONSOLE: expected true or false"));
  EXPECT_THAT(bad.error().message, HasSubstr("minimal, standard or verbose"));
}

TEST(ObservabilityEnvTest, SdkDisabledTurnsOffRemoteAndSqlExport) {
  ObservabilityOptions out = Apply({{"OTEL_SDK_DISABLED", "TRUE"},
                                    {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel:4318"},
                                    {"OTEL_EXPORTER_OTLP_HEADERS", "a=b"},
                                    {"HFS_OBSERVABILITY_SQL_EXPORT", "true"}})
                                 .value();
  EXPECT_EQ(out.otlp_endpoint, "");
  EXPECT_TRUE(out.otlp_headers.empty());
  EXPECT_FALSE(out.sql_export);
  EXPECT_EQ(
      Apply({{"OTEL_SDK_DISABLED", "false"}, {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel:4318"}})
          .value()
          .otlp_endpoint,
      "http://otel:4318");
}

TEST(ObservabilityEnvTest, BadValuesNameTheVariableAndLeaveOptionsUnchanged) {
  ObservabilityOptions options{.service_name = "keep"};
  Env env({{"OTEL_SERVICE_NAME", "changed"}, {"HFS_OBSERVABILITY_SQL_EXPORT", "maybe"}});
  auto failed = ApplyObservabilityEnv(env, options);
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(failed.error().message,
            "HFS_OBSERVABILITY_SQL_EXPORT: expected true or false, got 'maybe'");
  EXPECT_EQ(options.service_name, "keep");

  auto endpoint = Apply({{"OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4318"}});
  ASSERT_FALSE(endpoint.has_value());
  EXPECT_THAT(endpoint.error().message, HasSubstr("OTEL_EXPORTER_OTLP_ENDPOINT: expected an http"));
}

TEST(ObservabilityEnvTest, MalformedHeadersNeverQuoteValues) {
  auto missing = ParseOtlpHeaders("a=SECRET1,novalue", "OTEL_EXPORTER_OTLP_HEADERS");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message, "OTEL_EXPORTER_OTLP_HEADERS: entry 2 is not key=value");
  auto escape = ParseOtlpHeaders("key=SECRET%zz", "X");
  ASSERT_FALSE(escape.has_value());
  EXPECT_THAT(escape.error().message, HasSubstr("'key'"));
  EXPECT_THAT(escape.error().message, Not(HasSubstr("SECRET")));
  EXPECT_TRUE(ParseOtlpHeaders("", "X").value().empty());
  EXPECT_THAT(ParseOtlpHeaders("a==b", "X").value(), ElementsAre(Pair("a", "=b")));
}

}  // namespace
}  // namespace hfs::config
