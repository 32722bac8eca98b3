// tools/emulator/personality.cc
#include "tools/emulator/personality.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace hfs::emulator {
namespace {

using nlohmann::json;

constexpr double kDaySeconds = 86400;

// Trims trailing zeros (and a trailing dot) of a fixed-point number.
std::string Trim(std::string text) {
  if (text.find('.') == std::string::npos) return text;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

// Index of the rule of `kind` with the longest (or shortest) window; -1 if none.
int PickRule(const Admission& admission, LimitKind kind, bool longest) {
  int best = -1;
  for (size_t i = 0; i < admission.windows.size(); ++i) {
    const LimitRule& rule = admission.windows[i].rule;
    if (rule.kind != kind) continue;
    if (best < 0) {
      best = static_cast<int>(i);
      continue;
    }
    const double other = admission.windows[best].rule.window_seconds;
    if (longest ? rule.window_seconds > other : rule.window_seconds < other) {
      best = static_cast<int>(i);
    }
  }
  return best;
}

std::string FloatSeconds(Duration d) { return fmt::format("{:.2f}", std::max(0.0, Seconds(d))); }

int64_t CeilSeconds(Duration d) {
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(Seconds(d))));
}

// "tokens per minute (TPM)", "requests per day (RPD)", "requests per 10s": the window as
// enforced, so with a window scale of 1/60 a minute rule is "requests per 1s", agreeing
// with the reset and retry times.
std::string RuleName(const LimitRule& rule, double window_scale) {
  const bool requests = rule.kind == LimitKind::kRequests;
  const std::string what = requests ? "requests" : "tokens";
  const char letter = requests ? 'R' : 'T';
  const double seconds = std::round(rule.window_seconds * window_scale * 1000) / 1000;
  if (seconds == 60) return fmt::format("{} per minute ({}PM)", what, letter);
  if (seconds == 3600) return fmt::format("{} per hour ({}PH)", what, letter);
  if (seconds == kDaySeconds) return fmt::format("{} per day ({}PD)", what, letter);
  return fmt::format("{} per {}s", what, Trim(fmt::format("{:.3f}", seconds)));
}

const WindowStatus& Violated(const Admission& admission) {
  return admission.windows.at(static_cast<size_t>(std::max(0, admission.violated)));
}

Reply JsonReply(int status, const json& body) {
  return Reply{.status = status, .body = body.dump(-1, ' ', false, json::error_handler_t::replace)};
}

std::string GeminiStatus(int status) {
  switch (status) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 503:
      return "UNAVAILABLE";
    default:
      return "INTERNAL";
  }
}

std::string GeminiQuotaId(const LimitRule& rule) {
  if (rule.kind == LimitKind::kTokens)
    return "GenerateContentInputTokensPerModelPerMinute-FreeTier";
  if (rule.window_seconds >= kDaySeconds)
    return "GenerateRequestsPerDayPerProjectPerModel-FreeTier";
  return "GenerateRequestsPerMinutePerProjectPerModel-FreeTier";
}

Reply GroqRateLimited(const Admission& admission, std::string_view model) {
  const WindowStatus& w = Violated(admission);
  const bool tokens = w.rule.kind == LimitKind::kTokens;
  const std::string message = fmt::format(
      "Rate limit reached for model `{}` in organization `org_emulator` service tier `on_demand` "
      "on {}: Limit {}, Used {}, Requested {}. Please try again in {}. Need more tokens? Upgrade "
      "to Dev Tier today at https://console.groq.com/settings/billing",
      model, RuleName(w.rule, admission.window_scale), w.rule.limit, w.used,
      tokens ? admission.requested_tokens : 1, GoDuration(admission.retry_after, 3));
  return JsonReply(429, {{"error",
                          {{"message", message},
                           {"type", tokens ? "tokens" : "requests"},
                           {"code", "rate_limit_exceeded"}}}});
}

Reply GeminiRateLimited(const Admission& admission, std::string_view model) {
  const WindowStatus& w = Violated(admission);
  const json violation = {{"quotaMetric", w.rule.kind == LimitKind::kTokens
                                              ? "generativelanguage.googleapis.com/"
                                                "generate_content_free_tier_input_token_count"
                                              : "generativelanguage.googleapis.com/"
                                                "generate_content_free_tier_requests"},
                          {"quotaId", GeminiQuotaId(w.rule)},
                          {"quotaDimensions", {{"location", "global"}, {"model", model}}},
                          {"quotaValue", std::to_string(w.rule.limit)}};
  const json details = json::array(
      {{{"@type", "type.googleapis.com/google.rpc.QuotaFailure"}, {"violations", {violation}}},
       {{"@type", "type.googleapis.com/google.rpc.RetryInfo"},
        {"retryDelay", ProtoDuration(admission.retry_after)}}});
  const std::string message = fmt::format(
      "You exceeded your current quota, please check your plan and billing details. Quota "
      "exceeded for metric: {}, limit: {}, model: {}. Please retry in {}.",
      violation["quotaMetric"].get<std::string>(), w.rule.limit, model,
      ProtoDuration(admission.retry_after));
  return JsonReply(429, json::array({{{"error",
                                       {{"code", 429},
                                        {"message", message},
                                        {"status", "RESOURCE_EXHAUSTED"},
                                        {"details", details}}}}}));
}

