// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "app/config.h"
#include "app/config_changes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace telltale::collector {
namespace {

using ::testing::HasSubstr;

std::string write_file(const std::string& text) {
  std::string path = "/tmp/telltale_config_test_" + std::to_string(::getpid()) + ".toml";
  std::ofstream(path) << text;
  return path;
}

TEST(Config, DefaultsAreAZeroConfigLoopbackCollector) {
  Config c;
  EXPECT_EQ(c.listen, "127.0.0.1:7070");
  EXPECT_EQ(c.data_dir, "./telltale-data");
  EXPECT_TRUE(validate_config(c).empty());
}

TEST(Config, ReadsEveryKnownKey) {
  Config c;
  auto errors = load_config(write_file(R"(
listen = "0.0.0.0:8080"
data_dir = "/var/lib/telltale"
write_keys = ["wk_a", "wk_b"]
api_tokens = ["tok_for_the_sales_team_01"]
io_threads = 2
[limits]
max_body_bytes = 1048576
max_events_per_batch = 500
[dedup]
window_hours = 48
engine_max_ids = 2000000
[commit]
max_queued_requests = 10
[log]
retention_days = 90
)"), &c);
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(c.listen, "0.0.0.0:8080");
  EXPECT_EQ(c.write_keys, (std::vector<std::string>{"wk_a", "wk_b"}));
  EXPECT_EQ(c.api_tokens, (std::vector<std::string>{"tok_for_the_sales_team_01"}));
  EXPECT_EQ(c.limits.max_body_bytes, 1048576u);
  EXPECT_EQ(c.limits.max_events_per_batch, 500u);
  EXPECT_EQ(c.dedup_window_hours, 48);
  EXPECT_EQ(engine_dedup_limits(c).window, std::chrono::hours(48));
  EXPECT_EQ(engine_dedup_limits(c).max_keys, 2'000'000u);
  EXPECT_EQ(c.commit_max_queued_requests, 10u);
  EXPECT_EQ(c.log.retention_days, 90);
  EXPECT_TRUE(validate_config(c).empty());
}

TEST(Config, TheLogIsTheEmbeddedOneOrAJetStreamStream) {
  Config c;
  EXPECT_EQ(c.log.backend, "sqlite");
  EXPECT_TRUE(c.engine_enabled);
  auto errors = load_config(write_file(R"(
[log]
backend = "jetstream"
[log.jetstream]
servers = ["nats://10.0.0.1:4222", "nats://10.0.0.2:4222"]
stream = "PRODUCT_USAGE"
subject = "usage.frames"
replicas = 3
duplicate_window_minutes = 1440
ack_timeout_ms = 3000
[engine]
enabled = false
)"), &c);
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(c.log.backend, "jetstream");
  EXPECT_EQ(c.log.jetstream.servers, (std::vector<std::string>{"nats://10.0.0.1:4222", "nats://10.0.0.2:4222"}));
  EXPECT_EQ(c.log.jetstream.stream, "PRODUCT_USAGE");
  EXPECT_EQ(c.log.jetstream.subject, "usage.frames");
  EXPECT_EQ(c.log.jetstream.replicas, 3);
  EXPECT_EQ(c.log.jetstream.duplicate_window, std::chrono::minutes(1440));
  EXPECT_EQ(c.log.jetstream.ack_timeout, std::chrono::milliseconds(3000));
  EXPECT_FALSE(c.engine_enabled);
  EXPECT_TRUE(validate_config(c).empty());

  Config bad;
  errors = load_config(write_file("[log]\nbackend = \"kafka\"\n[log.jetstream]\nreplicas = 7\nstreams = 1\n"), &bad);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_THAT(errors[0], HasSubstr(".toml:2:"));
  EXPECT_THAT(errors[0], HasSubstr("expected one of: sqlite, jetstream"));
  EXPECT_THAT(errors[1], HasSubstr("7 is outside [1, 5]"));
  EXPECT_THAT(errors[2], HasSubstr("unknown key 'log.jetstream.streams'"));
  bad.log.backend = "jetstream";
  bad.log.jetstream.stream = "my.stream";
  bad.log.jetstream.subject = "frames.>";
  const std::vector<std::string> invalid = validate_config(bad);
  ASSERT_EQ(invalid.size(), 2u);
  EXPECT_THAT(invalid[0], HasSubstr("\"my.stream\" is not a stream name"));
  EXPECT_THAT(invalid[1], HasSubstr("\"frames.>\" is not a subject to publish to"));
}

TEST(Config, LoggingTakesAFormatAndALevel) {
  Config c;
  EXPECT_EQ(c.log_format, "text");
  EXPECT_EQ(c.log_level, "info");
  auto errors = load_config(write_file("[logging]\nformat = \"json\"\nlevel = \"warning\"\n"), &c);
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(c.log_format, "json");
  EXPECT_EQ(c.log_level, "warning");
  errors = load_config(write_file("[logging]\nformat = \"logfmt\"\nlevel = \"warn\"\n"), &c);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0], HasSubstr(":2:10: expected one of: text, json"));
  EXPECT_THAT(errors[1], HasSubstr(":3:9: expected one of: debug, info, warning, error"));
  // Both apply on a reload (SIGHUP).
  EXPECT_EQ(settings_awaiting_restart("", "[logging]\nformat = \"json\"\nlevel = \"debug\"\n"),
            std::vector<std::string>{});
}

TEST(Config, UnknownKeysAreErrorsWithLineNumbers) {
  Config c;
  auto errors = load_config(write_file("listen = \"127.0.0.1:1\"\nlisten_port = 7\n[limits]\nmax_bytes = 3\n"), &c);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0], HasSubstr(".toml:2:"));
  EXPECT_THAT(errors[0], HasSubstr("unknown key 'listen_port'"));
  EXPECT_THAT(errors[1], HasSubstr(".toml:4:"));
  EXPECT_THAT(errors[1], HasSubstr("unknown key 'limits.max_bytes'"));
}

