#include "hfs/state/claim_lease.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include "hfs/base/try.h"
#include "hfs/state/agent_registry.h"
#include "hfs/state/internal/utf8.h"
#include "hfs/state/work_item.h"

namespace hfs::state {
namespace {

using std::chrono::seconds;

constexpr int64_t kMaxPid = 2147483647;
// Longer leases are cut to this (a Timestamp ends in 2262).
constexpr std::chrono::hours kLongestLease{24 * 365 * 10};

// The words of `text`, split on spaces and tabs.
std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t start = 0;
  while (true) {
    start = text.find_first_not_of(" \t", start);
    if (start == std::string_view::npos) return words;
    size_t end = text.find_first_of(" \t", start);
    words.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return words;
    start = end;
  }
}

template <class Number>
std::optional<Number> ParseNumber(std::string_view text, size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  Number number{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

tl::unexpected<Error> Bad(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

// Sets one `key=value` field of the lease; an error names what is wrong.
Result<void> SetField(std::string_view key, std::string_view value, ClaimLease& lease,
                      ProcessRef& process) {
  std::string shown = internal::QuoteForMessage(value, 40);
  if (key == "until") {
    if (lease.until) return Bad("'until' is given twice");
    lease.until = ParseUtc(value);
    if (!lease.until) {
      return Bad(fmt::format("until={} is not a time like 2026-01-01T00:30:00Z", shown));
    }
  } else if (key == "pid") {
    if (process.pid != 0) return Bad("'pid' is given twice");
    std::optional<int64_t> pid = ParseNumber<int64_t>(value, 10);
    if (!pid || *pid <= 0 || *pid > kMaxPid) {
      return Bad(fmt::format("pid={} is not a process id", shown));
    }
    process.pid = *pid;
  } else if (key == "host") {
    if (!process.host.empty()) return Bad("'host' is given twice");
    if (value.empty() || CleanHostName(value) != value) {
      return Bad(fmt::format("host={} is not a host name", shown));
    }
    process.host = std::string(value);
  } else if (key == "start") {
    if (process.start != 0) return Bad("'start' is given twice");
    std::optional<uint64_t> start = ParseNumber<uint64_t>(value, 20);
    if (!start || *start == 0) {
      return Bad(fmt::format("start={} is not a process start time", shown));
    }
    process.start = *start;
  } else {
    return Bad(fmt::format("unknown lease field '{}'", internal::QuoteForMessage(key, 20)));
  }
  return Ok();
}

}  // namespace

Result<ClaimMarker> ParseClaimMarker(std::string_view inside) {
  std::vector<std::string_view> words = Words(inside);
  if (words.empty()) return Bad("the claim marker names no agent");
  ClaimMarker marker;
  if (!CheckAgentId(words[0])) {
    return Bad(fmt::format("'{}' is not an agent id", internal::QuoteForMessage(inside, 40)));
  }
  marker.agent_id = std::string(words[0]);
  ProcessRef process;
  for (size_t i = 1; i < words.size(); ++i) {
    size_t equals = words[i].find('=');
    if (equals == std::string_view::npos) {
      return Bad(fmt::format("'{}' is not an agent id", internal::QuoteForMessage(inside, 40)));
    }
    HFS_RETURN_IF_ERROR(
        SetField(words[i].substr(0, equals), words[i].substr(equals + 1), marker.lease, process));
  }
  bool any_process = process.pid != 0 || !process.host.empty() || process.start != 0;
  if (any_process && (process.pid == 0 || process.host.empty())) {
    return Bad("a lease names its process with both pid= and host=");
  }
  if (any_process) marker.lease.process = std::move(process);
  return marker;
}

std::string RenderClaimMarker(const ClaimMarker& marker) {
  std::string text = "[IP:" + marker.agent_id;
  if (marker.lease.until) text += " until=" + FormatUtc(*marker.lease.until);
  if (const std::optional<ProcessRef>& process = marker.lease.process) {
    text += fmt::format(" pid={} host={}", process->pid, process->host);
    if (process->start != 0) text += fmt::format(" start={}", process->start);
  }
  return text + "]";
}

ClaimLease LeaseFrom(Timestamp now, std::chrono::seconds lease_time, const ProcessRef& process) {
  ClaimLease lease;
  if (lease_time > seconds(0)) {
    // Rounded up, so that a lease never runs out before its full time.
    Timestamp until = now + std::min<Duration>(lease_time, kLongestLease);
    auto whole = std::chrono::ceil<seconds>(until.time_since_epoch());
    lease.until = Timestamp(std::chrono::duration_cast<Duration>(whole));
  }
  if (process.pid > 0 && !process.host.empty()) lease.process = process;
  return lease;
}

std::optional<std::string> StaleReason(const ClaimLease& lease, Timestamp now,
                                       const ProcessTable& processes) {
  if (lease.process && processes.State(*lease.process) == ProcessState::kGone) {
    return fmt::format("process {} on {} is gone", lease.process->pid, lease.process->host);
  }
  if (lease.until && now > *lease.until) {
    return fmt::format("its lease ran out at {}", FormatUtc(*lease.until));
  }
  return std::nullopt;
}

}  // namespace hfs::state
