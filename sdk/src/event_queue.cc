// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "event_queue.h"

#include <concurrentqueue/concurrentqueue.h>

#include <unordered_set>

namespace telltale::detail {
namespace {

struct QueueTraits : moodycamel::ConcurrentQueueDefaultTraits {
  // 64 records (24 KiB) per block; a producer's block index of 4096 entries
  // (64 KiB, allocated once per producer thread) lets one thread alone fill
  // up to 262,144 records without allocating.
  static const size_t BLOCK_SIZE = 64;
  static const size_t IMPLICIT_INITIAL_INDEX_SIZE = 4096;
};
using Queue = moodycamel::ConcurrentQueue<EventRecord, QueueTraits>;

// Live queues by id. A thread's slot cache may outlive a queue; thread exit
// consults this (under its mutex) before touching a slot. Ids are never
// reused, so a stale cache entry can never match a new queue. Leaked on
// purpose: thread-local destructors may run after static destruction.
std::mutex& registry_mutex() {
  static auto* m = new std::mutex;
  return *m;
}
std::unordered_set<uint64_t>& live_queues() {
  static auto* s = new std::unordered_set<uint64_t>;
  return *s;
}
std::atomic<uint64_t> next_queue_id{1};

void bump(std::atomic<uint64_t>& counter) noexcept {
  // Single writer (the slot's owning thread): no read-modify-write needed.
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

}  // namespace

struct EventQueue::Slot {
  std::atomic<bool> in_use{true};
  std::atomic<uint64_t> enqueued{0};
  std::array<std::atomic<uint64_t>, kDropReasonCount> dropped{};
};

struct EventQueue::Impl {
  Impl(uint64_t queue_id, size_t capacity)
      : id(queue_id), queue(capacity + 8 * QueueTraits::BLOCK_SIZE), consumer(queue) {}
  uint64_t id;
  Queue queue;
  moodycamel::ConsumerToken consumer;
  mutable std::mutex slots_mutex;
  std::vector<std::unique_ptr<Slot>> slots;  // destroyed before `queue`
};

namespace {

struct CacheEntry {
  uint64_t queue_id = 0;
  void* slot = nullptr;  // EventQueue::Slot*, alive while queue_id is live
};

// Each thread remembers its slot in the last few queues it pushed to.
struct ThreadCache {
  std::array<CacheEntry, 4> entries;
  size_t next_victim = 0;
  ~ThreadCache() {
    for (CacheEntry& e : entries) release(e);
  }
  static void release(CacheEntry& e) noexcept;
};

thread_local ThreadCache t_cache;

}  // namespace

EventQueue::EventQueue(size_t capacity)
    : id_(next_queue_id.fetch_add(1)), capacity_(capacity), impl_(std::make_unique<Impl>(id_, capacity)) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  live_queues().insert(impl_->id);
}

EventQueue::~EventQueue() {
  std::lock_guard<std::mutex> lock(registry_mutex());
  live_queues().erase(impl_->id);
}

EventQueue::Slot* EventQueue::slot_for_this_thread() noexcept {
  ThreadCache& cache = t_cache;
  for (CacheEntry& e : cache.entries)
    if (e.queue_id == id_) return static_cast<Slot*>(e.slot);

  // First push from this thread: take a free slot or make one. This is the
  // only path that locks or allocates, once per thread.
  Slot* slot = nullptr;
  try {
    std::lock_guard<std::mutex> lock(impl_->slots_mutex);
    for (auto& s : impl_->slots) {
      bool expected = false;
      if (s->in_use.compare_exchange_strong(expected, true)) {
        slot = s.get();
        break;
      }
    }
    if (slot == nullptr) {
      impl_->slots.push_back(std::make_unique<Slot>());
      slot = impl_->slots.back().get();
    }
  } catch (...) {
    return nullptr;
  }
  CacheEntry& victim = cache.entries[cache.next_victim];
  cache.next_victim = (cache.next_victim + 1) % cache.entries.size();
  ThreadCache::release(victim);
  victim.queue_id = impl_->id;
  victim.slot = slot;
  return slot;
}

void ThreadCache::release(CacheEntry& e) noexcept {
  if (e.slot == nullptr) return;
  std::lock_guard<std::mutex> lock(registry_mutex());
  if (live_queues().count(e.queue_id))
    static_cast<EventQueue::Slot*>(e.slot)->in_use.store(false, std::memory_order_release);
  e = CacheEntry{};
}

bool EventQueue::push(EventRecord&& record) noexcept {
  Slot* slot = slot_for_this_thread();
  // moodycamel's implicit (per-thread, token-less) producer: it returns each
  // emptied block to the shared pool, so a thread that once queued a burst
  // cannot keep the capacity from the others, as an explicit producer token
  // would (those keep every block they have used).
  if (slot == nullptr || !impl_->queue.try_enqueue(std::move(record))) return false;
  bump(slot->enqueued);
  return true;
}

void EventQueue::count_drop(DropReason reason) noexcept {
  if (Slot* slot = slot_for_this_thread()) bump(slot->dropped[static_cast<size_t>(reason)]);
}

size_t EventQueue::pop_bulk(EventRecord* out, size_t max) noexcept {
  return impl_->queue.try_dequeue_bulk(impl_->consumer, out, max);
}

ProducerCounters EventQueue::counters() const {
  ProducerCounters sum;
  std::lock_guard<std::mutex> lock(impl_->slots_mutex);
  for (const auto& s : impl_->slots) {
    sum.enqueued += s->enqueued.load(std::memory_order_relaxed);
    for (size_t r = 0; r < kDropReasonCount; ++r)
      sum.dropped[r] += s->dropped[r].load(std::memory_order_relaxed);
  }
  return sum;
}

}  // namespace telltale::detail
