// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Sender: the one background thread of a Tracker. It drains the event queue
// into batches (Batcher), keeps compressed batches in a bounded in-memory
// retry buffer, and delivers them one at a time through the Transport:
// spooled batches first (they are older), then the buffer, in order.
//
//   2xx           acknowledged: counted, forgotten
//   413           split in two and both halves retried (message ids kept)
//   408, 429, 5xx retried after Retry-After, or exponential backoff with
//   network error full jitter; never a busy loop
//   other 4xx     permanent: dropped, counted (kRejected), logged once per status
//
// When the buffer exceeds max_buffer_bytes its oldest batches move to the
// spool (or are dropped as kBufferFull without one). On shutdown whatever is
// still undelivered goes to the spool (or is dropped as kShutdownTimeout).
//
// Thread-safety: flush() and shutdown() may be called from any thread; the
// loop catches everything per step, so no exception ever leaves the thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "backoff.h"
#include "batcher.h"
#include "diagnostics.h"
#include "event_queue.h"
#include "spool.h"
#include "telltale/stats.h"
#include "transport.h"

namespace telltale::detail {

// Counters the sender writes (single writer) and stats() reads. Aligned to
// cache lines so that the sender's writes never share a line with what host
// threads read on every call.
struct alignas(64) SenderCounters {
  std::atomic<uint64_t> dequeued{0};
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> acked{0};
  std::atomic<uint64_t> retried{0};
  std::atomic<uint64_t> spooled{0};
  std::atomic<uint64_t> batches_acked{0};
  std::atomic<uint64_t> bytes_sent{0};
  std::atomic<uint64_t> buffer_bytes{0};
  std::array<std::atomic<uint64_t>, kDropReasonCount> dropped{};
  // Heap bytes held by oversized queued events: host threads add, the sender
  // subtracts; bounds what oversized events may hold.
  alignas(64) std::atomic<int64_t> heap_bytes{0};

  void add_drop(DropReason r, uint64_t n) noexcept {
    dropped[static_cast<size_t>(r)].fetch_add(n, std::memory_order_relaxed);
  }
};

struct SenderConfig {
  BatchLimits batch;
  size_t max_buffer_bytes = 16 << 20;
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::milliseconds retry_initial{100};
  std::chrono::milliseconds retry_max{30000};
  uint64_t seed = 0;
};

class Sender {
 public:
  Sender(SenderConfig config, EventQueue* queue, std::unique_ptr<Transport> transport,
         Spool* spool, Diagnostics* diagnostics, SenderCounters* counters);
  ~Sender();  // stops at once if still running (undelivered batches are spooled)
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  void start();
  // See Tracker::flush / Tracker::shutdown.
  bool flush(std::chrono::milliseconds deadline);
  bool shutdown(std::chrono::milliseconds deadline);
  // For a forked child: forget the thread without joining (it does not exist there).
  void abandon_after_fork() noexcept;

 private:
  void run() noexcept;
  bool step();  // false once stopping
  size_t drain(SteadyTime now);
  void seal();
  void enforce_buffer_bound();
  // Moves the oldest buffered batch to the spool; without one (or when the
  // write fails) counts its events dropped for `otherwise`. True if spooled.
  bool spool_oldest(DropReason otherwise);
  bool deliver(SteadyTime now);
  void settle(OutgoingBatch& batch, bool from_spool, const SendResult& r, SteadyTime now);
  void finish_on_stop();
  void wait(SteadyTime until);
  void take_last_chance(SteadyTime deadline, SteadyTime now);
  uint64_t undelivered_events() const noexcept;  // dropped after the queue
  wire::ClientReport take_report();

  SenderConfig config_;
  EventQueue* queue_;
  std::unique_ptr<Transport> transport_;
  Spool* spool_;
  Diagnostics* diagnostics_;
  SenderCounters* counters_;

  Batcher batcher_;
  Backoff backoff_;
  std::deque<OutgoingBatch> buffer_;              // oldest first
  std::optional<OutgoingBatch> spooled_head_;     // spool front, read once
  SteadyTime next_attempt_{};
  bool collector_asked_to_wait_ = false;  // next_attempt_ is the collector's Retry-After
  std::set<int> logged_statuses_;
  std::vector<EventRecord> scratch_;
  std::chrono::milliseconds idle_poll_{1};
  wire::ClientReport reported_;  // totals already reported to the collector

  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable flushed_;
  uint64_t flush_requested_ = 0;  // guarded by mutex_
  uint64_t flush_done_ = 0;       // guarded by mutex_
  uint64_t flush_seen_ = 0;       // guarded by mutex_: the newest request a step has taken up
  bool stopping_ = false;         // guarded by mutex_
  std::optional<SteadyTime> hard_deadline_;  // guarded by mutex_; set by shutdown
  // guarded by mutex_: the earliest deadline of the flushes not served yet
  std::optional<SteadyTime> flush_deadline_;
};

}  // namespace telltale::detail
