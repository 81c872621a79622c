// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// WebhookDispatcher: delivers the alert feed to each configured webhook, in
// feed order, at least once. The feed is the durable outbox: each webhook
// keeps a cursor (its last delivered feed sequence) in the store, advanced
// only after a 2xx, so a restart resumes where delivery stopped. A failure
// is retried with exponential backoff (up to 1 s, doubling to 5 min, with
// full jitter so that webhooks failing together do not retry together: the
// SDK's Backoff), or after the receiver's Retry-After (a rate limit,
// Slack's say), without skipping ahead. A webhook new to the data directory, or put back after it was
// taken out of the config, starts at the feed's end (a channel added later
// is not flooded with history). Self-serve alerts are never sent, nor entries the webhook's
// filters leave out: `events` (a channel may want only new alerts),
// `routes` (sales-led to one channel, sales-assist to another), `owners`
// (a rep's own channel).
// A webhook with a `digest` schedule gets instead one message a day, or on
// the days it names (alerts/pql_digest.h): the figures of the alerts raised
// since the last digest (of its one owner and one route, when it names only
// one), the alerts of its routes and owners waiting for a first touch, and,
// when it names no owner, the accounts warming up on its routes. Its stored
// place is the end of the period the last digest covered, advanced after a
// 2xx and retried like an entry, so a restart neither repeats nor skips
// one; a digest webhook new to the data directory starts its first period
// then. A URL may have one webhook of each kind.
// A webhook whose url is mailto: addresses is mailed instead (format
// email: the same story in plain text and HTML, the title its subject) through the
// config's [email] server (mail/smtp_sender.h), with X-Telltale-Event and
// X-Telltale-Delivery among its headers; a refusal is retried as a failed
// POST is.
// Each POST carries the webhook's own `headers` and
//   X-Telltale-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//   X-Telltale-Event: created | updated | closed | entries | digest,
//   X-Telltale-Delivery: <feed seq> | <seq>-<seq> | digest <period end, ISO 8601>
// in one of the formats of alerts/webhook_message.h (generic JSON, Slack,
// Teams, email); entries that piled up for a chat channel or an inbox (at
// least four: many PQLs at once, or a channel that was failing) go as one
// message of up to twenty (X-Telltale-Event: entries, X-Telltale-Delivery:
// <first seq>-<last seq>): Slack takes one message a second.
// One thread per webhook; start/stop from the owner.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>

#include "alerts/alert_store.h"
#include "alerts/dashboard_link.h"
#include "alerts/webhook_message.h"
#include "alerts/pql_digest.h"
#include "http/http_url.h"
#include "mail/mail_message.h"
#include "mail/smtp_sender.h"
#include "metrics/metrics.h"

namespace telltale::detail {
class Backoff;
}

namespace telltale::collector {

class WebhookBoard;

// The routes whose alerts go to reps, and so to webhooks.
inline constexpr const char* kRepRoutes[] = {"sales-assist", "sales-led"};
// What a webhook's body may be written as (email: to mailto: addresses only).
inline constexpr const char* kWebhookFormats[] = {"generic", "slack", "teams", "email"};

struct Webhook {
  std::string name;    // how operators know it (GET /v1/webhooks); empty: its URL as shown
  std::string url;     // http:// or https://, or mailto:ADDRESS[,ADDRESS...] (format email)
  std::string secret;  // HMAC key; empty: unsigned
  std::string format = "generic";  // one of kWebhookFormats
  std::set<std::string> events{std::begin(kFeedKinds), std::end(kFeedKinds)};  // the feed entries sent
  std::set<std::string> routes{std::begin(kRepRoutes), std::end(kRepRoutes)};   // of alerts on these routes
  std::set<std::string> priorities{std::begin(kAlertPriorities), std::end(kAlertPriorities)};  // of these priorities
  std::set<std::string> owners;  // of alerts these reps own at the entry, or the entry took from them; empty: any
  std::optional<DigestSchedule> digest;  // a digest (daily, or on its days) in place of the entries
  std::string zone = "UTC";  // its times' zone where the tool cannot show each reader's own (email); the digest's
  // Sent with each POST, before Telltale's own: what the receiver asks for
  // (an API's Authorization or key). Never logged.
  std::vector<std::pair<std::string, std::string>> headers;

  // Which webhook it is, across reloads and restarts: a URL has at most one
  // webhook of each kind, entries and digest ("webhook:URL", "digest:URL":
  // the key its place in the feed is stored under). Never shown.
  static constexpr const char* kKeyPrefixes[] = {"webhook:", "digest:"};  // entries, digest
  std::string key() const { return kKeyPrefixes[digest ? 1 : 0] + url; }
  // How logs and status name it: its name, else its URL as shown (never the secret path).
  std::string label() const { return name.empty() ? shown_url(url) : name; }
  // Sent as email, through the config's [email] server.
  bool by_mail() const { return mailto_recipients(url).has_value(); }

