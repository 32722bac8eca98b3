#include "hfs/config/observability_env.h"

#include <fmt/format.h>

#include <charconv>
#include <optional>

#include "hfs/base/text.h"
#include "hfs/base/try.h"
#include "hfs/store/database_url.h"

namespace hfs::config {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The first set, non-empty variable of `names`, with its name.
std::optional<std::pair<std::string_view, std::string>> First(
    const Env& env, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    std::optional<std::string> value = env.Get(name);
    if (value && !Trim(*value).empty()) return std::pair{name, std::string(Trim(*value))};
  }
  return std::nullopt;
}

Result<std::optional<bool>> Boolean(const Env& env, std::string_view name) {
  auto found = First(env, {name});
  if (!found) return std::optional<bool>();
  std::string value = AsciiLower(found->second);
  if (value == "true" || value == "1" || value == "yes" || value == "on") return true;
  if (value == "false" || value == "0" || value == "no" || value == "off") return false;
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("{}: expected true or false, got '{}'", name, found->second));
}

Result<void> ApplyConsole(const Env& env, trace::ObservabilityOptions& options) {
  auto found = First(env, {"HFS_OBSERVABILITY_CONSOLE"});
  if (!found) return Ok();
  std::string value = AsciiLower(found->second);
  constexpr std::pair<std::string_view, trace::ConsoleVerbosity> kLevels[] = {
      {"minimal", trace::ConsoleVerbosity::kMinimal},
      {"standard", trace::ConsoleVerbosity::kStandard},
      {"verbose", trace::ConsoleVerbosity::kVerbose}};
  for (const auto& [level_name, level] : kLevels) {
    if (value == level_name) {
      options.console_enabled = true;
      options.console_verbosity = level;
      return Ok();
    }
  }
  std::optional<bool> enabled =
      HFS_TRY(Boolean(env, "HFS_OBSERVABILITY_CONSOLE").map_error([](Error error) {
        error.message += ", minimal, standard or verbose";
        return error;
      }));
  options.console_enabled = *enabled;
  return Ok();
}

Result<void> ApplyEndpoint(const Env& env, trace::ObservabilityOptions& options) {
  auto found = First(env, {"HFS_OBSERVABILITY_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"});
  if (!found) return Ok();
  if (AsciiLower(found->second) == "none") {
    options.otlp_endpoint.clear();
    return Ok();
  }
  std::string lower = AsciiLower(found->second);
  if (!lower.starts_with("http://") && !lower.starts_with("https://")) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}: expected an http:// or https:// URL such as "
                            "http://127.0.0.1:4318, got '{}'",
                            found->first, found->second));
  }
  options.otlp_endpoint = found->second;
  return Ok();
}

Result<void> ApplyExitTimeout(const Env& env, trace::ObservabilityOptions& options) {
  auto found = First(env, {"HFS_OBSERVABILITY_OTLP_EXIT_TIMEOUT_MS"});
  if (!found) return Ok();
  const std::string& text = found->second;
  int64_t ms = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec != std::errc() || end != text.data() + text.size() || ms < 0 || ms > 600000) {
    return Fail(
        ErrorCode::kInvalidArgument,
        fmt::format("{}: expected milliseconds from 0 to 600000, got '{}'", found->first, text));
  }
  options.otlp_exit_timeout = std::chrono::milliseconds(ms);
  return Ok();
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> ParseOtlpHeaders(
    std::string_view text, std::string_view variable) {
  std::vector<std::pair<std::string, std::string>> headers;
  int index = 0;
  while (!text.empty()) {
    ++index;
    size_t comma = text.find(',');
    std::string_view entry = Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (entry.empty()) continue;
    size_t equals = entry.find('=');
    std::string_view key = Trim(entry.substr(0, equals));
    if (equals == std::string_view::npos || key.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: entry {} is not key=value", variable, index));
    }
    std::optional<std::string> value = store::PercentDecode(Trim(entry.substr(equals + 1)));
    if (!value) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: the value of '{}' has a malformed %-escape", variable, key));
    }
    headers.emplace_back(std::string(key), std::move(*value));
  }
  return headers;
}

Result<void> ApplyObservabilityEnv(const Env& env, trace::ObservabilityOptions& options) {
  trace::ObservabilityOptions out = options;
  if (auto name = First(env, {"HFS_OBSERVABILITY_SERVICE_NAME", "OTEL_SERVICE_NAME"})) {
    out.service_name = name->second;
  }
  HFS_RETURN_IF_ERROR(ApplyEndpoint(env, out));
  if (auto headers = First(env, {"HFS_OBSERVABILITY_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS"})) {
    out.otlp_headers = HFS_TRY(ParseOtlpHeaders(headers->second, headers->first));
  }
  if (auto content = HFS_TRY(Boolean(env, "HFS_OBSERVABILITY_INCLUDE_CONTENT"))) {
    out.include_content = *content;
  }
  if (auto sql = HFS_TRY(Boolean(env, "HFS_OBSERVABILITY_SQL_EXPORT"))) out.sql_export = *sql;
  HFS_RETURN_IF_ERROR(ApplyConsole(env, out));
  HFS_RETURN_IF_ERROR(ApplyExitTimeout(env, out));
  // OpenTelemetry: only "true" (any case) disables the SDK.
  if (auto disabled = First(env, {"OTEL_SDK_DISABLED"});
      disabled && AsciiLower(disabled->second) == "true") {
    out.otlp_endpoint.clear();
    out.otlp_headers.clear();
    out.sql_export = false;
  }
  options = std::move(out);
  return Ok();
}

}  // namespace hfs::config
