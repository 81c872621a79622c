// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// SeenFrames, the engine's long-window de-duplication set for a JetStream
// log: what remembering one frame's key costs once the set is full (a
// million keys, each frame new; a frame's key digested on the read-ahead
// thread, looked up and stored on the engine's), and the memory per key,
// beside the plain alternative measured in the same run: the keys
// themselves in a std::unordered_set<std::string>.
//
//   build/bench/seen_frames_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <string>
#include <unordered_set>
#include <vector>

#include "app/allocator.h"
#include "signals/seen_frames.h"

namespace telltale::collector {
namespace {

constexpr int64_t kKeys = 1'000'000;
constexpr int64_t kTimed = 200'000;  // new keys each run times

// An SDK batch's key: "b:" and 16 bytes of batch id.
std::string batch_key(int64_t i) {
  std::string k = "b:";
  for (int b = 0; b < 16; ++b) k.push_back(char((i >> (8 * (b % 8))) ^ (b * 37)));
  return k;
}

size_t heap_in_use() { return heap_stats().allocated; }

void BM_SeenFramesKeyOf(benchmark::State& state) {
  const std::string key = batch_key(42);
  for (auto _ : state) benchmark::DoNotOptimize(SeenFrames::key_of(key));
  state.SetItemsProcessed(state.iterations());
}

void BM_SeenFramesFirst(benchmark::State& state) {
  const size_t before = heap_in_use();
  SeenFrames seen(SeenFramesLimits{});
  int64_t i = 0;
  for (; i < kKeys; ++i) seen.first(*SeenFrames::key_of(batch_key(i)), i);
  state.counters["heap_bytes_per_key"] = double(heap_in_use() - before) / double(seen.keys());
  std::vector<SeenFrames::Key> next;
  for (int64_t n = 0; n < kTimed; ++n) next.push_back(*SeenFrames::key_of(batch_key(i + n)));
  size_t n = 0;
  for (auto _ : state) benchmark::DoNotOptimize(seen.first(next[n++], i++));
  state.SetItemsProcessed(state.iterations());
}

void BM_UnorderedSetOfKeys(benchmark::State& state) {
  const size_t before = heap_in_use();
  std::unordered_set<std::string> seen;
  int64_t i = 0;
  for (; i < kKeys; ++i) seen.insert(batch_key(i));
  state.counters["heap_bytes_per_key"] = double(heap_in_use() - before) / double(seen.size());
  std::vector<std::string> next;
  for (int64_t n = 0; n < kTimed; ++n) next.push_back(batch_key(i + n));
  size_t n = 0;
  for (auto _ : state) benchmark::DoNotOptimize(seen.insert(std::move(next[n++])).second);
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_SeenFramesKeyOf);
BENCHMARK(BM_SeenFramesFirst)->Iterations(kTimed);
BENCHMARK(BM_UnorderedSetOfKeys)->Iterations(kTimed);

}  // namespace
}  // namespace telltale::collector

BENCHMARK_MAIN();
