// bench/key_rotation.cc
//
// hfs_bench_key_rotation: how much of the providers' rate-limit capacity key rotation
// uses, and how many 429s it provokes, under twice the load the keys can take.
//
// An in-process hfs-emulator serves one Groq-like provider with 51 keys, each allowed 30
// requests per minute (and 14400 per day, which never binds), with every window scaled so
// a minute lasts one second. Client threads call RotatingModel::Complete (KeyPool,
// ProviderClient, CurlTransport, SystemClock) at a fixed pace that offers twice the
// capacity for 12 windows; each call may take until the thread's next call is due. A call
// that gets no key by then fails with kResourceExhausted: rejected by us, it never reaches
// the emulator. A call whose deadline passes after it got a key (before or during its
// exchange) times out; --finish-exchanges lets every exchange that started finish instead.
//
// Two runs: first with the pool knowing no limits (it learns them from the provider's
// headers and 429s), then with the pool configured with the emulator's per-minute limit.
// Utilization = requests the emulator accepted / (keys x limit x windows elapsed).
//
//   hfs_bench_key_rotation [--windows N] [--threads N] [--load PERCENT] [--finish-exchanges]
//   key_rotation_learned: utilization=0.984 rate_limited=88 requests=18158
//   key_rotation: utilization=0.999 rate_limited=0 requests=18360
//
// Details of each run go to stderr; the last stdout line is the known-limits result.
#include <curl/curl.h>
#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench/harness.h"
#include "hfs/keys/key_pool.h"
#include "hfs/llm/provider_client.h"
#include "hfs/llm/rotating_model.h"
#include "hfs/net/curl_transport.h"

namespace hfs::bench {
namespace {

constexpr int kKeys = 51;
constexpr int kRequestsPerWindow = 30;
constexpr int kRequestsPerDay = 14400;  // Groq's RPD for the model; never reached here
constexpr double kMinuteSeconds = 60;
constexpr double kDaySeconds = 86400;
constexpr double kWindowScale = 1.0 / 60;  // a minute lasts one second
constexpr char kProvider[] = "groq";
constexpr char kPrefix[] = "/groq/openai/v1";
constexpr char kModel[] = "llama-3.1-8b-instant";

struct Settings {
  int windows = 12;
  int threads = 48;
  int load_percent = 200;  // offered load, percent of capacity
  // Lets an exchange run past its call's deadline, so no request is abandoned (a control
  // run: the emulator may count an abandoned request after the pool dated it).
  bool finish_exchanges = false;
};

// Gives every exchange the full client timeout, whatever its call's deadline leaves.
class FinishingTransport final : public net::Transport {
 public:
  explicit FinishingTransport(net::Transport& inner) : inner_(inner) {}
  Result<net::HttpResponse> Send(const net::HttpRequest& request,
                                 const net::BodyCallback& on_body) override {
    net::HttpRequest patient = request;
    patient.timeout = std::chrono::seconds(10);
    return inner_.Send(patient, on_body);
  }

