// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/chat_text.h"

#include "alerts/alert.h"
#include "alerts/time_zone.h"
#include "app/iso8601.h"
#include "app/wall_clock.h"
#include "mail/mail_message.h"

namespace telltale::collector {

std::string slack_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

namespace {

std::string text_or(const boost::json::object& o, const char* key, const char* fallback_key, const char* fallback) {
  const boost::json::value* v = o.if_contains(key);
  if (v && v->is_string() && !v->as_string().empty()) return std::string(v->as_string());
  return fallback_key ? text_or(o, fallback_key, nullptr, fallback) : fallback;
}

}  // namespace

std::string account_label(const boost::json::object& alert) {
  return text_or(alert, "account_name", "account_id", "");
}

std::string owner_label(const boost::json::object& alert) { return text_or(alert, "owner", nullptr, "unassigned"); }

std::string company_facts(const boost::json::object& alert) {
  std::string facts;
  auto add = [&](const std::string& fact) {
    if (!fact.empty()) facts += (facts.empty() ? "" : " · ") + fact;
  };
  add(text_or(alert, "domain", nullptr, ""));
  if (const boost::json::value* n = alert.if_contains("employees"); n && n->is_int64())
    add(std::to_string(n->as_int64()) + " employees");
  add(text_or(alert, "industry", nullptr, ""));
  add(text_or(alert, "region", nullptr, ""));
  return facts;
}

namespace {

std::string slack_bold(std::string_view text) { return "*" + std::string(text) + "*"; }

std::string slack_link(std::string_view url, std::string_view text) {
  return "<" + std::string(url) + "|" + std::string(text) + ">";
}

std::string slack_date(int64_t ms, const std::string&) {
  return "<!date^" + std::to_string(ms / 1000) + "^{date_short_pretty} {time}|" + iso8601(ms) + ">";
}

// A zero-width space between each "]" and "(" so that no "[text](url)" in
// an account's name becomes a link; '*' and '_' stay (at worst a name shows
// in bold or italics).
std::string teams_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == ']' && i + 1 < text.size() && text[i + 1] == '(') out += "\u200B";
  }
  return out;
}

std::string teams_bold(std::string_view text) { return "**" + std::string(text) + "**"; }

std::string teams_link(std::string_view url, std::string_view text) {
  return "[" + std::string(text) + "](" + std::string(url) + ")";
}

// Adaptive Cards' date functions take RFC 3339 to the second.
std::string teams_date(int64_t ms, const std::string&) {
  std::string at = iso8601(ms - ms % 1000);
  at.erase(at.size() - 5, 4);  // ".000" before the Z
  return "{{DATE(" + at + ",SHORT)}} {{TIME(" + at + ")}}";
}

std::string email_bold(std::string_view text) { return std::string(text); }

std::string email_link(std::string_view url, std::string_view text) {
  return std::string(text) + ": " + std::string(url);
}

std::string email_date(int64_t ms, const std::string& zone) {
  const std::optional<int> offset = utc_offset_minutes(zone, ms);
  return utc_text(ms + int64_t(offset.value_or(0)) * 60'000, "%a %d %b %H:%M ") + (offset ? zone : "UTC");
}

// Text as HTML: its controls spaces, & < > " ' as entities.
std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : one_line(text)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string html_bold(std::string_view text) { return "<strong>" + std::string(text) + "</strong>"; }

std::string html_link(std::string_view url, std::string_view text) {
  return "<a href=\"" + html_escape(url) + "\">" + std::string(text) + "</a>";
}

std::string html_date(int64_t ms, const std::string& zone) { return html_escape(email_date(ms, zone)); }

}  // namespace

std::string item_link(const ChatDialect& dialect, const std::string& url) {
  return url.empty() ? "" : " | " + dialect.link(url, "Open");
}

const ChatDialect& slack_dialect() {
  static const ChatDialect dialect{"slack", &slack_escape, &slack_bold, &slack_date, &slack_link};
  return dialect;
}

const ChatDialect& teams_dialect() {
  static const ChatDialect dialect{"teams", &teams_escape, &teams_bold, &teams_date, &teams_link};
  return dialect;
}

const ChatDialect& email_dialect() {
  static const ChatDialect dialect{"email", &one_line, &email_bold, &email_date, &email_link};
  return dialect;
}

const ChatDialect& email_html_dialect() {
  static const ChatDialect dialect{"email", &html_escape, &html_bold, &html_date, &html_link};
  return dialect;
}

const ChatDialect* chat_dialect(std::string_view format) {
  if (format == "slack") return &slack_dialect();
  if (format == "teams") return &teams_dialect();
  if (format == "email") return &email_dialect();
  return nullptr;
}

}  // namespace telltale::collector
