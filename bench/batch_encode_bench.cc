// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// batch_encode_bench: encode + compress one batch of 1,000 events from a
// realistic mix (40 accounts, 400 users, 12 event names drawn with a skew,
// 0-4 properties from a small vocabulary, mostly small values), in the wire
// format's columnar layout (telltale.fbs) beside the obvious alternative, a
// row-per-event FlatBuffers batch (row_batch.fbs), both zstd level 1 with a
// reused context. Reports ns/event and wire bytes/event.
//
//   build/bench/batch_encode_bench --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <zstd.h>

#include <random>
#include <string>
#include <vector>

#include "row_batch_generated.h"
#include "telltale/schema/codec.h"

namespace {

using namespace telltale;

struct Mix {
  std::vector<std::string> accounts, users, names, plans, features;
  std::vector<wire::Event> events;
  std::vector<std::vector<wire::Property>> props;
};

Mix make_mix(size_t n) {
  Mix m;
  std::mt19937_64 rng(2026);
  for (int i = 0; i < 40; ++i) m.accounts.push_back("acct_" + std::to_string(1000 + i * 37));
  for (int i = 0; i < 400; ++i) m.users.push_back("user_" + std::to_string(50000 + i * 101));
  m.names = {"Report Created", "Dashboard Viewed", "Content Shared", "Data Imported",
             "User Invited", "Integration Connected", "Pricing Page Viewed", "Usage Reported",
             "Premium Feature Attempted", "Workspace Created", "Search Performed", "Export Downloaded"};
  m.plans = {"free", "team", "business"};
  m.features = {"sso", "audit_log", "api", "scim", "sandbox"};
  m.events.resize(n);
  m.props.resize(n);
  int64_t t = 1'790'000'000'000;
  for (size_t i = 0; i < n; ++i) {
    wire::Event& e = m.events[i];
    size_t account = rng() % 40;
    e.message_id = wire::Id16::from_parts(0x5eed, i + 1);
    e.type = wire::EventType::kTrack;
    t += int64_t(rng() % 4);
    e.time_ms = t;
    e.account = m.accounts[account];
    e.user = m.users[account * 10 + rng() % 10];
    // Skewed: a few names dominate, as in real products.
    size_t r = rng() % 100;
    size_t name = r < 40 ? 1 : r < 60 ? 0 : r < 75 ? 10 : r < 85 ? 2 : 3 + r % 9;
    e.name = m.names[name];
    auto& p = m.props[i];
    switch (rng() % 5) {
      case 4: p.push_back({"feature", {wire::ValueType::kString, 0, 0, m.features[rng() % 5]}}); [[fallthrough]];
      case 3: p.push_back({"duration_ms", {wire::ValueType::kInt, int64_t(rng() % 2000), 0, {}}}); [[fallthrough]];
      case 2: p.push_back({"plan", {wire::ValueType::kString, 0, 0, m.plans[account % 3]}}); [[fallthrough]];
      case 1: p.push_back({"rows", {wire::ValueType::kInt, int64_t(rng() % 500), 0, {}}}); break;
      default: break;
    }
    e.props = p.data();
    e.prop_count = p.size();
  }
  return m;
}

const Mix& mix() {
  static const Mix m = make_mix(1000);
  return m;
}

wire::BatchHeader header() {
  wire::BatchHeader h;
  h.batch_id = wire::Id16::from_parts(1, 2);
  h.sent_at_ms = 1'790'000'000'000;
  h.sdk_name = "telltale-cpp";
  h.sdk_version = "0.1.0";
  return h;
}

void BM_ColumnarBatch(benchmark::State& state) {
  const Mix& m = mix();
  wire::BatchEncoder encoder(1);
  std::vector<uint8_t> out;
  const wire::BatchHeader h = header();
  for (auto _ : state) {
    encoder.reset();
    for (const wire::Event& e : m.events) encoder.add(e);
    if (!encoder.finish(h, &out).ok()) state.SkipWithError("encode failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(int64_t(state.iterations() * m.events.size()));
  state.counters["wire_bytes_per_event"] = double(out.size()) / double(m.events.size());
  state.counters["ns_per_event"] = benchmark::Counter(double(state.iterations() * m.events.size()),
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert) ;
}

void BM_RowPerEventBatch(benchmark::State& state) {
  const Mix& m = mix();
  flatbuffers::FlatBufferBuilder fbb(1 << 16);
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 1);
  std::vector<uint8_t> out;
  std::vector<flatbuffers::Offset<bench::RowEvent>> rows;
  std::vector<flatbuffers::Offset<bench::RowProperty>> props;
  for (auto _ : state) {
    fbb.Clear();
    rows.clear();
    for (const wire::Event& e : m.events) {
      props.clear();
      for (size_t i = 0; i < e.prop_count; ++i) {
        const wire::Property& p = e.props[i];
        auto key = fbb.CreateString(p.key.data(), p.key.size());
        auto sv = p.value.type == wire::ValueType::kString ? fbb.CreateString(p.value.s.data(), p.value.s.size())
                                                           : flatbuffers::Offset<flatbuffers::String>();
        props.push_back(bench::CreateRowProperty(fbb, key, uint8_t(p.value.type), p.value.i, p.value.d, sv));
      }
      bench::RowId id(e.message_id.hi(), e.message_id.lo());
      auto account = fbb.CreateString(e.account.data(), e.account.size());
      auto user = fbb.CreateString(e.user.data(), e.user.size());
      auto name = fbb.CreateString(e.name.data(), e.name.size());
      rows.push_back(bench::CreateRowEvent(fbb, &id, uint8_t(e.type), e.time_ms, account, user, name,
                                           fbb.CreateVector(props)));
    }
    bench::RowId batch_id(1, 2);
    fbb.Finish(bench::CreateRowBatch(fbb, &batch_id, 1'790'000'000'000, fbb.CreateVector(rows)));
    out.resize(ZSTD_compressBound(fbb.GetSize()));
    out.resize(ZSTD_compress2(cctx, out.data(), out.size(), fbb.GetBufferPointer(), fbb.GetSize()));
    benchmark::DoNotOptimize(out.data());
  }
  ZSTD_freeCCtx(cctx);
  state.SetItemsProcessed(int64_t(state.iterations() * m.events.size()));
  state.counters["wire_bytes_per_event"] = double(out.size()) / double(m.events.size());
  state.counters["ns_per_event"] = benchmark::Counter(double(state.iterations() * m.events.size()),
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Decode cost, the collector's side of the same batch.
void BM_ColumnarDecode(benchmark::State& state) {
  const Mix& m = mix();
  wire::BatchEncoder encoder(1);
  for (const wire::Event& e : m.events) encoder.add(e);
  std::vector<uint8_t> bytes;
  encoder.finish(header(), &bytes);
  wire::BatchDecoder decoder;
  for (auto _ : state) {
    wire::DecodedBatch d;
    if (!decoder.decode(bytes.data(), bytes.size(), &d).ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(d.events.data());
  }
  state.SetItemsProcessed(int64_t(state.iterations() * m.events.size()));
  state.counters["ns_per_event"] = benchmark::Counter(double(state.iterations() * m.events.size()),
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

}  // namespace

BENCHMARK(BM_ColumnarBatch)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RowPerEventBatch)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ColumnarDecode)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
