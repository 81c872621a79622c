// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "sender.h"

#include <algorithm>

namespace telltale::detail {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr size_t kDrainChunk = 256;
// Records drained per step before the sender turns to delivery, so a host
// that tracks faster than the collector acknowledges cannot starve sending.
constexpr size_t kDrainPerStep = 16384;
constexpr milliseconds kMaxIdlePoll{20};
// How long before a flush's or shutdown's deadline its last attempt is made
// (or the request timeout, when shorter).
constexpr milliseconds kLastChanceMargin{500};

bool retryable(int status) { return status == 408 || status == 429 || status >= 500; }

}  // namespace

Sender::Sender(SenderConfig config, EventQueue* queue, std::unique_ptr<Transport> transport,
               Spool* spool, Diagnostics* diagnostics, SenderCounters* counters)
    : config_(config),
      queue_(queue),
      transport_(std::move(transport)),
      spool_(spool),
      diagnostics_(diagnostics),
      counters_(counters),
      batcher_(config.batch, config.seed),
      backoff_(config.retry_initial, config.retry_max, config.seed ^ 0x9e3779b97f4a7c15ull),
      scratch_(kDrainChunk) {}

Sender::~Sender() {
  if (thread_.joinable()) shutdown(milliseconds(0));
}

void Sender::start() { thread_ = std::thread([this] { run(); }); }

void Sender::abandon_after_fork() noexcept {
  if (thread_.joinable()) thread_.detach();
}

bool Sender::flush(milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_ || !thread_.joinable()) return false;
  const uint64_t failures_before = undelivered_events();
  const uint64_t ticket = ++flush_requested_;
  // The earliest deadline of those still ahead (a flush that timed out has none).
  flush_deadline_ = flush_deadline_ && *flush_deadline_ > Clock::now() ? std::min(*flush_deadline_, until) : until;
  wake_.notify_one();
  bool done = flushed_.wait_until(lock, until, [&] { return flush_done_ >= ticket || stopping_; });
  return done && flush_done_ >= ticket && undelivered_events() == failures_before;
}

bool Sender::shutdown(milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!thread_.joinable()) return false;
    hard_deadline_ = until;
  }
  const uint64_t failures_before = undelivered_events();
  bool delivered = flush(std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(until - Clock::now())));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  flushed_.notify_all();
  transport_->cancel();
  thread_.join();
  // A spool left non-empty means something was written there at the end.
  return delivered && undelivered_events() == failures_before && (spool_ == nullptr || spool_->empty());
}

uint64_t Sender::undelivered_events() const noexcept {
  uint64_t n = 0;
  for (const auto& d : counters_->dropped) n += d.load();
  return n;
}

void Sender::run() noexcept {
  for (;;) {
    try {
      if (!step()) break;
    } catch (const std::exception& e) {
      diagnostics_->report(LogLevel::kError, std::string("sender: unexpected error: ") + e.what());
      std::this_thread::sleep_for(milliseconds(100));
    } catch (...) {
      diagnostics_->report(LogLevel::kError, "sender: unexpected error");
      std::this_thread::sleep_for(milliseconds(100));
    }
  }
  try {
    finish_on_stop();
  } catch (...) {
    diagnostics_->report(LogLevel::kError, "sender: failed to spool on shutdown");
  }
}

bool Sender::step() {
  uint64_t flush_ticket;
  std::optional<SteadyTime> caller_deadline;  // of a shutdown, else of a flush waiting
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return false;
    flush_ticket = flush_requested_;
    flush_seen_ = flush_ticket;
    caller_deadline = hard_deadline_ ? hard_deadline_ : flush_deadline_;
  }
  const bool flushing = flush_ticket > flush_done_;  // flush_done_ is written by this thread only

  auto now = Clock::now();
  size_t drained = drain(now);
  bool queue_empty = drained < kDrainPerStep;
  if (!batcher_.empty() && (batcher_.due_at() <= now || (flushing && queue_empty))) seal();
  enforce_buffer_bound();

  bool delivered = false;
  now = Clock::now();
  if (caller_deadline) take_last_chance(*caller_deadline, now);
  if (next_attempt_ <= now) delivered = deliver(now);

  // Batches that went to the spool while flushing count as delivered only
  // once the spool has drained them too.
  if (flushing && queue_empty && batcher_.empty() && buffer_.empty() && !spooled_head_ &&
      (spool_ == nullptr || spool_->empty())) {
    std::lock_guard<std::mutex> lock(mutex_);
    flush_done_ = flush_ticket;
    if (flush_done_ == flush_requested_) flush_deadline_.reset();
    flushed_.notify_all();
  }

  if (drained > 0 || delivered) {
    idle_poll_ = milliseconds(1);
    if (!queue_empty || (delivered && (!buffer_.empty() || spooled_head_))) return true;
  } else {
    idle_poll_ = std::min(idle_poll_ * 2, kMaxIdlePoll);
  }
  // Producers never signal (that would be a system call on their thread), so
  // the sender polls: every millisecond while busy, backing off to 20 ms idle.
  auto until = Clock::now() + idle_poll_;
  if (!batcher_.empty()) until = std::min(until, batcher_.due_at());
  if (!buffer_.empty() || spooled_head_) until = std::min(until, next_attempt_);
  wait(until);
  return true;
}

