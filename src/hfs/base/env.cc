#include "hfs/base/env.h"

#include <fmt/format.h>

#include <cctype>

#include "hfs/base/file.h"
#include "hfs/base/try.h"

namespace hfs {
namespace {

bool IsNameChar(char c, bool first) {
  return c == '_' || std::isalpha(static_cast<unsigned char>(c)) ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Parses the value part of one line; nullopt when a quote is not closed.
std::optional<std::string> ParseValue(std::string_view raw) {
  raw = Trim(raw);
  if (raw.empty()) return std::string();
  char quote = raw.front();
  if (quote == '"' || quote == '\'') {
    std::string out;
    for (size_t i = 1; i < raw.size(); ++i) {
      char c = raw[i];
      if (c == quote) {
        std::string_view rest = Trim(raw.substr(i + 1));
        if (!rest.empty() && rest.front() != '#') return std::nullopt;
        return out;
      }
      if (quote == '"' && c == '\\' && i + 1 < raw.size()) {
        char next = raw[++i];
        out.push_back(next == 'n' ? '\n' : next);
        continue;
      }
      out.push_back(c);
    }
    return std::nullopt;
  }
  // Unquoted: a " #" starts a comment.
  size_t comment = raw.find(" #");
  if (comment != std::string_view::npos) raw = raw.substr(0, comment);
  return std::string(Trim(raw));
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> ParseDotEnv(std::string_view text,
                                                                     std::string_view file_name) {
  std::vector<std::pair<std::string, std::string>> out;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark
  size_t line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("export ")) line = Trim(line.substr(7));
    size_t equals = line.find('=');
    std::string_view name = equals == std::string_view::npos ? line : Trim(line.substr(0, equals));
    bool valid_name = !name.empty();
    for (size_t i = 0; i < name.size() && valid_name; ++i) valid_name = IsNameChar(name[i], i == 0);
    if (equals == std::string_view::npos || !valid_name) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}:{}: expected NAME=value", file_name, line_number));
    }
    std::optional<std::string> value = ParseValue(line.substr(equals + 1));
    if (!value) {
      return Fail(
          ErrorCode::kInvalidArgument,
          fmt::format("{}:{}: unterminated quoted value for {}", file_name, line_number, name));
    }
    out.emplace_back(std::string(name), std::move(*value));
  }
  return out;
}

Env Env::FromProcess(char** process) {
  Env env;
  for (char** entry = process; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view item(*entry);
    size_t equals = item.find('=');
    if (equals == std::string_view::npos || equals == 0) continue;
    env.variables_.emplace(std::string(item.substr(0, equals)),
                           std::string(item.substr(equals + 1)));
  }
  return env;
}

Result<Env> Env::Load(const EnvLoadOptions& options) {
  Env env = FromProcess(options.process);
  for (const DotEnvFile& file : options.dotenv_files) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file.path, ec)) continue;
    std::string text = HFS_TRY(ReadFile(file.path));
    auto pairs = HFS_TRY(ParseDotEnv(text, file.path.string()));
    bool used = false;
    for (auto& [name, value] : pairs) used |= env.SetDefault(name, value, file.source);
    if (used) env.loaded_files_.push_back(file.path);
  }
  return env;
}

std::optional<std::string> Env::Get(std::string_view name) const {
  auto it = variables_.find(name);
  if (it == variables_.end()) return std::nullopt;
  return it->second;
}

std::string Env::GetOr(std::string_view name, std::string_view fallback) const {
  auto it = variables_.find(name);
  if (it == variables_.end() || it->second.empty()) return std::string(fallback);
  return it->second;
}

EnvSource Env::Source(std::string_view name) const {
  auto it = sources_.find(name);
  return it == sources_.end() ? EnvSource::kProcess : it->second;
}

bool Env::SetDefault(std::string name, std::string value, EnvSource source) {
  auto [it, inserted] = variables_.emplace(std::move(name), std::move(value));
  if (inserted && source != EnvSource::kProcess) sources_.emplace(it->first, source);
  return inserted;
}

std::filesystem::path HfsHome(const Env& env) {
  if (auto home = env.Get("HFS_HOME"); home && !home->empty()) return *home;
  return std::filesystem::path(env.GetOr("HOME", ".")) / ".hfs";
}

std::vector<DotEnvFile> DefaultDotEnvFiles(const Env& env) {
  return {{".env", EnvSource::kWorkingDirectoryFile},
          {HfsHome(env) / ".env", EnvSource::kUserFile}};
}

}  // namespace hfs
