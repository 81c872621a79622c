// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// SeenFrames: the engine's own long-window de-duplication set, for a log
// whose store forgets de-duplication keys early (JetStream keeps a stream's
// message ids in its servers' memory for the duplicate window, two hours
// by default; DESIGN.md promises days). An SDK that resends a batch after
// that, or a Segment library that retries a call, gets it stored twice; the
// engine then skips the second copy here, so its events count once.
//
// It remembers each frame's key (a 128-bit digest of it) for at least
// `window` of log time and at most an eighth more, in generations of an
// eighth of the window each: a generation is forgotten whole once its
// latest key is older than the window. Log time is the frames' own
// receive time (the latest seen, so a collector whose clock lags does not
// turn it back), never the wall clock: whether a frame is a duplicate
// depends only on the frames before it, so a replay of the log, or a
// restart from a snapshot (save/load), decides exactly as the live engine
// did. Memory is bounded: past `max_keys` keys the oldest generations go
// early, and remembered_since_ms() tells how far back the set then reaches.
//
// Value type; not thread-safe (the engine thread owns it).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>

#include <absl/container/flat_hash_set.h>

#include "signals/snapshot_codec.h"

namespace telltale::collector {

// What a SeenFrames remembers at most ([dedup] window_hours and engine_max_ids).
struct SeenFramesLimits {
  std::chrono::milliseconds window = std::chrono::hours(7 * 24);
  // 16 bytes each in flat hash sets, up to about 42 with their free slots.
  size_t max_keys = 10'000'000;
};

class SeenFrames {
 public:
  using Key = std::array<uint64_t, 2>;  // a digest of a frame's de-duplication key
  static constexpr int64_t kGenerations = 8;

  // The digest of a frame's de-duplication key (the first 16 bytes of its
  // SHA-256); nullopt for an empty key (a frame that is never a duplicate).
  static std::optional<Key> key_of(std::string_view dedup_key);

  explicit SeenFrames(SeenFramesLimits limits);

  // Remembers the key of a frame received at `received_at_ms`: true when it
  // is the first frame with that key the set remembers, false for a
  // duplicate (remembered already).
  bool first(const Key& key, int64_t received_at_ms);

  size_t keys() const { return keys_; }
  size_t memory_bytes() const;
  // Frames found to be duplicates since this set was made (not snapshotted).
  int64_t duplicates() const { return duplicates_; }
  // The receive time the oldest remembered generation starts at (0 when
  // empty): a duplicate of a frame received since is always caught.
  int64_t remembered_since_ms() const { return generations_.empty() ? 0 : generations_.front().from_ms; }

  void save(SnapshotWriter& w) const;
  // Replaces the keys with a snapshot's; throws SnapshotError when corrupt.
  void load(SnapshotReader& r);

 private:
  struct Generation {
    int64_t from_ms = 0;  // the log time its first key came at
    int64_t to_ms = 0;    // ... and its latest
    absl::flat_hash_set<Key> keys;
  };
  // Opens a new generation when the newest is a span old (or full), and
  // forgets the generations out of the window (or over the cap).
  void advance();

  int64_t window_ms_;
  int64_t span_ms_;    // of one generation
  size_t max_keys_;
  std::deque<Generation> generations_;  // oldest first; keys go into the back one
  int64_t now_ms_ = 0;                  // the latest receive time seen
  size_t keys_ = 0;                     // in all generations
  int64_t duplicates_ = 0;
};

}  // namespace telltale::collector
