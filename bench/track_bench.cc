// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// track_bench: the cost of Tracker::track() on the host thread, the event's
// timestamp included, from 1 and 2 threads, beside spdlog's async logger
// logging the same fields to a null sink in the same run.
//
// A repetition is a burst of calls per thread that the queue holds, so what
// is timed is the enqueue path (not the drop path) while the sender thread
// drains and encodes on the other core, as in a real host. Two shapes:
//   burst:8000    the default queue (16,384 events, 6 MiB)
//   burst:100000  a 262,144-event queue (100 MiB), long bursts
// The collector is absent: the sender encodes and buffers. Reported per call:
// ns (median, p99, p99.9 over repetitions), heap allocations on the calling
// thread, and queue_full drops (0, or the figure means nothing).
//
//   build/bench/track_bench --benchmark_repetitions=30 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <spdlog/async.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <telltale/telltale.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <new>
#include <thread>

// Heap allocations made by the current thread: the hot path must make none.
static thread_local uint64_t t_allocations = 0;
void* operator new(std::size_t n) {
  ++t_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

std::unique_ptr<telltale::Tracker> g_tracker;
size_t g_tracker_capacity = 0;
std::shared_ptr<spdlog::async_logger> g_logger;

size_t capacity_for(int64_t burst) { return burst <= 8000 ? 16384 : 1 << 18; }

void setup_tracker(const benchmark::State& state) {
  size_t capacity = capacity_for(state.range(0));
  if (g_tracker_capacity != capacity) {
    g_tracker.reset();
    telltale::Options o;
    o.endpoint = "http://127.0.0.1:9";  // nothing listens: the sender encodes and buffers
    o.write_key = "wk_bench";
    o.queue_capacity = capacity;
    o.max_buffer_bytes = 1 << 20;
    o.retry_initial = std::chrono::milliseconds(60000);
    o.retry_max = std::chrono::milliseconds(60000);
    o.shutdown_timeout = std::chrono::milliseconds(0);
    o.on_diagnostic = [](telltale::LogLevel, std::string_view) {};
    g_tracker = telltale::Tracker::create(o);
    g_tracker_capacity = capacity;
  }
  // Start each repetition with a drained queue (what may remain is the
  // 1 MiB retry buffer).
  for (int i = 0; i < 5000 && g_tracker->stats().queue_bytes > (1u << 20) + 4096; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void setup_spdlog(const benchmark::State& state) {
  if (!g_logger) {
    spdlog::init_thread_pool(1 << 18, 1);
    g_logger = std::make_shared<spdlog::async_logger>(
        "bench", std::make_shared<spdlog::sinks::null_sink_mt>(), spdlog::thread_pool(),
        spdlog::async_overflow_policy::overrun_oldest);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

const char* const kAccounts[] = {"acme", "globex", "initech", "umbrella"};
const char* const kUsers[] = {"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8"};

void BM_Track(benchmark::State& state) {
  uint64_t dropped_before = g_tracker->stats().dropped_for(telltale::DropReason::kQueueFull);
  uint64_t allocations = t_allocations;
  int64_t i = 0;
  for (auto _ : state) {
    bool ok = g_tracker->track(kAccounts[i & 3], kUsers[i & 7], "Report Created",
                               {{"rows", i}, {"plan", "free"}});
    benchmark::DoNotOptimize(ok);
    ++i;
  }
  state.counters["allocs_per_call"] = double(t_allocations - allocations) / double(state.iterations());
  if (state.thread_index() == 0)
    state.counters["queue_full"] = double(g_tracker->stats().dropped_for(telltale::DropReason::kQueueFull) - dropped_before);
  state.SetItemsProcessed(state.iterations());
}

void BM_SpdlogAsync(benchmark::State& state) {
  uint64_t allocations = t_allocations;
  int64_t i = 0;
  for (auto _ : state) {
    g_logger->info("{} {} {} rows={} plan={}", kAccounts[i & 3], kUsers[i & 7], "Report Created", i, "free");
    ++i;
  }
  state.counters["allocs_per_call"] = double(t_allocations - allocations) / double(state.iterations());
  state.SetItemsProcessed(state.iterations());
}

double percentile(const std::vector<double>& v, double q) {
  std::vector<double> s = v;
  std::sort(s.begin(), s.end());
  return s[std::min(s.size() - 1, size_t(q * double(s.size() - 1) + 0.5))];
}

// Each burst shape, 1 and 2 threads, with percentiles over repetitions.
void shapes(benchmark::internal::Benchmark* b) {
  b->ArgName("burst")->UseRealTime();
  b->ComputeStatistics("p99", [](const std::vector<double>& v) { return percentile(v, 0.99); });
  b->ComputeStatistics("p99.9", [](const std::vector<double>& v) { return percentile(v, 0.999); });
}

// After the table: track()'s median beside spdlog's for each shape.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs)
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
        std::string name = r.benchmark_name();
        std::string shape = name.substr(name.find('/'));
        shape = shape.substr(0, shape.rfind('_'));
        (name.rfind("BM_Track", 0) == 0 ? ours_ : theirs_)[shape] = r.GetAdjustedRealTime();
      }
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    for (const auto& [shape, ns] : ours_)
      if (theirs_.count(shape))
        std::printf("%-40s track() median %6.1f ns, spdlog async %7.1f ns: %.1fx faster\n", shape.c_str(), ns,
                    theirs_[shape], theirs_[shape] / ns);
  }

 private:
  std::map<std::string, double> ours_, theirs_;
};

}  // namespace

BENCHMARK(BM_Track)->Setup(setup_tracker)->Apply(shapes)
    ->Args({8000})->Iterations(8000)->Threads(1)->Threads(2);
BENCHMARK(BM_Track)->Setup(setup_tracker)->Apply(shapes)
    ->Args({100000})->Iterations(100000)->Threads(1)->Threads(2);
BENCHMARK(BM_SpdlogAsync)->Setup(setup_spdlog)->Apply(shapes)
    ->Args({8000})->Iterations(8000)->Threads(1)->Threads(2);
BENCHMARK(BM_SpdlogAsync)->Setup(setup_spdlog)->Apply(shapes)
    ->Args({100000})->Iterations(100000)->Threads(1)->Threads(2);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  g_tracker.reset();
  return 0;
}
