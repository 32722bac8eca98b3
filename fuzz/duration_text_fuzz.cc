// Fuzz target for the duration and HTTP-date readers (hfs/keys/duration_text.h): any text
// reads without crashing; a duration read is never negative and, written back as whole
// nanoseconds or as seconds with nine fraction digits, reads back the same; Retry-After is
// never negative; an HTTP-date read, written back in IMF-fixdate form, reads back the
// same (up to the year 2200), and Retry-After of it is the time left until it.
//
//   build-fuzz/fuzz/duration_text_fuzz fuzz/corpus/duration_text   (libFuzzer)
//   build/fuzz/duration_text_fuzz_regression fuzz/corpus/duration_text
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "hfs/keys/duration_text.h"

namespace hfs::keys {
namespace {

void Check(bool condition, const char* what, std::string_view detail) {
  if (condition) return;
  std::fprintf(stderr, "duration_text_fuzz: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

// "Sun, 06 Nov 1994 08:49:37 GMT" for a whole second.
std::string ImfFixdate(Timestamp time) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(time);
  std::chrono::year_month_day date(day);
  std::chrono::hh_mm_ss clock(std::chrono::floor<std::chrono::seconds>(time - day));
  return fmt::format(
      "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[std::chrono::weekday(day).c_encoding()],
      static_cast<unsigned>(date.day()), kMonths[static_cast<unsigned>(date.month()) - 1],
      static_cast<int>(date.year()), clock.hours().count(), clock.minutes().count(),
      clock.seconds().count());
}

void CheckText(std::string_view text) {
  if (std::optional<Duration> duration = ParseDurationText(text)) {
    Check(*duration >= Duration::zero(), "negative duration", text);
    int64_t nanos = duration->count();
    Check(ParseDurationText(fmt::format("{}ns", nanos)) == duration,
          "the duration in ns reads back differently", text);
    Check(ParseDurationText(
              fmt::format("{}.{:09}s", nanos / 1'000'000'000, nanos % 1'000'000'000)) == duration,
          "the duration in s reads back differently", text);
  }
  // A fixed "now" in 2025, so results do not depend on the clock.
  const Timestamp now{std::chrono::seconds(1'750'000'000)};
  std::optional<Duration> retry = ParseRetryAfter(text, now);
  Check(!retry || *retry >= Duration::zero(), "negative Retry-After", text);
  if (std::optional<Timestamp> date = ParseHttpDate(text)) {
    Check(*date == std::chrono::floor<std::chrono::seconds>(*date), "a date with a fraction", text);
    // A leap second on the last day of 2200 is read as a time in 2201, which no date reads.
    std::string written = ImfFixdate(*date);
    if (std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(*date)).year() <=
        std::chrono::year(2200)) {
      Check(ParseHttpDate(written) == date, "the date written back reads differently", written);
    }
    if (!ParseDurationText(text)) {
      Check(retry == std::max(Duration::zero(), *date - now), "Retry-After is not the time left",
            text);
    }
  }
}

}  // namespace
}  // namespace hfs::keys

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  hfs::keys::CheckText(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
