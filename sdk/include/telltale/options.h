// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Options for Tracker::create: a plain aggregate. Only `endpoint` and
// `write_key` are required; every default is chosen for a product that
// tracks in hot loops and wants PQL signals within a second, and is
// justified against the SDKs users already know (Segment, PostHog,
// Amplitude, OpenTelemetry) in the README. create() validates every field.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace telltale {

// What track() does when the in-memory queue is full.
enum class OverflowPolicy {
  kDrop,   // drop the event and count it (DropReason::kQueueFull); never blocks
  kSpill,  // write it to the disk spool on the calling thread (needs spool_dir);
           // costs a file write, so only for hosts that prefer that to loss
};

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// Receives the SDK's diagnostics; called from the SDK's own threads (and from
// create() on the caller's), at most `diagnostics_per_second` times a second.
// Must not call back into the Tracker. Exceptions it throws are swallowed.
using DiagnosticCallback = std::function<void(LogLevel level, std::string_view message)>;

struct Options {
  // Collector base URL, "http://host:port" or "https://host:port", optionally
  // with a path prefix. Batches go to <endpoint>/v1/batch. Required.
  std::string endpoint;
  // Write key sent as the HTTP Basic user name (Segment's convention). Required.
  std::string write_key;

  // Events the in-memory queue holds before track() drops (OverflowPolicy).
  // Each event occupies a fixed 384-byte slot, so the default bounds the
  // queue at 6 MiB. Segment and PostHog default to 10,000, OpenTelemetry to 2,048.
  size_t queue_capacity = 16384;
  // Events larger than this (ids, names, properties encoded) are dropped
  // (DropReason::kTooLarge). Segment's per-event limit is 32 KB.
  size_t max_event_bytes = 32 * 1024;
  OverflowPolicy overflow = OverflowPolicy::kDrop;

  // A batch is sent when it holds this many events ...
  size_t batch_max_events = 1000;
  // ... or this many uncompressed bytes (Segment's batch limit is 500 KB) ...
  size_t batch_max_bytes = 512 * 1024;
  // ... or its oldest event has waited this long. Segment and OpenTelemetry
  // wait 5-10 s; Telltale's alerts are meant to fire within a second.
  std::chrono::milliseconds batch_max_delay{250};

  // Compressed batches kept in memory for retry while the collector is
  // unreachable; past this they go to the spool, or are dropped without one.
  size_t max_buffer_bytes = 16 * 1024 * 1024;

  // Directory for the on-disk spool; empty disables spooling. Created if missing.
  std::string spool_dir;
  // Upper bound on the spool's size; the oldest batches are evicted beyond it.
  size_t max_spool_bytes = 256 * 1024 * 1024;

  // Per-request timeout (connect, write, read).
  std::chrono::milliseconds request_timeout{10000};
  // Retry backoff: exponential from `retry_initial` to `retry_max`, full jitter.
  std::chrono::milliseconds retry_initial{100};
  std::chrono::milliseconds retry_max{30000};

  // How long the destructor waits for delivery when shutdown() was not called.
  std::chrono::milliseconds shutdown_timeout{5000};

  // zstd level for batches: 1 is fastest and compresses the columnar batch well.
  int compression_level = 1;

  // TLS (https:// endpoints): verify the collector's certificate and host
  // name against the system trust store, or `tls_ca_file` when set.
  bool tls_verify = true;
  std::string tls_ca_file;

  // Event time source, in Unix milliseconds. Empty (the default) uses the
  // system's coarse real-time clock, which costs a few nanoseconds and no
  // system call. Set it to backfill history or to run simulations on a
  // simulated clock; it is called on the tracking thread for every event and
  // must not block, throw or call back into the Tracker.
  std::function<int64_t()> event_clock;

  // Diagnostics; empty means at most one line a second to stderr.
  DiagnosticCallback on_diagnostic;
  double diagnostics_per_second = 1.0;
};

}  // namespace telltale
