// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// ingest_bench: the SDK and the collector together on loopback, durable
// (every batch fsynced before its 200), for a fixed event count. The
// collector is the real telltale-collector binary in its own process on a
// scratch data directory; the SDK runs in this process. Reported:
//   events/s end to end (first track() to the last acknowledgement),
//   wire bytes per event, collector CPU-seconds per million events,
//   p99 commit latency (the collector's histogram, bucket upper bound).
// Beside it, the same events sent as Segment-spec JSON batches (500 calls
// per request, 2 client connections) through POST /v1/batch, as a ratio.
// BM_SdkToCollector/1 keeps the log in a JetStream stream instead, on a
// nats-server started beside the collector (its CPU reported apart).
// BM_SdkToCollectorOverTls is BM_SdkToCollector/0 over HTTPS ([tls], a
// certificate made for the run with openssl; no commit latency: /metrics
// is read over plain HTTP).
//
//   build/bench/ingest_bench --benchmark_repetitions=3
#include <benchmark/benchmark.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "collector_process.h"
#include "nats_server.h"
#include "telltale/telltale.h"

namespace {

using namespace std::chrono_literals;
using telltale::testing::CollectorProcess;
using telltale::testing::http_request;
using telltale::testing::NatsServer;

constexpr int64_t kEvents = 2'000'000;
constexpr int64_t kJsonEvents = 200'000;

double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string f;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i)
    if (i == 14 || i == 15) ticks += std::stod(f);  // utime, stime
  return ticks / double(sysconf(_SC_CLK_TCK));
}

// The upper bound of the bucket holding the 99th percentile of the
// collector's commit latency histogram.
double commit_p99_ms(uint16_t port) {
  std::string m = http_request(port, "GET", "/metrics").body;
  std::vector<std::pair<double, double>> buckets;
  std::istringstream lines(m);
  std::string line;
  while (std::getline(lines, line)) {
    const std::string prefix = "telltale_commit_latency_seconds_bucket{le=\"";
    if (line.rfind(prefix, 0) != 0) continue;
    std::string le = line.substr(prefix.size(), line.find('"', prefix.size()) - prefix.size());
    double bound = le == "+Inf" ? 1e9 : std::stod(le);
    buckets.emplace_back(bound, std::stod(line.substr(line.rfind(' ') + 1)));
  }
  if (buckets.empty() || buckets.back().second == 0) return 0;
  for (auto& [bound, count] : buckets)
    if (count >= 0.99 * buckets.back().second) return bound * 1000;
  return 0;
}