TEST(Config, WrongTypesAndRangesAreErrors) {
  Config c;
  auto errors = load_config(write_file("io_threads = \"two\"\n[limits]\nmax_body_bytes = 1\n"), &c);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0], HasSubstr(":1:"));
  EXPECT_THAT(errors[0], HasSubstr("expected an integer"));
  EXPECT_THAT(errors[1], HasSubstr(":3:"));
  EXPECT_THAT(errors[1], HasSubstr("outside"));
}

TEST(Config, RepsTerritoriesAndWebhooksAreCheckedKeyByKey) {
  Config c;
  auto errors = load_config(write_file(R"([pql]
reps = [{name = "Dana", capacity = 2}, {name = "Ravi", capacity = "lots"}, {name = "Mei", capcity = 1}]
territories = [{region = "apac", owner = "Mei"}, {regoin = "emea", owner = "Dana"}]
webhooks = [
  {url = "https://hooks.slack.com/services/T0/B0/x", format = "slack", events = ["created"]},
  {url = "https://crm.example.com/pql", secret = "s3cret"},
  {url = "https://a.example.com/", events = ["created", "opened"]},
  {url = "https://b.example.com/", events = []},
  {url = "https://c.example.com/", evnets = ["created"]},
]
)"), &c);
  ASSERT_EQ(errors.size(), 6u);
  EXPECT_THAT(errors[0], HasSubstr("'capacity' in a rep must be a number"));
  EXPECT_THAT(errors[1], HasSubstr("unknown key 'capcity' in a rep"));
  EXPECT_THAT(errors[2], HasSubstr("unknown key 'regoin' in a territory"));
  EXPECT_THAT(errors[3], HasSubstr("a webhook's events are created, updated and closed"));
  EXPECT_THAT(errors[4], HasSubstr("name at least one of created, updated, closed"));
  EXPECT_THAT(errors[5], HasSubstr("unknown key 'evnets' in a webhook"));
  ASSERT_EQ(c.webhooks.size(), 2u);
  EXPECT_EQ(c.webhooks[0].events, (std::set<std::string>{"created"}));
  EXPECT_EQ(c.webhooks[1].events, (std::set<std::string>{"created", "updated", "closed"}));  // all by default
  EXPECT_EQ(c.pql.owners.reps.size(), 1u);
  EXPECT_EQ(c.pql.owners.territories.size(), 1u);
}

TEST(Config, ARepMayBeAwayAndIsListedOnce) {
  Config c;
  auto errors = load_config(write_file(R"([pql]
reps = [{name = "Dana", capacity = 2, away = true}, {name = "Ravi"}, {name = "Dana"}, {name = "Mei", away = "yes"},
        {name = "RAVI"}]
webhooks = [{url = "https://hooks.slack.com/services/T0/B0/dana", owners = ["dana", "Olga"]}]
)"), &c);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_THAT(errors[0], HasSubstr("rep Dana is listed twice"));
  EXPECT_THAT(errors[1], HasSubstr("'away' in a rep must be"));
  EXPECT_THAT(errors[2], HasSubstr("rep RAVI is listed twice (names compare in any case)"));
  ASSERT_EQ(c.webhooks.size(), 1u);
  EXPECT_EQ(c.webhooks[0].owners, (std::set<std::string>{"Dana", "Olga"}));  // as the alerts name them
  ASSERT_EQ(c.pql.owners.reps.size(), 2u);
  EXPECT_TRUE(c.pql.owners.reps[0].away);
  EXPECT_FALSE(c.pql.owners.reps[1].away);
  EXPECT_EQ(c.pql.owners.reps[1].capacity, 1);
}

// A rep outside the rotation (capacity 0) is still a rep: one who takes
// territory or trait leads only. A territory or a webhook naming someone
// not listed is a likely typo: a warning, not a refusal.
TEST(Config, ATerritoryOrWebhookNamingNoListedRepIsAWarning) {
  Config c;
  auto errors = load_config(write_file(R"([pql]
reps = [{name = "Dana"}, {name = "Olga", capacity = 0}, {name = "Sam", capacity = -1}]
territories = [{region = "emea", owner = "Olga"}, {region = "apac", owner = "Mie"}, {industry = "retail", owner = "Mie"}]
webhooks = [{url = "https://hooks.slack.com/services/T0/B0/x", owners = ["dana", "Dnaa"]}]
)"), &c);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("a rep needs a name and a capacity of 0 or more (0: no leads from the rotation)"));
  ASSERT_EQ(c.pql.owners.reps.size(), 2u);
  EXPECT_EQ(c.pql.owners.reps[1].capacity, 0);
  const std::vector<std::string> warnings = config_warnings(c);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0], "pql.territories: a territory names \"Mie\", who is not one of the reps (Dana, Olga): a typo? "
                         "(a rep who takes no leads from the rotation is listed with capacity = 0)");
  EXPECT_THAT(warnings[1], HasSubstr("pql.webhooks: a webhook's owners names \"Dnaa\", who is not one of the reps"));
  c.pql.owners.reps.clear();  // no reps listed: owners are whoever the config names
  EXPECT_TRUE(config_warnings(c).empty());
}

TEST(Config, WebhooksChooseTheirRoutesAndOwnersAndEachUrlIsListedOnce) {
  Config c;
  auto errors = load_config(write_file(R"([pql]
webhooks = [
  {url = "https://hooks.slack.com/services/T0/B0/enterprise", format = "slack", routes = ["sales-led"]},
  {url = "https://hooks.slack.com/services/T0/B0/dana", format = "slack", owners = ["Dana"], events = ["created"]},
  {url = "https://hooks.slack.com/services/T0/B0/enterprise", routes = ["sales-assist"]},
  {url = "https://a.example.com/", routes = ["self-serve"]},
  {url = "https://b.example.com/", owners = [""]},
  {url = "https://c.example.com/", routes = []},
]
)"), &c);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_THAT(errors[0], HasSubstr("webhook https://hooks.slack.com/services/T0/B0/enterprise is listed twice"));
  EXPECT_THAT(errors[1], HasSubstr("a webhook's routes are sales-assist and sales-led "
                                   "(self-serve alerts never go to webhooks)"));
  EXPECT_THAT(errors[2], HasSubstr("a webhook's owners are names"));
  EXPECT_THAT(errors[3], HasSubstr("a webhook's routes, when given, name at least one of sales-assist, sales-led"));
  ASSERT_EQ(c.webhooks.size(), 2u);
  EXPECT_EQ(c.webhooks[0].routes, (std::set<std::string>{"sales-led"}));
  EXPECT_TRUE(c.webhooks[0].owners.empty());  // any owner
  EXPECT_EQ(c.webhooks[1].routes, (std::set<std::string>{"sales-assist", "sales-led"}));  // both by default
  EXPECT_EQ(c.webhooks[1].owners, (std::set<std::string>{"Dana"}));
  EXPECT_EQ(c.webhooks[1].priorities, (std::set<std::string>{"high", "medium"}));  // both by default
}

// A CRM's or an automation tool's endpoint asks for its own credentials.
TEST(Config, WebhooksSendTheHeadersTheirReceiverAsksFor) {
  Config c;
  auto errors = load_config(write_file(R"([pql]
webhooks = [
  {url = "https://api.example-crm.com/v1/tasks", headers = {Authorization = "Bearer crm_tok", "X-Api-Key" = "k1"}},
  {url = "https://a.example.com/", headers = {"X-Telltale-Event" = "forged"}},
  {url = "https://b.example.com/", headers = {"Content-Type" = "text/plain"}},
  {url = "https://c.example.com/", headers = {"Bad Name" = "x"}},
  {url = "https://d.example.com/", headers = {"X-Count" = 3}},
  {url = "https://e.example.com/", headers = {"X-Two" = "a\r\nX-Injected: b"}},
  {url = "https://f.example.com/", headers = "Authorization: Bearer x"},
]
)"), &c);
  ASSERT_EQ(errors.size(), 6u) << errors.front();
  EXPECT_THAT(errors[0], HasSubstr("a webhook's header X-Telltale-Event is set by Telltale"));
  EXPECT_THAT(errors[1], HasSubstr("a webhook's header Content-Type is set by Telltale"));
  EXPECT_THAT(errors[2], HasSubstr("a webhook's header name \"Bad Name\" is not an HTTP header name"));
  EXPECT_THAT(errors[3], HasSubstr("a webhook's header X-Count must be a string"));
  EXPECT_THAT(errors[4], HasSubstr("a webhook's header X-Two must be one line of text"));
  EXPECT_THAT(errors[5], HasSubstr("'headers' in a webhook must be a table"));
  ASSERT_EQ(c.webhooks.size(), 1u);
  using Headers = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(c.webhooks[0].headers, (Headers{{"Authorization", "Bearer crm_tok"}, {"X-Api-Key", "k1"}}));
}

// A channel may take only the high-priority PQLs (a 4-hour SLA), in Slack
// or Microsoft Teams.
TEST(Config, WebhooksChooseTheirPrioritiesAndFormat) {
  Config c;
  auto errors = load_config(write_file(R"([pql]
webhooks = [
  {url = "https://hooks.slack.com/services/T0/B0/urgent", format = "slack", priorities = ["high"]},
  {url = "https://a.example.com/", priorities = ["urgent"]},
  {url = "https://acme.webhook.office.com/webhookb2/urgent", format = "teams", priorities = ["high"]},
  {url = "https://c.example.com/", format = "email"},
  {url = "https://b.example.com/", priorities = ["high"], digest = "09:00"},
]
)"), &c);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_THAT(errors[0], HasSubstr("a webhook's priorities are high and medium"));
  EXPECT_THAT(errors[1], HasSubstr("a webhook of format email needs mailto: addresses as its url"));
  EXPECT_THAT(errors[2], HasSubstr("a digest webhook takes no priorities: its figures and lists cover both"));
  ASSERT_EQ(c.webhooks.size(), 2u);
  EXPECT_EQ(c.webhooks[0].priorities, (std::set<std::string>{"high"}));
  EXPECT_EQ(c.webhooks[1].format, "teams");  // a Microsoft Teams channel
}

// A webhook to mailto: addresses is an email, through the [email] server:
// a rep's own inbox, or a team's list with a digest.
TEST(Config, MailtoWebhooksGoThroughTheEmailServer) {
  Config c;
  auto errors = load_config(write_file(R"(dashboard_url = "https://telltale.example.com:7070"
[email]
smtp = "smtp://mail.example.com"
from = "Telltale <pql@example.com>"
username = "pql@example.com"
password = "s3cret"
[pql]
reps = [{name = "Dana"}]
webhooks = [
  {url = "mailto:dana@example.com", owners = ["dana"], name = "Dana's inbox", timezone = "Europe/Berlin"},
  {url = "mailto:sales-leads@example.com,vp@example.com", digest = "weekdays 08:30", timezone = "Europe/Berlin"},
  {url = "mailto:dana@example.com", format = "slack"},
  {url = "mailto:x@example.com", secret = "abc"},
  {url = "mailto:y@example.com", headers = {X-Key = "k"}},
  {url = "mailto:dana@example.com?subject=PQL"},
]
)"), &c);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_THAT(errors[0], HasSubstr("a webhook to mailto: addresses is sent as email: its format is email"));
  EXPECT_THAT(errors[1], HasSubstr("goes through [email]'s server: it takes no secret or headers"));
  EXPECT_THAT(errors[2], HasSubstr("goes through [email]'s server: it takes no secret or headers"));
  EXPECT_THAT(errors[3], HasSubstr("a webhook needs an http:// or https:// url, or mailto: addresses"));
  ASSERT_EQ(c.webhooks.size(), 2u);
  EXPECT_TRUE(c.webhooks[0].by_mail());
  EXPECT_EQ(c.webhooks[0].format, "email");
  EXPECT_EQ(c.webhooks[0].owners, (std::set<std::string>{"Dana"}));
  EXPECT_EQ(c.webhooks[0].label(), "Dana's inbox");
  EXPECT_EQ(c.webhooks[0].zone, "Europe/Berlin");  // the times in her mails
  EXPECT_EQ(c.webhooks[1].zone, "Europe/Berlin");  // the digest's, and its times
  EXPECT_EQ(c.webhooks[1].digest->zone, "Europe/Berlin");
  EXPECT_EQ(c.webhooks[1].label(), "mailto:sales-leads@example.com,vp@example.com");
  EXPECT_EQ(c.email.url, "smtp://mail.example.com");
  EXPECT_EQ(c.email.from, "Telltale <pql@example.com>");
  EXPECT_EQ(c.email.username, "pql@example.com");
  EXPECT_EQ(c.email.password, "s3cret");
  EXPECT_TRUE(c.email.require_tls);
  EXPECT_EQ(c.dashboard_url, "https://telltale.example.com:7070");
  // A reload (SIGHUP) applies [email] with the webhooks.
  EXPECT_EQ(settings_awaiting_restart("", "[email]\nsmtp = \"smtp://mail.example.com\"\nfrom = \"a@example.com\"\n"
                                          "username = \"u\"\npassword = \"p\"\nrequire_tls = false\nca_file = \"c\"\n"),
            std::vector<std::string>{});

  Config bad;
  errors = load_config(write_file(R"(dashboard_url = "telltale.example.com"
[email]
smtp = "https://mail.example.com"
from = "Telltale"
require_tls = "yes"
[pql]
webhooks = [{url = "mailto:dana@example.com"}]
)"), &bad);
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_THAT(errors[0], HasSubstr(":1:17: dashboard_url is the http:// or https:// address reps open the dashboard"));
  EXPECT_THAT(errors[1], HasSubstr(":3:8: email.smtp is smtp://host[:port] (STARTTLS; 587 by default) or smtps://"));
  EXPECT_THAT(errors[2], HasSubstr(":4:8: email.from is an address, with a name or not"));
  EXPECT_THAT(errors[3], HasSubstr(":5:15: expected true or false"));
  EXPECT_THAT(errors[4], HasSubstr(":7:12: webhooks to mailto: addresses go through the [email] server: give its "
                                   "smtp and from"));
}

// A digest webhook: a time of day, after its days when not every day, and
// a time zone (UTC by default); one of each kind per URL, so a channel may
// get alerts and a digest.
TEST(Config, DigestWebhooksTakeATimeOfDayAndATimeZone) {
  Config c;
  auto errors = load_config(write_file(R"([pql]
webhooks = [
  {url = "https://hooks.slack.com/services/T0/B0/team", format = "slack", digest = "09:00", timezone = "Europe/Berlin"},
  {url = "https://hooks.slack.com/services/T0/B0/team", format = "slack", events = ["created"]},
  {url = "https://hooks.slack.com/services/T0/B0/dana", digest = "17:30", owners = ["Dana"]},
  {url = "https://a.example.com/", digest = "9am"},
  {url = "https://b.example.com/", digest = "24:00"},
  {url = "https://c.example.com/", digest = "09:00", timezone = "Mars/Olympus"},
  {url = "https://d.example.com/", timezone = "UTC"},
  {url = "https://e.example.com/", digest = "09:00", events = ["created"]},
  {url = "https://f.example.com/", digest = "09:00", owners = ["Dana", "Ravi"]},
  {url = "https://hooks.slack.com/services/T0/B0/team", digest = "10:00"},
  {url = "https://hooks.slack.com/services/T0/B0/managers", digest = "Mon 08:30", timezone = "America/New_York"},
  {url = "https://hooks.slack.com/services/T0/B0/assist", digest = "weekdays 09:00", routes = ["sales-assist"]},
  {url = "https://g.example.com/", digest = "Monday 09:00"},
]
)"), &c);
  ASSERT_EQ(errors.size(), 8u);
  EXPECT_THAT(errors[0], HasSubstr("a webhook's digest is the time of day it is sent, HH:MM (24-hour)"));
  EXPECT_THAT(errors[1], HasSubstr("a webhook's digest is the time of day it is sent, HH:MM (24-hour)"));
  EXPECT_THAT(errors[2], HasSubstr("\"Mars/Olympus\" is neither"));
  EXPECT_THAT(errors[3], HasSubstr("a webhook's timezone is its digest's, or its mails' times': give digest = "
                                   "\"HH:MM\" too, or a mailto: url"));
  EXPECT_THAT(errors[4], HasSubstr("a digest webhook takes no events: it sends one message a day"));
  EXPECT_THAT(errors[5], HasSubstr("a digest webhook's owners name one rep at most"));
  EXPECT_THAT(errors[6], HasSubstr("webhook https://hooks.slack.com/services/T0/B0/team is listed twice"));
  EXPECT_THAT(errors[7], HasSubstr("after its days when not every day: \"weekdays 09:00\", \"Mon 09:00\""));
  ASSERT_EQ(c.webhooks.size(), 5u);
  ASSERT_TRUE(c.webhooks[0].digest);
  EXPECT_EQ(c.webhooks[0].digest->minute_of_day, 9 * 60);
  EXPECT_EQ(c.webhooks[0].digest->zone, "Europe/Berlin");
  EXPECT_FALSE(c.webhooks[1].digest);  // the same channel's alerts
  EXPECT_EQ(c.webhooks[2].digest->minute_of_day, 17 * 60 + 30);
  EXPECT_EQ(c.webhooks[2].digest->zone, "UTC");
  EXPECT_EQ(c.webhooks[0].digest->days, DigestSchedule::kEveryDay);
  EXPECT_EQ(c.webhooks[3].digest->days, 1);  // Mondays
  EXPECT_EQ(c.webhooks[3].digest->minute_of_day, 8 * 60 + 30);
  EXPECT_EQ(c.webhooks[3].digest->zone, "America/New_York");
  EXPECT_EQ(c.webhooks[4].digest->days, DigestSchedule::kWeekdays);
  EXPECT_EQ(c.webhooks[4].routes, (std::set<std::string>{"sales-assist"}));
}

TEST(Config, TheSummaryOrderNamesSignalsEachOnce) {
  Config c;
  auto errors = load_config(write_file("[pql.summary]\nsignals = 2\norder = [\"limit_hit\", \"pricing_page\"]\n"), &c);
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(c.pql.summary_signals, 2);
  EXPECT_EQ(c.pql.summary_order, (std::vector<std::string>{"limit_hit", "pricing_page"}));
  for (const auto& [order, why] : std::vector<std::pair<std::string, std::string>>{
           {R"(["limits_hit"])", "'limits_hit' is not a signal the summary names (activated, core_value_moment, "},
           {R"(["team_expansion"])", "team_expansion leads every summary"},
           {R"(["sso_configured", "pricing_page", "sso_configured"])", "'sso_configured' is listed twice"},
           {R"("sso_configured")", "expected an array of strings"}}) {
    Config d;
    errors = load_config(write_file("[pql.summary]\norder = " + order + "\n"), &d);
    ASSERT_EQ(errors.size(), 1u) << order;
    EXPECT_THAT(errors[0], HasSubstr(":2:")) << order;
    EXPECT_THAT(errors[0], HasSubstr(why)) << order;
    EXPECT_EQ(d.pql.summary_order, PqlRules{}.summary_order) << "a refused order leaves the default";
  }
  errors = load_config(write_file("[pql.summary]\nsignals = 13\n"), &c);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("outside [0, 12]"));
}

TEST(Config, SyntaxErrorsSayWhere) {
  Config c;
  auto errors = load_config(write_file("listen = \n"), &c);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr(":1:"));
}

TEST(Config, RefusesAnOpenListenerWithoutWriteKeysOrApiTokens) {
  Config c;
  c.listen = "0.0.0.0:7070";
  ASSERT_EQ(validate_config(c).size(), 2u);
  EXPECT_THAT(validate_config(c)[0], HasSubstr("no write_keys configured; set write_keys, or pass --insecure"));
  EXPECT_THAT(validate_config(c)[1], HasSubstr("no api_tokens configured; set api_tokens, or pass --insecure"));
  c.insecure = true;
  EXPECT_TRUE(validate_config(c).empty());
  c.insecure = false;
  c.write_keys = {"wk"};
  ASSERT_EQ(validate_config(c).size(), 1u);
  EXPECT_THAT(validate_config(c)[0], HasSubstr("api_tokens"));
  c.api_tokens = {"tok_for_the_sales_team_01"};
  EXPECT_TRUE(validate_config(c).empty());
  // An ingest-only collector serves no alerts: write keys are enough.
  c.api_tokens.clear();
  c.engine_enabled = false;
  EXPECT_TRUE(validate_config(c).empty());
}

TEST(Config, ApiTokensAreLongAndNeedNoEscapingInAUrl) {
  Config c;
  c.api_tokens = {"tok_for_the_sales_team_01", "short", "has space in the token 01", "0123456789abcdef"};
  const auto errors = validate_config(c);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0], HasSubstr("api_tokens: token 2 of 4 needs at least 16 characters"));
  EXPECT_THAT(errors[1], HasSubstr("api_tokens: token 3 of 4"));
  EXPECT_THAT(errors[0] + errors[1], ::testing::Not(HasSubstr("short"))) << "a secret is never printed";
}

TEST(Config, SplitsHostAndPort) {
  std::string host;
  uint16_t port = 0;
  EXPECT_TRUE(split_host_port("[::1]:9000", &host, &port));
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 9000);
  EXPECT_FALSE(split_host_port("localhost", &host, &port));
  EXPECT_FALSE(split_host_port("h:99999", &host, &port));
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_FALSE(is_loopback_host("10.0.0.1"));
}


// A reload applies the tokens, the TLS files, webhooks, reps and
// territories; it names every other setting changed since the start, which
// waits for a restart.
TEST(Config, AReloadNamesTheChangedSettingsThatWaitForARestart) {
  const std::string started = "listen = \"127.0.0.1:7070\"\napi_tokens = [\"a\"]\n"
                              "[pql]\nthreshold = 50\nreps = [{name = \"Dana\"}]\n[limits]\nmax_properties = 10\n";
  using Names = std::vector<std::string>;
  // What a reload applies, and the same values written another way.
  EXPECT_EQ(settings_awaiting_restart(started, "listen = \"127.0.0.1:7070\"  # reordered\n"
                                               "[limits]\nmax_properties = 10\n[pql]\n"
                                               "reps = [{name = \"Ravi\"}]\nthreshold = 50.0\n"
                                               "[tls]\ncert_file = \"c.pem\"\nkey_file = \"k.pem\"\n"),
            Names{});
  // A key under a section is the section's, as TOML reads it: listen moved
  // under [tls] is taken out, and a new tls.listen.
  EXPECT_EQ(settings_awaiting_restart(started, "[tls]\nlisten = \"127.0.0.1:7070\"\n[pql]\nthreshold = 50\n"
                                               "[limits]\nmax_properties = 10\n"),
            (Names{"listen", "tls.listen"}));
  // Changed, taken out, added: each by its key, the sections' keys one by one.
  EXPECT_EQ(settings_awaiting_restart(started, "listen = \"0.0.0.0:7070\"\n[pql]\nthreshold = 70\n"
                                               "[engine]\nsnapshot_every_seconds = 60\nenabled = true\n"),
            (Names{"engine.enabled", "engine.snapshot_every_seconds", "limits.max_properties", "listen",
                   "pql.threshold"}));
  // A flag's setting is the flag's, whatever the file says.
  EXPECT_EQ(settings_awaiting_restart(started, "listen = \"0.0.0.0:7070\"\napi_tokens = [\"a\"]\n"
                                               "[pql]\nthreshold = 50\n[limits]\nmax_properties = 10\n",
                                      {"listen"}),
            Names{});
  // A file that does not parse is refused by the reload before this.
  EXPECT_EQ(settings_awaiting_restart(started, "[pql\n"), Names{});
}

}  // namespace
}  // namespace telltale::collector
