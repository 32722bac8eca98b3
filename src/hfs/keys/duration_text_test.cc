#include "hfs/keys/duration_text.h"

#include <gtest/gtest.h>

#include <string>

namespace hfs::keys {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// Nanosecond counts print readably in failure messages.
std::optional<int64_t> Nanos(std::optional<Duration> d) {
  return d ? std::optional<int64_t>(d->count()) : std::nullopt;
}

struct DurationCase {
  std::string name;
  std::string text;
  std::optional<Duration> want;
};

class ParseDurationTextTest : public testing::TestWithParam<DurationCase> {};

TEST_P(ParseDurationTextTest, Parses) {
  const DurationCase& c = GetParam();
  EXPECT_EQ(Nanos(ParseDurationText(c.text)), Nanos(c.want)) << "text: '" << c.text << "'";
}

const DurationCase kDurationCases[] = {
    // Groq reset headers and messages.
    {"GroqSeconds", "6s", seconds(6)},
    {"GroqMinutesFraction", "2m59.56s", milliseconds(179560)},
    {"GroqBodyRetry", "1m42.653s", milliseconds(102653)},
    {"GroqFractionSeconds", "1.57s", milliseconds(1570)},
    {"GroqZeroFraction", "20m0.0s", minutes(20)},
    {"Milliseconds", "500ms", milliseconds(500)},
    {"FractionMilliseconds", "1.5ms", microseconds(1500)},
    // Gemini protobuf durations, up to nine decimals, exact.
    {"ProtobufDuration", "34.4s", milliseconds(34400)},
    {"ProtobufNineDecimals", "45.837906927s", nanoseconds(45837906927)},
    {"ProtobufOneNano", "0.000000001s", nanoseconds(1)},
    {"BelowANanosecondRounds", "0.0000000019s", nanoseconds(2)},
    // Cerebras float seconds and plain integers.
    {"CerebrasFloatSeconds", "11.38", milliseconds(11380)},
    {"CerebrasLongFloatSeconds", "33011.4", milliseconds(33011400)},
    {"IntegerSeconds", "60", seconds(60)},
    {"Zero", "0", Duration::zero()},
    {"ZeroWithUnit", "0s", Duration::zero()},
    {"LeadingDot", ".5s", milliseconds(500)},
    {"TrailingDot", "1.s", seconds(1)},
    {"BareLeadingDot", ".25", milliseconds(250)},
    // Other Go units.
    {"HoursMinutes", "1h30m", minutes(90)},
    {"FractionHours", "1.5h", minutes(90)},
    {"AllUnits", "1h1m1s1ms1us1ns", nanoseconds(3661001001001)},
    {"AsciiMicro", "100us", microseconds(100)},
    {"MicroSign", "100\xC2\xB5s", microseconds(100)},
    {"GreekMu", "100\xCE\xBCs", microseconds(100)},
    {"Nanoseconds", "250ns", nanoseconds(250)},
    {"ThirdOfAnHourRounds", "0.333333333333h", nanoseconds(1199999999999)},
    {"SurroundingSpace", "  7s\t", seconds(7)},
    // Invalid.
    {"Empty", "", std::nullopt},
    {"Blank", "   ", std::nullopt},
    {"UnitOnly", "s", std::nullopt},
    {"DotOnly", ".s", std::nullopt},
    {"Word", "soon", std::nullopt},
    {"Negative", "-1s", std::nullopt},
    {"Plus", "+1s", std::nullopt},
    {"UnknownUnit", "1x", std::nullopt},
    {"Days", "1d", std::nullopt},
    {"TwoDots", "1.2.3s", std::nullopt},
    {"MissingLaterUnit", "1h5", std::nullopt},
    {"SpaceBeforeUnit", "5 s", std::nullopt},
    {"SpaceBetweenTerms", "1m 5s", std::nullopt},
    {"Exponent", "1e3", std::nullopt},
    {"NotANumber", "nan", std::nullopt},
    {"Infinity", "inf", std::nullopt},
    {"Comma", "1,5s", std::nullopt},
    {"OverflowHours", "99999999999h", std::nullopt},
    {"OverflowSeconds", "9223372037s", std::nullopt},
    {"OverflowDigits", "99999999999999999999999", std::nullopt},
    {"OverflowSum", "2562047h2562047h", std::nullopt},
};

INSTANTIATE_TEST_SUITE_P(Table, ParseDurationTextTest, testing::ValuesIn(kDurationCases),
                         [](const testing::TestParamInfo<DurationCase>& info) {
                           return info.param.name;
                         });

// 2015-10-21 07:28:00 UTC, the RFC 9110 example date.
Timestamp ExampleDate() {
  using namespace std::chrono;
  return Timestamp(sys_days(year(2015) / October / 21) + hours(7) + minutes(28));
}

struct RetryAfterCase {
  std::string name;
  std::string value;
  std::optional<Duration> want;  // measured from ExampleDate() - 90 s
};

class ParseRetryAfterTest : public testing::TestWithParam<RetryAfterCase> {};

TEST_P(ParseRetryAfterTest, Parses) {
  const RetryAfterCase& c = GetParam();
  EXPECT_EQ(Nanos(ParseRetryAfter(c.value, ExampleDate() - seconds(90))), Nanos(c.want))
      << "value: '" << c.value << "'";
}

const RetryAfterCase kRetryAfterCases[] = {
    {"DeltaSeconds", "120", seconds(120)},
    {"DeltaZero", "0", Duration::zero()},
    {"FractionalSeconds", "1.5", milliseconds(1500)},
    {"LenientGoDuration", "6s", seconds(6)},
    {"ImfFixdate", "Wed, 21 Oct 2015 07:28:00 GMT", seconds(90)},
    {"ImfFixdateLater", "Wed, 21 Oct 2015 08:28:00 GMT", seconds(3690)},
    {"Rfc850", "Wednesday, 21-Oct-15 07:28:00 GMT", seconds(90)},
    {"Asctime", "Wed Oct 21 07:28:00 2015", seconds(90)},
    {"AsctimeSingleDigitDay", "Sun Nov  6 08:49:37 1994", Duration::zero()},
    {"PastDateIsZero", "Tue, 20 Oct 2015 07:28:00 GMT", Duration::zero()},
    {"LowerCaseNames", "wed, 21 oct 2015 07:28:00 gmt", seconds(90)},
    {"BadDay", "Wed, 32 Oct 2015 07:28:00 GMT", std::nullopt},
    {"NoSuchDate", "Sat, 31 Feb 2015 07:28:00 GMT", std::nullopt},
    {"BadHour", "Wed, 21 Oct 2015 25:00:00 GMT", std::nullopt},
    {"BadMonth", "Wed, 21 Foo 2015 07:28:00 GMT", std::nullopt},
    {"NotGmt", "Wed, 21 Oct 2015 07:28:00 PST", std::nullopt},
    {"MissingTime", "Wed, 21 Oct 2015 GMT", std::nullopt},
    {"NoWeekday", "21 Oct 2015 07:28:00 GMT x", std::nullopt},
    {"YearOutOfRange", "Wed, 21 Oct 9999 07:28:00 GMT", std::nullopt},
    {"Word", "later", std::nullopt},
    {"Negative", "-5", std::nullopt},
    {"SecondsBeyondTheClock", "9000000000000", seconds(int64_t{1} << 31)},
    {"HugeWithFraction", "9000000000000.5", std::nullopt},
    {"Empty", "", std::nullopt},
};

INSTANTIATE_TEST_SUITE_P(Table, ParseRetryAfterTest, testing::ValuesIn(kRetryAfterCases),
                         [](const testing::TestParamInfo<RetryAfterCase>& info) {
                           return info.param.name;
                         });

TEST(ParseHttpDateTest, GivesTheInstant) {
  std::optional<Timestamp> date = ParseHttpDate("Wed, 21 Oct 2015 07:28:00 GMT");
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(*date, ExampleDate());
  EXPECT_EQ(UnixNanos(*date), int64_t{1445412480} * 1'000'000'000);
}

}  // namespace
}  // namespace hfs::keys