std::vector<Header> OpenRouterHeaders(const Admission& admission, Timestamp now) {
  int index = PickRule(admission, LimitKind::kRequests, /*longest=*/false);
  if (admission.violated >= 0) index = admission.violated;
  if (index < 0) return {};
  const WindowStatus& w = admission.windows[index];
  const auto reset_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>((now + w.reset).time_since_epoch());
  return {{"X-RateLimit-Limit", std::to_string(w.rule.limit)},
          {"X-RateLimit-Remaining", std::to_string(w.remaining)},
          {"X-RateLimit-Reset", std::to_string(reset_ms.count())}};
}

Reply OpenRouterRateLimited(const Admission& admission, std::string_view model, Timestamp now) {
  const WindowStatus& w = Violated(admission);
  if (w.rule.upstream) {
    const std::string raw = fmt::format(
        "{} is temporarily rate-limited upstream. Please retry shortly, or add your own key to "
        "accumulate your rate limits: https://openrouter.ai/settings/integrations",
        model);
    return JsonReply(429, {{"error",
                            {{"message", "Provider returned error"},
                             {"code", 429},
                             {"metadata", {{"raw", raw}, {"provider_name", "Google AI Studio"}}}}},
                           {"user_id", "user_emulator"}});
  }
  json headers = json::object();
  for (const auto& [name, value] : OpenRouterHeaders(admission, now)) headers[name] = value;
  const std::string which =
      w.rule.window_seconds >= kDaySeconds ? "free-models-per-day" : "free-models-per-min";
  Reply reply =
      JsonReply(429, {{"error",
                       {{"message", fmt::format("Rate limit exceeded: {}. ", which)},
                        {"code", 429},
                        {"metadata", {{"headers", headers}, {"provider_name", nullptr}}}}},
                      {"user_id", "user_emulator"}});
  return reply;
}

}  // namespace

std::string_view PersonalityName(Personality personality) {
  switch (personality) {
    case Personality::kCerebras:
      return "cerebras";
    case Personality::kGroq:
      return "groq";
    case Personality::kGemini:
      return "gemini";
    case Personality::kOpenRouter:
      return "openrouter";
    case Personality::kPlain:
      break;
  }
  return "plain";
}

std::optional<Personality> ParsePersonality(std::string_view name) {
  for (Personality p : {Personality::kPlain, Personality::kCerebras, Personality::kGroq,
                        Personality::kGemini, Personality::kOpenRouter}) {
    if (PersonalityName(p) == name) return p;
  }
  return std::nullopt;
}

std::string_view DefaultPrefix(Personality personality) {
  switch (personality) {
    case Personality::kCerebras:
      return "/cerebras/v1";
    case Personality::kGroq:
      return "/groq/openai/v1";
    case Personality::kGemini:
      return "/gemini/v1beta/openai";
    case Personality::kOpenRouter:
      return "/openrouter/api/v1";
    case Personality::kPlain:
      break;
  }
  return "/v1";
}

std::string GoDuration(Duration duration, int decimals) {
  if (duration <= Duration::zero()) return "0s";
  const double scale = std::pow(10.0, decimals);
  const double total = std::round(Seconds(duration) * scale) / scale;
  if (total < 1.0) {
    return Trim(fmt::format("{:.{}f}", total * 1000, std::max(0, decimals - 3))) + "ms";
  }
  const auto hours = static_cast<int64_t>(total / 3600);
  const auto minutes = static_cast<int64_t>((total - hours * 3600.0) / 60);
  const double seconds = total - hours * 3600.0 - minutes * 60.0;
  std::string text;
  if (hours > 0) text += fmt::format("{}h", hours);
  if (hours > 0 || minutes > 0) text += fmt::format("{}m", minutes);
  return text + Trim(fmt::format("{:.{}f}", seconds, decimals)) + "s";
}

std::string ProtoDuration(Duration duration) {
  if (duration <= Duration::zero()) return "0s";
  return Trim(fmt::format("{:.9f}", Seconds(duration))) + "s";
}

