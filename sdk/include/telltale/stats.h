// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Stats: a snapshot of a Tracker's counters since it was created. Every
// event a host hands to track()/identify()/group()/usage() ends up in exactly
// one of: acked, dropped (by reason), spooled (then acked on a later run), or
// still queued.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace telltale {

// Why events were dropped. Values match the wire contract's DropReason.
enum class DropReason : uint8_t {
  kQueueFull = 0,      // the queue was full when the event was tracked
  kTooLarge = 1,       // the event exceeded Options::max_event_bytes
  kAfterShutdown = 2,  // tracked after shutdown()
  kRejected = 3,       // the collector refused the batch permanently (4xx)
  kBufferFull = 4,     // collector unreachable and the retry buffer full (no spool room)
  kSpoolFull = 5,      // evicted from a full disk spool (oldest first)
  kForked = 6,         // tracked in a forked child, where the tracker is inert
  kShutdownTimeout = 7,  // not delivered by the shutdown deadline, and no spool
};
inline constexpr size_t kDropReasonCount = 8;

struct Stats {
  uint64_t enqueued = 0;       // events accepted into the queue
  std::array<uint64_t, kDropReasonCount> dropped{};  // events dropped, by DropReason
  uint64_t sent = 0;           // events in batches sent (each batch counted once)
  uint64_t acked = 0;          // events the collector acknowledged
  uint64_t retried = 0;        // batch send attempts that were retried
  uint64_t spooled = 0;        // events written to the disk spool
  uint64_t batches_acked = 0;  // batches the collector acknowledged
  uint64_t bytes_sent = 0;     // compressed bytes in acknowledged batches
  uint64_t queue_bytes = 0;    // memory held by queued events and unsent batches

  uint64_t dropped_total() const noexcept {
    uint64_t sum = 0;
    for (uint64_t d : dropped) sum += d;
    return sum;
  }
  uint64_t dropped_for(DropReason r) const noexcept { return dropped[static_cast<size_t>(r)]; }
};

}  // namespace telltale
