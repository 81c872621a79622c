// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// WebhookBoard: how each configured webhook is doing, for the operator who
// asks why a channel heard nothing (GET /v1/webhooks, `telltale status`):
// delivered and failed since the collector started, how far behind the
// feed it is, and, while it fails, since when, why (the receiver's status
// and the start of its answer, or the network error in words) and when it
// tries again. The webhook dispatcher writes it; a reload configures the
// webhooks again, and those it keeps (Webhook::key()) keep their figures.
// When a webhook last delivered and since when it fails outlive a restart
// (the dispatcher stores them): a channel down since yesterday says so.
// What it shows of a URL is its scheme, host and port: the path of a chat
// webhook's URL is its secret. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "alerts/webhook_dispatcher.h"

namespace telltale::collector {

struct WebhookHealth {
  std::string name;      // the config's, else the URL as shown
  std::string url;       // shown: "https://hooks.slack.com/…"
  std::string format;    // kWebhookFormats
  bool digest = false;   // a digest webhook, else one of entries
  int64_t delivered = 0;  // messages the receiver acknowledged (2xx)
  int64_t failed = 0;     // attempts that failed
  int64_t behind = 0;     // feed entries it has yet to pass (an entries webhook)
  int64_t last_delivery_ms = 0;  // wall clock; 0: none known
  // While its latest attempt failed: since when, how many attempts in a
  // row, the latest one's reason, and when it tries again. 0 and empty when not.
  int64_t failing_since_ms = 0;
  int64_t failures_in_a_row = 0;
  std::string last_error;
  int64_t next_attempt_ms = 0;
};

// The body of GET /v1/webhooks: {"webhooks": [{name, url, format, kind
// (entries or digest), delivered, failed, behind, last_delivery,
// failing_since, failures_in_a_row, last_error, next_attempt}], "failing"};
// times ISO 8601, null when there is none.
std::string webhooks_json(const std::vector<WebhookHealth>& hooks);

class WebhookBoard {
 public:
  // The webhooks configured from now on, by index.
  void configure(const std::vector<Webhook>& hooks);
  // What the figures of webhook `index` were before a restart: when it
  // last delivered, since when it was failing (0: it was not) and how many
  // attempts in a row had failed. The failing goes on from there if its
  // next attempt fails too.
  void restore(size_t index, int64_t last_delivery_ms, int64_t failing_since_ms, int64_t failures_in_a_row);
  void delivered(size_t index, int64_t now_ms);
  void failed(size_t index, const std::string& why, int64_t now_ms, int64_t next_attempt_ms);
  void set_behind(size_t index, int64_t entries);
  int64_t furthest_behind() const;
  int64_t failing() const;  // how many webhooks' latest attempt failed
  std::vector<WebhookHealth> health() const;
  WebhookHealth health(size_t index) const;

 private:
  struct Entry {
    std::string key;  // Webhook::key(): never shown
    WebhookHealth health;
    int64_t failing_before_ms = 0;  // restore()'s failing_since and failures, until the next attempt
    int64_t failures_before = 0;
  };
  mutable std::mutex mutex_;
  std::vector<Entry> hooks_;  // mutex_
};

}  // namespace telltale::collector
