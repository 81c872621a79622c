// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Which entries a webhook takes, its signature, and delivery: of a Slack
// burst, a digest, a mail, the receiver's headers, the webhook's health
// across a restart (the rest of delivery: order, retries, Retry-After, is
// CollectorE2E's; what each format says, webhook_message_test's).
#include "alerts/webhook_dispatcher.h"
#include "alerts/webhook_board.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "app/iso8601.h"
#include "app/wall_clock.h"
#include "log/sqlite_event_log.h"
#include "sample_alert.h"
#include "scratch_dir.h"
#include "test_collector.h"
#include "test_smtp_server.h"

namespace telltale::collector {
namespace {

using telltale::testing::acme;

std::string text(const boost::json::value& v) { return std::string(v.as_string()); }

// A feed entry of `kind` that, when `owner_before` is given, took its alert from that rep.
FeedEntry entry_of(const std::string& kind, const std::string& owner_before = "") {
  FeedEntry e;
  e.kind = kind;
  e.owner_before = owner_before;
  return e;
}

TEST(Webhook, SendsTheEntriesItsEventsRoutesOwnersAndPrioritiesChoose) {
  Webhook all;
  EXPECT_TRUE(all.wants(entry_of("created"), "sales-led", "", "medium"));
  EXPECT_TRUE(all.wants(entry_of("closed"), "sales-assist", "Dana", "medium"));
  EXPECT_FALSE(all.wants(entry_of("created"), "self-serve", "", "medium"));  // never sent to reps
  Webhook danas_new_enterprise;
  danas_new_enterprise.events = {"created"};
  danas_new_enterprise.routes = {"sales-led"};
  danas_new_enterprise.owners = {"Dana"};
  EXPECT_TRUE(danas_new_enterprise.wants(entry_of("created"), "sales-led", "Dana", "medium"));
  EXPECT_FALSE(danas_new_enterprise.wants(entry_of("updated"), "sales-led", "Dana", "medium"));
  EXPECT_FALSE(danas_new_enterprise.wants(entry_of("created"), "sales-assist", "Dana", "medium"));
  EXPECT_FALSE(danas_new_enterprise.wants(entry_of("created"), "sales-led", "Ravi", "medium"));
  EXPECT_FALSE(danas_new_enterprise.wants(entry_of("created"), "sales-led", "", "medium"));  // no owner yet
  Webhook urgent;  // a channel for the leads to work within 4 hours
  urgent.priorities = {"high"};
  EXPECT_TRUE(urgent.wants(entry_of("created"), "sales-assist", "", "high"));
  EXPECT_FALSE(urgent.wants(entry_of("created"), "sales-assist", "", "medium"));
}

// A rep's channel hears of the alert another rep took from them, and of
// nothing else of that rep's.
TEST(Webhook, ARepsChannelHearsOfTheAlertAnotherRepTookFromThem) {
  Webhook danas;
  danas.owners = {"Dana"};
  EXPECT_TRUE(danas.wants(entry_of("updated", "Dana"), "sales-led", "Ravi", "medium"));
  EXPECT_FALSE(danas.wants(entry_of("updated", "Mei"), "sales-led", "Ravi", "medium"));
  EXPECT_FALSE(danas.wants(entry_of("updated"), "sales-led", "Ravi", "medium"));
}

TEST(WebhookSignature, IsHmacSha256OverTimestampAndBody) {
  // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret
  EXPECT_EQ(webhook_signature("s3cret", 1'700'000'000, R"({"a":1})"),
            "t=1700000000,v1=1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940");
}

// A dispatcher delivering from a store of its own to a receiver whose
// first answer is a failure.
class Delivery : public ::testing::Test {
 protected:
  void SetUp() override {
    receiver_.set_script([&](const telltale::testing::RequestInfo&) {
      return telltale::testing::reply(++calls_ == 1 ? 503 : 200);  // the first attempt fails
    });
  }
  // Writes the alerts, created.
  void write(const std::vector<Alert>& alerts) {
    std::vector<AlertChange> changes;
    for (const Alert& a : alerts)
      changes.push_back({AlertChange::Kind::kCreated, std::make_shared<Alert>(a), "created", true});
    std::vector<int64_t> ids;
    std::string error;
    ASSERT_TRUE(store_->apply(changes, 1, &ids, &error)) << error;
  }
  void start(const Webhook& hook, OwnerRules reps = {}, DeliverySettings settings = {}) {
    dispatcher_ = std::make_unique<WebhookDispatcher>(std::vector<Webhook>{hook}, store_.get(), &metrics_,
                                                      WarmingAccounts{}, reps, board_, settings);
    dispatcher_->start();
  }
  // What the receiver got, once it has `n` requests or after 5 s.
  std::vector<telltale::testing::RequestInfo> requests(size_t n) {
    for (int i = 0; i < 100 && receiver_.requests().size() < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return receiver_.requests();
  }

  const telltale::testing::ScratchDir scratch_{"webhook_delivery"};
  std::unique_ptr<SqliteEventLog> log_ = SqliteEventLog::open(scratch_.path(), std::chrono::hours(1));
  std::unique_ptr<AlertStore> store_ = AlertStore::open(scratch_.path());
  telltale::testing::TestCollector receiver_;
  std::atomic<int> calls_{0};
  Metrics metrics_;
  std::shared_ptr<WebhookBoard> board_ = std::make_shared<WebhookBoard>();
  std::unique_ptr<WebhookDispatcher> dispatcher_;
};

// Alerts that pile up for a Slack channel go as one message (retried
// whole); one alone, as its own. /metrics shows what waits meanwhile.
TEST_F(Delivery, ASlackChannelGetsEntriesThatPiledUpAsOneMessage) {
  write(std::vector<Alert>(6, acme()));
  Webhook hook;
  hook.url = receiver_.endpoint() + "/services/T0/B0/x";
  hook.format = "slack";
  ASSERT_TRUE(store_->set_state("webhook:" + hook.url, 0));  // all six are its to send
  start(hook);
  // While the channel fails, /metrics shows the six waiting.
  auto backlog_becomes = [&](int64_t n) {
    for (int i = 0; i < 100 && metrics_.webhook_backlog.value() != n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return metrics_.webhook_backlog.value();
  };
  EXPECT_EQ(backlog_becomes(6), 6);
  auto got = requests(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].body, got[0].body);  // the failed one, again
  EXPECT_EQ(got[1].headers.at("x-telltale-event"), "entries");
  EXPECT_EQ(got[1].headers.at("x-telltale-delivery"), "1-6");
  EXPECT_EQ(boost::json::parse(got[1].body).at("text"), "6 PQL changes: 6 new PQLs");
  EXPECT_EQ(backlog_becomes(0), 0);
  write({acme()});
  got = requests(3);
  dispatcher_->stop();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].headers.at("x-telltale-event"), "created");
  EXPECT_EQ(got[2].headers.at("x-telltale-delivery"), "7");
  EXPECT_EQ(store_->state("webhook:" + hook.url), 7);
}

// A collector restarted while a channel fails says since when it fails
// and when it last delivered, as before the restart.
TEST_F(Delivery, AWebhooksLastDeliveryAndFailingOutliveARestart) {
  receiver_.set_script([&](const telltale::testing::RequestInfo&) {
    return telltale::testing::reply(++calls_ == 1 ? 200 : 404);  // delivers once, then the channel is gone
  });
  Webhook hook;
  hook.url = receiver_.endpoint() + "/hook";
  ASSERT_TRUE(store_->set_state(hook.key(), 0));
  write({acme(), acme()});
  start(hook);
  auto failing = [&] {
    for (int i = 0; i < 100 && !board_->failing(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return board_->health().at(0);
  };
  const WebhookHealth before = failing();
  ASSERT_GT(before.last_delivery_ms, 0);
  ASSERT_GT(before.failing_since_ms, 0);
  dispatcher_->stop();

  board_ = std::make_shared<WebhookBoard>();  // a new process
  start(hook);
  const WebhookHealth after = failing();
  dispatcher_->stop();
  EXPECT_EQ(after.last_delivery_ms, before.last_delivery_ms);
  EXPECT_EQ(after.failing_since_ms, before.failing_since_ms);
  EXPECT_EQ(after.delivered, 0);  // counted since the start
  EXPECT_GT(after.failures_in_a_row, before.failures_in_a_row);  // counting on from before the restart
  EXPECT_THAT(after.last_error, ::testing::StartsWith("status 404"));

  // Taken out of the config, it is forgotten: put back, it is new.
  dispatcher_ = std::make_unique<WebhookDispatcher>(std::vector<Webhook>{}, store_.get(), &metrics_);
  dispatcher_->start();
  dispatcher_->stop();
  EXPECT_FALSE(store_->state("last-delivery:" + hook.key()));
  EXPECT_FALSE(store_->state("failing-since:" + hook.key()));
  EXPECT_FALSE(store_->state("failures-in-a-row:" + hook.key()));
}

// A webhook reads what came of the account's earlier alerts from the
// store when it delivers a new one: the account's own, raised before it.
TEST_F(Delivery, ANewPqlCarriesWhatCameOfTheAccountsEarlierAlerts) {
  Alert handed_back = acme();
  handed_back.status = "handed_back";
  handed_back.handback_reason = "prefers self-serve";
  handed_back.touches = {{1'795'000'000'000, "email", ""}};
  Alert globex = acme();
  globex.account_id = "globex";
  write({handed_back, globex, acme(), acme()});
  Webhook hook;
  hook.url = receiver_.endpoint() + "/hooks/crm";
  ASSERT_TRUE(store_->set_state("webhook:" + hook.url, 2));  // alerts 3 and 4 are its to send
  start(hook);
  const auto got = requests(3);
  dispatcher_->stop();
  ASSERT_EQ(got.size(), 3u);  // the first failed
  const auto third = boost::json::parse(got[1].body).as_object();
  EXPECT_EQ(third.at("alert").at("id"), 3);
  const auto& earlier = third.at("earlier_alerts").as_array();
  ASSERT_EQ(earlier.size(), 1u);
  EXPECT_EQ(earlier[0].at("id"), 1);
  EXPECT_EQ(earlier[0].at("status"), "handed_back");
  EXPECT_EQ(earlier[0].at("touches"), 1);
  EXPECT_EQ(earlier[0].at("handback_reason"), "prefers self-serve");
  const auto fourth = boost::json::parse(got[2].body).as_object();
  EXPECT_EQ(fourth.at("alert").at("id"), 4);
  ASSERT_EQ(fourth.at("earlier_alerts").as_array().size(), 2u);
  EXPECT_EQ(fourth.at("earlier_alerts").at(0).at("id"), 3);
}

// A receiver that asks for its own credentials gets them with each POST,
// retries too, beside Telltale's own headers.
TEST_F(Delivery, AWebhookSendsTheHeadersItsReceiverAsksFor) {
  write({acme()});
  Webhook hook;
  hook.url = receiver_.endpoint() + "/v1/tasks";
  hook.headers = {{"Authorization", "Bearer crm_tok"}, {"X-Api-Key", "k1"}};
  ASSERT_TRUE(store_->set_state("webhook:" + hook.url, 0));
  start(hook);
  const auto got = requests(2);
  dispatcher_->stop();
  ASSERT_EQ(got.size(), 2u);  // the first failed
  // The board said why it failed, then that it delivers.
  const WebhookHealth health = board_->health().at(0);
  EXPECT_EQ(health.name, receiver_.endpoint() + "/…");
  EXPECT_EQ(health.failed, 1);
  EXPECT_EQ(health.delivered, 1);
  EXPECT_EQ(health.failures_in_a_row, 0);
  EXPECT_EQ(health.behind, 0);
  EXPECT_EQ(metrics_.webhooks_failing.value(), 0);
  EXPECT_EQ(metrics_.webhook_failures.value(), 1u);
  for (const auto& r : got) {
    EXPECT_EQ(r.headers.at("authorization"), "Bearer crm_tok");
    EXPECT_EQ(r.headers.at("x-api-key"), "k1");
    EXPECT_EQ(r.headers.at("x-telltale-event"), "created");
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
  }
}

// A digest webhook whose last digest was two days ago gets one at once,
// retried after a failure, of the alerts of its owner (who is away: it
// says so, for whoever reads it); then its place moves on, so it sends no
// other until tomorrow's.
TEST_F(Delivery, ADigestWebhookGetsTheDueDigestOnceRetriedAndFiltered) {
  const int64_t now = wall_clock_ms();
  constexpr int64_t kHour = 3'600'000;
  std::vector<Alert> alerts;
  for (const char* owner : {"Dana", "Dana", "Ravi"}) {
    Alert a = acme();
    a.owner = owner;
    a.status = "open";
    a.raised_at_ms = a.created_at_ms = now - 3 * kHour;
    a.sla_due_ms = now - kHour;  // overdue
    alerts.push_back(a);
  }
  write(alerts);
  Webhook hook;
  hook.url = receiver_.endpoint() + "/hooks/digest";
  hook.secret = "s3cret";
  hook.owners = {"Dana"};
  hook.digest = DigestSchedule{0, "UTC"};  // midnight
  ASSERT_TRUE(store_->set_state("digest:" + hook.url, now - 48 * kHour));
  start(hook, OwnerRules{{}, {{"Dana", 1, true}, {"Ravi", 1}}});
  requests(2);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // time for a third, which must not come
  dispatcher_->stop();

  const auto got = receiver_.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].body, got[1].body);  // the failed one, again
  const auto& r = got[1];
  EXPECT_EQ(r.headers.at("x-telltale-event"), "digest");
  const int64_t midnight = now / (24 * kHour) * (24 * kHour);
  EXPECT_EQ(r.headers.at("x-telltale-delivery"), "digest " + iso8601(midnight));
  const std::string sig = r.headers.at("x-telltale-signature");
  EXPECT_EQ(sig, webhook_signature("s3cret", std::stoll(sig.substr(2, sig.find(',') - 2)), r.body));
  const auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(text(body.at("since")), iso8601(now - 48 * kHour));
  EXPECT_EQ(text(body.at("until")), iso8601(midnight));
  EXPECT_EQ(body.at("figures").at("filter").at("owner"), "Dana");
  EXPECT_EQ(body.at("waiting").at("count").as_int64(), 2);  // Dana's, not Ravi's
  EXPECT_EQ(body.at("waiting").at("overdue").as_int64(), 2);
  ASSERT_EQ(body.at("waiting").at("alerts").as_array().size(), 2u);
  EXPECT_EQ(body.at("waiting").at("alerts").at(0).at("owner"), "Dana");
  EXPECT_EQ(body.at("waiting").at("away").as_int64(), 2);
  EXPECT_EQ(body.at("waiting").at("alerts").at(0).at("owner_away"), true);
  ASSERT_EQ(body.at("figures").at("by_owner").as_array().size(), 1u);  // Dana's only: the digest is hers
  EXPECT_EQ(body.at("figures").at("by_owner").at(0).at("away"), true);
  EXPECT_EQ(store_->state("digest:" + hook.url), midnight);
  EXPECT_EQ(metrics_.webhook_failures.value(), 1u);
}

// A rep's inbox gets their new PQLs by mail, through the [email] server:
// a refusal is retried (the board says why meanwhile), and the mail says
// what it is in its headers, as a POST does.
TEST_F(Delivery, ARepsInboxGetsTheirPqlsByMailRetriedAfterARefusal) {
  Alert ravis = acme();
  ravis.owner = "Ravi";
  write({acme(), ravis});
  telltale::testing::TestSmtpServer smtp;
  smtp.defer(1);
  Webhook hook;
  hook.url = "mailto:dana@example.com";
  hook.format = "email";
  hook.owners = {"Dana"};
  ASSERT_TRUE(store_->set_state("webhook:" + hook.url, 0));
  SmtpSettings mail;
  mail.url = smtp.url();
  mail.from = "Telltale <pql@example.com>";
  mail.require_tls = false;  // a relay on this machine
  start(hook, {}, {mail, "https://telltale.example.com:7070"});
  auto failing = [&] {
    for (int i = 0; i < 100 && board_->health().at(0).failed == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return board_->health().at(0);
  };
  EXPECT_THAT(failing().last_error, ::testing::HasSubstr("(the server said: 451 4.3.0 Try again later)"));
  for (int i = 0; i < 150 && smtp.received().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // time for a second mail, which must not come
  dispatcher_->stop();

  const auto got = smtp.received();
  ASSERT_EQ(got.size(), 1u);  // Dana's alert; Ravi's is not hers
  EXPECT_EQ(got[0].mail_from, "pql@example.com");
  EXPECT_THAT(got[0].to, ::testing::ElementsAre("dana@example.com"));
  using telltale::testing::mail_header;
  EXPECT_EQ(mail_header(got[0].data, "From"), "Telltale <pql@example.com>");
  EXPECT_EQ(mail_header(got[0].data, "To"), "dana@example.com");
  EXPECT_EQ(mail_header(got[0].data, "Subject"), "New PQL: Acme (63, medium)");
  EXPECT_EQ(mail_header(got[0].data, "X-Telltale-Event"), "created");
  EXPECT_EQ(mail_header(got[0].data, "X-Telltale-Delivery"), "1");
  EXPECT_THAT(mail_header(got[0].data, "Message-ID"),
              ::testing::MatchesRegex("<telltale\\.1\\.[0-9a-f]{16}@example\\.com>"));
  EXPECT_THAT(telltale::testing::mail_body(got[0].data),
              ::testing::HasSubstr("Contacts: Ana Lopez (CTO, ana@acme.com)"));
  EXPECT_THAT(telltale::testing::mail_body(got[0].data),
              ::testing::HasSubstr("Open in Telltale: https://telltale.example.com:7070/#alert/1\r\n"));
  EXPECT_EQ(store_->state("webhook:" + hook.url), 2);
  const WebhookHealth health = board_->health().at(0);
  EXPECT_EQ(health.name, "mailto:dana@example.com");
  EXPECT_EQ(health.delivered, 1);
  EXPECT_EQ(health.failed, 1);
  EXPECT_EQ(health.failures_in_a_row, 0);
}

// What a webhook gets, in words, for an operator checking it.
TEST(WebhookSubscription, SaysWhatAndWhose) {
  Webhook all;
  EXPECT_EQ(webhook_subscription(all), "new PQLs, updates and closings of sales-assist and sales-led alerts");
  Webhook danas;
  danas.events = {"created", "closed"};
  danas.routes = {"sales-led"};
  danas.owners = {"Dana", "Mei"};
  danas.priorities = {"high"};
  EXPECT_EQ(webhook_subscription(danas), "new PQLs and closings of sales-led alerts owned by Dana and Mei, of high "
                                         "priority");
  Webhook digest;
  digest.digest = DigestSchedule{8 * 60 + 30, "Europe/Berlin", DigestSchedule::kWeekdays};
  EXPECT_EQ(webhook_subscription(digest), "a digest of sales-assist and sales-led alerts at 08:30 Europe/Berlin on "
                                          "weekdays");
  digest.digest = DigestSchedule{17 * 60, "UTC", 0x9};  // Mondays and Thursdays
  digest.owners = {"Dana"};
  EXPECT_EQ(webhook_subscription(digest), "a digest of sales-assist and sales-led alerts owned by Dana at 17:00 UTC "
                                          "on Mondays and Thursdays");
}

// A test message reaches a webhook as a delivery does (signed, with its
// headers), or says why it did not.
TEST(WebhookTest, ATestMessageIsSentAsADeliveryIs) {
  telltale::testing::TestCollector receiver;
  receiver.set_script([](const telltale::testing::RequestInfo& r) {
    return telltale::testing::reply(r.target == "/hooks/crm" ? 204 : 404);
  });
  Webhook crm;
  crm.name = "crm";
  crm.url = receiver.endpoint() + "/hooks/crm";
  crm.secret = "s3cret";
  crm.headers = {{"X-Api-Key", "k1"}};
  EXPECT_EQ(send_test_message(crm, {}), "");
  const auto got = receiver.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].headers.at("x-telltale-event"), "test");
  EXPECT_EQ(got[0].headers.at("x-api-key"), "k1");
  const std::string sig = got[0].headers.at("x-telltale-signature");
  EXPECT_EQ(sig, webhook_signature("s3cret", std::stoll(sig.substr(2, sig.find(',') - 2)), got[0].body));
  const auto body = boost::json::parse(got[0].body).as_object();
  EXPECT_EQ(body.at("event"), "test");
  EXPECT_EQ(body.at("webhook"), "crm");
  EXPECT_EQ(body.at("gets"), "new PQLs, updates and closings of sales-assist and sales-led alerts");

  Webhook slack;
  slack.url = receiver.endpoint() + "/services/T0/B0/x";
  slack.format = "slack";
  EXPECT_EQ(send_test_message(slack, {}), "status 404: {\"error\":\"scripted\",\"detail\":\"test collector\"}");
  EXPECT_EQ(boost::json::parse(receiver.requests().at(1).body).at("text"),
            "Telltale test message: This webhook gets new PQLs, updates and closings of sales-assist and sales-led "
            "alerts.");

  telltale::testing::TestSmtpServer smtp;
  Webhook inbox;
  inbox.url = "mailto:dana@example.com";
  inbox.format = "email";
  SmtpSettings mail;
  mail.url = smtp.url();
  mail.from = "pql@example.com";
  mail.require_tls = false;
  EXPECT_EQ(send_test_message(inbox, mail), "");
  ASSERT_EQ(smtp.received().size(), 1u);
  EXPECT_EQ(telltale::testing::mail_header(smtp.received()[0].data, "Subject"), "Telltale test message");
  EXPECT_THAT(telltale::testing::mail_body(smtp.received()[0].data),
              ::testing::HasSubstr("check that mailto:dana@example.com reaches"));
}

}  // namespace
}  // namespace telltale::collector
