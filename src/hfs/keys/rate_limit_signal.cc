#include "hfs/keys/rate_limit_signal.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "hfs/base/text.h"
#include "hfs/keys/duration_text.h"

namespace hfs::keys {
namespace {

using nlohmann::json;

constexpr Duration kMinute = std::chrono::minutes(1);
constexpr Duration kHour = std::chrono::hours(1);
constexpr Duration kDay = std::chrono::hours(24);
// Plain numeric resets at least this large are Unix times (ms, else seconds), not deltas.
constexpr int64_t kEpochMillisFloor = 1'000'000'000'000;
// The latest Unix time in ms a Timestamp (int64 nanoseconds) holds; later ones are not read.
constexpr int64_t kEpochMillisCeiling = std::numeric_limits<int64_t>::max() / 1'000'000;
constexpr Duration kEpochSecondsFloor = std::chrono::seconds(1'000'000'000);

std::string_view Trim(std::string_view text) {
  const char* kSpace = " \t\r\n";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool ContainsAny(std::string_view text, std::initializer_list<std::string_view> parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [&](std::string_view p) { return Contains(text, p); });
}

// Statuses whose Retry-After (and retry hints in the body) HFS honours: 429, 503, and
// 529, the "overloaded" some gateways send.
bool IsThrottled(int status) { return status == 429 || status == 503 || status == 529; }

Duration Until(Timestamp now, Timestamp then) { return std::max(Duration::zero(), then - now); }

// "5810" (or "5810.0") as a count.
std::optional<int64_t> ParseCount(std::string_view text) {
  text = Trim(text);
  const char* end = text.data() + text.size();
  int64_t value = 0;
  if (auto [ptr, ec] = std::from_chars(text.data(), end, value); ec == std::errc() && ptr == end) {
    return value;
  }
  double real = 0;
  auto [ptr, ec] = std::from_chars(text.data(), end, real);
  if (ec != std::errc() || ptr != end || !std::isfinite(real) || std::fabs(real) > 9e18) {
    return std::nullopt;
  }
  return static_cast<int64_t>(real);
}

// A reset value: a Unix time in ms or seconds, a duration ("1.57s", "11.38") or an HTTP-date.
std::optional<Duration> ParseReset(std::string_view text, Timestamp now) {
  text = Trim(text);
  const char* end = text.data() + text.size();
  int64_t whole = 0;
  if (auto [ptr, ec] = std::from_chars(text.data(), end, whole);
      ec == std::errc() && ptr == end && whole >= kEpochMillisFloor) {
    if (whole > kEpochMillisCeiling) return std::nullopt;
    return Until(now, Timestamp(std::chrono::milliseconds(whole)));
  }
  if (std::optional<Duration> duration = ParseDurationText(text)) {
    bool bare = std::none_of(text.begin(), text.end(),
                             [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
    if (bare && *duration >= kEpochSecondsFloor) return Until(now, Timestamp(*duration));
    return duration;
  }
  if (std::optional<Timestamp> date = ParseHttpDate(text)) return Until(now, *date);
  return std::nullopt;
}

// The raw header values of one reported limit.
struct LimitHeaders {
  bool plain = false;  // x-ratelimit-limit etc., without a kind
  LimitKind kind = LimitKind::kRequests;
  std::optional<Duration> window;
  std::optional<std::string_view> limit, remaining, reset;
};

std::optional<Duration> WindowNamed(std::string_view name) {
  if (name == "minute" || name == "min") return kMinute;
  if (name == "hour") return kHour;
  if (name == "day") return kDay;
  return std::nullopt;
}

enum class HeaderField { kLimit, kRemaining, kReset };

// A "x-ratelimit-<field>[-<kind>[-<window>]]" (or "ratelimit-...") header name, lower case:
// which field of which limit it carries.
std::optional<std::pair<HeaderField, LimitHeaders>> NameLimitHeader(std::string_view provider,
                                                                    std::string_view name) {
  if (name.starts_with("x-")) name.remove_prefix(2);
  if (!name.starts_with("ratelimit-")) return std::nullopt;
  name.remove_prefix(10);
  std::vector<std::string_view> parts;
  for (size_t dash; (dash = name.find('-')) != std::string_view::npos;
       name.remove_prefix(dash + 1)) {
    parts.push_back(name.substr(0, dash));
  }
  parts.push_back(name);
  if (parts.size() > 3) return std::nullopt;
  HeaderField field = parts[0] == "limit"       ? HeaderField::kLimit
                      : parts[0] == "remaining" ? HeaderField::kRemaining
                                                : HeaderField::kReset;
  if (field == HeaderField::kReset && parts[0] != "reset") return std::nullopt;
  LimitHeaders key{.plain = parts.size() == 1};
  if (parts.size() >= 2) {
    if (parts[1] != "requests" && parts[1] != "tokens") return std::nullopt;
    key.kind = parts[1] == "requests" ? LimitKind::kRequests : LimitKind::kTokens;
  }
  if (parts.size() == 3) {
    key.window = WindowNamed(parts[2]);
    if (!key.window) return std::nullopt;
  } else if (parts.size() == 2 && provider == "groq") {
    key.window = key.kind == LimitKind::kRequests ? kDay : kMinute;  // RPD and TPM
  }
  return std::pair(field, key);
}

// Files one header's value into the group of its limit; the first value of a field wins.
void FileHeader(std::string_view provider, const std::string& lower_name, std::string_view value,
                std::vector<LimitHeaders>& groups) {
  std::optional<std::pair<HeaderField, LimitHeaders>> named = NameLimitHeader(provider, lower_name);
  if (!named) return;
  const LimitHeaders& key = named->second;
  auto group = std::find_if(groups.begin(), groups.end(), [&](const LimitHeaders& g) {
    return g.plain == key.plain && g.kind == key.kind && g.window == key.window;
  });
  if (group == groups.end()) group = groups.insert(groups.end(), key);
  std::optional<std::string_view>& slot = named->first == HeaderField::kLimit ? group->limit
                                          : named->first == HeaderField::kRemaining
                                              ? group->remaining
                                              : group->reset;
  if (!slot) slot = value;
}

struct HeaderFacts {
  std::vector<LimitObservation> observations;
  // The plain (kind-less) reset, OpenRouter's X-RateLimit-Reset.
  std::optional<Duration> plain_reset;
};

HeaderFacts ReadLimitHeaders(std::string_view provider, const net::Headers& headers,
                             Timestamp now) {
  std::vector<LimitHeaders> groups;
  for (const auto& [name, value] : headers.all())
    FileHeader(provider, AsciiLower(name), value, groups);
  HeaderFacts facts;
  for (const LimitHeaders& group : groups) {
    LimitObservation seen{.kind = group.kind, .window = group.window};
    if (group.limit) seen.limit = ParseCount(*group.limit);
    if (group.remaining) seen.remaining = ParseCount(*group.remaining);
    if (group.reset) seen.reset_after = ParseReset(*group.reset, now);
    if (!seen.limit && !seen.remaining && !seen.reset_after) continue;
    if (group.plain) facts.plain_reset = seen.reset_after;
    facts.observations.push_back(seen);
  }
  return facts;
}

// What an error body says, before it is merged into the signal.
struct BodyFacts {
  std::optional<Duration> retry_after;
  QuotaScope scope = QuotaScope::kUnknown;
  std::optional<LimitKind> exhausted;
  bool upstream = false;
  std::string text;  // messages and other prose, lower-cased, to scan for phrases
  // OpenRouter's metadata.raw, lower-cased: the upstream provider's words, read only for
  // "rate-limited upstream" and a retry time (its quota names are not our key's).
  std::string upstream_text;
  // The limit the message states, with its window (Groq).
  std::optional<LimitObservation> stated;
};

const json* Field(const json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

std::string_view StringField(const json& object, const char* name) {
  const json* field = Field(object, name);
  return field != nullptr && field->is_string()
             ? std::string_view(field->get_ref<const std::string&>())
             : std::string_view();
}

QuotaScope ScopeOfQuotaId(std::string_view id) {
  if (Contains(id, "PerDay")) return QuotaScope::kPerDay;
  if (Contains(id, "PerMinute")) return QuotaScope::kPerMinute;
  return QuotaScope::kUnknown;
}

std::optional<LimitKind> KindOfQuota(std::string_view id, std::string_view metric) {
  std::string text = AsciiLower(id) + " " + AsciiLower(metric);
  if (Contains(text, "token")) return LimitKind::kTokens;
  if (Contains(text, "request")) return LimitKind::kRequests;
  return std::nullopt;
}

// google.rpc.QuotaFailure: the violation with the longest window decides.
void ReadQuotaFailure(const json& detail, BodyFacts& facts) {
  const json* violations = Field(detail, "violations");
  if (violations == nullptr || !violations->is_array()) return;
  for (const json& violation : *violations) {
    std::string_view id = StringField(violation, "quotaId");
    QuotaScope scope = ScopeOfQuotaId(id);
    std::optional<LimitKind> kind = KindOfQuota(id, StringField(violation, "quotaMetric"));
    if (scope > facts.scope) {
      facts.scope = scope;
      facts.exhausted = kind;
    } else if (scope == facts.scope && !facts.exhausted) {
      facts.exhausted = kind;
    }
  }
}

// google.rpc.RetryInfo: retryDelay as "34.4s" or {"seconds": 34, "nanos": 400000000}.
void ReadRetryInfo(const json& detail, BodyFacts& facts) {
  const json* delay = Field(detail, "retryDelay");
  if (delay == nullptr) return;
  if (delay->is_string()) {
    facts.retry_after = ParseDurationText(delay->get_ref<const std::string&>());
    return;
  }
  const json* seconds = Field(*delay, "seconds");
  const json* nanos = Field(*delay, "nanos");
  if (seconds != nullptr && seconds->is_number_integer() && seconds->get<int64_t>() >= 0 &&
      seconds->get<int64_t>() < 1'000'000'000) {
    int64_t extra = nanos != nullptr && nanos->is_number_integer() ? nanos->get<int64_t>() : 0;
    facts.retry_after = std::chrono::seconds(seconds->get<int64_t>()) +
                        Duration(std::clamp<int64_t>(extra, 0, 999'999'999));
  }
}

void ReadGoogleDetails(const json& error, BodyFacts& facts) {
  const json* details = Field(error, "details");
  if (details == nullptr || !details->is_array()) return;
  for (const json& detail : *details) {
    std::string_view type = StringField(detail, "@type");
    if (type.ends_with("google.rpc.QuotaFailure")) ReadQuotaFailure(detail, facts);
    if (type.ends_with("google.rpc.RetryInfo")) ReadRetryInfo(detail, facts);
  }
}

// OpenRouter: metadata.raw (the upstream's words), provider_name, headers, limit_source.
void ReadOpenRouterMetadata(const json& error, int status, BodyFacts& facts,
                            net::Headers& body_headers) {
  const json* metadata = Field(error, "metadata");
  if (metadata == nullptr || !metadata->is_object()) return;
  facts.upstream_text = AsciiLower(StringField(*metadata, "raw"));
  facts.text += ' ';  // two appends: g++ 12 -O3 misreads `" " + string` (-Wrestrict)
  facts.text += AsciiLower(StringField(*metadata, "limit_source"));
  if (status == 429 && !StringField(*metadata, "provider_name").empty()) facts.upstream = true;
  const json* headers = Field(*metadata, "headers");
  if (headers == nullptr || !headers->is_object()) return;
  for (const auto& [name, value] : headers->items()) {
    if (value.is_string()) body_headers.Add(name, value.get<std::string>());
    if (value.is_number()) body_headers.Add(name, value.dump());
  }
}

// The duration after "try again in" / "retry in" / "retry after" in `text`.
std::optional<Duration> RetryPhrase(std::string_view text) {
  for (std::string_view lead : {"try again in ", "retry in ", "retry after "}) {
    size_t at = text.find(lead);
    if (at == std::string_view::npos) continue;
    std::string_view rest = text.substr(at + lead.size());
    std::string_view word = rest.substr(0, rest.find_first_of(" \t\r\n,;)\"'"));
    while (word.ends_with('.')) word.remove_suffix(1);
    if (std::optional<Duration> wait = ParseDurationText(word)) return wait;
  }
  return std::nullopt;
}

// The limit a message states with its window, as Groq words it: "on tokens per minute
// (TPM): Limit 7500, Used ..." or "on requests per day (RPD): Limit 1000, ...". A window
// may also be written as a duration ("requests per 10s").
std::optional<LimitObservation> StatedLimit(std::string_view text) {
  constexpr size_t kMaxGap = 24;  // from the window's name to "limit N"
  for (LimitKind kind : {LimitKind::kRequests, LimitKind::kTokens}) {
    const std::string_view lead = kind == LimitKind::kRequests ? "requests per " : "tokens per ";
    const size_t at = text.find(lead);
    if (at == std::string_view::npos) continue;
    const std::string_view rest = text.substr(at + lead.size());
    std::string_view word = rest.substr(0, rest.find_first_of(" \t(:,;)\"'"));
    while (word.ends_with('.')) word.remove_suffix(1);
    std::optional<Duration> window = WindowNamed(word);
    if (!window) window = ParseDurationText(word);
    const size_t limit_at = rest.find("limit ");
    if (!window || *window <= Duration::zero() || limit_at > kMaxGap) continue;
    std::string_view digits = rest.substr(limit_at + 6);
    digits = digits.substr(0, digits.find_first_not_of("0123456789"));
    std::optional<int64_t> limit = digits.empty() ? std::nullopt : ParseCount(digits);
    if (!limit || *limit <= 0) continue;
    return LimitObservation{.kind = kind, .window = window, .limit = limit};
  }
  return std::nullopt;
}

// Phrases in lower-cased prose; they only fill what structured fields left open.
void ReadPhrases(BodyFacts& facts) {
  const std::string& text = facts.text;
  if (facts.scope == QuotaScope::kUnknown) {
    if (ContainsAny(text, {"per day", "per-day", "perday", "(rpd)", "(tpd)", "daily"})) {
      facts.scope = QuotaScope::kPerDay;
    } else if (ContainsAny(text, {"per minute", "per-min", "perminute", "(rpm)", "(tpm)"})) {
      facts.scope = QuotaScope::kPerMinute;
    }
  }
  if (!facts.exhausted) {
    if (ContainsAny(text, {"tokens per ", "(tpm)", "(tpd)"})) {
      facts.exhausted = LimitKind::kTokens;
    } else if (ContainsAny(text, {"requests per ", "(rpm)", "(rpd)", "free-models-per-"})) {
      facts.exhausted = LimitKind::kRequests;
    }
  }
  facts.stated = StatedLimit(text);
  if (!facts.retry_after) facts.retry_after = RetryPhrase(text);
  if (!facts.retry_after) facts.retry_after = RetryPhrase(facts.upstream_text);
  for (std::string_view words : {std::string_view(text), std::string_view(facts.upstream_text)}) {
    if (ContainsAny(words, {"rate-limited upstream", "rate limited upstream"})) {
      facts.upstream = true;
    }
  }
}

// The error object of `root`: [{"error": {...}}], {"error": {...}} or a bare {...}.
const json* ErrorObject(const json& root) {
  const json* top = &root;
  if (root.is_array()) {
    auto first =
        std::find_if(root.begin(), root.end(), [](const json& e) { return e.is_object(); });
    if (first == root.end()) return nullptr;
    top = &*first;
  }
  if (!top->is_object()) return nullptr;
  const json* error = Field(*top, "error");
  return error != nullptr && error->is_object() ? error : top;
}

BodyFacts ReadErrorBody(std::string_view body, int status, net::Headers& body_headers) {
  BodyFacts facts;
  json root = json::parse(body, nullptr, false);
  if (root.is_discarded()) return facts;
  const json* error = ErrorObject(root);
  if (error == nullptr) return facts;
  const json* top_error = root.is_object() ? Field(root, "error") : nullptr;
  if (top_error != nullptr && top_error->is_string()) {
    facts.text = AsciiLower(top_error->get_ref<const std::string&>());  // {"error": "Too many ..."}
  }
  facts.text += ' ';
  facts.text += AsciiLower(StringField(*error, "message"));
  ReadGoogleDetails(*error, facts);
  std::string_view type = StringField(*error, "type");
  if (type == "tokens") facts.exhausted = LimitKind::kTokens;
  if (type == "requests") facts.exhausted = LimitKind::kRequests;
  ReadOpenRouterMetadata(*error, status, facts, body_headers);
  ReadPhrases(facts);
  return facts;
}

// On a 429 the body did not name: the observation with nothing left that resets last.
void InferFromExhaustedObservation(RateLimitSignal& signal) {
  const LimitObservation* binding = nullptr;
  for (const LimitObservation& seen : signal.observations) {
    if (!seen.remaining || *seen.remaining > 0) continue;
    if (binding == nullptr || seen.reset_after.value_or(Duration::zero()) >
                                  binding->reset_after.value_or(Duration::zero())) {
      binding = &seen;
    }
  }
  if (binding == nullptr) return;
  if (!signal.exhausted) signal.exhausted = binding->kind;
  if (signal.quota_scope == QuotaScope::kUnknown && binding->window == kMinute) {
    signal.quota_scope = QuotaScope::kPerMinute;
  }
  if (signal.quota_scope == QuotaScope::kUnknown && binding->window == kDay) {
    signal.quota_scope = QuotaScope::kPerDay;
  }
}

}  // namespace

std::optional<Duration> RateLimitSignal::CooldownHint() const {
  if (retry_after) return retry_after;
  std::optional<Duration> latest;
  for (const LimitObservation& seen : observations) {
    if (seen.remaining && *seen.remaining <= 0 && seen.reset_after) {
      latest = std::max(latest.value_or(Duration::zero()), *seen.reset_after);
    }
  }
  return latest;
}

RateLimitSignal ParseRateLimitSignal(std::string_view provider, int http_status,
                                     const net::Headers& headers, std::string_view body,
                                     Timestamp now) {
  RateLimitSignal signal;
  HeaderFacts facts = ReadLimitHeaders(provider, headers, now);
  std::optional<LimitObservation> stated;
  if (IsThrottled(http_status)) {
    if (std::optional<std::string_view> value = headers.Get("retry-after")) {
      signal.retry_after = ParseRetryAfter(*value, now);
    }
  }
  if (http_status >= 400) {
    net::Headers body_headers;
    BodyFacts said = ReadErrorBody(body, http_status, body_headers);
    if (facts.observations.empty()) facts = ReadLimitHeaders(provider, body_headers, now);
    if (IsThrottled(http_status) && !signal.retry_after) signal.retry_after = said.retry_after;
    signal.quota_scope = said.scope;
    signal.exhausted = said.exhausted;
    signal.upstream = said.upstream;
    if (http_status == 429 && !said.upstream) stated = said.stated;
  }
  signal.observations = std::move(facts.observations);
  // A limit only the 429 message names (Groq's RPM is in no header) is an observation too,
  // unless a header already reported that limit.
  if (stated && std::none_of(signal.observations.begin(), signal.observations.end(),
                             [&](const LimitObservation& seen) {
                               return seen.kind == stated->kind && seen.window == stated->window;
                             })) {
    signal.observations.push_back(*stated);
  }
  if (IsThrottled(http_status) && !signal.retry_after && !signal.upstream) {
    signal.retry_after = facts.plain_reset;
  }
  if (http_status == 429) InferFromExhaustedObservation(signal);
  return signal;
}

}  // namespace hfs::keys
