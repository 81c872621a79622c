// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The digest: when it is due (a local time of day on its days of the week,
// daylight saving, days without a collector) and what it says in either
// format.
#include "alerts/pql_digest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "alerts/alert.h"
#include "alerts/dashboard_link.h"
#include "app/iso8601.h"

namespace telltale::collector {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

int64_t at(const std::string& iso) { return parse_iso8601_ms(iso).value(); }

TEST(PqlDigest, ReadsATimeOfDay) {
  EXPECT_EQ(parse_time_of_day("09:00"), 540);
  EXPECT_EQ(parse_time_of_day("00:00"), 0);
  EXPECT_EQ(parse_time_of_day("23:59"), 23 * 60 + 59);
  for (const char* wrong : {"24:00", "9:00", "09:60", "09-00", "0900", "09:00 ", ""})
    EXPECT_EQ(parse_time_of_day(wrong), std::nullopt) << wrong;
}

TEST(PqlDigest, ReadsAScheduleOfDaysAndATimeOfDay) {
  const auto every_day = parse_digest_schedule("09:00");
  ASSERT_TRUE(every_day);
  EXPECT_EQ(every_day->minute_of_day, 540);
  EXPECT_EQ(every_day->days, DigestSchedule::kEveryDay);
  EXPECT_EQ(every_day->zone, "UTC");
  EXPECT_EQ(parse_digest_schedule("weekdays 08:30")->days, DigestSchedule::kWeekdays);
  EXPECT_EQ(parse_digest_schedule("Weekdays 08:30")->minute_of_day, 510);
  EXPECT_EQ(parse_digest_schedule("Mon 09:00")->days, 0b0000001);
  EXPECT_EQ(parse_digest_schedule("mon,THU,Sun 17:30")->days, 0b1001001);
  EXPECT_EQ(parse_digest_schedule("mon,THU,Sun 17:30")->minute_of_day, 17 * 60 + 30);
  for (const char* wrong : {"Monday 09:00", "Mon,Mon 09:00", "Mon, Thu 09:00", "Mon,,Thu 09:00", "Mon, 09:00",
                            "weekends 09:00", " 09:00", "Mon 9:00", "Mon", "Mon  09:00", ""})
    EXPECT_EQ(parse_digest_schedule(wrong), std::nullopt) << wrong;
}

// A weekday digest skips Saturday and Sunday (Monday's covers them); a
// weekly one comes on its day only. 2026-11-27 is a Friday.
TEST(PqlDigest, IsDueOnItsDaysOnly) {
  DigestSchedule weekdays = *parse_digest_schedule("weekdays 09:00");
  weekdays.zone = "Europe/Berlin";
  EXPECT_EQ(next_digest_ms(weekdays, at("2026-11-26T08:00:00Z")), at("2026-11-27T08:00:00Z"));
  EXPECT_EQ(next_digest_ms(weekdays, at("2026-11-27T08:00:00Z")), at("2026-11-30T08:00:00Z"));
  EXPECT_EQ(due_digest_ms(weekdays, at("2026-11-27T08:00:00Z"), at("2026-11-29T23:00:00Z")), std::nullopt);
  EXPECT_EQ(due_digest_ms(weekdays, at("2026-11-27T08:00:00Z"), at("2026-11-30T08:00:00Z")),
            at("2026-11-30T08:00:00Z"));
  DigestSchedule monday = *parse_digest_schedule("Mon 09:00");
  EXPECT_EQ(next_digest_ms(monday, at("2026-11-23T09:00:00Z")), at("2026-11-30T09:00:00Z"));
  EXPECT_EQ(next_digest_ms(monday, at("2026-11-23T08:59:00Z")), at("2026-11-23T09:00:00Z"));
  // Sunday 23:30 in Tokyo is Sunday 14:30 UTC; Monday 00:30 there is still Sunday in UTC.
  DigestSchedule tokyo = *parse_digest_schedule("Sun 23:30");
  tokyo.zone = "+09:00";
  EXPECT_EQ(next_digest_ms(tokyo, at("2026-11-24T00:00:00Z")), at("2026-11-29T14:30:00Z"));
  DigestSchedule tokyo_monday = *parse_digest_schedule("Mon 00:30");
  tokyo_monday.zone = "+09:00";
  EXPECT_EQ(next_digest_ms(tokyo_monday, at("2026-11-24T00:00:00Z")), at("2026-11-29T15:30:00Z"));
  // Across New York's switch back to standard time (2026-11-01): 09:00 is 13:00 UTC, then 14:00.
  DigestSchedule new_york = *parse_digest_schedule("Mon 09:00");
  new_york.zone = "America/New_York";
  EXPECT_EQ(next_digest_ms(new_york, at("2026-10-26T13:00:00Z")), at("2026-11-02T14:00:00Z"));
}

// 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer; the
// clocks went forward on 2026-03-29.
TEST(PqlDigest, IsDueAtTheLocalTimeOfDayAcrossDaylightSaving) {
  const DigestSchedule berlin{9 * 60, "Europe/Berlin"};
  EXPECT_EQ(next_digest_ms(berlin, at("2026-03-27T10:00:00Z")), at("2026-03-28T08:00:00Z"));
  EXPECT_EQ(next_digest_ms(berlin, at("2026-03-28T08:00:00Z")), at("2026-03-29T07:00:00Z"));
  EXPECT_EQ(next_digest_ms(berlin, at("2026-03-29T06:59:59Z")), at("2026-03-29T07:00:00Z"));
  EXPECT_EQ(next_digest_ms(berlin, at("2026-11-23T23:30:00Z")), at("2026-11-24T08:00:00Z"));  // past midnight there
  const DigestSchedule utc{17 * 60 + 30, "UTC"};
  EXPECT_EQ(next_digest_ms(utc, at("2026-11-24T17:29:00Z")), at("2026-11-24T17:30:00Z"));
  EXPECT_EQ(next_digest_ms(utc, at("2026-11-24T17:30:00Z")), at("2026-11-25T17:30:00Z"));
  const DigestSchedule tokyo{8 * 60, "+09:00"};
  EXPECT_EQ(next_digest_ms(tokyo, at("2026-11-24T00:00:00Z")), at("2026-11-24T23:00:00Z"));
}

// None before its time; after three days without a collector, one digest
// covering them, at the last scheduled moment.
TEST(PqlDigest, OneDigestCoversTheDaysWithoutACollector) {
  const DigestSchedule utc{9 * 60, "UTC"};
  const int64_t last = at("2026-11-20T09:00:00Z");
  EXPECT_EQ(due_digest_ms(utc, last, at("2026-11-21T08:59:59Z")), std::nullopt);
  EXPECT_EQ(due_digest_ms(utc, last, at("2026-11-21T09:00:00Z")), at("2026-11-21T09:00:00Z"));
  EXPECT_EQ(due_digest_ms(utc, last, at("2026-11-24T10:00:00Z")), at("2026-11-24T09:00:00Z"));
}

// A period with PQLs on two routes, one SLA breached, two alerts waiting
// (Globex past its deadline), and 5 more waiting than listed.
Digest sample() {
  Digest d;
  d.since_ms = at("2026-11-23T08:00:00Z");
  d.until_ms = at("2026-11-24T08:00:00Z");
  d.now_ms = at("2026-11-24T08:00:05Z");
  d.figures = boost::json::parse(R"({
    "pql_volume": {"sales-assist": {"medium": 2}, "sales-led": {"high": 3, "medium": 1}},
    "sla": {"alerts": 6, "due": 4, "touched_in_time": 3, "breached": 1, "adherence": 0.75, "waiting": 2, "overdue": 1},
    "response": {"touched": 3, "mean_hours_to_first_touch": 1.5, "median_hours_to_first_touch": 1.25},
    "conversion": {"opportunities": 2, "won": 1, "pql_to_opportunity": 0.33, "pql_to_won": 0.17},
    "by_owner": []})").as_object();
  d.waiting_count = 7;
  d.waiting_overdue = 1;
  d.waiting.push_back(boost::json::parse(R"({"id": 12, "account_id": "globex", "account_name": "Globex <!channel>",
    "score": 93, "priority": "high", "owner": "Dana", "sla_due": "2026-11-24T06:00:00.000Z"})").as_object());
  d.waiting.push_back(boost::json::parse(R"({"id": 14, "account_id": "acme", "account_name": "",
    "score": 63, "priority": "medium", "owner": "", "sla_due": "2026-11-25T08:00:00.000Z"})").as_object());
  return d;
}

