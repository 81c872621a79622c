// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// engine_bench: the PQL engine on one core.
//   BM_EngineApply   events/s through SignalEngine::apply + evaluate +
//                    AlertBook::consider, per 1,000-event frame, events
//                    already decoded (what live ingestion costs the engine)
//   BM_Replay        events/s replaying stored SDK frames from memory:
//                    decode + the above (what `telltale replay` and a
//                    restart cost)
//   BM_MemoryAtScale heap memory for 100,000 accounts and 1,000,000
//                    users (10 per account), each seen once
// A realistic mix: 8 event names with a skew, 2 properties, usage reports.
//
//   build/bench/engine_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <malloc.h>
#include <random>

#include "alerts/alert_book.h"
#include "signals/frame_processor.h"
#include "signals/signal_engine.h"
#include "telltale/schema/codec.h"

namespace {

using namespace telltale::collector;
namespace wire = telltale::wire;

// The live engine rebuilds stale alerts' words once per step of up to 256
// frames; so do the benchmarks.
constexpr size_t kFramesPerStep = 256;

const char* const kNames[] = {"Report Created", "Dashboard Viewed", "Content Shared", "Data Imported",
                              "User Invited", "Integration Connected", "Pricing Page Viewed", "Search Performed"};

std::vector<UsageEvent> make_events(size_t n, int accounts, int users_per_account) {
  std::mt19937_64 rng(7);
  std::vector<UsageEvent> out;
  out.reserve(n);
  int64_t t = 1'790'000'000'000;
  for (size_t i = 0; i < n; ++i) {
    UsageEvent e;
    int a = int(rng() % uint64_t(accounts));
    e.account = "acct-" + std::to_string(a);
    e.user = e.account + "-u" + std::to_string(rng() % uint64_t(users_per_account));
    t += int64_t(rng() % 2000);
    e.time_ms = t;
    if (i % 50 == 0) {
      e.kind = UsageKind::kUsage;
      e.name = "Usage Reported";
      PropValue metric, used, limit;
      metric.type = PropValue::Type::kString;
      metric.s = "seats";
      used.type = limit.type = PropValue::Type::kInt;
      used.i = int64_t(rng() % 11);
      limit.i = 10;
      e.props = {{"metric", metric}, {"used", used}, {"limit", limit}};
    } else {
      e.kind = UsageKind::kTrack;
      uint64_t r = rng() % 100;
      e.name = kNames[r < 40 ? 1 : r < 60 ? 0 : r < 75 ? 7 : r % 8];
      PropValue rows, plan;
      rows.type = PropValue::Type::kInt;
      rows.i = int64_t(rng() % 500);
      plan.type = PropValue::Type::kString;
      plan.s = "team";
      e.props = {{"rows", rows}, {"plan", plan}};
    }
    out.push_back(std::move(e));
  }
  return out;
}

// The events as stored SDK frames of 1,000 events.
std::vector<Frame> make_frames(const std::vector<UsageEvent>& events) {
  std::vector<Frame> frames;
  wire::BatchEncoder enc;
  std::vector<wire::Property> props;
  for (size_t base = 0; base < events.size(); base += 1000) {
    enc.reset();
    for (size_t i = base; i < std::min(events.size(), base + 1000); ++i) {
      const UsageEvent& u = events[i];
      props.clear();
      for (const auto& [k, v] : u.props) {
        wire::Property p{k, {}};
        if (v.type == PropValue::Type::kString) {
          p.value.type = wire::ValueType::kString;
          p.value.s = v.s;
        } else {
          p.value.type = wire::ValueType::kInt;
          p.value.i = v.i;
        }
        props.push_back(p);
      }
      wire::Event e;
      e.type = u.kind == UsageKind::kUsage ? wire::EventType::kUsage : wire::EventType::kTrack;
      e.time_ms = u.time_ms;
      e.message_id = wire::Id16::from_parts(1, i);
      e.account = u.account;
      e.user = u.user;
      e.name = u.name;
      e.props = props.data();
      e.prop_count = props.size();
      enc.add(e);
    }
    Frame f;
    f.format = FrameFormat::kSdkBatch;
    wire::BatchHeader h;
    enc.finish(h, &f.payload);
    frames.push_back(std::move(f));
  }
  return frames;
}

void BM_EngineApply(benchmark::State& state) {
  static const auto events = make_events(1'000'000, 10'000, 10);
  for (auto _ : state) {
    SignalEngine engine{PqlRules{}};
    AlertBook book(engine.rules(), AlertPolicy{});
    for (size_t base = 0; base < events.size(); base += 1000) {
      engine.begin_frame();
      for (size_t i = base; i < base + 1000; ++i) engine.apply(events[i]);
      for (const SignalEngine::Touched& t : engine.touched())
        benchmark::DoNotOptimize(book.consider(*t.account, engine.evaluate(*t.account), t.latest_ms));
      if (base / 1000 % kFramesPerStep == kFramesPerStep - 1) benchmark::DoNotOptimize(book.refresh());
    }
  }
  state.SetItemsProcessed(int64_t(state.iterations() * events.size()));
}

void BM_Replay(benchmark::State& state) {
  static const auto frames = make_frames(make_events(1'000'000, 10'000, 10));
  for (auto _ : state) {
    SignalEngine engine{PqlRules{}};
    AlertBook book(engine.rules(), AlertPolicy{});
    EventReader reader;
    std::vector<AlertChange> changes;
    int64_t created = 0, material = 0, refreshed = 0;
    for (size_t i = 0; i < frames.size(); ++i) {
      changes.clear();
      process_frame(frames[i], reader, engine, book, &changes);
      for (const AlertChange& c : changes) {
        created += c.kind == AlertChange::Kind::kCreated;
        material += c.kind == AlertChange::Kind::kUpdated && c.material;
      }
      if (i % kFramesPerStep == kFramesPerStep - 1) refreshed += int64_t(book.refresh().size());
    }
    state.counters["alerts"] = double(created);
    state.counters["material_updates"] = double(material);
    state.counters["refreshed"] = double(refreshed);
  }
  state.SetItemsProcessed(int64_t(state.iterations() * 1'000'000));
}

// Heap bytes in use (glibc), more exact than RSS for a delta.
int64_t heap_bytes() { return int64_t(mallinfo2().uordblks); }

void BM_MemoryAtScale(benchmark::State& state) {
  for (auto _ : state) {
    int64_t before = heap_bytes();
    SignalEngine engine{PqlRules{}};
    UsageEvent e;
    e.kind = UsageKind::kTrack;
    e.name = "Dashboard Viewed";
    for (int a = 0; a < 100'000; ++a) {
      e.account = "acct-" + std::to_string(a);
      for (int u = 0; u < 10; ++u) {
        e.user = e.account + "-u" + std::to_string(u);
        e.time_ms = 1'790'000'000'000 + int64_t(a) * 10 + u;
        engine.apply(e);
      }
    }
    state.counters["accounts"] = double(engine.account_count());
    state.counters["users"] = double(engine.user_count());
    state.counters["heap_MiB"] = double(heap_bytes() - before) / (1 << 20);
    const EngineMemory m = engine.memory();  // the engine's own estimate, as /metrics reports it
    state.counters["estimate_MiB"] = double(m.account_bytes + m.user_bytes + m.name_bytes) / (1 << 20);
  }
}

}  // namespace

BENCHMARK(BM_EngineApply)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Replay)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MemoryAtScale)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
