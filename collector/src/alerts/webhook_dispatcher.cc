// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/webhook_dispatcher.h"

#include "signals/event_reader.h"
#include "http/http_client.h"
#include "app/json_text.h"
#include "backoff.h"  // the SDK's Retry-After reading

#include <openssl/hmac.h>
#include <spdlog/spdlog.h>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>

namespace telltale::collector {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

// What a POST got: the HTTP status (0: none, *error says why) and the
// receiver's Retry-After, if it sent one.
struct Answer {
  int status = 0;
  std::optional<std::chrono::milliseconds> retry_after;
};

Answer post(const HttpUrl& url, const std::string& body, std::vector<std::pair<std::string, std::string>> headers,
            std::string* error) {
  try {
    HttpExchange exchange;
    exchange.method = http::verb::post;
    headers.emplace_back("Content-Type", "application/json");
    headers.emplace_back("User-Agent", "telltale-collector");
    exchange.headers = std::move(headers);
    exchange.body = body;
    const auto res = http_exchange(url, exchange);
    return {int(res.result_int()),
            detail::Backoff::parse_retry_after(res[http::field::retry_after], std::chrono::system_clock::now())};
  } catch (const std::exception& e) {
    *error = e.what();
    return {};
  }
}

}  // namespace

std::string webhook_signature(const std::string& secret, int64_t t, const std::string& body) {
  std::string message = std::to_string(t) + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), int(secret.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), mac, &len);
  static const char* const kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < len; ++i) {
    hex += kHex[mac[i] >> 4];
    hex += kHex[mac[i] & 15];
  }
  return "t=" + std::to_string(t) + ",v1=" + hex;
}

namespace {

// Text from events in Slack's mrkdwn, escaped as Slack asks (&amp; &lt;
// &gt;): it reads <...> as links and mentions, and <!channel> in an account
// name would notify a whole channel.
std::string slack_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

// "Contacts: Ana Lopez (CTO, ana@acme.com), carl": whom a rep writes to.
std::string slack_contacts(const json::array& contacts) {
  std::string line;
  for (const json::value& v : contacts) {
    const json::object& c = v.as_object();
    auto field = [&](const char* key) { return c.contains(key) ? std::string(c.at(key).as_string()) : ""; };
    std::string detail = field("title");
    if (!field("email").empty()) detail += (detail.empty() ? "" : ", ") + field("email");
    line += (line.empty() ? "Contacts: " : ", ") + slack_escape(field("name").empty() ? field("user_id") : field("name"));
    if (!detail.empty()) line += " (" + slack_escape(detail) + ")";
  }
  return line;
}

}  // namespace

std::string webhook_body(const std::string& format, const FeedEntry& entry) {
  json::value alert = json::parse(entry.body);
  if (format == "slack") {
    const json::object& a = alert.as_object();
    auto text = [&](const char* key) { return std::string(a.at(key).as_string()); };
    const char* what = entry.kind == "created" ? "New PQL" : entry.kind == "closed" ? "PQL closed" : "PQL update";
    std::string title = std::string(what) + ": " + (text("account_name").empty() ? text("account_id") : text("account_name")) +
                        " (" + json_text(a.at("score")) + ", " + text("priority") + ")";
    auto block = [](const char* type, const char* text_type, std::string text) {
      json::object b;
      b["type"] = type;
      b["text"] = json::object{{"type", text_type}, {"text", std::move(text)}};
      return b;
    };
    json::object context;
    context["type"] = "context";
    std::string owner = text("owner").empty() ? "unassigned" : text("owner");
    std::string line = slack_escape(text("route") + " | owner " + owner + " | " + entry.what);
    // How long the rep has: while the alert waits for a first touch, its
    // SLA deadline, which Slack shows in each reader's own time zone.
    if (a.at("sla_breached").as_bool()) {
      line += " | SLA breached";
    } else if (waits_for_first_touch(text("status"), !a.at("first_touch_at").is_null())) {
      const int64_t due_ms = parse_iso8601_ms(text("sla_due")).value_or(0);
      if (due_ms > 0)
        line += " | first touch by <!date^" + std::to_string(due_ms / 1000) + "^{date_short_pretty} {time}|" +
                text("sla_due") + ">";
    }
    context["elements"] = json::array{json::object{{"type", "mrkdwn"}, {"text", std::move(line)}}};
    json::object message;
    message["text"] = slack_escape(title + ": " + text("summary"));
    json::array blocks{block("header", "plain_text", title), block("section", "mrkdwn", slack_escape(text("summary")))};
    if (const json::value* contacts = a.if_contains("contacts"); contacts && !contacts->as_array().empty())
      blocks.push_back(block("section", "mrkdwn", slack_contacts(contacts->as_array())));
    blocks.push_back(std::move(context));
    message["blocks"] = std::move(blocks);
    return json_text(message);
  }
  json::object o{{"event", entry.kind}, {"what", entry.what}, {"feed_seq", entry.seq}, {"alert", alert}};
  return json_text(o);
}

