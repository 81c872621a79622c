// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/log_read_ahead.h"

#include <spdlog/spdlog.h>

namespace telltale::collector {
namespace {

// How often kFollow looks at the log without a notify(), and waits after a
// failed read.
constexpr auto kLookEvery = std::chrono::milliseconds(200);

}  // namespace

LogReadAhead::LogReadAhead(EventLog& log, int64_t after, Mode mode)
    : log_(log), mode_(mode), keys_wanted_(log.forgets_keys_early()), thread_([this, after] {
        try {
          run(after);
        } catch (const std::exception& e) {  // out of memory: end the reading, said, not the process
          spdlog::error("engine: reading the event log stopped: {}", e.what());
          std::lock_guard<std::mutex> lock(mutex_);
          end(LogStatus::failure(e.what()));
        }
      }) {}

LogReadAhead::~LogReadAhead() { stop(); }

void LogReadAhead::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  space_.notify_all();
  ready_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void LogReadAhead::notify() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    notified_ = true;
  }
  space_.notify_all();
}

const LogReadAhead::ReadFrame* LogReadAhead::next(std::optional<std::chrono::milliseconds> wait) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto settled = [&] { return filled_ > taken_ || ended_ || stopping_; };
  if (wait) ready_.wait_for(lock, *wait, settled);
  else ready_.wait(lock, settled);
  return filled_ > taken_ && !stopping_ ? &ring_[taken_ % kDepth] : nullptr;
}

void LogReadAhead::release() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (taken_ == filled_) return;
    ++taken_;
  }
  space_.notify_one();
}

bool LogReadAhead::drained() {
  std::lock_guard<std::mutex> lock(mutex_);
  return taken_ == filled_ && (at_log_end_ || ended_);
}

LogStatus LogReadAhead::status() {
  std::lock_guard<std::mutex> lock(mutex_);
  return status_;
}

void LogReadAhead::end(LogStatus status) {
  status_ = std::move(status);
  ended_ = true;
  ready_.notify_all();
}

void LogReadAhead::run(int64_t after) {
  std::vector<StoredFrame> frames;
  size_t unread = 0;  // frames[unread] is the next to decode
  int64_t position = after;
  // A failing log (its server away) is retried every kLookEvery; said once,
  // then every minute it lasts, and when it reads again.
  std::chrono::steady_clock::time_point next_complaint{};
  bool failing = false;
  for (;;) {
    if (unread == frames.size()) {
      frames.clear();
      unread = 0;
      LogStatus st = log_.read(position, kFramesPerRead, &frames);
      if (st.ok) log_end_.store(std::max(log_.read_end(), frames.empty() ? position : frames.back().position),
                                std::memory_order_relaxed);
      std::unique_lock<std::mutex> lock(mutex_);
      if (stopping_) return;
      if (!st.ok && mode_ == Mode::kToEnd) return end(std::move(st));
      if (!st.ok && std::chrono::steady_clock::now() >= next_complaint) {
        spdlog::error("engine: reading the event log: {}; retrying", st.error);
        next_complaint = std::chrono::steady_clock::now() + std::chrono::minutes(1);
      }
      if (st.ok && failing) spdlog::info("engine: reading the event log again");
      failing = !st.ok;
      if (st.ok) next_complaint = {};
      at_log_end_ = st.ok && frames.empty();
      if (at_log_end_ && mode_ == Mode::kToEnd) return end({});
      if (frames.empty()) {
        // Caught up with the log, or it failed: look again when told to, or
        // soon (at once when the log's read waited for new frames itself).
        ready_.notify_all();  // drained() may have become true
        const auto pause = st.ok && log_.read_waits() ? std::chrono::milliseconds(0) : kLookEvery;
        space_.wait_for(lock, pause, [&] { return stopping_ || notified_; });
        notified_ = false;
        if (stopping_) return;
        continue;
      }
    }
    uint64_t slot;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      space_.wait(lock, [&] { return stopping_ || has_space(); });
      if (stopping_) return;
      slot = filled_;
    }
    // The slot is the thread's until it is filled: the consumer reads only
    // slots below filled_.
    ReadFrame& f = ring_[slot % kDepth];
    const StoredFrame& stored = frames[unread++];
    reader_.read(stored.frame, &f.events);
    f.position = position = stored.position;
    f.received_at_ms = stored.frame.received_at_ms;
    f.key = keys_wanted_ ? SeenFrames::key_of(stored.frame.dedup_key) : std::nullopt;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++filled_;
    }
    ready_.notify_one();
  }
}

}  // namespace telltale::collector
