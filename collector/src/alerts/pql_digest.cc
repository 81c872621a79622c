// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/pql_digest.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/json.hpp>

#include "alerts/alert.h"
#include "alerts/owner_assigner.h"
#include "alerts/pls_stats.h"
#include "alerts/chat_message.h"
#include "alerts/dashboard_link.h"
#include "alerts/time_zone.h"
#include "app/iso8601.h"
#include "app/json_text.h"

namespace telltale::collector {
namespace {

namespace json = boost::json;

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;
// How many waiting alerts a digest lists, and how many accounts warming up.
constexpr size_t kDigestAlerts = 10;
constexpr size_t kDigestWarming = 5;

int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// The day of the week of a day since 1970-01-01 (a Thursday): 0 Monday ... 6 Sunday.
int weekday(int64_t day) { return int(day + 3 - floor_div(day + 3, 7) * 7); }

int64_t count_of(const json::object& o, const char* key) { return o.at(key).to_number<int64_t>(); }

std::string text_of(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

// "sales-led 4 (3 high), sales-assist 6": the period's PQLs by route.
std::string by_route(const json::object& volume, int64_t* total) {
  std::string line;
  for (const auto& [route, priorities] : volume) {
    int64_t n = 0, high = 0;
    for (const auto& [priority, count] : priorities.as_object()) {
      n += count.to_number<int64_t>();
      if (priority == "high") high = count.to_number<int64_t>();
    }
    *total += n;
    line += (line.empty() ? "" : ", ") + std::string(route) + " " + std::to_string(n);
    if (high) line += " (" + std::to_string(high) + " high)";
  }
  return line;
}

std::string hours_text(const json::value& h) {
  if (h.is_null()) return "";
  const double v = h.to_number<double>();
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 10 ? "%.1f h" : "%.0f h", v);
  return buf;
}

// "Warming up: 12 accounts below the threshold of 50" and the closest, an item each.
ChatBlock warming_block(const ChatDialect& d, const json::object& warming, const std::string& dashboard_url) {
  const int64_t matching = count_of(warming, "matching");
  ChatBlock block{ChatBlock::Kind::kList,
                  "Warming up: " + std::to_string(matching) + (matching == 1 ? " account" : " accounts") +
                      " below the threshold of " + json_text(warming.at("threshold")),
                  {}, ""};
  for (const json::value& v : warming.at("accounts").as_array()) {
    const json::object& a = v.as_object();
    std::string signals;
    for (const json::value& s : a.at("signals").as_array())
      signals += (signals.empty() ? "" : ", ") + std::string(s.as_string());
    std::string line = d.escape(account_label(a)) + " (" + json_text(a.at("score")) + ", " + text_of(a, "route") +
                       "): " + signals;
    // What alone would make it a PQL, the first three: where a rep's first message could lead.
    if (const json::value* tipping = a.if_contains("tipping_signals"); tipping && !tipping->as_array().empty()) {
      const json::array& names = tipping->as_array();
      line += "; would tip it: ";
      for (size_t i = 0; i < std::min<size_t>(3, names.size()); ++i)
        line += (i ? ", " : "") + std::string(names[i].as_string());
      if (names.size() > 3) line += " +" + std::to_string(names.size() - 3) + " more";
    }
    line += item_link(d, account_link(dashboard_url, text_of(a, "account_id")));
    block.lines.push_back(std::move(line));
  }
  return block;
}

ChatMessage digest_message(const ChatDialect& d, const Digest& digest) {
  const json::object& figures = digest.figures;
  int64_t pqls = 0;
  const std::string routes = by_route(figures.at("pql_volume").as_object(), &pqls);
  const json::object& sla = figures.at("sla").as_object();
  const json::object& conversion = figures.at("conversion").as_object();
  const std::string median = hours_text(figures.at("response").at("median_hours_to_first_touch"));
  ChatMessage m;
  m.title = "PQL digest: " + std::to_string(pqls) + " new PQL" + (pqls == 1 ? "" : "s");
  m.fallback = m.title + ", " + std::to_string(digest.waiting_count) + " waiting for a first touch" +
               (digest.waiting_overdue ? " (" + std::to_string(digest.waiting_overdue) + " overdue)" : "");

  ChatBlock period{ChatBlock::Kind::kText, "", {d.bold("Since") + " " + d.date(digest.since_ms, digest.zone)}, ""};
  if (pqls) period.lines.push_back(d.bold("By route:") + " " + routes);
  if (count_of(sla, "due")) {
    period.lines.push_back(d.bold("SLA:") + " " +
                           std::to_string(int(std::lround(sla.at("adherence").to_number<double>() * 100))) +
                           "% touched in time (" + std::to_string(count_of(sla, "touched_in_time")) + " of " +
                           std::to_string(count_of(sla, "due")) + " due), " +
                           std::to_string(count_of(sla, "breached")) + " breached");
  }
  if (!median.empty()) period.lines.push_back(d.bold("First touch:") + " median " + median);
  if (count_of(conversion, "opportunities"))
    period.lines.push_back(d.bold("Conversion:") + " " + std::to_string(count_of(conversion, "opportunities")) +
                           " opportunities, " + std::to_string(count_of(conversion, "won")) + " won");
  m.blocks.push_back(std::move(period));

  if (digest.waiting_count == 0) {
    m.blocks.push_back({ChatBlock::Kind::kText, "", {"Nothing waits for a first touch."}, ""});
  } else {
    ChatBlock waiting{ChatBlock::Kind::kList,
                      "Waiting for a first touch: " + std::to_string(digest.waiting_count) +
                          (digest.waiting_overdue ? ", " + std::to_string(digest.waiting_overdue) + " overdue" : "") +
                          (digest.waiting_away ? ", " + std::to_string(digest.waiting_away) +
                                                     (digest.waiting_away == 1 ? " with a rep who is away"
                                                                               : " with reps who are away")
                                               : ""),
                      {}, ""};
    for (const json::object& a : digest.waiting) {
      const int64_t due = parse_iso8601_ms(text_of(a, "sla_due")).value_or(0);
      const bool late = past_deadline(due, digest.now_ms);
      std::string line = "#" + json_text(a.at("id")) + " " + d.escape(account_label(a)) + " (" +
                         json_text(a.at("score")) + ", " + text_of(a, "priority") + "), " +
                         d.escape(owner_label(a)) + (a.contains("owner_away") ? " (away)" : "");
      if (due) line += (late ? ": overdue since " : ": due ") + d.date(due, digest.zone);
      line += item_link(d, alert_link(digest.dashboard_url, a.at("id").to_number<int64_t>()));
      waiting.lines.push_back(std::move(line));
    }
    if (digest.waiting_count > int64_t(digest.waiting.size()))
      waiting.after = "… and " + std::to_string(digest.waiting_count - int64_t(digest.waiting.size())) + " more";
    m.blocks.push_back(std::move(waiting));
  }
  if (const json::object* warming = digest.warming.if_object(); warming && count_of(*warming, "matching"))
    m.blocks.push_back(warming_block(d, *warming, digest.dashboard_url));
  return m;
}

}  // namespace

std::optional<int> parse_time_of_day(std::string_view t) {
  auto digit = [&](size_t i) { return t[i] >= '0' && t[i] <= '9'; };
  if (t.size() != 5 || t[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) return std::nullopt;
  const int hours = (t[0] - '0') * 10 + (t[1] - '0'), minutes = (t[3] - '0') * 10 + (t[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

std::optional<DigestSchedule> parse_digest_schedule(std::string_view when) {
  DigestSchedule schedule;
  const size_t space = when.find(' ');
  const std::optional<int> minute = parse_time_of_day(space == when.npos ? when : when.substr(space + 1));
  if (!minute) return std::nullopt;
  schedule.minute_of_day = *minute;
  if (space == when.npos) return schedule;
  const std::string days = boost::algorithm::to_lower_copy(std::string(when.substr(0, space)));
  if (days == "weekdays") {
    schedule.days = DigestSchedule::kWeekdays;
    return schedule;
  }
  static constexpr std::string_view kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  schedule.days = 0;
  for (size_t begin = 0; begin <= days.size();) {
    const size_t end = std::min(days.find(',', begin), days.size());
    const auto* day = std::find(std::begin(kDays), std::end(kDays), std::string_view(days).substr(begin, end - begin));
    if (day == std::end(kDays)) return std::nullopt;
    const uint8_t bit = uint8_t(1u << (day - std::begin(kDays)));
    if (schedule.days & bit) return std::nullopt;
    schedule.days |= bit;
    begin = end + 1;
  }
  return schedule;
}

int64_t next_digest_ms(const DigestSchedule& s, int64_t after_ms) {
  auto offset_ms = [&](int64_t at) { return int64_t(utc_offset_minutes(s.zone, at).value_or(0)) * kMinuteMs; };
  const int64_t local_day = floor_div(after_ms + offset_ms(after_ms), kDayMs);
  const uint8_t days = s.days & DigestSchedule::kEveryDay ? s.days : DigestSchedule::kEveryDay;  // none: every day
  for (int64_t day = local_day;; ++day) {
    if (!(days & (1u << weekday(day)))) continue;
    const int64_t local = day * kDayMs + s.minute_of_day * kMinuteMs;
    // The offset where that local time falls (daylight saving may differ from after_ms's).
    const int64_t guess = local - offset_ms(after_ms);
    const int64_t at = local - offset_ms(guess);
    if (at > after_ms) return at;
  }
}

std::optional<int64_t> due_digest_ms(const DigestSchedule& s, int64_t last_ms, int64_t now_ms) {
  int64_t due = next_digest_ms(s, last_ms);
  if (due > now_ms) return std::nullopt;
  for (int64_t next = next_digest_ms(s, due); next <= now_ms; next = next_digest_ms(s, due)) due = next;
  return due;
}

Digest collect_digest(AlertStore& store, int64_t since_ms, int64_t until_ms, const std::set<std::string>& routes,
                      const std::set<std::string>& owners, const OwnerRules& reps, int64_t now_ms,
                      const WarmingAccounts& warming) {
  Digest d;
  d.since_ms = since_ms;
  d.until_ms = until_ms;
  d.now_ms = now_ms;
  StatsFilter period{.since_ms = since_ms, .until_ms = until_ms};
  if (owners.size() == 1) period.owner = *owners.begin();
  if (routes.size() == 1) period.route = *routes.begin();
  d.figures = store.stats(period, now_ms);
  PlsStats::add_configured_reps(d.figures, reps);
  const AlertStore::Waiting waiting = store.waiting(
      [&](const std::string& route, const std::string& owner) {
        const bool taken = routes.contains(route) && (owners.empty() || owners.contains(owner));
        d.waiting_away += taken && is_away(reps, owner);
        return taken;
      },
      kDigestAlerts, now_ms);
  d.waiting_count = waiting.count;
  d.waiting_overdue = waiting.overdue;
  for (const std::string& body : waiting.first) {
    json::object a = json::parse(body).as_object();
    if (is_away(reps, text_of(a, "owner"))) a["owner_away"] = true;
    d.waiting.push_back(std::move(a));
  }
  if (owners.empty() && warming) {
    AccountQuery query{.qualified = false, .min_score = 1, .limit = kDigestWarming};
    for (const std::string& route : routes) query.routes.push_back(route_from_name(route));
    d.warming = warming(query);
  }
  return d;
}

std::string digest_body(const std::string& format, const Digest& d) {
  if (const ChatDialect* dialect = chat_dialect(format))
    return render_chat(*dialect, [&](const ChatDialect& in) { return digest_message(in, d); });
  auto linked = [&](json::object item, const std::string& url) {
    item["url"] = json_text_or_null(url);
    return item;
  };
  json::array alerts;
  for (const json::object& a : d.waiting)
    alerts.push_back(linked(a, alert_link(d.dashboard_url, a.at("id").to_number<int64_t>())));
  json::value warming = d.warming;
  if (json::object* w = warming.if_object())
    for (json::value& a : w->at("accounts").as_array())
      a = linked(a.as_object(), account_link(d.dashboard_url, text_of(a.as_object(), "account_id")));
  json::object o{{"event", "digest"},
                 {"since", iso8601(d.since_ms)},
                 {"until", iso8601(d.until_ms)},
                 {"figures", d.figures},
                 {"waiting", json::object{{"count", d.waiting_count},
                                          {"overdue", d.waiting_overdue},
                                          {"away", d.waiting_away},
                                          {"alerts", std::move(alerts)}}},
                 {"warming", std::move(warming)}};
  return json_text(o);
}

}  // namespace telltale::collector