// Flushing or shutting down while backing off past the caller's deadline:
// one last attempt shortly before it, so that a collector back in the
// meantime still gets what would otherwise be dropped or spooled (or, for a
// flush, be reported undelivered though the collector would take it). Once:
// a failure of that attempt backs off past the deadline as before. A
// collector's Retry-After is its own say and stands.
void Sender::take_last_chance(SteadyTime deadline, SteadyTime now) {
  const SteadyTime last_chance = deadline - std::min(config_.request_timeout, kLastChanceMargin);
  if (!collector_asked_to_wait_ && next_attempt_ > last_chance && last_chance > now) next_attempt_ = last_chance;
}

void Sender::wait(SteadyTime until) {
  std::unique_lock<std::mutex> lock(mutex_);
  // Wake early only for news: a flush request this loop has not seen yet,
  // or stopping. (A flush already being served must not turn this into a
  // busy loop while delivery is backing off.)
  wake_.wait_until(lock, until, [&] { return stopping_ || flush_requested_ > flush_seen_; });
}

size_t Sender::drain(SteadyTime now) {
  size_t total = 0;
  while (total < kDrainPerStep) {
    size_t n = queue_->pop_bulk(scratch_.data(), scratch_.size());
    if (n == 0) break;
    int64_t heap = 0;
    for (size_t i = 0; i < n; ++i) {
      batcher_.add(scratch_[i], now);
      heap += static_cast<int64_t>(scratch_[i].heap_bytes());
      scratch_[i] = EventRecord();  // frees an oversized event's heap block now
      if (batcher_.full()) seal();
    }
    if (heap) counters_->heap_bytes.fetch_sub(heap, std::memory_order_relaxed);
    counters_->dequeued.fetch_add(n, std::memory_order_relaxed);
    total += n;
  }
  return total;
}

wire::ClientReport Sender::take_report() {
  // Totals now, minus what earlier batches already reported.
  wire::ClientReport totals;
  ProducerCounters producers = queue_->counters();
  for (size_t r = 0; r < kDropReasonCount; ++r)
    totals.dropped[r] = producers.dropped[r] + counters_->dropped[r].load();
  totals.retried = counters_->retried.load();
  totals.spooled = counters_->spooled.load();
  wire::ClientReport delta;
  for (size_t r = 0; r < kDropReasonCount; ++r) delta.dropped[r] = totals.dropped[r] - reported_.dropped[r];
  delta.retried = totals.retried - reported_.retried;
  delta.spooled = totals.spooled - reported_.spooled;
  reported_ = totals;
  return delta;
}

void Sender::seal() {
  OutgoingBatch batch;
  const size_t events = batcher_.size();
  wire::CodecStatus status = batcher_.seal(take_report(), &batch);
  if (!status.ok()) {
    counters_->add_drop(DropReason::kBufferFull, events);
    diagnostics_->report(LogLevel::kError, "sender: cannot encode a batch: " + status.detail);
    return;
  }
  counters_->buffer_bytes.fetch_add(batch.body.size(), std::memory_order_relaxed);
  buffer_.push_back(std::move(batch));
}

bool Sender::spool_oldest(DropReason otherwise) {
  OutgoingBatch oldest = std::move(buffer_.front());
  buffer_.pop_front();
  counters_->buffer_bytes.fetch_sub(oldest.body.size(), std::memory_order_relaxed);
  uint64_t evicted = 0;
  if (spool_ != nullptr && spool_->write(oldest.body, oldest.events, &evicted)) {
    counters_->spooled.fetch_add(oldest.events, std::memory_order_relaxed);
    counters_->add_drop(DropReason::kSpoolFull, evicted);
    return true;
  }
  counters_->add_drop(otherwise, oldest.events);
  return false;
}

