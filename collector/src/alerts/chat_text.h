// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Text for chat tools' incoming webhooks (Slack, Microsoft Teams) and for
// email, shared by the per-alert message, the message of several entries
// and the daily digest: each one's dialect (escaping text from events,
// bold, dates shown in each reader's own time zone where the tool can),
// and how an alert's account, owner and company are named (the telltale
// tool names them as these messages do). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace telltale::collector {

// How a chat tool marks text up. Lines of a message are built with these,
// then written in the tool's JSON (alerts/chat_message.h).
struct ChatDialect {
  const char* format;  // "slack" | "teams" | "email", as a webhook's format names it
  // Text from events made inert: Slack reads <...> as links and mentions
  // (<!channel> in an account name would notify a whole channel), Teams'
  // markdown reads [text](url) as a link.
  std::string (*escape)(std::string_view text);
  // Marked-up text in bold.
  std::string (*bold)(std::string_view text);
  // A moment, shown in each reader's own time zone by the tool where it
  // can (Slack, Teams), else in `zone` (an IANA name or an offset).
  std::string (*date)(int64_t ms, const std::string& zone);
  // A link to `url` (one of Telltale's own: no text from events) reading `text`.
  std::string (*link)(std::string_view url, std::string_view text);
};

// " | Open": a link to `url` at the end of an item of a list (a burst's
// entry, a digest's alert or account); "" when `url` is.
std::string item_link(const ChatDialect& dialect, const std::string& url);

// Slack's mrkdwn: &amp; &lt; &gt; escaped, *bold*, <!date^...> dates.
const ChatDialect& slack_dialect();
// Teams' Adaptive Card markdown: links broken, **bold**, {{DATE()}} {{TIME()}}.
const ChatDialect& teams_dialect();
// Email's plain text: no markup; a line break from events becomes a
// space; dates in the webhook's zone ("Tue 24 Nov 14:15 Europe/Berlin"),
// as mail cannot know each reader's.
const ChatDialect& email_dialect();
// Email's HTML alternative: the same words as HTML (text from events as
// entities, <strong>, <a href>), the dates as email_dialect()'s.
const ChatDialect& email_html_dialect();
// The dialect of a webhook's format; null for "generic" (JSON, no markup).
const ChatDialect* chat_dialect(std::string_view format);

// Text escaped for Slack's mrkdwn (the dialect's escape).
std::string slack_escape(std::string_view text);
// An alert's (JSON) account as messages name it: its name, else its id;
// and its owner, else "unassigned". Unescaped.
std::string account_label(const boost::json::object& alert);
std::string owner_label(const boost::json::object& alert);
// What an alert (JSON), or an account's traits, say of the company,
// "acme.com · 800 employees · fintech · emea", what is known of it; ""
// when nothing is. Unescaped.
std::string company_facts(const boost::json::object& alert);

}  // namespace telltale::collector
