// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "event_queue.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace telltale::detail {
namespace {

EventRecord make(int64_t time_ms) {
  EventRecord r;
  size_t n = EventRecord::packed_size("a", "u", "E", {});
  r.pack(wire::EventType::kTrack, time_ms, "a", "u", "E", {}, n);
  return r;
}

TEST(EventQueue, IsBoundedAndCountsPerThread) {
  EventQueue q(1024);
  size_t accepted = 0;
  for (int i = 0; i < 100000; ++i)
    if (q.push(make(i))) ++accepted;
    else q.count_drop(DropReason::kQueueFull);
  // Capacity plus at most the slack blocks: never unbounded.
  EXPECT_GE(accepted, 1024u);
  EXPECT_LE(accepted, 1024u + 8 * 64);
  ProducerCounters c = q.counters();
  EXPECT_EQ(c.enqueued, accepted);
  EXPECT_EQ(c.dropped[size_t(DropReason::kQueueFull)], 100000 - accepted);
}

TEST(EventQueue, DeliversEveryRecordFromManyThreadsInPerThreadOrder) {
  EventQueue q(1 << 16);
  constexpr int kThreads = 4, kPerThread = 10000;
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t)
    producers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i)
        while (!q.push(make(int64_t(t) * 1'000'000 + i))) std::this_thread::yield();
    });
  std::vector<int64_t> last(kThreads, -1);
  size_t received = 0;
  std::vector<EventRecord> buf(256);
  while (received < size_t(kThreads) * kPerThread) {
    size_t n = q.pop_bulk(buf.data(), buf.size());
    for (size_t i = 0; i < n; ++i) {
      int64_t v = buf[i].time_ms();
      int t = int(v / 1'000'000);
      EXPECT_GT(v % 1'000'000, last[t]);
      last[t] = v % 1'000'000;
    }
    received += n;
  }
  for (auto& p : producers) p.join();
  EXPECT_EQ(q.counters().enqueued, size_t(kThreads) * kPerThread);
}

TEST(EventQueue, ReusesSlotsOfExitedThreads) {
  EventQueue q(4096);
  for (int round = 0; round < 50; ++round) {
    std::thread([&] { ASSERT_TRUE(q.push(make(round))); }).join();
  }
  std::vector<EventRecord> buf(64);
  EXPECT_EQ(q.pop_bulk(buf.data(), buf.size()), 50u);
  EXPECT_EQ(q.counters().enqueued, 50u);
}

TEST(EventQueue, AThreadMayOutliveTheQueueItPushedTo) {
  std::thread t;
  std::atomic<bool> pushed{false}, release{false};
  {
    auto q = std::make_unique<EventQueue>(256);
    t = std::thread([&, raw = q.get()] {
      raw->push(make(1));
      pushed = true;
      while (!release) std::this_thread::yield();
    });
    while (!pushed) std::this_thread::yield();
    q.reset();  // the thread's cached slot now refers to a dead queue
    release = true;
  }
  t.join();  // thread exit must not touch the freed slot (ASan checks)
}

}  // namespace
}  // namespace telltale::detail