  // Whether `entry`, about an alert on `route` owned by `owner` with
  // `priority` at the entry, is sent.
  bool wants(const FeedEntry& entry, const std::string& route, const std::string& owner,
             const std::string& priority) const {
    return events.contains(entry.kind) && routes.contains(route) && priorities.contains(priority) &&
           (owners.empty() || std::any_of(owners.begin(), owners.end(),
                                          [&](const std::string& rep) { return entry.concerns(rep, owner); }));
  }
};

// "t=<t>,v1=<hex>": the signature of `body` at unix time `t`.
std::string webhook_signature(const std::string& secret, int64_t t, const std::string& body);
// What `hook` gets, in words: "new PQLs and updates of sales-led alerts
// owned by Dana, of high priority", or "a digest of ... at 09:00
// Europe/Berlin on weekdays".
std::string webhook_subscription(const Webhook& hook);
// Sends `hook` a message that says it is a test and what the webhook will
// get, now, on this thread (telltale-collector --test-webhooks: an
// operator's check of a new webhook before a PQL needs it), signed and
// with its headers as a delivery (X-Telltale-Event: test); "" when the
// receiver took it, else why not, in the words of GET /v1/webhooks.
std::string send_test_message(const Webhook& hook, const SmtpSettings& mail);

// What deliveries need beyond each webhook.
struct DeliverySettings {
  SmtpSettings mail;          // the [email] server, for webhooks to mailto: addresses
  std::string dashboard_url;  // where reps open the dashboard: messages link to their alert; empty: no links
};

class WebhookDispatcher {
 public:
  // `warming` (optional): the engine's accounts, for a team digest's accounts warming up; `reps`: the
  // config's, for the digests' reps who are away; `board`: where it says how each webhook is doing (one
  // of its own when null), kept by its owner across reloads; `settings`: the mail server and the
  // dashboard's address.
  WebhookDispatcher(std::vector<Webhook> hooks, AlertStore* store, Metrics* metrics, WarmingAccounts warming = {},
                    OwnerRules reps = {}, std::shared_ptr<WebhookBoard> board = {}, DeliverySettings settings = {});
  ~WebhookDispatcher();
  // Gives each webhook new to the data directory its place in the feed,
  // the feed's end; throws when it cannot be stored. start() does it first.
  void place_new_webhooks();
  // Forgets the places of webhooks no longer configured (a webhook put
  // back later is new again) and starts a thread per webhook.
  void start();
  void stop();

 private:
  // Gives the board each webhook's last delivery, and the start and count
  // of the failures it was in, as stored before a restart.
  void restore_health();
  // Stores when webhook `index` last delivered, since when it fails and
  // how many attempts in a row, as the board has it, for the next start.
  void store_health(size_t index);
  void run(size_t index);
  // One pass of a webhook's thread: what is due, posted; returns how long
  // to wait before the next pass. `backoff`: the webhook's, kept by run().
  // deliver_entries also notes the webhook's backlog.
  std::chrono::milliseconds deliver_entries(size_t index, detail::Backoff* backoff);
  std::chrono::milliseconds deliver_digest(size_t index, detail::Backoff* backoff);
  bool stopping();
  // Posts `body`, signed (or mails it); true on a 2xx (the backoff starts
  // again). Otherwise *pause is the receiver's Retry-After (at least 1 s),
  // else the backoff's next delay. Either way the board hears of it.
  bool post_delivery(size_t index, const std::string& event, const std::string& delivery, const std::string& body,
                     detail::Backoff* backoff, std::chrono::milliseconds* pause);

  // Where a webhook's deliveries go: its URL, or its mailto: addresses
  // (neither: its URL is neither, and it delivers nothing).
  struct Target {
    std::optional<HttpUrl> url;
    std::vector<std::string> mail_to;
  };
  std::vector<Webhook> hooks_;
  std::vector<Target> targets_;
  // Per webhook: its board figures changed since they were last stored
  // (each element touched by its webhook's thread only).
  std::vector<char> health_unstored_;
  DeliverySettings settings_;
  AlertStore* store_;
  Metrics* metrics_;
  WarmingAccounts warming_;
  OwnerRules reps_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  // Each webhook's health; the entries still to pass of the furthest
  // behind are telltale_webhook_backlog.
  std::shared_ptr<WebhookBoard> board_;
  void note_backlog(size_t index, int64_t entries);
};

}  // namespace telltale::collector
