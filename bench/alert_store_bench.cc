// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// alert_store_bench: the figures of GET /v1/stats (and /metrics, which
// reads them on every scrape) over a large alert history: 100,000 alerts
// of five reps, bodies the size of real ones (contributions, timeline,
// contacts, summary), a third of them touched.
//   BM_StatsAllAlerts    the all-time figures
//   BM_StatsOfARepMonth  one rep's, raised in the last 30 days
//   BM_AlertWrite        the engine's write after a frame (an alert
//                        updated, the log position), fsynced: p50, p99, max
//   BM_AlertWriteBesideFigureReads  the same while another thread reads
//                        the all-time figures every 20 ms (scrapers and
//                        dashboards): how long the engine waits for readers
//
//   build/bench/alert_store_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "alerts/alert_store.h"
#include "log/sqlite_event_log.h"

namespace {

using namespace telltale::collector;

constexpr int kAlerts = 100'000;
constexpr int64_t kHour = 3'600'000;
constexpr int64_t kNow = 1'790'000'000'000;
const char* const kReps[] = {"Dana", "Ravi", "Mei", "Omar", "Lena"};

std::shared_ptr<Alert> make_alert(int i) {
  auto a = std::make_shared<Alert>();
  a->account_id = "acct-" + std::to_string(i);
  a->account_name = "Company " + std::to_string(i);
  a->plan = "team";
  a->score = 60 + i % 200;
  a->priority = i % 3 ? "high" : "medium";
  a->route = i % 4 == 0 ? "self-serve" : i % 4 == 1 ? "sales-led" : "sales-assist";
  a->owner = a->route == "self-serve" ? "" : kReps[i % 5];
  a->status = i % 7 == 0 ? "won" : i % 5 == 0 ? "opportunity" : "open";
  for (const char* signal : {"activated", "core_value_moment", "team_expansion", "pricing_page", "limit_sweet_spot"})
    a->contributions.push_back({signal, 20, std::string(signal) + ": evidence in words, about sixty characters long"});
  a->trigger = a->contributions[2];
  for (int t = 0; t < 4; ++t) a->timeline.push_back({kNow - t * kHour, "a key moment of the account's timeline"});
  a->summary = std::string(300, 's');
  a->created_at_ms = a->raised_at_ms = kNow - int64_t(kAlerts - i) * kHour / 10;  // ~14 months, oldest first
  a->sla_due_ms = a->raised_at_ms + 4 * kHour;
  if (i % 3 == 0) a->first_touch_ms = a->raised_at_ms + (i % 11) * kHour;
  return a;
}

// The history in a data directory of its own, removed at exit.
struct History {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("telltale_alert_store_bench_" + std::to_string(::getpid()))).string();
  std::unique_ptr<SqliteEventLog> log = SqliteEventLog::open(dir, std::chrono::hours(1));
  std::unique_ptr<AlertStore> store = AlertStore::open(dir);
  ~History() {
    store.reset();
    log.reset();
    std::filesystem::remove_all(dir);
  }
  History() {
    std::vector<int64_t> ids;
    std::string error;
    for (int base = 0; base < kAlerts; base += 1000) {
      std::vector<AlertChange> changes;
      for (int i = base; i < base + 1000; ++i)
        changes.push_back({AlertChange::Kind::kCreated, make_alert(i), "created", true});
      if (!store->apply(changes, base / 1000 + 1, &ids, &error)) throw std::runtime_error(error);
    }
  }
};

History& history() {
  static History h;
  return h;
}

void run(benchmark::State& state, const StatsFilter& filter) {
  AlertStore& store = *history().store;
  size_t bytes = 0;
  for (auto _ : state) bytes += store.stats(filter, kNow).size();
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(int64_t(state.iterations()) * kAlerts);
}

void BM_StatsAllAlerts(benchmark::State& state) { run(state, {}); }
void BM_StatsOfARepMonth(benchmark::State& state) { run(state, {.since_ms = kNow - 30 * 24 * kHour, .owner = "Dana"}); }

// Writes one updated alert per iteration, as the engine does after a
// frame, with a thread reading the figures meanwhile when `beside_reads`.
void run_writes(benchmark::State& state, bool beside_reads) {
  AlertStore& store = *history().store;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> reads{0};
  std::thread reader;
  if (beside_reads)
    reader = std::thread([&] {
      while (!stop.load()) {
        benchmark::DoNotOptimize(store.stats({}, kNow));
        reads.fetch_add(1);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  auto alert = make_alert(7);
  alert->id = 8;  // make_alert(7)'s id in the history
  const std::vector<AlertChange> change{{AlertChange::Kind::kUpdated, alert, "updated", true}};
  std::vector<int64_t> ids;
  std::string error;
  std::vector<double> waits_ms;
  int64_t position = 1'000'000;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    if (!store.apply(change, ++position, &ids, &error)) state.SkipWithError(error.c_str());
    waits_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  stop = true;
  if (reader.joinable()) reader.join();
  std::sort(waits_ms.begin(), waits_ms.end());
  auto at = [&](double q) { return waits_ms[std::min(waits_ms.size() - 1, size_t(q * double(waits_ms.size())))]; };
  state.counters["p50_ms"] = at(0.5);
  state.counters["p99_ms"] = at(0.99);
  state.counters["max_ms"] = waits_ms.back();
  state.counters["figure_reads"] = double(reads.load());
}

void BM_AlertWrite(benchmark::State& state) { run_writes(state, false); }
void BM_AlertWriteBesideFigureReads(benchmark::State& state) { run_writes(state, true); }

BENCHMARK(BM_StatsAllAlerts)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StatsOfARepMonth)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AlertWrite)->Unit(benchmark::kMillisecond)->Iterations(300);
BENCHMARK(BM_AlertWriteBesideFigureReads)->Unit(benchmark::kMillisecond)->Iterations(300);

}  // namespace

BENCHMARK_MAIN();
