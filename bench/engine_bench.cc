// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// engine_bench: the PQL engine, 1,000,000 events over 10,000 accounts of
// 10 users, as 1,000-event SDK frames.
//   BM_Engine        events/s on one core of the whole work per event:
//                    decode, apply, evaluate each touched account, decide,
//                    and rebuild the words of alerts whose accounts moved
//                    on (once a second, as the collector does); a fresh
//                    engine, so every account and user is new to it
//   BM_EngineDecoded the same without decoding, which the live engine and
//                    replay leave to a second thread (LogReadAhead): the
//                    engine thread's own work
//   BM_EngineSteady, BM_EngineDecodedSteady
//                    the same two on the stream's next million events, the
//                    engine having seen the first (untimed): a running
//                    collector's steady state, every account and user known
//   BM_EngineSkewed  BM_Engine on a million events spread over the accounts
//                    as a product's usage usually is (Zipf): a few busy
//                    accounts, a long quiet tail
//   BM_ReadFrames    events/s of decoding alone: frames decompressed,
//                    verified and read into events; the frames' bytes an
//                    event, compressed and decompressed
//   BM_ReplayFromLog events/s of `telltale replay` (and a restart without
//                    a snapshot): frames read from a SQLite log and decoded
//                    on a second thread, applied on this one (two cores)
//   BM_ReplayFromJetStream  the same from a JetStream stream (a nats-server
//                    the program starts, sharing the cores)
//   BM_Snapshot      size, encode and restore time of the state above
//   BM_MemoryAtScale heap memory for 100,000 accounts and 1,000,000
//                    users (10 per account), each identified (an email and
//                    a name) and seen once, the engine's
//                    own estimate (what /metrics reports), and a snapshot
//                    of that state
//   BM_RankAccounts  GET /v1/accounts at 100,000 accounts: the ranking
//                    of every account, which holds the engine
//   BM_FindAccount   GET /v1/accounts?q= at 100,000 named accounts: a
//                    search of every account's id and name
// A realistic mix: 8 event names with a skew, 2 properties, usage reports.
//
//   build/bench/engine_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zstd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <span>

#include "alerts/alert_book.h"
#include "app/allocator.h"
#include "log/jetstream_event_log.h"
#include "log/sqlite_event_log.h"
#include "nats_server.h"
#include "signals/account_ranking.h"
#include "signals/engine_snapshot.h"
#include "signals/event_reader.h"
#include "signals/frame_processor.h"
#include "signals/signal_engine.h"
#include "telltale/schema/codec.h"

