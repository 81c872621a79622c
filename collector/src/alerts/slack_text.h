// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Pieces of Slack incoming-webhook messages, shared by the per-alert
// message, the message of several entries and the daily digest: text
// escaped for Slack's mrkdwn, blocks, how an alert's account and owner are
// named (the telltale tool names a company as these messages do), and
// dates Slack shows in each reader's own time zone. Pure functions;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace telltale::collector {

// Text from events in Slack's mrkdwn, escaped as Slack asks (&amp; &lt;
// &gt;): it reads <...> as links and mentions, and <!channel> in an account
// name would notify a whole channel.
std::string slack_escape(std::string_view text);
// A block of `type` ("header", "section") holding `text` of `text_type`
// ("plain_text", "mrkdwn").
boost::json::object slack_block(const char* type, const char* text_type, std::string text);
// An alert's (JSON) account as messages name it: its name, else its id;
// and its owner, else "unassigned". Unescaped.
std::string account_label(const boost::json::object& alert);
std::string owner_label(const boost::json::object& alert);
// What an alert (JSON), or an account's traits, say of the company,
// "acme.com · 800 employees · fintech · emea", what is known of it; ""
// when nothing is. Unescaped.
std::string company_facts(const boost::json::object& alert);
// A moment in Slack's date formatting ("<!date^...^{date_short_pretty}
// {time}|...>"), shown in each reader's time zone; the ISO time as fallback.
std::string slack_date(int64_t ms);

}  // namespace telltale::collector
