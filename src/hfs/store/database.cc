#include "hfs/store/database.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

namespace hfs::store {
namespace {

// Parses "42", "-7", "12.50" or "1e3"; nullopt when `text` is not a number.
std::optional<double> ParseNumber(std::string_view text) {
  double number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

int64_t ClampToInt(double number) {
  if (std::isnan(number)) return 0;
  if (number >= 9.2e18) return std::numeric_limits<int64_t>::max();
  if (number <= -9.2e18) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(number);
}

}  // namespace

std::string_view DialectName(Dialect dialect) {
  switch (dialect) {
    case Dialect::kSqlite:
      return "sqlite";
    case Dialect::kMysql:
      return "mysql";
  }
  return "unknown";
}

bool IsNull(const Value& value) { return std::holds_alternative<std::monostate>(value); }

int64_t ToInt(const Value& value) {
  if (const auto* number = std::get_if<int64_t>(&value)) return *number;
  if (const auto* number = std::get_if<double>(&value)) return ClampToInt(*number);
  if (const auto* text = std::get_if<std::string>(&value)) {
    int64_t integer = 0;
    auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), integer);
    if (error == std::errc() && end == text->data() + text->size()) return integer;
    return ClampToInt(ParseNumber(*text).value_or(0));
  }
  return 0;
}

double ToDouble(const Value& value) {
  if (const auto* number = std::get_if<int64_t>(&value)) return static_cast<double>(*number);
  if (const auto* number = std::get_if<double>(&value)) return *number;
  if (const auto* text = std::get_if<std::string>(&value)) return ParseNumber(*text).value_or(0);
  return 0;
}

std::string ToText(const Value& value) {
  if (const auto* number = std::get_if<int64_t>(&value)) return fmt::format("{}", *number);
  if (const auto* number = std::get_if<double>(&value)) return fmt::format("{}", *number);
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  return "";
}

}  // namespace hfs::store
