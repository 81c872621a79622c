// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "telltale/tracker.h"

#include <random>

#include "coarse_clock.h"
#include "endpoint.h"
#include "event_queue.h"
#include "fork_guard.h"
#include "http_transport.h"
#include "options_check.h"
#include "sender.h"

namespace telltale {

using detail::EventRecord;
using wire::EventType;

struct Tracker::Impl {
  Impl(const Options& o, uint64_t seed)
      : opts(o),
        seed(seed),
        diagnostics(o.on_diagnostic, o.diagnostics_per_second),
        queue(o.queue_capacity) {
    hot.born_in = detail::fork_generation_install();
    hot.max_event_bytes = o.max_event_bytes;
    hot.heap_budget = static_cast<int64_t>(o.queue_capacity * EventRecord::kSize);
    hot.spill = o.overflow == OverflowPolicy::kSpill;
    hot.host_clock = static_cast<bool>(o.event_clock);
  }

  bool forked() const noexcept { return detail::fork_generation() != hot.born_in; }

  // The hot path: no lock, no system call, no allocation for typical events.
  bool enqueue(EventType type, std::string_view account, std::string_view user,
               std::string_view name, Properties props) noexcept {
    if (forked()) {
      forked_drops.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    if (hot.closed.load(std::memory_order_relaxed)) {
      queue.count_drop(DropReason::kAfterShutdown);
      return false;
    }
    const size_t packed = EventRecord::packed_size(account, user, name, props);
    if (packed > hot.max_event_bytes) {
      queue.count_drop(DropReason::kTooLarge);
      return false;
    }
    EventRecord record;
    const bool on_heap = !EventRecord::fits_inline(packed);
    if (on_heap) {
      // Oversized events may hold at most as much heap as the queue's slots.
      if (counters.heap_bytes.fetch_add(static_cast<int64_t>(packed)) + static_cast<int64_t>(packed) >
          hot.heap_budget) {
        counters.heap_bytes.fetch_sub(static_cast<int64_t>(packed));
        queue.count_drop(DropReason::kQueueFull);
        return false;
      }
    }
    const int64_t now = hot.host_clock ? call_clock() : detail::coarse_now_ms();
    if (!record.pack(type, now, account, user, name, props, packed)) {
      if (on_heap) counters.heap_bytes.fetch_sub(static_cast<int64_t>(packed));
      queue.count_drop(DropReason::kQueueFull);
      return false;
    }
    if (queue.push(std::move(record))) return true;
    if (on_heap) counters.heap_bytes.fetch_sub(static_cast<int64_t>(packed));
    if (hot.spill && spill(record)) return true;
    queue.count_drop(DropReason::kQueueFull);
    return false;
  }

  // A host clock must not throw into the SDK's hot path; if it does, the
  // event gets the system's time.
  int64_t call_clock() const noexcept {
    try {
      return opts.event_clock();
    } catch (...) {
      return detail::coarse_now_ms();
    }
  }

  // OverflowPolicy::kSpill: the host chose a file write over a drop. The
  // event becomes a one-event batch in the spool, sent before newer ones.
  bool spill(const EventRecord& record) noexcept {
    try {
      thread_local std::mt19937_64 rng{std::random_device{}()};
      wire::BatchEncoder encoder(opts.compression_level);
      std::vector<wire::Property> props;
      wire::Event e;
      record.unpack(&e, &props);
      e.message_id = wire::Id16::from_parts(rng(), rng());
      encoder.add(e);
      wire::BatchHeader header;
      header.batch_id = wire::Id16::from_parts(rng(), rng());
      header.sent_at_ms = detail::coarse_now_ms();
      header.sdk_name = detail::kSdkName;
      header.sdk_version = detail::kSdkVersion;
      std::vector<uint8_t> body;
      if (!encoder.finish(header, &body).ok()) return false;
      uint64_t evicted = 0;
      if (!spool->write(body, 1, &evicted)) return false;
      counters.spooled.fetch_add(1);
      counters.add_drop(DropReason::kSpoolFull, evicted);
      return true;
    } catch (...) {
      return false;
    }
  }

  // What every track() reads, on a cache line of its own: sharing one with
  // counters the sender writes would cost a cache miss per call.
  struct alignas(64) Hot {
    uint64_t born_in = 0;
    size_t max_event_bytes = 0;
    int64_t heap_budget = 0;  // heap that oversized queued events may hold
    bool spill = false;
    bool host_clock = false;  // Options::event_clock is set
    std::atomic<bool> closed{false};
  };
  Hot hot;
  Options opts;
  uint64_t seed;
  std::atomic<bool> shut_down{false};
  std::atomic<uint64_t> forked_drops{0};
  detail::Diagnostics diagnostics;
  detail::SenderCounters counters;
  detail::EventQueue queue;
  std::unique_ptr<detail::Spool> spool;
  std::unique_ptr<detail::Sender> sender;  // last: stops before the rest goes
  std::mutex shutdown_mutex;
  bool shutdown_result = false;
};

Tracker::Tracker(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}

std::unique_ptr<Tracker> Tracker::create(const Options& opts, Status* why) noexcept {
  Status ignored;
  Status& status = why ? *why : ignored;
  try {
    status = detail::check_options(opts);
    if (!status.ok()) return nullptr;
    std::string reason;
    auto endpoint = detail::parse_endpoint(opts.endpoint, &reason);
    auto impl = std::make_unique<Impl>(opts, std::random_device{}() ^ (uint64_t(std::random_device{}()) << 32));
    if (!opts.spool_dir.empty()) {
      impl->spool = detail::Spool::open(opts.spool_dir, opts.max_spool_bytes, &impl->diagnostics, &status);
      if (!impl->spool) return nullptr;
    }
    detail::HttpTransportOptions http;
    http.endpoint = *endpoint;
    http.write_key = opts.write_key;
    http.user_agent = std::string(detail::kSdkName) + "/" + detail::kSdkVersion;
    http.tls_verify = opts.tls_verify;
    http.tls_ca_file = opts.tls_ca_file;
    std::unique_ptr<detail::Transport> transport;
    try {
      transport = std::make_unique<detail::HttpTransport>(std::move(http));
    } catch (const std::exception& e) {
      status = Status(StatusCode::kInvalidArgument, std::string("TLS setup failed: ") + e.what());
      return nullptr;
    }
    detail::SenderConfig config;
    config.batch = {opts.batch_max_events, opts.batch_max_bytes, opts.batch_max_delay, opts.compression_level};
    config.max_buffer_bytes = opts.max_buffer_bytes;
    config.request_timeout = opts.request_timeout;
    config.retry_initial = opts.retry_initial;
    config.retry_max = opts.retry_max;
    config.seed = impl->seed;
    impl->sender = std::make_unique<detail::Sender>(config, &impl->queue, std::move(transport),
                                                    impl->spool.get(), &impl->diagnostics, &impl->counters);
    impl->sender->start();
    status = Status();
    return std::unique_ptr<Tracker>(new Tracker(std::move(impl)));
  } catch (const std::exception& e) {
    status = Status(StatusCode::kInternal, std::string("cannot create the tracker: ") + e.what());
  } catch (...) {
    status = Status(StatusCode::kInternal, "cannot create the tracker");
  }
  return nullptr;
}

bool Tracker::track(std::string_view account, std::string_view user, std::string_view event,
                    Properties props) noexcept {
  return impl_->enqueue(EventType::kTrack, account, user, event, props);
}

bool Tracker::identify(std::string_view user, Properties traits) noexcept {
  return impl_->enqueue(EventType::kIdentify, {}, user, {}, traits);
}

bool Tracker::group(std::string_view account, Properties traits) noexcept {
  return impl_->enqueue(EventType::kGroup, account, {}, {}, traits);
}

bool Tracker::usage(std::string_view account, std::string_view metric, int64_t used,
                    int64_t limit) noexcept {
  const Property props[] = {{"metric", metric}, {"used", used}, {"limit", limit}};
  return impl_->enqueue(EventType::kUsage, account, {}, "Usage Reported", Properties(props, 3));
}

bool Tracker::flush(std::chrono::milliseconds deadline) noexcept {
  if (impl_->forked() || impl_->shut_down.load()) return false;
  try {
    return impl_->sender->flush(deadline);
  } catch (...) {
    return false;
  }
}

bool Tracker::shutdown(std::chrono::milliseconds deadline) noexcept {
  if (impl_->forked()) return false;
  try {
    std::lock_guard<std::mutex> lock(impl_->shutdown_mutex);
    if (impl_->shut_down.load()) return impl_->shutdown_result;
    impl_->hot.closed.store(true);
    impl_->shutdown_result = impl_->sender->shutdown(deadline);
    impl_->shut_down.store(true);
    return impl_->shutdown_result;
  } catch (...) {
    return false;
  }
}

Stats Tracker::stats() const noexcept {
  Stats s;
  try {
    const Impl& m = *impl_;
    detail::ProducerCounters p = m.queue.counters();
    s.enqueued = p.enqueued;
    for (size_t r = 0; r < kDropReasonCount; ++r) s.dropped[r] = p.dropped[r] + m.counters.dropped[r].load();
    s.dropped[static_cast<size_t>(DropReason::kForked)] += m.forked_drops.load();
    s.sent = m.counters.sent.load();
    s.acked = m.counters.acked.load();
    s.retried = m.counters.retried.load();
    s.spooled = m.counters.spooled.load();
    s.batches_acked = m.counters.batches_acked.load();
    s.bytes_sent = m.counters.bytes_sent.load();
    uint64_t dequeued = m.counters.dequeued.load();
    uint64_t queued = p.enqueued > dequeued ? p.enqueued - dequeued : 0;
    s.queue_bytes = queued * EventRecord::kSize + static_cast<uint64_t>(std::max<int64_t>(0, m.counters.heap_bytes.load())) +
                    m.counters.buffer_bytes.load();
  } catch (...) {
  }
  return s;
}

Tracker::~Tracker() {
  if (impl_->forked()) {
    // The parent's threads and locks do not exist here: touch nothing.
    impl_->sender->abandon_after_fork();
    (void)impl_.release();
    return;
  }
  shutdown(impl_->opts.shutdown_timeout);
}

}  // namespace telltale
