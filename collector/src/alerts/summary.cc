// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "alerts/summary.h"

#include "alerts/time_zone.h"
#include "app/wall_clock.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace telltale::collector {

std::string best_contact(const AccountState& a, int64_t now_ms) {
  if (a.busiest_hour_count == 0) return "";
  const int best = a.busiest_hour;
  const std::string tz = a.trait("timezone");
  std::optional<int> offset = utc_offset_minutes(tz, now_ms);
  std::string label = offset ? (tz.empty() ? "UTC" : tz) : "UTC";
  // The next start of the busiest hour after now, shown in the account's zone.
  int64_t now_slot = AccountState::hour_of_week_index(now_ms);
  int64_t ahead = (best - now_slot + 168) % 168;
  if (ahead == 0) ahead = 168;
  int64_t at_ms = (now_ms / 3'600'000 + ahead) * 3'600'000 + int64_t(offset.value_or(0)) * 60'000;
  return utc_text(at_ms, "%a %H:%M ") + label;  // at_ms is the zone's local time
}

std::vector<TimelineEntry> key_moments(const AccountState& a, const CompiledRules& rules) {
  std::vector<TimelineEntry> t;
  t.reserve(2 + kRuleEventCount);
  // In time order, a moment after those at the same time (a dozen at most:
  // placing each where it goes allocates nothing, unlike a stable sort).
  auto add = [&](int64_t at_ms, std::string what) {
    auto after =
        std::upper_bound(t.begin(), t.end(), at_ms, [](int64_t at, const TimelineEntry& e) { return at < e.at_ms; });
    t.insert(after, {at_ms, std::move(what)});
  };
  add(a.first_seen_ms, "first seen");
  if (a.activated_ms) add(a.activated_ms, "activated");
  for (int e = 0; e < kRuleEventCount; ++e)
    if (const NameStat* s = a.stat(rules.event(RuleEvent(e))))
      add(s->first_ms, "first " + rules.event_name(RuleEvent(e)));
  return t;
}

std::string summarize(const Alert& alert, const CompiledRules& rules) {
  const AccountMetrics& m = alert.metrics;
  std::string s = alert.account_name.empty() ? alert.account_id : alert.account_name;
  s.reserve(256);
  s += ": ";
  s += std::to_string(m.active_users_14d);
  s += m.active_users_14d == 1 ? " active user" : " active users";
  const int64_t growth = m.active_users_14d - m.active_users_prev_14d;
  if (growth > 0) s.append(", +").append(std::to_string(growth)).append(" in 14 days");
  // What a rep opens a conversation with, first (by default buying intent,
  // then plan limits, then the team, then usage; the team's growth is the
  // lead already). The rest are counted; the contributions list them all.
  const std::vector<std::string_view>& order = rules.summary_order;
  std::vector<std::pair<size_t, const Contribution*>> facts;  // (place in the order, the signal)
  for (const Contribution& c : alert.contributions)
    if (c.signal != kSignalExpansion)
      facts.emplace_back(std::find(order.begin(), order.end(), c.signal) - order.begin(), &c);
  std::sort(facts.begin(), facts.end());  // each signal has its own place
  const size_t named = size_t(rules.rules.summary_signals);
  for (size_t i = 0; i < facts.size() && i < named; ++i) s.append("; ").append(facts[i].second->evidence);
  if (facts.size() > named) {
    const size_t more = facts.size() - named;
    s.append("; ").append(std::to_string(more)).append(more == 1 ? " more signal" : " more signals");
  }
  s += ". ";
  const size_t route_at = s.size();
  s.append(alert.route).append(", ").append(alert.priority);
  if (!alert.route.empty()) s[route_at] = char(std::toupper(static_cast<unsigned char>(s[route_at])));
  if (!alert.owner.empty()) s.append(", owner ").append(alert.owner);
  if (!alert.best_contact.empty()) s.append(", reach out ").append(alert.best_contact);
  return s;
}

}  // namespace telltale::collector
