// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "group_committer.h"

#include <spdlog/spdlog.h>

namespace telltale::collector {
namespace {

using Clock = std::chrono::steady_clock;

size_t payload_bytes(const CommitRequest& r) {
  size_t n = 0;
  for (const Frame& f : r.frames) n += f.payload.size() + f.dedup_key.size() + 64;
  return n;
}

}  // namespace

GroupCommitter::GroupCommitter(EventLog* log, Metrics* metrics, CommitterLimits limits,
                               std::function<void()> maintenance, std::function<void()> committed)
    : log_(log),
      metrics_(metrics),
      limits_(limits),
      maintenance_(std::move(maintenance)),
      committed_(std::move(committed)) {
  metrics_->storage_ok.set(1);
  metrics_->log_position.set(log_->last_position());
  thread_ = std::thread([this] { run(); });
}

GroupCommitter::~GroupCommitter() { stop(); }

bool GroupCommitter::submit(CommitRequest&& request) {
  const size_t bytes = payload_bytes(request);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || queue_.size() >= limits_.max_queued_requests ||
        (queued_bytes_ + bytes > limits_.max_queued_bytes && !queue_.empty()))
      return false;
    queue_.push_back(Pending{std::move(request), bytes, Clock::now()});
    queued_bytes_ += bytes;
    metrics_->commit_queue_depth.set(int64_t(queue_.size()));
    metrics_->commit_queue_bytes.set(int64_t(queued_bytes_));
  }
  wake_.notify_one();
  return true;
}

bool GroupCommitter::healthy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return healthy_;
}

void GroupCommitter::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void GroupCommitter::run() {
  auto next_maintenance = Clock::now() + std::chrono::seconds(5);
  for (;;) {
    std::vector<Pending> group;
    bool probe = false;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        if (stopping_) return;
        probe = !healthy_;
      }
      // Take what is queued, up to a transaction's worth.
      size_t bytes = 0;
      while (!queue_.empty() && (group.empty() || bytes + queue_.front().bytes <= limits_.max_group_bytes)) {
        bytes += queue_.front().bytes;
        queued_bytes_ -= queue_.front().bytes;
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      metrics_->commit_queue_depth.set(int64_t(queue_.size()));
      metrics_->commit_queue_bytes.set(int64_t(queued_bytes_));
    }
    if (!group.empty() || probe) commit(group);
    if (maintenance_ && Clock::now() >= next_maintenance) {
      maintenance_();
      next_maintenance = Clock::now() + std::chrono::minutes(1);
    }
  }
}

void GroupCommitter::commit(std::vector<Pending>& group) {
  std::vector<const Frame*> frames;
  for (const Pending& p : group)
    for (const Frame& f : p.request.frames) frames.push_back(&f);
  std::vector<bool> duplicate;
  LogStatus status = log_->append(frames, &duplicate);  // an empty group probes the log
  const auto now = Clock::now();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (status.ok != healthy_) {
      if (status.ok) {
        spdlog::info("storage recovered: commits succeed again");
      } else {
        spdlog::error("storage failing, answering 503 until it recovers: {}", status.error);
      }
    }
    healthy_ = status.ok;
  }
  metrics_->storage_ok.set(status.ok ? 1 : 0);
  if (!status.ok) metrics_->storage_errors.add();
  if (status.ok && !frames.empty()) {
    metrics_->log_position.set(log_->last_appended());
    if (committed_) committed_();
  }

  size_t index = 0;
  for (Pending& p : group) {
    CommitResult result;
    result.ok = status.ok;
    result.error = status.error;
    for (const Frame& f : p.request.frames) {
      if (status.ok) (duplicate[index] ? result.duplicates : result.accepted) += f.events;
      ++index;
    }
    if (status.ok) {
      metrics_->events_accepted.add(result.accepted);
      metrics_->events_duplicate.add(result.duplicates);
      metrics_->commit_latency.observe(std::chrono::duration<double>(now - p.queued_at).count());
    }
    try {
      p.request.done(result);
    } catch (const std::exception& e) {
      spdlog::error("commit callback failed: {}", e.what());
    }
  }
  // While storage fails, do not spin on a queue that keeps refilling.
  if (!status.ok) std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

}  // namespace telltale::collector