TEST(PqlDigest, GenericCarriesThePeriodsFiguresAndTheWaitingAlerts) {
  const auto body = boost::json::parse(digest_body("generic", sample())).as_object();
  EXPECT_EQ(body.at("event"), "digest");
  EXPECT_EQ(body.at("since"), "2026-11-23T08:00:00.000Z");
  EXPECT_EQ(body.at("until"), "2026-11-24T08:00:00.000Z");
  EXPECT_EQ(body.at("figures").at("sla").at("breached").as_int64(), 1);
  EXPECT_EQ(body.at("waiting").at("count").as_int64(), 7);
  EXPECT_EQ(body.at("waiting").at("overdue").as_int64(), 1);
  ASSERT_EQ(body.at("waiting").at("alerts").as_array().size(), 2u);
  EXPECT_EQ(body.at("waiting").at("alerts").at(0).at("id").as_int64(), 12);
}

TEST(PqlDigest, SlackSaysHowThePeriodWentAndWhatWaits) {
  const auto message = boost::json::parse(digest_body("slack", sample())).as_object();
  EXPECT_EQ(message.at("text"), "PQL digest: 6 new PQLs, 7 waiting for a first touch (1 overdue)");
  const auto& blocks = message.at("blocks").as_array();
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0].at("text").at("text"), "PQL digest: 6 new PQLs");
  const std::string period(blocks[1].at("text").at("text").as_string());
  EXPECT_THAT(period, HasSubstr("*Since* <!date^1795420800^{date_short_pretty} {time}|2026-11-23T08:00:00.000Z>"));
  EXPECT_THAT(period, HasSubstr("*By route:* sales-assist 2, sales-led 4 (3 high)"));
  EXPECT_THAT(period, HasSubstr("*SLA:* 75% touched in time (3 of 4 due), 1 breached"));
  EXPECT_THAT(period, HasSubstr("*First touch:* median 1.2 h"));
  EXPECT_THAT(period, HasSubstr("*Conversion:* 2 opportunities, 1 won"));
  const std::string waiting(blocks[2].at("text").at("text").as_string());
  EXPECT_THAT(waiting, HasSubstr("*Waiting for a first touch: 7, 1 overdue*"));
  EXPECT_THAT(waiting, HasSubstr("• #12 Globex &lt;!channel&gt; (93, high), Dana: overdue since <!date^"));
  EXPECT_THAT(waiting, HasSubstr("• #14 acme (63, medium), unassigned: due <!date^"));
  EXPECT_THAT(waiting, HasSubstr("… and 5 more"));
}

