#include "hfs/keys/duration_text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace hfs::keys {
namespace {

constexpr int64_t kMaxNanos = std::numeric_limits<int64_t>::max();
constexpr int64_t kNanosPerSecond = 1'000'000'000;
// Fraction digits beyond this many are ignored (they are below a nanosecond anyway).
constexpr int kMaxFractionDigits = 18;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A decimal number "12", "12.5", "12." or ".5": whole part, and the fraction as
// `fraction / 10^fraction_digits`.
struct Decimal {
  int64_t whole = 0;
  int64_t fraction = 0;
  int fraction_digits = 0;
};

// Reads a Decimal from the front of `text` and advances past it.
std::optional<Decimal> ReadDecimal(std::string_view& text) {
  Decimal number;
  bool any_digit = false;
  size_t i = 0;
  for (; i < text.size() && IsDigit(text[i]); ++i) {
    int digit = text[i] - '0';
    if (number.whole > (kMaxNanos - digit) / 10) return std::nullopt;
    number.whole = number.whole * 10 + digit;
    any_digit = true;
  }
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && IsDigit(text[i]); ++i) {
      any_digit = true;
      if (number.fraction_digits == kMaxFractionDigits) continue;
      number.fraction = number.fraction * 10 + (text[i] - '0');
      ++number.fraction_digits;
    }
  }
  if (!any_digit) return std::nullopt;
  text.remove_prefix(i);
  return number;
}

