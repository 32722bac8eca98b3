#include "hfs/keys/key_discovery.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <set>

#include "hfs/base/text.h"

namespace hfs::keys {
namespace {

// Keys beyond this count are almost certainly a typo in NUM_<P>.
constexpr int kMaxKeysPerProvider = 1000;
constexpr std::string_view kRedacted = "[redacted]";
// A shorter start of a key at the end of a text is not redacted: keys share public
// prefixes such as "csk-", and a few characters do not give a key away.
constexpr size_t kMinRedactedStart = 6;

std::optional<int> ParseCount(std::string_view text) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

std::string_view TrimSpace(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::string ApiKey::id() const { return fmt::format("{}#{}:{}", provider, index, fingerprint); }

std::string EnvPrefix(std::string_view provider) {
  std::string prefix;
  for (char c : provider) {
    prefix.push_back(std::isalnum(static_cast<unsigned char>(c))
                         ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                         : '_');
  }
  return prefix;
}

std::string Fingerprint(std::string_view secret) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : secret) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return fmt::format("{:08x}", static_cast<uint32_t>(hash ^ (hash >> 32)));
}

namespace {

// Keys as found, and whether any came from outside the working directory's .env.
struct Found {
  DiscoveredKeys discovered;
  bool keys_from_elsewhere = false;
};

Found Find(const Env& env, std::string_view provider) {
  Found out;
  DiscoveredKeys& found = out.discovered;
  const std::string prefix = EnvPrefix(provider);
  std::set<std::string> seen;
  auto add = [&](int index, const std::string& variable) {
    const std::string value = env.GetOr(variable, "");
    const std::string_view secret = TrimSpace(value);
    if (secret.empty()) {
      found.warnings.push_back(fmt::format("{} is not set", variable));
      return;
    }
    if (secret.size() != value.size()) {
      found.warnings.push_back(fmt::format(
          "{} has spaces or a carriage return (\\r) around the key; they were removed", variable));
    }
    if (!seen.insert(std::string(secret)).second) {
      found.warnings.push_back(fmt::format("{} repeats an earlier key and is skipped", variable));
      return;
    }
    ApiKey key{.provider = std::string(provider),
               .index = index,
               .fingerprint = Fingerprint(secret),
               .secret = Secret(std::string(secret))};
    std::string account = env.GetOr(fmt::format("{}_ACCOUNT_{}", prefix, index), "");
    key.scope = account.empty() ? key.id() : fmt::format("{}/{}", provider, account);
    found.keys.push_back(std::move(key));
    out.keys_from_elsewhere |= env.Source(variable) != EnvSource::kWorkingDirectoryFile;
  };

  if (std::optional<std::string> count_text = env.Get(fmt::format("NUM_{}", prefix))) {
    std::optional<int> count = ParseCount(*count_text);
    if (!count || *count > kMaxKeysPerProvider) {
      found.warnings.push_back(
          fmt::format("NUM_{} must be a whole number from 0 to {}", prefix, kMaxKeysPerProvider));
    } else {
      for (int i = 1; i <= *count; ++i) add(i, fmt::format("{}_API_KEY_{}", prefix, i));
    }
  }
  std::string single = fmt::format("{}_API_KEY", prefix);
  std::string single_secret(TrimSpace(env.GetOr(single, "")));
  if (!single_secret.empty() && !seen.count(single_secret)) add(0, single);
  return out;
}

// The lower-case host of an URL without its scheme: "u@Host:8080/v1" -> "host", "[::1]".
std::string HostOf(std::string_view rest) {
  rest = rest.substr(0, rest.find_first_of("/?#\\"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (!rest.starts_with('[')) return AsciiLower(rest.substr(0, rest.find(':')));
  return AsciiLower(rest.substr(0, rest.find(']') + 1));
}

// 127.0.0.0/8 as four decimal numbers, ::1 and localhost.
bool IsLoopback(std::string_view host) {
  if (host == "localhost" || host == "[::1]") return true;
  if (host.ends_with('.')) return false;
  int parts = 0;
  while (!host.empty()) {
    size_t dot = host.find('.');
    std::optional<int> part = ParseCount(host.substr(0, dot));
    if (!part || *part > 255 || host.substr(0, dot).size() > 3) return false;
    if (parts++ == 0 && *part != 127) return false;
    host.remove_prefix(dot == std::string_view::npos ? host.size() : dot + 1);
  }
  return parts == 4;
}

Result<void> CheckDestination(const Env& env, std::string_view provider, std::string_view base_url,
                              bool keys_from_elsewhere) {
  const std::string prefix = EnvPrefix(provider);
  const std::string override_variable = fmt::format("HFS_{}_BASE_URL", prefix);
  if (keys_from_elsewhere && env.Source(override_variable) == EnvSource::kWorkingDirectoryFile &&
      !env.GetOr(override_variable, "").empty()) {
    return Fail(ErrorCode::kPermissionDenied,
                fmt::format("{0}: keys not sent: {1}={2} comes from the .env file of the working "
                            "directory, but the {0} keys come from the environment or "
                            "$HFS_HOME/.env; set {1} there to use that address",
                            provider, override_variable, env.GetOr(override_variable, "")));
  }
  const size_t scheme_end = base_url.find("://");
  const std::string scheme =
      scheme_end == std::string_view::npos ? "" : AsciiLower(base_url.substr(0, scheme_end));
  if (scheme == "https") return Ok();
  const std::string allow_variable = fmt::format("HFS_{}_ALLOW_HTTP", prefix);
  if (scheme != "http") {
    return Fail(ErrorCode::kPermissionDenied,
                fmt::format("{}: keys not sent: the base URL '{}' is not an https:// URL", provider,
                            base_url));
  }
  if (IsLoopback(HostOf(base_url.substr(scheme_end + 3)))) return Ok();
  if (env.GetOr(allow_variable, "") == "1" &&
      env.Source(allow_variable) != EnvSource::kWorkingDirectoryFile) {
    return Ok();
  }
  return Fail(ErrorCode::kPermissionDenied,
              fmt::format("{}: keys not sent: {} is plain http:// and not a loopback address "
                          "(127.0.0.1, ::1, localhost); use https://, or set {}=1 in the "
                          "environment or $HFS_HOME/.env to allow it",
                          provider, base_url, allow_variable));
}

}  // namespace

DiscoveredKeys DiscoverKeys(const Env& env, std::string_view provider) {
  Found found = Find(env, provider);
  const std::string base_url = env.GetOr(fmt::format("HFS_{}_BASE_URL", EnvPrefix(provider)), "");
  if (found.discovered.keys.empty() || base_url.empty()) return std::move(found.discovered);
  Result<void> allowed = CheckDestination(env, provider, base_url, found.keys_from_elsewhere);
  if (!allowed) {
    found.discovered.keys.clear();
    found.discovered.refusal = allowed.error().message;
  }
  return std::move(found.discovered);
}

Result<void> CheckKeyDestination(const Env& env, std::string_view provider,
                                 std::string_view base_url) {
  Found found = Find(env, provider);
  if (found.discovered.keys.empty()) return Ok();
  return CheckDestination(env, provider, base_url, found.keys_from_elsewhere);
}

void RedactSecret(std::string& text, const Secret& secret) {
  const std::string_view key = secret.Reveal();
  if (key.empty()) return;
  for (size_t at = text.find(key); at != std::string::npos;
       at = text.find(key, at + kRedacted.size())) {
    text.replace(at, key.size(), kRedacted);
  }
  const size_t shortest = std::min(kMinRedactedStart, key.size());
  for (size_t length = std::min(key.size() - 1, text.size()); length >= shortest; --length) {
    if (std::string_view(text).ends_with(key.substr(0, length))) {
      text.replace(text.size() - length, length, kRedacted);
      return;
    }
  }
}

}  // namespace hfs::keys
