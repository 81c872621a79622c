// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "metrics.h"

#include <boost/json.hpp>
#include <cstdio>

namespace telltale::collector {
namespace {

std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

void header(std::string* out, const std::string& name, const char* type, const char* help) {
  *out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void scalar(std::string* out, const std::string& name, const char* type, const char* help, int64_t v) {
  header(out, name, type, help);
  *out += name + " " + std::to_string(v) + "\n";
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double v) noexcept {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micro_.fetch_add(static_cast<uint64_t>(v * 1e6), std::memory_order_relaxed);
}

void Histogram::render(const std::string& name, std::string* out) const {
  uint64_t cumulative = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    *out += name + "_bucket{le=\"" + number(bounds_[i]) + "\"} " + std::to_string(cumulative) + "\n";
  }
  cumulative += buckets_[bounds_.size()].load(std::memory_order_relaxed);
  *out += name + "_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  *out += name + "_sum " + number(double(sum_micro_.load()) / 1e6) + "\n";
  *out += name + "_count " + std::to_string(count_.load()) + "\n";
}

Counter& CounterFamily::with(const std::vector<std::string>& values) {
  std::lock_guard<std::mutex> lock(mutex_);
  const bool full = counters_.size() >= max_series_ && !counters_.count(values);
  auto& slot = counters_[full ? std::vector<std::string>(label_names_.size(), "other") : values];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

void CounterFamily::render(const std::string& name, std::string* out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [values, counter] : counters_) {
    *out += name + "{";
    for (size_t i = 0; i < label_names_.size(); ++i) {
      if (i) *out += ",";
      *out += label_names_[i] + "=\"" + escape_label(values[i]) + "\"";
    }
    *out += "} " + std::to_string(counter->value()) + "\n";
  }
}

std::string Metrics::render() const {
  std::string out;
  header(&out, "telltale_build_info", "gauge", "The collector's version, as a label; always 1.");
  out += "telltale_build_info{version=\"" + escape_label(TELLTALE_VERSION) + "\"} 1\n";
  scalar(&out, "telltale_events_accepted_total", "counter", "Events made durable in the event log.",
         int64_t(events_accepted.value()));
  scalar(&out, "telltale_events_duplicate_total", "counter",
         "Events acknowledged as duplicates (batch or message id seen before) and not stored again.",
         int64_t(events_duplicate.value()));
  scalar(&out, "telltale_batches_accepted_total", "counter", "Batches made durable.",
         int64_t(batches_accepted.value()));
  scalar(&out, "telltale_ingest_bytes_total", "counter", "Request body bytes received on ingest routes.",
         int64_t(ingest_bytes.value()));
  header(&out, "telltale_requests_total", "counter", "HTTP requests by route and status.");
  requests.render("telltale_requests_total", &out);
  header(&out, "telltale_sdk_dropped_total", "counter", "Events SDKs report they dropped, by reason.");
  sdk_dropped.render("telltale_sdk_dropped_total", &out);
  scalar(&out, "telltale_sdk_retried_total", "counter", "Batch retries SDKs report.", int64_t(sdk_retried.value()));
  header(&out, "telltale_batches_by_library_total", "counter",
         "Batches made durable, by the library that sent them and its version (50 at most, then \"other\").");
  batches_by_library.render("telltale_batches_by_library_total", &out);
  header(&out, "telltale_commit_latency_seconds", "histogram",
         "Time from a request's arrival at the committer to its fsynced commit.");
  commit_latency.render("telltale_commit_latency_seconds", &out);
  scalar(&out, "telltale_commit_queue_depth", "gauge", "Requests waiting for a commit.", commit_queue_depth.value());
  scalar(&out, "telltale_commit_queue_bytes", "gauge", "Bytes waiting for a commit.", commit_queue_bytes.value());
  scalar(&out, "telltale_log_position", "gauge", "Position of the last frame appended to the event log.",
         log_position.value());
  scalar(&out, "telltale_storage_ok", "gauge", "1 while the event log accepts writes, 0 while it fails.",
         storage_ok.value());
  scalar(&out, "telltale_storage_errors_total", "counter", "Failed commits.", int64_t(storage_errors.value()));
  scalar(&out, "telltale_log_frames_expired_total", "counter", "Frames deleted by retention ([log] retention_days).",
         int64_t(frames_expired.value()));
  scalar(&out, "telltale_accept_errors_total", "counter",
         "Connections that could not be accepted (out of file descriptors, mostly).", int64_t(accept_errors.value()));
  scalar(&out, "telltale_engine_position", "gauge", "Event log position the PQL engine has consumed.",
         engine_position.value());
  scalar(&out, "telltale_engine_lag_frames", "gauge",
         "Frames in the event log the PQL engine has yet to apply (the log's end as its reader last saw it).",
         engine_lag_frames.value());
  scalar(&out, "telltale_engine_accounts", "gauge", "Accounts the PQL engine keeps state for.", engine_accounts.value());
  scalar(&out, "telltale_engine_users", "gauge", "Users the PQL engine maps to accounts.", engine_users.value());
  scalar(&out, "telltale_engine_account_bytes", "gauge", "Memory the PQL engine holds for account state.",
         engine_account_bytes.value());
  scalar(&out, "telltale_engine_user_bytes", "gauge", "Memory the PQL engine holds for users (ids, account).",
         engine_user_bytes.value());
  scalar(&out, "telltale_engine_bytes_per_account", "gauge", "Mean PQL engine memory per account.",
         engine_bytes_per_account.value());
  scalar(&out, "telltale_engine_bytes_per_user", "gauge", "Mean PQL engine memory per user.",
         engine_bytes_per_user.value());
  scalar(&out, "telltale_engine_account_user_cap", "gauge", "Users tracked individually per account, at most.",
         engine_account_user_cap.value());
  scalar(&out, "telltale_engine_duplicate_frames_total", "counter",
         "Frames the PQL engine skipped as copies of frames it applied before (a JetStream log's, resent after the "
         "stream's duplicate window).",
         int64_t(engine_duplicate_frames.value()));
  scalar(&out, "telltale_engine_dedup_keys", "gauge",
         "Frame keys the PQL engine remembers to skip late copies ([dedup] window_hours; a JetStream log only).",
         engine_dedup_keys.value());
  scalar(&out, "telltale_engine_dedup_bytes", "gauge", "Memory the PQL engine holds for frame keys.",
         engine_dedup_bytes.value());
  scalar(&out, "telltale_engine_dedup_oldest_timestamp_seconds", "gauge",
         "Receive time since which the PQL engine remembers every frame's key (0: none kept).",
         engine_dedup_since.value());
  scalar(&out, "telltale_engine_snapshot_position", "gauge", "Log position of the latest engine snapshot.",
         snapshot_position.value());
  scalar(&out, "telltale_engine_snapshot_bytes", "gauge", "Size of the latest engine snapshot.", snapshot_bytes.value());
  scalar(&out, "telltale_engine_snapshot_duration_ms", "gauge", "Time to take and store the latest engine snapshot.",
         snapshot_millis.value());
  scalar(&out, "telltale_alerts_open", "gauge", "PQL alerts open.", open_alerts.value());
  header(&out, "telltale_alerts_created_total", "counter", "PQL alerts raised, by route and priority.");
  alerts_created.render("telltale_alerts_created_total", &out);
  scalar(&out, "telltale_alerts_sla_breached_total", "counter", "Alerts not touched by their SLA deadline.",
         int64_t(sla_breaches.value()));
  scalar(&out, "telltale_webhook_deliveries_total", "counter", "Alert feed entries delivered to webhooks.",
         int64_t(webhook_deliveries.value()));
  scalar(&out, "telltale_webhook_failures_total", "counter", "Failed webhook delivery attempts (retried).",
         int64_t(webhook_failures.value()));
  scalar(&out, "telltale_webhook_backlog", "gauge",
         "Alert feed entries the furthest-behind webhook has yet to pass (delivered or skipped by its filters).",
         webhook_backlog.value());
  scalar(&out, "telltale_webhooks_failing", "gauge",
         "Webhooks whose latest delivery attempt failed (GET /v1/webhooks says why).", webhooks_failing.value());
  return out;
}

std::string render_pls(const boost::json::object& stats) {
  std::string out;
  header(&out, "telltale_pls_pql_total", "gauge", "PQL alerts raised, by route and priority.");
  for (const auto& [route, by_priority] : stats.at("pql_volume").as_object())
    for (const auto& [priority, n] : by_priority.as_object())
      out += "telltale_pls_pql_total{route=\"" + escape_label(std::string(route)) + "\",priority=\"" +
             escape_label(std::string(priority)) + "\"} " + std::to_string(n.to_number<int64_t>()) + "\n";
  auto gauge = [&](const char* name, const char* help, const boost::json::value& v) {
    if (v.is_null()) return;
    header(&out, name, "gauge", help);
    out += std::string(name) + " " + number(v.to_number<double>()) + "\n";
  };
  gauge("telltale_pls_sla_adherence", "Share of rep-bound alerts past their SLA deadline that were touched in time.",
        stats.at("sla").at("adherence"));
  gauge("telltale_pls_mean_hours_to_first_touch", "Mean time from alert to first touch, in hours.",
        stats.at("response").at("mean_hours_to_first_touch"));
  gauge("telltale_pls_median_hours_to_first_touch", "Median time from alert to first touch, in hours.",
        stats.at("response").at("median_hours_to_first_touch"));
  gauge("telltale_pls_pql_to_opportunity", "Share of rep-bound PQLs that became opportunities.",
        stats.at("conversion").at("pql_to_opportunity"));
  gauge("telltale_pls_pql_to_won", "Share of rep-bound PQLs won.", stats.at("conversion").at("pql_to_won"));
  return out;
}

}  // namespace telltale::collector
