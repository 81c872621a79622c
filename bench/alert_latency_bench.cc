// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// alert_latency_bench: how long a sales rep waits. The real collector in its
// own process takes a sustained background load from the SDK (100,000
// events/s by default, over 5,000 accounts that never qualify) while, every
// 100 ms, another account is brought to the brink and then tipped over by
// one event. Measured per tipping event: from the moment its batch is sent
// (so including the SDK's request, the durable commit, the engine and the
// store) to the moment the alert's `created` entry arrives on the SSE
// stream (GET /v1/alerts/stream, resumed with Last-Event-ID as an
// EventSource client does). Reported: p50 and p99 in ms, the load actually
// sustained, and how many alerts never arrived.
// BM_TippingEventToSse/jetstream:1 does the same across collectors: the SDK
// sends to an ingest-only collector, the log is a JetStream stream on a
// nats-server started beside them, and the alert comes from the collector
// that runs the engine.
//
//   build/bench/alert_latency_bench [--benchmark_repetitions=3]
#include <benchmark/benchmark.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include <boost/json.hpp>

#include "collector_process.h"
#include "http/sse.h"
#include "nats_server.h"
#include "telltale/telltale.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using telltale::testing::CollectorProcess;
using telltale::testing::http_request;
using telltale::collector::SseEvent;
using telltale::collector::parse_sse;

constexpr int64_t kLoadPerSecond = 100'000;
constexpr int kTips = 200;
constexpr auto kTipEvery = 100ms;

std::unique_ptr<telltale::Tracker> tracker_for(uint16_t port) {
  telltale::Options o;
  o.endpoint = "http://127.0.0.1:" + std::to_string(port);
  o.write_key = "wk_bench";
  o.queue_capacity = 1 << 18;
  o.on_diagnostic = [](telltale::LogLevel, std::string_view) {};
  return telltale::Tracker::create(o);
}

// Follows the alert stream; remembers when each account's alert was created.
class StreamWatcher {
 public:
  explicit StreamWatcher(uint16_t port) : thread_([this, port] { run(port); }) {}
  ~StreamWatcher() {
    stop_ = true;
    thread_.join();
  }
  std::optional<Clock::time_point> created(const std::string& account) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = created_.find(account);
    if (it == created_.end()) return std::nullopt;
    return it->second;
  }

 private:
  void run(uint16_t port) {
    std::string last = "0";
    while (!stop_) {
      auto r = http_request(port, "GET", "/v1/alerts/stream", {{"Last-Event-ID", last}});
      const auto arrived = Clock::now();
      for (const SseEvent& e : parse_sse(r.body)) {
        last = e.id;
        if (e.event != "created") continue;
        auto entry = boost::json::parse(e.data).as_object();
        std::lock_guard<std::mutex> lock(mutex_);
        created_.emplace(std::string(entry.at("alert").at("account_id").as_string()), arrived);
      }
      if (r.status != 200) std::this_thread::sleep_for(10ms);
    }
  }

  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::map<std::string, Clock::time_point> created_;
  std::thread thread_;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