WebhookDispatcher::WebhookDispatcher(std::vector<Webhook> hooks, AlertStore* store, Metrics* metrics)
    : hooks_(std::move(hooks)), store_(store), metrics_(metrics) {}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

// Each webhook's place in the feed is stored under its URL.
constexpr char kCursorPrefix[] = "webhook:";

std::string WebhookDispatcher::cursor_key(const Webhook& hook) { return kCursorPrefix + hook.url; }

void WebhookDispatcher::place_new_webhooks() {
  for (const Webhook& hook : hooks_) {
    if (store_->state(cursor_key(hook))) continue;
    const int64_t end = store_->last_feed_seq();
    if (!store_->set_state(cursor_key(hook), end))
      throw std::runtime_error("cannot store the place in the feed of webhook " + hook.url);
    if (end > 0) spdlog::info("webhook {}: new; it gets the feed after entry {}", hook.url, end);
  }
}

void WebhookDispatcher::start() {
  place_new_webhooks();
  // A webhook taken out of the config loses its place: put back, it is new.
  std::set<std::string> configured;
  for (const Webhook& hook : hooks_) configured.insert(cursor_key(hook));
  if (!store_->forget_states(kCursorPrefix, configured))
    spdlog::warn("webhooks: cannot forget the places in the feed of webhooks no longer configured");
  for (size_t i = 0; i < hooks_.size(); ++i) threads_.emplace_back([this, i] { run(i); });
}

void WebhookDispatcher::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void WebhookDispatcher::run(size_t index) {
  const Webhook& hook = hooks_[index];
  const std::optional<HttpUrl> parsed = parse_http_url(hook.url);
  if (!parsed) {
    spdlog::error("webhook {}: not an http(s) URL; not delivering", hook.url);
    return;
  }
  const HttpUrl& url = *parsed;
  const std::string key = cursor_key(hook);
  auto backoff = std::chrono::seconds(1);
  for (;;) {
    std::chrono::milliseconds pause(250);
    try {
      const int64_t cursor = store_->state(key).value_or(0);
      for (const FeedEntry& entry : store_->feed_after(cursor, 50)) {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          if (stopping_) return;
        }
        const json::object alert = json::parse(entry.body).as_object();
        const std::string route(alert.at("route").as_string()), owner(alert.at("owner").as_string());
        if (hook.wants(entry, route, owner)) {
          std::string body = webhook_body(hook.format, entry);
          const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch()).count();
          std::vector<std::pair<std::string, std::string>> headers = {
              {"X-Telltale-Event", entry.kind}, {"X-Telltale-Delivery", std::to_string(entry.seq)}};
          if (!hook.secret.empty()) headers.emplace_back("X-Telltale-Signature", webhook_signature(hook.secret, now, body));
          std::string error;
          const Answer answer = post(url, body, headers, &error);
          if (answer.status < 200 || answer.status >= 300) {
            metrics_->webhook_failures.add();
            // The receiver's Retry-After when it gave one (at least 1 s), else the backoff.
            pause = answer.retry_after ? std::max<std::chrono::milliseconds>(*answer.retry_after, std::chrono::seconds(1))
                                       : std::chrono::milliseconds(backoff);
            spdlog::warn("webhook {}: delivery of feed entry {} failed ({}); retrying in {} ms", hook.url, entry.seq,
                         answer.status ? "status " + std::to_string(answer.status) : error, pause.count());
            backoff = std::min<std::chrono::seconds>(backoff * 2, std::chrono::minutes(5));
            break;
          }
          metrics_->webhook_deliveries.add();
          backoff = std::chrono::seconds(1);
        }
        store_->set_state(key, entry.seq);
        pause = std::chrono::milliseconds(0);
      }
    } catch (const std::exception& e) {
      spdlog::error("webhook {}: {}", hook.url, e.what());
      pause = std::chrono::seconds(1);
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (stopping_) return;
    if (pause.count() > 0) wake_.wait_for(lock, pause, [&] { return stopping_; });
  }
}

}  // namespace telltale::collector