std::vector<Header> RateLimitHeaders(Personality personality, const Admission& admission,
                                     Timestamp now) {
  const int requests = PickRule(admission, LimitKind::kRequests, /*longest=*/true);
  const int tokens = PickRule(admission, LimitKind::kTokens, /*longest=*/false);
  std::vector<Header> headers;
  auto add = [&](int index, std::string_view suffix, bool go_style) {
    if (index < 0) return;
    const WindowStatus& w = admission.windows[index];
    const std::string reset = go_style ? GoDuration(w.reset) : FloatSeconds(w.reset);
    headers.push_back({fmt::format("x-ratelimit-limit-{}", suffix), std::to_string(w.rule.limit)});
    headers.push_back(
        {fmt::format("x-ratelimit-remaining-{}", suffix), std::to_string(w.remaining)});
    headers.push_back({fmt::format("x-ratelimit-reset-{}", suffix), reset});
  };
  switch (personality) {
    case Personality::kGroq:
    case Personality::kPlain:
      add(requests, "requests", true);
      add(tokens, "tokens", true);
      break;
    case Personality::kCerebras:
      add(requests, "requests-day", false);
      add(tokens, "tokens-minute", false);
      break;
    case Personality::kOpenRouter:
      if (!admission.admitted && !Violated(admission).rule.upstream) {
        headers = OpenRouterHeaders(admission, now);
      }
      break;
    case Personality::kGemini:
      break;
  }
  return headers;
}

Reply RateLimitedReply(Personality personality, const Admission& admission, std::string_view model,
                       Timestamp now) {
  Reply reply;
  switch (personality) {
    case Personality::kGroq:
    case Personality::kPlain:
      reply = GroqRateLimited(admission, model);
      break;
    case Personality::kGemini:
      reply = GeminiRateLimited(admission, model);
      break;
    case Personality::kOpenRouter:
      reply = OpenRouterRateLimited(admission, model, now);
      break;
    case Personality::kCerebras: {
      const WindowStatus& w = Violated(admission);
      reply = JsonReply(
          429, {{"message", fmt::format("{} limit exceeded - too many {} sent.",
                                        RuleName(w.rule, admission.window_scale),
                                        w.rule.kind == LimitKind::kTokens ? "tokens" : "requests")},
                {"type", "too_many_requests_error"},
                {"param", "quota"},
                {"code", w.rule.kind == LimitKind::kTokens ? "token_quota_exceeded"
                                                           : "request_quota_exceeded"}});
      break;
    }
  }
  reply.headers = RateLimitHeaders(personality, admission, now);
  if (personality == Personality::kGroq || personality == Personality::kPlain) {
    reply.headers.push_back({"retry-after", std::to_string(CeilSeconds(admission.retry_after))});
  }
  return reply;
}

Reply UnauthorizedReply(Personality personality) {
  switch (personality) {
    case Personality::kCerebras:
      return JsonReply(401, {{"message", "Wrong API Key"},
                             {"type", "invalid_request_error"},
                             {"param", "api_key"},
                             {"code", "wrong_api_key"}});
    case Personality::kGemini:
      return JsonReply(
          401, json::array({{{"error",
                              {{"code", 401},
                               {"message", "API key not valid. Please pass a valid API key."},
                               {"status", "UNAUTHENTICATED"}}}}}));
    case Personality::kOpenRouter:
      return JsonReply(401, {{"error", {{"message", "User not found."}, {"code", 401}}}});
    case Personality::kGroq:
    case Personality::kPlain:
      break;
  }
  return JsonReply(401, {{"error",
                          {{"message", "Invalid API Key"},
                           {"type", "invalid_request_error"},
                           {"code", "invalid_api_key"}}}});
}

Reply ForbiddenReply(Personality personality) {
  return ErrorReply(personality, 403,
                    "This API key has been revoked or its organization is restricted.",
                    "permission_denied");
}

Reply ErrorReply(Personality personality, int status, std::string_view message,
                 std::string_view code) {
  switch (personality) {
    case Personality::kCerebras:
      return JsonReply(status, {{"message", message},
                                {"type", status >= 500 ? "server_error" : "invalid_request_error"},
                                {"param", ""},
                                {"code", code}});
    case Personality::kGemini:
      return JsonReply(
          status,
          json::array(
              {{{"error",
                 {{"code", status}, {"message", message}, {"status", GeminiStatus(status)}}}}}));
    case Personality::kOpenRouter:
      return JsonReply(status, {{"error", {{"message", message}, {"code", status}}}});
    case Personality::kGroq:
    case Personality::kPlain:
      break;
  }
  return JsonReply(status,
                   {{"error",
                     {{"message", message},
                      {"type", status >= 500 ? "internal_server_error" : "invalid_request_error"},
                      {"code", code}}}});
}

Reply ToolUseFailedReply(std::string_view failed_generation, std::string_view message) {
  return JsonReply(400, {{"error",
                          {{"message", message},
                           {"type", "invalid_request_error"},
                           {"code", "tool_use_failed"},
                           {"failed_generation", failed_generation}}}});
}

}  // namespace hfs::emulator
