// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Metrics: the collector's Prometheus counters, gauges and histograms, and
// their text exposition (format 0.0.4) for GET /metrics. Families are
// registered once at startup; updating a metric is a relaxed atomic (plus a
// short lock the first time a label set is seen). Thread-safe throughout.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace telltale::collector {

class Counter {
 public:
  void add(uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void set(int64_t v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void add(int64_t d) noexcept { value_.fetch_add(d, std::memory_order_relaxed); }
  int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

// Cumulative buckets with fixed upper bounds (seconds for latencies).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double v) noexcept;
  void render(const std::string& name, std::string* out) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // one per bound, then +Inf
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_micro_{0};  // sum in millionths, to stay integral
};

// A counter family with labels, e.g. telltale_requests_total{route,status}.
// With `max_series`, label values that clients choose cannot grow it past
// that many counters: values new beyond them count under "other" in every
// label.
class CounterFamily {
 public:
  explicit CounterFamily(std::vector<std::string> label_names, size_t max_series = SIZE_MAX)
      : label_names_(std::move(label_names)), max_series_(max_series) {}
  // The counter for these label values (in label_names order); created on first use.
  Counter& with(const std::vector<std::string>& values);
  void render(const std::string& name, std::string* out) const;

 private:
  std::vector<std::string> label_names_;
  size_t max_series_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Counter>> counters_;
};

// Everything /metrics shows. Names are a contract with dashboards.
struct Metrics {
  Counter events_accepted;    // telltale_events_accepted_total
  Counter events_duplicate;   // telltale_events_duplicate_total
  Counter batches_accepted;   // telltale_batches_accepted_total
  Counter ingest_bytes;       // telltale_ingest_bytes_total (request bodies as received)
  CounterFamily requests{{"route", "status"}};  // telltale_requests_total
  Counter accept_errors;      // telltale_accept_errors_total (connections that could not be accepted)
  CounterFamily sdk_dropped{{"reason"}};        // telltale_sdk_dropped_total (SDKs' own reports)
  Counter sdk_retried;        // telltale_sdk_retried_total
  // telltale_batches_by_library_total: accepted batches by the library that
  // sent them (an SDK batch's header; a Segment call's context.library) and
  // its version, so operators see which versions are deployed.
  CounterFamily batches_by_library{{"library", "version"}, 50};
  Histogram commit_latency{{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}};
  Gauge commit_queue_depth;   // telltale_commit_queue_depth (requests waiting)
  Gauge commit_queue_bytes;   // telltale_commit_queue_bytes
  Gauge log_position;         // telltale_log_position (last appended)
  Gauge storage_ok;           // telltale_storage_ok (1 healthy, 0 failing)
  Counter storage_errors;     // telltale_storage_errors_total
  Counter frames_expired;     // telltale_log_frames_expired_total (deleted by retention)
  // The PQL engine.
  Gauge engine_position;      // telltale_engine_position (log frames consumed)
  Gauge engine_lag_frames;    // telltale_engine_lag_frames (log frames not applied yet)
  Gauge engine_accounts;      // telltale_engine_accounts
  Gauge engine_users;         // telltale_engine_users
  Gauge engine_account_bytes; // telltale_engine_account_bytes (all accounts' state)
  Gauge engine_user_bytes;    // telltale_engine_user_bytes (user ids and their accounts)
  Gauge engine_bytes_per_account;  // telltale_engine_bytes_per_account
  Gauge engine_bytes_per_user;     // telltale_engine_bytes_per_user
  Gauge engine_account_user_cap;   // telltale_engine_account_user_cap (users tracked per account at most)
  // Late copies of frames (a JetStream log's, resent after its duplicate window; SeenFrames).
  Counter engine_duplicate_frames;  // telltale_engine_duplicate_frames_total (skipped)
  Gauge engine_dedup_keys;    // telltale_engine_dedup_keys (frame keys remembered)
  Gauge engine_dedup_bytes;   // telltale_engine_dedup_bytes
  Gauge engine_dedup_since;   // telltale_engine_dedup_oldest_timestamp_seconds (remembered since)
  Gauge snapshot_position;    // telltale_engine_snapshot_position (log position of the latest snapshot)
  Gauge snapshot_bytes;       // telltale_engine_snapshot_bytes
  Gauge snapshot_millis;      // telltale_engine_snapshot_duration_ms (taking and storing the latest)
  Gauge open_alerts;          // telltale_alerts_open
  CounterFamily alerts_created{{"route", "priority"}};  // telltale_alerts_created_total
  Counter sla_breaches;       // telltale_alerts_sla_breached_total
  Counter webhook_deliveries; // telltale_webhook_deliveries_total
  Counter webhook_failures;   // telltale_webhook_failures_total
  Gauge webhook_backlog;      // telltale_webhook_backlog (feed entries the furthest-behind webhook has yet to pass)
  Gauge webhooks_failing;     // telltale_webhooks_failing (webhooks whose latest attempt failed)

  std::string render() const;
};

// The product-led-sales figures of AlertStore::stats as Prometheus
// gauges (telltale_pls_*), appended to /metrics at scrape time.
std::string render_pls(const boost::json::object& stats);

}  // namespace telltale::collector