// Reads a unit from the front of `text`, advances past it and returns its length in
// nanoseconds.
std::optional<int64_t> ReadUnit(std::string_view& text) {
  struct Unit {
    std::string_view name;
    int64_t nanos;
  };
  // Two-letter units first so that "ms" is not read as "m".
  static constexpr std::array<Unit, 8> kUnits = {{{"ns", 1},
                                                  {"us", 1'000},
                                                  {"\xC2\xB5s", 1'000},  // U+00B5 micro sign
                                                  {"\xCE\xBCs", 1'000},  // U+03BC Greek mu
                                                  {"ms", 1'000'000},
                                                  {"s", kNanosPerSecond},
                                                  {"m", 60 * kNanosPerSecond},
                                                  {"h", 3600 * kNanosPerSecond}}};
  for (const Unit& unit : kUnits) {
    if (text.starts_with(unit.name)) {
      text.remove_prefix(unit.name.size());
      return unit.nanos;
    }
  }
  return std::nullopt;
}

// `number` units of `unit_nanos` each, in nanoseconds, or nullopt on overflow.
std::optional<int64_t> ToNanos(const Decimal& number, int64_t unit_nanos) {
  if (number.whole > kMaxNanos / unit_nanos) return std::nullopt;
  int64_t nanos = number.whole * unit_nanos;
  int64_t scale = 1;
  for (int i = 0; i < number.fraction_digits; ++i) scale *= 10;
  int64_t fraction_nanos =
      unit_nanos % scale == 0
          ? number.fraction * (unit_nanos / scale)
          : std::llround(static_cast<long double>(number.fraction) * unit_nanos / scale);
  if (nanos > kMaxNanos - fraction_nanos) return std::nullopt;
  return nanos + fraction_nanos;
}

// Digits of `text` as an int within [low, high], for date fields.
std::optional<int> SmallNumber(std::string_view text, size_t max_digits, int low, int high) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (!IsDigit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < low || value > high) return std::nullopt;
  return value;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// 1..12 for "Jan".."Dec".
std::optional<int> MonthNumber(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (EqualsNoCase(name, kMonths[i])) return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

bool IsDayName(std::string_view name) {
  static constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu",
                                                            "fri", "sat", "sun"};
  if (name.size() < 3) return false;
  return std::any_of(kDays.begin(), kDays.end(),
                     [&](std::string_view day) { return EqualsNoCase(name.substr(0, 3), day); });
}

// Splits an HTTP-date into words at spaces, commas and dashes.
std::vector<std::string_view> DateWords(std::string_view text) {
  std::vector<std::string_view> words;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ' ' || text[i] == ',' || text[i] == '-') {
      if (i > start) words.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return words;
}

// "08:49:37" as seconds since midnight.
std::optional<int> TimeOfDay(std::string_view text) {
  if (text.size() != 8 || text[2] != ':' || text[5] != ':') return std::nullopt;
  auto hours = SmallNumber(text.substr(0, 2), 2, 0, 23);
  auto minutes = SmallNumber(text.substr(3, 2), 2, 0, 59);
  auto seconds = SmallNumber(text.substr(6, 2), 2, 0, 60);  // 60: a leap second
  if (!hours || !minutes || !seconds) return std::nullopt;
  return *hours * 3600 + *minutes * 60 + *seconds;
}

}  // namespace

std::optional<Duration> ParseDurationText(std::string_view text) {
  text = Trim(text);
  int64_t total = 0;
  bool first = true;
  while (!text.empty()) {
    std::optional<Decimal> number = ReadDecimal(text);
    if (!number) return std::nullopt;
    std::optional<int64_t> unit = ReadUnit(text);
    if (!unit) {
      // Only a lone number may omit its unit: bare seconds.
      if (!first || !text.empty()) return std::nullopt;
      unit = kNanosPerSecond;
    }
    std::optional<int64_t> nanos = ToNanos(*number, *unit);
    if (!nanos || total > kMaxNanos - *nanos) return std::nullopt;
    total += *nanos;
    first = false;
  }
  if (first) return std::nullopt;
  return Duration(total);
}

std::optional<Timestamp> ParseHttpDate(std::string_view text) {
  std::vector<std::string_view> words = DateWords(Trim(text));
  std::optional<int> day, month, year, time;
  if (words.size() == 6 && EqualsNoCase(words[5], "GMT")) {
    // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" or RFC 850 "Sunday, 06-Nov-94 ...".
    day = SmallNumber(words[1], 2, 1, 31);
    month = MonthNumber(words[2]);
    year =
        words[3].size() == 2 ? SmallNumber(words[3], 2, 0, 99) : SmallNumber(words[3], 4, 0, 9999);
    if (year && words[3].size() == 2) *year += *year < 70 ? 2000 : 1900;
    time = TimeOfDay(words[4]);
  } else if (words.size() == 5) {
    // asctime "Sun Nov  6 08:49:37 1994".
    month = MonthNumber(words[1]);
    day = SmallNumber(words[2], 2, 1, 31);
    time = TimeOfDay(words[3]);
    year = SmallNumber(words[4], 4, 0, 9999);
  }
  if (words.empty() || !IsDayName(words[0]) || !day || !month || !year || !time) {
    return std::nullopt;
  }
  // Timestamp counts nanoseconds in an int64, which covers 1678..2261.
  if (*year < 1900 || *year > 2200) return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year(*year),
                                   std::chrono::month(static_cast<unsigned>(*month)),
                                   std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  return Timestamp(std::chrono::sys_days(date).time_since_epoch() + std::chrono::seconds(*time));
}

std::optional<Duration> ParseRetryAfter(std::string_view value, Timestamp now) {
  if (std::optional<Duration> delta = ParseDurationText(value)) return delta;
  // Delta-seconds too large for the clock: as RFC 9111 (1.2.2) says of such values, take
  // 2^31 seconds; the key pool caps every wait far below that.
  std::string_view digits = value;
  while (!digits.empty() && std::isspace(static_cast<unsigned char>(digits.front()))) {
    digits.remove_prefix(1);
  }
  while (!digits.empty() && std::isspace(static_cast<unsigned char>(digits.back()))) {
    digits.remove_suffix(1);
  }
  if (!digits.empty() &&
      std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::chrono::seconds(int64_t{1} << 31);
  }
  std::optional<Timestamp> date = ParseHttpDate(value);
  if (!date) return std::nullopt;
  return std::max(Duration::zero(), *date - now);
}

}  // namespace hfs::keys