void Sender::enforce_buffer_bound() {
  while (counters_->buffer_bytes.load() > config_.max_buffer_bytes && buffer_.size() > 1) {
    const uint32_t events = buffer_.front().events;
    if (!spool_oldest(DropReason::kBufferFull))
      diagnostics_->report(LogLevel::kWarning, "sender: retry buffer full, dropped a batch of " +
                                                   std::to_string(events) + " events");
  }
}

bool Sender::deliver(SteadyTime now) {
  if (!spooled_head_ && spool_ != nullptr) {
    if (auto s = spool_->front()) {
      OutgoingBatch b;
      b.body = std::move(s->body);
      b.events = s->events;
      b.spool_sequence = s->sequence;
      spooled_head_ = std::move(b);
    }
  }
  bool from_spool = spooled_head_.has_value();
  if (!from_spool && buffer_.empty()) return false;
  OutgoingBatch& batch = from_spool ? *spooled_head_ : buffer_.front();

  auto deadline = now + config_.request_timeout;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (hard_deadline_) deadline = std::min(deadline, *hard_deadline_);
  }
  SendResult r = transport_->send(batch.body, deadline);
  settle(batch, from_spool, r, Clock::now());
  return r.kind == SendResult::Kind::kResponse && r.status >= 200 && r.status < 300;
}

void Sender::settle(OutgoingBatch& batch, bool from_spool, const SendResult& r, SteadyTime now) {
  auto forget = [&] {
    if (from_spool) {
      spool_->remove(batch.spool_sequence);
      spooled_head_.reset();
    } else {
      counters_->buffer_bytes.fetch_sub(batch.body.size(), std::memory_order_relaxed);
      buffer_.pop_front();
    }
  };
  if (r.kind == SendResult::Kind::kCancelled) return;

  if (r.kind == SendResult::Kind::kResponse && r.status >= 200 && r.status < 300) {
    counters_->sent.fetch_add(batch.events, std::memory_order_relaxed);
    counters_->acked.fetch_add(batch.events, std::memory_order_relaxed);
    counters_->batches_acked.fetch_add(1, std::memory_order_relaxed);
    counters_->bytes_sent.fetch_add(batch.body.size(), std::memory_order_relaxed);
    backoff_.reset();
    next_attempt_ = now;
    collector_asked_to_wait_ = false;
    forget();
    return;
  }

  if (r.kind == SendResult::Kind::kResponse && r.status == 413) {
    OutgoingBatch first, second;
    if (batcher_.split(batch, &first, &second)) {
      diagnostics_->report(LogLevel::kWarning, "sender: collector said 413, splitting a batch of " +
                                                   std::to_string(batch.events) + " events");
      forget();
      counters_->buffer_bytes.fetch_add(first.body.size() + second.body.size(), std::memory_order_relaxed);
      buffer_.push_front(std::move(second));
      buffer_.push_front(std::move(first));
      return;
    }
  }

  if (r.kind == SendResult::Kind::kResponse && !retryable(r.status)) {
    counters_->add_drop(DropReason::kRejected, batch.events);
    if (logged_statuses_.insert(r.status).second)
      diagnostics_->report(LogLevel::kError, "sender: collector rejected a batch with status " +
                                                 std::to_string(r.status) + " (" + r.detail +
                                                 "); such batches are dropped");
    forget();
    return;
  }

  // Retry later: Retry-After when the collector says so, else backoff.
  counters_->retried.fetch_add(1, std::memory_order_relaxed);
  milliseconds delay = r.retry_after ? *r.retry_after : backoff_.next();
  next_attempt_ = now + delay;
  collector_asked_to_wait_ = r.retry_after.has_value();
  // A response says why in its body (the collector's {"error", "detail"}).
  std::string what = r.kind != SendResult::Kind::kResponse ? r.detail
                     : r.detail.empty()                    ? "status " + std::to_string(r.status)
                                                           : "status " + std::to_string(r.status) + ": " + r.detail;
  diagnostics_->report(LogLevel::kWarning, "sender: delivery failed (" + what + "), retrying in " +
                                               std::to_string(delay.count()) + " ms");
}

void Sender::finish_on_stop() {
  // Everything still in memory: drain the queue, seal, then persist or count.
  while (drain(Clock::now()) > 0) {
  }
  if (!batcher_.empty()) seal();
  spooled_head_.reset();  // still on disk
  size_t lost = 0;
  while (!buffer_.empty()) {
    const uint32_t events = buffer_.front().events;
    if (!spool_oldest(DropReason::kShutdownTimeout)) lost += events;
  }
  if (lost)
    diagnostics_->report(LogLevel::kWarning, "shutdown: " + std::to_string(lost) +
                                                 " events were not delivered in time and were dropped");
}

}  // namespace telltale::detail
