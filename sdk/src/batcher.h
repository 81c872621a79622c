// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Batcher: collects queued events into wire batches and says when one is
// due: at `max_events` events, `max_bytes` uncompressed bytes, or when its
// oldest event has waited `max_delay`. It gives each event its message id
// (this tracker's random 64-bit session id, then a sequence number) and each
// batch a random 128-bit batch id that stays the same across retries.
// Also splits an encoded batch in two after a 413, keeping message ids.
// Used by the sender thread only; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "event_record.h"
#include "telltale/schema/codec.h"

namespace telltale::detail {

using SteadyTime = std::chrono::steady_clock::time_point;

// A compressed batch on its way to the collector.
struct OutgoingBatch {
  wire::Id16 id;
  std::vector<uint8_t> body;
  uint32_t events = 0;
  uint64_t spool_sequence = 0;  // non-zero when it was read back from the spool
};

struct BatchLimits {
  size_t max_events = 1000;
  size_t max_bytes = 512 * 1024;
  std::chrono::milliseconds max_delay{250};
  int zstd_level = 1;
};

extern const char* const kSdkName;
extern const char* const kSdkVersion;

class Batcher {
 public:
  Batcher(BatchLimits limits, uint64_t seed);

  // Adds one event; `now` starts the delay clock for the first event.
  void add(const EventRecord& record, SteadyTime now);
  bool empty() const noexcept { return encoder_.event_count() == 0; }
  size_t size() const noexcept { return encoder_.event_count(); }
  bool full() const noexcept;
  // When the current batch must go out by the delay rule.
  SteadyTime due_at() const noexcept { return first_added_ + limits_.max_delay; }

  // Encodes the current batch with `report` into *out and starts a new one.
  wire::CodecStatus seal(const wire::ClientReport& report, OutgoingBatch* out);

  // Splits `in` into two batches with new batch ids (the first keeps the
  // client report). Returns false if `in` has fewer than two events or does
  // not decode.
  bool split(const OutgoingBatch& in, OutgoingBatch* first, OutgoingBatch* second);

  wire::Id16 new_batch_id();

 private:
  wire::CodecStatus encode(const wire::BatchHeader& header, OutgoingBatch* out);

  BatchLimits limits_;
  std::mt19937_64 rng_;
  uint64_t session_id_;
  uint64_t next_sequence_ = 1;
  wire::BatchEncoder encoder_;
  SteadyTime first_added_{};
  std::vector<wire::Property> scratch_;
};

}  // namespace telltale::detail
