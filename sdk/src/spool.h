// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Spool: compressed batches kept on disk while the collector is unreachable
// or when shutdown's deadline passes, resent oldest first on reconnect and
// on the next start.
//
// One file per batch, "<sequence>.batch", holding a 24-byte header (magic
// "TTSPOOL1", payload length, event count, CRC-32 of the payload) and the
// batch as it would go on the wire. A file is written as "<sequence>.part",
// fsynced, renamed into place and the directory fsynced, so a crash leaves
// either a whole batch or a .part that the next open deletes. A file that
// fails its checks is reported, deleted and skipped, never fatal.
// The total size is bounded: a write evicts the oldest batches to make room.
//
// Thread-safe (one mutex): the sender and, with OverflowPolicy::kSpill, host
// threads write.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "telltale/status.h"

namespace telltale::detail {

struct SpooledBatch {
  uint64_t sequence = 0;
  uint32_t events = 0;
  std::vector<uint8_t> body;
};

class Spool {
 public:
  // Creates `dir` if missing, deletes leftover .part files and indexes the
  // batches already there. Returns nullptr and sets *why on failure.
  static std::unique_ptr<Spool> open(const std::string& dir, size_t max_bytes,
                                     Diagnostics* diagnostics, Status* why);

  // Stores one batch. Evicts the oldest batches if needed to stay under the
  // bound and adds their event counts to *evicted_events. Returns false
  // (with a diagnostic) if the batch could not be written or is larger than
  // the whole spool.
  bool write(const std::vector<uint8_t>& body, uint32_t events, uint64_t* evicted_events);

  // The oldest intact batch, or nullopt when empty. Corrupt or unreadable
  // files met on the way are reported and deleted.
  std::optional<SpooledBatch> front();
  // Deletes the batch `sequence` (after it was delivered or given up).
  void remove(uint64_t sequence);

  bool empty() const;
  size_t bytes() const;
  size_t batches() const;

 private:
  struct Entry {
    uint64_t sequence;
    uint64_t file_bytes;
    uint32_t events;
  };
  Spool(std::string dir, size_t max_bytes, Diagnostics* diagnostics);
  std::string path_for(uint64_t sequence, const char* suffix) const;
  void remove_locked(uint64_t sequence);

  const std::string dir_;
  const size_t max_bytes_;
  Diagnostics* diagnostics_;
  mutable std::mutex mutex_;
  std::deque<Entry> entries_;  // oldest first
  uint64_t next_sequence_ = 1;
  size_t bytes_ = 0;
};

}  // namespace telltale::detail
