// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// What a webhook receives for a feed entry (webhook_body) and its signature;
// delivery itself (order, retries, Retry-After) is CollectorE2E's.
#include "alerts/webhook_dispatcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/json_text.h"

namespace telltale::collector {
namespace {

std::string text(const boost::json::value& v) { return std::string(v.as_string()); }

FeedEntry entry_for(const Alert& alert, const std::string& kind = "created") {
  boost::json::value json = alert.to_json();
  json.as_object()["id"] = 7;
  return {12, 7, kind, kind, json_text(json), ""};
}

Alert acme() {
  Alert a;
  a.account_id = "acme";
  a.account_name = "Acme";
  a.score = 63;
  a.priority = "medium";
  a.route = "sales-led";
  a.owner = "Dana";
  a.summary = "Acme: 2 active users; viewed pricing once. Sales-led, medium, owner Dana";
  a.contacts = {{"ana", {"ana@acme.com", "Ana Lopez", "CTO"}, 9, 20'400}, {"carl", {}, 3, 20'398}};
  a.sla_due_ms = 1'795'000'000'000;  // 2026-11-18T11:06:40Z
  return a;
}

TEST(WebhookBody, GenericCarriesTheWholeAlertWithItsContacts) {
  const auto body = boost::json::parse(webhook_body("generic", entry_for(acme()))).as_object();
  EXPECT_EQ(body.at("event"), "created");
  EXPECT_EQ(body.at("feed_seq"), 12);
  const auto& contacts = body.at("alert").at("contacts").as_array();
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(json_text(contacts[0]),
            R"({"user_id":"ana","email":"ana@acme.com","name":"Ana Lopez","title":"CTO","active_days_14d":9,)"
            R"("last_active":"2025-11-08"})");
  EXPECT_EQ(json_text(contacts[1]), R"({"user_id":"carl","active_days_14d":3,"last_active":"2025-11-06"})");
}

TEST(WebhookBody, SlackNamesWhomToWriteTo) {
  const auto message = boost::json::parse(webhook_body("slack", entry_for(acme()))).as_object();
  EXPECT_EQ(text(message.at("text")), "New PQL: Acme (63, medium): " + acme().summary);
  const auto& blocks = message.at("blocks").as_array();
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_EQ(blocks[0].at("text").at("text"), "New PQL: Acme (63, medium)");
  EXPECT_EQ(text(blocks[1].at("text").at("text")), acme().summary);
  EXPECT_EQ(blocks[2].at("text").at("text"), "Contacts: Ana Lopez (CTO, ana@acme.com), carl");
  EXPECT_EQ(blocks[3].at("type"), "context");
  // How long the rep has, in the reader's time zone (Slack's date formatting).
  EXPECT_EQ(blocks[3].at("elements").at(0).at("text"),
            "sales-led | owner Dana | created | first touch by "
            "<!date^1795000000^{date_short_pretty} {time}|2026-11-18T11:06:40.000Z>");
  // Touched: no deadline; past it untouched: breached.
  Alert touched = acme();
  touched.touches.push_back({1'795'000'000'000, "call", ""});
  touched.first_touch_ms = 1'795'000'000'000;
  auto context = [](const Alert& a) {
    return text(boost::json::parse(webhook_body("slack", entry_for(a, "updated"))).at("blocks").as_array().back()
                    .at("elements").at(0).at("text"));
  };
  EXPECT_EQ(context(touched), "sales-led | owner Dana | updated");
  Alert breached = acme();
  breached.sla_breached = true;
  EXPECT_EQ(context(breached), "sales-led | owner Dana | updated | SLA breached");
  // Without contacts, no such block.
  Alert quiet = acme();
  quiet.contacts.clear();
  EXPECT_EQ(boost::json::parse(webhook_body("slack", entry_for(quiet))).at("blocks").as_array().size(), 3u);
}

TEST(WebhookBody, SlackMarkupFromEventsIsEscaped) {
  Alert a = acme();
  a.account_name = "<!channel> & co";
  a.summary = "<!channel> & co: 1 active user";
  a.contacts = {{"x", {"<mailto:evil@x.com|ceo@acme.com>", "<@U123>", ""}, 1, 20'400}};
  const auto message = boost::json::parse(webhook_body("slack", entry_for(a))).as_object();
  EXPECT_EQ(message.at("text"), "New PQL: &lt;!channel&gt; &amp; co (63, medium): &lt;!channel&gt; &amp; co: 1 active user");
  const auto& blocks = message.at("blocks").as_array();
  EXPECT_EQ(blocks[0].at("text").at("type"), "plain_text");  // the title is never read as markup
  EXPECT_EQ(blocks[1].at("text").at("text"), "&lt;!channel&gt; &amp; co: 1 active user");
  EXPECT_EQ(blocks[2].at("text").at("text"), "Contacts: &lt;@U123&gt; (&lt;mailto:evil@x.com|ceo@acme.com&gt;)");
}

// A feed entry of `kind` that, when `owner_before` is given, took its alert from that rep.
FeedEntry entry_of(const std::string& kind, const std::string& owner_before = "") {
  FeedEntry e;
  e.kind = kind;
  e.owner_before = owner_before;
  return e;
}

TEST(Webhook, SendsTheEntriesItsEventsRoutesAndOwnersChoose) {
  Webhook all;
  EXPECT_TRUE(all.wants(entry_of("created"), "sales-led", ""));
  EXPECT_TRUE(all.wants(entry_of("closed"), "sales-assist", "Dana"));
  EXPECT_FALSE(all.wants(entry_of("created"), "self-serve", ""));  // never sent to reps
  Webhook danas_new_enterprise;
  danas_new_enterprise.events = {"created"};
  danas_new_enterprise.routes = {"sales-led"};
  danas_new_enterprise.owners = {"Dana"};
  EXPECT_TRUE(danas_new_enterprise.wants(entry_of("created"), "sales-led", "Dana"));
  EXPECT_FALSE(danas_new_enterprise.wants(entry_of("updated"), "sales-led", "Dana"));
  EXPECT_FALSE(danas_new_enterprise.wants(entry_of("created"), "sales-assist", "Dana"));
  EXPECT_FALSE(danas_new_enterprise.wants(entry_of("created"), "sales-led", "Ravi"));
  EXPECT_FALSE(danas_new_enterprise.wants(entry_of("created"), "sales-led", ""));  // no owner yet
}

// A rep's channel hears of the alert another rep took from them, and of
// nothing else of that rep's.
TEST(Webhook, ARepsChannelHearsOfTheAlertAnotherRepTookFromThem) {
  Webhook danas;
  danas.owners = {"Dana"};
  EXPECT_TRUE(danas.wants(entry_of("updated", "Dana"), "sales-led", "Ravi"));
  EXPECT_FALSE(danas.wants(entry_of("updated", "Mei"), "sales-led", "Ravi"));
  EXPECT_FALSE(danas.wants(entry_of("updated"), "sales-led", "Ravi"));
}

TEST(WebhookSignature, IsHmacSha256OverTimestampAndBody) {
  // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret
  EXPECT_EQ(webhook_signature("s3cret", 1'700'000'000, R"({"a":1})"),
            "t=1700000000,v1=1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940");
}

}  // namespace
}  // namespace telltale::collector
