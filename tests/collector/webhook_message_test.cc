// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// What a webhook receives for a feed entry (webhook_body) in each format,
// generic JSON, Slack, Teams and email, and for entries that piled up
// (chat_burst_body): the story, whom to write to, the company, the earlier
// alerts, the deadline, the link to the dashboard, and text from events
// made inert for each tool.
#include "alerts/webhook_message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/algorithm/string/replace.hpp>
#include <boost/json.hpp>

#include "alerts/dashboard_link.h"
#include "sample_alert.h"
#include "test_smtp_server.h"  // mail_body, mail_html

namespace telltale::collector {
namespace {

using telltale::testing::acme;
using telltale::testing::entry_for;
using telltale::testing::mail_body;
using telltale::testing::mail_html;

std::string text(const boost::json::value& v) { return std::string(v.as_string()); }

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

// What the company is, as its group traits say: in the alert, and in a
// line under the Slack title, escaped; only what is known of it.
TEST(WebhookBody, SaysWhatTheCompanyIs) {
  Alert a = acme();
  a.domain = "acme.com";
  a.employees = 800;
  a.industry = "fintech";
  a.region = "emea";
  const auto alert = boost::json::parse(webhook_body("generic", entry_for(a))).at("alert").as_object();
  EXPECT_EQ(alert.at("domain"), "acme.com");
  EXPECT_EQ(alert.at("employees"), 800);
  EXPECT_EQ(alert.at("industry"), "fintech");
  EXPECT_EQ(alert.at("region"), "emea");
  EXPECT_TRUE(boost::json::parse(webhook_body("generic", entry_for(acme()))).at("alert").at("employees").is_null());
  auto company = [](const Alert& a) {
    const auto blocks = boost::json::parse(webhook_body("slack", entry_for(a))).at("blocks").as_array();
    return blocks.at(1).at("type") == "context" ? text(blocks.at(1).at("elements").at(0).at("text")) : "";
  };
  EXPECT_EQ(company(a), "acme.com · 800 employees · fintech · emea");
  a.domain = "<!here>.com";
  a.employees = -1;
  a.industry.clear();
  EXPECT_EQ(company(a), "&lt;!here&gt;.com · emea");
  EXPECT_EQ(company(acme()), "");  // nothing known: no such line
}

// What came of the account's earlier alerts: in every generic body, and in
// the Slack message of a new PQL (not of its updates).
TEST(WebhookBody, ANewPqlNamesWhatCameOfTheAccountsEarlierAlerts) {
  const boost::json::array earlier{
      {{"id", 4}, {"status", "handed_back"}, {"route", "sales-assist"}, {"priority", "medium"}, {"score", 55},
       {"owner", "Ravi"}, {"created_at", "2026-10-02T09:00:00.000Z"}, {"touches", 3},
       {"handback_reason", "prefers <self-serve>"}},
      {{"id", 1}, {"status", "closed"}, {"route", "self-serve"}, {"priority", "medium"}, {"score", 51},
       {"owner", ""}, {"created_at", "2026-09-01T09:00:00.000Z"}, {"touches", 0}}};
  const auto body = boost::json::parse(webhook_body("generic", entry_for(acme()), earlier)).as_object();
  EXPECT_EQ(body.at("earlier_alerts"), earlier);
  EXPECT_EQ(boost::json::parse(webhook_body("generic", entry_for(acme()))).at("earlier_alerts"), boost::json::array{});

  const auto blocks = boost::json::parse(webhook_body("slack", entry_for(acme()), earlier)).at("blocks").as_array();
  ASSERT_EQ(blocks.size(), 5u);
  EXPECT_EQ(text(blocks[3].at("text").at("text")),
            "*Earlier alerts:*\n"
            "• #4 handed_back, sales-assist, Ravi, raised 2026-10-02, 3 touches: prefers &lt;self-serve&gt;\n"
            "• #1 closed, self-serve, raised 2026-09-01");
  EXPECT_EQ(blocks[4].at("type"), "context");
  EXPECT_EQ(boost::json::parse(webhook_body("slack", entry_for(acme(), "updated"), earlier)).at("blocks").as_array()
                .size(),
            4u);
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

TEST(WebhookBody, SlackBurstListsEachEntryOnALine) {
  Alert globex = acme();
  globex.account_name = "Globex <!here>";
  globex.owner = "";
  const std::string message = chat_burst_body(
      "slack", {entry_for(acme()), entry_for(globex), entry_for(acme(), "updated"), entry_for(acme(), "created")});
  const auto m = boost::json::parse(message).as_object();
  EXPECT_EQ(m.at("text"), "4 PQL changes: 3 new PQLs, 1 update");
  const auto& blocks = m.at("blocks").as_array();
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].at("text").at("text"), "4 PQL changes: 3 new PQLs, 1 update");
  EXPECT_EQ(text(blocks[1].at("text").at("text")),
            "• *New PQL: Acme (63, medium)* | Dana | created\n"
            "• *New PQL: Globex &lt;!here&gt; (63, medium)* | unassigned | created\n"
            "• *PQL update: Acme (63, medium)* | Dana | updated\n"
            "• *New PQL: Acme (63, medium)* | Dana | created");
}

// Microsoft Teams gets the same story as an Adaptive Card in a message, as
// its incoming webhooks and Workflows take it.
TEST(WebhookBody, TeamsGetsTheSameStoryAsAnAdaptiveCard) {
  const auto message = boost::json::parse(webhook_body("teams", entry_for(acme()))).as_object();
  EXPECT_EQ(message.at("type"), "message");
  const auto& attachment = message.at("attachments").at(0);
  EXPECT_EQ(attachment.at("contentType"), "application/vnd.microsoft.card.adaptive");
  const auto& card = attachment.at("content").as_object();
  EXPECT_EQ(card.at("type"), "AdaptiveCard");
  EXPECT_EQ(text(card.at("fallbackText")), "New PQL: Acme (63, medium): " + acme().summary);
  const auto& body = card.at("body").as_array();
  ASSERT_EQ(body.size(), 4u);
  EXPECT_EQ(body[0].at("text"), "New PQL: Acme (63, medium)");
  EXPECT_EQ(body[0].at("weight"), "Bolder");
  EXPECT_EQ(text(body[1].at("text")), acme().summary);
  EXPECT_EQ(body[2].at("text"), "Contacts: Ana Lopez (CTO, ana@acme.com), carl");
  // How long the rep has, in the reader's time zone (Adaptive Cards' date functions), in small print.
  EXPECT_EQ(body[3].at("text"), "sales-led | owner Dana | created | first touch by "
                                "{{DATE(2026-11-18T11:06:40Z,SHORT)}} {{TIME(2026-11-18T11:06:40Z)}}");
  EXPECT_EQ(body[3].at("isSubtle"), true);
  for (const auto& block : body) EXPECT_EQ(block.at("wrap"), true);
}

// Teams' markdown reads [text](url) as a link: an account named so, by
// whoever sends events, must not put a link in front of a rep.
TEST(WebhookBody, TeamsShowsNoLinkFromEvents) {
  Alert phish = acme();
  phish.account_name = "[Renew now](https://evil.example)";
  const auto message = boost::json::parse(webhook_body("teams", entry_for(phish)));
  const auto& card = message.at("attachments").at(0).at("content");
  for (const auto& block : card.at("body").as_array())
    EXPECT_THAT(text(block.at("text")), ::testing::Not(::testing::HasSubstr("](")));
  // A zero-width space between; the notification's fallback is plain text.
  EXPECT_EQ(card.at("body").at(0).at("text"), "New PQL: [Renew now]\u200B(https://evil.example) (63, medium)");
}

TEST(WebhookBody, TeamsBurstListsEachEntryAsAnItem) {
  const auto message = boost::json::parse(chat_burst_body(
      "teams", {entry_for(acme()), entry_for(acme(), "updated"), entry_for(acme(), "closed"), entry_for(acme())}));
  const auto& body = message.at("attachments").at(0).at("content").at("body").as_array();
  ASSERT_EQ(body.size(), 2u);
  EXPECT_EQ(body[0].at("text"), "4 PQL changes: 2 new PQLs, 1 update, 1 closing");
  EXPECT_EQ(text(body[1].at("text")),
            "- **New PQL: Acme (63, medium)** | Dana | created\r"
            "- **PQL update: Acme (63, medium)** | Dana | updated\r"
            "- **PQL closed: Acme (63, medium)** | Dana | closed\r"
            "- **New PQL: Acme (63, medium)** | Dana | created");
}

// Email tells the same story in plain text: the title as the subject, the
// deadline in UTC (mail cannot know each reader's zone).
TEST(WebhookBody, EmailTellsTheSameStoryInPlainText) {
  Alert a = acme();
  a.account_name = "Acme\r\nBcc: everyone@example.com";
  const std::string mail = webhook_body("email", entry_for(a));
  EXPECT_TRUE(mail.starts_with("Subject: New PQL: Acme  Bcc: everyone@example.com (63, medium)\r\n"
                               "MIME-Version: 1.0\r\n"))
      << mail;
  EXPECT_EQ(mail_body(mail), a.summary + "\r\n\r\n"
                            "Contacts: Ana Lopez (CTO, ana@acme.com), carl\r\n\r\n"
                            "sales-led | owner Dana | created | first touch by Wed 18 Nov 11:06 UTC\r\n");
}

// Where a mail reader shows HTML, the same story: the title a heading, the
// summary and contacts paragraphs, where the alert stands in small type, the
// link a word; text from events is text, never markup.
TEST(WebhookBody, EmailHasAnHtmlAlternativeTellingTheSameStory) {
  Alert a = acme();
  a.account_name = "Acme <img src=x onerror=alert(1)>";
  a.contacts[0].identity.name = "Ana \"Lopez\" & Co";
  const std::string mail = webhook_body("email", entry_for(a), {}, "https://telltale.example.com/#alert/7");
  EXPECT_THAT(mail, ::testing::HasSubstr("\r\nContent-Type: multipart/alternative; boundary=\""));
  EXPECT_THAT(mail_body(mail), ::testing::StartsWith("Acme: 2 active users"));  // the text, as before
  const std::string html = mail_html(mail);
  EXPECT_THAT(html, ::testing::StartsWith("<!DOCTYPE html>\n"));
  EXPECT_THAT(html, ::testing::HasSubstr(
                        ">New PQL: Acme &lt;img src=x onerror=alert(1)&gt; (63, medium)</h2>\n"));
  EXPECT_THAT(html, ::testing::Not(::testing::HasSubstr("<img")));
  EXPECT_THAT(html, ::testing::HasSubstr("<p>" + a.summary + "</p>\n"));
  EXPECT_THAT(html, ::testing::HasSubstr("<p>Contacts: Ana &quot;Lopez&quot; &amp; Co (CTO, ana@acme.com), carl</p>"));
  EXPECT_THAT(html, ::testing::HasSubstr("font-size: 12px\">sales-led | owner Dana | created | first touch by "
                                         "Wed 18 Nov 11:06 UTC</p>"));
  EXPECT_THAT(html,
              ::testing::HasSubstr("<p><a href=\"https://telltale.example.com/#alert/7\">Open in Telltale</a></p>"));
  EXPECT_THAT(html, ::testing::EndsWith("</body></html>\n"));
  // A burst: a list, each new PQL's summary under its item.
  const std::string burst = mail_html(chat_burst_body("email", {entry_for(acme()), entry_for(acme(), "updated")}));
  EXPECT_THAT(burst, ::testing::HasSubstr("<ul>\n<li><strong>New PQL: Acme (63, medium)</strong> | Dana | created<br>\n"
                                          "<span style=\"color: #555\">" + acme().summary + "</span></li>\n"
                                          "<li><strong>PQL update: Acme (63, medium)</strong> | Dana | updated</li>\n"
                                          "</ul>\n"));
}

// With the dashboard's address known, each message links to its alert,
// where the rep claims it.
TEST(WebhookBody, EachMessageLinksToItsAlertOnTheDashboard) {
  const std::string url = alert_link("https://telltale.example.com:7070", 7);
  EXPECT_EQ(url, "https://telltale.example.com:7070/#alert/7");
  EXPECT_EQ(alert_link("https://telltale.example.com/sales/", 7), "https://telltale.example.com/sales/#alert/7");
  EXPECT_EQ(alert_link("", 7), "");
  const auto slack = boost::json::parse(webhook_body("slack", entry_for(acme()), {}, url));
  EXPECT_EQ(text(slack.at("blocks").as_array().back().at("text").at("text")), "<" + url + "|Open in Telltale>");
  const auto teams = boost::json::parse(webhook_body("teams", entry_for(acme()), {}, url));
  EXPECT_EQ(text(teams.at("attachments").at(0).at("content").at("body").as_array().back().at("text")),
            "[Open in Telltale](" + url + ")");
  EXPECT_THAT(mail_body(webhook_body("email", entry_for(acme()), {}, url)),
              ::testing::EndsWith("\r\n\r\nOpen in Telltale: " + url + "\r\n"));
  EXPECT_EQ(text(boost::json::parse(webhook_body("generic", entry_for(acme()), {}, url)).at("url")), url);
  EXPECT_TRUE(boost::json::parse(webhook_body("generic", entry_for(acme()))).at("url").is_null());
}

// Mail cannot show each reader's own time: its times are in the webhook's zone.
TEST(WebhookBody, EmailTimesAreInTheWebhooksZone) {
  auto unwrapped = [](std::string mail) { return boost::algorithm::replace_all_copy(mail, "\r\n", " "); };
  EXPECT_THAT(unwrapped(webhook_body("email", entry_for(acme()), {}, "", "Europe/Berlin")),
              ::testing::HasSubstr("first touch by Wed 18 Nov 12:06 Europe/Berlin "));
  EXPECT_THAT(unwrapped(webhook_body("email", entry_for(acme()), {}, "", "+05:30")),
              ::testing::HasSubstr("first touch by Wed 18 Nov 16:36 +05:30 "));
  // Slack and Teams show each reader's own.
  EXPECT_EQ(webhook_body("slack", entry_for(acme()), {}, "", "Europe/Berlin"),
            webhook_body("slack", entry_for(acme())));
}

// An email burst lists each entry, and has room for why each new PQL
// qualified: its summary, under its item (wrapped there).
TEST(WebhookBody, EmailBurstListsEachEntryAndWhyEachNewPqlQualified) {
  Alert grown = acme();
  grown.summary = "Acme: 3 active users, +3 in 14 days; viewed pricing twice. Sales-led, medium, owner Dana";
  const std::vector<FeedEntry> burst{entry_for(acme()), entry_for(acme(), "updated"), entry_for(acme(), "closed"),
                                     entry_for(grown)};
  const std::string mail = chat_burst_body("email", burst);
  EXPECT_TRUE(mail.starts_with("Subject: 4 PQL changes: 2 new PQLs, 1 update, 1 closing\r\n")) << mail;
  EXPECT_EQ(mail_body(mail), "  - New PQL: Acme (63, medium) | Dana | created\r\n"
                            "    " + acme().summary + "\r\n"
                            "  - PQL update: Acme (63, medium) | Dana | updated\r\n"
                            "  - PQL closed: Acme (63, medium) | Dana | closed\r\n"
                            "  - New PQL: Acme (63, medium) | Dana | created\r\n"
                            "    Acme: 3 active users, +3 in 14 days; viewed pricing twice. Sales-led,\r\n"
                            "    medium, owner Dana\r\n");
  EXPECT_THAT(chat_burst_body("slack", burst), ::testing::Not(::testing::HasSubstr("viewed pricing")));  // a line each
}

// A burst's lines link each to its alert, when the dashboard's address is known.
TEST(WebhookBody, EachLineOfABurstLinksToItsAlert) {
  const std::vector<FeedEntry> burst{entry_for(acme()), entry_for(acme(), "updated")};
  const std::string url = alert_link("https://telltale.example.com", burst[0].alert_id);
  // A line too long for mail goes on under the item's text.
  EXPECT_THAT(chat_burst_body("email", burst, "https://telltale.example.com"),
              ::testing::HasSubstr("\r\n  - New PQL: Acme (63, medium) | Dana | created | Open:\r\n"
                                   "    " + url + "\r\n"));
  const auto slack = boost::json::parse(chat_burst_body("slack", burst, "https://telltale.example.com"));
  EXPECT_THAT(text(slack.at("blocks").at(1).at("text").at("text")),
              ::testing::StartsWith("• *New PQL: Acme (63, medium)* | Dana | created | <" + url + "|Open>\n"));
  EXPECT_THAT(chat_burst_body("teams", burst, "https://telltale.example.com"),
              ::testing::HasSubstr(" | Dana | created | [Open](" + url + ")"));
  EXPECT_THAT(chat_burst_body("slack", burst), ::testing::Not(::testing::HasSubstr("Open")));
}

}  // namespace
}  // namespace telltale::collector
