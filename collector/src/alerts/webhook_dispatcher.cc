// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/webhook_dispatcher.h"

#include "alerts/alert_history.h"
#include "alerts/webhook_board.h"
#include "alerts/chat_message.h"
#include "alerts/dashboard_link.h"
#include "app/iso8601.h"
#include "app/wall_clock.h"
#include "http/http_client.h"
#include "http/http_proxy.h"
#include "app/json_text.h"
#include "backoff.h"  // the SDK's jittered backoff and Retry-After reading

#include <openssl/hmac.h>
#include <spdlog/spdlog.h>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <random>

namespace telltale::collector {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

// What a POST got: the HTTP status (0: none, *error says why) and the
// receiver's Retry-After, if it sent one.
struct Answer {
  int status = 0;
  std::optional<std::chrono::milliseconds> retry_after;
  std::string excerpt;  // the start of the receiver's answer, on one line: Slack's "channel_not_found", say
};

// At most 200 bytes of `body`, its line breaks and controls spaces.
std::string excerpt_of(const std::string& body) {
  std::string out = body.substr(0, 200);
  if (body.size() > out.size()) {  // not in the middle of a UTF-8 character
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  }
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

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
            detail::Backoff::parse_retry_after(res[http::field::retry_after], std::chrono::system_clock::now()),
            excerpt_of(res.body())};
  } catch (const std::exception& e) {
    *error = e.what();
    return {};
  }
}

// A Message-ID of one delivery: unique, and of the sender's domain.
std::string message_id(const std::string& delivery, const std::string& from) {
  std::string id = "telltale.";
  for (char c : delivery) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '.';
  std::mt19937_64 random(std::random_device{}());
  char nonce[17];
  std::snprintf(nonce, sizeof nonce, "%016llx", static_cast<unsigned long long>(random()));
  const std::string address = sender_address(from).value_or("@telltale");
  return id + "." + nonce + address.substr(address.rfind('@'));
}

// Mails `content` (a subject and a text: mail_content()) to `to` through
// `server`, with headers that say what it is, as a POST's do.
Answer mail(const SmtpSettings& server, const std::vector<std::string>& to, const std::string& event,
            const std::string& delivery, const std::string& content, std::string* error) {
  MailEnvelope envelope;
  envelope.from = server.from;
  envelope.to = to;
  envelope.date_ms = wall_clock_ms();
  envelope.message_id = message_id(delivery, server.from);
  envelope.extra = {{"X-Telltale-Event", event}, {"X-Telltale-Delivery", delivery}};
  try {
    send_mail(server, to, mail_headers(envelope) + content);
    Answer completed;
    completed.status = 250;  // SMTP's "completed": of the 2xx that say delivered
    return completed;
  } catch (const MailError& e) {
    *error = e.what();
    return {};
  }
}

// Sends `body` to `hook`: a POST to `url`, signed and with the webhook's
// headers, or a mail to `mail_to` through `server`.
Answer send(const Webhook& hook, const std::optional<HttpUrl>& url, const std::vector<std::string>& mail_to,
            const SmtpSettings& server, const std::string& event, const std::string& delivery,
            const std::string& body, std::string* error) {
  if (!url) return mail(server, mail_to, event, delivery, body, error);
  std::vector<std::pair<std::string, std::string>> headers = hook.headers;
  headers.emplace_back("X-Telltale-Event", event);
  headers.emplace_back("X-Telltale-Delivery", delivery);
  if (!hook.secret.empty())
    headers.emplace_back("X-Telltale-Signature", webhook_signature(hook.secret, wall_clock_ms() / 1000, body));
  return post(*url, body, headers, error);
}

// Whether the receiver took it.
bool delivered(const Answer& answer) { return answer.status >= 200 && answer.status < 300; }