 private:
  net::Transport& inner_;
};

enum class Limits { kLearned, kKnown };

Duration Window() {
  return std::chrono::duration_cast<Duration>(
      std::chrono::duration<double>(kMinuteSeconds * kWindowScale));
}

emulator::EmulatorOptions EmulatorSetup() {
  emulator::ProviderOptions groq{.name = kProvider,
                                 .personality = emulator::Personality::kGroq,
                                 .prefix = kPrefix,
                                 .keys = emulator::NumberedKeys(kProvider, kKeys),
                                 .default_limits = {{.kind = emulator::LimitKind::kRequests,
                                                     .limit = kRequestsPerWindow,
                                                     .window_seconds = kMinuteSeconds},
                                                    {.kind = emulator::LimitKind::kRequests,
                                                     .limit = kRequestsPerDay,
                                                     .window_seconds = kDaySeconds}}};
  emulator::EmulatorOptions options;
  options.window_scale = kWindowScale;
  options.providers.push_back(std::move(groq));
  return options;
}

keys::ProviderLimits PoolLimits(Limits limits) {
  keys::ProviderLimits table;
  if (limits == Limits::kKnown) {
    table.models[keys::kAnyModel] = {
        {.kind = keys::LimitKind::kRequests, .limit = kRequestsPerWindow, .window = Window()}};
  }
  return table;
}

llm::ChatRequest Request() {
  return {
      .model = kModel,
      .messages = {llm::Message::System("You are terse."), llm::Message::User("Name one colour.")},
      .max_tokens = 16};
}

struct CallCounts {
  std::atomic<int64_t> ok{0};
  std::atomic<int64_t> rejected{0};   // no key before the deadline
  std::atomic<int64_t> timed_out{0};  // a key, but the exchange ran past the deadline
  std::atomic<int64_t> failed{0};     // any other failure
};

// One client thread: a call at start + offset + k * period until `stop`, each allowed
// to take until the next one is due.
void Offer(llm::Model& model, Clock& clock, Timestamp start, Timestamp stop, Duration period,
           Duration offset, CallCounts& counts) {
  const llm::ChatRequest request = Request();
  for (int64_t k = 0;; ++k) {
    const Timestamp slot = start + offset + k * period;
    if (slot >= stop) return;
    clock.SleepFor(slot - clock.Now());
    Result<llm::ChatResponse> reply =
        model.Complete(request, {.phase = "bench", .deadline = slot + period});
    if (reply) {
      ++counts.ok;
    } else if (reply.error().code == ErrorCode::kResourceExhausted) {
      ++counts.rejected;
    } else if (reply.error().code == ErrorCode::kDeadlineExceeded) {
      ++counts.timed_out;
    } else if (counts.failed++ == 0) {
      std::fprintf(stderr, "first failed call: %s\n", reply.error().ToString().c_str());
    }
  }
}

// Which limits the pool ended up with, e.g. "51 buckets: 30 requests per 1 s, 14400
// requests per 86400 s".
void DescribeRules(Limits limits, keys::KeyPool& pool) {
  std::map<std::string, int> seen;
  for (const keys::BucketStatus& bucket : pool.Buckets()) {
    std::string rules;
    for (const auto& [rule, used] : bucket.usage) {
      rules += fmt::format("{}{} {} per {:g} s", rules.empty() ? "" : ", ", rule.limit,
                           rule.kind == keys::LimitKind::kRequests ? "requests" : "tokens",
                           Seconds(rule.window));
    }
    ++seen[rules.empty() ? "no limits" : rules];
  }
  for (const auto& [rules, count] : seen) {
    std::fprintf(stderr, "pool limits at the end (%s): %d bucket%s: %s\n",
                 limits == Limits::kKnown ? "configured" : "learned", count, count == 1 ? "" : "s",
                 rules.c_str());
  }
}

struct RunResult {
  emulator::Counters emulated;
  double windows = 0;
  int64_t capacity = 0;
  int64_t calls_ok = 0;
  int64_t calls_rejected = 0;
  int64_t calls_timed_out = 0;
  int64_t calls_failed = 0;

  double utilization() const {
    return static_cast<double>(emulated.accepted) / static_cast<double>(capacity);
  }
};

RunResult Run(Limits limits, const Settings& settings, const std::string& base_url,
              net::Transport& transport, emulator::Emulator& emulator, SystemClock& clock) {
  emulator.Reset();
  keys::KeyPool pool(
      {.provider = kProvider, .keys = EmulatorKeys(kProvider, kKeys), .limits = PoolLimits(limits)},
      clock);
  llm::ProviderClient client({.name = kProvider, .base_url = base_url + kPrefix}, transport, clock,
                             {.timeout = std::chrono::seconds(10)});
  llm::RotatingModel model(pool, client, clock);

  const Duration window = Window();
  const double offered_per_second =
      settings.load_percent / 100.0 * kKeys * kRequestsPerWindow / Seconds(window);
  const Duration period = std::chrono::duration_cast<Duration>(
      std::chrono::duration<double>(settings.threads / offered_per_second));
  const Timestamp start = clock.Now() + std::chrono::milliseconds(50);
  const Timestamp stop = start + settings.windows * window;
  CallCounts counts;
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < settings.threads; ++i) {
      const Duration offset = period * i / settings.threads;
      threads.emplace_back(
          [&, offset] { Offer(model, clock, start, stop, period, offset, counts); });
    }
  }
  const Timestamp end = clock.Now();
  DescribeRules(limits, pool);