std::string scratch_dir() {
  auto dir = std::filesystem::temp_directory_path() / ("telltale_ingest_bench_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

// The real collector on a scratch directory, with its log there (SQLite)
// or in a JetStream stream on a nats-server of its own.
struct Started {
  std::unique_ptr<NatsServer> nats;  // when the log is JetStream's
  std::unique_ptr<CollectorProcess> collector;
};
enum Backend : int64_t { kSqlite = 0, kJetStream = 1 };

// nullopt (the benchmark skipped, with why) if a process did not start.
// With `tls`, it serves HTTPS with a certificate in `dir`/cert.pem, which
// the SDK is to trust.
std::optional<Started> start_collector(benchmark::State& state, const std::string& dir, int64_t backend = kSqlite,
                                       bool tls = false) {
  Started started;
  std::vector<std::string> args;
  if (tls) {
    std::filesystem::create_directories(dir);
    const std::string make = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
                             "-addext subjectAltName=IP:127.0.0.1 -keyout " + dir + "/key.pem -out " + dir +
                             "/cert.pem 2>/dev/null";
    if (std::system(make.c_str()) != 0) {
      state.SkipWithError("openssl could not make a certificate");
      return std::nullopt;
    }
    std::ofstream(dir + "/tls.toml") << "[tls]\ncert_file = \"" << dir << "/cert.pem\"\nkey_file = \"" << dir
                                     << "/key.pem\"\n";
    args = {"--config", dir + "/tls.toml"};
  }
  if (backend == kJetStream) {
    started.nats = std::make_unique<NatsServer>(TELLTALE_NATS_SERVER, dir + "-nats");
    if (!started.nats->start()) {
      state.SkipWithError("nats-server did not start");
      return std::nullopt;
    }
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/jetstream.toml") << telltale::testing::jetstream_collector_config(*started.nats);
    args = {"--config", dir + "/jetstream.toml"};
  }
  started.collector = std::make_unique<CollectorProcess>(TELLTALE_COLLECTOR_BINARY, dir, args);
  if (tls) started.collector->serves_https();
  if (started.collector->start()) return started;
  state.SkipWithError("collector did not start");
  return std::nullopt;
}

const char* const kNames[] = {"Report Created", "Dashboard Viewed", "Content Shared", "Data Imported",
                              "User Invited", "Integration Connected", "Pricing Page Viewed", "Search Performed"};
const char* const kPlans[] = {"free", "team", "business"};

// A realistic mix, the same for both formats: 40 accounts, 400 users (10
// per account), 8 event names with a skew, 2 properties with small values.
struct MixEvent {
  std::string account, user;
  const char* name;
  int64_t rows;
  const char* plan;
};
MixEvent mix_event(int64_t i) {
  uint64_t h = uint64_t(i) * 0x9e3779b97f4a7c15ull;
  int64_t account = int64_t((h >> 20) % 40);
  uint64_t r = (h >> 40) % 100;
  return {"acct_" + std::to_string(1000 + account), "user_" + std::to_string(account * 10 + int64_t((h >> 8) % 10)),
          kNames[r < 40 ? 1 : r < 60 ? 0 : r < 75 ? 7 : r % 8], int64_t((h >> 32) % 500), kPlans[account % 3]};
}

void sdk_to_collector(benchmark::State& state, int64_t backend, bool tls) {
  for (auto _ : state) {
    std::string dir = scratch_dir();
    auto started = start_collector(state, dir, backend, tls);
    if (!started) return;
    CollectorProcess& collector = *started->collector;
    telltale::Options o;
    o.endpoint = (tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(collector.port());
    if (tls) o.tls_ca_file = dir + "/cert.pem";
    o.write_key = "wk_bench";
    o.queue_capacity = 1 << 18;
    o.batch_max_events = 20000;
    // A JetStream message holds at most the server's max_payload (1 MiB).
    o.batch_max_bytes = backend == kJetStream ? 768 << 10 : 8 << 20;
    o.max_buffer_bytes = 256 << 20;
    o.on_diagnostic = [](telltale::LogLevel, std::string_view) {};
    auto tracker = telltale::Tracker::create(o);
    const double cpu_before = cpu_seconds(collector.pid());
    const double nats_cpu_before = started->nats ? cpu_seconds(started->nats->pid()) : 0;
    auto start = std::chrono::steady_clock::now();
    int64_t retries = 0;
    for (int64_t i = 0; i < kEvents; ++i) {
      MixEvent e = mix_event(i);
      while (!tracker->track(e.account, e.user, e.name, {{"rows", e.rows}, {"plan", e.plan}})) {
        ++retries;  // the queue is full: let the sender catch up
        std::this_thread::sleep_for(50us);
      }
    }
    bool ok = tracker->flush(120s);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    telltale::Stats s = tracker->stats();
    const double cpu = cpu_seconds(collector.pid()) - cpu_before;
    state.SetIterationTime(seconds);
    state.counters["events_per_s"] = double(s.acked) / seconds;
    state.counters["wire_bytes_per_event"] = double(s.bytes_sent) / double(s.acked);
    state.counters["collector_cpu_s_per_M"] = cpu / (double(s.acked) / 1e6);
    if (started->nats)
      state.counters["nats_cpu_s_per_M"] =
          (cpu_seconds(started->nats->pid()) - nats_cpu_before) / (double(s.acked) / 1e6);
    if (!tls) state.counters["commit_p99_ms"] = commit_p99_ms(collector.port());
    state.counters["acked"] = double(s.acked);
    state.counters["queue_full_retries"] = double(retries);
    if (!ok || s.acked != uint64_t(kEvents)) state.SkipWithError("not every event was acknowledged");
    tracker.reset();
    collector.signal(SIGTERM);
    collector.wait_exit(10s);
    started.reset();
    std::filesystem::remove_all(dir);
    std::filesystem::remove_all(dir + "-nats");
  }
}

void BM_SdkToCollector(benchmark::State& state) { sdk_to_collector(state, state.range(0), /*tls=*/false); }
void BM_SdkToCollectorOverTls(benchmark::State& state) { sdk_to_collector(state, kSqlite, /*tls=*/true); }

void BM_SegmentJsonToCollector(benchmark::State& state) {
  for (auto _ : state) {
    std::string dir = scratch_dir();
    auto started = start_collector(state, dir);
    if (!started) return;
    CollectorProcess& collector = *started->collector;
    // Bodies are built before timing: only sending and ingest are measured.
    constexpr int kPerRequest = 500;
    std::vector<std::string> bodies;
    for (int64_t base = 0; base < kJsonEvents; base += kPerRequest) {
      std::string body = "{\"batch\":[";
      for (int64_t i = base; i < base + kPerRequest; ++i) {
        if (i != base) body += ',';
        MixEvent e = mix_event(i);
        body += "{\"type\":\"track\",\"userId\":\"" + e.user + "\",\"event\":\"" + e.name +
                "\",\"messageId\":\"m" + std::to_string(i) + "\",\"properties\":{\"rows\":" +
                std::to_string(e.rows) + ",\"plan\":\"" + e.plan + "\"},\"context\":{\"groupId\":\"" +
                e.account + "\"}}";
      }
      bodies.push_back(body + "]}");
    }
    const double cpu_before = cpu_seconds(collector.pid());
    std::atomic<size_t> next{0};
    std::atomic<int64_t> bytes{0}, failures{0};
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> clients;
    for (int c = 0; c < 2; ++c)
      clients.emplace_back([&] {
        for (size_t k; (k = next++) < bodies.size();) {
          auto r = http_request(collector.port(), "POST", "/v1/batch", {{"Content-Type", "application/json"}}, bodies[k]);
          if (r.status != 200) ++failures;
          bytes += int64_t(bodies[k].size());
        }
      });
    for (auto& t : clients) t.join();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu = cpu_seconds(collector.pid()) - cpu_before;
    state.SetIterationTime(seconds);
    state.counters["events_per_s"] = double(kJsonEvents) / seconds;
    state.counters["wire_bytes_per_event"] = double(bytes) / double(kJsonEvents);
    state.counters["collector_cpu_s_per_M"] = cpu / (double(kJsonEvents) / 1e6);
    state.counters["commit_p99_ms"] = commit_p99_ms(collector.port());
    if (failures) state.SkipWithError("some requests failed");
    collector.signal(SIGTERM);
    collector.wait_exit(10s);
    std::filesystem::remove_all(dir);
  }
}

}  // namespace

BENCHMARK(BM_SdkToCollector)
    ->ArgName("jetstream")
    ->Arg(kSqlite)
    ->Arg(kJetStream)
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SdkToCollectorOverTls)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SegmentJsonToCollector)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