namespace {

using namespace telltale::collector;
namespace wire = telltale::wire;

// The live engine rebuilds the words of alerts whose accounts moved on once
// a second; so do the benchmarks.
struct RefreshClock {
  std::chrono::steady_clock::time_point next = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  bool due() {
    if (std::chrono::steady_clock::now() < next) return false;
    next = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    return true;
  }
};

// An engine, its alert book and a frame reader. Each measured run builds a
// fresh one and frees it with the clock stopped: freeing a whole engine is
// not work the engine does per event.
struct Engine {
  SignalEngine engine{PqlRules{}};
  AlertBook book{engine, AlertPolicy{}};
  EventReader reader;
};

void free_untimed(std::unique_ptr<Engine>& e, benchmark::State& state) {
  state.PauseTiming();
  e.reset();
  state.ResumeTiming();
}

const char* const kNames[] = {"Report Created", "Dashboard Viewed", "Content Shared", "Data Imported",
                              "User Invited", "Integration Connected", "Pricing Page Viewed", "Search Performed"};

// How events fall on accounts: uniformly (the worst case for caches: each
// event finds its account's state cold), or as a product's usage usually
// does, a few accounts busy and a long tail quiet (Zipf, s = 0.8: the
// busiest account sends 3.7 % of the events, the busiest 1 % of accounts
// 30 %).
enum class Spread { kUniform, kZipf };

std::vector<UsageEvent> make_events(size_t n, int accounts, int users_per_account, Spread spread) {
  std::mt19937_64 rng(7);
  std::vector<double> zipf(static_cast<size_t>(accounts));
  for (int k = 0; k < accounts; ++k) zipf[size_t(k)] = std::pow(double(k + 1), -0.8);
  std::discrete_distribution<int> zipf_account(zipf.begin(), zipf.end());
  std::vector<UsageEvent> out;
  out.reserve(n);
  int64_t t = 1'790'000'000'000;
  for (size_t i = 0; i < n; ++i) {
    UsageEvent e;
    int a = spread == Spread::kZipf ? zipf_account(rng) : int(rng() % uint64_t(accounts));
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

// The benchmarks' stream: 2,000,000 events over 10,000 accounts of 10
// users, as 2,000 stored SDK frames, built once. Most benchmarks run its
// first million (kFrames frames), in which every account and user is new;
// the steady ones the second.
constexpr size_t kFrames = 1000;
const std::vector<Frame>& all_frames() {
  static const auto frames = make_frames(make_events(2 * kFrames * 1000, 10'000, 10, Spread::kUniform));
  return frames;
}
// A million events over the same accounts and users, Zipf-spread.
const std::vector<Frame>& skewed_frames() {
  static const auto frames = make_frames(make_events(kFrames * 1000, 10'000, 10, Spread::kZipf));
  return frames;
}
std::span<const Frame> stream_frames() { return std::span(all_frames()).first(kFrames); }

// The first step of the engine's work alone: stored frames decompressed,
// verified and read into UsageEvents (the share of BM_Engine that is not
// the engine's state).
void BM_ReadFrames(benchmark::State& state) {
  const auto frames = stream_frames();
  EventReader reader;
  size_t events = 0;
  for (auto _ : state)
    for (const Frame& f : frames) events += reader.read(f).size();
  if (events != size_t(state.iterations()) * 1'000'000) state.SkipWithError("frames did not read back");
  state.SetItemsProcessed(int64_t(state.iterations() * 1'000'000));
  // What decoding reads and writes an event: the compressed frame, and what zstd decompresses it to.
  double compressed = 0, decompressed = 0;
  for (const Frame& f : frames) {
    compressed += double(f.payload.size());
    decompressed += double(ZSTD_getFrameContentSize(f.payload.data(), f.payload.size()));
  }
  state.counters["compressed_B_per_event"] = compressed / 1e6;
  state.counters["decompressed_B_per_event"] = decompressed / 1e6;
}

// Page faults of this thread so far: the first touch of memory the kernel
// must zero (a huge page at a time where the heap has them).
long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_minflt;
}

// Runs a million events through a fresh engine per measured run: `step(e,
// i, changes)` applies frame i of all_frames(); the words of alerts whose
// accounts moved on are rebuilt once a second and at the end. `steady`:
// the engine applies the stream's first million untimed, and the second is
// measured. Counts the alert changes.
template <class Step>
void run_stream(benchmark::State& state, bool steady, const Step& step) {
  const size_t first = steady ? kFrames : 0;
  for (auto _ : state) {
    auto e = std::make_unique<Engine>();
    if (steady) {
      state.PauseTiming();
      for (size_t i = 0; i < first; ++i) step(*e, i, nullptr);
      e->book.refresh();
      state.ResumeTiming();
    }
    std::vector<AlertChange> changes;
    int64_t created = 0, material = 0, updates = 0;
    RefreshClock clock;
    std::chrono::steady_clock::duration refreshing{};
    const long faults_before = minor_faults();
    for (size_t i = first; i < first + kFrames; ++i) {
      changes.clear();
      step(*e, i, &changes);
      if (clock.due() || i + 1 == first + kFrames) {
        const auto t0 = std::chrono::steady_clock::now();
        for (AlertChange& c : e->book.refresh()) changes.push_back(std::move(c));
        refreshing += std::chrono::steady_clock::now() - t0;
      }
      for (const AlertChange& c : changes) {
        created += c.kind == AlertChange::Kind::kCreated;
        material += c.kind == AlertChange::Kind::kUpdated && c.material;
        updates += c.kind == AlertChange::Kind::kUpdated;
      }
    }
    state.counters["alerts"] = double(created);
    state.counters["updates"] = double(updates);
    state.counters["material_updates"] = double(material);
    state.counters["refresh_ms"] = std::chrono::duration<double, std::milli>(refreshing).count();
    state.counters["page_faults"] = double(minor_faults() - faults_before);
    free_untimed(e, state);
  }
  state.SetItemsProcessed(int64_t(state.iterations() * 1'000'000));
}

// The live engine's work per event on one core: each stored frame decoded,
// its events applied, the accounts it touched evaluated and decided on.
void run_engine(benchmark::State& state, const std::vector<Frame>& frames, bool steady) {
  run_stream(state, steady, [&](Engine& e, size_t i, std::vector<AlertChange>* changes) {
    process_events(e.reader.read(frames[i]), frames[i].received_at_ms, e.engine, e.book, changes);
  });
}
void BM_Engine(benchmark::State& state) { run_engine(state, all_frames(), false); }
void BM_EngineSteady(benchmark::State& state) { run_engine(state, all_frames(), true); }
void BM_EngineSkewed(benchmark::State& state) { run_engine(state, skewed_frames(), false); }

// The engine's own work with the frames already read (as the engine
// thread does when another thread reads the log ahead of it).
void run_engine_decoded(benchmark::State& state, bool steady) {
  static const auto decoded = [] {
    std::vector<std::vector<UsageEvent>> out;
    EventReader reader;
    for (const Frame& f : all_frames()) {
      auto events = reader.read(f);
      out.emplace_back(events.begin(), events.end());
    }
    return out;
  }();
  run_stream(state, steady, [&](Engine& e, size_t i, std::vector<AlertChange>* changes) {
    process_events(decoded[i], all_frames()[i].received_at_ms, e.engine, e.book, changes);
  });
}
void BM_EngineDecoded(benchmark::State& state) { run_engine_decoded(state, false); }
void BM_EngineDecodedSteady(benchmark::State& state) { run_engine_decoded(state, true); }

// `telltale replay` and a restart without a snapshot: the same, reading the
// frames from a real event log on disk.
// A scratch directory for the program's logs, removed at exit.
const std::string& scratch_path() {
  struct ScratchDir {
    std::string path = "/tmp/telltale-engine-bench-" + std::to_string(getpid());
    ~ScratchDir() { std::filesystem::remove_all(path); }
  };
  static const ScratchDir scratch;
  return scratch.path;
}

// Setting up a log failed: there is nothing to measure.
[[noreturn]] void setup_failed(const std::string& what) {
  std::fprintf(stderr, "engine_bench: %s\n", what.c_str());
  std::exit(1);
}

// The stream's frames appended to `log` (once per program).
void append_stream(EventLog& log) {
  std::vector<const Frame*> all;
  for (const Frame& f : stream_frames()) all.push_back(&f);
  std::vector<bool> duplicate;
  if (const LogStatus st = log.append(all, &duplicate); !st.ok) setup_failed("appending the stream: " + st.error);
}

// `telltale replay` of the stream from the log `open_reader` opens.
void replay_benchmark(benchmark::State& state, const std::function<std::unique_ptr<EventLog>()>& open_reader) {
  for (auto _ : state) {
    auto log = open_reader();
    auto e = std::make_unique<Engine>();
    int64_t decisions = 0;
    const LogStatus st = replay_log(*log, SeenFramesLimits{}, e->engine, e->book,
                                    [&](int64_t, const std::vector<AlertChange>& changes) { decisions += int64_t(changes.size()); });
    if (!st.ok) {
      state.SkipWithError(("replay: " + st.error).c_str());
      break;
    }
    state.counters["alert_changes"] = double(decisions);
    benchmark::DoNotOptimize(e->book.refresh());
    free_untimed(e, state);
  }
  state.SetItemsProcessed(int64_t(state.iterations() * 1'000'000));
}

void BM_ReplayFromLog(benchmark::State& state) {
  static const std::string dir = [] {
    const std::string d = scratch_path() + "/sqlite";
    append_stream(*SqliteEventLog::open(d, std::chrono::hours(1)));
    return d;
  }();
  replay_benchmark(state, [] { return SqliteEventLog::open_read_only(dir); });
}

// The same replay from a JetStream stream on a nats-server of the program's
// own (one server, file storage, loopback; its CPU is not this process's).
void BM_ReplayFromJetStream(benchmark::State& state) {
  static telltale::testing::NatsServer nats(TELLTALE_NATS_SERVER, scratch_path() + "/nats");
  static const JetStreamConfig config = [] {
    if (!nats.start()) setup_failed("nats-server did not start");
    JetStreamConfig c;
    c.servers = {nats.url()};
    append_stream(*JetStreamEventLog::open(c));
    return c;
  }();
  replay_benchmark(state, [] { return JetStreamEventLog::open(config); });
}

// Encodes the engine's and book's state and restores it into fresh ones;
// reports the snapshot's size and both times.
void measure_snapshot(const SignalEngine& engine, const AlertBook& book, benchmark::State& state) {
  const std::string fingerprint = rules_fingerprint(PqlRules{}, AlertPolicy{});
  const auto t0 = std::chrono::steady_clock::now();
  const std::string blob = encode_snapshot(engine, book, nullptr, 1000, fingerprint);
  const auto t1 = std::chrono::steady_clock::now();
  SignalEngine restored{PqlRules{}};
  AlertBook restored_book(restored, AlertPolicy{});
  decode_snapshot(blob, fingerprint, restored, restored_book, nullptr);
  const auto t2 = std::chrono::steady_clock::now();
  state.counters["snapshot_MiB"] = double(blob.size()) / (1 << 20);
  state.counters["snapshot_encode_ms"] = std::chrono::duration<double, std::milli>(t1 - t0).count();
  state.counters["snapshot_restore_ms"] = std::chrono::duration<double, std::milli>(t2 - t1).count();
}

// A restart with a snapshot: the whole state of 10,000 accounts and
// 100,000 users (after the 1,000,000 events above) encoded and restored.
void BM_Snapshot(benchmark::State& state) {
  SignalEngine engine{PqlRules{}};
  AlertBook book(engine, AlertPolicy{});
  EventReader reader;
  for (const Frame& f : stream_frames()) process_events(reader.read(f), f.received_at_ms, engine, book, nullptr);
  for (auto _ : state) measure_snapshot(engine, book, state);
}

void BM_MemoryAtScale(benchmark::State& state) {
  for (auto _ : state) {
    const HeapStats before = heap_stats();
    SignalEngine engine{PqlRules{}};
    UsageEvent e, identify;
    e.kind = UsageKind::kTrack;
    e.name = "Dashboard Viewed";
    identify.kind = UsageKind::kIdentify;
    identify.props = {{"email", {}}, {"name", {}}};
    for (auto& [key, value] : identify.props) value.type = PropValue::Type::kString;
    for (int a = 0; a < 100'000; ++a) {
      e.account = "acct-" + std::to_string(a);
      for (int u = 0; u < 10; ++u) {
        e.user = identify.user = e.account + "-u" + std::to_string(u);
        e.time_ms = identify.time_ms = 1'790'000'000'000 + int64_t(a) * 10 + u;
        identify.props[0].second.s = "user" + std::to_string(u) + "@company" + std::to_string(a) + ".com";
        identify.props[1].second.s = "User " + std::to_string(a) + "-" + std::to_string(u);
        engine.apply(identify);
        engine.apply(e);
      }
    }
    state.counters["accounts"] = double(engine.account_count());
    state.counters["users"] = double(engine.user_count());
    const HeapStats after = heap_stats();
    state.counters["heap_MiB"] = double(after.allocated - before.allocated) / (1 << 20);
    state.counters["resident_MiB"] = double(after.resident - before.resident) / (1 << 20);
    const EngineMemory m = engine.memory();  // the engine's own estimate, as /metrics reports it
    state.counters["estimate_MiB"] = double(m.account_bytes + m.user_bytes + m.name_bytes) / (1 << 20);
    measure_snapshot(engine, AlertBook(engine, AlertPolicy{}), state);
  }
}

// 100,000 accounts, each named by a group call ("Company 42"), and a
// million events over them, ten users each.
std::unique_ptr<SignalEngine> hundred_thousand_accounts() {
  auto engine = std::make_unique<SignalEngine>(PqlRules{});
  for (int a = 0; a < 100'000; ++a) {
    UsageEvent group;
    group.kind = UsageKind::kGroup;
    group.account = "acct-" + std::to_string(a);
    PropValue name;
    name.type = PropValue::Type::kString;
    name.s = "Company " + std::to_string(a);
    group.props = {{"name", name}};
    engine->apply(group);
  }
  for (const UsageEvent& e : make_events(1'000'000, 100'000, 10, Spread::kUniform)) engine->apply(e);
  return engine;
}

// GET /v1/accounts at 100,000 accounts (`query`): how long the engine
// thread waits for one such request.
void rank_hundred_thousand(benchmark::State& state, const AccountQuery& query) {
  const auto engine = hundred_thousand_accounts();
  size_t matching = 0;
  for (auto _ : state) matching = rank_accounts(*engine, query).matching;
  state.counters["accounts"] = double(engine->account_count());
  state.counters["matching"] = double(matching);
}
// The accounts warming up, the first 50.
void BM_RankAccounts(benchmark::State& state) { rank_hundred_thousand(state, {.qualified = false, .limit = 50}); }
// A rep looking one up by a part of its name (?q=), in another case.
void BM_FindAccount(benchmark::State& state) { rank_hundred_thousand(state, {.text = "company 4242", .limit = 8}); }

}  // namespace

BENCHMARK(BM_Engine)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EngineDecoded)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EngineSteady)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EngineSkewed)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EngineDecodedSteady)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadFrames)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReplayFromLog)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReplayFromJetStream)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Snapshot)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MemoryAtScale)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RankAccounts)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FindAccount)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
