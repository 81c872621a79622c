// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The pieces of the mail Telltale sends: mailto: recipients, the sender's
// address, headers that text from events cannot break, and bodies wrapped
// for mail readers.
#include "mail/mail_message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/base64.h"

namespace telltale::collector {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(MailMessage, MailtoUrlsNameOneOrMoreAddresses) {
  EXPECT_THAT(*mailto_recipients("mailto:dana@example.com"), ElementsAre("dana@example.com"));
  EXPECT_THAT(*mailto_recipients("mailto:dana@example.com,%20ravi@example.com"),
              ElementsAre("dana@example.com", "ravi@example.com"));
  EXPECT_THAT(*mailto_recipients("MAILTO:dana+pql@example.com"), ElementsAre("dana+pql@example.com"));
  for (const char* bad : {"mailto:", "mailto:dana", "mailto:@example.com", "mailto:dana@", "mailto:a@b.com,,c@d.com",
                          "mailto:dana@example.com?subject=hi", "mailto:Dana <dana@example.com>",
                          "https://example.com/dana@example.com", "dana@example.com", "mailto:a%0d%0aBcc:x@y.com"})
    EXPECT_FALSE(mailto_recipients(bad)) << bad;
}

TEST(MailMessage, TheSendersAddressIsReadWithOrWithoutAName) {
  EXPECT_EQ(*sender_address("Telltale <pql@example.com>"), "pql@example.com");
  EXPECT_EQ(*sender_address("pql@example.com"), "pql@example.com");
  EXPECT_EQ(*sender_address("\"Sales, PQLs\" <pql@example.com> "), "pql@example.com");
  for (const char* bad : {"", "Telltale", "Telltale <pql>", "Telltale <pql@example.com", "<pql@example.com> x"})
    EXPECT_FALSE(sender_address(bad)) << bad;
}

std::string decoded_word(const std::string& word) {
  EXPECT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?=")) << word;
  return base64_decode(word.substr(10, word.size() - 12));
}

TEST(MailMessage, HeadersTakeAnyLanguageAndNoLineBreaksFromEvents) {
  EXPECT_EQ(header_text("New PQL: Globex (93, high)"), "New PQL: Globex (93, high)");
  EXPECT_EQ(header_text("Globex\r\nBcc: everyone@example.com"), "Globex  Bcc: everyone@example.com");
  // Encoded words of at most 75 characters, folded, whole UTF-8 characters each.
  const std::string subject = "New PQL: Müller Präzisionstechnik GmbH & Co. KG, Zürich (93, high) — first touch";
  const std::string encoded = header_text(subject);
  std::string decoded;
  size_t at = 0;
  for (size_t end; at < encoded.size(); at = end + 3) {
    end = encoded.find("\r\n ", at);
    if (end == std::string::npos) end = encoded.size();
    const std::string word = encoded.substr(at, end - at);
    EXPECT_LE(word.size(), 75u);
    decoded += decoded_word(word);
  }
  EXPECT_EQ(decoded, subject);
}

// With HTML, the text and the HTML as alternatives: the text as it is
// alone, the HTML in base64 lines, between boundaries the text cannot hold.
TEST(MailMessage, HtmlGoesAsTheAlternativeToTheText) {
  const std::string html = "<p>" + std::string(300, 'h') + " \u00e9</p>";
  const std::string text = "--=_telltale_alternative is in the text\n";
  const std::string content = mail_content("PQL digest", text, html);
  const std::string type = "Content-Type: multipart/alternative; boundary=\"";
  ASSERT_THAT(content, HasSubstr("\r\nMIME-Version: 1.0\r\n" + type));
  const size_t at = content.find(type) + type.size();
  const std::string boundary = content.substr(at, content.find('"', at) - at);
  EXPECT_EQ(text.find("--" + boundary), std::string::npos);
  const std::string body = content.substr(content.find("\r\n\r\n") + 4);
  EXPECT_TRUE(body.starts_with("--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                               "Content-Transfer-Encoding: 8bit\r\n\r\n--=_telltale_alternative is in the text\r\n--" +
                               boundary + "\r\nContent-Type: text/html; charset=utf-8\r\n"
                               "Content-Transfer-Encoding: base64\r\n\r\n")) << body;
  EXPECT_TRUE(body.ends_with("\r\n--" + boundary + "--\r\n"));
  const size_t from = body.find("base64\r\n\r\n") + 10;
  std::string encoded;
  for (size_t line = from, end; (end = body.find("\r\n", line)) <= body.rfind("\r\n--"); line = end + 2) {
    EXPECT_LE(end - line, 76u);
    encoded += body.substr(line, end - line);
  }
  EXPECT_EQ(base64_decode(encoded), html);
  EXPECT_EQ(mail_content("PQL digest", text), mail_content("PQL digest", text, ""));  // no HTML: the text alone
}

TEST(MailMessage, TheContentIsPlainUtf8TextWrappedForMailReaders) {
  const std::string long_line(200, 'x');
  const std::string text =
      "Globex: 8 active users, +6 in 14 days; seats at 80 % for 14 days; viewed pricing twice; tried SSO. Sales-led, "
      "high, owner Dana.\n\nEarlier alerts:\n  - #4 handed_back, sales-assist, Ravi, raised 2026-10-02, 3 touches: "
      "prefers self-serve, and a note long enough to wrap\n" + long_line + "\nend\r";
  const std::string content = mail_content("New PQL: Globex (93, high)", text);
  EXPECT_TRUE(content.starts_with("Subject: New PQL: Globex (93, high)\r\nMIME-Version: 1.0\r\n"
                                  "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"))
      << content;
  const std::string body = content.substr(content.find("\r\n\r\n") + 4);
  EXPECT_EQ(body.find('\r'), body.find("\r\n"));
  std::vector<std::string> lines;
  for (size_t at = 0, end; at < body.size(); at = end + 2) {
    end = body.find("\r\n", at);
    ASSERT_NE(end, std::string::npos) << "every line ends with CRLF";
    lines.push_back(body.substr(at, end - at));
  }
  for (const std::string& line : lines) {
    if (line != long_line) {
      EXPECT_LE(line.size(), 76u) << line;
    }
  }
  EXPECT_THAT(lines, ::testing::Contains(long_line));  // a word longer than a line stays whole
  EXPECT_EQ(lines[0], "Globex: 8 active users, +6 in 14 days; seats at 80 % for 14 days; viewed");
  EXPECT_EQ(lines[2], "");
  EXPECT_EQ(lines[4].substr(0, 4), "  - ");
  EXPECT_EQ(lines[5], "    prefers self-serve, and a note long enough to wrap");  // under the item's text
  EXPECT_EQ(lines.back(), "end");
  std::string rejoined;
  for (const std::string& line : lines) rejoined += line.substr(line.starts_with("    ") ? 4 : 0) + " ";
  EXPECT_THAT(rejoined, HasSubstr("3 touches: prefers self-serve, and a note long enough to wrap"));
  // A word past SMTP's line limit is cut.
  EXPECT_THAT(mail_content("s", std::string(2000, 'y')), Not(HasSubstr(std::string(901, 'y'))));
}

TEST(MailMessage, HeadersSayWhoWhenAndThatNoOneWroteItByHand) {
  MailEnvelope e;
  e.from = "Télltale Sales <pql@example.com>";
  e.to = {"dana@example.com", "ravi@example.com"};
  e.date_ms = 1'795'000'000'123;  // 2026-11-18T11:06:40Z
  e.message_id = "feed-12.abc@telltale";
  e.extra = {{"X-Telltale-Event", "created"}};
  const std::string headers = mail_headers(e);
  EXPECT_THAT(headers, HasSubstr("From: =?UTF-8?B?"));
  EXPECT_THAT(headers, HasSubstr("?= <pql@example.com>\r\n"));
  EXPECT_THAT(headers, HasSubstr("\r\nTo: dana@example.com, ravi@example.com\r\n"));
  EXPECT_THAT(headers, HasSubstr("\r\nDate: Wed, 18 Nov 2026 11:06:40 +0000\r\n"));
  EXPECT_THAT(headers, HasSubstr("\r\nMessage-ID: <feed-12.abc@telltale>\r\n"));
  EXPECT_THAT(headers, HasSubstr("\r\nAuto-Submitted: auto-generated\r\n"));
  EXPECT_TRUE(headers.ends_with("\r\nX-Telltale-Event: created\r\n"));
}

}  // namespace
}  // namespace telltale::collector
