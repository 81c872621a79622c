// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// A Tracker sends usage events to a Telltale collector. Create one per
// process and share it: every method is thread-safe and, but for create(),
// flush(), shutdown() and the destructor, returns at once.
//
// The event calls (track, identify, group, usage) copy the event into a
// bounded lock-free queue and return. They take no lock, make no system call,
// never throw, and for typical events (up to 256 bytes of ids, names and
// values, up to 8 properties) allocate nothing; a larger event takes one heap
// allocation. When the queue is full the event is dropped and counted (or
// spilled to the spool, see OverflowPolicy). One background sender thread
// batches, compresses and POSTs events, retrying with backoff and spooling to
// disk while the collector is unreachable.
//
// fork(): in a forked child the tracker is inert. Its calls return at once,
// events are counted as dropped (DropReason::kForked), flush() and shutdown()
// return false, and the destructor releases nothing the parent's threads may
// have held (a few kilobytes leak in the child). Create a new Tracker in the
// child if it must send events.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

#include "telltale/export.h"
#include "telltale/options.h"
#include "telltale/properties.h"
#include "telltale/stats.h"
#include "telltale/status.h"

namespace telltale {

class TELLTALE_EXPORT Tracker {
 public:
  // Validates `opts`, opens the spool and starts the sender thread. On error
  // returns nullptr and, if `why` is given, says which option is wrong. The
  // only call that fails loudly. Allocates; blocks only to list the spool.
  static std::unique_ptr<Tracker> create(const Options& opts, Status* why = nullptr) noexcept;

  // Records that `user` of `account` did `event`. Returns false if the event
  // was dropped (counted in stats()). Never blocks, throws or (for typical
  // events) allocates. `account` may be empty (the collector then uses the
  // user's account from their last group call); strings are copied.
  bool track(std::string_view account, std::string_view user, std::string_view event,
             Properties props = {}) noexcept;
  // Records who `user` is (email, name, ...). Same guarantees as track().
  bool identify(std::string_view user, Properties traits = {}) noexcept;
  // Records what `account` is (name, domain, employees, plan, industry,
  // region, owner, timezone). Same guarantees as track().
  bool group(std::string_view account, Properties traits = {}) noexcept;
  // Reports plan-limit usage: sends the "Usage Reported" event with
  // properties metric, used and limit. Same guarantees as track().
  bool usage(std::string_view account, std::string_view metric, int64_t used,
             int64_t limit) noexcept;

  // Sends everything queued before the call and waits at most `deadline`
  // (backing off from a failed collector, it tries once more shortly before
  // the deadline). Returns true when all of it was acknowledged by the
  // collector. Blocks the caller; thread-safe; does not allocate on the
  // caller's thread.
  bool flush(std::chrono::milliseconds deadline) noexcept;

  // Stops accepting events (later calls count as DropReason::kAfterShutdown),
  // flushes within `deadline` (backing off from a failed collector, it
  // tries once more shortly before the deadline), then writes what could
  // not be delivered to the spool (or counts it dropped without one) and
  // stops the sender.
  // Returns true when everything was acknowledged. Returns within `deadline`
  // plus the time to write the spool. Idempotent.
  bool shutdown(std::chrono::milliseconds deadline) noexcept;

  // A snapshot of the counters. Takes a short lock; thread-safe.
  Stats stats() const noexcept;

  // shutdown(opts.shutdown_timeout) unless shutdown() was called; never hangs.
  ~Tracker();

  Tracker(const Tracker&) = delete;
  Tracker& operator=(const Tracker&) = delete;

  struct Impl;

 private:
  explicit Tracker(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace telltale
