// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/webhook_board.h"

#include <algorithm>

#include <boost/json.hpp>

#include "alerts/alert.h"

namespace telltale::collector {

std::string webhooks_json(const std::vector<WebhookHealth>& hooks) {
  boost::json::array list;
  int64_t failing = 0;
  for (const WebhookHealth& h : hooks) {
    failing += h.failures_in_a_row > 0;
    list.push_back({{"name", h.name},
                    {"url", h.url},
                    {"format", h.format},
                    {"kind", h.digest ? "digest" : "entries"},
                    {"delivered", h.delivered},
                    {"failed", h.failed},
                    {"behind", h.behind},
                    {"last_delivery", json_time_or_null(h.last_delivery_ms)},
                    {"failing_since", json_time_or_null(h.failing_since_ms)},
                    {"failures_in_a_row", h.failures_in_a_row},
                    {"last_error", json_text_or_null(h.last_error)},
                    {"next_attempt", json_time_or_null(h.next_attempt_ms)}});
  }
  return boost::json::serialize(boost::json::object{{"webhooks", std::move(list)}, {"failing", failing}});
}

void WebhookBoard::configure(const std::vector<Webhook>& hooks) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Entry> next;
  for (const Webhook& hook : hooks) {
    Entry e{hook.key(), {}};
    // One webhook of each kind per URL: the same URL and kind is the same webhook.
    const auto before = std::find_if(hooks_.begin(), hooks_.end(), [&](const Entry& b) { return b.key == e.key; });
    if (before != hooks_.end()) {
      e.health = before->health;
      e.failing_before_ms = before->failing_before_ms;
    }
    e.health.url = shown_url(hook.url);
    e.health.name = hook.label();
    e.health.format = hook.format;
    e.health.digest = hook.digest.has_value();
    next.push_back(std::move(e));
  }
  hooks_ = std::move(next);
}

void WebhookBoard::restore(size_t index, int64_t last_delivery_ms, int64_t failing_since_ms,
                           int64_t failures_in_a_row) {
  std::lock_guard<std::mutex> lock(mutex_);
  Entry& e = hooks_.at(index);
  if (!e.health.last_delivery_ms) e.health.last_delivery_ms = last_delivery_ms;
  if (!e.health.failures_in_a_row) {
    e.failing_before_ms = failing_since_ms;
    e.failures_before = failing_since_ms ? failures_in_a_row : 0;
  }
}

void WebhookBoard::delivered(size_t index, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  hooks_.at(index).failing_before_ms = hooks_.at(index).failures_before = 0;
  WebhookHealth& h = hooks_.at(index).health;
  ++h.delivered;
  h.last_delivery_ms = now_ms;
  h.failing_since_ms = h.failures_in_a_row = h.next_attempt_ms = 0;
  h.last_error.clear();
}

void WebhookBoard::failed(size_t index, const std::string& why, int64_t now_ms, int64_t next_attempt_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  Entry& e = hooks_.at(index);
  WebhookHealth& h = e.health;
  ++h.failed;
  if (h.failures_in_a_row == 0) {  // it began failing, or went on failing from before a restart
    h.failing_since_ms = e.failing_before_ms ? e.failing_before_ms : now_ms;
    h.failures_in_a_row = e.failures_before;
  }
  ++h.failures_in_a_row;
  e.failing_before_ms = e.failures_before = 0;
  h.last_error = why;
  h.next_attempt_ms = next_attempt_ms;
}

void WebhookBoard::set_behind(size_t index, int64_t entries) {
  std::lock_guard<std::mutex> lock(mutex_);
  hooks_.at(index).health.behind = entries;
}

int64_t WebhookBoard::furthest_behind() const {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t furthest = 0;
  for (const Entry& e : hooks_) furthest = std::max(furthest, e.health.behind);
  return furthest;
}

int64_t WebhookBoard::failing() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::count_if(hooks_.begin(), hooks_.end(), [](const Entry& e) { return e.health.failures_in_a_row > 0; });
}

std::vector<WebhookHealth> WebhookBoard::health() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<WebhookHealth> out;
  for (const Entry& e : hooks_) out.push_back(e.health);
  return out;
}

WebhookHealth WebhookBoard::health(size_t index) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return hooks_.at(index).health;
}

}  // namespace telltale::collector
