// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/webhook_board.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace telltale::collector {
namespace {

Webhook hook(const std::string& url, const std::string& name = "", bool digest = false) {
  Webhook h;
  h.url = url;
  h.name = name;
  if (digest) h.digest = parse_digest_schedule("09:00");
  return h;
}

TEST(WebhookBoard, SaysSinceWhenAndWhyAWebhookFailsUntilItDelivers) {
  WebhookBoard board;
  board.configure({hook("https://hooks.slack.com/services/T0/B0/x", "sales"), hook("https://crm.example/hook")});
  board.failed(1, "status 503: upstream down", 1'000, 2'000);
  board.failed(1, "connect to crm.example:443: Connection refused", 2'000, 4'000);
  board.delivered(0, 1'500);
  board.set_behind(1, 7);
  EXPECT_EQ(board.failing(), 1);
  EXPECT_EQ(board.furthest_behind(), 7);
  auto h = board.health();
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].name, "sales");
  EXPECT_EQ(h[0].delivered, 1);
  EXPECT_EQ(h[0].last_delivery_ms, 1'500);
  EXPECT_EQ(h[1].name, "https://crm.example/…");  // no name: the URL as shown
  EXPECT_EQ(h[1].failed, 2);
  EXPECT_EQ(h[1].failures_in_a_row, 2);
  EXPECT_EQ(h[1].failing_since_ms, 1'000);  // the first failure of the run
  EXPECT_EQ(h[1].last_error, "connect to crm.example:443: Connection refused");
  EXPECT_EQ(h[1].next_attempt_ms, 4'000);

  board.delivered(1, 5'000);
  h = board.health();
  EXPECT_EQ(board.failing(), 0);
  EXPECT_EQ(h[1].failed, 2);  // counted still
  EXPECT_EQ(h[1].failures_in_a_row, 0);
  EXPECT_EQ(h[1].failing_since_ms, 0);
  EXPECT_EQ(h[1].last_error, "");
  EXPECT_EQ(h[1].next_attempt_ms, 0);
}

// After a restart, a webhook's last delivery is known, and a channel still
// failing has been failing since before the restart; one that delivers
// has not.
TEST(WebhookBoard, ARestartKeepsTheLastDeliveryAndSinceWhenAWebhookFails) {
  WebhookBoard board;
  board.configure({hook("https://a.example/x"), hook("https://b.example/y")});
  board.restore(0, 1'000, 2'000, 5);
  board.restore(1, 1'500, 2'500, 3);
  auto h = board.health();
  EXPECT_EQ(h[0].last_delivery_ms, 1'000);
  EXPECT_EQ(h[0].failing_since_ms, 0);  // not failing until an attempt says so
  EXPECT_EQ(h[0].failures_in_a_row, 0);
  EXPECT_EQ(board.failing(), 0);
  board.failed(0, "status 404: no_service", 9'000, 10'000);
  board.failed(0, "status 404: no_service", 10'000, 12'000);
  board.delivered(1, 9'500);
  board.failed(1, "status 500", 11'000, 12'000);
  h = board.health();
  EXPECT_EQ(h[0].failing_since_ms, 2'000);  // failing since before the restart
  EXPECT_EQ(h[0].failures_in_a_row, 7);     // ... and counting from there
  EXPECT_EQ(h[0].failed, 2);                // counted since the start
  EXPECT_EQ(h[0].delivered, 0);
  EXPECT_EQ(h[1].last_delivery_ms, 9'500);
  EXPECT_EQ(h[1].failing_since_ms, 11'000);  // it delivered in between
  EXPECT_EQ(h[1].failures_in_a_row, 1);
}

TEST(WebhookBoard, AReloadKeepsTheFiguresOfTheWebhooksItKeeps) {
  WebhookBoard board;
  board.configure({hook("https://a.example/x"), hook("https://b.example/y")});
  board.delivered(0, 1'000);
  board.failed(1, "status 500", 1'000, 2'000);
  // b goes, a gets a name and a digest webhook of its own URL comes.
  board.configure({hook("https://a.example/x", "team a", true), hook("https://a.example/x", "team a")});
  const auto h = board.health();
  ASSERT_EQ(h.size(), 2u);
  EXPECT_TRUE(h[0].digest);
  EXPECT_EQ(h[0].delivered, 0);  // another webhook: the digest of the same URL
  EXPECT_EQ(h[1].name, "team a");
  EXPECT_EQ(h[1].delivered, 1);
  EXPECT_EQ(board.failing(), 0);  // b's failure went with it
}

TEST(WebhookBoard, JsonNamesEachFigureAndNullsWhatIsNotThere) {
  WebhookBoard board;
  board.configure({hook("https://crm.example/hook", "crm")});
  auto body = boost::json::parse(webhooks_json(board.health())).as_object();
  EXPECT_EQ(body.at("failing"), 0);
  const auto& quiet = body.at("webhooks").at(0).as_object();
  EXPECT_EQ(quiet.at("name"), "crm");
  EXPECT_EQ(quiet.at("url"), "https://crm.example/…");
  EXPECT_EQ(quiet.at("format"), "generic");
  EXPECT_EQ(quiet.at("kind"), "entries");
  for (const char* none : {"last_delivery", "failing_since", "last_error", "next_attempt"})
    EXPECT_TRUE(quiet.at(none).is_null()) << none;
  board.failed(0, "status 404: no_service", 1'795'000'000'000, 1'795'000'002'000);
  body = boost::json::parse(webhooks_json(board.health())).as_object();
  EXPECT_EQ(body.at("failing"), 1);
  const auto& failing = body.at("webhooks").at(0).as_object();
  EXPECT_EQ(failing.at("failing_since"), "2026-11-18T11:06:40.000Z");
  EXPECT_EQ(failing.at("next_attempt"), "2026-11-18T11:06:42.000Z");
  EXPECT_EQ(failing.at("last_error"), "status 404: no_service");
  EXPECT_EQ(failing.at("failures_in_a_row"), 1);
}

}  // namespace
}  // namespace telltale::collector