void BM_TippingEventToSse(benchmark::State& state) {
  for (auto _ : state) {
    const auto dir = std::filesystem::temp_directory_path() / ("telltale_latency_bench_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const bool jetstream = state.range(0) == 1;
    // The collector with the engine; with JetStream, a nats-server first and
    // an ingest-only collector after, which the SDK sends to.
    std::unique_ptr<telltale::testing::NatsServer> nats;
    std::vector<std::string> engine_args;
    if (jetstream) {
      nats = std::make_unique<telltale::testing::NatsServer>(TELLTALE_NATS_SERVER, (dir / "nats").string());
      if (!nats->start()) {
        state.SkipWithError("nats-server did not start");
        return;
      }
      std::ofstream(dir / "engine.toml") << telltale::testing::jetstream_collector_config(*nats);
      std::ofstream(dir / "ingest.toml") << telltale::testing::jetstream_collector_config(*nats, false);
      engine_args = {"--config", (dir / "engine.toml").string()};
    }
    CollectorProcess collector(TELLTALE_COLLECTOR_BINARY, (dir / "engine").string(), engine_args);
    std::unique_ptr<CollectorProcess> ingest;
    if (jetstream)
      ingest = std::make_unique<CollectorProcess>(TELLTALE_COLLECTOR_BINARY, (dir / "ingest").string(),
                                                  std::vector<std::string>{"--config", (dir / "ingest.toml").string()});
    if (!collector.start() || (ingest && !ingest->start())) {
      state.SkipWithError("collector did not start");
      return;
    }
    const uint16_t ingest_port = ingest ? ingest->port() : collector.port();
    StreamWatcher watcher(collector.port());

    // The background load, paced in 10 ms slices.
    std::atomic<bool> loading{true};
    std::atomic<int64_t> sent{0};
    auto load = tracker_for(ingest_port);
    std::thread loader([&] {
      auto next = Clock::now();
      for (int64_t i = 0; loading; next += 10ms) {
        for (int64_t k = 0; k < kLoadPerSecond / 100; ++k, ++i) {
          const std::string account = "bg_" + std::to_string(i % 5000);
          if (load->track(account, account + "_u" + std::to_string(i % 7), "Dashboard Viewed", {{"rows", i % 500}}))
            ++sent;
        }
        std::this_thread::sleep_until(next);
      }
    });

    std::this_thread::sleep_for(1s);  // the load is flowing
    auto tips = tracker_for(ingest_port);
    std::vector<std::pair<std::string, Clock::time_point>> tipped;
    const auto load_start = Clock::now();
    const int64_t sent_before = sent;
    for (int i = 0; i < kTips; ++i) {
      const auto slot = Clock::now() + kTipEvery;
      const std::string account = "tip_" + std::to_string(i);
      tips->track(account, account + "_ana", "Report Created");  // 30
      tips->track(account, account + "_ana", "Pricing Page Viewed");  // + 12 = 42: not yet
      tips->flush(5s);
      const auto t0 = Clock::now();
      tips->track(account, account + "_ana", "User Invited");  // + 15 = 57: a PQL
      tips->flush(5s);
      tipped.emplace_back(account, t0);
      std::this_thread::sleep_until(slot);
    }
    const double load_seconds = std::chrono::duration<double>(Clock::now() - load_start).count();
    const double load_rate = double(sent - sent_before) / load_seconds;

    std::vector<double> latencies_ms;
    int missing = 0;
    const auto deadline = Clock::now() + 10s;
    for (const auto& [account, t0] : tipped) {
      std::optional<Clock::time_point> t1;
      while (!(t1 = watcher.created(account)) && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
      if (t1) latencies_ms.push_back(std::chrono::duration<double, std::milli>(*t1 - t0).count());
      else ++missing;
    }
    loading = false;
    loader.join();
    const bool drained = load->flush(60s);

    state.SetIterationTime(load_seconds);
    state.counters["p50_ms"] = percentile(latencies_ms, 0.50);
    state.counters["p99_ms"] = percentile(latencies_ms, 0.99);
    state.counters["max_ms"] = percentile(latencies_ms, 1.0);
    state.counters["load_events_per_s"] = load_rate;
    state.counters["alerts"] = double(latencies_ms.size());
    state.counters["missing"] = double(missing);
    if (missing) state.SkipWithError("some alerts never arrived on the stream");
    if (!drained) state.SkipWithError("the background load was not all acknowledged");
    tips.reset();
    load.reset();
    for (CollectorProcess* c : {&collector, ingest.get()}) {
      if (!c) continue;
      c->signal(SIGTERM);
      c->wait_exit(30s);
    }
    nats.reset();
    std::filesystem::remove_all(dir);
  }
}

}  // namespace

BENCHMARK(BM_TippingEventToSse)
    ->ArgName("jetstream")
    ->Arg(0)
    ->Arg(1)
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kSecond);
BENCHMARK_MAIN();
