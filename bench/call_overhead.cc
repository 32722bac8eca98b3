// bench/call_overhead.cc
//
// hfs_bench_call_overhead: the CPU time our LLM call stack adds to one chat completion,
// over a plain libcurl POST of the same request body to the same server.
//
// An in-process hfs-emulator (no latency, no faults, limits far above what the run
// uses) serves a Groq-like provider. The client thread alternates two kinds of call:
//   raw:  curl_easy_perform on one reused easy handle (keep-alive) with the request body
//         RotatingModel would send, the reply read into a string;
//   ours: RotatingModel::Complete over KeyPool (8 keys, limits configured), ProviderClient
//         and CurlTransport, with a usage observer that queues one row per request in a
//         SQLite UsageStore (written in batches by the store's own thread).
// Each call is timed by the client thread's CPU clock (CLOCK_THREAD_CPUTIME_ID), so the
// server's work and the usage writer's are excluded; with two CPUs or more the client
// thread runs alone on one of them. The calls are split into 5 rounds; in each, overhead
// at a percentile = that percentile of our calls minus the same percentile of the raw
// calls; the result is the median round.
//
//   hfs_bench_call_overhead [--calls N]      (N calls of each kind, default 5000)
//   call_overhead: p50_us=40.1 p99_us=60.7
//
// Details (both distributions, wall times, each round) go to stderr.
#include <curl/curl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "bench/harness.h"
#include "hfs/base/try.h"
#include "hfs/keys/key_pool.h"
#include "hfs/llm/openai_wire.h"
#include "hfs/llm/provider_client.h"
#include "hfs/llm/rotating_model.h"
#include "hfs/llm/usage_rows.h"
#include "hfs/net/curl_transport.h"
#include "hfs/store/open_database.h"
#include "hfs/store/usage_store.h"

namespace hfs::bench {
namespace {

constexpr int kKeys = 8;
constexpr int kWarmupCalls = 200;
constexpr size_t kRounds = 5;
constexpr char kProvider[] = "groq";
constexpr char kPrefix[] = "/groq/openai/v1";
constexpr char kModel[] = "llama-3.3-70b-versatile";
// Far above what a run sends, so no call waits for a key.
constexpr int64_t kRequestsPerMinute = 1'000'000;
constexpr int64_t kTokensPerMinute = 1'000'000'000;

emulator::EmulatorOptions EmulatorSetup() {
  emulator::EmulatorOptions options = emulator::DefaultOptions();
  for (emulator::ProviderOptions& provider : options.providers) {
    provider.default_limits = {
        {.kind = emulator::LimitKind::kRequests, .limit = kRequestsPerMinute, .window_seconds = 60},
        {.kind = emulator::LimitKind::kTokens, .limit = kTokensPerMinute, .window_seconds = 60}};
  }
  return options;
}

keys::ProviderLimits PoolLimits() {
  keys::ProviderLimits limits;
  limits.models[keys::kAnyModel] = {{.kind = keys::LimitKind::kRequests,
                                     .limit = kRequestsPerMinute,
                                     .window = std::chrono::minutes(1)},
                                    {.kind = keys::LimitKind::kTokens,
                                     .limit = kTokensPerMinute,
                                     .window = std::chrono::minutes(1)}};
  return limits;
}

llm::ChatRequest Request() {
  return {.model = kModel,
          .messages = {llm::Message::System("You are the layout triad's orchestrator. Be brief."),
                       llm::Message::User("Claim the sections you own: hero, pricing, faq.")},
          .max_tokens = 64,
          .temperature = 0.2};
}

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// One easy handle, reused for every call (so its connection is kept alive).
class RawClient {
 public:
  RawClient(const std::string& url, const std::string& body)
      : curl_(curl_easy_init()), body_(body) {
    headers_ = curl_slist_append(headers_, "Expect:");
    headers_ = curl_slist_append(headers_, "Content-Type: application/json");
    headers_ = curl_slist_append(headers_, "Authorization: Bearer emu-groq-1");
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body_.c_str());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_.size()));
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, AppendBody);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &reply_);
  }
  ~RawClient() {
    curl_easy_cleanup(curl_);
    curl_slist_free_all(headers_);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // True on a 200.
  bool Post() {
    reply_.clear();
    if (curl_easy_perform(curl_) != CURLE_OK) return false;
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    return status == 200;
  }

 private:
  CURL* curl_;
  curl_slist* headers_ = nullptr;
  std::string body_;
  std::string reply_;
};

struct Samples {
  std::vector<double> cpu_us;
  std::vector<double> wall_us;
};

void Add(Samples& samples, Duration cpu, Duration wall) {
  samples.cpu_us.push_back(Seconds(cpu) * 1e6);
  samples.wall_us.push_back(Seconds(wall) * 1e6);
}

void Describe(const char* name, Samples samples) {
  std::fprintf(stderr, "%s: cpu p50 %.1f us p99 %.1f us; wall p50 %.1f us p99 %.1f us\n", name,
               Percentile(samples.cpu_us, 50), Percentile(samples.cpu_us, 99),
               Percentile(samples.wall_us, 50), Percentile(samples.wall_us, 99));
}

struct Measured {
  Samples raw;
  Samples ours;
  int failures = 0;
};

