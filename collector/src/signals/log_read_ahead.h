// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// LogReadAhead: reads the event log after a position on a thread of its own
// and turns its frames into UsageEvents (EventReader), up to kDepth frames
// ahead of the engine thread, which takes them in log order. Reading,
// decompressing and decoding the next frames so happens beside the engine
// instead of between its frames: a replay, or a restart's catch-up, runs at
// the engine's own speed rather than at the sum of both. For a log that
// forgets de-duplication keys early, each frame's key is digested here too.
//
// Two ways to read. kToEnd stops at the last frame the log has (replay); a
// failed read ends it, and status() says why. kFollow waits for frames
// appended later (notify(), and a look every 200 ms, or at once when the
// log's read waits for new frames itself) and retries a failed
// read after logging it, so the live engine never dies of one. An
// exception while decoding (out of memory) ends either, logged.
//
// Thread-safety: next(), release() and drained() from one consumer thread;
// notify(), stop() and status() from any. The log is read only by the
// read-ahead's thread, from construction until stop() or destruction.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include "log/event_log.h"
#include "signals/event_reader.h"
#include "signals/seen_frames.h"

namespace telltale::collector {

class LogReadAhead {
 public:
  enum class Mode { kToEnd, kFollow };
  // Frames decoded ahead at most: enough to cover a slow read of the log,
  // few enough (~150 KiB each) that they are still in the cache when taken.
  static constexpr size_t kDepth = 8;
  // Frames asked of the log at once.
  static constexpr size_t kFramesPerRead = 64;

  struct ReadFrame {
    int64_t position = 0;
    int64_t received_at_ms = 0;  // when the frame reached the collector
    // The digest of its de-duplication key, for a log that forgets keys
    // early (EventLog::forgets_keys_early()); nullopt otherwise.
    std::optional<SeenFrames::Key> key;
    FrameEvents events;
  };

  LogReadAhead(EventLog& log, int64_t after, Mode mode);
  ~LogReadAhead();  // stop()s
  LogReadAhead(const LogReadAhead&) = delete;
  LogReadAhead& operator=(const LogReadAhead&) = delete;

  // The next frame in log order, waiting for it up to `wait` (nullopt: until
  // it comes, the end of a kToEnd read, or stop()); nullptr when none came.
  // The same frame again until release().
  const ReadFrame* next(std::optional<std::chrono::milliseconds> wait = std::nullopt);
  // Hands the frame next() returned back for reuse.
  void release();
  // Every frame the log held at the thread's latest read has been taken
  // and released: the consumer is at the log's end (as of that read).
  bool drained();
  // kToEnd: the failed read that ended it (ok otherwise).
  LogStatus status();
  // The log's last position as the thread's latest read learnt it
  // (EventLog::read_end()); from any thread.
  int64_t log_end() const { return log_end_.load(std::memory_order_relaxed); }
  // Frames were appended: kFollow looks at once.
  void notify();
  // Ends the thread; next() returns nullptr from then on. Idempotent.
  void stop();

 private:
  void run(int64_t after);
  void end(LogStatus status);  // the reading is over (mutex_ held)
  bool has_space() const { return filled_ - taken_ < kDepth; }

  EventLog& log_;
  const Mode mode_;
  const bool keys_wanted_;  // the log forgets keys early: each frame's key digest is read too
  EventReader reader_;  // the thread's
  std::array<ReadFrame, kDepth> ring_;  // frame k in ring_[k % kDepth]

  std::mutex mutex_;
  std::condition_variable ready_;  // a frame was filled, or the reading ended
  std::condition_variable space_;  // a frame was released, notify(), or stop()
  uint64_t filled_ = 0;  // frames decoded so far
  uint64_t taken_ = 0;   // frames released so far
  bool at_log_end_ = false;  // the latest read found nothing new
  std::atomic<int64_t> log_end_{0};
  bool ended_ = false;       // the thread read its last frame (kToEnd) or was stopped
  bool stopping_ = false;
  bool notified_ = false;
  LogStatus status_;
  std::thread thread_;
};

}  // namespace telltale::collector
