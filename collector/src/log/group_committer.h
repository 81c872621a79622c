// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// GroupCommitter: makes ingest requests durable, many at a time. Requests
// that arrive while a commit is running wait in a bounded queue and share
// the next transaction and its one fsync (group commit), which is what lets
// a collector acknowledge only durable batches and still take hundreds of
// thousands of events a second.
//
// Each request's callback runs on the committer thread once its frames are
// durable (or the commit failed): the HTTP layer answers only then. When
// the queue is full submit() refuses at once (the caller answers 429 with
// Retry-After); memory never grows without bound. When the log fails (disk
// full, I/O error) every request in that group fails (503), healthy() turns
// false, and the committer probes the log each second until it recovers.
//
// Thread-safety: submit(), healthy() and stop() from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "event_log.h"
#include "metrics/metrics.h"

namespace telltale::collector {

struct CommitResult {
  bool ok = false;
  std::string error;        // when !ok
  uint64_t accepted = 0;    // events stored
  uint64_t duplicates = 0;  // events acknowledged as already stored
};

struct CommitRequest {
  std::vector<Frame> frames;
  std::function<void(const CommitResult&)> done;
};

struct CommitterLimits {
  size_t max_queued_requests = 4096;
  size_t max_queued_bytes = 256u << 20;
  size_t max_group_bytes = 64u << 20;  // payload bytes per transaction
};

class GroupCommitter {
 public:
  // `maintenance` runs on the committer thread about once a minute (expiry
  // of old de-duplication ids); may be empty.
  // `committed` runs on the committer thread after each successful commit
  // that stored frames (wakes the engine); may be empty.
  GroupCommitter(EventLog* log, Metrics* metrics, CommitterLimits limits,
                 std::function<void()> maintenance = {}, std::function<void()> committed = {});
  ~GroupCommitter();  // stop()
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues `request`; false (request untouched) when the queue is full or stopped.
  bool submit(CommitRequest&& request);
  bool healthy() const;
  // Commits what is queued, then stops the thread. Idempotent.
  void stop();

 private:
  struct Pending {
    CommitRequest request;
    size_t bytes;
    std::chrono::steady_clock::time_point queued_at;
  };
  void run();
  void commit(std::vector<Pending>& group);

  EventLog* log_;
  Metrics* metrics_;
  CommitterLimits limits_;
  std::function<void()> maintenance_;
  std::function<void()> committed_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  size_t queued_bytes_ = 0;
  bool stopping_ = false;
  bool healthy_ = true;
  std::thread thread_;
};

}  // namespace telltale::collector
