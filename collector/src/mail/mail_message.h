// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The pieces of an email Telltale sends (RFC 5322, MIME): who it goes to
// (a webhook's "mailto:" URL), who it is from (the config's `from`, with
// or without a display name), its content (a Subject and a plain-text UTF-8
// body, lines wrapped for mail readers, with an HTML alternative if given) and the headers that say when and
// by whom it was sent. Text from events ends up in the subject and the
// body: line breaks and control characters in it are made spaces where
// they would end a header, so no event can add one. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace telltale::collector {

// Whether `address` looks like local@domain: no spaces, controls, angle
// brackets, commas or quotes; something either side of the last '@'.
bool is_mail_address(std::string_view address);

// The addresses of "mailto:a@example.com,b@example.com" (RFC 6068,
// percent-decoded); nullopt unless it is a mailto: URL of one or more
// addresses and nothing else (no ?subject= and the like).
std::optional<std::vector<std::string>> mailto_recipients(std::string_view url);

// The address of a From: "Telltale <pql@example.com>" or "pql@example.com";
// nullopt when there is none.
std::optional<std::string> sender_address(std::string_view from);

// `text` with its line breaks and other controls made spaces: one line,
// which no text from an event can break.
std::string one_line(std::string_view text);

// A header's text as RFC 2047 encoded words ("=?UTF-8?B?...?=", folded)
// when it is not plain ASCII; controls become spaces either way.
std::string header_text(std::string_view text);

// The content of a message: its Subject and MIME headers, an empty line,
// and `text` with CRLF line ends, paragraphs wrapped at 76 columns (a
// word longer than a line stays whole, up to 900 bytes); with `html`, the
// text and, as its alternative, the HTML (multipart/alternative: a mail
// reader shows the HTML where it can, the text otherwise).
std::string mail_content(std::string_view subject, std::string_view text, std::string_view html = "");

// What goes before the content: From, To, Date (RFC 5322, UTC),
// Message-ID, Auto-Submitted (so that out-of-office replies stay away) and
// `extra` headers, each a line with CRLF.
struct MailEnvelope {
  std::string from;
  std::vector<std::string> to;
  int64_t date_ms = 0;
  std::string message_id;  // without angle brackets: "feed-12.ab34@telltale"
  std::vector<std::pair<std::string, std::string>> extra;
};
std::string mail_headers(const MailEnvelope& envelope);

// "Wed, 25 Nov 2026 06:35:43 +0000".
std::string mail_date(int64_t ms);

}  // namespace telltale::collector