// The same digest for a Teams channel: an Adaptive Card, its headings in
// bold and the waiting alerts a list, times in each reader's time zone.
TEST(PqlDigest, TeamsGetsTheSameDigestAsAnAdaptiveCard) {
  const auto message = boost::json::parse(digest_body("teams", sample()));
  const auto& card = message.at("attachments").at(0).at("content");
  EXPECT_EQ(card.at("fallbackText"), "PQL digest: 6 new PQLs, 7 waiting for a first touch (1 overdue)");
  std::vector<std::string> texts;
  for (const auto& block : card.at("body").as_array()) texts.emplace_back(block.at("text").as_string());
  ASSERT_EQ(texts.size(), 5u);  // the title, the period, the waiting list's heading, its items, the rest
  EXPECT_EQ(texts[0], "PQL digest: 6 new PQLs");
  EXPECT_THAT(texts[1], HasSubstr("**Since** {{DATE(2026-11-23T08:00:00Z,SHORT)}} {{TIME(2026-11-23T08:00:00Z)}}\n\n"
                                  "**By route:** sales-assist 2, sales-led 4 (3 high)\n\n"));
  EXPECT_EQ(texts[2], "**Waiting for a first touch: 7, 1 overdue**");
  EXPECT_THAT(texts[3], ::testing::StartsWith("- #12 Globex <!channel> (93, high), Dana: overdue since {{DATE("));
  EXPECT_THAT(texts[3], HasSubstr("\r- #14 acme (63, medium), unassigned: due {{DATE("));
  EXPECT_EQ(texts[4], "… and 5 more");
}

// Alerts waiting on a rep who is away are counted and marked, so the team
// sees whose leads to take over.
TEST(PqlDigest, SaysWhichWaitingAlertsAreWithARepWhoIsAway) {
  Digest d = sample();
  d.waiting_away = 1;
  d.waiting[0]["owner_away"] = true;
  const std::string waiting(
      boost::json::parse(digest_body("slack", d)).at("blocks").at(2).at("text").at("text").as_string());
  EXPECT_THAT(waiting, HasSubstr("*Waiting for a first touch: 7, 1 overdue, 1 with a rep who is away*"));
  EXPECT_THAT(waiting, HasSubstr("(93, high), Dana (away): overdue since"));
  EXPECT_THAT(waiting, HasSubstr("(63, medium), unassigned: due"));
  d.waiting_away = 3;
  EXPECT_THAT(std::string(digest_body("slack", d)), HasSubstr("1 overdue, 3 with reps who are away*"));
  EXPECT_EQ(boost::json::parse(digest_body("generic", d)).at("waiting").at("away"), 3);
}

