// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// EventQueue: the bounded multi-producer, single-consumer queue between host
// threads and the sender (a moodycamel::ConcurrentQueue of EventRecords).
//
// Producers: each host thread enqueues through moodycamel's implicit
// per-thread producer (created on the thread's first push, the one
// allocation a thread ever makes here) into a preallocated pool of blocks
// holding `capacity` records; emptied blocks go back to the pool, so the
// capacity is shared by all threads at every moment. A push is a lock-free
// enqueue: no lock, no system call, no allocation.
//
// Each thread also gets a counter slot on its first push, cached in a
// thread-local table; counters are written only by the slot's owning thread
// and summed by counters(), so counting costs no contended atomic. Slots
// are handed to new threads when their thread exits.
//
// Thread-safety: push() from any thread; pop_bulk() from one consumer thread.
// The queue must outlive every push() to it (the Tracker guarantees this).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "event_record.h"
#include "telltale/stats.h"

namespace telltale::detail {

struct ProducerCounters {
  uint64_t enqueued = 0;
  std::array<uint64_t, kDropReasonCount> dropped{};
};

class EventQueue {
 public:
  explicit EventQueue(size_t capacity);
  ~EventQueue();
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  // Moves `record` in. Returns false when full (the record is left intact).
  // Counts the enqueue in the calling thread's slot.
  bool push(EventRecord&& record) noexcept;

  // Counts a drop against the calling thread's slot. Lock-free once the
  // thread has a slot.
  void count_drop(DropReason reason) noexcept;

  // Moves up to `max` records into `out`. Consumer thread only.
  size_t pop_bulk(EventRecord* out, size_t max) noexcept;

  // Sums every slot's counters (a short lock over the slot list).
  ProducerCounters counters() const;

  size_t capacity() const noexcept { return capacity_; }

  struct Slot;  // a producer token and its thread's counters (internal)

 private:
  struct Impl;
  Slot* slot_for_this_thread() noexcept;

  // Read by every push; written once. Kept on a line of their own, away from
  // anything the consumer writes.
  alignas(64) uint64_t id_;
  size_t capacity_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace telltale::detail
