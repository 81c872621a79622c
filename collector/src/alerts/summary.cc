// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/summary.h"

#include "alerts/time_zone.h"

#include <algorithm>
#include <cstdio>

namespace telltale::collector {

std::string best_contact(const AccountState& a, int64_t now_ms) {
  const auto& hist = a.hour_of_week;
  size_t best = size_t(std::max_element(hist.begin(), hist.end()) - hist.begin());
  if (hist[best] == 0) return "";
  const std::string tz = a.trait("timezone");
  std::optional<int> offset = utc_offset_minutes(tz, now_ms);
  std::string label = offset ? (tz.empty() ? "UTC" : tz) : "UTC";
  // The next start of the busiest hour after now, shown in the account's zone.
  int64_t now_slot = AccountState::hour_of_week_index(now_ms);
  int64_t ahead = (int64_t(best) - now_slot + 168) % 168;
  if (ahead == 0) ahead = 168;
  int64_t at_ms = (now_ms / 3'600'000 + ahead) * 3'600'000 + int64_t(offset.value_or(0)) * 60'000;
  static const char* const kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  int slot = AccountState::hour_of_week_index(at_ms);
  int minute = int(((at_ms / 60'000) % 60 + 60) % 60);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d %s", kDays[slot / 24], slot % 24, minute, label.c_str());
  return buf;
}

std::vector<TimelineEntry> key_moments(const AccountState& a, const CompiledRules& rules) {
  std::vector<TimelineEntry> t;
  t.push_back({a.first_seen_ms, "first seen"});
  if (a.activated_ms) t.push_back({a.activated_ms, "activated"});
  for (int e = 0; e < kRuleEventCount; ++e)
    if (const NameStat* s = a.stat(rules.event(RuleEvent(e))))
      t.push_back({s->first_ms, "first " + rules.event_name(RuleEvent(e))});
  std::stable_sort(t.begin(), t.end(), [](const auto& x, const auto& y) { return x.at_ms < y.at_ms; });
  return t;
}

std::string summarize(const Alert& alert) {
  const AccountMetrics& m = alert.metrics;
  std::string s = (alert.account_name.empty() ? alert.account_id : alert.account_name) + ": " +
                  std::to_string(m.active_users_14d) + (m.active_users_14d == 1 ? " active user" : " active users");
  int64_t growth = m.active_users_14d - m.active_users_prev_14d;
  if (growth > 0) s += ", +" + std::to_string(growth) + " in 14 days";
  for (const Contribution& c : alert.contributions)
    if (c.signal != kSignalExpansion) s += "; " + c.evidence;
  std::string route = alert.route;
  if (!route.empty()) route[0] = char(std::toupper(static_cast<unsigned char>(route[0])));
  s += ". " + route + ", " + alert.priority;
  if (!alert.owner.empty()) s += ", owner " + alert.owner;
  if (!alert.best_contact.empty()) s += ", reach out " + alert.best_contact;
  return s;
}

}  // namespace telltale::collector