// Why a delivery failed: the network's words, or the receiver's status and
// the start of its answer.
std::string failure_reason(const Answer& answer, const std::string& error) {
  if (answer.status == 0) return error;
  const std::string status = "status " + std::to_string(answer.status);
  return answer.excerpt.empty() ? status : status + ": " + answer.excerpt;
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

std::string webhook_subscription(const Webhook& hook) {
  auto listed = [](const std::vector<std::string>& words) {
    std::string out;
    for (size_t i = 0; i < words.size(); ++i) out += (i == 0 ? "" : i + 1 == words.size() ? " and " : ", ") + words[i];
    return out;
  };
  std::string whose = listed({hook.routes.begin(), hook.routes.end()}) + " alerts";
  if (!hook.owners.empty()) whose += " owned by " + listed({hook.owners.begin(), hook.owners.end()});
  if (hook.digest) {
    const DigestSchedule& d = *hook.digest;
    const std::string hh_mm = utc_text(int64_t(d.minute_of_day) * 60'000, "%H:%M");
    static const char* const kDays[] = {"Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays",
                                        "Sundays"};
    std::vector<std::string> days;
    for (int day = 0; day < 7; ++day)
      if (d.days & (1 << day)) days.push_back(kDays[day]);
    const std::string when = d.days == DigestSchedule::kEveryDay ? "every day"
                             : d.days == DigestSchedule::kWeekdays ? "on weekdays"
                                                                   : "on " + listed(days);
    return "a digest of " + whose + " at " + hh_mm + " " + d.zone + " " + when;
  }
  static const std::pair<const char*, const char*> kWhat[] = {
      {"created", "new PQLs"}, {"updated", "updates"}, {"closed", "closings"}};
  std::vector<std::string> what;
  for (const auto& [kind, words] : kWhat)
    if (hook.events.contains(kind)) what.push_back(words);
  std::string out = listed(what) + " of " + whose;
  if (hook.priorities.size() == 1) out += ", of " + *hook.priorities.begin() + " priority";
  return out;
}

std::string send_test_message(const Webhook& hook, const SmtpSettings& mail) {
  const std::string gets = "This webhook gets " + webhook_subscription(hook) + ".";
  std::string body;
  if (const ChatDialect* dialect = chat_dialect(hook.format)) {
    body = render_chat(*dialect, [&](const ChatDialect& d) {
      ChatMessage m;
      m.title = "Telltale test message";
      m.fallback = m.title + ": " + gets;
      m.blocks.push_back(
          {ChatBlock::Kind::kText, "",
           {d.escape("telltale-collector sent this to check that " + hook.label() + " reaches you. " + gets)}, ""});
      return m;
    });
  } else {
    body = json_text(json::object{{"event", "test"}, {"what", "a test message"}, {"webhook", hook.label()},
                                  {"gets", webhook_subscription(hook)}});
  }
  std::string error;
  const std::vector<std::string> mail_to = mailto_recipients(hook.url).value_or(std::vector<std::string>{});
  const Answer answer = send(hook, parse_http_url(hook.url), mail_to, mail, "test", "test", body, &error);
  return delivered(answer) ? "" : failure_reason(answer, error);
}

WebhookDispatcher::WebhookDispatcher(std::vector<Webhook> hooks, AlertStore* store, Metrics* metrics,
                                     WarmingAccounts warming, OwnerRules reps, std::shared_ptr<WebhookBoard> board,
                                     DeliverySettings settings)
    : hooks_(std::move(hooks)),
      settings_(std::move(settings)),
      store_(store),
      metrics_(metrics),
      warming_(std::move(warming)),
      reps_(std::move(reps)),
      board_(board ? std::move(board) : std::make_shared<WebhookBoard>()) {
  for (const Webhook& hook : hooks_)
    targets_.push_back({parse_http_url(hook.url), mailto_recipients(hook.url).value_or(std::vector<std::string>{})});
  health_unstored_.resize(hooks_.size());
}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

// Each webhook's place is stored under its key (Webhook::key()): in the
// feed, or where its last digest ended; and, under the key after these
// prefixes, when it last delivered, since when it fails and how many
// attempts in a row.
constexpr char kLastDeliveryPrefix[] = "last-delivery:";
constexpr char kFailingSincePrefix[] = "failing-since:";
constexpr char kFailuresPrefix[] = "failures-in-a-row:";
constexpr const char* kHealthPrefixes[] = {kLastDeliveryPrefix, kFailingSincePrefix, kFailuresPrefix};
// A chat channel (Slack, Teams) gets entries piled up (many PQLs at once, a
// channel that was failing) as one message when at least this many wait,
// of up to kChatBurstMost entries; Slack takes one message a second, Teams
// about four.
constexpr size_t kChatBurst = 4;
constexpr size_t kChatBurstMost = 20;
// A digest webhook looks at the clock at least this often (the wall clock may be set).
constexpr std::chrono::minutes kDigestCheck{1};

void WebhookDispatcher::place_new_webhooks() {
  for (const Webhook& hook : hooks_) {
    if (store_->state(hook.key())) continue;
    const int64_t place = hook.digest ? wall_clock_ms() : store_->last_feed_seq();
    if (!store_->set_state(hook.key(), place))
      throw std::runtime_error("cannot store the place of webhook " + hook.label());
    if (hook.digest)
      spdlog::info("webhook {}: new; its first digest is at {}", hook.label(),
                   iso8601(next_digest_ms(*hook.digest, place)));
    else if (place > 0)
      spdlog::info("webhook {}: new; it gets the feed after entry {}", hook.label(), place);
  }
}

void WebhookDispatcher::start() {
  place_new_webhooks();
  // A webhook taken out of the config loses its place and its figures: put back, it is new.
  std::set<std::string> places, figures;
  for (const Webhook& hook : hooks_) {
    places.insert(hook.key());
    for (const char* prefix : kHealthPrefixes) figures.insert(prefix + hook.key());
  }
  bool forgotten = true;
  for (const char* prefix : kHealthPrefixes) forgotten = store_->forget_states(prefix, figures) && forgotten;
  for (const char* prefix : Webhook::kKeyPrefixes) forgotten = store_->forget_states(prefix, places) && forgotten;
  if (!forgotten) spdlog::warn("webhooks: cannot forget the places and figures of webhooks no longer configured");
  board_->configure(hooks_);
  restore_health();
  metrics_->webhooks_failing.set(board_->failing());
  for (size_t i = 0; i < hooks_.size(); ++i) threads_.emplace_back([this, i] { run(i); });
}

void WebhookDispatcher::restore_health() {
  for (size_t i = 0; i < hooks_.size(); ++i)
    board_->restore(i, store_->state(kLastDeliveryPrefix + hooks_[i].key()).value_or(0),
                    store_->state(kFailingSincePrefix + hooks_[i].key()).value_or(0),
                    store_->state(kFailuresPrefix + hooks_[i].key()).value_or(0));
}

void WebhookDispatcher::store_health(size_t index) {
  const WebhookHealth h = board_->health(index);
  const std::string& key = hooks_[index].key();
  health_unstored_[index] = !store_->set_states({{kLastDeliveryPrefix + key, h.last_delivery_ms},
                                                 {kFailingSincePrefix + key, h.failing_since_ms},
                                                 {kFailuresPrefix + key, h.failures_in_a_row}});
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
  metrics_->webhook_backlog.set(0);  // until the next dispatcher's threads say
}

void WebhookDispatcher::note_backlog(size_t index, int64_t entries) {
  board_->set_behind(index, entries);
  metrics_->webhook_backlog.set(board_->furthest_behind());
}

bool WebhookDispatcher::stopping() {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopping_;
}

void WebhookDispatcher::run(size_t index) {
  const Webhook& hook = hooks_[index];
  const Target& target = targets_[index];
  if (!target.url && target.mail_to.empty()) {
    spdlog::error("webhook {}: not an http(s) or mailto: URL; not delivering", hook.label());
    return;
  }
  if (!target.url) {
    spdlog::info("webhook {}: by mail through {}", hook.label(), smtp_server_label(settings_.mail.url));
  } else {
    try {
      if (const auto proxy = proxy_for(*target.url))
        spdlog::info("webhook {}: through the {}", hook.label(), proxy->description());
    } catch (const std::exception& e) {
      spdlog::error("webhook {}: {}", hook.label(), e.what());  // and so each attempt fails, until it is set right
    }
  }
  detail::Backoff backoff(std::chrono::seconds(1), std::chrono::minutes(5), std::random_device{}());
  for (;;) {
    std::chrono::milliseconds pause;
    try {
      pause = hook.digest ? deliver_digest(index, &backoff) : deliver_entries(index, &backoff);
      if (health_unstored_[index]) store_health(index);  // once a pass, not a commit per delivery
    } catch (const std::exception& e) {
      spdlog::error("webhook {}: {}", hook.label(), e.what());
      pause = std::chrono::seconds(1);
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (stopping_) return;
    if (pause.count() > 0) wake_.wait_for(lock, pause, [&] { return stopping_; });
  }
}

std::chrono::milliseconds WebhookDispatcher::deliver_entries(size_t index, detail::Backoff* backoff) {
  const Webhook& hook = hooks_[index];
  const std::string key = hook.key();
  const int64_t cursor = store_->state(key).value_or(0);
  const std::vector<FeedEntry> entries = store_->feed_after(cursor, 50);
  std::vector<bool> wanted(entries.size());
  std::vector<std::string> accounts(entries.size());
  size_t pending = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const json::object alert = json::parse(entries[i].body).as_object();
    wanted[i] = hook.wants(entries[i], std::string(alert.at("route").as_string()),
                           std::string(alert.at("owner").as_string()), std::string(alert.at("priority").as_string()));
    accounts[i] = alert.at("account_id").as_string();
    pending += wanted[i];
  }
  // The place is stored after each delivery; past entries the filters skip,
  // once at the end of the pass (a commit each would contend with the
  // engine's writes for nothing: a crash only skips them again).
  int64_t passed = cursor, stored = cursor;
  auto done = [&](std::chrono::milliseconds pause) {
    if (passed > stored) store_->set_state(key, passed);
    note_backlog(index, store_->last_feed_seq() - passed);
    return pause;
  };
  if (chat_dialect(hook.format) && pending >= kChatBurst) {
    std::vector<FeedEntry> burst;
    for (size_t i = 0; i < entries.size() && burst.size() < kChatBurstMost; ++i)
      if (wanted[i]) burst.push_back(entries[i]);
    const std::string delivery = std::to_string(burst.front().seq) + "-" + std::to_string(burst.back().seq);
    std::chrono::milliseconds pause(0);
    const std::string body = chat_burst_body(hook.format, burst, settings_.dashboard_url);
    if (post_delivery(index, "entries", delivery, body, backoff, &pause)) passed = burst.back().seq;
    return done(pause);
  }
  std::chrono::milliseconds pause(entries.empty() ? 250 : 0);
  for (size_t i = 0; i < entries.size() && !stopping(); ++i) {
    const FeedEntry& entry = entries[i];
    if (wanted[i]) {
      const json::array earlier = alert_history(*store_, accounts[i], kWebhookHistory, entry.alert_id);
      const std::string body =
          webhook_body(hook.format, entry, earlier, alert_link(settings_.dashboard_url, entry.alert_id), hook.zone);
      if (!post_delivery(index, entry.kind, std::to_string(entry.seq), body, backoff, &pause))
        return done(pause);
      store_->set_state(key, entry.seq);
      stored = entry.seq;
    }
    passed = entry.seq;
  }
  return done(pause);
}

std::chrono::milliseconds WebhookDispatcher::deliver_digest(size_t index, detail::Backoff* backoff) {
  const Webhook& hook = hooks_[index];
  const std::string key = hook.key();
  const int64_t now = wall_clock_ms();
  const int64_t last = store_->state(key).value_or(now);
  const std::optional<int64_t> due = due_digest_ms(*hook.digest, last, now);
  if (!due) {
    const auto until_next = std::chrono::milliseconds(next_digest_ms(*hook.digest, last) - now);
    return std::min<std::chrono::milliseconds>(until_next, kDigestCheck);
  }
  Digest digest = collect_digest(*store_, last, *due, hook.routes, hook.owners, reps_, now, warming_);
  digest.zone = hook.zone;
  digest.dashboard_url = settings_.dashboard_url;
  std::chrono::milliseconds pause(0);
  if (!post_delivery(index, "digest", "digest " + iso8601(*due), digest_body(hook.format, digest), backoff, &pause))
    return pause;
  store_->set_state(key, *due);
  return pause;
}

bool WebhookDispatcher::post_delivery(size_t index, const std::string& event, const std::string& delivery,
                                      const std::string& body, detail::Backoff* backoff,
                                      std::chrono::milliseconds* pause) {
  const Webhook& hook = hooks_[index];
  const Target& target = targets_[index];
  std::string error;
  const Answer answer = send(hook, target.url, target.mail_to, settings_.mail, event, delivery, body, &error);
  const int64_t now = wall_clock_ms();
  if (delivered(answer)) {
    metrics_->webhook_deliveries.add();
    board_->delivered(index, now);
    health_unstored_[index] = true;
    metrics_->webhooks_failing.set(board_->failing());
    backoff->reset();
    return true;
  }
  metrics_->webhook_failures.add();
  // The receiver's Retry-After when it gave one (at least 1 s), else the backoff.
  *pause = answer.retry_after ? std::max<std::chrono::milliseconds>(*answer.retry_after, std::chrono::seconds(1))
                              : backoff->next();
  const std::string why = failure_reason(answer, error);
  board_->failed(index, why, now, now + pause->count());
  health_unstored_[index] = true;  // stored after the pass: an attempt a backoff's pause at most
  metrics_->webhooks_failing.set(board_->failing());
  spdlog::warn("webhook {}: delivery of {} {} failed ({}); retrying in {} ms", hook.label(),
               event == "digest" ? "the" : event == "entries" ? "feed entries" : "feed entry", delivery, why,
               pause->count());
  return false;
}

}  // namespace telltale::collector
