// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/slack_text.h"

#include "alerts/alert.h"

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

boost::json::object slack_block(const char* type, const char* text_type, std::string text) {
  boost::json::object b;
  b["type"] = type;
  b["text"] = boost::json::object{{"type", text_type}, {"text", std::move(text)}};
  return b;
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

std::string slack_date(int64_t ms) {
  return "<!date^" + std::to_string(ms / 1000) + "^{date_short_pretty} {time}|" + iso8601(ms) + ">";
}

}  // namespace telltale::collector