// `calls` alternating raw and RotatingModel calls, after a warm-up of both.
Measured Measure(int calls, RawClient& raw, llm::RotatingModel& model, SystemClock& clock) {
  const llm::ChatRequest request = Request();
  const llm::CallContext context{.run_id = "bench", .role = "overhead", .phase = "bench"};
  Measured measured;
  for (int i = -kWarmupCalls; i < calls; ++i) {
    Timestamp wall = clock.Now();
    Duration cpu = ThreadCpuTime();
    const bool raw_ok = raw.Post();
    Duration raw_cpu = ThreadCpuTime() - cpu;
    Duration raw_wall = clock.Now() - wall;

    wall = clock.Now();
    cpu = ThreadCpuTime();
    const bool ours_ok = model.Complete(request, context).has_value();
    Duration ours_cpu = ThreadCpuTime() - cpu;
    Duration ours_wall = clock.Now() - wall;

    if (!raw_ok || !ours_ok) ++measured.failures;
    if (i < 0) continue;
    Add(measured.raw, raw_cpu, raw_wall);
    Add(measured.ours, ours_cpu, ours_wall);
  }
  return measured;
}

bool ParseFlags(int argc, char** argv, int& calls) {
  if (argc == 1) return true;
  if (argc != 3 || std::string_view(argv[1]) != "--calls") return false;
  std::string_view value = argv[2];
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), calls);
  return ec == std::errc() && ptr == value.data() + value.size() && calls > 0;
}

Result<std::unique_ptr<store::UsageStore>> OpenUsageStore(const std::filesystem::path& path) {
  std::unique_ptr<store::Database> database =
      HFS_TRY(store::OpenDatabase("sqlite://" + path.string()));
  return store::UsageStore::Open(std::move(database));
}

void Run(int calls, const std::string& base_url, store::UsageStore& usage, SystemClock& clock) {
  const std::string body =
      llm::EncodeChatRequest(Request(), llm::WireOptionsFor(kProvider, /*stream=*/false)).value();
  Measured measured;
  {
    net::CurlTransport transport;
    keys::KeyPool pool(
        {.provider = kProvider, .keys = EmulatorKeys(kProvider, kKeys), .limits = PoolLimits()},
        clock);
    llm::ProviderClient client({.name = kProvider, .base_url = base_url + kPrefix}, transport,
                               clock, {.timeout = std::chrono::seconds(10)});
    llm::RotatingModel model(pool, client, clock,
                             {.on_call = [&usage](const llm::ProviderCall& call) {
                               usage.Record(llm::ToUsageRecord(call));
                             }});
    RawClient raw(client.url(), body);
    measured = Measure(calls, raw, model, clock);
  }  // closes the keep-alive connections before the server stops
  Result<void> flushed = usage.Flush();
  std::fprintf(stderr,
               "%d calls of each kind (after %d warm-up), %d failed; usage rows written by the "
               "store's thread: %llu%s\n",
               calls, kWarmupCalls, measured.failures,
               static_cast<unsigned long long>(usage.rows_written()),
               flushed ? "" : " (flush failed)");
  Describe("raw libcurl", measured.raw);
  Describe("RotatingModel", measured.ours);
  // Per round of consecutive calls: the difference of the percentiles; then the median
  // round, so a burst of noise from the rest of the machine moves one round, not the result.
  std::vector<double> p50s;
  std::vector<double> p99s;
  const size_t per_round = measured.raw.cpu_us.size() / kRounds;
  for (size_t round = 0; round < kRounds; ++round) {
    auto slice = [&](const std::vector<double>& all) {
      return std::vector<double>(all.begin() + round * per_round,
                                 all.begin() + (round + 1) * per_round);
    };
    std::vector<double> raw = slice(measured.raw.cpu_us);
    std::vector<double> ours = slice(measured.ours.cpu_us);
    p50s.push_back(Percentile(ours, 50) - Percentile(raw, 50));
    p99s.push_back(Percentile(ours, 99) - Percentile(raw, 99));
    std::fprintf(stderr, "round %zu: overhead p50 %.1f us, p99 %.1f us\n", round + 1, p50s.back(),
                 p99s.back());
  }
  const double p50 = Percentile(p50s, 50);
  const double p99 = Percentile(p99s, 50);
  std::printf("call_overhead: p50_us=%.1f p99_us=%.1f\n", p50, p99);
}

int Main(int argc, char** argv) {
  int calls = 5000;
  if (!ParseFlags(argc, argv, calls)) {
    std::fprintf(stderr, "usage: hfs_bench_call_overhead [--calls N]\n");
    return 2;
  }
  // With two CPUs or more, the client thread measures alone on the first one; the
  // emulator's threads and the usage writer (started below, they inherit this mask) run
  // on the others.
  const std::vector<int> cpus = AllowedCpus();
  const bool pinned = cpus.size() >= 2 && PinCallingThread({cpus.begin() + 1, cpus.end()});
  std::error_code ignored;
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / fmt::format("hfs-bench-{}", ::getpid());
  std::filesystem::create_directories(dir, ignored);
  Result<std::unique_ptr<store::UsageStore>> usage = OpenUsageStore(dir / "usage.db");
  if (!usage) {
    std::fprintf(stderr, "cannot open the usage store: %s\n", usage.error().ToString().c_str());
    std::filesystem::remove_all(dir, ignored);
    return 1;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  SystemClock clock;
  EmulatorHarness harness(EmulatorSetup(), clock, 4);
  Result<std::string> base_url = harness.Start();
  if (!base_url) {
    std::fprintf(stderr, "cannot start the emulator: %s\n", base_url.error().ToString().c_str());
    return 1;
  }
  if (pinned && !PinCallingThread({cpus.front()})) {
    std::fprintf(stderr, "cannot pin the client thread; measuring unpinned\n");
  }
  Run(calls, *base_url, **usage, clock);
  harness.Stop();
  usage->reset();
  std::filesystem::remove_all(dir, ignored);
  curl_global_cleanup();
  return 0;
}

}  // namespace
}  // namespace hfs::bench

int main(int argc, char** argv) { return hfs::bench::Main(argc, argv); }