// A team's digest: the accounts closest to the threshold, in both formats.
TEST(PqlDigest, ATeamsDigestNamesTheAccountsWarmingUp) {
  Digest team = sample();
  team.warming = boost::json::parse(R"({"matching": 12, "threshold": 50, "accounts": [
    {"account_id": "initech", "account_name": "Initech <!here>", "score": 49.6, "route": "sales-assist",
     "signals": ["core_value_moment", "pricing_page"],
     "tipping_signals": ["contract_requested", "team_expansion", "limit_hit", "premium_attempt"]},
    {"account_id": "hooli", "account_name": "", "score": 45, "route": "sales-led",
     "signals": ["core_value_moment"]}]})");
  const auto generic = boost::json::parse(digest_body("generic", team)).as_object();
  EXPECT_EQ(generic.at("warming").at("matching"), 12);
  EXPECT_EQ(generic.at("warming").at("accounts").at(1).at("account_id"), "hooli");
  const auto message = boost::json::parse(digest_body("slack", team)).as_object();
  ASSERT_EQ(message.at("blocks").as_array().size(), 4u);
  EXPECT_EQ(message.at("blocks").at(3).at("text").at("text"),
            "*Warming up: 12 accounts below the threshold of 50*\n"
            "• Initech &lt;!here&gt; (49.6, sales-assist): core_value_moment, pricing_page; "
            "would tip it: contract_requested, team_expansion, limit_hit +1 more\n"
            "• hooli (45, sales-led): core_value_moment");
  // A rep's digest, or none warming up: no such section; the generic body says null.
  EXPECT_TRUE(boost::json::parse(digest_body("generic", sample())).at("warming").is_null());
  team.warming = boost::json::parse(R"({"matching": 0, "threshold": 50, "accounts": []})");
  EXPECT_EQ(boost::json::parse(digest_body("slack", team)).at("blocks").as_array().size(), 3u);
}

// With the dashboard's address configured, each alert and account listed
// links to its story there, in every format; without it, none does.
TEST(PqlDigest, EachListedAlertAndAccountLinksToTheDashboard) {
  Digest d = sample();
  d.warming = boost::json::parse(R"({"matching": 1, "threshold": 50, "accounts": [
    {"account_id": "initech gmbh|x>", "account_name": "Initech", "score": 49.6, "route": "sales-assist",
     "signals": ["pricing_page"]}]})");
  d.dashboard_url = "https://telltale.example.com:7070";
  const std::string alert12 = "https://telltale.example.com:7070/#alert/12";
  const std::string initech = "https://telltale.example.com:7070/#account/initech%20gmbh%7Cx%3E";
  EXPECT_EQ(account_link(d.dashboard_url, "initech gmbh|x>"), initech);
  EXPECT_EQ(account_link("", "initech"), "");

  const auto slack = boost::json::parse(digest_body("slack", d));
  EXPECT_THAT(std::string(slack.at("blocks").at(2).at("text").at("text").as_string()),
              HasSubstr("|2026-11-24T06:00:00.000Z> | <" + alert12 + "|Open>\n"));
  EXPECT_THAT(std::string(slack.at("blocks").at(3).at("text").at("text").as_string()),
              ::testing::EndsWith("• Initech (49.6, sales-assist): pricing_page | <" + initech + "|Open>"));
  EXPECT_THAT(digest_body("teams", d), HasSubstr(" | [Open](" + alert12 + ")"));
  EXPECT_THAT(digest_body("email", d), HasSubstr("\r\n  - Initech (49.6, sales-assist): pricing_page | Open:\r\n"
                                                 "    " + initech + "\r\n"));

  const auto generic = boost::json::parse(digest_body("generic", d));
  EXPECT_EQ(generic.at("waiting").at("alerts").at(0).at("url").as_string(), alert12);
  EXPECT_EQ(generic.at("warming").at("accounts").at(0).at("url").as_string(), initech);

  d.dashboard_url.clear();
  EXPECT_THAT(digest_body("slack", d), Not(HasSubstr("|Open>")));
  EXPECT_TRUE(boost::json::parse(digest_body("generic", d)).at("waiting").at("alerts").at(0).at("url").is_null());
}

TEST(PqlDigest, SlackSaysSoWhenNothingHappened) {
  Digest quiet = sample();
  quiet.figures = boost::json::parse(R"({"pql_volume": {},
    "sla": {"alerts": 0, "due": 0, "touched_in_time": 0, "breached": 0, "adherence": null, "waiting": 0, "overdue": 0},
    "response": {"touched": 0, "mean_hours_to_first_touch": null, "median_hours_to_first_touch": null},
    "conversion": {"opportunities": 0, "won": 0, "pql_to_opportunity": null, "pql_to_won": null},
    "by_owner": []})").as_object();
  quiet.waiting_count = quiet.waiting_overdue = 0;
  quiet.waiting.clear();
  const auto message = boost::json::parse(digest_body("slack", quiet)).as_object();
  EXPECT_EQ(message.at("text"), "PQL digest: 0 new PQLs, 0 waiting for a first touch");
  const std::string period(message.at("blocks").at(1).at("text").at("text").as_string());
  EXPECT_THAT(period, ::testing::Not(HasSubstr("*SLA:*")));
  EXPECT_EQ(message.at("blocks").at(2).at("text").at("text"), "Nothing waits for a first touch.");
}

}  // namespace
}  // namespace telltale::collector