  RunResult result;
  result.emulated = emulator.stats().Total();
  result.windows = Seconds(end - start) / Seconds(window);
  result.capacity = static_cast<int64_t>(kKeys * kRequestsPerWindow * result.windows);
  result.calls_ok = counts.ok;
  result.calls_rejected = counts.rejected;
  result.calls_timed_out = counts.timed_out;
  result.calls_failed = counts.failed;
  return result;
}

void Report(std::string_view name, std::string_view limits, const RunResult& result) {
  std::fprintf(
      stderr,
      "%s (%s): accepted %lld of capacity %lld (%.3f windows x %d keys x %d), "
      "429s %lld, other errors %lld, requests %lld; calls ok %lld, rejected by us "
      "%lld, timed out %lld, failed %lld\n",
      std::string(name).c_str(), std::string(limits).c_str(),
      static_cast<long long>(result.emulated.accepted), static_cast<long long>(result.capacity),
      result.windows, kKeys, kRequestsPerWindow,
      static_cast<long long>(result.emulated.rate_limited),
      static_cast<long long>(result.emulated.errors),
      static_cast<long long>(result.emulated.requests), static_cast<long long>(result.calls_ok),
      static_cast<long long>(result.calls_rejected), static_cast<long long>(result.calls_timed_out),
      static_cast<long long>(result.calls_failed));
  std::printf("%s: utilization=%.3f rate_limited=%lld requests=%lld\n", std::string(name).c_str(),
              result.utilization(), static_cast<long long>(result.emulated.rate_limited),
              static_cast<long long>(result.emulated.requests));
  std::fflush(stdout);
}

bool ParseInt(std::string_view text, int& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size() && out > 0;
}

bool ParseFlags(int argc, char** argv, Settings& settings) {
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (flag == "--finish-exchanges") {
      settings.finish_exchanges = true;
      continue;
    }
    int* target = flag == "--windows"   ? &settings.windows
                  : flag == "--threads" ? &settings.threads
                  : flag == "--load"    ? &settings.load_percent
                                        : nullptr;
    if (target == nullptr || i + 1 >= argc || !ParseInt(argv[++i], *target)) return false;
  }
  return true;
}

int Main(int argc, char** argv) {
  Settings settings;
  if (!ParseFlags(argc, argv, settings)) {
    std::fprintf(stderr,
                 "usage: hfs_bench_key_rotation [--windows N] [--threads N] [--load PERCENT] "
                 "[--finish-exchanges]\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  SystemClock clock;
  // Each client thread keeps one keep-alive connection, and each holds a server thread.
  EmulatorHarness harness(EmulatorSetup(), clock, settings.threads + 16);
  Result<std::string> base_url = harness.Start();
  if (!base_url) {
    std::fprintf(stderr, "cannot start the emulator: %s\n", base_url.error().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr,
               "emulator at %s; %d keys x %d requests per %.3f s, %d threads, %d windows, "
               "load %d%%%s\n",
               base_url->c_str(), kKeys, kRequestsPerWindow, Seconds(Window()), settings.threads,
               settings.windows, settings.load_percent,
               settings.finish_exchanges ? ", exchanges may outlast their deadline" : "");
  {
    net::CurlTransport curl;
    FinishingTransport finishing(curl);
    net::Transport& transport = settings.finish_exchanges ? static_cast<net::Transport&>(finishing)
                                                          : static_cast<net::Transport&>(curl);
    RunResult learned =
        Run(Limits::kLearned, settings, *base_url, transport, harness.emulator(), clock);
    RunResult known =
        Run(Limits::kKnown, settings, *base_url, transport, harness.emulator(), clock);
    Report("key_rotation_learned", "limits unknown", learned);
    Report("key_rotation", "limits known", known);
  }  // closes the keep-alive connections before the server stops
  harness.Stop();
  curl_global_cleanup();
  return 0;
}

}  // namespace
}  // namespace hfs::bench

int main(int argc, char** argv) { return hfs::bench::Main(argc, argv); }
